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


def test_report_actor_graph_is_the_same_on_every_run() -> None:
    """Tied entities are drawn in order of first mention, not in a set's order (which
    changes with the hash seed): the graph of the same analysis is the same in two
    processes with different seeds."""
    import subprocess
    import sys

    script = (
        "from presslens.model import Analysis, Entity, Event, Mention, Span\n"
        "ents = [Entity(id=f'e{i}', name=f'N{i}', type='ORG', kb_id=None,\n"
        "               mentions=[Mention(start=i, end=i + 1, text='x')], spellings=['x'])\n"
        "        for i in range(1, 9)]\n"
        "evs = [Event(type='CONSULT', actor=f'e{i}', target=f'e{i + 4}',\n"
        "             trigger=Span(start=0, end=1, text='x')) for i in range(1, 5)]\n"
        "a = Analysis(text='x' * 20, entities=ents, events=evs)\n"
        "from presslens.report.render import actor_graph_svg\n"
        "print(actor_graph_svg(a))\n")
    drawn = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={"PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2", "3")}
    assert len(drawn) == 1 and "<svg" in drawn.pop()
