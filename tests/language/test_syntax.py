"""Walks over the dependency tree end, whatever the parse looks like."""

from __future__ import annotations

import threading

from spacy.tokens import Doc
from spacy.vocab import Vocab

from presslens.language.syntax import climb_while, is_root
from presslens.stages.entities.coref import _clause_verb


def _verbless_doc() -> Doc:
    # "Talks with him." : the root is a noun, and no verb heads the pronoun
    return Doc(Vocab(), words=["Talks", "with", "him", "."], heads=[0, 0, 1, 0],
               deps=["ROOT", "prep", "pobj", "punct"], pos=["NOUN", "ADP", "PRON", "PUNCT"])


def _run_bounded(fn: object, seconds: float = 5.0) -> object:
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)  # type: ignore[operator]
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the walk did not end"
    return result[0]


def test_syntax_is_root_compares_indices_not_token_objects() -> None:
    doc = _verbless_doc()
    assert doc[0].head is not doc[0]  # a new Token object on every access
    assert is_root(doc[0])
    assert not is_root(doc[2])


def test_syntax_clause_verb_ends_at_a_root_that_is_not_a_verb() -> None:
    doc = _verbless_doc()
    assert _run_bounded(lambda: _clause_verb(doc[2]).i) == 0


def test_syntax_climb_while_stops_at_the_root_even_when_the_condition_holds() -> None:
    doc = _verbless_doc()
    assert _run_bounded(lambda: climb_while(doc[2], lambda node: True).i) == 0
    assert climb_while(doc[2], lambda node: node.dep_ != "prep").i == 1
