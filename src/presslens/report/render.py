"""Report stage output: the analysis as a self-contained HTML page or as Markdown.

The HTML has no external resource (no CDN, no fonts, no scripts from elsewhere) and every
piece of article text passes through Jinja's autoescaping. The article is cut into segments
at every mention and flag boundary, so overlapping highlights never break the markup.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from presslens.model import Analysis, Entity, Flag, Technique

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True)
class Segment:
    text: str
    entity: Entity | None = None
    mention_kind: str | None = None
    flags: tuple[Flag, ...] = ()
    techniques: tuple[Technique, ...] = ()


def segments(analysis: Analysis) -> list[Segment]:
    """The article text cut at every mention and flag boundary, each piece with what covers it."""
    text = analysis.text
    cover: list[tuple[int, int, Entity, str]] = []
    for ent in analysis.entities:
        for m in ent.mentions:
            cover.append((m.start, m.end, ent, m.kind))
    cuts = {0, len(text)}
    for s, e, _, _ in cover:
        cuts.update((s, e))
    for f in analysis.flags:
        cuts.update((f.start, f.end))
    for t in analysis.techniques:
        cuts.update((t.start, t.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for s, e in zip(bounds, bounds[1:]):
        if s == e:
            continue
        # the shortest covering mention is the most specific
        covering = [c for c in cover if c[0] <= s and e <= c[1]]
        best = min(covering, key=lambda c: c[1] - c[0]) if covering else None
        flags = tuple(f for f in analysis.flags if f.start <= s and e <= f.end)
        techniques = tuple(t for t in analysis.techniques if t.start <= s and e <= t.end)
        out.append(Segment(text[s:e], best[2] if best else None, best[3] if best else None,
                           flags, techniques))
    return out


def entity_colours(analysis: Analysis) -> dict[str, str]:
    """One colour per entity, spread around the hue circle by the golden angle."""
    return {e.id: f"hsl({(i * 137.508) % 360:.0f} 70% 85%)"
            for i, e in enumerate(analysis.entities)}


@lru_cache(maxsize=1)
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("presslens", "report/templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


_TYPE_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 3, "NORP": 4}

SPECIFICITY_LABELS = {
    "named_person": "named person", "named_organisation": "named organisation or outlet",
    "anonymous_official": "anonymous official", "vague_group": "vague group",
    "document": "document or poll", "none": "no source",
}


def sourcing_summary(analysis: Analysis) -> list[tuple[str, int, float]]:
    """(label, count, share) of attributions by how specific their source is."""
    counts: Counter[str] = Counter(a.specificity for a in analysis.attributions)
    total = sum(counts.values()) or 1
    return [(SPECIFICITY_LABELS[k], counts[k], counts[k] / total)
            for k in SPECIFICITY_LABELS if counts[k]]


def actor_graph_svg(analysis: Analysis, *, size: int = 520) -> Markup:
    """Who acts on whom: entities on a circle, one arrow per (actor, target) pair labelled
    with its event types. Drawn server-side as SVG (no script, no network)."""
    edges: dict[tuple[str, str], Counter[str]] = {}
    for ev in analysis.events:
        if ev.actor and ev.target:
            edges.setdefault((ev.actor, ev.target), Counter())[ev.type] += 1
    if not edges:
        return Markup("")
    by_id = {e.id: e for e in analysis.entities}
    # the busiest first; ties in order of first mention, so the drawing is the same on
    # every run (a set's order changes with the hash seed)
    first = {e.id: i for i, e in enumerate(analysis.entities)}
    nodes = sorted({n for pair in edges for n in pair},
                   key=lambda n: (-sum(sum(c.values()) for p, c in edges.items() if n in p),
                                  first.get(n, len(first)), n))[:14]
    keep = set(nodes)
    centre, radius = size / 2, size / 2 - 70
    pos = {n: (centre + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
               centre + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2))
           for i, n in enumerate(nodes)}
    colours = entity_colours(analysis)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
             f'width="100%" role="img" aria-label="actor graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
             'fill="#5a6374"/></marker></defs>']
    for (a, b), types in edges.items():
        if a not in keep or b not in keep:
            continue
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        sx, sy = x1 + dx / length * 16, y1 + dy / length * 16
        ex, ey = x2 - dx / length * 18, y2 - dy / length * 18
        label = ", ".join(sorted(types))
        parts.append(f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                     f'stroke="#8a93a4" stroke-width="1.4" marker-end="url(#arrow)"/>')
        parts.append(f'<text x="{(sx + ex) / 2:.1f}" y="{(sy + ey) / 2 - 3:.1f}" '
                     f'font-size="9" fill="#b0413e" text-anchor="middle" '
                     f'paint-order="stroke" stroke="#fff" stroke-width="3">'
                     f'{escape(label)}</text>')
    for n in nodes:
        x, y = pos[n]
        name = by_id[n].name if n in by_id else n
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="14" fill="{colours.get(n, "#ddd")}" '
                     f'stroke="#5a6374"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 27:.1f}" font-size="10" text-anchor="middle" '
                     f'paint-order="stroke" stroke="#fff" stroke-width="3">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def grouped_flags(analysis: Analysis) -> list[tuple[Flag, int]]:
    """Each distinct (text, kind, suggestion) flag once, with how often it occurs."""
    seen: dict[tuple[str, str, str | None], list[Flag]] = {}
    for f in analysis.flags:
        seen.setdefault((f.text, f.kind, f.suggestion), []).append(f)
    return [(fs[0], len(fs)) for fs in seen.values()]


def technique_counts(analysis: Analysis) -> list[tuple[str, int]]:
    return Counter(t.technique for t in analysis.techniques).most_common()


@dataclass(frozen=True)
class TechniqueRow:
    """One technique in an article's summary: how often it was highlighted."""

    name: str
    class_2020: str | None
    explanation: str
    count: int


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")


