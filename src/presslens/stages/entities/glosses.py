"""Names translated as words: a machine translation that renders a name's meaning instead of
its sound ("Lightning" for the Turkish surname Şimşek, "Old City" for Eskişehir).

The glosses are data (``data/glosses/*.tsv``, read by ``lexicons.name_glosses``): for a KB
person, the English words one part of the name means; for a KB place, its whole name read
part by part. An English word is usually just a word, so a gloss is read as a name only
where the text puts a name:

* (a) a run of name words in which a gloss of one part of a person's name stands beside
  the other parts of that name or their glosses ("Mansur Slow", "Li Strong"), of a person
  named elsewhere in the article or of a country it names; a run of glosses alone ("Forest
  Sword") only of a person named elsewhere, or as a speaker or subject;
* (b) a gloss of the family name alone ("Steel said", "the doctors stated") as the subject
  of a verb or as a headline's speaker before a colon, when the person is named elsewhere
  in the article, or with an apposition saying who it is ("the carpet weaver, the speaker
  of parliament, ...") in an article about the person's country; never a phrase that names
  something else (a KB name, a country, its people where the text names the country, a
  role) nor a noun the article also uses as a plain noun ("two doctors ... the doctors");
* (c) a place gloss of several words, written as a name, in an article that names the
  place's country ("Heaven's Ford"); a one-word place gloss only where a place name goes
  ("the village of Big", ``data/place_slot_words.tsv``).

A phrase the KB knows as a name of something of the article's countries is never read as a
gloss ("Saint Paul" in an article that names the United States), nor a place title
qualified by another place ("the Old City of Jerusalem", "Jerusalem's Old City"), nor a
place gloss that speaks ("Saint Francis said"). Pure: ``literal_names`` returns records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.ingest import language_name
from presslens.language.glosses import NameGloss
from presslens.language.lexicons import (
    countries,
    given_name_genders,
    read_rows,
    role_words,
)
from presslens.language.names import fold
from presslens.language.syntax import SUBJECT_DEPS
from presslens.model import PLACE_LABELS
from presslens.stages.entities.flags import Finding
from presslens.stages.entities.mentions import is_speaker_slot

if TYPE_CHECKING:
    from spacy.tokens import Doc

PersonKey = tuple[str, str]  # (KB name, country)


@dataclass(frozen=True)
class GlossSettings:
    """Confidences of the findings and the share of country mentions that makes a country
    the article's subject (see ``FlagsSettings``)."""

    run_confidence: float
    slot_confidence: float
    place_confidence: float
    place_slot_confidence: float
    subject_share: float


@dataclass(frozen=True)
class Word:
    """A word of the text: its characters, its folded form, and whether it is joined to the
    word before by spaces, a hyphen or an apostrophe only, on the same line (a name can run
    on across such a gap, not across a comma or a line break)."""

    start: int
    end: int
    text: str
    key: str
    joined: bool

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


_WORD = re.compile(r"[^\W_]+")
_JOINING = re.compile(r"[ \t\-\u2010\u2011'\u2019]*")


def text_words(text: str) -> list[Word]:
    """The words of ``text`` as ``fold`` splits them ("Heaven's" gives "heaven", "s")."""
    out: list[Word] = []
    last = 0
    for m in _WORD.finditer(text):
        key = fold(m.group(0))
        if not key:
            last = m.end()
            continue
        gap = text[last:m.start()]
        out.append(Word(m.start(), m.end(), m.group(0), key.replace(" ", ""),
                        bool(out) and _JOINING.fullmatch(gap) is not None))
        last = m.end()
    return out


@dataclass(frozen=True)
class Slot:
    """Where a phrase stands in its sentence: the subject of a speech verb (or "according
    to" it), the subject of any verb, with an apposition naming a person's role ("X, the
    spokesman, ..."), and
    whether it is a noun phrase of its own (no word outside it modifies it or is modified
    by it but "the", punctuation and an apposition: "Steel prices" is not)."""

    speaker: bool = False
    subject: bool = False
    apposition: bool = False
    bare: bool = False


