"""Mention detection: name, group, nominal and pronoun mentions, found beyond spaCy's NER.

spaCy's small model mislabels garbled names (a person tagged GPE or ORG), splits group names
("Ugandan" + "army") and finds no nominal or pronoun mentions. This module starts from its
entities and repairs them with evidence a reader would use:

* the knowledge base (an exact alias fixes the type: "Kiev" is a city, not a person);
* the syntax: a name in the subject slot of a speech verb ("X said", "X believed"), or with
  a person's role in apposition ("X, an adviser to ..."), is a person or a group of people;
* demonym + institution noun ("Russian troops") is a group mention tied to a country.

Pure: returns ``MentionCandidate`` records and never touches the analysis.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.language.lexicons import (
    countries,
    given_name_genders,
    group_nouns,
    organisation_nouns,
    pronoun_genders,
    read_rows,
    role_words,
    speech_verbs,
)
from presslens.language.names import institution_nouns
from presslens.language.syntax import SUBJECT_DEPS, climb_while
from presslens.model import NAME_LABELS, PLACE_LABELS, Entity, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from presslens.kb.bases import KnowledgeBases

_DETERMINERS = {"the", "a", "an"}


@dataclass(frozen=True)
class MentionCandidate:
    start: int
    end: int
    text: str
    label: str
    kind: str = "name"  # name | group | nominal | pronoun
    sent: int = 0
    head: int = 0  # token index of the syntactic head
    roles: frozenset[str] = field(default_factory=frozenset)
    speaker_slot: bool = False
    subject: bool = False
    country: str | None = None  # group mentions: the country they belong to
    group_kind: str | None = None  # group mentions: armed_forces, government, ...
    head_person: str | None = None  # "Biden administration": Biden
    kb_exact: tuple[str, ...] = ()  # KB ids whose (full) alias equals the text
    kb_types: tuple[str, ...] = ()
    relabelled_from: str | None = None
    appos_of: int | None = None  # nominal: start offset of the name it is in apposition to
    abbreviates: int | None = None  # "(TCMB)": start offset of the name it abbreviates
    gender: str = "any"


def _strip_span(span: Span) -> tuple[int, int, frozenset[str]]:
    """Token bounds of a name without determiners, possessive 's and leading titles."""
    roles = role_words()
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _DETERMINERS:
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS"
                           or doc[end - 1].text in ("'s", "’s", "'", "’")):
        end -= 1
    found: set[str] = set()
    if span.label_ == "PERSON":
        # "Foreign Minister Anna Berg": qualifying words go with the title they precede
        titles = title_words()
        i = start
        while i < end - 1 and doc[i].lower_.rstrip(".") in titles:
            i += 1
        if i > start and i < end - 1 and doc[i].lower_.rstrip(".") in roles:
            start = i
        while end - start > 1:
            two = f"{doc[start].lower_} {doc[start + 1].lower_}"
            if two in roles and end - start > 2:
                found.add(roles[two])
                start += 2
            elif doc[start].lower_.rstrip(".") in roles:
                found.add(roles[doc[start].lower_.rstrip(".")])
                start += 1
            else:
                break
    return start, end, frozenset(r for r in found if r)


def is_bare_title(words: Span | list[Token]) -> bool:
    """'President', 'Foreign Minister', 'Deputy Chief Judge': title words only, at least one
    of them a role."""
    roles, titles = role_words(), title_words()
    lowered = [t.lower_.rstrip(".") for t in words]
    if " ".join(lowered) in roles:
        return True
    return bool(lowered) and all(w in roles or w in titles for w in lowered) and any(
        w in roles for w in lowered)


def _title_nominal(span: Span, sent_of: list[int]) -> MentionCandidate:
    """A capitalised title standing alone ("the Foreign Minister said"): a nominal mention of
    a person, resolved like "the minister", never a name."""
    roles = role_words()
    words = [t.lower_.rstrip(".") for t in span]
    role = roles.get(" ".join(words)) or next(
        (roles[" ".join(words[i:])] for i in range(len(words)) if roles.get(" ".join(words[i:]))),
        "")
    head = span.root
    return MentionCandidate(
        start=span.start_char, end=span.end_char, text=span.text, label="PERSON",
        kind="nominal", sent=sent_of[head.i], head=head.i,
        roles=frozenset({role}) if role else frozenset(),
        subject=head.dep_ in SUBJECT_DEPS, speaker_slot=is_speaker_slot(head))


def _preceding_roles(doc: Doc, start: int) -> frozenset[str]:
    """Title words right before a name: 'US National Security Adviser Sullivan'."""
    roles = role_words()
    found = set()
    i = start - 1
    while i >= 0 and i >= start - 4:
        word = doc[i].lower_.rstrip(".")
        if word in roles and roles[word]:
            found.add(roles[word])
        elif not (doc[i].is_title or doc[i].is_upper):
            break
        i -= 1
    return frozenset(found)


def is_speaker_slot(tok: Token) -> bool:
    verbs = speech_verbs()
    # climb compound / flat name chains to the name's head
    node = climb_while(tok, lambda n: n.dep_ in ("compound", "flat"))
    if node.dep_ in SUBJECT_DEPS and node.head.lemma_.lower() in verbs:
        return True
    if node.dep_ == "pobj" and node.head.lower_ == "to" and node.head.head.lower_ == "according":
        return True
    return False


def _role_of(tok: Token) -> str:
    """The role a title word names, reading a two-word title ("general secretary") whole."""
    roles = role_words()
    if tok.i > 0:
        two = f"{tok.doc[tok.i - 1].lower_} {tok.lower_}"
        if roles.get(two):
            return roles[two]
    return roles.get(tok.lower_, "")


def _appositive_roles(tok: Token) -> frozenset[str]:
    roles = role_words()
    found = set()
    for child in tok.children:
        if child.dep_ == "appos":
            # the apposition's own head noun and its compounds ("an adviser", "Security
            # Adviser"), not words deeper inside it
            for t in (child, *(c for c in child.children if c.dep_ == "compound")):
                if _role_of(t):
                    found.add(_role_of(t))
    if tok.dep_ == "appos":
        head = tok.head
        if _role_of(head):  # "Its general secretary, Claire Holloway"
            found.add(_role_of(head))
        elif head.lower_ in roles and roles[head.lower_]:
            found.add(roles[head.lower_])
    return frozenset(found)


def _head_token(doc: Doc, start: int, end: int) -> Token:
    span = doc[start:end]
    return span.root


