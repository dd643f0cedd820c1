"""extraction_eval's language report: the rule that writes rows, scored against each page's <html lang>."""

from pipelines.evaluation.extraction_eval import language_agreement
from tests.core.test_language import NORWEGIAN, SENTENCES, _page


def test_language_agreement_counts_overrides_of_the_written_language():
    french = [SENTENCES["fr"], SENTENCES["fr"].replace("mardi", "jeudi"), SENTENCES["fr"].replace("pont", "tunnel")]
    records = [
        {"id": "nb", "html": _page(NORWEGIAN, ' lang="nb"')},
        {"id": "wrong-template", "html": _page(french, ' lang="en"')},
        {"id": "undeclared", "html": _page(french)},
    ]
    report = language_agreement(records)
    assert (report["n"], report["agree"], report["overridden"]) == (2, 1, 1)
    assert report["override_rate"] == 0.5
    assert [(d["id"], d["declared"], d["written"], d["source"]) for d in report["disagreements"]] == [
        ("wrong-template", "en", "fr", "text")]
