"""Reported speech read from the dependency parse: speech verbs, their content and speakers.

* a speech verb ("said", "believed", "reported", "accused") with a clausal complement: the
  clause is the content, the verb's subject the speaker; a participle ("..., saying that")
  or a conjoined verb ("changed his words and said that") takes its subject from the verb
  it hangs on;
* "accused X of Y": the content is what X is accused of;
* "according to S, ...": S is the speaker, or the outlet when a speaker is named too.

The speaker resolves to an entity through the mention under the subject's head (names,
nominals and pronouns alike); an unnamed source keeps its words and a specificity class.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, cast

from presslens.config import AttributionSettings
from presslens.language.lexicons import (
    attribution_adjectives,
    light_verbs,
    organisation_nouns,
    section_labels,
    source_nouns,
)
from presslens.language.syntax import is_passive, is_root, passive_agent, subject_of
from presslens.language.temporal import DateMention, date_within
from presslens.model import Attribution, Entity, MentionIndex, SourceSpecificity, Span, entity_at
from presslens.stages.attribution.cues import (
    CueSense,
    cue_content,
    cue_senses,
    noun_content,
    noun_senses,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

QuoteKind = Literal["direct", "indirect", "mixed"]
QUOTE_MARKS = "\"“”‘’«»„"

# prepositions whose phrase belongs to the speaker's words: "the families of the hostages",
# "a survey by the institute", "a spokesman for the ministry", "officials from Kyiv"
_SPEAKER_PREPS = frozenset({"of", "in", "at", "by", "for", "from"})


def speaker_bounds(subj: Token) -> tuple[int, int]:
    """The subject's own words: determiners, modifiers and compounds, not its appositions
    or relative clauses ("Peskov, a Kremlin spokesman, ..." gives "Peskov")."""
    left = right = subj.i
    for child in subj.children:
        if child.dep_ in ("det", "compound", "amod", "poss", "nmod", "nummod", "flat"):
            left = min(left, child.left_edge.i)
            if child.i > subj.i:
                right = max(right, child.right_edge.i)
        elif child.dep_ == "prep" and child.i > subj.i and child.lower_ in _SPEAKER_PREPS:
            right = max(right, child.right_edge.i)  # "the families of the hostages"
    for child in subj.children:
        if child.dep_ == "cc" or child.dep_ == "conj":  # "Putin and Lukashenko"
            right = max(right, child.right_edge.i)
    return left, right + 1


def _content(verb: Token) -> tuple[int, int, CueSense, str] | None:
    """Token bounds of what the verb reports, the sense that read them and the frame, or
    None."""
    lemma = verb.lemma_.lower()
    if lemma == "make":  # only "made it clear that ..."
        clear = [c for c in verb.subtree if c.lower_ == "clear" and c.head.i == verb.i]
        if not clear:
            return None
        parts = [c for c in clear[0].children
                 if c.dep_ in ("ccomp", "advcl") and c.i > clear[0].i]
        parts += [c for c in verb.children if c.dep_ == "ccomp" and c.i > clear[0].i]
        if not parts:
            return None
        return (min(p.left_edge.i for p in parts), max(p.right_edge.i for p in parts) + 1,
                _MADE_CLEAR, "clause")
    sense = cue_senses().get(lemma)
    if sense is None:
        return None
    if lemma == "call":
        for child in verb.children:
            if child.dep_ in ("oprd", "xcomp") and any(t.text in QUOTE_MARKS
                                                        for t in child.subtree):
                return child.left_edge.i, child.right_edge.i + 1, sense, "object_as"
    found = cue_content(verb, sense)
    if found is None:
        return None
    start, end, frame = found
    return start, end, sense, frame


_MADE_CLEAR = CueSense("make", "speech", ("clause",))


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ in ("that", ",", ":") or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in QUOTE_MARKS
                           or doc[end - 1].is_space):
        end -= 1
    return start, end


def resolve_unnamed_speaker(subj: Token, index: MentionIndex, *, lookback_chars: int
                            ) -> Entity | None:
    """The entity behind a speaker the text does not name where it speaks:
    "its general secretary, Claire Holloway," (the name in apposition), "a spokesperson for
    the FBI" (the organisation they speak for), "it" or "the company" (the organisation
    mentioned last in the ``lookback_chars`` characters before)."""
    for child in subj.children:
        if child.dep_ == "appos":
            found = entity_at(index, child.idx, child.idx + len(child))
            if found is not None:
                return found
    nouns = source_nouns()
    if subj.lower_ in nouns:
        for child in subj.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "from"):
                for obj in child.children:
                    found = entity_at(index, obj.idx, obj.idx + len(obj))
                    if found is not None and found.type == "ORG":
                        return found
    if subj.lower_ in ("it", "its") or (subj.lower_ in organisation_nouns() and any(
            c.lower_ in ("the", "this") for c in subj.children)):
        # the last organisation mentioned in the lookback_chars characters before
        first = bisect_right(index.starts, subj.idx - lookback_chars)
        for i in range(bisect_left(index.starts, subj.idx) - 1, first - 1, -1):
            if index.items[i][2].type == "ORG":
                return index.items[i][2]
        return None
    return None


def specificity(entity: Entity | None, words: list[str]) -> SourceSpecificity:
    nouns = source_nouns()
    noun_kind = next((nouns[w.lower()] for w in reversed(words) if w.lower() in nouns), None)
    if entity is not None and entity.type == "PERSON":
        return "named_person"
    if noun_kind == "anonymous_official":  # "a spokesperson for the FBI"
        return "anonymous_official"
    if entity is not None:
        return "named_organisation"
    if noun_kind is not None:
        return cast(SourceSpecificity, noun_kind)
    return "none" if not words else "vague_group"


def find_reported(doc: Doc, index: MentionIndex, dates: Sequence[DateMention],
                  quotes: list[tuple[int, int]], *, settings: AttributionSettings
                  ) -> list[Attribution]:
    """Attributions introduced by a speech verb or 'according to', sentence by sentence;
    ``settings`` are the ``[attribution]`` ones."""
    cues = set(cue_senses()) | {"make"}
    out: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    for sent in doc.sents:
        according = _according_to(sent, index)
        in_sentence = len(out)  # contents lie inside their verb's sentence
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in cues:
                continue
            found = _content(tok) or _misparsed_clause(tok, sent, settings=settings)
            if found is None:
                continue
            start, end = _trim(doc, found[0], found[1])
            sense, frame = found[2], found[3]
            if end - start < settings.min_content_tokens or (start, end) in seen:
                continue
            subj = subject_of(tok)
            passive = is_passive(tok)
            if passive:
                if subj is not None and subj.lower_ == "it":
                    continue  # "it can be said that": the writer's own voice
                # "X was asked to ...": X is who is asked; the speaker is the "by" phrase
                subj = passive_agent(tok)
                if subj is None and (sense.family not in ("speech", "belief") or
                                     frame not in ("clause", "to")):
                    continue
            elif not _speaks(sense, frame, subj):
                continue
            seen.add((start, end))
            if subj is not None and according is not None and \
                    according[2][0] <= subj.i < according[2][1]:
                # "According to AFP, Podolyak, an adviser, said": the parse may make the
                # outlet the subject; the speaker is the name in apposition to it
                appositions = [c for c in subj.subtree if c.dep_ == "appos" and
                               c.i >= according[2][1]]
                subj = appositions[0] if appositions else subj
            speaker_span = None
            speaker_text = None
            entity = None
            words: list[str] = []
            if subj is not None:
                left, right = speaker_bounds(subj)
                naming = doc[left:right]
                relative = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")
                                 and c.tag_ in ("WP", "WDT")), None) \
                    if subj.head is not tok else None
                # "the ministry, which denied ...": the span is its "which", at the verb;
                # the words naming the speaker are the ministry's
                sp = doc[relative.i:relative.i + 1] if relative is not None else naming
                speaker_span = Span(start=sp.start_char, end=sp.end_char, text=sp.text)
                speaker_text = naming.text
                entity = entity_at(index, doc[subj.i].idx, doc[subj.i].idx + len(doc[subj.i]))
                if entity is None:
                    entity = resolve_unnamed_speaker(
                        subj, index, lookback_chars=settings.organisation_lookback_chars)
                words = [t.text for t in naming]
            elif according is not None:
                named = _named_appos(doc, according)
                if named is not None:
                    # "According to AFP, Podolyak, an adviser, said": AFP carried it
                    left, right = speaker_bounds(named)
                    sp = doc[left:right]
                    speaker_span = Span(start=sp.start_char, end=sp.end_char, text=sp.text)
                    speaker_text = sp.text
                    entity = entity_at(index, named.idx, named.idx + len(named))
                    words = [t.text for t in sp]
                    subj = named
                else:
                    speaker_span = according[0]
                    speaker_text = speaker_span.text
                    entity = according[1]
                    words = speaker_span.text.split()
            elif sense.family == "speech" and frame == "clause" and not passive:
                near = _nearest_person(index, sent.start_char, tok.idx)
                if near is not None:
                    entity = near
                    words = [near.name]
            source = None
            source_text = None
            if according is not None and subj is not None:
                source_text, source = according[0].text, according[1]
            content = doc[start:end]
            kind = quote_kind_of(content.start_char, content.end_char, quotes,
                                 direct_share=settings.direct_share)
            if not reports_words(sense, frame):
                kind = "indirect"  # "dismissed them as "provocateurs"": not their words
            out.append(Attribution(
                speaker=entity.id if entity else None,
                speaker_text=speaker_text,
                cue=_cue_text(tok),
                content=Span(start=content.start_char, end=content.end_char, text=content.text),
                source=source.id if source else None, source_text=source_text,
                date=date_of(dates, sent.start_char, sent.end_char),
                kind=kind, specificity=specificity(entity, words),
                speaker_span=speaker_span, construction=f"{sense.family}:{frame}",
            ))
        if according is not None and not any(a.source_text is not None or
                                             a.cue == "according to"
                                             for a in out[in_sentence:]):
            only = _according_only(doc, sent, according, dates, quotes,
                                   min_tokens=settings.according_min_content_tokens,
                                   direct_share=settings.direct_share)
            if only is not None:
                out.append(only)
        labelled = _labelled_line(doc, sent, index, dates, settings=settings)
        if labelled is not None:
            # "SMITH: I think ...": the line is Smith's whole; what it reports is nested in it
            out.insert(in_sentence, labelled)
            in_sentence += 1
        for extra in (_in_document(doc, sent, index, dates, settings=settings),
                      *_noun_cues(doc, sent, index, dates, settings=settings),
                      *_adjective_cues(doc, sent, index, dates, settings=settings)):
            if extra is not None and not any(_overlaps(extra.content, a.content)
                                             for a in out[in_sentence:]):
                out.append(extra)
    return out


def _noun_cues(doc: Doc, sent: SpacySpan, index: MentionIndex,
               dates: Sequence[DateMention], *, settings: AttributionSettings
               ) -> list[Attribution]:
    """"his claim that the vote was rigged", "charges that he ...": a reporting noun and its
    clause; the possessor, if any, is the speaker."""
    senses = noun_senses()
    out = []
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in senses:
            continue
        bounds = noun_content(tok, senses[tok.lemma_.lower()])
        if bounds is None:
            continue
        start, end = _trim(doc, *bounds)
        if end - start < settings.according_min_content_tokens:
            continue
        owner = _noun_holder(tok)
        entity, speaker = None, None
        if owner is not None:
            entity = entity_at(index, owner.idx, owner.idx + len(owner))
            speaker = doc[slice(*speaker_bounds(owner))]
        out.append(_statement(
            doc[start:end], sent, dates, speaker=speaker, entity=entity, cue=tok.text,
            construction=f"noun:{senses[tok.lemma_.lower()].frames[0]}",
            words=speaker.text.split() if speaker is not None else []))
    return out


def _adjective_cues(doc: Doc, sent: SpacySpan, index: MentionIndex,
                    dates: Sequence[DateMention], *, settings: AttributionSettings
                    ) -> list[Attribution]:
    """"She is confident that the bill will pass", "officials are worried the plant could
    fail", "the party is determined to win": the clause of an adjective of belief, feeling
    or resolve is what the copula's subject thinks or intends."""
    words = attribution_adjectives()
    out = []
    for tok in sent:
        if tok.lower_ not in words or tok.dep_ not in ("acomp", "ROOT", "conj"):
            continue
        clause = next((c for c in tok.children if c.dep_ == "ccomp" and c.pos_ in
                       ("VERB", "AUX") or c.dep_ == "xcomp" and
                       any(g.tag_ == "TO" for g in c.children)), None)
        if clause is None:
            continue
        holder = tok if tok.dep_ != "acomp" else tok.head
        subj = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ in _NO_SOURCE:
            continue
        start, end = _trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
        if end - start < settings.according_min_content_tokens:
            continue
        entity = entity_at(index, subj.idx, subj.idx + len(subj)) or resolve_unnamed_speaker(
            subj, index, lookback_chars=settings.organisation_lookback_chars)
        out.append(_statement(doc[start:end], sent, dates,
                              speaker=doc[slice(*speaker_bounds(subj))], entity=entity,
                              cue=tok.text, construction="belief:adjective"))
    return out


