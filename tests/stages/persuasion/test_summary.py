"""The per-article persuasion summary and highlight text of the report (no model needed)."""

from presslens.model import Analysis, Technique
from presslens.report.render import render_html, render_markdown, sentence_share, technique_summary

TEXT = "They lie. The plan passed on Monday. What a disgrace!\nMarkets were calm."


def _analysis() -> Analysis:
    return Analysis(text=TEXT, techniques=[
        Technique(start=5, end=8, text="lie", technique="Loaded_Language", confidence=0.7,
                  technique_2020="Loaded_Language"),
        Technique(start=37, end=53, text="What a disgrace!", technique="Slogans",
                  confidence=0.55, technique_2020="Slogans")])


def test_summary_share_counts_sentences_with_a_technique() -> None:
    assert sentence_share(_analysis()) == 0.5
    assert sentence_share(Analysis(text=TEXT)) == 0.0


def test_summary_counts_by_technique_with_class_and_explanation() -> None:
    rows = {r.name: r for r in technique_summary(_analysis())}
    assert rows["Slogans"].count == 1 and rows["Slogans"].class_2020 == "Slogans"
    assert rows["Loaded_Language"].explanation


def test_summary_report_shows_name_explanation_and_confidence() -> None:
    page = render_html(_analysis())
    assert "Loaded Language (0.70): Words chosen" in page
    assert "50% of sentences hold a technique" in page
    assert "- **Slogans** (1):" in render_markdown(_analysis())
