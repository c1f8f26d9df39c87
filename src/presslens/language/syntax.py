"""Small readings of spaCy's dependency parse shared by the stages that need them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CLIMB = ("conj", "advcl", "xcomp", "acl", "dobj", "pobj", "prep", "npadvmod")


def is_root(tok: Token) -> bool:
    """A token that heads itself. spaCy hands out a new ``Token`` object on every access,
    so identity (``tok.head is tok``) is never true: compare indices."""
    return tok.head.i == tok.i


def climb_while(tok: Token, keep_climbing: Callable[[Token], bool]) -> Token:
    """Walk up the heads from ``tok`` while ``keep_climbing(node)`` holds; stops at the
    root, and after as many steps as the sentence has tokens, so it always ends."""
    doc = tok.doc
    parsed = doc.has_annotation("DEP") or doc.has_annotation("SENT_START")
    node = tok
    for _ in range(len(tok.sent) if parsed else len(doc)):
        if is_root(node) or not keep_climbing(node):
            break
        node = node.head
    return node


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, inherited through participles ("..., saying that"), conjoined
    verbs ("changed his words and said") and the nouns a participle hangs on."""
    node: Token = verb
    for _ in range(5):
        for child in node.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.tag_ in ("WP", "WDT") and node.dep_ == "relcl":
                    return node.head  # "the Democrats, who had assured ...": the Democrats
                return child
        if node.dep_ in _CLIMB and not is_root(node):
            node = node.head
        else:
            return None
    return None


def is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in verb.children)


def modality(verb: Token) -> str | None:
    """A modal or a governing verb of intent that makes the action not (yet) real."""
    for c in verb.children:
        if c.tag_ == "MD":
            return c.lower_
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_.lower() in (
            "hope", "want", "plan", "threaten", "try", "intend", "seek", "promise", "refuse",
            "vow", "expect", "aim"):
        return head.lemma_.lower()
    if any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children):
        return "conditional"
    return None