def _statement(content: SpacySpan, sent: SpacySpan, dates: Sequence[DateMention], *,
               speaker: SpacySpan | None, entity: Entity | None, cue: str,
               construction: str, words: list[str] | None = None,
               kind_of_source: SourceSpecificity | None = None) -> Attribution:
    """An indirect statement of ``content`` by the ``speaker`` words (resolved to
    ``entity``), dated by its sentence. How specific the source is comes from ``words``
    (by default the speaker's tokens) unless ``kind_of_source`` says it."""
    if words is None:
        words = [t.text for t in speaker] if speaker is not None else []
    return Attribution(
        speaker=entity.id if entity else None,
        speaker_text=speaker.text if speaker is not None else None, cue=cue,
        content=as_span(content), date=date_of(dates, sent.start_char, sent.end_char),
        kind="indirect", specificity=kind_of_source or specificity(entity, words),
        speaker_span=as_span(speaker) if speaker is not None else None,
        construction=construction)


def as_span(span: SpacySpan) -> Span:
    """A parse span as the analysis records it: offsets and text."""
    return Span(start=span.start_char, end=span.end_char, text=span.text)


def _overlaps(a: Span, b: Span) -> bool:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= 0.5 * min(a.end - a.start, b.end - b.start)


def _labelled_line(doc: Doc, sent: SpacySpan, index: MentionIndex,
                   dates: Sequence[DateMention], *, settings: AttributionSettings
                   ) -> Attribution | None:
    """A line that opens with a name and a colon quotes that name: a headline "Senator
    Smith: the bill is dead" or a transcript "SMITH: I disagree". Its content runs to the
    end of the line. Section labels ("UPDATE:") and clock times are not speakers."""
    text = doc.text
    line_start = text.rfind("\n", 0, sent.start_char) + 1
    first = sent.start
    while first < sent.end and (doc[first].is_space or doc[first].text in QUOTE_MARKS):
        first += 1  # a transcript quoted whole: '"SMITH: I disagree'
    colon = next((t for t in doc[first:min(sent.end, first + settings.label_max_tokens + 1)]
                  if t.text == ":"), None)
    if colon is None or colon.i == first:
        return None
    label = doc[first:colon.i]
    opening = text[line_start:doc[first].idx].strip()
    # '"SMITH: I disagree': a transcript's turn, its quote mark in this sentence or, at the
    # start of a line, in the last
    turn = label.text.isupper() and (first > sent.start or bool(opening) and all(
        ch in QUOTE_MARKS for ch in opening))
    if opening and not turn:
        return None
    words = label.text.lower().strip()
    if words in section_labels() or not label[0].text[:1].isupper() or any(
            t.like_num or t.is_punct and t.text not in (".", "'", "’", "-") for t in label):
        return None
    head = label.root
    named = [t for t in label if entity_at(index, t.idx, t.idx + len(t)) is not None]
    if named:
        head = named[-1]
        who = entity_at(index, head.idx, head.idx + len(head))
        if who is not None and who.type != "PERSON" and who.kb_id is None and \
                len(label) > _BARE_NAME_TOKENS or any(
                    t.pos_ in ("VERB", "AUX") and t.lemma_.lower() not in cue_senses()
                    for t in label):
            return None  # a run-in heading the NER took for a name ("Limited Tools to ...")
    elif head.lower_ not in source_nouns() and not (
            len(label) <= _BARE_NAME_TOKENS and
            all(t.is_title or t.is_upper or t.text in (".", "'") for t in label)):
        return None  # a heading ("Veto Power Impedes Peace Efforts"), not a speaker
    line_end = text.find("\n", colon.idx)
    line_end = len(text) if line_end < 0 else line_end
    if turn:  # a transcript's turn ends where the next speaker's begins
        following = _NEXT_TURN.search(text, colon.idx + 1, line_end)
        line_end = following.start() if following else line_end
    body = doc.char_span(colon.idx + 1, line_end, alignment_mode="contract")
    if body is None:
        return None
    start, end = _trim(doc, body.start, body.end)
    if end - start < settings.according_min_content_tokens:
        return None
    return _statement(doc[start:end], sent, dates, speaker=label,
                      entity=entity_at(index, head.idx, head.idx + len(head)), cue=":",
                      construction="label:colon")


