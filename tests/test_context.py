"""The per-article context: dates, the mention index and sentence lookups computed once and
shared by the stages; the publication date settled before any stage runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

import presslens.context
import presslens.language.temporal
from presslens.config import load_config
from presslens.context import ArticleContext, publication_date
from presslens.ingest import Article
from presslens.model import Analysis, Entity, Mention

TEXT = "Talks resumed on Monday. Joe Biden said on November 20 that they would go on."
DAYS = load_config().dates.max_days_ahead


def _doc(text: str) -> Doc:
    """A hand-built parse of ``text``: words split on spaces, a sentence after each '.'."""
    words = text.replace(".", " .").split()
    starts = [i == 0 or words[i - 1] == "." for i in range(len(words))]
    spaces = [i + 1 < len(words) and words[i + 1] != "." for i in range(len(words))]
    return Doc(Vocab(), words=words, spaces=spaces, sent_starts=starts)


def _entity(eid: str, *spans: tuple[int, int]) -> Entity:
    return Entity(id=eid, name=eid, type="PERSON", kb_id=None,
                  mentions=[Mention(start=s, end=e, text=TEXT[s:e]) for s, e in spans])


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Replace ``module.name`` by a wrapper that records each call's arguments."""
    calls: list[object] = []
    real: Callable[..., Any] = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_context_dates_found_once_and_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, presslens.context, "find_dates")
    context = ArticleContext(_doc(TEXT), TEXT, published="2022-11-21", max_days_ahead=DAYS)
    first = context.dates
    assert context.dates is first
    assert calls == [(TEXT, "2022-11-21")]
    assert [(d.text, d.value) for d in first] == [("on Monday", "2022-11-21"),
                                                  ("November 20", "2022-11-20")]


def test_context_dates_none_without_an_anchor_for_relative_dates() -> None:
    context = ArticleContext(_doc("Talks resumed on Monday."), "Talks resumed on Monday.",
                             max_days_ahead=DAYS)
    assert context.dates == ()


def test_context_mention_index_shared_while_the_entities_stay(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, presslens.context, "mention_index")
    context = ArticleContext(_doc(TEXT), TEXT, max_days_ahead=DAYS)
    analysis = Analysis(text=TEXT, entities=[_entity("biden", (25, 34))])
    index = context.mention_index(analysis)
    # later stages add their own fields; the entities list is carried over, so is the index
    later = analysis.with_(attributions=[]).with_(stages=["entities", "attribution"])
    assert context.mention_index(later) is index
    assert len(calls) == 1
    assert index.at(25, 34) is not None and index.at(25, 34).id == "biden"  # type: ignore[union-attr]


def test_context_mention_index_rebuilt_when_the_entities_change() -> None:
    context = ArticleContext(_doc(TEXT), TEXT, max_days_ahead=DAYS)
    analysis = Analysis(text=TEXT, entities=[_entity("biden", (25, 34))])
    before = context.mention_index(analysis)
    changed = analysis.with_(entities=[_entity("joe", (25, 28))])
    after = context.mention_index(changed)
    assert after is not before
    assert after.at(25, 34).id == "joe"  # type: ignore[union-attr]
    assert context.mention_index(Analysis(text=TEXT)).at(25, 34) is None


@pytest.mark.parametrize("text", [TEXT, "One sentence only", "A. B c. D e f."])
def test_context_sentence_of_is_the_tokens_sentence(text: str) -> None:
    doc = _doc(text)
    context = ArticleContext(doc, text, max_days_ahead=DAYS)
    assert [s.text for s in context.sentences] == [s.text for s in doc.sents]
    assert context.sentences is context.sentences
    for tok in doc:
        sent = context.sentence_of(tok.i)
        assert (sent.start, sent.end) == (tok.sent.start, tok.sent.end)


@pytest.mark.parametrize(("article", "expected"), [
    (Article(text=TEXT, published="2022-11-21"), ("2022-11-21", False)),
    (Article(text="Signed on June 5, 2023 and on 1 May 2023."), ("2023-06-05", True)),
    (Article(text="No date here."), (None, False)),
])
def test_context_publication_date_given_or_inferred(article: Article,
                                                    expected: tuple[str | None, bool]) -> None:
    assert publication_date(article) == expected


def test_context_attribution_does_not_claim_the_publication_date() -> None:
    from presslens.registry import registered_stages

    provides = registered_stages()["attribution"].provides
    assert provides == ("attributions", "quoted_phrases")
    assert "published" not in provides


@pytest.mark.model
@pytest.mark.parametrize(("published", "dates_runs"), [("2022-11-21", 1), (None, 2)])
def test_context_pipeline_runs_find_dates_and_mention_index_once(  # type: ignore[no-untyped-def]
        pipeline, monkeypatch: pytest.MonkeyPatch, published: str | None,
        dates_runs: int) -> None:
    """Once per article for the stages; an article without a date reads the text once more
    for its inferred date, before the stages."""
    shared = _counting(monkeypatch, presslens.context, "find_dates")
    inferring = _counting(monkeypatch, presslens.language.temporal, "find_dates")
    indexes = _counting(monkeypatch, presslens.context, "mention_index")
    text = ("The Kremlin spokesman Dmitry Peskov said on November 20, 2022 that Moscow had not "
            "received any plan. Joe Biden said on Monday that the talks would go on.")
    analysis = pipeline.analyze(text, published=published)
    assert len(shared) + len(inferring) == dates_runs
    assert len(shared) == 1
    assert len(indexes) == 1
    assert analysis.published == (published or "2022-11-20")
    assert analysis.published_inferred is (published is None)
    assert analysis.timeline and analysis.attributions