def _group_noun_at(doc: Doc, i: int) -> tuple[str, int] | None:
    """An institution noun starting at token i: ('armed forces', end index) or None."""
    nouns = group_nouns()
    if i + 1 < len(doc):
        two = f"{doc[i].lower_} {doc[i + 1].lower_}"
        if two in nouns:
            return two, i + 2
    if i < len(doc) and doc[i].lower_ in nouns:
        return doc[i].lower_, i + 1
    return None


def find_mentions(doc: Doc, kb: KnowledgeBases, *, sports_min_cues: int
                  ) -> list[MentionCandidate]:
    """Every name, group, nominal and pronoun mention in the document, in text order.

    ``sports_min_cues``: distinct sports words (``data/sports_words.tsv``) from which the
    text is read as sports news, where teams named after places are organisations."""
    sent_of = sentence_numbers(doc)
    layout = read_layout(doc, sports_min_cues=sports_min_cues)
    out: list[MentionCandidate] = []
    covered: set[int] = set()
    for whole in _name_spans(doc):
        for ent in _split_embedded_person(whole, kb):
            cand = _name_candidate(doc, ent, kb, sent_of)
            if cand is None:
                continue
            out.append(cand)
        covered.update(range(whole.start, whole.end))
    out.extend(_missed_names(doc, kb, covered, sent_of))
    out.extend(_table_names(doc, kb, covered, sent_of, layout))
    out.extend(_dateline_names(doc, kb, out, sent_of, layout))
    out = _join_of_phrases(doc, sorted(out, key=lambda c: c.start))
    out = _parenthesised_abbreviations(doc, kb, out, sent_of)
    out = _label_in_context(doc, out, layout)
    out = _names_in_capitals(doc, kb, out, sent_of, layout)
    out = [_as_group(doc, c, sent_of) for c in out]
    out.extend(_pronouns(doc, sent_of))
    out.extend(_nominals(doc, out, sent_of))
    out.sort(key=lambda c: (c.start, -c.end))
    return _drop_overlaps(out)


def sentence_numbers(doc: Doc) -> list[int]:
    """The number of each token's sentence, by token index (a list: a dict of a long
    document's tokens takes a hundred bytes a token)."""
    out = [0] * len(doc)
    for si, sent in enumerate(doc.sents):
        out[sent.start:sent.end] = [si] * (sent.end - sent.start)
    return out


def _split_embedded_person(ent: Span, kb: KnowledgeBases) -> list[Span]:
    """'Security Council Dmitry Medvedev' tagged as one ORG: the NER glued a title or body to
    a person's name. Split off a final two- or three-word name that the KB knows as a person,
    or a given name and a surname after other words ("Rosatom Aleksei Likhachev")."""
    from spacy.tokens import Span as SpacySpan

    if ent.label_ not in ("ORG", "GPE", "FAC", "NORP") or len(ent) < 3:
        return [ent]
    for n in (3, 2):
        if len(ent) - n < 1:
            continue
        tail = ent[len(ent) - n:]
        if not all(t.text[:1].isupper() or "-" in t.text for t in tail):
            continue
        hits = [c for c in kb.exact(tail.text, include_partial=False)
                if c.entry.type == "PERSON"]
        hits += [c for c in kb.search(tail.text, types=["PERSON"], limit=3, min_similarity=0.88)
                 if len(c.alias.split()) >= 2]
        if hits or _given_name_after_body(ent[:len(ent) - n], tail, kb):
            end = tail.start
            while end > ent.start + 1 and ent.doc[end - 1].is_lower:
                end -= 1  # "The Unity Party of" + "Timur Balkan": the party
            head = SpacySpan(ent.doc, ent.start, end, label=ent.label_)
            person = SpacySpan(ent.doc, tail.start, ent.end, label="PERSON")
            return [head, person]
    return [ent]


def _given_name_after_body(head: Span, tail: Span, kb: KnowledgeBases) -> bool:
    """``tail`` is a given name and a surname that the KB does not know as a place or
    organisation, after a word of its own that is no given name, which names a body or is
    a title's word: one the KB knows as a place or organisation, a body's noun, or one of a
    title ("Rosatom Aleksei Likhachev", "the Unity Party of Timur Balkan", "Minister of
    Tourism and Antiquities Sharif Fathi"; not "Mary Ann Smith", "Jean-Marc Ayrault", "The
    New Jim Crow")."""
    genders = given_name_genders()
    words = [t for t in head if not t.is_lower]
    if not (len(tail) == 2 and words and tail[0].lower_ in genders and tail[-1].pos_ == "PROPN"
            and all(t.is_alpha or "-" in t.text for t in tail)):
        return False
    last = head[-1]
    if not (last.is_alpha and last.whitespace_) or words[-1].lower_ in genders or any(
            c.entry.type != "PERSON" for c in kb.exact(tail.text)):
        return False
    doc = head.doc
    before = doc[max(0, head.start - 5):head.start]
    body = " ".join(t.text for t in words)
    return words[-1].lower_ in institution_nouns() | organisation_nouns() or any(
        c.entry.type != "PERSON" for c in kb.exact(body, include_partial=False)) or any(
        t.lower_ in role_words() and role_words()[t.lower_] for t in before)


def _name_candidate(doc: Doc, ent: Span, kb: KnowledgeBases, sent_of: list[int]
                    ) -> MentionCandidate | None:
    start, end, roles = _strip_span(ent)
    if start >= end:
        return None
    span = doc[start:end]
    if not any(ch.isalpha() for ch in span.text) or not any(t.text[:1].isupper() for t in span):
        return None  # "the west bank": a common noun phrase, not a name
    if is_bare_title(span):
        return _title_nominal(span, sent_of)  # "President", "Foreign Minister": no name
    if end < len(doc) and doc[end].lower_.rstrip(".") in role_words() and all(
            t.lower_ in title_words() for t in span):
        return None  # "Defence" of "Defence Minister": part of a title
    if len(span) == 1 and span[0].lower_ in sports_words():
        return None  # "Division", "CRICKET": a word of sports news, not a name
    head = _head_token(doc, start, end)
    label = ent.label_
    exact = kb.exact(span.text, include_partial=False)
    kb_types = tuple(sorted({c.entry.type for c in exact}))
    roles = roles | _preceding_roles(doc, start) | _appositive_roles(head)
    speaker = is_speaker_slot(head)
    relabelled: str | None = None
    if label == "NORP" and span.text.isupper() and len(span.text) > 1 and \
            _country_label(span.text) is None:
        relabelled, label = label, "ORG"  # "the MID": an acronym is no people
    if kb_types and label not in kb_types and label != "NORP":
        # The KB knows this exact name: trust its type over the NER's guess.
        new = "PERSON" if "PERSON" in kb_types else kb_types[0]
        if not (label == "PERSON" and speaker and new != "PERSON"):
            relabelled, label = label, new
    elif label in ("GPE", "ORG", "LOC", "FAC", "NORP") and not kb_types and (
            roles & _PERSON_ROLES or (label != "ORG" and speaker and head.dep_ in SUBJECT_DEPS
                                      and _looks_like_name(span))
            or (2 <= len(span) <= 3 and span[0].lower_ in given_name_genders()
                and _looks_like_name(span))):
        # ... and "Elon Mask" tagged ORG starts with a given name: a person.
        # An unknown "place" that speaks, or any unknown name with a person's role in
        # apposition, is a (garbled) person. Organisations may speak; they keep their type.
        relabelled, label = label, "PERSON"
    return MentionCandidate(
        start=span.start_char, end=span.end_char, text=span.text, label=label, kind="name",
        sent=sent_of[head.i], head=head.i, roles=roles, speaker_slot=speaker,
        subject=head.dep_ in SUBJECT_DEPS,
        kb_exact=tuple(c.entry.kb_id for c in exact), kb_types=kb_types,
        relabelled_from=relabelled,
    )