_NEXT_TURN = re.compile(r"[\"“]\s*[A-Z][A-Z .'’-]{1,30}:|[\"“]?\s*\(CROSSTALK")
_BARE_NAME_TOKENS = 3  # a name the entities stage did not recognise: "Merkel:", "Sen. Cruz:"


def _in_document(doc: Doc, sent: SpacySpan, index: MentionIndex,
                 dates: Sequence[DateMention], *, settings: AttributionSettings
                 ) -> Attribution | None:
    """"In a Gallup poll released Monday, 48 percent ...": a sentence that opens with a
    document (a poll, a report, a study) reports what the document found."""
    first = sent[0]
    if first.lower_ != "in" or len(sent) < 4:
        return None
    objs = [c for c in first.children if c.dep_ == "pobj"]
    if not objs:
        return None
    holder = _view_holder(objs[0])
    if holder is None and source_nouns().get(objs[0].lower_) != "document":
        return None
    comma = first.right_edge.i + 1
    if comma >= sent.end or doc[comma].text != ",":
        return None
    start, end = _trim(doc, comma + 1, sent.end)
    if end - start < settings.according_min_content_tokens:
        return None
    if holder is not None:  # "In the view of many economists, ..." / "In her view, ..."
        return _statement(doc[start:end], sent, dates,
                          speaker=doc[slice(*speaker_bounds(holder))],
                          entity=entity_at(index, holder.idx, holder.idx + len(holder)),
                          cue=f"in {objs[0].text}", construction="view:in")
    phrase = doc[first.i + 1:first.right_edge.i + 1]
    entity = next((entity_at(index, t.idx, t.idx + len(t)) for t in phrase
                   if entity_at(index, t.idx, t.idx + len(t)) is not None), None)
    return _statement(doc[start:end], sent, dates, speaker=phrase, entity=entity, cue="in",
                      construction="document:in", kind_of_source="document")


