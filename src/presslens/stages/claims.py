"""Claims stage: the statements a fact-checker could check. Needs the parse, entities and
attributions; adds ``claims``.

Each sentence, or the reported content of an attribution inside it, is one claim. It is
typed *fact*, *opinion* or *prediction* by markers (``data/claim_markers.tsv``: modal and
evaluative words) and scored for check-worthiness by what makes a statement checkable:
numbers and quantities, named actors, a date, a completed event (a past-tense verb).
Opinion and prediction lower the score; they stay in the list, typed, so a reader sees them
separated from facts.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import partial
from typing import TYPE_CHECKING, Literal

from presslens.config import ClaimsSettings, Config
from presslens.language.lexicons import claim_markers
from presslens.model import ACTOR_LABELS, Analysis, Claim
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

    from presslens.context import ArticleContext

_NUMERIC = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY"}


ClaimKind = Literal["fact", "opinion", "prediction"]


_MODALS = frozenset({"should", "must", "will", "would", "might", "may", "could"})


def claim_kind(span: SpacySpan) -> ClaimKind:
    """Opinion or prediction by marker words; a modal counts only as a modal ("the resistance
    will of the people" predicts nothing)."""
    text = span.text
    modal_at = {t.idx - span.start_char for t in span if t.tag_ == "MD"}
    kinds = set()
    for pattern, kind in claim_markers():
        for m in pattern.finditer(text):
            if m.group(0).lower() in _MODALS and m.start() not in modal_at:
                continue
            kinds.add(kind)
            break
    if "opinion" in kinds:
        return "opinion"
    return "prediction" if "prediction" in kinds else "fact"


def checkworthiness(*, kind: str, numbers: int, actors: int, dated: bool, past_event: bool,
                    words: int, weights: ClaimsSettings) -> float:
    """The ``[claims]`` weights of what makes a statement checkable, summed, clipped to
    0..1 and rounded to 2 places."""
    score = weights.base
    score += weights.number_weight if numbers else 0.0
    score += weights.actor_weight * min(actors, weights.max_actors)
    score += weights.date_weight if dated else 0.0
    score += weights.past_event_weight if past_event else 0.0
    score -= {"fact": 0.0, "prediction": weights.prediction_penalty,
              "opinion": weights.opinion_penalty}[kind]
    if words < weights.short_words:
        score -= weights.short_penalty
    return round(max(0.0, min(1.0, score)), 2)


def find_claims(context: ArticleContext, analysis: Analysis, *, settings: ClaimsSettings
                ) -> list[Claim]:
    """Claims of at least ``settings.min_sentence_words`` words, scored by its weights."""
    doc = context.doc
    date_starts = sorted(d.start for d in context.dates)
    # Span.ents scans every entity of the doc: index the numeric ones once instead
    number_starts = sorted(e.start_char for e in doc.ents if e.label_ in _NUMERIC)
    index = context.mention_index(analysis)  # actors are its PERSON, ORG, GPE, NORP
    by_start = sorted(range(len(analysis.attributions)),
                      key=lambda i: analysis.attributions[i].content.start)
    att_starts = [analysis.attributions[i].content.start for i in by_start]
    out: list[Claim] = []
    for sent in context.sentences:
        text = sent.text.strip()
        if len(text.split()) < settings.min_sentence_words:
            continue
        lo = bisect_left(att_starts, sent.start_char)
        hi = bisect_left(att_starts, sent.end_char)
        pieces: list[tuple[int, int, int | None]] = [
            (analysis.attributions[i].content.start, analysis.attributions[i].content.end, i)
            for i in by_start[lo:hi]] or [(sent.start_char, sent.end_char, None)]
        for start, end, attribution in pieces:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            numbers = bisect_left(number_starts, end) - bisect_left(number_starts, start)
            first, last = bisect_left(index.starts, start), bisect_left(index.starts, end)
            actors = {ent.id for s, e, ent in index.items[first:last]
                      if e <= end and ent.type in ACTOR_LABELS}
            past = any(t.tag_ in ("VBD", "VBN") and t.pos_ == "VERB" for t in span)
            d = bisect_left(date_starts, start)
            dated = d < len(date_starts) and date_starts[d] < end
            kind = claim_kind(span)
            out.append(Claim(
                start=span.start_char, end=span.end_char, text=span.text, kind=kind,
                checkworthiness=checkworthiness(kind=kind, numbers=numbers, actors=len(actors),
                                                dated=dated, past_event=past,
                                                words=len(span), weights=settings),
                attribution=attribution, entities=sorted(actors)))
    return out


@register_stage("claims", requires=("doc", "entities", "attributions"), provides=("claims",))
def make_claims(config: Config) -> FieldStage:
    return FieldStage("claims", partial(find_claims, settings=config.claims))
