"""Events stage: who did what to whom. Needs the parse and the entities; adds ``events``.

An event is read from one clause: a verb (or a light verb and its noun: "paid a visit",
"imposed sanctions") typed with the PLOVER ontology through ``data/plover_verbs.tsv``, its
grammatical subject as actor and its object (or the object of "to", "against", "with", "on")
as target, each resolved to an entity through its mention (names, pronouns, nominals).
Never from mere co-occurrence: a clause whose subject is no entity gives no event.
Negation, modality ("would", "hoped to", "threatened to", "if"), the date of the sentence
and a place in "in"/"at" complete the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from presslens.config import Config
from presslens.language.lexicons import plover_lexicon
from presslens.language.syntax import is_negated, modality, subject_of
from presslens.language.temporal import date_within
from presslens.model import PLACE_LABELS, Analysis, Entity, Event, MentionIndex, Span, entity_at
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    from spacy.tokens import Token

    from presslens.context import ArticleContext

_TARGET_PREPS = ("to", "against", "with", "on", "at", "into", "from", "for")
_LIGHT_VERBS = ("pay", "make", "impose", "provide", "launch", "hold", "give", "send", "carry")


def _entity_of(tok: Token | None, index: MentionIndex) -> Entity | None:
    if tok is None:
        return None
    return entity_at(index, tok.idx, tok.idx + len(tok))


def _actor_and_target(verb: Token) -> tuple[Token | None, Token | None]:
    subj = subject_of(verb)
    target = None
    agent = None
    for c in verb.children:
        if c.dep_ in ("dobj", "dative") and target is None:
            target = c
        elif c.dep_ == "agent":
            agent = next((g for g in c.children if g.dep_ == "pobj"), None)
    if subj is not None and subj.dep_ == "nsubjpass":
        # "Kiev was shelled by Russia": the agent acts on the passive subject
        return agent, subj
    if target is None:
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                target = next((g for g in c.children if g.dep_ == "pobj"), None)
                if target is not None:
                    break
    return subj, target


def _place(verb: Token, index: MentionIndex) -> str | None:
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near"):
            for g in c.children:
                ent = _entity_of(g, index)
                if ent is not None and ent.type in PLACE_LABELS:
                    return ent.id
    return None


def find_events(context: ArticleContext, analysis: Analysis) -> list[Event]:
    lexicon = plover_lexicon()
    doc, index, dates = context.doc, context.mention_index(analysis), context.dates
    out: list[Event] = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        lemma = tok.lemma_.lower()
        etype = None
        verb, trigger_end = tok, tok.i + 1
        if tok.pos_ == "VERB" and (lemma, "verb") in lexicon:
            etype = lexicon[(lemma, "verb")]
        elif tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in \
                _LIGHT_VERBS and ((lemma, "noun") in lexicon or (tok.lower_, "noun") in lexicon):
            etype = lexicon.get((lemma, "noun")) or lexicon[(tok.lower_, "noun")]
            verb = tok.head
            trigger_end = tok.i + 1
        if etype is None:
            continue
        actor_tok, target_tok = _actor_and_target(verb)
        if verb is not tok:  # light verb: "paid a visit to Kiev" -> target from the noun
            target_tok = next((g for c in tok.children if c.dep_ == "prep"
                               and c.lower_ in _TARGET_PREPS
                               for g in c.children if g.dep_ == "pobj"), None)
        actor = _entity_of(actor_tok, index)
        if actor is None:
            continue
        target = _entity_of(target_tok, index)
        if target is not None and target.id == actor.id:
            target = None
        trigger = doc[min(verb.i, tok.i):trigger_end]
        sent = context.sentence_of(tok.i)
        when = date_within(dates, sent.start_char, sent.end_char)
        out.append(Event(
            type=etype, actor=actor.id, target=target.id if target else None,
            trigger=Span(start=trigger.start_char, end=trigger.end_char, text=trigger.text),
            date=when.value if when else None, place=_place(verb, index),
            modality=modality(verb), negated=is_negated(verb)))
    return out


@register_stage("events", requires=("doc", "entities"), provides=("events",))
def make_events(config: Config) -> FieldStage:
    return FieldStage("events", find_events)