def sentence_share(analysis: Analysis) -> float:
    """The share of the article's sentences (cut at end marks and line ends) that hold at
    least one technique highlight."""
    text, starts = analysis.text, [0]
    starts += [m.end() for m in _SENTENCE_END.finditer(text)]
    spans = [(s, e) for s, e in zip(starts, [*starts[1:], len(text)]) if text[s:e].strip()]
    if not spans:
        return 0.0
    hit = sum(1 for s, e in spans if any(t.start < e and s < t.end for t in analysis.techniques))
    return hit / len(spans)


def technique_summary(analysis: Analysis) -> list[TechniqueRow]:
    """Counts by technique, most frequent first, with each one's SemEval-2020 class and
    one-line explanation."""
    from presslens.stages.persuasion.taxonomy import class_2020, explanation

    return [TechniqueRow(name, class_2020(name), explanation(name), n)
            for name, n in technique_counts(analysis)]


def technique_tip(t: Technique) -> str:
    """The hover text of a highlight: name, confidence and what the technique is."""
    from presslens.stages.persuasion.taxonomy import explanation

    return f"{t.technique.replace('_', ' ')} ({t.confidence:.2f}): {explanation(t.technique)}"


def render_html(analysis: Analysis, *, entity_links: dict[str, str] | None = None,
                low_confidence: float = 0.0) -> str:
    """The report page; ``entity_links`` maps entity ids to pages about them (web app).
    Findings less confident than ``low_confidence`` (``[report] low_confidence``) are shown
    as uncertain."""
    by_id = {e.id: e for e in analysis.entities}
    quotes_by_speaker: dict[str, list[object]] = {}
    for a in analysis.attributions:
        who = (by_id[a.speaker].name if a.speaker in by_id else None) or a.speaker_text or "?"
        quotes_by_speaker.setdefault(who, []).append(a)
    claims = sorted(analysis.claims, key=lambda c: -c.checkworthiness)
    return _env().get_template("report.html.j2").render(
        a=analysis, segments=segments(analysis), colours=entity_colours(analysis),
        by_id=by_id, quotes_by_speaker=quotes_by_speaker, sourcing=sourcing_summary(analysis),
        low=low_confidence,
        table=sorted(analysis.entities, key=lambda e: (_TYPE_ORDER.get(e.type, 9),
                                                       -len(e.mentions), e.name)),
        graph=actor_graph_svg(analysis), techniques=technique_summary(analysis),
        technique_share=sentence_share(analysis), technique_tip=technique_tip,
        flags=grouped_flags(analysis), links=entity_links or {},
        top_claims=[c for c in claims if c.kind == "fact"][:10],
        other_claims=[c for c in claims if c.kind != "fact"][:10],
    )


def render_markdown(analysis: Analysis) -> str:
    by_id = {e.id: e for e in analysis.entities}
    lines = [f"# {analysis.title or analysis.source or 'Article'}", ""]
    if analysis.published:
        lines += [f"Published: {analysis.published}", ""]
    lines += ["## Entities", "", "| Name | Type | KB | Spellings | Mentions |",
              "|---|---|---|---|---|"]
    for e in analysis.entities:
        lines.append(f"| {_md(e.name)} | {e.type} | {e.kb_id or ''} | "
                     f"{_md(', '.join(e.spellings))} | {len(e.mentions)} |")
    lines += ["", "## Flags", ""]
    for f in analysis.flags:
        lines.append(f"- **{_md(f.text)}** ({f.kind}, {f.confidence:.2f})"
                     + (f" → {_md(f.suggestion)}" if f.suggestion else ""))
    lines += ["", "## Sourcing", ""]
    for label, n, share in sourcing_summary(analysis):
        lines.append(f"- {label}: {n} ({share:.0%})")
    lines += ["", "## Persuasion techniques", ""]
    if analysis.techniques:
        lines.append(f"{sentence_share(analysis):.0%} of sentences hold a technique.")
        lines.append("")
    for row in technique_summary(analysis):
        lines.append(f"- **{row.name}** ({row.count}): {row.explanation}")
    lines += ["", "## Timeline", ""]
    for t in analysis.timeline:
        lines.append(f"- **{t.date}** {_md(t.text)}")
    lines += ["", "## Attributions", ""]
    for a in analysis.attributions:
        who = by_id[a.speaker].name if a.speaker in by_id else (a.speaker_text or "unknown")
        via = f" (via {by_id[a.source].name})" if a.source in by_id else ""
        when = f" [{a.date}]" if a.date else ""
        lines.append(f"- **{_md(who)}**{via}{when} {a.cue or ''}: {_md(a.content.text)}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
