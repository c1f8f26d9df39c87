"""Cues of attribution beyond "said": what a verb of speech, belief, perception, intention,
demand, evaluation or position reports, read from the complements its sense allows.

The senses are data (``data/attribution_cues.tsv``): a lemma, its family and the frames
that hold its content, tried in order. ``cue_content`` is pure: it takes a verb token and
gives the token bounds of what the verb reports and the frame that found them, or None.

    "The survey found that most voters ..."        clause
    "She vowed to veto the bill"                     to
    "He criticized the mayor for the delay"          object (with its "for" phrase)
    "They urged the council to act"                  object_to
    "He described the deal as a disaster"            object_as
    "The group called for a moratorium"              for (a preposition's object)
    "She called on Congress to act"                  on_to
    "He referred to the plan as a tax"               to_as
    "She called the senator a liar"                  naming
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens.language.lexicons import read_rows, split_bar

if TYPE_CHECKING:
    from spacy.tokens import Token

# the prepositions that complete an object frame: "criticized X for Y", "accused X of Y"
_OBJECT_PREPS = frozenset({"for", "of", "over", "as", "about", "on"})
_OBJECT_DEPS = frozenset({"dobj", "obj"})


@dataclass(frozen=True)
class CueSense:
    lemma: str
    family: str  # speech, belief, perception, document, intention, demand, evaluation, ...
    frames: tuple[str, ...]


@lru_cache(maxsize=1)
def cue_senses() -> dict[str, CueSense]:
    """Lemma -> its sense, from ``data/attribution_cues.tsv``."""
    return {r["lemma"]: CueSense(r["lemma"], r["family"], tuple(split_bar(r["frames"])))
            for r in read_rows("attribution_cues.tsv")}


@lru_cache(maxsize=1)
def noun_senses() -> dict[str, CueSense]:
    """Noun lemma -> its sense, from ``data/attribution_nouns.tsv``."""
    return {r["noun"]: CueSense(r["noun"], "noun", tuple(split_bar(r["frames"])))
            for r in read_rows("attribution_nouns.tsv")}


def noun_content(noun: Token, sense: CueSense) -> tuple[int, int] | None:
    """"his claim that ...", "her decision to ...": the clause the noun governs."""
    for child in noun.children:
        if child.dep_ not in ("acl", "ccomp", "relcl") or child.i < noun.i:
            continue
        marks = {c.lower_ for c in child.children if c.dep_ in ("mark", "aux")}
        if ("that" in sense.frames and "that" in marks and child.dep_ != "relcl") or (
                "to" in sense.frames and "to" in marks):
            return child.left_edge.i, child.right_edge.i + 1
    return None


def cue_content(verb: Token, sense: CueSense) -> tuple[int, int, str] | None:
    """Token bounds (start, end) of what ``verb`` reports and the frame that gave them.
    Only speech takes a verbless clause ("said it was", but "found it difficult")."""
    for frame in sense.frames:
        if frame == "clause" and sense.family != "speech":
            bounds = _finite_clause(verb)
        else:
            bounds = _FRAMES[frame](verb) if frame in _FRAMES else _prep_object(verb, frame)
        if bounds is not None:
            return bounds[0], bounds[1], frame
    return None


def _children(tok: Token, deps: frozenset[str] | tuple[str, ...]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _clause(verb: Token) -> tuple[int, int] | None:
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _finite_clause(verb: Token) -> tuple[int, int] | None:
    """A clause with a verb of its own: "found that the plan failed", not the small clause
    of "will find it difficult"."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _infinitive(verb: Token) -> tuple[int, int] | None:
    for child in verb.children:
        if child.dep_ == "xcomp" and child.i > verb.i and any(
                c.tag_ == "TO" for c in child.children):
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _object(verb: Token) -> tuple[int, int] | None:
    objects = [c for c in _children(verb, _OBJECT_DEPS) if c.i > verb.i]
    if not objects:
        return None
    obj = objects[0]
    end = obj.right_edge.i
    for child in verb.children:  # "criticized him for ...": the reason belongs to the content
        if child.dep_ == "prep" and child.i > end and child.lower_ in _OBJECT_PREPS:
            end = max(end, child.right_edge.i)
    return obj.left_edge.i, end + 1


def _object_then(verb: Token, deps: tuple[str, ...], word: str | None) -> tuple[int, int] | None:
    """The object and a following complement of one of ``deps`` (and, for a preposition,
    that word): "urged them to act", "described it as a failure"."""
    objects = [c for c in _children(verb, _OBJECT_DEPS) if c.i > verb.i]
    if not objects:
        return None
    tails = [c for c in verb.children if c.dep_ in deps and c.i > objects[0].i
             and (word is None or c.lower_ == word)]
    if not tails:
        return None
    return objects[0].left_edge.i, max(t.right_edge.i for t in tails) + 1


def _object_to(verb: Token) -> tuple[int, int] | None:
    return _object_then(verb, ("xcomp", "ccomp"), None)


def _object_as(verb: Token) -> tuple[int, int] | None:
    return _object_then(verb, ("prep",), "as")


def _naming(verb: Token) -> tuple[int, int] | None:
    """"called the senator a liar", "branded the plan a disaster": who is named and what
    they are called (the parse gives these as objects or predicates in varying ways)."""
    parts = [c for c in verb.children if c.i > verb.i and c.dep_ in _NAMING_DEPS]
    if len(parts) < 2:
        return None
    return min(p.left_edge.i for p in parts), max(p.right_edge.i for p in parts) + 1


_NAMING_DEPS = frozenset({"dobj", "obj", "oprd", "npadvmod", "attr"})


def _on_to(verb: Token) -> tuple[int, int] | None:
    """"called on Congress to act": from the object of "on" to the end of the infinitive."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "on" and prep.i == verb.i + 1:
            tails = [c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.i > prep.i]
            tails += [c for obj in prep.children for c in obj.children
                      if c.dep_ in ("acl", "relcl", "xcomp")]
            if tails:
                return prep.i + 1, max(t.right_edge.i for t in tails) + 1
    return None


def _to_as(verb: Token) -> tuple[int, int] | None:
    preps = {c.lower_: c for c in verb.children if c.dep_ == "prep"}
    if "to" in preps and "as" in preps and preps["as"].i > preps["to"].i:
        return preps["to"].i + 1, preps["as"].right_edge.i + 1
    return None


def _prep_object(verb: Token, word: str) -> tuple[int, int] | None:
    """The object of the preposition ``word``: "called for a recount" gives "a recount"."""
    objects = [c for c in _children(verb, _OBJECT_DEPS) if c.i > verb.i]
    for head in (verb, *objects[:1]):  # "accused the mayor of ...": "of" may hang on him
        for child in head.children:
            if child.dep_ in ("prep", "prt", "dative") and child.lower_ == word and \
                    child.i > verb.i and child.right_edge.i > child.i:
                return child.i + 1, child.right_edge.i + 1
    return None


_FRAMES = {
    "clause": _clause, "that": _clause, "whether": _clause, "to": _infinitive,
    "object": _object, "object_to": _object_to, "object_as": _object_as, "on_to": _on_to,
    "to_as": _to_as, "naming": _naming,
}
