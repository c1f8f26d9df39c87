"""Loaders for the word lists and tables in ``data/`` (each read once per process)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from presslens.errors import ConfigError

# The standard library's regex parser (Python >= 3.11), used to find a pattern's literal core.
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")


def iter_tsv(lines: Iterable[str], *, source: str, strict: bool = False
             ) -> Iterator[dict[str, str]]:
    """Rows of our TSV data files as dicts: ``#`` lines are comments, the first other line
    names the columns. ``strict`` refuses rows with the wrong number of fields (else short
    rows are padded with empty strings)."""
    header: list[str] | None = None
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header) and (strict or len(cells) > len(header)):
            raise ConfigError(f"{source}:{n}: {len(cells)} fields, expected {len(header)}")
        yield dict(zip(header, cells + [""] * (len(header) - len(cells))))


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of a packaged data file (``data/NAME``)."""
    text = resources.files("presslens").joinpath(f"data/{name}").read_text("utf-8")
    return list(iter_tsv(text.splitlines(), source=name))


def _words(name: str) -> frozenset[str]:
    text = resources.files("presslens").joinpath(f"data/{name}").read_text("utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines()
                     if w.strip() and not w.startswith("#"))


def _leading_run(items: Any) -> str:
    run = ""
    for op, arg in items:
        if op is not _constants.LITERAL:
            break
        run += chr(arg).lower()
    return run


def required_literals(pattern: str) -> tuple[str, ...]:
    """Plain strings (lower case) of which every match of ``pattern`` contains at least one,
    or () when no such set is found. A caller can skip the regex when the text contains
    none of them: a literal run of the pattern, or the openings of the branches of a group
    ("(?:barbaric|savage)" gives ("barbaric", "savage"))."""
    try:
        parsed = _parser.parse(pattern, re.I)
    except re.error:
        return ()
    options: list[tuple[str, ...]] = []
    run = ""
    for op, arg in parsed:
        if op is _constants.LITERAL:
            run += chr(arg).lower()
            continue
        if run:
            options.append((run,))
            run = ""
        inner = list(arg[-1]) if op is _constants.SUBPATTERN else [(op, arg)]
        if len(inner) == 1 and inner[0][0] is _constants.BRANCH:  # (?:a|b) or (a|b)
            heads = tuple(_leading_run(branch) for branch in inner[0][1][1])
            if all(len(h) >= 3 for h in heads):
                options.append(heads)
        elif op is _constants.SUBPATTERN:
            head = _leading_run(inner)
            if len(head) >= 3:
                options.append((head,))
    if run:
        options.append((run,))
    usable = [o for o in options if min(len(x) for x in o) >= 3]
    return max(usable, key=lambda o: min(len(x) for x in o), default=())