SlotOf = Callable[[int, int], Slot]
KnownAs = Callable[[str], Iterable[tuple[str, str]]]  # phrase -> (type, country) of KB names

_BARE_CHILDREN = frozenset({"det", "punct", "appos"})
_ANY_TYPE = ("PERSON", "ORG", "NORP", "EVENT", *PLACE_LABELS)


def parse_slots(doc: Doc) -> SlotOf:
    """The ``Slot`` of a character span, read from the document's dependency parse."""

    def slot_of(start: int, end: int) -> Slot:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return Slot()
        root = span.root
        inside = range(span.start, span.end)
        outside_head = root.head.i not in inside and root.dep_ in ("compound", "amod", "flat",
                                                                   "nmod", "poss")
        children_ok = all(c.i in inside or (c.dep_ in _BARE_CHILDREN and
                                            (c.dep_ != "det" or c.lower_ == "the"))
                          for c in root.children)
        roles = role_words()
        return Slot(speaker=is_speaker_slot(root), subject=root.dep_ in SUBJECT_DEPS,
                    apposition=any(c.dep_ == "appos" and roles.get(c.lower_)
                                   for c in root.children),
                    bare=children_ok and not outside_head)

    return slot_of


@lru_cache(maxsize=1)
def family_name_first() -> frozenset[str]:
    """Languages whose names the KB writes family name first (``data/family_name_first.tsv``)."""
    return frozenset(r["language"] for r in read_rows("family_name_first.tsv"))


def family_name(name: str, language: str) -> str:
    """The family name of a KB person's name, folded, by which the person is called alone:
    its last word, or the first in a language that puts it first unless the name opens
    with an English given name ("Penny Wong" is written in the English order)."""
    words = name.split()
    if not words:
        return ""
    first = language in family_name_first() and fold(words[0]) not in given_name_genders()
    return fold(words[0] if first else words[-1])


def is_family_name(g: NameGloss) -> bool:
    """The glossed part is the person's family name."""
    return bool(g.part) and fold(g.part) == family_name(g.name, g.language)


@lru_cache(maxsize=1)
def place_slot_words() -> dict[str, str]:
    """Word -> "settlement" or "preposition" (``data/place_slot_words.tsv``)."""
    return {r["word"]: r["kind"] for r in read_rows("place_slot_words.tsv")}


class GlossIndex:
    """The glosses by phrase (as word tuples), the folded full names of each glossed KB
    entry (its name and aliases: ``names``), and for each person the words of them."""

    def __init__(self, glosses: Mapping[str, Sequence[NameGloss]],
                 names: Mapping[PersonKey, Sequence[str]] | None = None) -> None:
        self.phrases: dict[tuple[str, ...], tuple[NameGloss, ...]] = {}
        for phrase, found in glosses.items():
            words = tuple(w for w in phrase.split() if w)
            if words:
                self.phrases[words] = tuple(found)
        self.longest = max((len(p) for p in self.phrases), default=0)
        names = names or {}
        self.full_names: dict[PersonKey, tuple[str, ...]] = {}
        self.person_words: dict[PersonKey, frozenset[str]] = {}
        for g in (g for found in glosses.values() for g in found):
            p = (g.name, g.country)
            if p in self.full_names:
                continue
            full = tuple(dict.fromkeys(fold(n) for n in (p[0], *names.get(p, ())) if fold(n)))
            self.full_names[p] = full
            if g.type == "PERSON":
                self.person_words[p] = frozenset(w for n in full for w in n.split())


@dataclass(frozen=True)
class LiteralName:
    """A name translated as words: where, the gloss read (the KB name it renders), how
    sure, and why."""

    start: int
    end: int
    text: str
    gloss: NameGloss
    kind: str  # "literal-name" | "literal-place"
    confidence: float
    reason: str

    def finding(self, mention: int | None = None) -> Finding:
        return Finding(self.start, self.end, self.text, self.kind, self.gloss.name,
                       self.confidence, mention, self.reason)


