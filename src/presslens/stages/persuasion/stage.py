"""The persuasion stage. Needs the parse and the text; adds ``techniques``.

Evidence comes from four finders (``lexicon``, ``words``, ``sentences``, ``repetition``);
each hit of a technique whose scope is the sentence (``taxonomy``: Doubt, appeals to fear,
causal shortcuts, ...) is widened to the sentence that holds it, since those techniques are
claims, not wordings. Hits below ``min_confidence`` are dropped and overlapping hits of one
technique merged, keeping the highest confidence.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from presslens.config import Config, PersuasionSettings
from presslens.model import Technique
from presslens.registry import FieldStage, register_stage
from presslens.stages.persuasion.lexicon import Hit, lexicon_hits
from presslens.stages.persuasion.repetition import repetition_hits
from presslens.stages.persuasion.sentences import sentence_hits
from presslens.stages.persuasion.taxonomy import class_2020, taxonomy
from presslens.stages.persuasion.words import loaded_tokens, word_hits

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def _sentence_bounds(text: str, sentences: tuple[Span, ...]) -> list[tuple[int, int]]:
    """Sentence spans in characters, cut at line ends (a title or list line is a sentence)."""
    bounds: list[tuple[int, int]] = []
    for sent in sentences:
        start = sent.start_char
        for piece in text[sent.start_char:sent.end_char].split("\n"):
            end = start + len(piece)
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece.rstrip(" \t.,;:"))
            if trail > lead:
                bounds.append((start + lead, start + trail))
            start = end + 1
    return bounds


def find_techniques(doc: Doc, text: str, settings: PersuasionSettings,
                    sentences: tuple[Span, ...] | None = None) -> list[Technique]:
    """Technique spans in the article, in text order."""
    sents = sentences if sentences is not None else tuple(doc.sents)
    words = list(word_hits(doc, settings))
    hits: list[Hit] = [*lexicon_hits(text, min_confidence=settings.gain_floor), *words]
    bounds = _sentence_bounds(text, sents)
    hits += sentence_hits(doc, text, bounds, settings)
    # an article that already shows several sure signs makes the weaker ones likelier
    sure = sum(1 for h in hits if h.confidence >= settings.min_confidence)
    n_words = max(1, len(text.split()))
    charged = (sure >= settings.article_min_hits
               and 1000 * sure / n_words >= settings.article_min_density)
    article_gain = settings.article_gain if charged else 0.0
    hits += repetition_hits((tok for tok, _, c in loaded_tokens(doc, settings)
                             if c >= settings.min_confidence),
                            min_count=settings.repetition_min_count,
                            confidence=settings.repetition_confidence)
    starts = [b[0] for b in bounds]

    def unit_of(offset: int) -> int:
        k = bisect_right(starts, offset) - 1
        return k if k >= 0 and bounds[k][0] <= offset < bounds[k][1] else -1

    # evidence clusters in persuasive writing: a hit is surer when its sentence holds others
    units = [unit_of(h.start) for h in hits]
    evidence: dict[int, set[tuple[int, str]]] = {}
    for hit, unit in zip(hits, units):
        evidence.setdefault(unit, set()).add((hit.start, hit.cue))
    info = taxonomy()
    found: dict[str, list[tuple[int, int, float]]] = {}
    for hit, unit in zip(hits, units):
        others = len(evidence[unit]) - 1 if unit >= 0 else 0
        confidence = hit.confidence
        if confidence >= settings.gain_floor:  # context lifts weak cues, not unlikely ones
            confidence = min(0.95, confidence + article_gain + settings.context_gain * min(
                others, settings.context_max_others))
        if confidence < settings.min_confidence:
            continue
        start, end = hit.start, hit.end
        entry = info.get(hit.technique)
        if entry is not None and entry.scope == "sentence" and unit >= 0:
            start, end = bounds[unit]
        found.setdefault(hit.technique, []).append((start, end, confidence))
    out: list[Technique] = []
    for technique, spans in found.items():
        spans.sort()
        merged: list[tuple[int, int, float]] = []
        for s, e, c in spans:
            if merged and s <= merged[-1][1]:
                ps, pe, pc = merged[-1]
                merged[-1] = (ps, max(pe, e), max(pc, c))
            else:
                merged.append((s, e, c))
        for start, end, c in merged:
            out.append(Technique(start=start, end=end, text=text[start:end],
                                 technique=technique, technique_2020=class_2020(technique),
                                 confidence=round(c, 2)))
    return sorted(out, key=lambda t: (t.start, t.technique))


@register_stage("persuasion", requires=("doc", "text"), provides=("techniques",))
def make_persuasion(config: Config) -> FieldStage:
    settings = config.persuasion
    return FieldStage("techniques", lambda context, analysis: find_techniques(
        context.doc, analysis.text, settings, context.sentences))