def split_bar(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


@lru_cache(maxsize=1)
def role_words() -> dict[str, str]:
    """Lower-case role word (possibly several words) -> role key ('' for bare honorifics)."""
    return {r["word"]: r["role"] for r in read_rows("role_words.tsv")}


@lru_cache(maxsize=1)
def group_nouns() -> dict[str, str]:
    return {r["noun"]: r["kind"] for r in read_rows("group_nouns.tsv")}


@lru_cache(maxsize=1)
def government_nouns() -> dict[str, str]:
    return {r["country"]: r["noun"] for r in read_rows("government_nouns.tsv")}


@lru_cache(maxsize=1)
def source_nouns() -> dict[str, str]:
    return {r["noun"]: r["specificity"] for r in read_rows("source_nouns.tsv")}


@lru_cache(maxsize=1)
def claim_markers() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(whole-word pattern, 'opinion' or 'prediction') for each marker."""
    return tuple((re.compile(r"\b" + re.escape(r["marker"]) + r"\b", re.I), r["kind"])
                 for r in read_rows("claim_markers.tsv"))


@lru_cache(maxsize=1)
def organisation_nouns() -> frozenset[str]:
    return _words("organisation_nouns.txt")


@lru_cache(maxsize=1)
def plover_lexicon() -> dict[tuple[str, str], str]:
    """(lemma, 'verb' or 'noun') -> PLOVER event type."""
    return {(r["lemma"], r["kind"]): r["type"] for r in read_rows("plover_verbs.tsv")}


@lru_cache(maxsize=1)
def stance_cues() -> dict[str, str]:
    return {r["cue"]: r["polarity"] for r in read_rows("stance_cues.tsv")}


@lru_cache(maxsize=1)
def condition_markers() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r"\b" + re.escape(w) + r"\b", re.I)
                 for w in _words("condition_markers.txt"))


@lru_cache(maxsize=1)
def issue_synonyms() -> dict[str, str]:
    return {r["lemma"]: r["issue"] for r in read_rows("issue_synonyms.tsv")}


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return _words("speech_verbs.txt")


@lru_cache(maxsize=1)
def given_name_genders() -> dict[str, str]:
    """Lower-case given name -> 'm' or 'f' (ambiguous names are not listed)."""
    return {r["name"]: r["gender"] for r in read_rows("given_names.tsv")}


@lru_cache(maxsize=1)
def pronoun_genders() -> dict[str, str]:
    return {r["pronoun"]: r["gender"] for r in read_rows("pronouns.tsv")}


@dataclass(frozen=True)
class Country:
    name: str
    adjectives: tuple[str, ...]
    people: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def adjective(self) -> str:
        return self.adjectives[0] if self.adjectives else self.name


@dataclass(frozen=True)
class Countries:
    by_name: dict[str, Country]
    by_word: dict[str, Country]  # name, alias, adjective or people noun -> country

    def lookup(self, word: str) -> Country | None:
        return self.by_word.get(word.lower().removeprefix("the ").strip())

    def split_prefix(self, phrase: str) -> tuple[Country, str] | None:
        """'Uzbek army' -> (Uzbekistan, 'army'): the longest leading country word."""
        words = phrase.split()
        for n in range(len(words) - 1, 0, -1):
            c = self.lookup(" ".join(words[:n]))
            if c is not None:
                return c, " ".join(words[n:])
        return None


@lru_cache(maxsize=1)
def countries() -> Countries:
    by_name: dict[str, Country] = {}
    by_word: dict[str, Country] = {}
    for r in read_rows("countries.tsv"):
        c = Country(r["name"], tuple(split_bar(r.get("adjectives", ""))),
                    tuple(split_bar(r.get("people", ""))), tuple(split_bar(r.get("aliases", ""))))
        by_name[c.name] = c
    # Names and aliases first, then adjectives and people nouns, so a word that is both a
    # country's alias and another's adjective keeps the name reading.
    for c in by_name.values():
        for w in (c.name, *c.aliases):
            by_word.setdefault(w.lower(), c)
    for c in by_name.values():
        for w in (*c.adjectives, *c.people):
            by_word.setdefault(w.lower(), c)
    return Countries(by_name, by_word)


@dataclass(frozen=True)
class Collision:
    language: str
    abbreviation: str
    countries: tuple[str, ...]
    note: str


@lru_cache(maxsize=1)
def abbreviation_collisions() -> tuple[Collision, ...]:
    return tuple(Collision(r["language"], r["abbreviation"], tuple(split_bar(r["countries"])),
                           r.get("note", "")) for r in read_rows("abbreviation_collisions.tsv"))


@dataclass(frozen=True)
class Idiom:
    language: str
    pattern: re.Pattern[str]
    meaning: str
    source_phrase: str
    anchors: tuple[str, ...] = ()  # a match contains one of these (``required_literals``)


@lru_cache(maxsize=1)
def literal_idioms() -> tuple[Idiom, ...]:
    out = []
    for r in read_rows("literal_idioms.tsv"):
        out.append(Idiom(r["language"], re.compile(r"\b(?:" + r["pattern"] + r")\b", re.I),
                         r["meaning"], r.get("source_phrase", ""),
                         required_literals(r["pattern"])))
    return tuple(out)
