"""Repetition: charged words the article says again. A loaded word or label (from
``words``) that recurs, in any inflection, is marked at each later occurrence."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from presslens.stages.persuasion.lexicon import Hit

if TYPE_CHECKING:
    from spacy.tokens import Token


def repetition_hits(tokens: Iterable[Token], *, min_count: int, confidence: float
                    ) -> Iterator[Hit]:
    """Later occurrences of a loaded word whose lemma occurs ``min_count`` times or more."""
    seen: dict[str, list[Token]] = {}
    for tok in tokens:
        seen.setdefault(tok.lemma_.lower(), []).append(tok)
    for occurrences in seen.values():
        if len(occurrences) >= min_count:
            for tok in occurrences[1:]:
                yield Hit(tok.idx, tok.idx + len(tok), "Repetition", confidence, "repetition")
