"""The HTML and Markdown views of an analysis."""

from presslens.model import Analysis, Entity, Flag, Mention
from presslens.report.render import render_html, render_markdown, segments

HOSTILE = 'Mr <script>alert("x")</script> Smith said "<b>hi</b>" & left.'


def _analysis() -> Analysis:
    start = HOSTILE.index("Smith")
    ent = Entity(id="e1", name='Smith <img src=x onerror=alert(1)>', type="PERSON",
                 kb_id=None, mentions=[Mention(start=start, end=start + 5, text="Smith")],
                 spellings=["Smith"])
    flag = Flag(start=0, end=2, text="Mr", kind="variant-spelling", suggestion="<Mister>",
                confidence=0.5)
    return Analysis(text=HOSTILE, title="<i>title</i>", entities=[ent], flags=[flag])


def test_report_html_escapes_every_piece_of_article_text() -> None:
    html = render_html(_analysis())
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html and "<b>hi</b>" not in html and "<i>title</i>" not in html
    assert "&lt;Mister&gt;" in html


def test_report_html_is_self_contained() -> None:
    html = render_html(_analysis())
    for needle in ("http://", "https://", "<link", "src=\"http", "@import"):
        assert needle not in html


def test_report_segments_cover_the_text_exactly() -> None:
    a = _analysis()
    segs = segments(a)
    assert "".join(s.text for s in segs) == a.text
    smith = next(s for s in segs if s.text == "Smith")
    assert smith.entity is not None and smith.entity.id == "e1"
    assert next(s for s in segs if s.text == "Mr").flags


def test_report_markdown_lists_entities_and_flags() -> None:
    md = render_markdown(_analysis())
    assert "## Entities" in md and "Smith" in md and "variant-spelling" in md