_PERSON_ROLES = frozenset({"president", "prime_minister", "minister", "adviser", "spokesperson",
                           "military", "legislator", "diplomat", "chair", "commander_in_chief",
                           "secretary", "chancellor", "governor", "mayor"})


def _looks_like_name(span: Span) -> bool:
    """One to three capitalised words that are proper nouns: could be a (garbled) name."""
    return 1 <= len(span) <= 3 and all(t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN", "ADJ")
                                       for t in span)


def _missed_names(doc: Doc, kb: KnowledgeBases, covered: set[int], sent_of: list[int]
                  ) -> list[MentionCandidate]:
    """Capitalised proper nouns outside any entity that sit in a speaker slot or are KB names."""
    out = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        first_name = (tok.lower_ in given_name_genders() and i + 1 < len(doc)
                      and doc[i + 1].text[:1].isupper() and doc[i + 1].pos_ == "PROPN")
        capital = tok.text[:1].isupper()
        if i not in covered and _demonym_acronym(doc, i):
            out.append(_untagged_name(doc[i:i + 1], "ORG", kb, sent_of))
            i += 1
            continue
        if i in covered or not capital or (tok.pos_ != "PROPN" and not first_name) or (
                tok.is_sent_start and not is_speaker_slot(tok) and not first_name):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper() \
                and j + 1 not in covered:
            j += 1
        span = doc[i:j + 1]
        if is_bare_title(span):  # "Foreign Minister said": a title, not a name
            out.append(_title_nominal(span, sent_of))
            i = j + 1
            continue
        exact = kb.exact(span.text, include_partial=False)
        if exact or is_speaker_slot(span.root) or (first_name and len(span) >= 2):
            types = tuple(sorted({c.entry.type for c in exact}))
            label = ("PERSON" if "PERSON" in types or not types else types[0])
            out.append(MentionCandidate(
                start=span.start_char, end=span.end_char, text=span.text, label=label,
                sent=sent_of[span.root.i], head=span.root.i,
                speaker_slot=is_speaker_slot(span.root),
                subject=span.root.dep_ in SUBJECT_DEPS,
                kb_exact=tuple(c.entry.kb_id for c in exact), kb_types=types,
                relabelled_from="-"))
        i = j + 1
    return out


def _demonym_acronym(doc: Doc, i: int) -> bool:
    """An acronym after a country's adjective ("the Chinese CNNC", "the French EDF"): a
    company or body of that country, which the NER often leaves untagged. Not a common
    noun the tagger reads as one ("the Chinese GDP") nor one qualifying a noun ("LNG
    exports"), nor a title ("CEO")."""
    tok = doc[i]
    return i > 0 and tok.is_alpha and tok.is_upper and len(tok) >= 3 and \
        tok.pos_ == "PROPN" and tok.dep_ != "compound" and \
        tok.lower_ not in role_words() and (doc[i - 1].ent_type_ == "NORP" or
                                            _country_label(doc[i - 1].text) == "NORP") and \
        not doc[i - 1].is_upper and (i + 1 == len(doc) or not doc[i + 1].is_upper)


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Words that qualify a title ("foreign", "deputy"): ``data/title_words.tsv``."""
    return frozenset(r["word"] for r in read_rows("title_words.tsv"))


@lru_cache(maxsize=1)
def national_teams() -> frozenset[str]:
    """Places that field national sides though not countries: ``data/national_teams.tsv``."""
    return frozenset(r["name"].lower() for r in read_rows("national_teams.tsv"))


def _is_nation(text: str) -> bool:
    """A country or another place with a national side: its name is a place in sports news."""
    return countries().lookup(text) is not None or \
        text.lower().removeprefix("the ").strip() in national_teams()


@lru_cache(maxsize=1)
def event_words() -> frozenset[str]:
    """Last words of recurring events' names: ``data/event_words.tsv``."""
    return frozenset(r["word"] for r in read_rows("event_words.tsv"))


@lru_cache(maxsize=1)
def affiliation_nouns() -> frozenset[str]:
    """Nouns that make the name before them a body: ``data/affiliation_nouns.tsv``."""
    return frozenset(r["word"] for r in read_rows("affiliation_nouns.tsv"))


@lru_cache(maxsize=1)
def sports_words() -> frozenset[str]:
    """Words that mark sports news: ``data/sports_words.tsv``."""
    return frozenset(r["word"] for r in read_rows("sports_words.tsv"))


# A wire dateline opening a line: "OTTAWA 1996-08-30", "TOFTIR , Faroe Islands 1996-08-31",
# "MOSCOW, Aug 30 (Reuters) -": a place in capitals, perhaps its region, then a date or an
# agency's credit.
_CAPS_WORD = r"[A-Z][A-Z'.\-]*"
_REGION_WORD = r"[A-Z][A-Za-z'.\-]*"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<place>{_CAPS_WORD}(?: {_CAPS_WORD})*)"
    rf"(?: ?, (?P<region>{_REGION_WORD}(?: {_REGION_WORD})*))?"
    r" ?,? (?:\d{4}-\d\d-\d\d\b|\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b|"
    r"\([A-Z][A-Za-z]+\) [-\u2013\u2014])", re.M)
