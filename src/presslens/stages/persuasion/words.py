"""Emotive and labelling words on the parse: Loaded_Language, Name_Calling-Labeling and
Guilt_by_Association from single words, with the intensifier or the noun they belong to.

Two sources: our list of loaded words and labels (``data/persuasion_loaded_words.tsv``), and
VADER's sentiment lexicon, read at run time from the installed ``vaderSentiment`` package
(MIT), whose intensity (-4 to +4) ranks adjectives, adverbs and verbs the list lacks. Words
that news reporting uses plainly (``data/persuasion_neutral_words.txt``) are not taken from
VADER. Names and words inside named entities are never loaded words.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from presslens.errors import ConfigError
from presslens.language.lexicons import read_rows
from presslens.stages.persuasion.lexicon import Hit

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from presslens.config import PersuasionSettings

_VADER_POS = frozenset({"ADJ", "ADV", "VERB"})
_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT",
                           "WORK_OF_ART", "LAW", "PRODUCT"})
_PEOPLE_TYPES = frozenset({"PERSON", "NORP", "ORG"})


@lru_cache(maxsize=1)
def vader_valence() -> dict[str, float]:
    """VADER's word -> mean valence (alphabetic entries only; emoticons are skipped)."""
    try:
        raw = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_bytes()
        text = raw.decode("utf-8", errors="replace")
    except ModuleNotFoundError:
        raise ConfigError("the persuasion stage needs the vaderSentiment package "
                          "(pip install vaderSentiment)") from None
    out: dict[str, float] = {}
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and cells[0].replace("-", "").isalpha() and len(cells[0]) > 2:
            out[cells[0].lower()] = float(cells[1])
    return out


@lru_cache(maxsize=1)
def loaded_words() -> dict[str, tuple[str, float]]:
    """Our loaded words and labels: word -> (technique, confidence)."""
    return {r["word"].lower(): (r["technique"], float(r["confidence"]))
            for r in read_rows("persuasion_loaded_words.tsv")}


@lru_cache(maxsize=1)
def neutral_words() -> frozenset[str]:
    text = resources.files("presslens").joinpath(
        "data/persuasion_neutral_words.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines()
                     if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def intensifiers() -> frozenset[str]:
    text = resources.files("presslens").joinpath(
        "data/persuasion_intensifiers.txt").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines()
                     if w.strip() and not w.startswith("#"))


def _word_entry(tok: Token, settings: PersuasionSettings) -> tuple[str, float] | None:
    """(technique, confidence) for one token, or None."""
    if tok.ent_type_ in _ENTITY_TYPES or tok.pos_ == "PROPN" or not tok.is_alpha:
        return None
    low, lemma = tok.lower_, tok.lemma_.lower()
    listed = loaded_words().get(low) or loaded_words().get(lemma)
    if listed is not None:
        return listed
    if tok.pos_ not in _VADER_POS:
        return None
    neutral = neutral_words()
    if low in neutral or lemma in neutral:
        return None
    vader = vader_valence()
    valence = vader.get(low, vader.get(lemma, 0.0))
    if abs(valence) < settings.vader_min_valence:
        return None
    confidence = settings.vader_base_confidence + settings.vader_valence_gain * (
        abs(valence) - settings.vader_min_valence)
    return "Loaded_Language", min(0.9, confidence)


def _span_of(tok: Token) -> tuple[int, int]:
    """Token indices [start, end) of a loaded word with the intensifiers just before it."""
    start = tok.i
    doc = tok.doc
    while start > 0 and doc[start - 1].lower_ in intensifiers() and doc[start - 1].head.i in (
            tok.i, start):
        start -= 1
    return start, tok.i + 1


def loaded_tokens(doc: Doc, settings: PersuasionSettings) -> Iterator[tuple[Token, str, float]]:
    """Each loaded word or label of the parse with its technique and confidence."""
    for tok in doc:
        entry = _word_entry(tok, settings)
        if entry is not None:
            yield tok, entry[0], entry[1]


def word_hits(doc: Doc, settings: PersuasionSettings) -> Iterator[Hit]:
    """Loaded words, labels and guilt-by-association names in the parse, each with the
    intensifier before it and the noun it colours or the name it labels."""
    for tok, technique, confidence in loaded_tokens(doc, settings):
        start, end = _span_of(tok)
        head = tok.head
        if (tok.dep_ == "amod" and head.i == tok.i + 1 and head.ent_type_ in _PEOPLE_TYPES):
            # a loaded adjective fixed to a name is a label ("crooked" + a name)
            technique, end = "Name_Calling-Labeling", head.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
        elif (tok.dep_ == "amod" and head.pos_ == "NOUN" and 0 < head.i - tok.i <= 2
              and all(t.is_alpha for t in doc[tok.i + 1:head.i + 1])):
            end = head.i + 1  # the charge is in the phrase: "brutal" + the noun it colours
        yield Hit(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), technique,
                  confidence, "word")
