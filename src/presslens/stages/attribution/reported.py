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

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, cast

from presslens.config import AttributionSettings
from presslens.language.lexicons import organisation_nouns, source_nouns, speech_verbs
from presslens.language.syntax import subject_of
from presslens.language.temporal import DateMention, date_within
from presslens.model import Attribution, Entity, MentionIndex, SourceSpecificity, Span, entity_at

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

QuoteKind = Literal["direct", "indirect", "mixed"]
_QUOTES = "\"“”‘’«»„"

def speaker_bounds(subj: Token) -> tuple[int, int]:
    """The subject's own words: determiners, modifiers and compounds, not its appositions
    or relative clauses ("Peskov, a Kremlin spokesman, ..." gives "Peskov")."""
    left = right = subj.i
    for child in subj.children:
        if child.dep_ in ("det", "compound", "amod", "poss", "nmod", "nummod", "flat"):
            left = min(left, child.left_edge.i)
            if child.i > subj.i:
                right = max(right, child.right_edge.i)
        elif child.dep_ == "prep" and child.i > subj.i and child.lower_ in ("of", "in", "at"):
            right = max(right, child.right_edge.i)  # "the families of the hostages"
    for child in subj.children:
        if child.dep_ == "cc" or child.dep_ == "conj":  # "Putin and Lukashenko"
            right = max(right, child.right_edge.i)
    return left, right + 1


def _content(verb: Token) -> tuple[int, int] | None:
    """Token bounds of what the verb reports, or None."""
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
        return min(p.left_edge.i for p in parts), max(p.right_edge.i for p in parts) + 1
    for child in verb.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and lemma in ("claim", "deny")):
            return child.left_edge.i, child.right_edge.i + 1
        if lemma == "call" and child.dep_ in ("oprd", "xcomp") and any(
                t.text in _QUOTES for t in child.subtree):
            return child.left_edge.i, child.right_edge.i + 1  # called it "a stab in the back"
    if lemma in ("accuse", "warn", "deny", "blame"):
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "for", "about", "against"):
                return child.i + 1, child.right_edge.i + 1
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].lower_ in ("that", ",", ":") or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in _QUOTES
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
    verbs = speech_verbs() - {"hope", "want", "feel", "ask", "urge", "promise", "vow"}
    cues = verbs | {"make"}
    out: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    for sent in doc.sents:
        according = _according_to(sent, index)
        in_sentence = len(out)  # contents lie inside their verb's sentence
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in cues:
                continue
            bounds = _content(tok)
            if bounds is None:
                continue
            start, end = _trim(doc, *bounds)
            if end - start < settings.min_content_tokens or (start, end) in seen:
                continue
            seen.add((start, end))
            subj = subject_of(tok)
            if subj is not None and subj.lower_ == "it" and (
                    subj.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in tok.children)):
                continue  # "it can be said that": the writer's own voice
            if subj is not None and according is not None and \
                    according[2][0] <= subj.i < according[2][1]:
                # "According to AFP, Podolyak, an adviser, said": the parse may make the
                # outlet the subject; the speaker is the name in apposition to it
                appositions = [c for c in subj.subtree if c.dep_ == "appos" and
                               c.i >= according[2][1]]
                subj = appositions[0] if appositions else subj
            speaker_span = None
            entity = None
            words: list[str] = []
            if subj is not None:
                left, right = speaker_bounds(subj)
                sp = doc[left:right]
                speaker_span = Span(start=sp.start_char, end=sp.end_char, text=sp.text)
                entity = entity_at(index, doc[subj.i].idx, doc[subj.i].idx + len(doc[subj.i]))
                if entity is None:
                    entity = resolve_unnamed_speaker(
                        subj, index, lookback_chars=settings.organisation_lookback_chars)
                words = [t.text for t in sp]
            elif according is not None:
                named = _named_appos(doc, according)
                if named is not None:
                    # "According to AFP, Podolyak, an adviser, said": AFP carried it
                    left, right = speaker_bounds(named)
                    sp = doc[left:right]
                    speaker_span = Span(start=sp.start_char, end=sp.end_char, text=sp.text)
                    entity = entity_at(index, named.idx, named.idx + len(named))
                    words = [t.text for t in sp]
                    subj = named
                else:
                    speaker_span = according[0]
                    entity = according[1]
                    words = speaker_span.text.split()
            else:
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
            out.append(Attribution(
                speaker=entity.id if entity else None,
                speaker_text=speaker_span.text if speaker_span else None,
                cue=_cue_text(tok),
                content=Span(start=content.start_char, end=content.end_char, text=content.text),
                source=source.id if source else None, source_text=source_text,
                date=date_of(dates, sent.start_char, sent.end_char),
                kind=kind, specificity=specificity(entity, words),
                speaker_span=speaker_span,
            ))
        if according is not None and not any(a.content.start >= sent.start_char and
                                             a.content.end <= sent.end_char
                                             for a in out[in_sentence:]):
            only = _according_only(doc, sent, according, dates, quotes,
                                   min_tokens=settings.according_min_content_tokens,
                                   direct_share=settings.direct_share)
            if only is not None:
                out.append(only)
    return out


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
        specificity=specificity(entity, span.text.split()), speaker_span=span)


def date_of(dates: Sequence[DateMention], start: int, end: int) -> str | None:
    found = date_within(dates, start, end)
    return found.value if found is not None and found.granularity == "day" else None
