"""Stances stage: who stands where on the issues the article argues about. Needs the parse,
the entities and the attributions; adds ``stances``.

A stance is a cue (``data/stance_cues.tsv``: "support", "reject", "open to", "call for")
whose object, or the object of the verbs its complement chains ("urged Congress to reject
the bill"), names an issue. Issues are found in the text: the object's head word, merged
across wordings by ``data/issue_synonyms.tsv`` ("talks", "negotiate" and "negotiation" are
one issue), and kept when the article returns to them.

The clause around the cue decides the rest:
- polarity: each "oppose" cue on the way and each negation inverts it ("called on them to
  stop supporting" opposes; "refused to lower the duties" supports the duties); a condition
  marker ("but only if") or an "if" clause governing the cue's clause makes it conditional;
- no stance from a cue inside an "if"/"unless" clause, a counterfactual ("if he stops
  supporting ...", "would have supported") or a question;
- holder: the cue's subject (or the entity a representative head stands for: "the China
  side", "Greenpeace activists"); but a demand ("X must stop its aid") is the position of
  who demands it: the speaker of the attribution holding the clause, else the subject of
  the clause it is the complement of ("Y insisted that X must ..."), else the speaker of the
  attribution the previous sentence of the paragraph reports (the author going on in that
  source's voice), else nobody's; a position inside reported words with no subject, "I"/
  "we", or a subject that speaks for the speaker ("the union") is the speaker's.
- whom a cue addresses ("allow the agency to", "urged Congress to") is never the issue.
Every stance carries its sentence, its cue and a confidence (the cue's weight, times a factor
for each less certain step: pronoun holder, holder from an attribution, links in the chain).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Literal

from presslens.config import Config, StancesSettings
from presslens.language.lexicons import (
    condition_markers,
    group_nouns,
    issue_synonyms,
    organisation_nouns,
    read_rows,
)
from presslens.language.syntax import (
    clause_subject,
    infinitive_complement,
    inverted_condition,
    is_negated,
    is_root,
    matrix_subject,
    modal_words,
    owner_words,
    under_condition,
)
from presslens.model import Analysis, Entity, MentionIndex, Span, Stance, entity_at
from presslens.registry import FieldStage, register_stage

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from presslens.context import ArticleContext

Polarity = Literal["support", "oppose", "conditional", "unclear"]
HolderBasis = Literal["subject", "speaker", "continued"]
_MAX_CHAIN = 4  # verbs followed from a cue down to its issue, and up to an outer cue
_CUE_PREPS = ("to", "for", "against", "on", "with")  # "open to talks", "call for a recount"


@dataclass(frozen=True)
class CueWord:
    sign: int  # +1 keeps the polarity of what the cue governs, -1 inverts it
    weight: float
    addressee: bool  # its object is whom it asks, not the issue ("urged Congress to")
    known_only: bool  # only a known issue ("start talks", not "start the controversy")
    known_via_verb: bool  # so through a verb complement only ("continue to give aid")


@dataclass(frozen=True)
class ClauseWords:
    """The words of ``data/stance_cues.tsv``, by kind."""

    positions: dict[str, CueWord]
    demand: frozenset[str]
    hypothetical: frozenset[str]
    counterfactual: frozenset[str]
    first_person: frozenset[str]
    second_person: frozenset[str]
    light: frozenset[str]
    representative: frozenset[str]
    transparent: frozenset[str]


@lru_cache(maxsize=1)
def clause_words() -> ClauseWords:
    rows = read_rows("stance_cues.tsv")

    def kind(name: str) -> frozenset[str]:
        return frozenset(r["cue"] for r in rows if r["kind"] == name)

    positions = {r["cue"]: CueWord(1 if r["polarity"] == "support" else -1,
                                   float(r["weight"]), r["object"] == "addressee",
                                   r["object"] == "known", r["object"] == "known_via_verb")
                 for r in rows if r["kind"] == "position"}
    representative = kind("representative") | set(group_nouns()) | organisation_nouns()
    return ClauseWords(positions, kind("demand"), kind("hypothetical"),
                       kind("counterfactual"), kind("first_person"), kind("second_person"),
                       kind("light"), frozenset(representative), kind("transparent"))


def owner_entity(subj: Token, index: MentionIndex) -> Entity | None:
    """The entity a subject that is no entity itself stands for, when its head represents
    it ("the China side", "Greenpeace activists", "the defence team of X"); ``None`` for
    other heads ("Poland's farmers" are not Poland)."""
    if subj.lower_ not in clause_words().representative and \
            subj.lemma_.lower() not in clause_words().representative:
        return None
    for word in owner_words(subj):
        ent = entity_at(index, word.idx, word.idx + len(word))
        if ent is not None:
            return ent
    return None


def _forms(tok: Token) -> list[str]:
    """The lemma, and plain forms for when the lemmatiser slips ("hopes" -> "hop")."""
    low = tok.lower_
    forms = {tok.lemma_.lower(), low}
    for suffix, repl in (("ies", "y"), ("es", "e"), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("ing", ""), ("ing", "e")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            forms.add(low[: -len(suffix)] + repl)
    return sorted(forms)


def cue_of(tok: Token) -> tuple[str, CueWord] | None:
    """The stance cue ``tok`` states: a verb, a verb with its particle or preposition ("call
    for"), or an adjective followed by "to" ("open to", "willing to")."""
    positions = clause_words().positions
    if tok.pos_ == "ADJ":
        if any(c.lower_ == "to" or c.dep_ == "xcomp" for c in tok.children):
            key = f"{tok.lower_} to"
            if key in positions:
                return key, positions[key]
        return None
    if tok.pos_ != "VERB":
        return None
    forms = _forms(tok)
    for c in tok.children:
        if c.dep_ in ("prep", "prt"):
            for form in forms:
                key = f"{form} {c.lower_}"
                if key in positions:
                    return key, positions[key]
    for form in forms:
        if form in positions:
            return form, positions[form]
    return None


def _complement(tok: Token) -> Token | None:
    """The verb a cue governs: its infinitive or clause ("refused to negotiate", "hopes that
    X can accept"), or the infinitive on its object ("called on France to stop")."""
    for c in tok.children:
        # a clause before the verb is no complement of it (a misparse of what precedes)
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") and c.i > tok.i:
            return c
    infinitive = infinitive_complement(tok)  # "called on France to stop" as a purpose
    if infinitive is not None:
        return infinitive
    for c in tok.children:  # "hopes that X can accept", misparsed as a clause on the verb
        if c.dep_ == "acl" and c.pos_ == "VERB" and any(
                g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("on", "upon"):
            for obj in (g for g in c.children if g.dep_ == "pobj"):
                for g in obj.children:
                    if g.dep_ in ("acl", "relcl") and g.pos_ == "VERB" and any(
                            a.lower_ == "to" for a in g.children):
                        return g
    return None


def _object(tok: Token, *, preps: tuple[str, ...] = ()) -> Token | None:
    """The noun a cue or verb is about: its object, or the object of one of ``preps`` (the
    preposition of an adjective or phrasal cue: "open to talks", "call for a recount"; a
    plain verb's "reduced to rubble" names no issue)."""
    for c in tok.children:
        if c.dep_ in ("dobj", "attr") and c.pos_ in ("NOUN", "PROPN"):
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                return obj
    return None


def _noun_issue(tok: Token) -> str:
    synonyms = issue_synonyms()
    lemma = tok.lemma_.lower()
    compound = [c for c in tok.children if c.dep_ == "compound"]
    if compound:
        pair = f"{compound[-1].lemma_.lower()} {lemma}"
        if pair in synonyms:
            return synonyms[pair]
    return synonyms.get(lemma, synonyms.get(tok.lower_, lemma))


@dataclass(frozen=True)
class Reading:
    """What a cue is about: the issue, the sign of the position on it, how many verbs lie
    between the cue and the issue, and the token naming the issue."""

    issue: str
    sign: int
    links: int
    head: Token


def read_issue(cue: Token, word: CueWord, index: MentionIndex) -> Reading | None:
    """Follow the cue down to its issue, inverting the sign at each "oppose" cue and each
    negation on the way. An entity that a cue addresses ("allow the agency") is no issue."""
    sign = word.sign * (-1 if is_negated(cue) else 1)
    reading = _reach(cue, sign, 0, addressee=word.addressee, is_entity=_is_named(index))
    known = word.known_only or (word.known_via_verb and reading is not None
                                and reading.links > 0)
    if reading is not None and known and reading.issue not in issue_synonyms().values():
        return None  # "keeps sending messages", "started the controversy"
    return reading


def _is_named(index: MentionIndex) -> Callable[[Token], bool]:
    def is_entity(tok: Token) -> bool:  # a name, or a noun standing for one ("the agency")
        return (tok.pos_ == "PROPN" or tok.lemma_.lower() in clause_words().representative
                or entity_at(index, tok.idx, tok.idx + len(tok)) is not None)

    return is_entity


def _reach(verb: Token, sign: int, links: int, *, addressee: bool,
           is_entity: Callable[[Token], bool]) -> Reading | None:
    synonyms = issue_synonyms()
    comp = _complement(verb)
    if comp is not None and links < _MAX_CHAIN:
        sign = sign * (-1 if is_negated(comp) else 1)
        lemma = comp.lemma_.lower()
        if lemma in synonyms:  # "refused to negotiate"
            return Reading(synonyms[lemma], sign, links + 1, comp)
        inner = cue_of(comp)
        if inner is not None:
            return _reach(comp, sign * inner[1].sign, links + 1,
                          addressee=inner[1].addressee, is_entity=is_entity)
        if _complement(comp) is not None:
            if lemma not in clause_words().transparent:
                return None  # "wanted to know who approved ...": no issue
            # a verb on the way ("tried to persuade them to")
            return _reach(comp, sign, links + 1, addressee=False, is_entity=is_entity)
        obj = _object(comp)
        if obj is None:
            return None
        issue = _noun_issue(obj)
        if issue in synonyms.values() or lemma in clause_words().light:
            return Reading(issue, sign, links + 1, obj)  # "refused to buy the vaccine"
        return Reading(lemma, sign, links + 1, comp)  # "stop arresting protesters": arrests
    obj = _object(verb, preps=_CUE_PREPS if links == 0 and _takes_prep(verb) else ())
    if obj is None or (addressee and is_entity(obj)):
        return None
    return Reading(_noun_issue(obj), sign, links, obj)


def _takes_prep(cue: Token) -> bool:
    """Whether the cue's preposition belongs to it ("open to", "call for")."""
    found = cue_of(cue)
    return found is not None and (cue.pos_ == "ADJ" or " " in found[0])


def _inside_cue(tok: Token) -> bool:
    """Whether ``tok`` is the complement of another cue, which states the position ("stop
    supporting": the outer cue)."""
    node = tok
    for _ in range(_MAX_CHAIN):
        if node.dep_ not in ("xcomp", "ccomp", "acl", "advcl") or is_root(node):
            return False
        governed = _complement(node.head)
        if node.dep_ == "advcl" and (governed is None or governed.i != node.i):
            return False
        node = node.head
        if cue_of(node) is not None:
            return True
    return False


def _is_hypothetical(tok: Token) -> bool:
    """Whether the cue sits in an "if"/"unless" clause ("if he stops supporting"), an
    inverted one ("had they backed"), or a counterfactual ("would have supported")."""
    words = clause_words()
    verb = tok.head if tok.dep_ == "acomp" else tok
    if modal_words(verb) and any(c.dep_ == "aux" and c.lower_ in words.counterfactual
                                 for c in verb.children):
        return True
    return under_condition(verb, words.hypothetical)


def _is_conditioned(tok: Token, sentence: str) -> bool:
    """Whether the position is stated under a condition: a marker in the sentence ("but
    only if", "provided that") or an "if" clause governing the cue's clause."""
    if any(p.search(sentence) for p in condition_markers()):
        return True
    hypothetical = clause_words().hypothetical
    node = tok
    for _ in range(_MAX_CHAIN):
        for c in node.children:
            if c.dep_ == "advcl" and (inverted_condition(c) or any(
                    g.dep_ == "mark" and g.lower_ in hypothetical for g in c.children)):
                return True
        if node.dep_ not in ("conj", "acomp", "xcomp") or is_root(node):
            return False
        node = node.head
    return False


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
        unnamed = sorted((a.content.start, a.content.end)
                         for a in analysis.attributions if not a.speaker)
        self.unnamed_starts = [s for s, _ in unnamed]
        self.unnamed_ends = [e for _, e in unnamed]
        self.unnamed_longest = max((e - s for s, e in unnamed), default=0)

    def unnamed_at(self, position: int) -> bool:
        """Whether an attribution without a speaker ("reports said that ...") holds it."""
        lo = bisect_left(self.unnamed_starts, position - self.unnamed_longest)
        hi = bisect_right(self.unnamed_starts, position)
        return any(self.unnamed_ends[n] > position for n in range(lo, hi))

    def at(self, position: int) -> str | None:
        """The speaker's entity id."""
        lo = bisect_left(self.starts, position - self.longest)
        hi = bisect_right(self.starts, position)
        holding = [(n, speaker) for s, e, n, speaker in self.spans[lo:hi]
                   if s <= position < e]
        return min(holding)[1] if holding else None

    def ending_in(self, start: int, end: int) -> str | None:
        """The speaker of the attribution whose content ends last within ``start:end``."""
        lo = bisect_left(self.starts, start - self.longest)
        hi = bisect_right(self.starts, end)
        ending = [(e, speaker) for s, e, _, speaker in self.spans[lo:hi] if start < e <= end]
        return max(ending)[1] if ending else None


@dataclass(frozen=True)
class Holder:
    entity: Entity
    basis: HolderBasis
    factor: float  # confidence factor of how the holder was found


def _previous_speaker(context: ArticleContext, sent: SpacySpan, speakers: _Speakers
                      ) -> str | None:
    """The speaker of the attribution the previous sentence of the same paragraph reports."""
    n = next((k for k, other in enumerate(context.sentences) if other.start == sent.start), 0)
    if n == 0:
        return None
    prev = context.sentences[n - 1]
    if "\n\n" in context.text[prev.start_char:sent.start_char] or "\n" in prev.text.strip():
        return None
    return speakers.ending_in(prev.start_char, sent.start_char)


def find_holder(tok: Token, sent: SpacySpan, context: ArticleContext, index: MentionIndex,
                speakers: _Speakers, settings: StancesSettings) -> Holder | None:
    """Whose position the cue states (see the module's docstring), or ``None``."""
    words = clause_words()
    verb = tok.head if tok.dep_ == "acomp" else tok
    spoken = speakers.at(tok.idx)
    speaker = speakers.entities.get(spoken) if spoken else None
    subj = clause_subject(verb)
    if subj is not None and subj.tag_ in ("WP", "WDT"):
        return None  # "who approved the agreements" asked about: nobody's position
    if subj is not None and subj.lower_ in words.first_person and speaker is not None:
        return Holder(speaker, "speaker", settings.reported_holder_factor)
    if modal_words(verb) & words.demand:
        # a demand made of the subject: the position of who demands it
        if _is_conditioned(tok, ""):
            return None  # "if they want X, the government must ...": reasoning, no one's
        if speaker is not None:
            return Holder(speaker, "speaker", settings.reported_holder_factor)
        matrix = matrix_subject(verb)  # "X insisted that Y must ...", no attribution found
        if matrix is not None:
            ent = entity_at(index, matrix.idx, matrix.idx + len(matrix)) or \
                owner_entity(matrix, index)
            if ent is not None:
                return Holder(ent, "speaker", settings.reported_holder_factor)
        if speakers.unnamed_at(tok.idx):
            return None  # "reports said that Y must ...": someone unnamed demands it
        previous = _previous_speaker(context, sent, speakers)
        ent = speakers.entities.get(previous) if previous else None
        return Holder(ent, "continued", settings.continued_holder_factor) if ent else None
    if subj is not None:
        ent = entity_at(index, subj.idx, subj.idx + len(subj))
        if ent is not None:
            pronoun = subj.pos_ == "PRON"
            return Holder(ent, "subject", settings.pronoun_holder_factor if pronoun else 1.0)
        ent = owner_entity(subj, index)  # "the China side", "the defence team of X"
        if ent is not None:
            return Holder(ent, "subject", settings.owner_holder_factor)
        matrix = matrix_subject(verb) if subj.pos_ == "PRON" else None
        ent = owner_entity(matrix, index) if matrix is not None else None
        if ent is not None:  # "the China side said it opposes": "it" is the China side
            return Holder(ent, "subject",
                          settings.owner_holder_factor * settings.pronoun_holder_factor)
    if speaker is not None and not _describes_a_noun(verb) and (
            subj is None or subj.lemma_.lower() in words.representative
            or (subj.pos_ == "PRON" and subj.lower_ not in words.second_person)):
        # inside someone's reported words, with no subject of its own, or one that speaks
        # for the speaker ("the union would never accept"); not "the exhibits would allow"
        return Holder(speaker, "speaker", settings.reported_holder_factor)
    return None


def _asks(sent: SpacySpan) -> bool:
    """Whether the sentence is a question (its last mark, before closing quotes, is "?")."""
    return sent.text.rstrip().rstrip("\"'”’»)").endswith("?")


def _describes_a_noun(verb: Token) -> bool:
    """Whether the clause is, or hangs from, a clause modifying a noun ("a contract that
    lets the company cut crews") or a gerund after a preposition ("in terms of lowering
    expectations"): a description, not the speaker's position."""
    node = verb
    for _ in range(_MAX_CHAIN):
        if node.dep_ in ("relcl", "acl", "pcomp"):  # also "in terms of lowering X"
            return True
        if node.dep_ not in ("xcomp", "ccomp", "conj") or is_root(node):
            return False
        node = node.head
    return False


@dataclass(frozen=True)
class Found:
    holder: Holder
    reading: Reading
    polarity: Polarity
    cue: Token
    weight: float


def find_stances(context: ArticleContext, analysis: Analysis, *, settings: StancesSettings
                 ) -> list[Stance]:
    """Stances on the issues the article names at least ``min_issue_mentions`` times."""
    doc, index = context.doc, context.mention_index(analysis)
    speakers = _Speakers(analysis)
    found: list[Found] = []
    for tok in doc:
        cue = cue_of(tok)
        if cue is None or _inside_cue(tok) or _is_hypothetical(tok):
            continue
        if _asks(context.sentence_of(tok.i)):
            continue  # "why do you refuse to ...?" asks, states no position
        reading = read_issue(tok, cue[1], index)
        if reading is None:
            continue
        sent = context.sentence_of(tok.i)
        holder = find_holder(tok, sent, context, index, speakers, settings)
        if holder is None:
            continue
        polarity: Polarity = "support" if reading.sign > 0 else "oppose"
        if _is_conditioned(tok, sent.text):
            polarity = "conditional"
        found.append(Found(holder, reading, polarity, tok, cue[1].weight))
    issue_counts = Counter(f.reading.issue for f in found)
    synonyms = issue_synonyms()
    # how often the text names each issue, in any of its wordings
    text_counts = Counter(synonyms.get(lemma, lemma) for lemma in (
        t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "VERB")))
    out = []
    for f in found:
        issue = f.reading.issue
        if issue_counts[issue] + text_counts[issue] < settings.min_issue_mentions:
            continue  # an issue the article argues about comes back
        sent = context.sentence_of(f.cue.i)
        confidence = f.weight * f.holder.factor * settings.link_factor ** f.reading.links
        out.append(Stance(
            holder=f.holder.entity.id, issue=issue, polarity=f.polarity,
            evidence=Span(start=sent.start_char, end=sent.end_char, text=sent.text),
            cue=Span(start=f.cue.idx, end=f.cue.idx + len(f.cue), text=f.cue.text),
            holder_basis=f.holder.basis, confidence=round(min(1.0, confidence), 3)))
    return out


@register_stage("stances", requires=("doc", "entities", "attributions"), provides=("stances",))
def make_stances(config: Config) -> FieldStage:
    return FieldStage("stances", partial(find_stances, settings=config.stances))