def _noun_holder(noun: Token) -> Token | None:
    """Whose claim a reporting noun states: the possessor ("his claim that"), the object of
    "from" or "by" ("warnings from his lawyer that"), the subject of a light verb ("the court
    made a decision to") or of the verb the noun qualifies ("persisted in arguments that",
    "compared it ... in hopes that"), or the name the parse fused to a verb it read as a
    noun ("Smith charges that")."""
    for child in noun.children:
        if child.dep_ in ("poss", "nsubj"):  # "nsubj": "But Smith claims that", misparsed
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_.lower() in light_verbs():
        return subject_of(head)
    if noun.dep_ == "pobj" and head.lower_ in ("in", "with") and head.head.pos_ == "VERB":
        return subject_of(head.head)
    if is_root(noun) and noun.tag_ == "NNS" and noun.i > noun.sent.start:
        before = noun.nbor(-1)
        if before.dep_ == "compound" and before.head is noun and before.is_title:
            return before
    return None


def _view_holder(noun: Token) -> Token | None:
    """Whose view "In her view" or "in the view of the court" gives: the possessor or the
    object of "of"."""
    if noun.lower_ not in _VIEW_NOUNS:
        return None
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


_VIEW_NOUNS = frozenset({"view", "opinion", "words", "estimation", "judgment", "judgement",
                         "assessment", "telling", "mind"})


