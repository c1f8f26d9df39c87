"""Stances stage: who stands where on the issues the article argues about. Needs the parse,
the entities and the attributions; adds ``stances``.

A stance is a cue (``data/stance_cues.tsv``: "support", "reject", "open to", "refuse",
"hope") whose object names an issue, held by the cue's subject. Issues are found in the
text: the object's head word, merged across wordings by ``data/issue_synonyms.tsv``
("talks", "negotiate" and "negotiation" are one issue), and kept when the article returns
to them. Negation flips the polarity ("would not accept any negotiations" opposes); a
condition in the clause ("but only if ...") makes it conditional. A stance stated inside
someone's reported words is also theirs when the clause has no entity subject of its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from functools import partial
from typing import TYPE_CHECKING, Literal, cast

from presslens.config import Config
from presslens.language.lexicons import condition_markers, issue_synonyms, stance_cues
from presslens.language.syntax import is_negated, subject_of
from presslens.model import Analysis, Entity, MentionIndex, Span, Stance, entity_at
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    from spacy.tokens import Token

    from presslens.context import ArticleContext

Polarity = Literal["support", "oppose", "conditional", "unclear"]
_FLIP: dict[str, Polarity] = {"support": "oppose", "oppose": "support"}


def _issue_head(cue: Token) -> Token | None:
    """The word naming what the cue is about: its object, the verb of its complement, or
    the object of 'to'/'for' ("open to the negotiation", "call for talks")."""
    for c in cue.children:
        if c.dep_ in ("dobj", "xcomp"):
            return c
    for c in cue.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "for", "against", "on"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    for c in cue.children:
        if c.dep_ in ("ccomp", "acl"):  # "hopes that Ukraine can accept the negotiations"
            inner = _issue_head(c) if _cue_of(c) else None
            return inner or c
    return None


def _forms(tok: Token) -> set[str]:
    """The lemma, and plain forms for when the lemmatiser slips ("hopes" -> "hop")."""
    low = tok.lower_
    forms = {tok.lemma_.lower(), low}
    for suffix, repl in (("ies", "y"), ("es", "e"), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            forms.add(low[: -len(suffix)] + repl)
    return forms


def _issue_key(head: Token) -> str:
    synonyms = issue_synonyms()
    lemma = head.lemma_.lower()
    if head.pos_ == "VERB":
        # "refusing to negotiate": the verb is the issue; "to start talks": its object
        obj = next((c for c in head.children if c.dep_ == "dobj"), None)
        if lemma not in synonyms and obj is not None:
            return synonyms.get(obj.lemma_.lower(), obj.lemma_.lower())
    return synonyms.get(lemma, synonyms.get(head.lower_, lemma))


def _cue_of(tok: Token) -> str | None:
    cues = stance_cues()
    if tok.pos_ == "ADJ" and tok.lower_ == "open" and any(
            c.dep_ == "prep" and c.lower_ == "to" for c in tok.children):
        return "open to"
    if tok.pos_ == "VERB":
        return next((f for f in sorted(_forms(tok)) if f in cues), None)
    return None


class _Speakers:
    """Who speaks at a position of the text: the first attribution, in the analysis' order,
    with a speaker and a content holding that position (looked up by bisection)."""

    def __init__(self, analysis: Analysis) -> None:
        self.entities = {e.id: e for e in reversed(analysis.entities)}  # first of an id wins
        spoken = [(a.content.start, a.content.end, n, a.speaker)
                  for n, a in enumerate(analysis.attributions) if a.speaker]
        self.spans = sorted(spoken)
        self.starts = [s for s, _, _, _ in self.spans]
        self.longest = max((e - s for s, e, _, _ in self.spans), default=0)

    def at(self, position: int) -> str | None:
        """The speaker's entity id."""
        lo = bisect_left(self.starts, position - self.longest)
        hi = bisect_right(self.starts, position)
        holding = [(n, speaker) for s, e, n, speaker in self.spans[lo:hi]
                   if s <= position < e]
        return min(holding)[1] if holding else None


def find_stances(context: ArticleContext, analysis: Analysis, *, min_issue_mentions: int
                 ) -> list[Stance]:
    """Stances on the issues the article names at least ``min_issue_mentions`` times."""
    cues = stance_cues()
    doc, index = context.doc, context.mention_index(analysis)
    speakers = _Speakers(analysis)
    found: list[tuple[str, str, Polarity, Token]] = []
    for tok in doc:
        cue = _cue_of(tok)
        if cue is None or (tok.dep_ in ("xcomp", "ccomp", "acl") and _cue_of(tok.head)):
            continue  # "stop supporting": the outer cue states the position
        head = _issue_head(tok)
        if head is None or head.pos_ not in ("NOUN", "VERB", "PROPN"):
            continue
        holder = _holder(tok, index, speakers)
        if holder is None:
            continue
        polarity = cast(Polarity, cues[cue])
        if is_negated(tok):
            polarity = _FLIP.get(polarity, polarity)
        clause = context.sentence_of(tok.i).text
        if polarity == "support" and any(p.search(clause) for p in condition_markers()):
            polarity = "conditional"
        found.append((holder.id, _issue_key(head), polarity, tok))
    issue_counts = Counter(issue for _, issue, _, _ in found)
    synonyms = issue_synonyms()
    # how often the text names each issue, in any of its wordings
    text_counts = Counter(synonyms.get(lemma, lemma) for lemma in (
        t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "VERB")))
    out = []
    for holder_id, issue, polarity, tok in found:
        mentions = issue_counts[issue] + text_counts[issue]
        if mentions < min_issue_mentions:  # an issue the article argues about comes back
            continue
        sent = context.sentence_of(tok.i)
        out.append(Stance(holder=holder_id, issue=issue, polarity=polarity,
                          evidence=Span(start=sent.start_char, end=sent.end_char,
                                        text=sent.text)))
    return out


def _holder(cue: Token, index: MentionIndex, speakers: _Speakers) -> Entity | None:
    verb = cue.head if cue.dep_ == "conj" else cue  # "must reduce or stop"
    demanded = any(c.tag_ == "MD" and c.lower_ in ("must", "should")
                   for c in (*cue.children, *verb.children))
    spoken = speakers.at(cue.idx)
    if demanded and spoken is not None:
        # "X made it clear that the government must stop aid": X's position
        return speakers.entities.get(spoken)
    subj = subject_of(cue)
    if subj is None and cue.dep_ in ("acomp",):
        subj = subject_of(cue.head)
    if subj is not None:
        ent = entity_at(index, subj.idx, subj.idx + len(subj))
        if ent is not None:
            return ent
    if spoken is not None:  # inside someone's reported words
        return speakers.entities.get(spoken)
    return None


@register_stage("stances", requires=("doc", "entities", "attributions"), provides=("stances",))
def make_stances(config: Config) -> FieldStage:
    return FieldStage("stances", partial(
        find_stances, min_issue_mentions=config.stances.min_issue_mentions))
