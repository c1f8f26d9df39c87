"""What the corpus queries return: small frozen rows. ``to_dict`` gives the JSON views (the
web API, the CLI's JSON lines) their keys, in field order, and turns nested rows into
dicts and tuples into lists; templates read the attributes."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from presslens.model import Event, Stance


def _plain(value: Any) -> Any:
    if isinstance(value, Row):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class Row:
    """A row of a corpus query."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class ArticleRow(Row):
    """A stored article, as lists and searches show it."""

    id: int
    title: str | None
    source: str | None
    published: str | None


@dataclass(frozen=True)
class FailureRow(Row):
    """An article that could not be analysed or stored, and why."""

    source: str | None
    error: str | None


@dataclass(frozen=True)
class QuoteRow(Row):
    """A stored attribution, with its speaker's corpus identity (None: no entity) and its
    article."""

    content: str
    cue: str | None
    date: str | None
    specificity: str
    speaker_text: str | None
    speaker: str | None
    speaker_key: str | None
    title: str | None
    article_id: int


@dataclass(frozen=True)
class StanceRow(Row):
    """An entity's stance in one stored article."""

    issue: str
    polarity: str
    evidence: str
    article_id: int
    title: str | None
    published: str | None

    @classmethod
    def of(cls, stance: Stance, *, article_id: int, title: str | None,
           published: str | None) -> StanceRow:
        return cls(issue=stance.issue, polarity=stance.polarity,
                   evidence=stance.evidence.text, article_id=article_id, title=title,
                   published=published)


@dataclass(frozen=True)
class EventRow(Row):
    """An event an entity acts in or is the target of, in one stored article; actor and
    target by name, the date the event's or else the article's."""

    type: str
    actor: str | None
    target: str | None
    trigger: str
    date: str | None
    negated: bool
    modality: str | None
    article_id: int
    title: str | None
    published: str | None

    @classmethod
    def of(cls, event: Event, names: dict[str, str], *, article_id: int,
           title: str | None, published: str | None) -> EventRow:
        """``names``: the article's entity names by entity id."""
        def name(entity_id: str | None) -> str | None:
            return None if entity_id is None else names.get(entity_id)

        return cls(type=event.type, actor=name(event.actor), target=name(event.target),
                   trigger=event.trigger.text,
                   date=event.date or published, negated=event.negated,
                   modality=event.modality, article_id=article_id, title=title,
                   published=published)


@dataclass(frozen=True)
class SpellingRow(Row):
    spelling: str
    count: int


@dataclass(frozen=True)
class EntityMatch(Row):
    """An entity a name may have meant (``Corpus.entities_like``)."""

    key: str
    name: str
    type: str
    article_count: int


@dataclass(frozen=True)
class EntityProfile(Row):
    """An entity across the corpus: its stored row, spellings, quotes, and its stances
    and events in date order."""

    id: int
    key: str
    name: str
    type: str
    kb_id: str | None
    sound: str | None
    mention_count: int
    article_count: int
    first_date: str | None
    last_date: str | None
    spellings: tuple[SpellingRow, ...]
    quotes: tuple[QuoteRow, ...]
    stances: tuple[StanceRow, ...]
    events: tuple[EventRow, ...]


@dataclass(frozen=True)
class SourceRow(Row):
    """One speaker (an entity, else the words that named it) at one specificity."""

    speaker: str
    speaker_key: str | None
    specificity: str
    quotes: int


@dataclass(frozen=True)
class OutletTechniquesRow(Row):
    """How much one outlet persuades: persuasion techniques per 1,000 words of its analysed
    articles, and its most used techniques ("name count", most used first)."""

    outlet: str
    articles: int
    words: int
    techniques: int
    per_1000_words: float
    top: tuple[str, ...]


@dataclass(frozen=True)
class CooccurrenceRow(Row):
    """Two entities, by name, and how many articles name both."""

    a: str
    b: str
    articles: int


@dataclass(frozen=True)
class TimelineRow(Row):
    """A dated entry of a stored analysis's timeline."""

    date: str
    text: str
    article_id: int
    title: str | None
