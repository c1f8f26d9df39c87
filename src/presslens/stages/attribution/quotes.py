"""Direct quotations: find the quoted spans, then who the text says spoke them.

``find_quote_spans`` is pure string work and never raises: curly, straight, guillemet and
single quotation marks; a quotation that runs over several paragraphs (news style reopens
each paragraph and closes only at the end); unbalanced marks are dropped, not guessed.
``quote_cue`` reads the parse around a quotation for its speech verb: after it
("..., she said"; "..., said Smith"), before it ("He said: ..."), or in between the halves of
a split quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from presslens.config import AttributionSettings
from presslens.language.lexicons import speech_verbs, title_nouns
from presslens.language.syntax import SUBJECT_DEPS, is_passive, passive_agent, subject_of
from presslens.language.temporal import DateMention
from presslens.model import Attribution, MentionIndex, QuotedPhrase, Span, entity_at
from presslens.stages.attribution.reported import (
    QUOTE_MARKS,
    date_of,
    resolve_unnamed_speaker,
    speaker_bounds,
    specificity,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_DASHES = frozenset({"―", "—", "–", "--", "-"})
_PAIRS = {"“": "”", "«": "»", "„": "“", "‘": "’"}
_STRAIGHT = '"'


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character inside the marks
    end: int  # the closing mark's position (exclusive end of the content)

    def words(self, text: str) -> int:
        return len(text[self.start:self.end].split())


_MARKUP = re.compile(r"<[^<>\n]{1,400}>|\[/?[a-z_]+(?: [^\]\n]{0,400})?\]")


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quoted spans (content offsets, marks excluded), in text order, never overlapping.
    Quotation marks inside markup left in the text (an HTML tag's attributes, a
    "[caption ...]" shortcode) are not quotations."""
    original = text
    text = _MARKUP.sub(lambda m: " " * len(m.group()), text)
    # two apostrophes stand for a double quotation mark in some newsroom text: the first
    # becomes the mark, the second is skipped below
    text = text.replace("''", '"\0')
    spans: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close: str | None = None
        if ch in _PAIRS and (ch != "‘" or _opens_single(text, i)):
            close = _PAIRS[ch]
        elif ch == _STRAIGHT and _opens_straight(text, i):
            close = _STRAIGHT
        if close is None:
            i += 1
            continue
        end = _find_close(text, i + 1, ch, close)
        if end is None:
            i += 1
            continue
        start = i + 2 if original.startswith("''", i) else i + 1
        if start < end:
            spans.append(QuoteSpan(start, end))
        i = end + 1
    return spans