_AS_CLAUSE_EXCLUDES = frozenset({"xcomp", "ccomp", "dobj", "dative", "attr", "acomp"})
_AS_CLAUSE_PREPS = frozenset({"to", "with", "about", "for"})  # "as they speak to donors"


def _misparsed_clause(verb: Token, sent: SpacySpan, *, settings: AttributionSettings
                      ) -> tuple[int, int, CueSense, str] | None:
    """"He said legalizing it could ...": a speech verb that takes clauses, directly followed
    by words the parse did not attach to it as a clause (nor as an object or a phrase of its
    own), reports the rest of the sentence."""
    sense = cue_senses().get(verb.lemma_.lower())
    if sense is None or sense.family != "speech":
        return None
    if verb.dep_ in ("advcl", "relcl") and sent.end - sent.start >= 6 and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) and \
            subject_of(verb) is not None:
        # "The plan, as one senator put it, is ...": what the "as" clause qualifies; not
        # "as wealthy as he claims to be" nor "as they speak to donors" (a complement, a time)
        if any(c.dep_ in _AS_CLAUSE_EXCLUDES and c.lower_ not in ("it", "so") or
               c.dep_ == "prep" and c.lower_ in _AS_CLAUSE_PREPS for c in verb.children):
            return None
        head = verb.head if verb.dep_ == "advcl" else verb.head.head  # relcl: "the X, as"
        start, end = head.left_edge.i, head.right_edge.i + 1
        if verb.left_edge.i <= start:  # "As she said, the plan ..."
            start = verb.right_edge.i + 1
        elif verb.right_edge.i + 1 >= end:  # "The plan is dead, as she said"
            end = verb.left_edge.i
        return (start, end, sense, "as") if end > start else None
    if sense.frames[0] != "clause":
        return None
    if verb.dep_ == "parataxis" and subject_of(verb) is not None and \
            verb.i - sent.start >= 2 and sent.end - verb.i >= 3:
        return sent.start, sent.end, sense, "parenthetical"  # "Acts of protest, she said, ..."
    if not settings.read_misparsed_clauses:
        return None
    nxt = verb.i + 1
    if nxt >= sent.end or sent.end - nxt < 3:
        return None
    first = verb.doc[nxt]
    if first.is_punct or first.is_space or first.head.i == verb.i or \
            any(c.dep_ in ("dobj", "dative", "prep", "prt") for c in verb.children):
        return None
    if not any(t.dep_ in ("nsubj", "nsubjpass", "csubj") for t in verb.doc[nxt:sent.end]):
        return None
    return nxt, sent.end, sense, "rest"