def reads_as_english(finding: Finding) -> bool:
    """A literal name written in lower case ("the doctors said") reads as ordinary English:
    flagged where the article shows other signs of translation, no such sign itself."""
    return finding.kind == "literal-name" and finding.text[:1].islower()


@dataclass(frozen=True)
class _Match:
    first: int  # word indices [first, last)
    last: int
    glosses: tuple[NameGloss, ...]


def _matches(words: Sequence[Word], index: GlossIndex) -> list[_Match]:
    out = []
    for i in range(len(words)):
        for n in range(1, index.longest + 1):
            if i + n > len(words) or (n > 1 and not words[i + n - 1].joined):
                break
            found = index.phrases.get(tuple(w.key for w in words[i:i + n]))
            if found:
                out.append(_Match(i, i + n, found))
    return out


@dataclass
class _Run:
    person: PersonKey
    first: int
    last: int
    glossed: list[tuple[str, NameGloss]]  # (phrase, gloss) of the glossed parts
    literal: set[str] = field(default_factory=set)  # name words written as they are


def _person_runs(words: Sequence[Word], index: GlossIndex, matches: Sequence[_Match]
                 ) -> list[_Run]:
    """Runs of name words that read as one person's name with a part glossed."""
    starting: dict[int, list[_Match]] = {}
    ending: dict[int, list[_Match]] = {}
    for m in matches:
        starting.setdefault(m.first, []).append(m)
        ending.setdefault(m.last, []).append(m)
    runs = []
    for m in matches:
        for g in m.glosses:
            person = (g.name, g.country)
            if g.type != "PERSON" or person not in index.person_words:
                continue
            run = _Run(person, m.first, m.last, [(_phrase(words, m), g)])
            while run.last < len(words) and words[run.last].joined and _grow(
                    run, words, index, run.last, starting.get(run.last, []), right=True):
                pass
            while run.first > 0 and words[run.first].joined and _grow(
                    run, words, index, run.first - 1, ending.get(run.first, []), right=False):
                pass
            name_words = index.person_words[person]
            # a name opens and ends with a capital ("Mohammed son of Salman"), and a gloss
            # in it is no word of the name itself
            if run.last - run.first >= 2 and words[run.first].capital and \
                    words[run.last - 1].capital and len(run.glossed) + len(run.literal) >= 2 \
                    and any(not set(p.split()) & name_words for p, _ in run.glossed):
                runs.append(run)
    return runs


def _grow(run: _Run, words: Sequence[Word], index: GlossIndex, at: int,
          candidates: Sequence[_Match], *, right: bool) -> bool:
    """Extend the run by the name item at word ``at`` (a name word written as it is, or a
    gloss of a part not yet read) on its right or left; False when there is none."""
    w = words[at]
    used = {g.part for _, g in run.glossed}
    glossed = {fold(p).replace(" ", "") for p in used}
    if w.capital and w.key in index.person_words[run.person] and \
            w.key not in run.literal | glossed:
        run.literal.add(w.key)
        if right:
            run.last = at + 1
        else:
            run.first = at
        return True
    for c in sorted(candidates, key=lambda c: c.first - c.last):  # the longest first
        # a part written as it is is not glossed beside it ("Jiang River" is a river)
        mine = [g for g in c.glosses if (g.name, g.country) == run.person and g.part not in used
                and fold(g.part).replace(" ", "") not in run.literal]
        if mine:
            run.glossed.append((_phrase(words, c), mine[0]))
            if right:
                run.last = c.last
            else:
                run.first = c.first
            return True
    return False


def _phrase(words: Sequence[Word], m: _Match) -> str:
    return " ".join(w.key for w in words[m.first:m.last])


def _span(text: str, words: Sequence[Word], first: int, last: int) -> tuple[int, int, str]:
    start, end = words[first].start, words[last - 1].end
    return start, end, text[start:end]


_MIN_FAMILY_NAME = 4  # shorter family names alone ("Li", "Ahn") name no one in particular


