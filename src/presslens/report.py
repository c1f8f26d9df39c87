"""Report stage output: the analysis as a self-contained HTML page or as Markdown.

The HTML has no external resource (no CDN, no fonts, no scripts from elsewhere) and every
piece of article text passes through Jinja's autoescaping. The article is cut into segments
at every mention and flag boundary, so overlapping highlights never break the markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .model import Analysis, Entity, Flag

if TYPE_CHECKING:
    from jinja2 import Environment


@dataclass(frozen=True)
class Segment:
    text: str
    entity: Entity | None = None
    mention_kind: str | None = None
    flags: tuple[Flag, ...] = ()


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
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for s, e in zip(bounds, bounds[1:]):
        if s == e:
            continue
        # the shortest covering mention is the most specific
        covering = [c for c in cover if c[0] <= s and e <= c[1]]
        best = min(covering, key=lambda c: c[1] - c[0]) if covering else None
        flags = tuple(f for f in analysis.flags if f.start <= s and e <= f.end)
        out.append(Segment(text[s:e], best[2] if best else None, best[3] if best else None,
                           flags))
    return out


def entity_colours(analysis: Analysis) -> dict[str, str]:
    """One colour per entity, spread around the hue circle by the golden angle."""
    return {e.id: f"hsl({(i * 137.508) % 360:.0f} 70% 85%)"
            for i, e in enumerate(analysis.entities)}


@lru_cache(maxsize=1)
def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("presslens", "templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


_TYPE_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "LOC": 3, "NORP": 4}

SPECIFICITY_LABELS = {
    "named_person": "named person", "named_organisation": "named organisation or outlet",
    "anonymous_official": "anonymous official", "vague_group": "vague group",
    "none": "no source",
}


def sourcing_summary(analysis: Analysis) -> list[tuple[str, int, float]]:
    """(label, count, share) of attributions by how specific their source is."""
    counts: Counter[str] = Counter(a.specificity for a in analysis.attributions)
    total = sum(counts.values()) or 1
    return [(SPECIFICITY_LABELS[k], counts[k], counts[k] / total)
            for k in SPECIFICITY_LABELS if counts[k]]


def render_html(analysis: Analysis) -> str:
    by_id = {e.id: e for e in analysis.entities}
    quotes_by_speaker: dict[str, list[object]] = {}
    for a in analysis.attributions:
        who = (by_id[a.speaker].name if a.speaker in by_id else None) or a.speaker_text or "?"
        quotes_by_speaker.setdefault(who, []).append(a)
    claims = sorted(analysis.claims, key=lambda c: -c.checkworthiness)
    return _env().get_template("report.html.j2").render(
        a=analysis, segments=segments(analysis), colours=entity_colours(analysis),
        by_id=by_id, quotes_by_speaker=quotes_by_speaker, sourcing=sourcing_summary(analysis),
        table=sorted(analysis.entities, key=lambda e: (_TYPE_ORDER.get(e.type, 9),
                                                       -len(e.mentions), e.name)),
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
