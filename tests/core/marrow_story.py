"""The invented Marrow Island ferry story the rules-v53 metadata tests (reviews rv11 and rv12) set inside one page."""

PARAS = [
    "The county ferry to Marrow Island will run two fewer sailings a day from April, after the state cut its "
    "subsidy for the route by a third in the budget passed last week.",
    "The island's roughly 900 year-round residents rely on the ferry to get to work, school and medical "
    "appointments on the mainland, and many said they learned of the change from a notice at the dock.",
    "A replacement ferry has been on order since 2023 but is not expected before late 2027, the county's "
    "transportation director told the board of supervisors on Tuesday.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
TITLE = "Island ferry to lose two daily sailings"
URL = "https://www.harborweekly.example/news/island-ferry-sailings"


def page(meta: str = "", head: str = "", title: str = TITLE, after: str = "", lead: str = "", logo: str = "") -> str:
    """The story page: `meta` and `lead` between the h1 and the body, `after` it, and a site header when `logo`."""
    header = f"<header class='site-header'><a class='logo' href='/'>{logo}</a></header>" if logo else ""
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body>{header}<nav><a href='/'>Home</a></nav>"
            f"<main><article><h1>{TITLE}</h1>{meta}{lead}<div class='article-body'>{BODY}</div>{after}</article>"
            "</main><footer><p>Contact us</p></footer></body></html>")