def _mentioned(words: Sequence[Word], index: GlossIndex, people: Mapping[PersonKey, str]
               ) -> set[PersonKey]:
    """Those of ``people`` (person -> language of the name) the text names: a full name of
    the KB entry, or its family name, if not short, written with a capital."""
    joined = " " + " ".join(w.key for w in words) + " "
    keys = [w.key for w in words]
    out = set()
    for p, language in people.items():
        full = index.full_names.get(p, ())
        family = family_name(p[0], language).split()
        n = len(family)
        if any(f" {name} " in joined for name in full) or (
                len("".join(family)) >= _MIN_FAMILY_NAME and any(
                    keys[i:i + n] == family and any(w.capital for w in words[i:i + n])
                    for i in range(len(words) - n + 1) if keys[i] == family[0])):
            out.add(p)
    return out


def _language(g: NameGloss) -> str:
    return language_name(g.language) if g.language else "another language"


@dataclass(frozen=True)
class _Article:
    """What the detector knows of the article: the share of its country mentions by
    country, the countries of the KB entities it names, the glossed people it names and
    the KB's names."""

    shares: Mapping[str, float]
    linked: frozenset[str]
    mentioned: set[PersonKey]
    known_as: KnownAs
    keys: str  # the folded words of the text, between spaces
    people: frozenset[str]  # the folded names the article reads as people's

    def names(self, country: str) -> bool:
        return self.shares.get(country, 0.0) > 0 or country in self.linked

    def writes(self, phrase: str, *, besides: str = "") -> bool:
        """The text has the phrase (folded) as whole words, other than inside the phrase
        ``besides`` ("Urfa" inside "Glorious Urfa")."""
        key, within = fold(phrase).split(), fold(besides).split()
        if not key or f" {' '.join(key)} " not in self.keys:
            return False
        words = self.keys.split()
        covered = {i for at in _positions(words, within) for i in range(at, at + len(within))}
        return any(not covered.issuperset(range(at, at + len(key)))
                   for at in _positions(words, key))

    def known(self, phrase: str, types: Iterable[str]) -> bool:
        """The KB knows the phrase as a name of one of ``types``."""
        wanted = set(types)
        return any(t in wanted for t, _ in self.known_as(phrase))

    def known_here(self, phrase: str) -> bool:
        """The KB knows the phrase as the name of something of a country the article names,
        or of no country ("White House"; "Saint Paul" in an article that never names the
        United States is no such name)."""
        return any(not c or self.names(c) for _, c in self.known_as(phrase))


def _positions(words: Sequence[str], seq: Sequence[str]) -> list[int]:
    """Where the word sequence ``seq`` starts in ``words`` (none for an empty one)."""
    n = len(seq)
    return [i for i in range(len(words) - n + 1) if n and words[i:i + n] == list(seq)]


def literal_names(text: str, index: GlossIndex, *, slot_of: SlotOf,
                  shares: Mapping[str, float], known_as: KnownAs, settings: GlossSettings,
                  linked: Iterable[str] = (), people: Iterable[str] = ()
                  ) -> list[LiteralName]:
    """Names the text translates as words (see the module's docstring), in text order,
    without overlaps (the longer first). ``shares``: the share of the article's country
    mentions by country; ``linked``: the countries of the KB entities it names;
    ``people``: the names it reads as people's (no place glosses: "Saint Francis")."""
    words = text_words(text)
    if not index.phrases or not words:
        return []
    matches = _matches(words, index)
    if not matches:
        return []
    article = _Article(shares, frozenset(linked), _mentioned(
        words, index, {(g.name, g.country): g.language for m in matches for g in m.glosses
                       if g.type == "PERSON"}), known_as,
        " " + " ".join(w.key for w in words) + " ", frozenset(fold(p) for p in people))
    found = [*_name_runs(text, words, index, matches, article, settings, slot_of),
             *_lone_names(text, words, matches, article, settings, slot_of),
             *_places(text, words, index, matches, article, settings, slot_of)]
    # no overlaps: the longer phrase, then the earlier finder (a run before a lone gloss)
    kept: list[tuple[int, int, LiteralName]] = []
    for item in sorted(found, key=lambda f: -(f[1] - f[0])):
        if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
            kept.append(item)
    return [f for _, _, f in sorted(kept, key=lambda k: k[0])]