# Initials and a surname: "A. Dale", "J.J. Kenny", "T.O'Gorman".
_INITIALS_NAME = re.compile(r"^(?:[A-Z]\. ?){1,3}[A-Z][a-z'][A-Za-z'\-]+$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# A line is written in capitals (a headline: the NER reads it badly) when this share of at
# least this many letters are capitals.
_CAPS_SHARE = 0.9
_CAPS_MIN_LETTERS = 4
# Longest name, in words, looked for again in a line of capitals.
_CAPS_MAX_WORDS = 4
# A score or a count in a results table: "2", "108-3" (not a year, a sum or a date).
_SCORE = re.compile(r"^\d{1,3}(?:-\d{1,3})?$")
# Words between the two teams of a fixture: "Leeds v Chelsea" ("CHICAGO AT TORONTO" names
# a team and the place it plays at).
_FIXTURE_WORDS = frozenset({"v", "v.", "vs", "vs."})
# Prepositions after which a place in a sports text is where something happens ("in
# Pittsburgh", "at Headingley"), not a team.
_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "around", "across"})
# Characters that end a name: a name never runs on across a bracket, a colon or a list.
_NAME_BREAKS = frozenset({"(", ")", "[", "]", "{", "}", "|", ":", ";", ","})
_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                        "ORDINAL"})


@dataclass(frozen=True)
class TextLayout:
    """What a text's lines say about the names on them: whether it is sports news, where its
    dateline places are (character spans), and the line of each token."""

    sports: bool
    datelines: tuple[tuple[int, int], ...]
    line_of: tuple[int, ...]
    caps_lines: frozenset[int] = frozenset()  # lines written in capitals (headlines)

    def in_dateline(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.datelines)


def read_layout(doc: Doc, *, sports_min_cues: int) -> TextLayout:
    cues = sports_words()
    sports = len({t.lower_ for t in doc if t.lower_ in cues}) >= sports_min_cues
    datelines = tuple(m.span(g) for m in _DATELINE.finditer(doc.text)
                      for g in ("place", "region") if m.group(g))
    line_of: list[int] = []
    line = 0
    for t in doc:
        line_of.append(line)
        line += t.text.count("\n") + t.whitespace_.count("\n")
    caps = set()
    for n, text in enumerate(doc.text.split("\n")):
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) >= _CAPS_MIN_LETTERS and sum(ch.isupper() for ch in letters) >= \
                _CAPS_SHARE * len(letters):
            caps.add(n)
    return TextLayout(sports, datelines, tuple(line_of), frozenset(caps))


def _breaks_name(doc: Doc, t: Token) -> bool:
    """Token t ends a name and is no part of it."""
    if t.is_space:
        return "\n" in t.text
    if t.text in _NAME_BREAKS:
        return True
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if (t.lower_ in _FIXTURE_WORDS or t.text in ("AT", "at") or _SCORE.match(t.text)) and t.i > 0 \
            and nxt is not None and nxt.text[:1].isupper():
        return True  # "Leeds v Chelsea", "BALTIMORE AT SEATTLE", "Millwall 2 Burnley"
    # a dash between spaces ("Belgium - Marc Degryse"), not inside a word or a date
    return t.text in _DASHES and bool(t.whitespace_) and t.i > 0 and bool(doc[t.i - 1].whitespace_)


def _no_letters(t: Token) -> bool:
    return not any(ch.isalpha() for ch in t.text)


def _name_spans(doc: Doc) -> list[Span]:
    """spaCy's names cut where a name cannot go on (a line break, a bracket, a comma, a dash
    between words) and without numbers or punctuation at their edges ("Bristol City 4"). A
    piece of a longer entity is typed again from what it is: a country, or a given name and
    a surname ("Belgium - Marc Degryse" tagged as one ORG)."""
    from spacy.tokens import Span as SpacySpan

    out = []
    for ent in _given_names_moved(doc):
        if ent.label_ not in NAME_LABELS:
            continue
        pieces, start = [], ent.start
        for t in ent:
            if _breaks_name(doc, t):
                pieces.append((start, t.i))
                start = t.i + 1
        pieces.append((start, ent.end))
        pieces = [p for a, b in pieces for p in _split_qualifier(doc, a, b, ent.label_)]
        for a, b in pieces:
            while a < b and _no_letters(doc[a]) and not (
                    _YEAR.match(doc[a].text) and _is_event_name(doc[a:b])):
                a += 1  # "1998 World Cup" keeps its year
            while b > a and (_no_letters(doc[b - 1]) or doc[b - 1].text[:1].isdigit()
                             or doc[b - 1].lower_ in _FIXTURE_WORDS):
                b -= 1  # "Roberto Carlos 79th", "St Johnstone v"
            if a >= b:
                continue
            label = ent.label_
            if (a, b) != (ent.start, ent.end):
                label = _piece_label(doc[a:b], label)
            elif _INITIALS_NAME.match(doc[a:b].text):
                label = "PERSON"  # "H. Morris" tagged ORG
            if b - a >= 2 and label != "EVENT" and _is_event_name(doc[a:b]):
                label = "EVENT"  # "the Hong Kong Open", "the Fed Cup"
            if label == "PERSON" and b - a >= 2 and _country_label(doc[a].text) == "NORP":
                out.append(SpacySpan(doc, a, a + 1, label="NORP"))  # "American Ann Lee"
                a += 1
            if label in ("PERSON", "NORP", "GPE", "ORG") and _given_name_before(doc, a) and (
                    label == "PERSON" or (b - a == 1 and _country_label(doc[a].text) is None)):
                # "Costantino Rocca" of which the NER took "Rocca" only; "Fatih Erbakan"
                # of which it took "Erbakan" for a people
                a -= 1
                label = "PERSON"
            out.append(SpacySpan(doc, a, b, label=label))
    return out


def _given_names_moved(doc: Doc) -> list[Span]:
    """The NER's entities, a monarch's number taken into the name (``_with_regnal_number``)
    and a person's first name that the NER ran into the name before ("the Islamic Emirate of
    Afghanistan Gul" + "Hassan Hassan") moved to the person: the last word of a name that
    ends a country's name or is a given name, right before a person's name."""
    from spacy.tokens import Span as SpacySpan

    ents = [_with_regnal_number(doc, ent) for ent in doc.ents]
    for k in range(len(ents) - 1):
        ent, person = ents[k], ents[k + 1]
        if person.label_ != "PERSON" or ent.label_ not in ("ORG", "GPE", "NORP", "FAC") or \
                person.start != ent.end or len(ent) < 2:
            continue
        last = ent[-1]
        if not (last.is_alpha and last.is_title and not last.whitespace_.count("\n")):
            continue
        if last.lower_ in given_name_genders() or (
                len(ent) >= 3 and _country_label(ent[-2].text) == "GPE"):
            ents[k] = SpacySpan(doc, ent.start, ent.end - 1, label=ent.label_)
            ents[k + 1] = SpacySpan(doc, ent.end - 1, person.end, label="PERSON")
    return ents


