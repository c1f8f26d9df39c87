"""The technique taxonomy (``data/persuasion_techniques.tsv``): each SemEval-2023 technique
with its SemEval-2020 class, a one-line explanation for readers and the scope a highlight
of it covers (the signalling phrase, or the sentence that holds it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from presslens.language.lexicons import read_rows

Scope = Literal["phrase", "sentence"]


@dataclass(frozen=True)
class TechniqueInfo:
    name: str
    class_2020: str | None
    explanation: str
    scope: Scope


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, TechniqueInfo]:
    """Technique name -> its entry, in file order."""
    out: dict[str, TechniqueInfo] = {}
    for row in read_rows("persuasion_techniques.tsv"):
        scope: Scope = "sentence" if row["scope"] == "sentence" else "phrase"
        out[row["technique"]] = TechniqueInfo(
            row["technique"], None if row["class_2020"] == "-" else row["class_2020"],
            row["explanation"], scope)
    return out


def class_2020(technique: str) -> str | None:
    """The SemEval-2020 class of a technique, or None where 2020 had none."""
    info = taxonomy().get(technique)
    return info.class_2020 if info else None


def explanation(technique: str) -> str:
    info = taxonomy().get(technique)
    return info.explanation if info else ""
