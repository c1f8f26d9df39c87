"""Events stage: who did what to whom. Needs the parse, the entities and the attributions;
adds ``events``.

An event is read from one clause: a verb, a verb with its particle or preposition ("called
on", "went on strike"), or a light verb and its noun ("paid a visit", "imposed sanctions"),
typed with the PLOVER ontology through ``data/plover_verbs.tsv``; its grammatical subject
as actor (for an infinitive, whoever it is asked of: "called on Sweden to stop" -> Sweden;
each of coordinated subjects: "India and Pakistan agreed") and its object (or the object of
"to", "against", "with", "on") as target, each resolved to an entity through its mention.
Never from mere co-occurrence: a clause whose subject is no entity gives no event.

The clause around the verb decides the rest: negation, and a governing verb that says it did
not happen ("stop supporting", "refused to negotiate"), negate it, each one inverting; a
negated acceptance is a refusal (REJECT); some verbs have their type only with some objects
("sign" an agreement, not a decree), and some objects void a type (winning the House is an
election, not SEIZE). Modality ("would", "hoped to", "if"), the date of the sentence and a
place in "in"/"at" complete the record, with the sentence as evidence and a confidence (the
verb's weight, times a factor for an actor named by a pronoun or a common noun, and for an
event read inside someone's reported words).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from presslens.config import Config, EventsSettings
from presslens.language.lexicons import read_rows, split_bar
from presslens.language.syntax import (
    clause_subject,
    controller_of,
    infinitive_complement,
    is_negated,
    is_passive,
    is_root,
    matrix_subject,
    modality,
    passive_agent,
    under_condition,
)
from presslens.language.temporal import date_within
from presslens.model import PLACE_LABELS, Analysis, Entity, Event, MentionIndex, Span, entity_at
from presslens.registry import FieldStage, register_stage
from presslens.stages.stances import clause_words, owner_entity

if TYPE_CHECKING:
    from spacy.tokens import Token

    from presslens.context import ArticleContext

_TARGET_PREPS = ("to", "against", "with", "on", "at", "into", "from", "for")
_LIGHT_VERBS = ("pay", "make", "impose", "provide", "launch", "hold", "give", "send", "carry")
_MAX_CHAIN = 4  # governing verbs looked at above an infinitive
_ENTITY_OBJECT = "@entity"  # in the objects column: the object must be an entity
_GROUP_OBJECT = "@group"  # the object must be an entity that is no person


@dataclass(frozen=True)
class EventType:
    type: str
    weight: float
    objects: frozenset[str]  # empty: any object


@dataclass(frozen=True)
class EventLexicon:
    """``data/plover_verbs.tsv`` by kind."""

    verbs: dict[str, EventType]
    nouns: dict[str, EventType]
    negated: dict[str, EventType]
    person_target: dict[str, EventType]
    negators: frozenset[str]
    not_objects: dict[str, frozenset[str]]  # event type -> object words that void it
    conditions: frozenset[str]  # subordinators whose clause is a condition ("if")


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    rows = read_rows("plover_verbs.tsv")

    def table(kind: str) -> dict[str, EventType]:
        return {r["lemma"]: EventType(r["type"], float(r["weight"] or 1),
                                      frozenset(split_bar(r["objects"])))
                for r in rows if r["kind"] == kind}

    voided: dict[str, set[str]] = {}
    for r in rows:
        if r["kind"] == "not_object":
            voided.setdefault(r["type"], set()).add(r["lemma"])
    return EventLexicon(table("verb"), table("noun"), table("negated"), table("person_target"),
                        frozenset(r["lemma"] for r in rows if r["kind"] == "negator"),
                        {k: frozenset(v) for k, v in voided.items()},
                        frozenset(r["lemma"] for r in rows if r["kind"] == "condition"))


def _entity_of(tok: Token | None, index: MentionIndex) -> Entity | None:
    if tok is None:
        return None
    return entity_at(index, tok.idx, tok.idx + len(tok))


def _pobj(prep: Token) -> Token | None:
    return next((g for g in prep.children if g.dep_ == "pobj"), None)


def verb_type(tok: Token) -> tuple[EventType, Token] | None:
    """The type of a verb, with its particle or preposition ("call on", "go on strike")
    tried first, and the last token of the words that say it."""
    verbs = event_lexicon().verbs
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ in ("prep", "prt"):
            obj = _pobj(c)
            if obj is not None and f"{lemma} {c.lower_} {obj.lemma_.lower()}" in verbs:
                return verbs[f"{lemma} {c.lower_} {obj.lemma_.lower()}"], obj
            if f"{lemma} {c.lower_}" in verbs:
                return verbs[f"{lemma} {c.lower_}"], c
    return (verbs[lemma], tok) if lemma in verbs else None


def _actor_and_target(verb: Token) -> tuple[Token | None, Token | None]:
    subj = clause_subject(verb)
    target = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
    agent = passive_agent(verb)
    if subj is not None and (subj.dep_ == "nsubjpass" or is_passive(verb)):
        # "Tbilisi was shelled by X", "X, who was supported by Y": the agent acts on the
        # passive subject
        return agent, subj
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    if not own_subject and verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl"):
        # "Asked whether ..., she said": the inherited subject is the one acted on
        return agent, target if target is not None else subj
    if not own_subject:
        controller = controller_of(verb)  # "called on Sweden to stop": Sweden stops
        if controller is not None:
            subj = controller
    return subj, target


def _prep_target(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
            obj = _pobj(c)
            if obj is not None:
                return obj
    return None


def _named_in(noun: Token | None, index: MentionIndex) -> Entity | None:
    """The entity a noun that is none itself names by apposition or "of" ("the activist X",
    "control of X")."""
    if noun is None:
        return None
    inner = [c for c in noun.children if c.dep_ == "appos"]
    inner += [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"]
    return next((e for e in (_entity_of(t, index) for t in inner) if e is not None), None)


def _object_words(verb: Token) -> set[str]:
    """The object's lemma, and the lemma of what it is "of" ("control of the council",
    "dozens of seats")."""
    words: set[str] = set()
    for c in verb.children:
        if c.dep_ in ("dobj", "attr"):
            words.add(c.lemma_.lower())
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "of" and _pobj(p) is not None:
                    words.add(_pobj(p).lemma_.lower())  # type: ignore[union-attr]
    return words


def is_denied(verb: Token) -> bool:
    """Whether the clause says the action did not (or will not) happen: its own negation,
    and each governing verb that denies its complement ("stop supporting", "refused to
    negotiate") or is negated, each inverting ("did not stop supporting": it goes on)."""
    negators = event_lexicon().negators
    denied = is_negated(verb)
    node = verb
    for _ in range(_MAX_CHAIN):
        infinitive = infinitive_complement(node.head)
        if is_root(node) or node.dep_ not in ("xcomp", "ccomp") and (
                infinitive is None or infinitive.i != node.i):
            break
        node = node.head
        if node.lemma_.lower() in negators:
            denied = not denied
        if is_negated(node):
            denied = not denied
    return denied


def _actors(tok: Token | None) -> list[Token]:
    """The subject and the subjects coordinated with it ("India and Pakistan")."""
    if tok is None:
        return []
    return [tok, *(c for c in tok.children if c.dep_ == "conj")]


def _actor_entity(tok: Token, verb: Token, index: MentionIndex) -> tuple[Entity, str] | None:
    """The entity a subject names, and how: its mention's kind ("name", "nominal",
    "pronoun"), or "owner" when a representative noun stands for it ("the China side",
    "Greenpeace activists"; also "it" after "the China side said")."""
    actor = _entity_of(tok, index)
    if actor is not None:
        return actor, "pronoun" if tok.pos_ == "PRON" else _mention_kind(actor, tok)
    actor = owner_entity(tok, index)
    if actor is None and tok.pos_ == "PRON":
        matrix = matrix_subject(verb)
        actor = owner_entity(matrix, index) if matrix is not None else None
    return (actor, "owner") if actor is not None else None


def _mention_kind(ent: Entity, tok: Token) -> str:
    return next((m.kind for m in ent.mentions if m.start <= tok.idx < m.end), "name")


class _Reported:
    """Whether a position lies inside some attribution's content."""

    def __init__(self, analysis: Analysis) -> None:
        spans = sorted((a.content.start, a.content.end) for a in analysis.attributions)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.longest = max((e - s for s, e in spans), default=0)

    def __contains__(self, position: int) -> bool:
        hi = bisect_right(self.starts, position)
        return any(self.ends[n] > position for n in range(hi - 1, -1, -1)
                   if self.starts[n] >= position - self.longest)


def find_events(context: ArticleContext, analysis: Analysis, *, settings: EventsSettings
                ) -> list[Event]:
    lexicon = event_lexicon()
    doc, index, dates = context.doc, context.mention_index(analysis), context.dates
    reported = _Reported(analysis)
    out: list[Event] = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        lemma = tok.lemma_.lower()
        etype = None
        verb, last = tok, tok
        if tok.pos_ == "VERB":
            typed = verb_type(tok)
            if typed is not None:
                etype, last = typed
        elif tok.dep_ == "dobj" and tok.head.lemma_.lower() in _LIGHT_VERBS:
            etype = lexicon.nouns.get(lemma) or lexicon.nouns.get(tok.lower_)
            verb = tok.head
        if etype is None:
            continue
        actor_tok, target_tok = _actor_and_target(verb)
        if _ENTITY_OBJECT in etype.objects:
            if _entity_of(target_tok, index) is None or any(
                    c.dep_ in ("oprd", "ccomp") for c in verb.children):
                continue  # "called the statements a provocation" is no call
        elif _GROUP_OBJECT in etype.objects:
            group = _entity_of(target_tok, index)
            named_group = group is not None and group.type != "PERSON"
            if not named_group and (target_tok is None or target_tok.lemma_.lower()
                                    not in clause_words().representative):
                continue  # "supported the war", "supported Smith": positions, no aid
        elif etype.objects and not (_object_words(verb) & etype.objects):
            continue  # "signed a decree" is no agreement
        if verb is not tok:  # light verb: "paid a visit to Oslo" -> target from the noun
            target_tok = next((_pobj(c) for c in tok.children if c.dep_ == "prep"
                               and c.lower_ in _TARGET_PREPS and _pobj(c) is not None), None)
        if _entity_of(target_tok, index) is None:
            target_tok = _prep_target(verb) or target_tok  # "deployed a brigade to X"
        target = _entity_of(target_tok, index) or _named_in(target_tok, index)
        denied = is_denied(verb)
        event_type, weight = etype.type, etype.weight
        if denied and lemma in lexicon.negated:  # "would not accept" is a refusal
            event_type, weight, denied = lexicon.negated[lemma].type, \
                lexicon.negated[lemma].weight, False
        if target is not None and target.type == "PERSON" and lemma in lexicon.person_target:
            event_type, weight = lexicon.person_target[lemma].type, \
                lexicon.person_target[lemma].weight  # "attacked Smith over her remarks"
        voiding = lexicon.not_objects.get(event_type, frozenset())
        target_words = set(target.name.lower().split()) if target is not None else set()
        if voiding & (_object_words(verb) | target_words):
            continue  # "won the House", "captured seats": an election
        trigger = doc[min(verb.i, tok.i):max(last.i, tok.i) + 1]
        sent = context.sentence_of(tok.i)
        when = date_within(dates, sent.start_char, sent.end_char)
        base = weight * (settings.reported_factor if tok.idx in reported else 1.0)
        for one in _actors(actor_tok):
            found = _actor_entity(one, verb, index)
            if found is None:
                continue
            actor, kind = found
            factor = {"pronoun": settings.pronoun_actor_factor,
                      "nominal": settings.nominal_actor_factor,
                      "owner": settings.owner_actor_factor}.get(kind, 1.0)
            out.append(Event(
                type=event_type, actor=actor.id,
                target=target.id if target is not None and target.id != actor.id else None,
                trigger=Span(start=trigger.start_char, end=trigger.end_char, text=trigger.text),
                date=when.value if when else None, place=_place(verb, index),
                modality=_modality(verb, lexicon.conditions),
                negated=denied,
                evidence=Span(start=sent.start_char, end=sent.end_char, text=sent.text),
                confidence=round(min(1.0, base * factor), 3)))
    return out


def _modality(verb: Token, conditions: frozenset[str]) -> str | None:
    """``syntax.modality``, else "conditional" in an "if" clause, else the modal of the
    verb it continues ("must maintain ... and continue to provide": must)."""
    found = modality(verb)
    if found is not None:
        return found
    if under_condition(verb, conditions):
        return "conditional"
    node = verb
    for _ in range(_MAX_CHAIN):
        if node.dep_ not in ("xcomp", "conj") or is_root(node):
            break
        if node.dep_ == "conj" and node.tag_ != "VB":  # "must reduce ..., and threatened"
            break
        node = node.head
        modal = next((c.lower_ for c in node.children if c.tag_ == "MD"), None)
        if modal is not None:
            return modal
    return None


def _place(verb: Token, index: MentionIndex) -> str | None:
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "near"):
            for g in c.children:
                ent = _entity_of(g, index)
                if ent is not None and ent.type in PLACE_LABELS:
                    return ent.id
    return None


@register_stage("events", requires=("doc", "entities", "attributions"), provides=("events",))
def make_events(config: Config) -> FieldStage:
    return FieldStage("events", partial(find_events, settings=config.events))
