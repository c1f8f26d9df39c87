"""The typed rows the corpus queries return, and the JSON views (``to_dict``) built from them."""

import json

import pytest

from presslens.corpus.rows import (
    EntityProfile,
    EventRow,
    QuoteRow,
    SpellingRow,
    StanceRow,
    TimelineRow,
)
from presslens.model import Event, Span, Stance

WHERE = {"article_id": 7, "title": "Talks", "published": "2022-11-20"}
NAMES = {"e1": "Volodymyr Zelensky", "e2": "Russia"}


def test_rows_stance_of_reads_the_typed_stance() -> None:
    stance = Stance(holder="e1", issue="talks", polarity="support",
                    evidence=Span(start=0, end=5, text="backs"))
    assert StanceRow.of(stance, **WHERE).to_dict() == {
        "issue": "talks", "polarity": "support", "evidence": "backs", **WHERE}


@pytest.mark.parametrize(("event", "expected"), [
    (Event(type="ASSAULT", actor="e2", target="e1", trigger=Span(start=0, end=8,
                                                                 text="attacked"),
           date="2022-11-18", modality="asserted"),
     {"type": "ASSAULT", "actor": "Russia", "target": "Volodymyr Zelensky",
      "trigger": "attacked", "date": "2022-11-18", "negated": False,
      "modality": "asserted"}),
    # no target, an actor not among the names, no date: the article's date
    (Event(type="CONSULT", actor="e9", target=None, trigger=Span(start=0, end=3, text="met"),
           negated=True),
     {"type": "CONSULT", "actor": None, "target": None, "trigger": "met",
      "date": "2022-11-20", "negated": True, "modality": None}),
])
def test_rows_event_of_names_actor_and_target(event: Event, expected: dict[str, object]
                                              ) -> None:
    assert EventRow.of(event, NAMES, **WHERE).to_dict() == {**expected, **WHERE}


def test_rows_to_dict_keeps_field_order_and_nests_rows_as_lists() -> None:
    """The JSON of an entity: keys in the order the API has always given, nested rows as
    lists of objects."""
    quote = QuoteRow(content="the bridge was mined", cue="said", date="2022-11-19",
                     specificity="named_person", speaker_text="Zilenski",
                     speaker="Volodymyr Zelensky", speaker_key="Q3874799", title="Talks",
                     article_id=7)
    profile = EntityProfile(
        id=1, key="Q3874799", name="Volodymyr Zelensky", type="PERSON", kb_id="Q3874799",
        sound=None, mention_count=3, article_count=2, first_date="2022-11-19",
        last_date="2022-11-20", spellings=(SpellingRow(spelling="Zilenski", count=2),),
        quotes=(quote,), stances=(), events=())
    data = profile.to_dict()
    assert list(data) == ["id", "key", "name", "type", "kb_id", "sound", "mention_count",
                          "article_count", "first_date", "last_date", "spellings",
                          "quotes", "stances", "events"]
    assert data["spellings"] == [{"spelling": "Zilenski", "count": 2}]
    assert list(data["quotes"][0]) == ["content", "cue", "date", "specificity",
                                       "speaker_text", "speaker", "speaker_key", "title",
                                       "article_id"]
    assert data["stances"] == data["events"] == []
    assert json.loads(json.dumps(data)) == data


def test_rows_are_frozen() -> None:
    row = TimelineRow(date="2022-11", text="in November", article_id=1, title=None)
    with pytest.raises(AttributeError):
        row.date = "2023"  # type: ignore[misc]