def _opens_single(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _opens_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _find_close(text: str, start: int, opener: str, close: str) -> int | None:
    """Where the quotation opened before ``start`` closes; across paragraphs only when
    the next paragraph reopens it."""
    j = start
    while j < len(text):
        ch = text[j]
        if ch == close and (close != "’" or j + 1 >= len(text) or not text[j + 1].isalnum()):
            if close == _STRAIGHT and j + 1 < len(text) and text[j + 1].isalnum():
                j += 1
                continue
            return j
        if ch == "\n" and text.startswith("\n", j + 1):
            k = j
            while k < len(text) and text[k].isspace():
                k += 1
            if k < len(text) and text[k] == opener and opener != close:
                j = k + 1  # the quotation goes on in the next paragraph
                continue
            if k < len(text) and text[k] == close == _STRAIGHT:
                j = k + 1
                continue
            return None
        j += 1
    return None


_AFTER = re.compile(r"^[\s,.!?;:—–-]*$")


def quote_cue(doc: Doc, quote: QuoteSpan, text: str, *, settings: AttributionSettings
              ) -> Token | None:
    """The speech verb that introduces or follows a quotation, if the sentence has one,
    within the ``cue_*`` windows of ``settings``. ``text`` is ``doc.text`` (which spaCy
    rebuilds on every access)."""
    verbs = speech_verbs()
    close = quote.end  # past the closing mark (the content may have lost a trailing comma)
    while close < len(text) and text[close] in " ,;:":
        close += 1
    if close < len(text) and text[close] in QUOTE_MARKS:
        close += 1
    max_gap = settings.cue_max_gap_words
    # after the quotation: '..." she said' / '..." said Smith' (within a few tokens)
    after_span = doc.char_span(min(close, len(text)),
                               min(close + settings.cue_chars_after, len(text)),
                               alignment_mode="expand")
    after = [t for t in after_span if t.idx >= close] if after_span is not None else []
    words = [t for t in after if not t.is_space]
    if len(words) > 1 and words[0].text in _DASHES and words[1].pos_ == "PROPN" and \
            "\n" not in text[close:words[1].idx]:
        return words[0]  # '"..." ― Jane Doe': a signed quotation
    for n, t in enumerate(after[:settings.cue_subject_tokens_after]):
        if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX"):
            gap = text[close:t.idx]
            if "\n" not in gap and (len(gap.split()) <= max_gap and
                                    n < settings.cue_tokens_after or
                                    _subject_fills(t, after[:n])):
                return t
        if t.text in ("“", '"', "«") or (t.is_sent_start and t.idx > close + 2):
            break
    # before it: 'He said: "...' / 'X told reporters, "...'
    opening = quote.start - 1
    before_span = doc.char_span(max(0, opening - settings.cue_chars_before), max(0, opening),
                                alignment_mode="expand")
    before = [t for t in before_span if t.idx < opening] if before_span is not None else []
    for t in reversed(before[-settings.cue_tokens_before:]):
        if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX") and \
                not text[max(0, t.idx - 1):t.idx] == "-":  # "so-called" names, says nothing
            gap = text[t.idx + len(t):opening]
            if "\n" not in gap and len(gap.split()) <= max_gap or gap.strip() == ":":
                return t  # 'He said: "...', or 'She continued:' and the quotation below
        if t.text in (".", "!", "?", "”", '"', "»"):
            break
    return None


def _subject_fills(verb: Token, gap: list[Token]) -> bool:
    """Whether the words between a quotation and a verb after it are all the verb's subject
    ('"...," a spokesman for the regional police department said'), or capitalised words
    the parse left out of it ("Tulsa police Chief Jordan said", "Tulsa" read as a verb)."""
    words = [t for t in gap if not (t.is_punct or t.is_space)]
    if not words:
        return False
    if words[-1].pos_ == "PROPN" and all(t.pos_ in ("PROPN", "NOUN") or t.is_title
                                         for t in words):
        return True  # a title and a name, however the parse joined them to the verb
    subject = subject_of(verb)
    return subject is not None and all(
        subject.left_edge.i <= t.i <= subject.right_edge.i or t.is_title and
        t.i < subject.left_edge.i for t in words)


def _governs(doc: Doc, cue: Token, quote: QuoteSpan) -> bool:
    """Whether the quotation lies in what the verb reports (its subtree, not its subject):
    'called the plan "reckless"', 'said: "never"'. A verb whose clause follows the phrase
    (""dispel rumors", saying that ...") does not report it."""
    first = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if first is None or not len(first):
        return False
    tok = first[0]
    subject = subject_of(cue)
    if subject is not None and subject.left_edge.i <= tok.i <= subject.right_edge.i:
        return False
    return cue.left_edge.i <= tok.i <= cue.right_edge.i and tok.i > cue.i or (
        tok.i < cue.i and any(t.i == tok.i for t in cue.subtree))


def _stands_alone(doc: Doc, quote: QuoteSpan, settings: AttributionSettings) -> bool:
    """Whether a quotation without a cue reads as more words of the last speaker: it opens
    its sentence or fills most of it (a phrase quoted inside the writer's own sentence, as
    in 'after the "great victory in the east", the army ...', does not)."""
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    sent = span[0].sent
    opening = doc.text[sent.start_char:quote.start].strip()
    if all(ch in QUOTE_MARKS or not ch.isalnum() for ch in opening):
        return True
    return quote.end - quote.start >= settings.continuation_min_share * len(sent.text)


def _said_inside(att: Attribution, quote: QuoteSpan) -> bool:
    """Whether the attribution's speaker speaks inside the quotation ("... I think we must
    act," she said): it is nested in the quotation and does not stand for it."""
    return att.speaker_span is not None and \
        quote.start <= att.speaker_span.start < quote.end


def _continues(last: Attribution) -> bool:
    """Whether a quotation with no cue of its own may carry on the words of ``last``: a
    quotation's or a speech verb's ("She said the plan was dead. "We tried everything.""),
    not a belief's, a wish's or a document's."""
    return last.kind != "indirect" or (last.construction or "").startswith("speech:")


def _opens_turn(att: Attribution, quote: QuoteSpan) -> bool:
    """Whether the attribution is a labelled turn ("SMITH: ...") whose label opens the
    quotation."""
    return att.construction == "label:colon" and att.speaker_span is not None and \
        quote.start <= att.speaker_span.start <= quote.start + _TURN_LABEL_OFFSET


_TURN_LABEL_OFFSET = 2  # a space or a second mark between the opening mark and the label


def _signature(dash: Token) -> Token:
    """The name after the dash of a signed quotation: its last proper noun."""
    name = dash.nbor()
    while name.is_space and name.i + 1 < len(dash.doc):
        name = name.nbor()
    while name.i + 1 < len(dash.doc) and name.nbor().pos_ == "PROPN" and \
            "\n" not in name.whitespace_:
        name = name.nbor()
    return name


def _named_between(doc: Doc, quote: QuoteSpan, cue: Token) -> Token | None:
    """'"...," the former strategist said': the last noun between the quotation and its
    verb."""
    if cue.idx < quote.end:
        return None
    nouns = [t for t in doc[:cue.i] if t.idx > quote.end and t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns and cue.idx - quote.end < 120 else None


def _inverted_subject(verb: Token) -> Token | None:
    """'"...," said Jane Doe, a lawyer': the name after the verb, when the parse does not
    make it the subject (or makes it a second subject, or reads "Said Smith:" as a name)."""
    if verb.dep_ == "compound" and verb.head.pos_ == "PROPN" and verb.head.i > verb.i:
        return verb.head
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("dobj", "attr", "npadvmod", "oprd", "dative",
                                               "nsubj") and child.pos_ == "PROPN":
            return child
    return None


def is_title(text: str, quote: QuoteSpan) -> bool:
    """Whether the quoted words are a title ('on "Meet the Press"', 'the book "Fire and
    Fury"'): in title case, and next to a noun of titles or after "on"."""
    words = [w for w in text[quote.start:quote.end].split() if w[:1].isalpha()]
    if not words or len(words) > _TITLE_MAX_WORDS:
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS)
    if capitalised < len(words) or not words[0][0].isupper():
        return False
    before = text[max(0, quote.start - 40):quote.start - 1].lower().split()[-3:]
    after = text[quote.end + 1:quote.end + 40].lower().split()[:3]
    nouns = title_nouns()
    near = [w.strip(",.;:()'’\"“”") for w in before + after]
    return any(w in nouns for w in near) or (bool(before) and before[-1] in ("on", "in"))


_TITLE_MAX_WORDS = 12
_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to",
                                "for", "with", "by", "from", "is", "it's"})


