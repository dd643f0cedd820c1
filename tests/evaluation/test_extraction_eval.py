"""extraction_eval's language report: the rule that writes rows, scored against each page's <html lang>."""

import json

import pytest

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


def test_html_to_text_gives_one_paragraph_per_block_and_skips_scripts():
    from pipelines.evaluation.extraction_eval import html_to_text

    text = html_to_text("<div><p>One <b>bold</b>  line</p><script>x()</script><ul><li>two</li><li>three<br>four</li>"
                        "</ul></div>")
    assert text.split("\n\n") == ["One bold line", "two", "three", "four"]
    assert html_to_text("") == ""


@pytest.mark.parametrize("tool,module", [("readability", "readability"), ("resiliparse", "resiliparse")])
def test_reference_tools_run_as_extractor_and_compare_choices(tool, module, tmp_path, capsys):
    pytest.importorskip(module, reason=f"{module} is only a comparison reference")
    from pipelines.evaluation import extraction_eval
    from tests.core.test_extraction import HEADLINE, PARAS, news_page

    record = {"id": "full", "url": "https://x.example/a", "html": news_page(), "gold_text": "\n\n".join(PARAS),
              "gold_title": HEADLINE}
    out = extraction_eval.EXTRACTORS[tool](record)
    assert out["error"] is None and PARAS[1] in " ".join(out["text"].split())
    assert "Great article, thanks" not in out["text"]  # the comment box is not the article for them either
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(record), encoding="utf-8")
    assert extraction_eval.main(["--data", str(path), "--extractor", "pipeline", "--compare", tool]) == 0
    printed = capsys.readouterr().out
    both = json.loads(printed[printed.rindex('{\n "split"'):])["side_by_side"]
    assert set(both) == {"pipeline", tool}
    assert 0.0 < both[tool]["shingle_micro_f1"] <= 1.0


@pytest.mark.parametrize("tool,module", [("resiliparse", "resiliparse"), ("trafilatura", "trafilatura"),
                                         ("readability", "readability")])
def test_a_reference_tool_failing_on_a_page_scores_it_empty_and_counts_it(tool, module, monkeypatch):
    pytest.importorskip(module, reason=f"{module} is only a comparison reference")
    from pipelines.evaluation import extraction_eval

    gold = "Harbour cargo rose again this week, officials said on Tuesday."
    good = {"id": "ok", "html": f"<html><body><article><p>{gold}</p></article></body></html>", "gold_text": gold}
    # A lone surrogate: resiliparse raises UnicodeEncodeError on it. The others are made to fail the same way.
    bad = {"id": "bad", "html": f"<html><body><p>Harbour \ud800 {gold}</p></body></html>", "gold_text": gold}
    if tool != "resiliparse":
        import readability
        import trafilatura

        owner, name = (trafilatura, "extract") if tool == "trafilatura" else (readability, "Document")
        real = getattr(owner, name)

        def strict(html, *args, **kwargs):
            html.encode("utf-8")  # what resiliparse does first
            return real(html, *args, **kwargs)

        monkeypatch.setattr(owner, name, strict)
    result = extraction_eval.evaluate([good, bad], extraction_eval.EXTRACTORS[tool])
    assert [row["error"] for row in result["pages"]] == [None, f"{tool}:UnicodeEncodeError"]
    assert extraction_eval.headline(result)["errors"] == 1