def _with_regnal_number(doc: Doc, ent: Span) -> Span:
    """A name followed by "the" and a capitalised ordinal ("Ramses the Second"): a
    monarch's name with its number, one person."""
    from spacy.tokens import Span as SpacySpan

    end = ent.end
    if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP") or end + 1 >= len(doc):
        return ent
    the, number = doc[end], doc[end + 1]
    if the.lower_ == "the" and number.ent_type_ == "ORDINAL" and number.is_title and \
            number.is_alpha and number.ent_iob_ == "B" and ent[-1].text[:1].isupper():
        return SpacySpan(doc, ent.start, end + 2, label="PERSON")
    return ent


def _split_qualifier(doc: Doc, a: int, b: int, label: str) -> list[tuple[int, int]]:
    """An organisation's name that the NER ran on into a name qualifying the noun after it:
    "the New Development Bank of the BRICS countries" names the bank and BRICS, not a
    "Bank of the BRICS". Token bounds of the pieces."""
    if label != "ORG" or b >= len(doc) or b - a < 3:
        return [(a, b)]
    nxt = doc[b]
    if not (nxt.is_lower and nxt.pos_ == "NOUN" and doc[b - 1].head == nxt):
        return [(a, b)]
    for k in range(b - 2, a, -1):
        if doc[k].lower_ == "of":
            rest = k + 2 if doc[k + 1].lower_ == "the" else k + 1
            if rest < b and doc[k - 1].text[:1].isupper() and doc[rest].text[:1].isupper():
                return [(a, k), (rest, b)]
            break
    return [(a, b)]


def _given_name_before(doc: Doc, start: int) -> bool:
    """The word before a person's name is an untagged given name on the same line: the rest
    of the name ("Dennis Hale" of which the NER took "Hale")."""
    if start == 0:
        return False
    t = doc[start - 1]
    before = doc[start - 2] if start > 1 else None
    if before is not None and before.is_alpha and before.text[:1].isupper() \
            and "\n" not in before.whitespace_ and not (before.ent_type_ and not t.ent_type_):
        # "General Staff Vadim Lund": more capitals before, a title's words; but a name the
        # NER ended before the given name is another name ("Moscow Region Timur Ivanov")
        return False
    return (t.is_alpha and t.is_title and t.lower_ in given_name_genders() and not t.ent_type_
            and "\n" not in t.whitespace_ and _country_label(t.text) is None)


def _is_event_name(span: Span) -> bool:
    """A name ending in a recurring event's word: "Fed Cup", "U.S. Open", "Grand Prix"."""
    if len(span) < 2:
        return False
    words = event_words()
    last_two = f"{span[-2].lower_} {span[-1].lower_}"
    return span[-1].text[:1].isupper() and (span[-1].lower_ in words or last_two in words)


def _piece_label(span: Span, label: str) -> str:
    """The type of a piece cut from a longer entity."""
    country = _country_label(span.text)
    if country is not None:
        return country
    if 2 <= len(span) <= 3 and span[0].lower_ in given_name_genders() and _looks_like_name(span):
        return "PERSON"
    return "PERSON" if _INITIALS_NAME.match(span.text) else label


def _country_label(text: str) -> str | None:
    """'GPE' for a country's name, 'NORP' for its adjective or people, else None."""
    country = countries().lookup(text)
    if country is None:
        return None
    names = {n.lower() for n in (country.name, *country.aliases)}
    return "GPE" if text.lower().removeprefix("the ").strip() in names else "NORP"


def _line_neighbours(doc: Doc, start: int, end: int, layout: TextLayout
                     ) -> tuple[Token | None, Token | None]:
    """The tokens right before and after tokens start..end on their line (None at its ends)."""
    line = layout.line_of[start]
    prev = doc[start - 1] if start > 0 and layout.line_of[start - 1] == line \
        and not doc[start - 1].is_space else None
    nxt = doc[end] if end < len(doc) and layout.line_of[end] == line \
        and not doc[end].is_space else None
    return prev, nxt


def _is_score(t: Token | None) -> bool:
    return t is not None and bool(_SCORE.match(t.text)) and t.ent_type_ not in (
        "MONEY", "PERCENT", "QUANTITY")


def _team_slot(doc: Doc, start: int, end: int, layout: TextLayout) -> bool:
    """Tokens start..end stand where a results table or a fixture list puts a team: before a
    score ("Leeds 2 Chelsea 1", "ATLANTA 84 50 .627") or beside "v" / "AT"."""
    prev, nxt = _line_neighbours(doc, start, end, layout)
    if _is_score(nxt):
        return True
    return any(t is not None and t.lower_ in _FIXTURE_WORDS for t in (prev, nxt))


def _result_row_slot(doc: Doc, start: int, end: int, layout: TextLayout) -> bool:
    """A team of a match result line: "Orrell 13 Bath 56" (a name between scores or at the
    start of the line, before a score, on a line holding two scores and no lower-case
    words)."""
    prev, nxt = _line_neighbours(doc, start, end, layout)
    if not _is_score(nxt) or not (prev is None or _is_score(prev)):
        return False
    line = layout.line_of[start]
    words = [t for t in doc[max(0, start - 12):min(len(doc), end + 12)]
             if layout.line_of[t.i] == line and not t.is_space]
    return sum(_is_score(t) for t in words) >= 2 and not any(
        t.is_alpha and t.text.islower() and t.text not in _FIXTURE_WORDS for t in words)


def _table_names(doc: Doc, kb: KnowledgeBases, covered: set[int], sent_of: list[int],
                 layout: TextLayout) -> list[MentionCandidate]:
    """Teams of results tables and fixture lists that the NER left untagged ("Torquay 2
    Exeter 0"): capitalised proper nouns in a team slot of a sports text."""
    if not layout.sports:
        return []
    out = []
    cues = sports_words()
    i = 0
    while i < len(doc):
        j = i
        while j < len(doc) and j not in covered and doc[j].text[:1].isupper() \
                and doc[j].is_alpha and doc[j].ent_type_ not in _NOT_NAMES \
                and layout.line_of[j] == layout.line_of[i] and doc[j].text != "AT":
            j += 1
        if j == i:
            i += 1
            continue
        span = doc[i:j]
        # a proper noun in a team's place, or any capitalised word of a results row
        # ("Reading 2 Stoke 2": the tagger reads a verb)
        if (len(span.text) > 1 and span[0].lower_ not in given_name_genders()
                and span.text.lower() not in cues and not is_bare_title(span)
                and ((all(t.pos_ == "PROPN" for t in span) and _team_slot(doc, i, j, layout))
                     or _result_row_slot(doc, i, j, layout))):
            out.append(_untagged_name(span, "GPE" if _is_nation(span.text) else "ORG",
                                      kb, sent_of))
        i = j
    return out


