"""Mistranslation detectors. Each is general (no article-specific words) and pure.

* misread abbreviation: a country or demonym that conflicts with what the article is about,
  where a known abbreviation collision explains it (``data/abbreviation_collisions.tsv``:
  Chinese 乌 stands for Ukraine and begins Uruguay, so 乌军 may come out "Uruguayan army"),
  and an institution whose deeds fit another reading of its abbreviation (Russian ВС is
  the armed forces and the Supreme Court: "the Armed Forces satisfied the claim"); only
  rows of the article's likely source language count;
* place as speaker: a place name in a speaker slot ("X said") that sounds like a person of
  the article: a transliterated short name read as a place;
* variant spelling: a name that is not a known spelling of the entity it resolved to;
* literal idiom: a set phrase translated word for word (``data/literal_idioms.tsv``).

A flag needs a garbled word, not just an unusual one: a known KB alias, the entity's own
name or a part of it, a word formed from a name ("pro-Clinton", "Clintons") and a second
person sharing a surname ("Heidi Cruz" beside Ted Cruz) are not variant spellings, and an
organisation name that is a regular compound ("Ohio Democratic Party") or too short to tell
("Penn State") is not a garbled one. And flags need evidence that the article is a
translation at all (``translation_evidence``): the findings themselves, a declared source
language, letters or punctuation of another script. Native English news, where every
detector's rare hit is a false alarm, gets no flags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.config import FlagsSettings
from presslens.language.lexicons import (
    Collision,
    Idiom,
    abbreviation_collisions,
    countries,
    given_name_genders,
    literal_idioms,
    name_particles,
    read_rows,
    role_words,
    split_bar,
)
from presslens.language.names import common_prefix, fold, name_similarity, word_similarity
from presslens.model import PLACE_LABELS
from presslens.stages.entities.linking import Link
from presslens.stages.entities.mentions import MentionCandidate
from presslens.stages.entities.resolve import Cluster, given_names_agree, name_words

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    kind: str
    suggestion: str | None
    confidence: float
    mention: int | None = None  # index of the mention the flag concerns
    reason: str = ""


@dataclass(frozen=True)
class CountryReferences:
    """How an article refers to each country: by naming it or a place in it, and by a
    demonym or one of its institutions ("Ukrainian", "Russian troops")."""

    named: Counter[str]
    adjectival: Counter[str]

    @property
    def total(self) -> Counter[str]:
        return self.named + self.adjectival


def country_references(mentions: list[MentionCandidate],
                       place_country: Callable[[MentionCandidate], str | None]
                       ) -> CountryReferences:
    table = countries()
    named: Counter[str] = Counter()
    adjectival: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "group" and m.country:
            adjectival[m.country] += 1
        elif m.kind == "name" and m.label == "NORP":
            c = table.lookup(m.text)
            if c is not None:
                adjectival[c.name] += 1
        elif m.kind == "name" and m.label in PLACE_LABELS:
            c = table.lookup(m.text)
            country = c.name if c is not None else place_country(m)
            if country:
                named[country] += 1
    return CountryReferences(named, adjectival)


# -- misread abbreviations ---------------------------------------------------------------------

@dataclass(frozen=True)
class LanguageCue:
    signal: str  # script | declared | country
    value: str
    pattern: re.Pattern[str] | None  # script and declared cues
    languages: tuple[str, ...]


@lru_cache(maxsize=1)
def source_language_cues() -> tuple[LanguageCue, ...]:
    out = []
    for r in read_rows("source_language_cues.tsv"):
        pattern = None if r["signal"] == "country" else re.compile(
            r["value"], re.I if r["signal"] == "declared" else 0)
        out.append(LanguageCue(r["signal"], r["value"], pattern,
                               tuple(split_bar(r["languages"]))))
    return tuple(out)


def _idiom_matches(idiom: Idiom, text: str, lowered: str) -> Iterator[re.Match[str]]:
    if idiom.anchors and not any(a in lowered for a in idiom.anchors):
        return  # cannot match: skip the regex
    yield from idiom.pattern.finditer(text)


@dataclass(frozen=True)
class IdiomMatch:
    """A set phrase of another language rendered word for word in the text."""

    idiom: Idiom
    start: int
    end: int
    text: str


def idiom_matches(text: str) -> list[IdiomMatch]:
    """The set phrases ``text`` renders word for word (``data/literal_idioms.tsv``), found
    once per article for both the flags and the guess of the source language."""
    lowered = text.lower()
    return [IdiomMatch(idiom, m.start(), m.end(), m.group(0)) for idiom in literal_idioms()
            for m in _idiom_matches(idiom, text, lowered)]


def rendered_idiom_languages(matches: Iterable[IdiomMatch]) -> frozenset[str]:
    """The source languages of the set phrases an article renders word for word."""
    return frozenset(m.idiom.language for m in matches)


def likely_source_languages(text: str, subjects: Iterable[str], *,
                            idioms: Iterable[str] = ()) -> frozenset[str]:
    """The languages an English article was likely translated from: a script or a declared
    source language in its text, the press language of a country it is about (``subjects``)
    and the languages of the set phrases it renders word for word (``idioms``). Empty for
    an article with none of these (native English news about English-speaking countries)."""
    out = set(idioms)
    about = set(subjects)
    for cue in source_language_cues():
        if cue.pattern is None and cue.value in about or \
                cue.pattern is not None and cue.pattern.search(text):
            out.update(cue.languages)
    return frozenset(out)


@dataclass(frozen=True)
class Reading:
    """One reading of an abbreviation of ``abbreviation_collisions.tsv``: what kind of thing
    it is (a country or a kind of institution) and how a translation writes it."""

    language: str
    abbreviation: str
    name: str
    kind: str
    forms: tuple[str, ...]


@lru_cache(maxsize=1)
def abbreviation_readings() -> tuple[Reading, ...]:
    return tuple(Reading(r["language"], r["abbreviation"], r["reading"], r["kind"],
                         tuple(split_bar(r["forms"])))
                 for r in read_rows("abbreviation_readings.tsv"))


@lru_cache(maxsize=1)
def bilateral_frame_words() -> dict[str, frozenset[str]]:
    """Frame words by position: "prefix" ("Sino-") and "suffix" ("side")."""
    out: dict[str, set[str]] = {}
    for r in read_rows("bilateral_frames.tsv"):
        out.setdefault(r["position"], set()).add(r["word"].lower())
    return {k: frozenset(v) for k, v in out.items()}


_NAME_RUN = r"[A-Z][\w'’.]*(?:\s[A-Z][\w'’.]*)*"
_BEFORE_HYPHEN = re.compile(rf"({_NAME_RUN}|\b[a-z]+)\s?[-–]\s?$")
_AFTER_HYPHEN = re.compile(rf"\s?[-–]\s?({_NAME_RUN})")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


def bilateral_partner(text: str, start: int, end: int) -> str | None:
    """The country word at ``text[start:end]`` as one side of a pair of countries: the
    other country when hyphened to one ("China-Austria", "Pakistani-Israeli"), "" when
    hyphened to a frame prefix ("Sino-") or followed by a frame word ("the Austrian
    side"); None when it is in no such frame."""
    table = countries()
    frames = bilateral_frame_words()
    before = _BEFORE_HYPHEN.search(text[max(0, start - 60):start])
    if before is not None:
        run = before.group(1).split()
        for n in range(len(run)):
            tail = " ".join(run[n:])
            c = table.lookup(tail)
            if c is not None:
                return c.name
            if tail.lower() in frames.get("prefix", ()):
                return ""
    after = _AFTER_HYPHEN.match(text, end)
    if after is not None:
        run = after.group(1).split()
        for n in range(len(run), 0, -1):
            c = table.lookup(" ".join(run[:n]))
            if c is not None:
                return c.name
    following = _NEXT_WORD.match(text, end)
    if following is not None and following.group(1).lower() in frames.get("suffix", ()):
        return ""
    return None


@dataclass(frozen=True)
class CountryOccurrence:
    """A country's name, alias, adjective or people noun in the text."""

    start: int
    end: int
    text: str
    country: str
    adjectival: bool
    suspect: bool  # in a bilateral frame, or an abbreviation's expansion ("Republic of Korea")
    partners: frozenset[str] = frozenset()  # the other countries of its frame, where named


@lru_cache(maxsize=8)
def _words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Any of ``words`` as whole words, longest first, case-sensitive."""
    return re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + r")(?!\w)")


def _country_words(names: Iterable[str]) -> dict[str, tuple[str, bool]]:
    """Each written word of the countries ``names`` -> (country, adjectival)."""
    table = countries()
    out: dict[str, tuple[str, bool]] = {}
    for name in sorted(set(names)):
        c = table.by_name.get(name)
        if c is None:
            continue
        for w in (c.name, *c.aliases):
            out.setdefault(w, (name, False))
        for w in (*c.adjectives, *c.people):
            out.setdefault(w, (name, True))
    return out


@lru_cache(maxsize=1)
def _all_country_words() -> dict[str, tuple[str, bool]]:
    return _country_words(countries().by_name)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``, roughly: from the last full stop or line
    break before it to the next one."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return left, min(stops, default=len(text))


def country_occurrences(text: str, rows: Sequence[Collision],
                        forms: dict[str, str]) -> list[CountryOccurrence]:
    """Where the text writes a country of the collision ``rows``; ``forms``: the rows'
    expansions written otherwise than the country's name ("Republic of Kazakhstan") ->
    country. A form is always suspect; a name or adjective is when it stands in a
    bilateral frame: a hyphened pair or frame word (``bilateral_partner``), or a sentence
    that speaks of "the two countries" (a frame phrase of ``bilateral_frames.tsv``), whose
    other countries are its partners."""
    every = {**{w: (c, False) for w, c in forms.items()},
             **_country_words(c for col in rows for c in col.countries)}
    if not every:
        return []
    phrases = bilateral_frame_words().get("sentence", frozenset())
    named = _all_country_words()
    out = []
    for m in _words_pattern(frozenset(every)).finditer(text):
        country, adjectival = every[m.group(0)]
        partner = bilateral_partner(text, m.start(), m.end())
        partners = frozenset({partner} if partner else ())
        suspect = m.group(0) in forms or partner is not None
        if not suspect and phrases:
            left, right = _sentence_bounds(text, m.start(), m.end())
            sentence = text[left:right]
            if any(re.search(rf"\b{re.escape(p)}\b", sentence, re.I) for p in phrases):
                suspect = True
                partners = frozenset(
                    named[w.group(0)][0] for w in _words_pattern(frozenset(named)).finditer(
                        sentence)) - {country}
        out.append(CountryOccurrence(m.start(), m.end(), m.group(0), country, adjectival,
                                     suspect, partners))
    return out


@dataclass(frozen=True)
class SubjectBars:
    """When a country ``X`` of an abbreviation row is a misreading of the article's subject
    ``Y`` of the same row: ``Y`` has at least ``share`` of the country references and at
    least ``least`` references, and either ``X`` is named only in bilateral frames or as an
    expansion (at most ``max_named`` times elsewhere, ``Y`` outweighing its other references
    ``ratio``-fold), or ``X`` is hardly mentioned at all (``ratio``-fold outweighed and named
    at most ``max_named`` times, or never named and ``unnamed_ratio``-fold outweighed)."""

    share: float
    max_named: int = 0
    ratio: float = 4.0
    unnamed_ratio: float = 2.0
    least: int = 3


def _country_of(m: MentionCandidate) -> str | None:
    """The country a name or group mention refers to as a country or its people."""
    if m.kind == "group" and m.country:
        return m.country
    if m.kind == "name" and (m.label == "NORP" or m.label in PLACE_LABELS):
        c = countries().lookup(m.text)
        return c.name if c is not None else None
    return None


def misread_abbreviations(text: str, mentions: Sequence[MentionCandidate],
                          refs: CountryReferences, *, languages: Iterable[str],
                          bars: SubjectBars, others: Counter[str] | None = None
                          ) -> Iterator[tuple[str, Finding]]:
    """(intended country, finding) for each country word that a known abbreviation
    collision of the article's likely source language (``languages``) explains better as
    the article's subject. ``refs`` and ``others`` (the countries of the people and
    organisations the KB knows) count the references to each country; ``bars`` say when a
    country is the subject and when another is barely there (see ``SubjectBars``)."""
    langs = frozenset(languages)
    table = countries()
    rows = [c for c in abbreviation_collisions() if c.language in langs and
            sum(1 for x in c.countries if x in table.by_name) > 1]
    if not rows:
        return
    counts = refs.total + (others or Counter())
    forms = {f: r.name for r in abbreviation_readings() if r.language in langs and
             r.kind == "country" for f in r.forms}
    occurrences = country_occurrences(text, rows, forms)
    owner: dict[CountryOccurrence, int] = {}  # occurrence -> the country mention it lies in
    for i, m in enumerate(mentions):
        country = _country_of(m)
        for o in occurrences:
            if o.country == country and m.start <= o.start and o.end <= m.end:
                owner[o] = i
    total = sum(counts.values())
    for country in dict.fromkeys(o.country for o in occurrences):
        mine = [o for o in occurrences if o.country == country]
        suspects = [o for o in mine if o.suspect]
        counted = [o for o in suspects if o in owner]
        named_counted = sum(1 for o in counted if mentions[owner[o]].label in PLACE_LABELS)
        seen, named = counts.get(country, 0), refs.named.get(country, 0)
        plain, plain_named = max(0, seen - len(counted)), max(0, named - named_counted)
        best: tuple[float, str, str, bool] | None = None
        for col in rows:
            if country not in col.countries:
                continue
            for other in col.countries:
                subject = counts.get(other, 0)
                share = subject / max(1, total - len(counted))
                if other == country or other not in table.by_name or share < bars.share \
                        or subject < bars.least:
                    continue
                # a pair with the subject itself ("China-Central African Republic" in an
                # article about China) is no misreading of the subject
                framed = any(other not in o.partners for o in suspects) and \
                    plain_named <= bars.max_named and subject >= bars.ratio * plain
                hardly = (subject >= bars.ratio * seen and named <= bars.max_named) or (
                    named == 0 and subject >= bars.unnamed_ratio * seen)
                if (framed or hardly) and (best is None or share > best[0]):
                    best = (share, other, f"{col.language} '{col.abbreviation}'", hardly)
        if best is None:
            continue
        share, other, via, hardly = best
        flagged = [(o.start, o.end, o.text, owner.get(o)) for o in suspects
                   if other not in o.partners]
        if hardly:  # barely there: every adjective or group of it is the misreading
            flagged += [(g.start, g.end, g.text, i) for i, g in enumerate(mentions)
                        if _country_of(g) == country and (g.kind == "group" or
                                                          g.label == "NORP")]
        confidence = round(min(0.95, 0.55 + share * 0.6), 2)
        how = "barely mentioned" if hardly else \
            "named only as one of a pair of countries or as an expansion"
        why = (f"{country} is {how} while the article is about {other}; the abbreviation "
               f"{via} stands for both")
        done: set[tuple[int, int]] = set()
        for start, end, surface, index in sorted(flagged, key=lambda f: f[:2]):
            group = mentions[index] if index is not None else None
            if group is not None and group.kind == "group":
                start, end, surface = group.start, group.end, group.text
            if (start, end) in done:
                continue
            done.add((start, end))
            yield other, Finding(start, end, surface, "misread-abbreviation",
                                 _suggestion(surface, country, other, langs), confidence,
                                 index, why)


def _suggestion(surface: str, wrong: str, intended: str, languages: frozenset[str]) -> str:
    """``surface`` (a word of country ``wrong``) written for country ``intended``: name for
    name, adjective for adjective ("Uruguayan army" -> "Ukrainian army"), expansion for
    expansion ("Republic of Korea" -> "Republic of Kazakhstan")."""
    table = countries()
    target = table.by_name[intended]
    for r in abbreviation_readings():
        if r.language in languages and r.name == wrong and surface in r.forms:
            return next((f for o in abbreviation_readings() if o.language == r.language
                         and o.abbreviation == r.abbreviation and o.name == intended
                         for f in o.forms[:1]), target.name)
    split = table.split_prefix(surface)
    if split is not None and split[1]:
        return f"{target.adjective} {split[1]}"
    c = table.lookup(surface)
    if c is not None and surface.lower() not in (w.lower() for w in (c.name, *c.aliases)):
        return target.adjective
    return target.name


# -- misread institutional abbreviations -------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    """A sentence as the institution reader needs it: its character bounds and its words'
    lower-case lemmas with the offset where each word starts."""

    start: int
    end: int
    lemmas: tuple[str, ...]
    offsets: tuple[int, ...]


Cue = tuple[tuple[str, ...], ...]  # runs of lemmas that must all be in a sentence


@lru_cache(maxsize=1)
def institution_cues() -> dict[str, tuple[Cue, ...]]:
    out: dict[str, list[Cue]] = {}
    for r in read_rows("institution_cues.tsv"):
        cue = tuple(tuple(part.split()) for part in r["cue"].lower().split("+") if part.strip())
        out.setdefault(r["kind"], []).append(cue)
    return {k: tuple(v) for k, v in out.items()}


def _has_run(lemmas: Sequence[str], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(tuple(lemmas[i:i + n]) == run for i in range(len(lemmas) - n + 1))


def cues_in(kind: str, lemmas: Sequence[str]) -> set[Cue]:
    """The cues of an institution ``kind`` that the ``lemmas`` hold."""
    return {cue for cue in institution_cues().get(kind, ())
            if all(_has_run(lemmas, run) for run in cue)}


def cue_hits(kind: str, lemmas: Sequence[str]) -> int:
    """How many distinct cues of an institution ``kind`` the ``lemmas`` hold."""
    return len(cues_in(kind, lemmas))


@dataclass(frozen=True)
class InstitutionBars:
    """How a reading is chosen: cue hits in the phrase's sentence count 1 each, in the
    words governing the phrase ``governor`` more, each distinct cue elsewhere in the
    article ``article``; another reading must outscore the written one by ``margin``."""

    governor: float
    article: float
    margin: float
    confidence: float


@dataclass(frozen=True)
class _Expansion:
    start: int
    end: int
    text: str
    reading: Reading


def _expansions(text: str, readings: Sequence[Reading]) -> list[_Expansion]:
    """The written forms of institution ``readings`` in ``text``, longest first, whole
    words, case-sensitive; one form may stand for readings of several rows."""
    by_form: dict[str, list[Reading]] = {}
    for r in readings:
        for f in r.forms:
            by_form.setdefault(f, []).append(r)
    if not by_form:
        return []
    return [_Expansion(m.start(), m.end(), m.group(0), r)
            for m in _words_pattern(frozenset(by_form)).finditer(text)
            for r in by_form[m.group(0)]]


def misread_institutions(text: str, sentences: Sequence[Sentence],
                         governors: Callable[[int, int], Sequence[str]], *,
                         languages: Iterable[str], bars: InstitutionBars) -> Iterator[Finding]:
    """Findings for institution names that expand an abbreviation of the article's likely
    source language (``languages``) into the reading the article does not mean: what the
    institution does in its sentences, and in the article, fits another reading of the
    abbreviation better (``institution_cues.tsv``). ``governors(start, end)``: the lemmas of
    the words governing the phrase at ``text[start:end]`` (its verb, the noun it belongs
    to). The phrase's own sentences come first: a reading they favour is kept whatever the
    rest of the article is about; where they say nothing (or agree), the article decides.
    One abbreviation has one reading in an article: all its expansions alike are flagged
    or none."""
    langs = frozenset(languages)
    readings = [r for r in abbreviation_readings() if r.language in langs and
                r.kind != "country"]
    found = _expansions(text, readings)
    if not found:
        return
    taken = [(e.start, e.end) for e in found]

    def free(s: Sentence) -> list[str]:
        """The lemmas of a sentence without the expanded phrases themselves."""
        return [lem for lem, at in zip(s.lemmas, s.offsets)
                if not any(a <= at < b for a, b in taken)]

    words = [free(s) for s in sentences]
    for reading in dict.fromkeys(e.reading for e in found):
        sites = [e for e in found if e.reading == reading]
        holding = {n for n, s in enumerate(sentences)
                   if any(s.start <= e.start < s.end for e in sites)}
        rivals = [r for r in readings if (r.language, r.abbreviation) ==
                  (reading.language, reading.abbreviation)]
        scores, local = {}, {}
        for r in rivals:
            near = sum(cue_hits(r.kind, words[n]) for n in holding)
            governing = sum(cue_hits(r.kind, governors(e.start, e.end)) for e in sites)
            # the rest of the article: each cue once, so that a topic's word met in every
            # paragraph ("attacked" in campaign news) does not outweigh the phrase itself
            far = len(set().union(*(cues_in(r.kind, words[n]) for n in range(len(sentences))
                                    if n not in holding)))
            local[r] = near + bars.governor * governing
            scores[r] = local[r] + bars.article * far
        best = max(rivals, key=lambda r: scores[r])
        if best == reading or scores[best] - scores[reading] < bars.margin or \
                local[best] < local[reading]:
            # the phrase's own sentences outweigh the rest of the article: a court that
            # designates a group terrorist stays a court in an article about a war
            continue
        for e in sites:
            yield Finding(e.start, e.end, e.text, "misread-abbreviation", best.forms[0],
                          bars.confidence, None,
                          f"{reading.language} '{reading.abbreviation}' is both {reading.name}"
                          f" and {best.name}; what it does here fits {best.name} "
                          f"({scores[best]:g} against {scores[reading]:g})")


def known_countries(mentions: Iterable[MentionCandidate],
                    entry_country: Callable[[str], str]) -> Counter[str]:
    """The countries of the people and organisations named by a KB entry's exact name (all
    the entries of the name in one country): references to a country beside its own name
    and demonyms ("Lula" for Brazil). ``entry_country``: KB id -> country ("" unknown)."""
    out: Counter[str] = Counter()
    for m in mentions:
        if m.kind != "name" or not m.kb_exact or m.label in PLACE_LABELS or m.label == "NORP":
            continue
        found = {entry_country(k) for k in m.kb_exact}
        if len(found) == 1 and "" not in found:
            out[found.pop()] += 1
    return out


def doc_sentences(doc: Doc) -> list[Sentence]:
    """The parsed sentences of ``doc`` as the institution reader takes them."""
    return [Sentence(s.start_char, s.end_char,
                     tuple(t.lemma_.lower() for t in s if not t.is_space),
                     tuple(t.idx for t in s if not t.is_space)) for s in doc.sents]


def governing_lemmas(doc: Doc) -> Callable[[int, int], list[str]]:
    """For a character span of ``doc``: the lemmas of the words above its head up to the
    first verb ("satisfied" in "the court satisfied the claim"; "head", "sentence" in "...
    sentenced the deputy head of the region")."""
    def governing(start: int, end: int) -> list[str]:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return []
        out = []
        token = span.root
        while token.head.i != token.i:
            token = token.head
            out.append(token.lemma_.lower())
            if token.pos_ in ("VERB", "AUX"):
                break
        return out
    return governing


# -- literal idioms ----------------------------------------------------------------------------

def literal_idiom_findings(matches: Iterable[IdiomMatch], *, confidence: float
                           ) -> list[Finding]:
    return [Finding(m.start, m.end, m.text, "literal-idiom", m.idiom.meaning, confidence, None,
                    f"word-for-word rendering of the {m.idiom.language} set phrase "
                    f"{m.idiom.source_phrase}") for m in matches]


def is_known_spelling(surface: str, known: Sequence[str]) -> bool:
    """A surface is a known spelling if it equals a known name, or is its first/last words."""
    f = fold(surface)
    for k in known:
        fk = fold(k)
        if f == fk:
            return True
        words = fk.split()
        fw = f.split()
        if len(fw) < len(words) and (words[-len(fw):] == fw or words[:len(fw)] == fw):
            return True
    return False


# -- variant spellings ------------------------------------------------------------------------

@dataclass(frozen=True)
class NameBars:
    """How alike words must be: a garbled word to the word it garbles (``word``), two
    surnames to be one family's (``surname``) and two given names to be one (``given``,
    ``listed_given``: see ``resolve.given_names_agree``)."""

    word: float
    surname: float
    given: float
    listed_given: float


def _given_words(name: str) -> tuple[list[str], str]:
    """The words of a name that may be given names (before the last word, not particles
    such as "al" or "van", not middle initials: "Jeffrey D. Feltman" is no David) and its
    last word, as written."""
    words = name_words(name)
    if not words:
        return [], ""
    given = [w for w in words[:-1] if fold(w) not in name_particles()]
    return [w for n, w in enumerate(given) if n == 0 or len(fold(w)) > 1], words[-1]


def another_person(surface: str, known: Sequence[str], *, bars: NameBars) -> bool:
    """``surface`` is a full name whose given name none of the ``known`` full names has:
    another person ("Heidi Cruz" beside Ted Cruz, "Rick Santorum" for Bernie Sanders), or a
    word run into the name ("pro-Clinton", "Derelict Obama"). Transliteration garbles a
    given name too, but keeps it alike ("Volodimir"); a word before the right given name is
    a title ("Seyed Abbas ..."), not a conflict."""
    given, _ = _given_words(surface)
    if not given:
        return False
    fulls = [g for g, _ in (_given_words(k) for k in known) if g]
    return bool(fulls) and not any(
        given_names_agree(g, kg, similarity=bars.given, listed_similarity=bars.listed_given)
        for k_given in fulls for g in given for kg in k_given)


@lru_cache(maxsize=1)
def derivative_suffixes() -> frozenset[str]:
    return frozenset(r["suffix"] for r in read_rows("name_derivative_suffixes.tsv"))


def is_derivative(word: str, base: str) -> bool:
    """Folded ``word`` is the name word ``base`` with a word-forming ending ("clintons",
    "jeffersonian"): the name used as a word, not garbled."""
    return len(base) >= 3 and word.startswith(base) and word[len(base):] in \
        derivative_suffixes()


def is_name_like(text: str) -> bool:
    """A span that can be a garbled name: not a title alone ("Mr.", "Secretary", "Foreign
    Minister"), not run across a line, a comma or a slash, with a capital letter and no
    digit."""
    if any(c in text for c in "\n,/@#:;") or any(c.isdigit() for c in text) or \
            not any(c.isupper() for c in text):
        return False
    words = text.split()
    if len(words) == 1 and text.endswith("."):
        return False  # an abbreviated title or an initial
    roles = role_words()
    folded = fold(text)
    return bool(folded) and folded not in roles and \
        not all(w in roles for w in folded.split())


def garbled_spelling_of(surface: str, known: Sequence[str], *, bars: NameBars) -> str | None:
    """The known spelling that ``surface`` garbles, or None. Garbled means a word of it is
    alike to a word of the spelling it is most like without being that word or a word
    formed from it ("Kharris" for Harris, "Mask" for Musk), and its given name is not
    another person's ("Heidi Cruz" beside "Ted Cruz"). A spelling whose words are either
    the known ones or unrelated ("Martin Luther Coon") is not a garbled spelling."""
    if not known:
        return None
    words = [fold(w) for w in name_words(surface)]
    demonym = countries().lookup(surface) is not None
    if len(words) > 1:
        # one word split in two ("Lu La" for Lula, "Abdullah Hian" for Abdollahian): the
        # words run together are alike to a word that opens alike and ends in the last
        joined = "".join(words)
        for k in known:
            if any(len(t) > 3 and t[0] == joined[0] and t.endswith(words[-1]) and
                   t not in words and word_similarity(joined, t) >= bars.word
                   for t in (fold(w) for w in name_words(k))):
                return k
    if another_person(surface, known, bars=bars):
        return None
    best = max(known, key=lambda k: name_similarity(surface, k))  # the first of ties
    targets = [fold(w) for w in name_words(best)]
    if len(words) > 1 and len(targets) > 1 and fold(words[-1]) != fold(targets[-1]) and \
            word_similarity(words[-1], targets[-1]) < bars.word:
        return None  # another surname: a garbled given name alone makes no variant
    for w in words:
        if len(w) < 2 or w in targets:
            continue
        for t in targets:
            if t in words or is_derivative(w, t) or is_derivative(t, w):
                continue
            if demonym and common_prefix(w, t) < 4:
                continue  # a people garbles only a surname made from it ("al-Sudani")
            if word_similarity(w, t) >= bars.word:
                return best
    return None


def _is_part(short: str, full: str) -> bool:
    """``short`` is the first or last words of the longer ``full``."""
    fs, ff = [fold(w) for w in name_words(short)], [fold(w) for w in name_words(full)]
    return 0 < len(fs) < len(ff) and (ff[:len(fs)] == fs or ff[-len(fs):] == fs)


def garbled_spellings(spellings: Iterable[str], known: Sequence[str], canonical: str, *,
                      bars: NameBars) -> dict[str, str]:
    """Each garbled spelling of one entity -> the known spelling it garbles. A part of a
    fuller spelling of the entity ("Mask" of "Elon Mask", "Clarke" of "Tom Clarke") is
    garbled exactly when a fuller spelling holding it is."""
    own = sorted(set(spellings), key=lambda n: -len(name_words(n)))
    out: dict[str, str] = {}
    judged: set[str] = set()
    for n in own:
        judged.add(n)
        if not is_name_like(n) or fold(n) == fold(canonical) or is_known_spelling(n, known):
            continue
        fuller = [f for f in judged if f != n and _is_part(n, f)]
        if fuller:
            garbled = [out[f] for f in fuller if f in out]
            if garbled:
                out[n] = garbled[0]
            continue
        target = garbled_spelling_of(n, known, bars=bars)
        if target is not None:
            out[n] = target
    return out


def variant_findings(clusters: Sequence[Cluster], links: Sequence[Link | None],
                     names: dict[int, str], mentions: Sequence[MentionCandidate], *,
                     bars: NameBars, linked_confidence: float, unlinked_confidence: float
                     ) -> list[Finding]:
    """Mentions of people spelled in a garbled way: against the KB entry's names when the
    person is linked, else against the fullest spelling in the article."""
    out = []
    for ci, (c, link) in enumerate(zip(clusters, links)):
        if c.group_kind or not c.names or c.family != "PERSON":
            continue
        if link is not None:
            known = [link.entry.name, *link.entry.aliases]
            confidence = round(min(linked_confidence, link.score * linked_confidence), 2)
        elif len(c.names) > 1 and len(name_words(names[ci])) > 1:
            # the fullest spelling, a full name, is the yardstick (its parts are known too);
            # between one-word spellings alone there is no telling which one is garbled
            known = [names[ci]]
            confidence = unlinked_confidence
        else:
            continue
        own = [n for n in c.names if n not in c.borrowed and c.names[n] > 0]
        if not is_name_like(names[ci]):
            continue  # no yardstick: "Ahmed Helal/LinkedIn" is a span run past the name
        if all(len(name_words(n)) < 2 for n in own) and not c.roles and not any(
                mentions[i].speaker_slot for i in c.members):
            # a lone word matched to a name by its sound ("Boxer", "Baltimore") must act as
            # a person, by a title or by speaking, before it is taken for a garbled name
            continue
        given = given_name_genders()
        known_words = {fold(w) for k in known for w in name_words(k)}
        own = [n for n in own if len(name_words(n)) > 1 or fold(n) in known_words
               or fold(n) not in given]  # a given name alone ("Sean") garbles no surname
        garbled = garbled_spellings(own, known, names[ci], bars=bars)
        if not garbled:
            continue
        for i in c.members:
            m = mentions[i]
            if m.kind != "name" or m.kb_exact or m.relabelled_from in PLACE_LABELS and \
                    m.speaker_slot:
                continue
            if m.text in garbled:
                out.append(Finding(m.start, m.end, m.text, "variant-spelling", names[ci],
                                   confidence, i,
                                   f"not a known spelling of {names[ci]}; "
                                   f"'{m.text}' garbles '{garbled[m.text]}'"))
    return out


# -- organisation names and places in speaker slots ---------------------------------------------

_NAME_STOP = frozenset({"the", "of", "and", "for", "s"})


def _content_words(name: str) -> list[str]:
    """Folded words of an organisation name without "the", "of", ...; "U.S." is "us"."""
    return [w for w in fold(name.replace(".", "")).split() if w not in _NAME_STOP]


def garbled_org_name(surface: str, known: Sequence[str], *, min_words: int,
                     is_place: Callable[[str], bool]) -> bool:
    """``surface`` is one of the ``known`` names of an organisation with one word garbled,
    and not a regular compound: it has at least ``min_words`` content words (two-word
    names one word apart are too common to tell: "Penn State", "Peabody Energy"), the
    changed word is not a place ("Ohio Democratic Party" is the party's Ohio branch) nor
    replaces one, and no word of it is written in lower case ("federal Securities and
    Exchange Commission")."""
    if "\n" in surface or "," in surface:
        return False
    words = _content_words(surface)
    if len(words) < min_words:
        return False
    if any(w[:1].islower() and fold(w) not in _NAME_STOP for w in surface.split()):
        return False
    for name in known:
        target = _content_words(name)
        if len(target) != len(words):
            continue
        changed = [(w, t) for w, t in zip(words, target) if w != t]
        if len(changed) == 1 and not is_place(changed[0][0]) and not is_place(changed[0][1]):
            # a place on either side is a qualifier: "U.S. State Department" named as
            # "Clinton's State Department" or "Top Republican Party" is no garble
            return True
    return False


def opens_known_org(name: str, known: Iterable[str]) -> bool:
    """``name`` is the opening of a known organisation's longer name ("Social Democratic
    Party" of the "Social Democratic Party of Germany"): a real name said short, not a
    garbled other one."""
    words = _content_words(name)
    return len(words) >= 2 and any(
        len(k) > len(words) and k[:len(words)] == words
        for k in (_content_words(n) for n in known))


def shares_name_word(place: str, names: Iterable[str], *, min_letters: int = 3) -> bool:
    """A place and a person's spellings share a whole word ("North Korea" and "N. Korea"):
    the person is the place under another form, not a person the place's name garbles
    (a transliteration does not keep a word whole while changing the rest)."""
    words = {w for w in _content_words(place) if len(w) >= min_letters}
    return any(words & set(_content_words(n)) for n in names)


# -- is the article a translation? -------------------------------------------------------------

@dataclass(frozen=True)
class Marker:
    signal: str
    pattern: re.Pattern[str]
    what: str


@lru_cache(maxsize=1)
def translation_markers() -> tuple[Marker, ...]:
    return tuple(Marker(r["signal"], re.compile(r["pattern"], re.I), r["what"])
                 for r in read_rows("translation_markers.tsv"))


@dataclass(frozen=True)
class TranslationEvidence:
    """Signs that an article is a (machine) translation, each with its weight."""

    signals: tuple[tuple[str, float], ...]

    @property
    def score(self) -> float:
        return round(sum(w for _, w in self.signals), 3)

    def describe(self) -> str:
        return "; ".join(s for s, _ in self.signals)


@lru_cache(maxsize=1)
def english_press_countries() -> frozenset[str]:
    return frozenset(r["country"] for r in read_rows("english_press_countries.tsv"))


def translation_evidence(text: str, findings: Iterable[Finding], *,
                         weights: dict[str, float], subjects: Iterable[str] = ()
                         ) -> TranslationEvidence:
    """The article's signs of translation: markers in its text (``weights`` keyed by the
    marker's signal: declared, script, typography), a subject country whose press is not
    mostly English (``subjects``: the countries the article is about; weight "subject"),
    and the distinct garbled things the detectors found (keyed by the finding's kind; one
    per suggestion, so that a garbled name met ten times counts once)."""
    signals: list[tuple[str, float]] = []
    findings = list(findings)
    foreign = sorted(set(subjects) - english_press_countries())
    if foreign and weights.get("subject", 0.0) > 0 and any(
            f.kind != "literal-idiom" for f in findings):
        # the subject makes a garbled-looking *name* likelier a translation's; a phrase
        # that English has borrowed ("paper tiger") gets no help from it
        signals.append((f"about {', '.join(foreign)}", weights["subject"]))
    for signal in dict.fromkeys(m.signal for m in translation_markers()):
        hit = next((m for m in translation_markers()
                    if m.signal == signal and m.pattern.search(text)), None)
        if hit is not None and weights.get(signal, 0.0) > 0:
            signals.append((f"{signal}: {hit.what}", weights[signal]))
    distinct: dict[str, set[str]] = {}
    for f in findings:
        key = f.suggestion or fold(f.text)
        distinct.setdefault(f.kind, set()).add(key if f.kind != "literal-idiom" else
                                               fold(f.text))
    for kind, keys in sorted(distinct.items()):
        weight = weights.get(kind, 0.0)
        if weight > 0:
            signals.append((f"{len(keys)} {kind}", round(weight * len(keys), 3)))
    return TranslationEvidence(tuple(signals))


def supported_findings(findings: list[Finding], evidence: TranslationEvidence, *,
                       bar: float) -> list[Finding]:
    """The findings, each with the evidence in its reason, when the article's translation
    evidence reaches ``bar``; none when it does not (native English: every hit is noise)."""
    if evidence.score < bar:
        return []
    note = f" [translation evidence {evidence.score}: {evidence.describe()}]"
    return [replace(f, reason=f.reason + note) for f in findings]


def evidence_weights(settings: FlagsSettings) -> dict[str, float]:
    """The weight of each sign of translation, by signal or finding kind."""
    return {"declared": settings.evidence_declared_translation,
            "script": settings.evidence_foreign_script,
            "typography": settings.evidence_foreign_typography,
            "subject": settings.evidence_foreign_subject,
            "misread-abbreviation": settings.evidence_misread_abbreviation,
            "place-as-speaker": settings.evidence_place_as_speaker,
            "garbled-name": settings.evidence_garbled_name,
            "literal-idiom": settings.evidence_literal_idiom,
            "literal-name": settings.evidence_literal_name,
            "literal-place": settings.evidence_literal_place,
            "variant-spelling": settings.evidence_variant_spelling}
