"""Signalling phrases (``data/persuasion_lexicon.tsv``: technique, pattern, confidence),
matched on the raw text, written to favour precision: a highlight that is usually wrong is
worse than none. Each match is a ``Hit``; the stage decides its final span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from presslens.language.lexicons import read_rows, required_literals


class Hit(NamedTuple):
    """One piece of evidence for a technique: a span of the text and how sure we are."""

    start: int
    end: int
    technique: str
    confidence: float
    cue: str


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


def lexicon_hits(text: str, *, min_confidence: float) -> list[Hit]:
    """Every match of a lexicon pattern at or above ``min_confidence``."""
    hits: list[Hit] = []
    lowered = text.lower()
    for cue in persuasion_cues():
        if cue.confidence < min_confidence or (
                cue.anchors and not any(a in lowered for a in cue.anchors)):
            continue
        for m in cue.pattern.finditer(text):
            if m.end() > m.start():
                hits.append(Hit(m.start(), m.end(), cue.technique, cue.confidence, "lexicon"))
    return hits
