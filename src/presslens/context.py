"""The per-article context: what the stages read besides the analysis, made once per article
by the pipeline and handed to every stage.

It holds the parse, the text and the publication date (the article's, else the one inferred
from the text, before any stage runs), and the facts several stages need, each computed on
first use and then shared: the dates the text mentions (attribution, claims, timeline and
events all read them), the index of entity mentions by position, and the sentence that
holds a token. Stages stay pure: they read the context and never change it.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property
from typing import TYPE_CHECKING

from presslens.language.temporal import DateMention, find_dates, infer_published
from presslens.model import Analysis, Entity, MentionIndex, Span, mention_index

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from presslens.ingest import Article


def publication_date(article: Article) -> tuple[str | None, bool]:
    """The article's publication date, else the latest full date its text states, and
    whether it was inferred (an analysis shows it as such)."""
    if article.published is not None:
        return article.published, False
    inferred = infer_published(article.text)
    return inferred, inferred is not None


class ArticleContext:
    """One article's parse, text and publication date, and the facts the stages share.

    ``dates`` and the sentence lookups are computed on first use; the mention index once per
    ``entities`` value, so every stage after ``entities`` shares one.
    """

    def __init__(self, doc: Doc, text: str, *, published: str | None = None,
                 max_days_ahead: int) -> None:
        self.doc = doc
        self.text = text
        self.published = published
        self.max_days_ahead = max_days_ahead  # [dates] max_days_ahead
        self._indexed: tuple[list[Entity], MentionIndex] | None = None

    @cached_property
    def dates(self) -> tuple[DateMention, ...]:
        """Every resolvable date the text mentions, normalised against ``published``, in
        text order (``temporal.find_dates``)."""
        return tuple(find_dates(self.text, self.published,
                                max_days_ahead=self.max_days_ahead))

    def mention_index(self, analysis: Analysis) -> MentionIndex:
        """The entity mentions of ``analysis`` indexed by position. Built again only when
        the analysis carries other entities than the last call's (a stage replaced them):
        ``Analysis.with_`` keeps the list it does not replace, so stages share one index."""
        entities = analysis.entities
        if self._indexed is None or self._indexed[0] is not entities:
            self._indexed = (entities, mention_index(analysis))
        return self._indexed[1]

    @cached_property
    def sentences(self) -> tuple[SpacySpan, ...]:
        """The parse's sentences in order (``doc.sents`` builds them anew on every pass)."""
        return tuple(self.doc.sents)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [sent.start for sent in self.sentences]

    @cached_property
    def _sentence_chars(self) -> list[int]:
        return [sent.start_char for sent in self.sentences]

    def evidence(self, start: int, end: int) -> Span:
        """The sentence or sentences that hold the characters ``start``..``end``: what a
        finding rests on, shown to the user as its evidence."""
        starts = self._sentence_chars
        if not starts:
            return Span(start=start, end=end, text=self.text[start:end])
        first = self.sentences[max(0, bisect_right(starts, start) - 1)]
        last = self.sentences[max(0, bisect_right(starts, max(start, end - 1)) - 1)]
        lo, hi = min(first.start_char, start), max(last.end_char, end)
        while hi > lo and self.text[hi - 1].isspace():
            hi -= 1
        return Span(start=lo, end=hi, text=self.text[lo:hi])

    def sentence_of(self, token: int) -> SpacySpan:
        """The sentence holding the token at index ``token``: ``doc[token].sent``, found by
        bisection instead of a walk to the sentence's edges on every call."""
        return self.sentences[bisect_right(self._sentence_starts, token) - 1]