def find_direct_quotes(doc: Doc, index: MentionIndex,
                       reported: list[Attribution], dates: Sequence[DateMention],
                       quotes: Sequence[QuoteSpan], *, settings: AttributionSettings
                       ) -> tuple[list[Attribution], list[QuotedPhrase]]:
    """Attributions for quotations that reported speech did not already cover, and the
    quoted phrases said by no one: titles, and scare quotes (short, with no cue and not
    inside a statement). A longer quotation with no cue of its own continues the previous
    speaker's words when it follows them. ``quotes`` are the text's quotations
    (``find_quote_spans``); ``settings`` are the ``[attribution]`` ones."""
    out: list[Attribution] = []
    phrases: list[QuotedPhrase] = []
    text = doc.text
    by_end = sorted(reported, key=lambda a: a.content.end)
    ends = [a.content.end for a in by_end]
    # reported contents by start: only those starting at most ``longest`` characters before
    # a quotation can overlap it
    by_start = sorted(range(len(reported)), key=lambda i: reported[i].content.start)
    starts = [reported[i].content.start for i in by_start]
    longest = max((a.content.end - a.content.start for a in reported), default=0)
    last: Attribution | None = None
    for q in quotes:
        earlier = bisect_right(ends, q.start)  # by_end[:earlier] end before the quotation
        if earlier and (last is None or ends[earlier - 1] > last.content.end):
            last = by_end[earlier - 1]
        q = QuoteSpan(q.start, q.start + len(text[q.start:q.end].rstrip(" ,;:")))
        # scare quotes ("surrender") are statements only with a cue
        short = q.words(text) < settings.min_quote_words
        if is_title(text, q):
            phrases.append(QuotedPhrase(start=q.start, end=q.end, text=text[q.start:q.end],
                                        kind="title"))
            continue
        turn = next((reported[i] for i in by_start[bisect_left(starts, q.start):
                                                    bisect_right(starts, q.end)]
                     if _opens_turn(reported[i], q)), None)
        if turn is not None:
            # a transcript quoted whole ('"SMITH: ... "JONES: ...'): its turns stand for it
            last = turn
            continue
        near = [i for i in by_start[bisect_left(starts, q.start - longest):
                                    bisect_right(starts, q.end)]
                if not _said_inside(reported[i], q)]
        if any(min(reported[i].content.end, q.end) - max(reported[i].content.start, q.start)
               >= settings.quote_covered_share * (q.end - q.start) for i in near):
            holding = [i for i in near if reported[i].content.start <= q.start
                       < reported[i].content.end]
            last = reported[min(holding)] if holding else last
            if short and holding and all(reported[i].kind == "indirect" for i in holding):
                # inside "criticized the "reform"": the marks are the writer's, not theirs
                phrases.append(QuotedPhrase(start=q.start, end=q.end,
                                            text=text[q.start:q.end], kind="scare_quote"))
            continue
        content = Span(start=q.start, end=q.end, text=text[q.start:q.end])
        sent_start = text.rfind("\n", 0, q.start) + 1
        cue = quote_cue(doc, q, text, settings=settings)
        if cue is not None and short and (is_passive(cue) or not _governs(doc, cue, q)):
            # "was asked to "surrender"", ""dispel rumors", saying ...": a phrase the
            # verb does not report, or one reported of the subject, is the writer's
            cue = None
        if cue is not None:
            subj = _signature(cue) if cue.text in _DASHES else (
                passive_agent(cue) if is_passive(cue) else subject_of(cue))
            if subj is None or q.start <= subj.idx < q.end:
                # the speaker is never inside the quotation: '"Full panic mode," said X';
                # the parse may make the quotation a subject too ('"Happy New Year," he
                # tweeted')
                subj = next((c for c in cue.children if c.dep_ in SUBJECT_DEPS and
                             not q.start <= c.idx < q.end and c.idx > q.start), None) or \
                    _inverted_subject(cue) or _named_between(doc, q, cue)
            entity, speaker_span, words = None, None, []
            if subj is not None:
                left, right = speaker_bounds(subj)
                sp = doc[left:right]
                speaker_span = Span(start=sp.start_char, end=sp.end_char, text=sp.text)
                entity = entity_at(index, subj.idx, subj.idx + len(subj))
                if entity is None:
                    entity = resolve_unnamed_speaker(
                        subj, index, lookback_chars=settings.organisation_lookback_chars)
                words = [t.text for t in sp]
            dated = date_of(dates, sent_start, q.end + settings.quote_date_chars_after)
            att = Attribution(
                speaker=entity.id if entity else None,
                speaker_text=speaker_span.text if speaker_span else None, cue=cue.text,
                content=content, date=dated, kind="direct",
                specificity=specificity(entity, words), speaker_span=speaker_span,
                construction="quote:signed" if cue.text in _DASHES else "quote:cue")
        elif last is not None and _continues(last) and not short and \
                _stands_alone(doc, q, settings) and \
                q.start - last.content.end < settings.continuation_max_chars:
            att = last.model_copy(update={"content": content, "cue": None, "kind": "direct",
                                          "construction": "quote:continuation"})
        else:
            if q.words(text) <= settings.scare_quote_max_words and q.end > q.start:
                phrases.append(QuotedPhrase(start=q.start, end=q.end, text=content.text,
                                            kind="scare_quote"))
            continue
        out.append(att)
        last = att
    return out, phrases
