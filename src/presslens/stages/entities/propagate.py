"""Mentions the NER missed, found after linking from what the clusters already know: other
occurrences of a cluster's spellings (and its KB entry's), and capitalised words in a name's
position that sound like a person of the article."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from presslens.language.lexicons import role_words
from presslens.language.syntax import SUBJECT_DEPS
from presslens.stages.entities.mentions import MentionCandidate, is_speaker_slot, sentence_numbers
from presslens.stages.entities.resolve import Cluster, best_similarity, person_index

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from presslens.stages.entities.linking import Link


def propagate_mentions(doc: Doc, mentions: list[MentionCandidate], clusters: list[Cluster],
                       links: list[Link | None]) -> list[tuple[int, MentionCandidate]]:
    """Mentions the NER missed, found from what the clusters already know: every other
    occurrence of a spelling seen in a cluster or known to its KB entry, and capitalised
    words in a name's position that sound like a person of the article ("Tramp said").
    Returns (cluster index, mention) pairs."""
    text = doc.text
    covered = bytearray(len(text) + 1)  # characters already inside a mention
    for m in mentions:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)

    def free(start: int, end: int) -> bool:
        return not any(covered[start:end])

    def take(start: int, end: int) -> None:
        covered[start:end] = b"\x01" * (end - start)

    found: list[tuple[int, MentionCandidate]] = []
    sent_of = sentence_numbers(doc)
    spelling_to: dict[str, int] = {}
    ambiguous: set[str] = set()
    for ci, (c, link) in enumerate(zip(clusters, links)):
        if c.group_kind or c.family not in ("PERSON", "ORG"):
            continue
        spellings = set(c.names)
        if link is not None and c.family == "PERSON":
            known = (link.entry.name, *link.entry.aliases)
            spellings.update(known)
            spellings.update(k.split()[-1] for k in known if len(k.split()) > 1)
        elif link is not None:
            # organisations: their full names and acronyms ("AFP"), not loose short forms
            spellings.update(a for a in (link.entry.name, *link.entry.aliases)
                             if len(a.split()) > 1 or (a.isupper() and len(a) >= 2))
        for sp in spellings:
            if len(sp) < 3 or sp.lower() in role_words():
                continue
            if sp in spelling_to and spelling_to[sp] != ci:
                ambiguous.add(sp)
            spelling_to[sp] = ci
    wanted = [sp for sp in spelling_to if sp not in ambiguous]
    starts = whole_word_matches(text, wanted)
    for sp, ci in sorted(spelling_to.items(), key=lambda kv: -len(kv[0])):
        if sp in ambiguous:
            continue
        for start in starts.get(sp, ()):
            end = start + len(sp)
            if not free(start, end):
                continue
            span = doc.char_span(start, end)
            if span is None:
                continue
            take(start, end)
            found.append((ci, _propagated(span, clusters[ci].label, sent_of)))
    # sound-alikes of the people: only the people filed under the word's keys can reach
    # the bar, and a word scores the same wherever it stands
    people = person_index(clusters, threshold=0.8)
    sound_alike: dict[str, int | None] = {}
    for tok in doc:
        if not tok.text[:1].isupper() or tok.is_upper or not tok.is_alpha or len(tok) < 3 or \
                not free(tok.idx, tok.idx + len(tok)):
            continue
        if not (tok.pos_ == "PROPN" or is_speaker_slot(tok)) or tok.lower_ in role_words():
            continue
        if tok.text not in sound_alike:
            scored = sorted(((best_similarity(tok.text, names), ci)
                             for ci, names in people.candidates("PERSON", tok.text)),
                            reverse=True)
            clear = bool(scored) and scored[0][0] >= 0.85 and not (
                len(scored) > 1 and scored[1][0] >= 0.8)
            sound_alike[tok.text] = scored[0][1] if clear else None
        person = sound_alike[tok.text]
        if person is None:
            continue
        span = doc[tok.i:tok.i + 1]
        take(tok.idx, tok.idx + len(tok))
        found.append((person, _propagated(span, "PERSON", sent_of)))
    return found


_WORD = re.compile(r"[\w-]+")
_WORD_CHAR = re.compile(r"[\w-]")


def whole_word_matches(text: str, spellings: Iterable[str]) -> dict[str, list[int]]:
    r"""Start offsets of each spelling where it stands as a whole word, as
    ``re.finditer(r"(?<![\w-])" + re.escape(sp) + r"(?![\w-])", text)`` finds them (left to
    right, not overlapping), for all spellings in one pass over the words of the text
    rather than one pass per spelling."""
    by_opening: dict[str, dict[int, set[str]]] = {}
    starts: dict[str, list[int]] = {}
    for sp in spellings:
        opening = _WORD.match(sp)
        if opening is None:  # opens with punctuation (rare): search for it alone
            pattern = re.compile(r"(?<![\w-])" + re.escape(sp) + r"(?![\w-])")
            starts[sp] = [m.start() for m in pattern.finditer(text)]
            continue
        # a match begins a word of the text, and that word is the spelling's first word
        by_opening.setdefault(opening.group(0), {}).setdefault(len(sp), set()).add(sp)
    ends: dict[str, int] = {}
    for word in _WORD.finditer(text):
        lengths = by_opening.get(word.group(0))
        if lengths is None:
            continue
        start = word.start()
        for n, same_length in lengths.items():
            end = start + n
            sp = text[start:end]
            if sp not in same_length or _WORD_CHAR.match(text, end) is not None:
                continue
            if start >= ends.get(sp, 0):  # finditer goes on after the previous match
                starts.setdefault(sp, []).append(start)
                ends[sp] = end
    return starts


def _propagated(span: Span, label: str, sent_of: list[int]) -> MentionCandidate:
    root = span.root
    return MentionCandidate(start=span.start_char, end=span.end_char, text=span.text,
                            label=label, sent=sent_of[root.i], head=root.i,
                            speaker_slot=is_speaker_slot(root),
                            subject=root.dep_ in SUBJECT_DEPS, relabelled_from="propagated")
