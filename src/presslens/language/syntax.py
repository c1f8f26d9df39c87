"""Small readings of spaCy's dependency parse shared by the stages that need them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = ("nsubj", "nsubjpass")
_CLIMB = ("conj", "advcl", "xcomp", "acl", "dobj", "pobj", "prep", "npadvmod", "pcomp")


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
                    # "the Democrats, who had assured ...": the Democrats; but in "the
                    # reasons that Smith gave" the parse may make both "that" and Smith
                    # subjects: Smith
                    other = next((c for c in node.children if c.dep_ in SUBJECT_DEPS and
                                  c.tag_ not in ("WP", "WDT")), None)
                    return other if other is not None else node.head
                return child
        if node.dep_ in _CLIMB and not is_root(node):
            node = node.head
        else:
            return misattached_subject(node)
    return None


def misattached_subject(verb: Token) -> Token | None:
    """The subject the parse hung elsewhere: after a fronted clause ("Fearing that ..., the
    general, a veteran of two wars, made a call"), the name in apposition right before a
    main verb that has no subject of its own is that subject."""
    if not is_root(verb) or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    for tok in reversed(verb.doc[verb.sent.start:verb.i]):
        if tok.dep_ == "appos" and tok.pos_ in ("PROPN", "NOUN") and all(
                t.is_punct for t in verb.doc[tok.right_edge.i + 1:verb.i]):
            while tok.head.dep_ == "appos" and tok.head.pos_ == "PROPN":
                tok = tok.head  # "X, an adviser to ..., said": X, not the adviser
            return tok
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


def controller_of(verb: Token) -> Token | None:
    """Who does what an infinitive or gerund complement says: the object of the verb that
    governs it ("urged Sweden to stop", "called on Sweden to stop"), the subject of a
    passive one ("was asked by X to surrender": the one asked), else its subject ("refused
    to negotiate"). ``None`` when ``verb`` is no such complement."""
    if is_root(verb):
        return None
    comp = infinitive_complement(verb.head)
    if comp is None or comp.i != verb.i:
        return None
    head = verb.head
    for child in head.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "upon"):
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    if head.dep_ in ("xcomp", "advcl"):  # "called on X to stop supporting": X, via "stop"
        return controller_of(head) or subject_of(head)
    return subject_of(head)


def modal_words(verb: Token) -> set[str]:
    """The modal auxiliaries of a verb's clause, lower case, including those of the verb it
    is coordinated with ("should fight on and would not accept": both) and, for an
    adjective after a copula ("must be open to"), of the copula."""
    node = verb.head if verb.dep_ == "acomp" else verb
    words: set[str] = set()
    for _ in range(4):
        words.update(c.lower_ for c in node.children if c.tag_ == "MD")
        if node.dep_ != "conj" or is_root(node):
            break
        node = node.head
    return words


def infinitive_complement(verb: Token) -> Token | None:
    """The infinitive a verb of asking governs, also when the parser hung it as a purpose
    clause ("called on France to stop ...", advcl) or as a clause on the object."""
    for child in verb.children:
        if child.dep_ == "xcomp":
            return child
    asks_someone = any(c.dep_ == "prep" and c.lower_ in ("on", "upon") for c in verb.children)
    for child in verb.children:
        if child.dep_ == "advcl" and asks_someone and any(
                a.dep_ == "aux" and a.lower_ == "to" for a in child.children):
            return child
    return None


def clause_subject(verb: Token) -> Token | None:
    """``subject_of``, except for a finite past verb coordinated with a bare verb under a
    modal ("... that X must reduce its aid, and even threatened ..."): a past tense cannot
    share the modal, so the conjunct belongs to a higher clause, whose subject it takes."""
    own = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    head = verb.head
    if (own is None and verb.dep_ == "conj" and verb.tag_ == "VBD" and head.tag_ == "VB"
            and any(c.tag_ == "MD" for c in head.children)):
        node = head
        for _ in range(len(verb.sent)):
            if is_root(node):
                break
            node = node.head
            subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
            if node.pos_ == "VERB" and subj is not None:
                return subj
    return subject_of(verb)


def inverted_condition(verb: Token) -> bool:
    """ "Had Britain backed ...": an auxiliary before the subject opens a condition."""
    if verb.dep_ != "advcl":
        return False
    first = min(verb.children, key=lambda c: c.i, default=None)
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    return (first is not None and subj is not None and first.dep_ == "aux"
            and first.lower_ in ("had", "were", "should") and first.i < subj.i)


def under_condition(tok: Token, markers: frozenset[str]) -> bool:
    """Whether ``tok`` stands in a clause opened by one of ``markers`` ("if he stops
    supporting", "unless they back"), or by an inverted auxiliary ("had they backed"), or in
    a clause below one."""
    node = tok
    for _ in range(len(tok.sent)):
        if any(c.dep_ == "mark" and c.lower_ in markers for c in node.children):
            return True
        if inverted_condition(node):
            return True
        if is_root(node):
            return False
        node = node.head
    return False


def owner_words(noun: Token) -> list[Token]:
    """The words inside a noun phrase that may name whom it stands for, nearest first: a
    compound or possessive ("China side", "Ecuador's voters", "Greenpeace activists"), an
    adjective of nationality ("Ukrainian drones"), the object of its "of" ("the defence
    team of X"). For a subject that is no entity itself."""
    inner = [c for c in noun.children if c.dep_ in ("compound", "poss", "nmod")]
    inner.sort(key=lambda c: -c.i)
    inner += [c for c in noun.children if c.dep_ == "amod" and c.pos_ in ("ADJ", "PROPN")]
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            inner += [g for g in prep.children if g.dep_ == "pobj"]
    return inner



def is_passive(verb: Token) -> bool:
    """"was asked", "is expected": the subject is who the verb is done to."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def passive_agent(verb: Token) -> Token | None:
    """The doer of a passive verb: the object of its "by" ("asked by the US side")."""
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def matrix_subject(verb: Token) -> Token | None:
    """The subject of the clause that the verb's clause is the complement of ("the China
    side said [that it opposes ...]": the China side)."""
    node = verb
    for _ in range(4):
        if is_root(node):
            return None
        if node.dep_ == "ccomp":
            return clause_subject(node.head)
        if node.dep_ not in ("conj", "xcomp"):
            return None
        node = node.head
    return None
