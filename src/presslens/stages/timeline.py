"""Timeline stage: what happened when. Needs the parse and the attributions; adds ``timeline``.

Every resolvable temporal expression (the context's ``dates``) dates the sentence it stands
in; a sentence that reports someone's statement links to that attribution. Entries are
ordered by date (coarser dates, "2024" or "2024-03", sort before the days inside them).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from presslens.config import Config
from presslens.model import Analysis, TimelineEntry
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    from presslens.context import ArticleContext


def build_timeline(context: ArticleContext, analysis: Analysis) -> list[TimelineEntry]:
    doc = context.doc
    out: dict[tuple[str, int], TimelineEntry] = {}
    # (content start, index) of the attributions, to find those of a sentence by bisection
    by_start = sorted((a.content.start, i) for i, a in enumerate(analysis.attributions))
    for d in context.dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        sent = context.sentence_of(span.start)
        key = (d.value, sent.start_char)
        if key in out:
            continue
        # the first attribution (in list order) whose content starts in the sentence
        lo = bisect_left(by_start, (sent.start_char, -1))
        hi = bisect_left(by_start, (sent.end_char, -1))
        attribution = min((i for _, i in by_start[lo:hi]), default=None)
        text = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        out[key] = TimelineEntry(date=d.value, start=start, end=start + len(text),
                                 text=text, expression=d.text, attribution=attribution)
    return sorted(out.values(), key=lambda e: (e.date, e.start))


@register_stage("timeline", requires=("doc", "attributions", "published"),
                provides=("timeline",))
def make_timeline(config: Config) -> FieldStage:
    return FieldStage("timeline", build_timeline)