_Found = list[tuple[int, int, LiteralName]]  # (first word, end word, finding)


def _name_runs(text: str, words: Sequence[Word], index: GlossIndex, matches: list[_Match],
               article: _Article, settings: GlossSettings, slot_of: SlotOf) -> _Found:
    """(a) runs of a person's name words with a part glossed, of a person named elsewhere
    or of a country the article names ("Lee Bright" in an article about Ohio is no Lee Kuan
    Yew); a run of glosses alone ("Forest Sword") only of a person named elsewhere, or as
    a speaker or subject."""
    found: _Found = []
    for run in _person_runs(words, index, matches):
        start, end, surface = _span(text, words, run.first, run.last)
        if run.person not in article.mentioned:
            if not article.names(run.person[1]):
                continue
            slot = slot_of(start, end)
            if not run.literal and not (_opens_statement(text, start, end) or (
                    slot.bare and (slot.speaker or slot.subject))):
                continue
        if article.known(surface, ("PERSON",)):
            continue
        g = run.glossed[0][1]
        parts = "; ".join(f"'{p}' renders {x.part}" for p, x in run.glossed)
        found.append((run.first, run.last, LiteralName(
            start, end, surface, g, "literal-name", settings.run_confidence,
            f"{g.name}'s name translated word for word from {_language(g)}: {parts}")))
    return found


_STATEMENT_OPENERS = "\n;,.:"
_SENTENCE_ENDS = "\n.!?:;"