def _dateline_names(doc: Doc, kb: KnowledgeBases, found: list[MentionCandidate],
                    sent_of: list[int], layout: TextLayout) -> list[MentionCandidate]:
    """Dateline places the NER left untagged ("VARNA 2026-03-14"): places."""
    out = []
    for a, b in layout.datelines:
        span = doc.char_span(a, b, alignment_mode="contract")
        if span is None or not len(span) or any(c.start < b and a < c.end for c in found):
            continue
        out.append(_untagged_name(span, "GPE", kb, sent_of))
    return out


def _untagged_name(span: Span, label: str, kb: KnowledgeBases, sent_of: list[int]
                   ) -> MentionCandidate:
    """A name the NER left untagged, found by a rule that gives its label; what the KB
    knows of it exactly is kept as for any mention."""
    exact = kb.exact(span.text, include_partial=False)
    return MentionCandidate(
        start=span.start_char, end=span.end_char, text=span.text, label=label,
        sent=sent_of[span.root.i], head=span.root.i,
        kb_exact=tuple(c.entry.kb_id for c in exact),
        kb_types=tuple(sorted({c.entry.type for c in exact})), relabelled_from="-")


def _label_in_context(doc: Doc, cands: list[MentionCandidate], layout: TextLayout
                      ) -> list[MentionCandidate]:
    """Names typed by where they stand: a dateline's place is a place; in sports news a
    place that is not a country, out of a locative phrase ("in Pittsburgh"), is a team,
    and so is a one-word "person" in a match result line; then one type per name in the
    text (the type context gave it wins over the NER's), and a one-word "person" that opens
    an organisation's name of the text ("Barrick" of "Barrick Gold") is that organisation."""
    out = []
    fixed: set[int] = set()  # mentions a dateline or a team slot typed
    for c in cands:
        label = c.label
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if c.kind != "name" or span is None:
            out.append(c)
            continue
        if layout.in_dateline(c.start, c.end):
            label = label if label in PLACE_LABELS else "GPE"
            fixed.add(len(out))
        elif layout.sports and not _is_nation(c.text):
            prev = doc[span.start - 1] if span.start > 0 else None
            team = _team_slot(doc, span.start, span.end, layout)
            if label == "GPE" and (team or prev is None or prev.lower_ not in _LOCATIVE):
                label = "ORG"
            elif prev is not None and prev.lower_ in _LOCATIVE:
                fixed.add(len(out))  # "at Wembley", "CHICAGO AT TORONTO": where it is played
            elif label == "PERSON" and len(span) == 1 and span[0].lower_ not in \
                    given_name_genders() and "PERSON" not in c.kb_types and (
                        _result_row_slot(doc, span.start, span.end, layout)
                        or (team and not (prev is not None and prev.is_lower))):
                label = "ORG"  # "Leicestershire 296": a side's score ("b Moss 33": a bowler)
            elif label in ("PERSON", "NORP") and len(span) == 1 and prev is not None \
                    and prev.lower_ == "the" and span[0].text.endswith("s") \
                    and span[0].text[:1].isupper() and _country_label(c.text) is None:
                label = "ORG"  # "the Springboks", "the Reds": a side named in the plural
            if team:
                fixed.add(len(out))
        if label == "PERSON" and "PERSON" not in c.kb_types and _affiliation_follows(doc, span):
            label = "ORG"  # "Kestrel spokesman Ola Dahl": Kestrel is what he speaks for
        out.append(c if label == c.label else replace(c, label=label, relabelled_from=c.label))
    return _org_openings(_one_type_per_name(out, fixed))


def _names_in_capitals(doc: Doc, kb: KnowledgeBases, cands: list[MentionCandidate],
                       sent_of: list[int], layout: TextLayout) -> list[MentionCandidate]:
    """Names of a headline in capitals read again: the NER tags capitals poorly, so a run of
    words there that the text names elsewhere ("UKRAINE" for "Ukraine", "WORLD CUP" for
    "World Cup") or that is a country or its adjective becomes that name, with the type the
    text gives it, in place of what the NER found over those words."""
    if not layout.caps_lines:
        return cands
    spans = [doc.char_span(c.start, c.end, alignment_mode="expand") for c in cands]
    known: dict[str, Counter[str]] = {}
    for c, span in zip(cands, spans):
        if c.kind == "name" and span is not None and \
                layout.line_of[span.start] not in layout.caps_lines:
            known.setdefault(c.text.lower(), Counter())[c.label] += 1
    found: list[MentionCandidate] = []
    i = 0
    while i < len(doc):
        if layout.line_of[i] not in layout.caps_lines or not doc[i].is_alpha:
            i += 1
            continue
        for n in range(_CAPS_MAX_WORDS, 0, -1):
            span = doc[i:i + n]
            if len(span) < n or any(t.is_space or layout.line_of[t.i] != layout.line_of[i]
                                    for t in span) or not span[-1].text[:1].isalnum():
                continue
            if layout.in_dateline(span.start_char, span.end_char) or (
                    i > 0 and doc[i - 1].lower_ == "at"):
                continue  # a dateline, "AT TORONTO": places, typed already
            key = span.text.lower()
            label = known[key].most_common(1)[0][0] if key in known else (
                _country_label(span.text) or ("GPE" if _is_nation(span.text) else None))
            if label is not None:
                found.append(_untagged_name(span, label, kb, sent_of))
                i += n
                break
        else:
            i += 1
    if not found:
        return cands
    kept = [c for c in cands if not any(f.start < c.end and c.start < f.end for f in found)]
    return sorted([*kept, *found], key=lambda c: c.start)


def _affiliation_follows(doc: Doc, span: Span) -> bool:
    """A noun of belonging follows the name: "Kestrel shares", "Halifax captain"."""
    nouns = affiliation_nouns()
    if span.end >= len(doc) or not doc[span.end].is_lower:
        return False
    two = f"{doc[span.end].lower_} {doc[span.end + 1].lower_}" if span.end + 1 < len(doc) \
        else ""
    return doc[span.end].lower_ in nouns or two in nouns


