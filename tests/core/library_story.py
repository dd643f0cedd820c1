"""The invented story the extraction review tests (rules v50-v51) set inside their page templates."""

PARAS = [
    "The county library on Orchard Row will close for eleven weeks from March to replace its leaking roof and "
    "the heating system that failed twice last winter, the library board said on Monday.",
    "A temporary branch will open in the old post office on Tanner Street, with a smaller lending stock, four "
    "public computers and the children's story hour moved to Saturday mornings.",
    "Board chair Imelda Ruskin said the roof had been patched nine times since 2019 and that water had damaged "
    "about six hundred books in the local history room, some of them impossible to replace.",
    "The work will cost $1.4 million, most of it from a state grant, and the contractor has agreed to pay a "
    "penalty for every day the building stays shut after the end of May.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
TITLE = "Orchard Row library to close eleven weeks for new roof"
URL = "https://orchardcourier.example.com/news/library-roof"


def story_lines(html: str, url: str = URL) -> list[str]:
    """The non-empty lines of the text extracted from `html`."""
    from pipelines.core.extraction import extract_article

    return [line for line in extract_article(html, url=url).text.split("\n") if line.strip()]


def assert_story(lines: list[str]) -> None:
    """Every paragraph of the story is in the extracted lines."""
    text = "\n".join(lines)
    for p in PARAS:
        assert p in text
