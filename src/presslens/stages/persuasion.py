"""Persuasion stage: how the article persuades. Needs the text; adds ``techniques``.

Spans are labelled with the SemEval-2023 Task 3 taxonomy from a lexicon of signalling
phrases (``data/persuasion_lexicon.tsv``: technique, pattern, confidence), written to favour
precision: a highlight that is usually wrong is worse than none. Matches below the
configured confidence are dropped; overlapping matches of one technique are merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.config import Config
from presslens.language.lexicons import read_rows, required_literals
from presslens.model import Technique
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Cue:
    technique: str
    pattern: re.Pattern[str]
    confidence: float
    anchors: tuple[str, ...] = ()  # a match contains one of these


@lru_cache(maxsize=1)
def persuasion_cues() -> tuple[Cue, ...]:
    return tuple(Cue(r["technique"], re.compile(r["pattern"], re.I), float(r["confidence"]),
                     required_literals(r["pattern"]))
                 for r in read_rows("persuasion_lexicon.tsv"))


def find_techniques(text: str, *, min_confidence: float) -> list[Technique]:
    found: dict[str, list[tuple[int, int, float]]] = {}
    lowered = text.lower()
    for cue in persuasion_cues():
        if cue.confidence < min_confidence or (
                cue.anchors and not any(a in lowered for a in cue.anchors)):
            continue
        for m in cue.pattern.finditer(text):
            if m.end() > m.start():
                found.setdefault(cue.technique, []).append((m.start(), m.end(), cue.confidence))
    out = []
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
                                 technique=technique, confidence=round(c, 2)))
    return sorted(out, key=lambda t: (t.start, t.technique))


@register_stage("persuasion", requires=("text",), provides=("techniques",))
def make_persuasion(config: Config) -> FieldStage:
    min_confidence = config.persuasion.min_confidence
    return FieldStage("techniques", lambda context, analysis: find_techniques(
        analysis.text, min_confidence=min_confidence))