def _one_type_per_name(cands: list[MentionCandidate], fixed: set[int]
                       ) -> list[MentionCandidate]:
    """A name written the same way several times is one thing: where context or the KB typed
    some of its mentions, the type its mentions give it most, such a type counting three
    times the NER's (the NER's guesses alone never outvote each other)."""
    votes: dict[str, Counter[str]] = {}
    backed: set[tuple[str, str]] = set()  # (name, type) that context or the KB gave
    for i, c in enumerate(cands):
        if c.kind == "name":
            evidence = bool(i in fixed or c.relabelled_from or c.kb_types)
            votes.setdefault(c.text.lower(), Counter())[c.label] += 3 if evidence else 1
            if evidence:
                backed.add((c.text.lower(), c.label))
    out = []
    for i, c in enumerate(cands):
        vote = votes.get(c.text.lower()) if c.kind == "name" and i not in fixed else None
        if vote is not None and len(vote) > 1:
            label, n = vote.most_common(1)[0]
            if label != c.label and n > vote[c.label] and "NORP" not in (c.label, label) \
                    and (c.text.lower(), label) in backed \
                    and not (c.label == "PERSON" and c.speaker_slot):
                c = replace(c, label=label, relabelled_from=c.label)
        out.append(c)
    return out


def _org_openings(cands: list[MentionCandidate]) -> list[MentionCandidate]:
    orgs = {c.text.split()[0] for c in cands
            if c.kind == "name" and c.label == "ORG" and len(c.text.split()) > 1}
    people = {w for c in cands if c.kind == "name" and c.label == "PERSON"
              and len(c.text.split()) > 1 for w in c.text.split()}
    return [replace(c, label="ORG", relabelled_from=c.label)
            if c.kind == "name" and c.label == "PERSON" and c.text in orgs
            and c.text not in people else c for c in cands]


def _join_of_phrases(doc: Doc, cands: list[MentionCandidate]) -> list[MentionCandidate]:
    """'the Foreign Affairs Committee of the House of Representatives' is one organisation:
    an ORG followed by 'of (the)' and another ORG becomes one mention, and so does a body
    named for its task ("Agency for Atomic Energy": a body's noun, 'for (the)', an ORG).
    An ORG that only qualifies the noun after it ("of the BRICS countries") is not joined."""
    text = doc.text  # spaCy rebuilds doc.text on every access
    bodies = institution_nouns() | organisation_nouns()
    cands = _untagged_bodies(doc, cands, bodies)
    out: list[MentionCandidate] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        if c.label == "ORG" and i + 1 < len(cands) and (cands[i + 1].label == "ORG" or (
                cands[i + 1].label == "GPE" and _country_label(cands[i + 1].text) == "GPE"
                and (c.text.isupper() or c.text.split()[-1].lower() in bodies))):
            between = text[c.end:cands[i + 1].start].strip().lower()
            joins = between in ("of", "of the") or (
                between in ("for", "for the") and c.text.split()[-1].lower() in bodies)
            if joins and not _qualifies_noun(doc, cands[i + 1]):
                nxt = cands[i + 1]
                out.append(replace(c, end=nxt.end, text=text[c.start:nxt.end],
                                   kb_exact=(), kb_types=()))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


# An abbreviation defined in brackets right after a name: "(TCMB)", "(TÜİK)".
_BRACKETED_ABBREVIATION = re.compile(r"[ \t]*\([ \t]*(?P<abbr>[^\W\d_]{2,10})[ \t]*\)")
# Labels of names whose bracketed abbreviation names them too (not people: "(R)").
_ABBREVIATED_LABELS = frozenset({"ORG", "GPE", "FAC", "LOC"})


def _is_abbreviation(word: str) -> bool:
    """Two or more capitals and no more small letters than capitals: "TCMB", "MoD"."""
    caps = sum(ch.isupper() for ch in word)
    return word[:1].isupper() and caps >= 2 and caps >= len(word) - caps


def _parenthesised_abbreviations(doc: Doc, kb: KnowledgeBases, cands: list[MentionCandidate],
                                 sent_of: list[int]) -> list[MentionCandidate]:
    """"The Central Bank of the Republic of Turkey (TCMB)": the bracketed abbreviation names
    what the name before it names, whatever language its letters come from. It becomes a
    mention of that name's type that records the name it abbreviates (``abbreviates``), found
    even where the NER left it untagged."""
    text = doc.text
    by_start = {c.start: i for i, c in enumerate(cands) if c.kind == "name"}
    out = list(cands)
    added = []
    for c in cands:
        if c.kind != "name" or c.label not in _ABBREVIATED_LABELS:
            continue
        m = _BRACKETED_ABBREVIATION.match(text, c.end)
        if m is None or not _is_abbreviation(m["abbr"]) or \
                _letters(m["abbr"]) == _letters(c.text):
            continue
        a, b = m.start("abbr"), m.end("abbr")
        known = {cd.entry.kb_id for cd in kb.exact(m["abbr"], include_partial=False)}
        if known and not known & set(c.kb_exact) and (c.kb_exact or c.label in PLACE_LABELS):
            continue  # "WASHINGTON (AP)": an agency's credit after a dateline
        at = by_start.get(a)
        if at is not None:
            if out[at].end == b:
                out[at] = replace(out[at], label=c.label, abbreviates=c.start)
            continue
        span = doc.char_span(a, b)
        if span is None or any(t.ent_type_ for t in span if t.ent_type_ in NAME_LABELS):
            continue
        added.append(replace(_untagged_name(span, c.label, kb, sent_of), abbreviates=c.start))
    return sorted([*out, *added], key=lambda c: c.start) if added else out


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _untagged_bodies(doc: Doc, cands: list[MentionCandidate], bodies: frozenset[str]
                     ) -> list[MentionCandidate]:
    """An ORG after "for (the)" and a capitalised body's noun that the NER left untagged
    ("the Agency for Atomic Energy" of which it took "Atomic Energy"), grown to start at
    that noun: one mention."""
    taken = {c.start for c in cands} | {c.end for c in cands}
    out = []
    for c in cands:
        span = doc.char_span(c.start, c.end, alignment_mode="expand") \
            if c.kind == "name" and c.label == "ORG" else None
        k = span.start - 1 if span is not None else -1
        if k > 0 and doc[k].lower_ == "the":
            k -= 1
        if k > 0 and doc[k].lower_ == "for" and doc[k - 1].is_title and \
                doc[k - 1].lower_ in bodies and not doc[k - 1].ent_type_ and \
                doc[k - 1].idx + len(doc[k - 1]) not in taken:
            start = doc[k - 1].idx
            c = replace(c, start=start, text=doc.text[start:c.end], kb_exact=(), kb_types=(),
                        head=doc[k - 1].i)
        out.append(c)
    return out