def _opens_sentence(text: str, word: Word) -> bool:
    """The word is the first of its sentence or line (capitalised as such, not as a name)."""
    before = text[:word.start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_ENDS


def _opens_statement(text: str, start: int, end: int) -> bool:
    """The phrase alone before a colon at the start of a line or clause, as a headline
    names a speaker ("...; the doctors: a new chapter has opened")."""
    if not text[end:].lstrip(" \t").startswith(":"):
        return False
    before = text[:start].rstrip(" \t")
    if before[-3:].lower() == "the" and (len(before) == 3 or not before[-4].isalnum()):
        before = before[:-3].rstrip(" \t")
    return not before or before[-1] in _STATEMENT_OPENERS


def _lone_names(text: str, words: Sequence[Word], matches: list[_Match], article: _Article,
                settings: GlossSettings, slot_of: SlotOf) -> _Found:
    """(b) a gloss of a person's family name alone, as the subject of a verb or the speaker
    a headline names before a colon: of a person named elsewhere in the article, or with
    an apposition that says who it is in an article about the person's country. Never a
    phrase that names something else: a KB name, a country or its people, a role; nor,
    in lower case, a noun the article also uses as a noun ("two doctors ... the doctors
    said")."""
    found: _Found = []
    # the parts whose glosses the article writes in lower case without "the": common nouns
    as_nouns = {(g.name, g.country, g.part) for m in matches for g in m.glosses
                if not words[m.first].capital and not (
                    m.first > 0 and words[m.first - 1].key == "the")}
    for m in matches:
        people = [g for g in m.glosses if g.type == "PERSON" and is_family_name(g) and (
            words[m.first].capital or (g.name, g.country, g.part) not in as_nouns)]
        if not people:
            continue
        start, end, surface = _span(text, words, m.first, m.last)
        with_the = m.first > 0 and words[m.first - 1].key == "the" and \
            words[m.first].joined
        if not (words[m.first].capital or with_the) or article.known(surface, _ANY_TYPE) \
                or fold(surface) in role_words():
            continue
        people_of = countries().lookup(surface)
        if people_of is not None and any(article.writes(n) for n in
                                         (people_of.name, *people_of.aliases)):
            continue  # "the Sudanese" where the text names Sudan: its people
        slot = slot_of(start, end)
        headline = _opens_statement(text, start, end)
        if not headline and not (slot.bare and (slot.speaker or slot.subject)):
            continue
        speaker = slot.speaker or headline

        def fits(g: NameGloss, slot: Slot = slot, demonym: bool = people_of is not None
                 ) -> bool:
            return (g.name, g.country) in article.mentioned or (
                slot.apposition and not demonym and article.shares.get(g.country, 0.0) >=
                settings.subject_share)

        fitting = sorted((g for g in people if fits(g)),
                         key=lambda g: ((g.name, g.country) not in article.mentioned,
                                        -article.shares.get(g.country, 0.0)))
        if fitting:
            g = fitting[0]
            where = "a speaker slot" if speaker else "the subject slot"
            found.append((m.first, m.last, LiteralName(
                start, end, surface, g, "literal-name", settings.slot_confidence,
                f"'{surface}' in {where} stands for a person: it renders {g.part}, "
                f"the family name of {g.name} ({_language(g)})")))
    return found


def _places(text: str, words: Sequence[Word], index: GlossIndex, matches: list[_Match],
            article: _Article, settings: GlossSettings, slot_of: SlotOf) -> _Found:
    """(c) places translated part by part: a gloss of several words written as a name, not
    qualified by another place nor speaking (a person: "Saint Francis said"); one word only
    where a place name goes. Inside a longer name ("Heaven's Ford Eco-City") only a place
    the article names alone elsewhere. Not of a place the article calls by its own name (a
    translation renders a place's name one way throughout), nor a phrase it reads as a
    person's name."""
    slots = place_slot_words()
    found: _Found = []
    inside: _Found = []  # within a longer name
    for m in matches:
        phrase = _phrase(words, m)
        places = [g for g in m.glosses if g.type in PLACE_LABELS and article.names(g.country)
                  and not any(article.writes(n, besides=phrase)
                              for n in index.full_names.get((g.name, g.country), ()))]
        if not places or phrase in article.people:
            continue
        g = max(places, key=lambda g: article.shares.get(g.country, 0.0))
        start, end, surface = _span(text, words, m.first, m.last)
        first, last = words[m.first], words[m.last - 1]
        after = words[m.last] if m.last < len(words) else None
        if not (first.capital and last.capital) or article.known_here(surface):
            continue
        if m.last - m.first >= 2:
            qualified = (after is not None and after.key == "of" and m.last + 1 < len(words)
                         and words[m.last + 1].capital) or (
                m.first > 0 and words[m.first - 1].key == "s" and
                text[words[m.first - 1].start - 1:words[m.first - 1].start] in ("'", "\u2019"))
            if qualified or slot_of(start, end).speaker:
                continue  # "the Old City of Jerusalem", "Jerusalem's Old City"
            confidence = settings.place_confidence
        else:
            before = [w.key for w in words[max(0, m.first - 2):m.first]]
            in_slot = (before and slots.get(before[-1]) == "preposition") or (
                len(before) == 2 and before[1] == "of" and slots.get(before[0]) ==
                "settlement")
            if not in_slot:
                continue
            confidence = settings.place_slot_confidence
        lit = LiteralName(
            start, end, surface, g, "literal-place", confidence,
            f"'{surface}' renders the {_language(g)} place name {g.name} part by "
            f"part, in an article about {g.country}")
        longer = (after is not None and after.capital and after.joined) or (
            m.first > 0 and words[m.first].joined and words[m.first - 1].capital
            and not _opens_sentence(text, words[m.first - 1]))
        (inside if longer else found).append((m.first, m.last, lit))
    alone = {lit.gloss for _, _, lit in found}
    return found + [f for f in inside if f[2].gloss in alone and f[1] - f[0] >= 2]


__all__ = ["GlossIndex", "GlossSettings", "LiteralName", "Slot", "family_name",
           "is_family_name", "literal_names", "parse_slots", "place_slot_words",
           "reads_as_english", "text_words"]