def reports_words(sense: CueSense, frame: str) -> bool:
    """Whether the construction reports someone's words or thoughts (a clause, an
    infinitive, or what a speech verb takes), rather than an act toward something
    ("criticized the plan", "supports the treaty"), whose quotation marks are not theirs."""
    return sense.family == "speech" or frame not in _ACT_FRAMES


_ACT_FRAMES = frozenset({"object", "object_as", "object_to", "for", "of", "about", "against",
                         "with", "on", "in", "at"})


def _speaks(sense: CueSense, frame: str, subj: Token | None) -> bool:
    """Whether the cue has a source: reported speech may leave it to the context ("...,
    saying that"), every other sense needs a subject that names someone or something."""
    if sense.family == "speech" and frame != "object":
        return True
    if subj is None or subj.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    if sense.family == "document" and frame != "clause":
        # "polls show a close race", but not "he showed courage"
        return source_nouns().get(subj.lower_) == "document"
    return subj.lower_ not in _NO_SOURCE


# subjects that are no source: expletives and demonstratives standing for a thing
_NO_SOURCE = frozenset({"it", "there", "this", "that", "what", "which"})


def _named_appos(doc: Doc, according: tuple[Span, Entity | None, tuple[int, int]]
                 ) -> Token | None:
    """A proper name in apposition to the 'according to' object, outside its brackets."""
    tok = doc.char_span(according[0].start, according[0].end, alignment_mode="expand")
    if tok is None:
        return None
    root = tok.root
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i >= tok.end:
            return child
    return None