def _qualifies_noun(doc: Doc, c: MentionCandidate) -> bool:
    """The name stands before a common noun it qualifies: "BRICS" of "the BRICS countries"."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return False
    nxt = doc[span.end]
    return nxt.is_lower and nxt.pos_ == "NOUN" and span[-1].head == nxt


def _as_group(doc: Doc, c: MentionCandidate, sent_of: list[int]) -> MentionCandidate:
    """Demonym or country + institution noun -> a group mention ("Russian troops");
    person + government noun -> that leader's government ("Biden administration")."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return c
    noun = _group_noun_at(doc, span.end)
    if noun is None:
        # "the Ukrainian army" can come back from the NER as one ORG span
        last = span[-1]
        if c.label in ("ORG", "NORP") and len(span) >= 2 and last.lower_ in group_nouns():
            word = span[:-1].text
            country = countries().lookup(word)
            if country is not None:
                return replace(c, label="ORG", kind="group", country=country.name,
                               group_kind=group_nouns()[last.lower_])
        return c
    noun_text, noun_end = noun
    kind = group_nouns()[noun_text]
    grown = doc[span.start:noun_end]
    if c.label in ("NORP", "GPE"):
        country = countries().lookup(span.text)
        if country is None:
            return c
        return replace(c, end=grown.end_char, text=grown.text, label="ORG", kind="group",
                       country=country.name, group_kind=kind, head=grown.root.i,
                       subject=grown.root.dep_ in SUBJECT_DEPS,
                       speaker_slot=is_speaker_slot(grown.root), kb_exact=(), kb_types=())
    if c.label == "PERSON" and kind == "government":
        return replace(c, end=grown.end_char, text=grown.text, label="ORG", kind="group",
                       group_kind=kind, head_person=c.text, head=grown.root.i, kb_exact=(),
                       kb_types=(), roles=frozenset())
    return c


def _pronouns(doc: Doc, sent_of: list[int]) -> list[MentionCandidate]:
    genders = pronoun_genders()
    out = []
    for tok in doc:
        if tok.lower_ in genders and tok.pos_ == "PRON":
            out.append(MentionCandidate(
                start=tok.idx, end=tok.idx + len(tok), text=tok.text, label="PERSON",
                kind="pronoun", sent=sent_of[tok.i], head=tok.i,
                subject=tok.dep_ in SUBJECT_DEPS, gender=genders[tok.lower_]))
    return out


def _nominals(doc: Doc, names: list[MentionCandidate], sent_of: list[int]
              ) -> list[MentionCandidate]:
    """Role noun phrases: 'the adviser', 'the commander in chief of the Ukrainian army'."""
    roles = role_words()
    by_head = {c.head: c.start for c in names if c.kind == "name"}
    out = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.lower_ not in roles or not roles[root.lower_] or root.pos_ != "NOUN":
            continue
        if chunk[0].lower_ not in ("the", "this", "that"):
            continue
        end = chunk.end
        # "commander in chief": the title goes on; "of the army" is not part of the mention,
        # which stays the role itself so that it never swallows the names it governs.
        role = roles[root.lower_]
        if end + 1 < len(doc) and f"{root.lower_} {doc[end].lower_} {doc[end + 1].lower_}" \
                in roles:
            role = roles[f"{root.lower_} {doc[end].lower_} {doc[end + 1].lower_}"]
            end += 2
        span = doc[chunk.start:end]
        appos = None
        for child in root.children:
            if child.dep_ == "appos" and child.i in by_head:
                appos = by_head[child.i]
        if root.dep_ == "appos" and root.head.i in by_head:
            appos = by_head[root.head.i]
        out.append(MentionCandidate(
            start=span.start_char, end=span.end_char, text=span.text, label="PERSON",
            kind="nominal", sent=sent_of[root.i], head=root.i,
            roles=frozenset({role}), subject=root.dep_ in SUBJECT_DEPS,
            speaker_slot=is_speaker_slot(root), appos_of=appos))
    return out


def _drop_overlaps(cands: list[MentionCandidate]) -> list[MentionCandidate]:
    """Keep names over nominals where they overlap; nominals may contain group names."""
    names = [c for c in cands if c.kind != "nominal"]
    by_start = sorted(names, key=lambda c: c.start)
    starts = [n.start for n in by_start]
    longest = max((n.end - n.start for n in names), default=0)
    out = list(names)
    for c in cands:
        if c.kind != "nominal":
            continue
        # only names that start at most ``longest`` characters before c can overlap it
        near = by_start[bisect_left(starts, c.start - longest):bisect_left(starts, c.end)]
        if any(n.start < c.end and c.start < n.end and not (c.start <= n.start and n.end <= c.end)
               for n in near):
            continue
        out.append(c)
    out.sort(key=lambda c: (c.start, -c.end))
    # two name mentions over the same characters: keep the longer
    kept: list[MentionCandidate] = []
    for c in out:
        if kept and c.kind != "nominal" and kept[-1].kind != "nominal" and c.start < kept[-1].end:
            if (c.end - c.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = c
            continue
        kept.append(c)
    return kept


def written_case(name: str, spellings: list[str]) -> str:
    """A name chosen from a headline or dateline in capitals ("GOTHENBURG"), as the text
    writes it elsewhere ("Gothenburg") when it does."""
    if not name.isupper():
        return name
    return next((s for s in spellings if not s.isupper() and s.lower() == name.lower()), name)


def with_demonyms(entities: list[Entity], mentions: list[MentionCandidate]) -> list[Entity]:
    """The entities with the demonyms inside group mentions ("Russian" of "Russian troops")
    as NORP names: the group stays one institution, and the adjective is a name of its own,
    as in any other sentence (added to the text's NORP entity of that country, or as a new
    one after the others). Written after everything else so that they count neither as
    country references nor for flags."""
    found: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.kind != "group" or not m.country:
            continue
        split = countries().split_prefix(m.text.removeprefix("the ").removeprefix("The "))
        if split is None:
            continue
        words = m.text[:len(m.text) - len(split[1])].strip()
        at = m.text.find(words)
        if at < 0 or _country_label(words) != "NORP":
            continue
        found.setdefault(split[0].name, []).append(
            Mention(start=m.start + at, end=m.start + at + len(words), text=words, kind="name"))
    if not found:
        return entities
    out = list(entities)
    for country, ms in found.items():
        home = next((i for i, e in enumerate(out) if e.type == "NORP" and any(
            (c := countries().lookup(sp)) is not None and c.name == country
            for sp in e.spellings)), None)
        if home is not None:
            e = out[home]
            ms = sorted({*e.mentions, *ms}, key=lambda x: (x.start, x.end))
            out[home] = e.model_copy(update={"mentions": ms, "spellings": list(dict.fromkeys(
                x.text for x in ms if x.kind == "name"))})
            continue
        ms = sorted(set(ms), key=lambda x: x.start)
        out.append(Entity(id=f"e{len(out) + 1}",
                          name=Counter(x.text for x in ms).most_common(1)[0][0],
                          type="NORP", kb_id=None, mentions=ms,
                          spellings=list(dict.fromkeys(x.text for x in ms)), country=country))
    return out
