"""Techniques read from the shape of a sentence rather than from its words: questions put to
the reader (Doubt), exclamations and all-capital lines (Slogans, Loaded_Language), either/or
framing (False_Dilemma-No_Choice), superlatives and absolutes (Exaggeration-Minimisation)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from presslens.stages.persuasion.lexicon import Hit

# a short stretch in quotation marks: one to four words, no sentence end inside
_SHORT_QUOTE = re.compile(r"\"([^\"\n.!?]{2,40})\"|“([^“”\n.!?]{2,40})”|‘([^‘’\n.!?]{2,40})’(?!\w)")

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from presslens.config import PersuasionSettings

# degree adverbs that push a claim to its extreme ("utterly false", "totally destroyed");
# quantifiers such as "never" or "everyone" are too often literal in news to count alone
_ABSOLUTES = frozenset({"absolutely", "completely", "totally", "utterly", "nobody"})
_EVER = frozenset({"ever", "history"})


@lru_cache(maxsize=1)
def open_question_words() -> frozenset[str]:
    text = resources.files("presslens").joinpath(
        "data/persuasion_open_questions.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines()
                     if w.strip() and not w.startswith("#"))


def sentence_hits(doc: Doc, text: str, units: list[tuple[int, int]],
                  settings: PersuasionSettings) -> Iterator[Hit]:
    """Hits over sentence units (character spans of sentences cut at line ends)."""
    for start, end in units:
        sent = doc.char_span(start, end, alignment_mode="expand")
        if sent is None:
            continue
        line = text[start:end].rstrip("\"”’' ")
        n_words = sum(1 for t in sent if t.is_alpha)
        if not n_words:
            continue
        if (line.endswith("?") and n_words >= settings.question_min_words
                and next((t.lower_ for t in sent if t.is_alpha), "") not in open_question_words()):
            yield Hit(start, end, "Doubt", settings.question_confidence, "question")
        letters = [c for c in line if c.isalpha()]
        # an all-capital line that says something (a verb, no figures), not a table heading
        shouting = (n_words >= 2 and len(letters) >= 8 and all(c.isupper() for c in letters)
                    and not any(c.isdigit() for c in line)
                    and any(t.pos_ in ("VERB", "AUX") for t in sent))
        if line.endswith("!") or shouting:
            if n_words <= settings.slogan_max_words:
                yield Hit(start, end, "Slogans", settings.slogan_confidence, "exclamation")
            else:
                yield Hit(start, end, "Loaded_Language", settings.exclamation_confidence,
                          "exclamation")
        lowered = [t.lower_ for t in sent]
        if "either" in lowered and "or" in lowered[lowered.index("either") + 2:]:
            yield Hit(start, end, "False_Dilemma-No_Choice", settings.dilemma_confidence,
                      "either-or")
        yield from _exaggerations(sent, settings)
        if _threatens(sent, settings.fear_min_valence):
            yield Hit(start, end, "Appeal_to_Fear-Prejudice", settings.fear_confidence,
                      "threat")
        yield from _scare_quotes(doc, text, start, end, settings)


_FUTURE = frozenset({"will", "could", "would", "may", "might", "'ll", "wo"})


def _threatens(sent: Span, min_valence: float) -> bool:
    """A sentence that predicts harm: a modal of the future or of possibility governing a
    clause that holds a word of strong negative intensity (VADER), e.g. "this will bring
    death and ruin to our towns"."""
    from presslens.stages.persuasion.words import vader_valence

    if not any(t.lower_ in _FUTURE and t.tag_ == "MD" for t in sent):
        return False
    vader = vader_valence()
    return any(vader.get(t.lower_, vader.get(t.lemma_.lower(), 0.0)) <= -min_valence
               for t in sent if t.is_alpha and t.pos_ != "PROPN")


def _scare_quotes(doc: Doc, text: str, start: int, end: int, settings: PersuasionSettings
                  ) -> Iterator[Hit]:
    """Words set in quotation marks inside a sentence of the writer's own, to mock or
    distance ("the 'experts' agree"): short, not a whole quoted statement, and not
    introduced as speech (no colon or comma just before)."""
    for m in _SHORT_QUOTE.finditer(text, start, end):
        inner = m.group(1) or m.group(2) or m.group(3)
        words = inner.split()
        before = text[max(start, m.start() - 2):m.start()].strip()
        if (not 1 <= len(words) <= 4 or m.start() == start or before.endswith((":", ","))
                or inner != inner.strip() or inner.endswith((",", ";"))):
            continue  # speech, or the facing marks of two quotations
        # a quoted noun phrase puts a label on someone or something; other words are loaded
        inner_span = doc.char_span(m.start() + 1, m.end() - 1, alignment_mode="expand")
        label = inner_span is not None and inner_span.root.pos_ in ("NOUN", "PROPN")
        yield Hit(m.start(), m.end(), "Name_Calling-Labeling" if label else "Loaded_Language",
                  settings.scare_quote_confidence, "scare-quote")


def _exaggerations(sent: Span, settings: PersuasionSettings) -> Iterator[Hit]:
    """Superlatives that claim an extreme ("the worst ... ever") and absolutes."""
    for tok in sent:
        if tok.lower_ in _ABSOLUTES and tok.dep_ in ("advmod", "nsubj", "dobj", "neg"):
            head = tok.head
            lo, hi = min(tok.i, head.i), max(tok.i, head.i)
            if hi - lo <= 3:
                yield Hit(sent.doc[lo].idx, sent.doc[hi].idx + len(sent.doc[hi]),
                          "Exaggeration-Minimisation", settings.exaggeration_confidence,
                          "absolute")
        elif tok.tag_ in ("JJS", "RBS") and any(t.lower_ in _EVER for t in sent):
            head = tok.head if tok.head.i > tok.i and tok.head.i - tok.i <= 3 else tok
            yield Hit(tok.idx, head.idx + len(head), "Exaggeration-Minimisation",
                      settings.exaggeration_confidence, "superlative")
