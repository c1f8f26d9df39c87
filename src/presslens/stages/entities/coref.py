"""Pronoun and nominal coreference by rules over the parse (no hub-loaded model).

A pronoun (he, his, she, her, ...) goes to the person mentioned before it, within a few
sentences, that scores best on: grammatical subject (a subject is what later sentences
talk about), closeness (same sentence, then previous ones), and not being a possessive
modifier or the object of a preposition. A nominal in apposition to a name ("the commander,
X,") joins that name; a bare role nominal ("the adviser") joins the latest person seen
with that role. Pure: returns the cluster index for each resolved mention.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from presslens.language.lexicons import given_name_genders
from presslens.language.names import fold
from presslens.language.syntax import SUBJECT_DEPS, climb_while, misattached_subject
from presslens.stages.entities.mentions import MentionCandidate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from presslens.stages.entities.linking import Link
    from presslens.stages.entities.resolve import Cluster


def cluster_gender(cluster: Cluster, link: Link | None) -> str:
    """'m' or 'f' from the given name of the person's KB name or longest spelling, else 'any'."""
    if cluster.family != "PERSON":
        return "any"
    names = [link.entry.name] if link is not None else []
    names += sorted(cluster.names, key=lambda n: -len(n.split()))
    table = given_name_genders()
    for name in names:
        toks = fold(name).split()
        if len(toks) >= 2 and toks[0] in table:
            return table[toks[0]]
    return "any"


def _candidate_score(doc: Doc, pron: MentionCandidate, ante: MentionCandidate) -> float:
    distance = pron.sent - ante.sent
    score = 1.0 - 0.35 * distance
    tok = doc[ante.head]
    if ante.subject or tok.dep_ in SUBJECT_DEPS:
        score += 0.6
    elif tok.dep_ == "appos" and tok.head.dep_ in SUBJECT_DEPS:
        score += 0.5
    if tok.dep_ == "poss":
        score -= 0.4
    if tok.dep_ == "pobj":
        score -= 0.25
    if distance == 0:
        # inside the pronoun's own sentence, the nearer the better
        score += 0.1 * max(0.0, 1.0 - (pron.head - ante.head) / 30)
        governor = governing_subject(doc[pron.head])
        if governor is not None and governor.i == ante.head:
            score += _GOVERNOR_BONUS
    return score


# "X called Y, saying he wanted ...": the subject pronoun of a reported clause is, far more
# often than not, whoever reports it; enough to outweigh a nearer subject
_GOVERNOR_BONUS = 0.8


def governing_subject(pron: Token) -> Token | None:
    """For a subject pronoun in a clause that reports or depends on another ("..., saying
    that he would", "she said she was"), the subject of the verb it depends on, climbing
    through clauses without a subject of their own."""
    if pron.dep_ not in ("nsubj", "nsubjpass"):
        return None
    node = _clause_verb(pron)
    for _ in range(_MAX_CLIMB):
        if node.dep_ not in _DEPENDENT_CLAUSES or node.head.i == node.i:
            return None
        node = _clause_verb(node.head)
        subjects = [c for c in node.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        repaired = misattached_subject(node)
        if repaired is not None:
            return repaired
    return None


# clauses whose subject pronoun usually is the subject above: reported ("said he would"),
# dependent ("..., saying he") and conjoined ("made a call, but he then ...")
_DEPENDENT_CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "acl", "relcl", "conj"})
_MAX_CLIMB = 4


def _clause_verb(tok: Token) -> Token:
    """The nearest verb at or above ``tok`` (the root when no verb heads it)."""
    return climb_while(tok, lambda node: node.pos_ not in ("VERB", "AUX"))


def _same_clause_object(doc: Doc, pron: MentionCandidate, ante: MentionCandidate) -> bool:
    """'Xi warned him': an object pronoun is not the subject of its own clause (a reflexive
    would be used), so that subject is no antecedent."""
    p = doc[pron.head]
    if p.dep_ not in ("dobj", "dative", "pobj", "iobj") or p.lower_.endswith("self"):
        return False
    a = doc[ante.head]
    return a.dep_ in SUBJECT_DEPS and _clause_verb(p).i == a.head.i


def resolve_pronouns(doc: Doc, mentions: list[MentionCandidate], cluster_of: dict[int, int],
                     gender_of: dict[int, str], *, window: int,
                     nominals: dict[int, int] | None = None) -> dict[int, int]:
    """Mention index of each pronoun -> cluster index of its antecedent. ``nominals`` are
    nominal mentions already resolved ("the head of the company" -> a person's cluster):
    they are antecedents too, so "He" after "The head of the company did ..." is that
    person and not whoever was named last."""
    nominals = nominals or {}
    out: dict[int, int] = {}
    # Candidates by sentence, so a pronoun looks only at the ``window`` sentences before it
    # (a mention that starts before a pronoun never ends after it: overlaps are dropped).
    persons: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        if m.kind == "name" and m.label == "PERSON" and i in cluster_of or i in nominals:
            persons.setdefault(m.sent, []).append(i)
    resolved: dict[int, list[tuple[int, int]]] = {}  # (order of resolution, pronoun)
    pronouns = sorted((i for i, m in enumerate(mentions) if m.kind == "pronoun"),
                      key=lambda i: mentions[i].start)
    for pi in pronouns:
        p = mentions[pi]
        best, best_score = None, -9.0
        near = range(p.sent - window, p.sent + 1)
        named = sorted(i for s in near for i in persons.get(s, ()))
        chained = [i for _, i in sorted(x for s in near for x in resolved.get(s, ()))]
        # names, and earlier pronouns already resolved: a chain of "she ... she ..." keeps
        # its person across a long passage where the name is far back
        for ai in [*named, *chained]:
            a = mentions[ai]
            if a.start >= p.start or p.sent - a.sent > window:
                continue
            if _same_clause_object(doc, p, a):
                continue
            cluster = cluster_of[ai] if ai in cluster_of else nominals.get(ai, out.get(ai))
            if cluster is None:
                continue
            g = gender_of.get(cluster, "any")
            if p.gender != "any" and g != "any" and g != p.gender:
                continue
            if a.kind == "pronoun" and a.gender != p.gender:
                continue
            s = _candidate_score(doc, p, a) + (0.6 if g == p.gender else 0.0)
            if a.kind == "pronoun":
                s -= 0.15
            if s > best_score:
                best, best_score = cluster, s
        if best is not None:
            out[pi] = best
            resolved.setdefault(p.sent, []).append((len(out), pi))
    return out


def resolve_nominals(mentions: list[MentionCandidate], cluster_of: dict[int, int],
                     cluster_roles: dict[int, set[str]], *, window: int) -> dict[int, int]:
    out: dict[int, int] = {}
    index_at = {m.start: i for i, m in enumerate(mentions) if m.kind == "name"}
    for ni, n in enumerate(mentions):
        if n.kind != "nominal":
            continue
        named = index_at.get(n.appos_of) if n.appos_of is not None else None
        if named is not None and named in cluster_of:
            out[ni] = cluster_of[named]
            continue
        best = None
        for ai in range(ni - 1, -1, -1):
            a = mentions[ai]
            if n.sent - a.sent > window:
                break
            if a.kind == "name" and a.label == "PERSON" and ai in cluster_of:
                if n.roles & cluster_roles.get(cluster_of[ai], set()):
                    best = cluster_of[ai]
                    break
        if best is not None:
            out[ni] = best
    return out
