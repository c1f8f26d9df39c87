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
from typing import TYPE_CHECKING, Literal

from presslens.config import Config
from presslens.language.lexicons import claim_markers
from presslens.language.temporal import find_dates
from presslens.model import Analysis, Claim, MentionIndex
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

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
                    words: int) -> float:
    score = 0.15
    score += 0.3 if numbers else 0.0
    score += 0.15 * min(actors, 2)
    score += 0.1 if dated else 0.0
    score += 0.15 if past_event else 0.0
    score -= {"fact": 0.0, "prediction": 0.25, "opinion": 0.35}[kind]
    if words < 6:
        score -= 0.2
    return round(max(0.0, min(1.0, score)), 2)


def find_claims(doc: Doc, analysis: Analysis) -> list[Claim]:
    date_starts = sorted(d.start for d in find_dates(analysis.text, analysis.published))
    # Span.ents scans every entity of the doc: index the numeric ones once instead
    number_starts = sorted(e.start_char for e in doc.ents if e.label_ in _NUMERIC)
    index = MentionIndex([(m.start, m.end, e) for e in analysis.entities for m in e.mentions
                          if e.type in ("PERSON", "ORG", "GPE", "NORP")])
    by_start = sorted(range(len(analysis.attributions)),
                      key=lambda i: analysis.attributions[i].content.start)
    att_starts = [analysis.attributions[i].content.start for i in by_start]
    out: list[Claim] = []
    for sent in doc.sents:
        text = sent.text.strip()
        if len(text.split()) < 4:
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
            actors = {ent.id for s, e, ent in index.items[first:last] if e <= end}
            past = any(t.tag_ in ("VBD", "VBN") and t.pos_ == "VERB" for t in span)
            d = bisect_left(date_starts, start)
            dated = d < len(date_starts) and date_starts[d] < end
            kind = claim_kind(span)
            out.append(Claim(
                start=span.start_char, end=span.end_char, text=span.text, kind=kind,
                checkworthiness=checkworthiness(kind=kind, numbers=numbers, actors=len(actors),
                                                dated=dated, past_event=past,
                                                words=len(span)),
                attribution=attribution, entities=sorted(actors)))
    return out


@register_stage("claims", requires=("doc", "entities", "attributions"), provides=("claims",))
def make_claims(config: Config) -> FieldStage:
    return FieldStage("claims", find_claims)
