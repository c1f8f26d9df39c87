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
from presslens.language.lexicons import speech_verbs
from presslens.language.syntax import subject_of
from presslens.language.temporal import DateMention
from presslens.model import Attribution, MentionIndex, Span, entity_at
from presslens.stages.attribution.reported import (
    date_of,
    resolve_unnamed_speaker,
    speaker_bounds,
    specificity,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_PAIRS = {"“": "”", "«": "»", "„": "“", "‘": "’"}
_STRAIGHT = '"'


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character inside the marks
    end: int  # the closing mark's position (exclusive end of the content)

    def words(self, text: str) -> int:
        return len(text[self.start:self.end].split())


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quoted spans (content offsets, marks excluded), in text order, never overlapping."""
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
        spans.append(QuoteSpan(i + 1, end))
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
    close = quote.end + 1
    max_gap = settings.cue_max_gap_words
    # after the quotation: '..." she said' / '..." said Smith' (within a few tokens)
    after_span = doc.char_span(min(close, len(text)),
                               min(close + settings.cue_chars_after, len(text)),
                               alignment_mode="expand")
    after = [t for t in after_span if t.idx >= close] if after_span is not None else []
    for t in after[:settings.cue_tokens_after]:
        if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX"):
            gap = text[close:t.idx]
            if len(gap.split()) <= max_gap and "\n" not in gap:
                return t
        if t.text in ("“", '"', "«") or (t.is_sent_start and t.idx > close + 2):
            break
    # before it: 'He said: "...' / 'X told reporters, "...'
    opening = quote.start - 1
    before_span = doc.char_span(max(0, opening - settings.cue_chars_before), max(0, opening),
                                alignment_mode="expand")
    before = [t for t in before_span if t.idx < opening] if before_span is not None else []
    for t in reversed(before[-settings.cue_tokens_before:]):
        if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "AUX"):
            gap = text[t.idx + len(t):opening]
            if "\n" not in gap and len(gap.split()) <= max_gap:
                return t
        if t.text in (".", "!", "?", "”", '"', "»"):
            break
    return None


def find_direct_quotes(doc: Doc, index: MentionIndex,
                       reported: list[Attribution], dates: Sequence[DateMention], *,
                       settings: AttributionSettings) -> list[Attribution]:
    """Attributions for quotations that reported speech did not already cover. A quotation
    with no cue of its own continues the previous speaker's words when it follows them.
    ``settings`` are the ``[attribution]`` ones."""
    out: list[Attribution] = []
    text = doc.text
    by_end = sorted(reported, key=lambda a: a.content.end)
    ends = [a.content.end for a in by_end]
    # reported contents by start: only those starting at most ``longest`` characters before
    # a quotation can overlap it
    by_start = sorted(range(len(reported)), key=lambda i: reported[i].content.start)
    starts = [reported[i].content.start for i in by_start]
    longest = max((a.content.end - a.content.start for a in reported), default=0)
    last: Attribution | None = None
    for q in find_quote_spans(text):
        earlier = bisect_right(ends, q.start)  # by_end[:earlier] end before the quotation
        if earlier and (last is None or ends[earlier - 1] > last.content.end):
            last = by_end[earlier - 1]
        q = QuoteSpan(q.start, q.start + len(text[q.start:q.end].rstrip(" ,;:")))
        # scare quotes ("surrender") are statements only with a cue
        short = q.words(text) < settings.min_quote_words
        near = by_start[bisect_left(starts, q.start - longest):bisect_right(starts, q.end)]
        if any(min(reported[i].content.end, q.end) - max(reported[i].content.start, q.start)
               >= settings.quote_covered_share * (q.end - q.start) for i in near):
            holding = [i for i in near if reported[i].content.start <= q.start
                       < reported[i].content.end]
            last = reported[min(holding)] if holding else last
            continue
        content = Span(start=q.start, end=q.end, text=text[q.start:q.end])
        sent_start = text.rfind("\n", 0, q.start) + 1
        cue = quote_cue(doc, q, text, settings=settings)
        if cue is not None:
            subj = subject_of(cue)
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
                specificity=specificity(entity, words), speaker_span=speaker_span)
        elif last is not None and not short and \
                q.start - last.content.end < settings.continuation_max_chars:
            att = last.model_copy(update={"content": content, "cue": None, "kind": "direct"})
        else:
            continue
        out.append(att)
        last = att
    return out