def _nearest_person(index: MentionIndex, start: int, end: int
                    ) -> Entity | None:
    """The last person named between ``start`` and ``end`` (a fallback when the parse gives
    the speech verb no subject)."""
    for i in range(bisect_left(index.starts, end) - 1, bisect_left(index.starts, start) - 1, -1):
        if index.items[i][2].type == "PERSON":
            return index.items[i][2]
    return None


def _cue_text(tok: Token) -> str:
    if tok.lemma_.lower() == "make":
        return f"{tok.text} it clear"
    return tok.text


def quote_kind_of(start: int, end: int, quotes: list[tuple[int, int]], *,
                  direct_share: float) -> QuoteKind:
    """Direct when at least ``direct_share`` of the content lies inside one quotation, mixed
    when it holds quoted words, indirect otherwise. ``quotes`` are in text order and never
    overlap (as
    ``find_quote_spans`` gives them), so only those from the first that ends after
    ``start`` to the last that starts before ``end`` can overlap the content."""
    inside = 0
    for i in range(bisect_right(quotes, start, key=lambda q: q[1]), len(quotes)):
        qs, qe = quotes[i]
        if qs >= end:
            break
        overlap = min(end, qe) - max(start, qs)
        if overlap > 0:
            if overlap >= direct_share * (end - start):
                return "direct"
            inside += overlap
    return "mixed" if inside else "indirect"


def _according_to(sent: SpacySpan, index: MentionIndex
                  ) -> tuple[Span, Entity | None, tuple[int, int]] | None:
    """'According to X (on date), ...': X's words, its entity and the phrase's token bounds."""
    for tok in sent:
        if tok.lower_ != "according" or tok.i + 1 >= sent.end or tok.nbor().lower_ != "to":
            continue
        to = tok.nbor()
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        end = obj.i + 1
        doc = sent.doc
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            end += 3  # keep "(AFP)"; stop before "on November 20" and appositions
        while end > obj.i + 1 and sent.doc[end - 1].is_punct and sent.doc[end - 1].text != ")":
            end -= 1
        phrase = sent.doc[min(c.i for c in obj.children if c.dep_ == "compound")
                          if any(c.dep_ == "compound" for c in obj.children) else obj.i:end]
        entity = entity_at(index, obj.idx, obj.idx + len(obj))
        span = Span(start=phrase.start_char, end=phrase.end_char, text=phrase.text)
        last = max(to.right_edge.i, tok.right_edge.i) + 1
        return span, entity, (tok.i, last)
    return None


def _according_only(doc: Doc, sent: SpacySpan,
                    according: tuple[Span, Entity | None, tuple[int, int]],
                    dates: Sequence[DateMention], quotes: list[tuple[int, int]], *,
                    min_tokens: int, direct_share: float) -> Attribution | None:
    """'According to X, Y happened': X is the speaker of the rest of the sentence (of at
    least ``min_tokens`` tokens)."""
    a_start, a_end = according[2]
    if a_start - sent.start > 2:
        start, end = sent.start, a_start
    else:
        start, end = a_end, sent.end
    start, end = _trim(doc, start, end)
    if end - start < min_tokens:
        return None
    content = doc[start:end]
    span, entity = according[0], according[1]
    return Attribution(
        speaker=entity.id if entity else None, speaker_text=span.text, cue="according to",
        content=Span(start=content.start_char, end=content.end_char, text=content.text),
        date=date_of(dates, sent.start_char, sent.end_char),
        kind=quote_kind_of(content.start_char, content.end_char, quotes,
                           direct_share=direct_share),
        specificity=specificity(entity, span.text.split()), speaker_span=span,
        construction="according-to")


def date_of(dates: Sequence[DateMention], start: int, end: int) -> str | None:
    found = date_within(dates, start, end)
    return found.value if found is not None and found.granularity == "day" else None
