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


def _with_statements() -> Analysis:
    from presslens.model import Attribution, QuotedPhrase, Span

    text = 'Ann Lee said the <b>vote</b> was rigged. Critics mocked the "reform".'
    content = Span(start=14, end=39, text=text[14:39])
    sure = Attribution(speaker=None, speaker_text="Ann Lee", cue="said", content=content,
                       confidence=0.9, construction="speech:clause",
                       evidence=Span(start=0, end=40, text=text[:40]))
    unsure = sure.model_copy(update={"confidence": 0.3, "speaker_text": "Critics"})
    start = text.index("reform")
    phrase = QuotedPhrase(start=start, end=start + 6, text="reform", kind="scare_quote")
    return Analysis(text=text, attributions=[sure, unsure], quoted_phrases=[phrase])


def test_report_html_shows_evidence_confidence_and_scare_quotes() -> None:
    html = render_html(_with_statements(), low_confidence=0.5)
    assert "<details class=\"evidence\">" in html and "speech:clause" in html
    assert "confidence 0.90" in html and "confidence 0.30 (low)" in html
    assert html.count('class="quote uncertain"') == 1
    assert "Quoted, said by no one" in html and "scare quote" in html
    assert "<b>vote</b>" not in html and "&lt;b&gt;vote&lt;/b&gt;" in html


def test_analysis_confident_keeps_findings_without_a_confidence() -> None:
    a = _with_statements()
    kept = a.confident(0.5)
    assert [x.speaker_text for x in kept.attributions] == ["Ann Lee"]
    assert kept.quoted_phrases == a.quoted_phrases
    legacy = a.with_(attributions=[a.attributions[0].model_copy(update={"confidence": None})])
    assert len(legacy.confident(0.99).attributions) == 1
