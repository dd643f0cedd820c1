"""The invented Puffin Island ferry story the rules-v53 body tests (reviews rv11 and rv14) set inside one page template."""

from pipelines.core.extraction import extract_article

URL = "https://www.harbourtimes.example/news/2026/03/05/ferry-cut"
H1 = "Ferry to Puffin Island cut to four sailings"
LEDE = [
    "The county ferry to Puffin Island will run four round trips a day instead of seven from March 16, after one "
    "of the two boats failed a safety inspection.",
    "The Tern, built in 1971, needs hull repairs that will keep it out of service for at least four months, ferry "
    "manager Kim Okafor said on Thursday.",
]
REST = [
    "About 900 people live on the island all year and rely on the ferry to reach work, school and the hospital.",
    "The new timetable drops the earliest sailing, which many commuters use, and the county is trying to charter a "
    "passenger boat for the 6 a.m. run.",
    "A replacement ferry has been on order since 2023 but is not expected before the end of 2027.",
]
# The page's other links (a hidden box holding more than removal_max_text_share of the page is kept in any case).
MORE = "<aside class='more-news'><h3>More news</h3><ul>" + "".join(
    f"<li><a href='/n/{n}'>{headline}</a></li>" for n, headline in enumerate([
        "Council delays vote on bus lane extension after late objections from traders",
        "Storm warning issued for coastal districts as winds pick up on Friday night",
        "High school robotics team heads to national finals for the second year running",
        "Weekend guide: markets, concerts and the long-awaited reopening of the pier",
        "Police appeal for witnesses after overnight fire at a harbour warehouse",
        "Housing starts fall for the third straight month, new county figures show"])) + "</ul></aside>"


def page(body: str, after: str = "", head: str = "", h1: str = H1, body_class: str = "story-body",
         url: str = URL) -> str:
    """The story page: site menu, the article (h1 and `body` in a `body_class` box), `after` it, the rail, a footer."""
    return (f"<html lang='en'><head><title>{h1} | Harbour Times</title>"
            f"<link rel='canonical' href='{url}'>{head}</head><body>"
            "<nav class='site-nav'><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<main><article class='story'><h1>{h1}</h1><div class='{body_class}'>{body}</div></article>{after}</main>"
            f"{MORE}<footer><p>Harbour Times, 1 Quay Street</p></footer></body></html>")


def ps(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def text(html: str, url: str = URL) -> str:
    return extract_article(html, url=url).text
