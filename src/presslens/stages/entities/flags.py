"""Mistranslation detectors. Each is general (no article-specific words) and pure.

* misread abbreviation: a country or demonym that conflicts with what the article is about,
  where a known abbreviation collision explains it (``data/abbreviation_collisions.tsv``:
  Chinese 乌 stands for Ukraine and begins Uzbekistan, so 乌军 may come out "Uzbek army");
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

from presslens.config import FlagsSettings
from presslens.language.lexicons import (
    abbreviation_collisions,
    countries,
    given_name_genders,
    literal_idioms,
    name_particles,
    read_rows,
    role_words,
)
from presslens.language.names import common_prefix, fold, name_similarity, word_similarity
from presslens.model import PLACE_LABELS
from presslens.stages.entities.linking import Link
from presslens.stages.entities.mentions import MentionCandidate
from presslens.stages.entities.resolve import Cluster, given_names_agree, name_words


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


def misread_abbreviations(mentions: list[MentionCandidate], refs: CountryReferences, *,
                          subject_share: float, max_named: int = 1
                          ) -> Iterator[tuple[int, str, Finding]]:
    """(mention index, intended country, finding) for each demonym or country institution
    that a known abbreviation collision explains better as the article's subject: the
    article never names the country or a place in it (or mentions it far less than the
    subject, naming it at most ``max_named`` times: an article that names South Korea four
    times means its "South Korean" president), while the other reading of the abbreviation
    is what the article is about."""
    counts = refs.total
    total = sum(counts.values())
    if not total:
        return
    table = countries()
    for i, m in enumerate(mentions):
        if m.kind == "group" and m.country:
            country = m.country
        elif m.kind == "name" and m.label == "NORP" and table.lookup(m.text) is not None:
            country = table.lookup(m.text).name  # type: ignore[union-attr]
        else:
            continue
        seen = counts.get(country, 0)
        unsupported = refs.named.get(country, 0) == 0
        best: tuple[float, str, str] | None = None
        for col in abbreviation_collisions():
            if country not in col.countries:
                continue
            for other in col.countries:
                share = counts.get(other, 0) / total
                if other == country or share < subject_share:
                    continue
                dominant = (counts[other] >= 4 * seen and
                            refs.named.get(country, 0) <= max_named) or (
                    unsupported and counts[other] >= max(3, 2 * seen))
                if dominant and (best is None or share > best[0]):
                    best = (share, other, f"{col.language} '{col.abbreviation}'")
        if best is None or best[1] not in table.by_name:
            continue
        share, other, via = best
        intended = table.by_name[other]
        wrong = table.by_name.get(country)
        split = table.split_prefix(m.text) if m.kind == "group" else None
        if split is not None:
            suggestion = f"{intended.adjective} {split[1]}"
        else:
            suggestion = intended.adjective
        confidence = round(min(0.95, 0.55 + share * 0.6), 2)
        yield i, other, Finding(
            m.start, m.end, m.text, "misread-abbreviation", suggestion, confidence, i,
            f"{wrong.name if wrong else country} is barely mentioned while the article is "
            f"about {other}; the abbreviation {via} stands for both",
        )


def literal_idiom_findings(text: str, *, confidence: float) -> Iterator[Finding]:
    lowered = text.lower()
    for idiom in literal_idioms():
        if idiom.anchors and not any(a in lowered for a in idiom.anchors):
            continue  # cannot match: skip the regex
        for match in idiom.pattern.finditer(text):
            yield Finding(match.start(), match.end(), match.group(0), "literal-idiom",
                          idiom.meaning, confidence, None,
                          f"word-for-word rendering of the {idiom.language} set phrase "
                          f"{idiom.source_phrase}")


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
            "variant-spelling": settings.evidence_variant_spelling}
