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


_MIN_LITERAL = 3  # shorter strings occur in almost any text: no use for skipping a regex


def required_literals(pattern: str) -> tuple[str, ...]:
    """Plain strings (lower case) of which every match of ``pattern`` contains at least one,
    or () when no such set is found. A caller can skip the regex when the text contains
    none of them: a literal run of the pattern, or one run from every branch of a group
    ("(?:barbaric|savage)" gives ("barbaric", "savage")), inside groups and repeats too."""
    try:
        parsed = _parser.parse(pattern, re.I)
    except re.error:
        return ()
    return _most_selective(_required(list(parsed)))


def _most_selective(options: list[tuple[str, ...]]) -> tuple[str, ...]:
    usable = [o for o in options if min(len(x) for x in o) >= _MIN_LITERAL]
    return max(usable, key=lambda o: min(len(x) for x in o), default=())


def _required(items: list[Any]) -> list[tuple[str, ...]]:
    """Sets of strings each of which holds one string that every match of the parsed
    sequence ``items`` contains: its literal runs, and what its groups, its branches (one
    set from each) and its repeats of at least once require."""
    options: list[tuple[str, ...]] = []
    run = ""
    for op, arg in items:
        if op is _constants.LITERAL:
            run += chr(arg).lower()
            continue
        if run:
            options.append((run,))
            run = ""
        if op is _constants.SUBPATTERN:
            options += _required(list(arg[-1]))
        elif op is _constants.BRANCH:
            each = [_most_selective(_required(list(branch))) for branch in arg[1]]
            if all(each):
                options.append(tuple(dict.fromkeys(x for o in each for x in o)))
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and arg[0] >= 1:
            options += _required(list(arg[2]))
        # anything else (a class, any character, an anchor, a look-around, an optional
        # part) ends the run and requires nothing
    if run:
        options.append((run,))
    return options


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
def attribution_adjectives() -> frozenset[str]:
    return _words("attribution_adjectives.txt")


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    """Particles before a surname ("al", "van", "bin"): not given names."""
    return frozenset(r["particle"] for r in read_rows("name_particles.tsv"))


@lru_cache(maxsize=1)
def title_nouns() -> frozenset[str]:
    return _words("title_nouns.txt")


@lru_cache(maxsize=1)
def section_labels() -> frozenset[str]:
    return _words("section_labels.txt")


@lru_cache(maxsize=1)
def light_verbs() -> frozenset[str]:
    """Verbs whose subject holds the claim of their reporting-noun object ("made a
    decision to")."""
    return _words("light_verbs.txt")


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
        """'Ugandan army' -> (Uganda, 'army'): the longest leading country word."""
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
