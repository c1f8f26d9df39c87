"""Attribution stage: who said what, according to whom. Needs the parse and the entities;
adds ``attributions``.

``reported`` reads speech verbs and "according to" from the parse; ``quotes`` finds direct
quotations and their cues. Dates in a statement's sentence are the context's dates,
normalised against the publication date (inferred by the pipeline when the article had
none). Detection is pure; the stage writes its results in one step.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.config import AttributionSettings, Config
from presslens.language.lexicons import read_rows
from presslens.model import Analysis, Attribution, QuotedPhrase
from presslens.registry import register_stage
from presslens.stages.attribution.quotes import QuoteSpan, find_direct_quotes, find_quote_spans
from presslens.stages.attribution.reported import find_reported

if TYPE_CHECKING:
    from presslens.context import ArticleContext


def find_attributions(context: ArticleContext, analysis: Analysis, *,
                      settings: AttributionSettings
                      ) -> tuple[list[Attribution], list[QuotedPhrase]]:
    """Who said what (attributions, each with its evidence and confidence) and the quoted
    phrases nobody said (scare quotes and titles)."""
    doc, index, dates = context.doc, context.mention_index(analysis), context.dates
    spans = find_quote_spans(analysis.text)  # once: reported speech and quotes both read them
    reported = find_reported(doc, index, dates, [(q.start, q.end) for q in spans],
                             settings=settings)
    direct, phrases = find_direct_quotes(doc, index, reported, dates, spans,
                                         settings=settings)
    reported = speakers_in_quotes(reported, direct, spans)
    found = sorted(reported + direct, key=lambda a: (a.content.start, -a.content.end))
    return ([with_evidence(a, context, settings=settings) for a in found],
            [p.model_copy(update={"evidence": context.evidence(p.start, p.end)})
             for p in phrases])


def with_evidence(att: Attribution, context: ArticleContext, *,
                  settings: AttributionSettings) -> Attribution:
    """The attribution with its evidence (the sentences holding its content and, unless
    it continues an earlier quotation, its speaker) and its confidence: the construction's
    measured precision times a factor for how the speaker was resolved."""
    start, end = att.content.start, att.content.end
    if att.speaker_span is not None and att.construction != "quote:continuation":
        start, end = min(start, att.speaker_span.start), max(end, att.speaker_span.end)
    table = construction_confidence()
    base = table.get(att.construction or "", table["default"])
    if att.speaker is not None and att.speaker_span is None and \
            att.construction != "quote:continuation":
        base *= settings.speaker_guessed_factor  # the nearest person, no subject
    elif att.speaker is None and att.speaker_text is not None:
        base *= settings.speaker_unresolved_factor
    elif att.speaker is None:
        base *= settings.speaker_missing_factor
    return att.model_copy(update={"evidence": context.evidence(start, end),
                                  "confidence": round(base, 3)})


@lru_cache(maxsize=1)
def construction_confidence() -> dict[str, float]:
    """Construction -> measured precision, from ``data/attribution_confidence.tsv``."""
    return {r["construction"]: float(r["confidence"])
            for r in read_rows("attribution_confidence.tsv")}


def speakers_in_quotes(reported: list[Attribution], direct: list[Attribution],
                       quotes: Sequence[QuoteSpan]) -> list[Attribution]:
    """"I think we must act," she said: the "I" who thinks inside quoted words is whoever
    the quotation is attributed to, by a statement holding the "I" or, when the statement
    holds only part of the quotation ("..., she said" read as saying the last sentence),
    one that shares the quotation; "You think so?" inside a quotation asks, and is dropped
    (it states no one's belief)."""
    quoting = [a for a in reported + direct if a.kind != "indirect" and
               (a.speaker is not None or a.speaker_text is not None)
               and (a.speaker_text or "").lower() not in _FIRST_PERSON | _SECOND_PERSON]
    starts = [q.start for q in quotes]
    out = []
    for att in reported:
        span = att.speaker_span
        words = span.text.lower() if span is not None else ""
        if span is not None and words in _FIRST_PERSON | _SECOND_PERSON:
            holder = next((d for d in quoting if d is not att and
                           d.content.start <= span.start < d.content.end), None)
            at = bisect_right(starts, span.start) - 1
            if holder is None and at >= 0 and span.start < quotes[at].end:
                q = quotes[at]
                holder = next((d for d in quoting if d is not att and d.construction !=
                               "quote:continuation" and d.content.start < q.end and
                               q.start < d.content.end and d.speaker_span is not None and
                               not q.start <= d.speaker_span.start < q.end), None)
            if holder is not None and words in _SECOND_PERSON:
                continue
            if holder is not None:
                # the span stays the "I" where it speaks; the words naming it are the
                # quotation's speaker's
                att = att.model_copy(update={"speaker": holder.speaker,
                                             "speaker_text": holder.speaker_text,
                                             "specificity": holder.specificity})
        out.append(att)
    return out


_SECOND_PERSON = frozenset({"you"})
_FIRST_PERSON = frozenset({"i", "we"})


class AttributionStage:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.settings = config.attribution

    def __call__(self, context: ArticleContext, analysis: Analysis) -> Analysis:
        attributions, phrases = find_attributions(context, analysis, settings=self.settings)
        return analysis.with_(attributions=attributions, quoted_phrases=phrases)


@register_stage("attribution", requires=("doc", "entities"),
                provides=("attributions", "quoted_phrases"))
def make_attribution(config: Config) -> AttributionStage:
    return AttributionStage(config)
