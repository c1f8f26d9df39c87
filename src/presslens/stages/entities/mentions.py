"""Mention detection: name, group, nominal and pronoun mentions, found beyond spaCy's NER.

spaCy's small model mislabels garbled names (a person tagged GPE or ORG), splits group names
("Uzbek" + "army") and finds no nominal or pronoun mentions. This module starts from its
entities and repairs them with evidence a reader would use:

* the knowledge base (an exact alias fixes the type: "Kiev" is a city, not a person);
* the syntax: a name in the subject slot of a speech verb ("X said", "X believed"), or with
  a person's role in apposition ("X, an adviser to ..."), is a person or a group of people;
* demonym + institution noun ("Russian troops") is a group mention tied to a country.

Pure: returns ``MentionCandidate`` records and never touches the analysis.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from presslens.language.lexicons import (
    countries,
    given_name_genders,
    group_nouns,
    pronoun_genders,
    role_words,
    speech_verbs,
)
from presslens.language.syntax import SUBJECT_DEPS, climb_while
from presslens.model import NAME_LABELS

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


def find_mentions(doc: Doc, kb: KnowledgeBases) -> list[MentionCandidate]:
    """Every name, group, nominal and pronoun mention in the document, in text order."""
    sent_of = sentence_numbers(doc)
    out: list[MentionCandidate] = []
    covered: set[int] = set()
    for whole in doc.ents:
        if whole.label_ not in NAME_LABELS:
            continue
        for ent in _split_embedded_person(whole, kb):
            cand = _name_candidate(doc, ent, kb, sent_of)
            if cand is None:
                continue
            out.append(cand)
        covered.update(range(whole.start, whole.end))
    out.extend(_missed_names(doc, kb, covered, sent_of))
    out = _join_of_phrases(doc, sorted(out, key=lambda c: c.start))
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
    a person's name. Split off a final two- or three-word name that the KB knows as a person."""
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
        if hits:
            head = SpacySpan(ent.doc, ent.start, tail.start, label=ent.label_)
            person = SpacySpan(ent.doc, tail.start, ent.end, label="PERSON")
            return [head, person]
    return [ent]


def _name_candidate(doc: Doc, ent: Span, kb: KnowledgeBases, sent_of: list[int]
                    ) -> MentionCandidate | None:
    start, end, roles = _strip_span(ent)
    if start >= end:
        return None
    span = doc[start:end]
    if not any(t.is_alpha for t in span) or not any(t.text[:1].isupper() for t in span):
        return None  # "the west bank": a common noun phrase, not a name
    if span.text.lower().rstrip(".") in role_words() or all(
            t.lower_.rstrip(".") in role_words() for t in span):
        return None  # "President", "Prime Minister": a title without a name
    head = _head_token(doc, start, end)
    label = ent.label_
    exact = kb.exact(span.text, include_partial=False)
    kb_types = tuple(sorted({c.entry.type for c in exact}))
    roles = roles | _preceding_roles(doc, start) | _appositive_roles(head)
    speaker = is_speaker_slot(head)
    relabelled: str | None = None
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
        if i in covered or not capital or (tok.pos_ != "PROPN" and not first_name) or (
                tok.is_sent_start and not is_speaker_slot(tok) and not first_name):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper() \
                and j + 1 not in covered:
            j += 1
        span = doc[i:j + 1]
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


def _join_of_phrases(doc: Doc, cands: list[MentionCandidate]) -> list[MentionCandidate]:
    """'the Foreign Affairs Committee of the House of Representatives' is one organisation:
    an ORG followed by 'of (the)' and another ORG becomes one mention."""
    out: list[MentionCandidate] = []
    text = doc.text  # spaCy rebuilds doc.text on every access
    i = 0
    while i < len(cands):
        c = cands[i]
        if c.label == "ORG" and i + 1 < len(cands) and cands[i + 1].label == "ORG":
            between = text[c.end:cands[i + 1].start]
            if between.strip().lower() in ("of", "of the"):
                nxt = cands[i + 1]
                out.append(replace(c, end=nxt.end, text=text[c.start:nxt.end],
                                   kb_exact=(), kb_types=()))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


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
