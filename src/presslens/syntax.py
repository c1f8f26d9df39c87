"""Small readings of spaCy's dependency parse shared by the stages that need them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CLIMB = ("conj", "advcl", "xcomp", "acl", "dobj", "pobj", "prep", "npadvmod")


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
        if node.dep_ in _CLIMB and node.head is not node:
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
