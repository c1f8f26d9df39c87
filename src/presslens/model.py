"""The typed analysis every stage fills, and its one serialisation.

Records are immutable (frozen pydantic models): a stage never edits what an earlier stage
wrote, it returns a new ``Analysis`` with its own field added (``Analysis.with_``).
``Analysis.to_dict``/``to_json`` are the only place an analysis becomes JSON; the HTML report
and the JSON are two views of the same object. Offsets are Python string indices into
``Analysis.text``, end exclusive, as ``shared/CONTRACT.md`` requires.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

MentionKind = Literal["name", "nominal", "pronoun"]
SourceSpecificity = Literal[
    "named_person", "named_organisation", "anonymous_official", "vague_group", "document",
    "none"
]

# Entity-type families, defined here once (spaCy's labels, which ``Entity.type`` and KB
# entries use too). Places: countries and cities (GPE), other locations, facilities.
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC", "FAC")
# The labels of names the entities stage clusters and links.
NAME_LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "NORP", "EVENT", *PLACE_LABELS})
# Who can act, speak or be named as a claim's actor: people, organisations, countries and
# the groups of NORP ("Ugandan army").
ACTOR_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")
# The family a label's names are clustered in: a place is one place whatever its label.
LABEL_FAMILY: dict[str, str] = {"PERSON": "PERSON", "ORG": "ORG", "NORP": "NORP",
                                "EVENT": "EVENT", **{label: "PLACE" for label in PLACE_LABELS}}
# The KB types a cluster of each label may link to, best first.
LINKABLE_TYPES: dict[str, tuple[str, ...]] = {
    "PERSON": ("PERSON",), "ORG": ("ORG",), "GPE": ("GPE", "LOC"), "LOC": ("LOC", "GPE"),
    "FAC": ("FAC", "LOC"), "NORP": ("NORP",), "EVENT": ("EVENT",)}


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_R = TypeVar("_R", bound=Record)


class Span(Record):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Mention(Span):
    kind: MentionKind = "name"


class Entity(Record):
    id: str
    name: str = Field(description="canonical name: the KB name, else the most standard spelling")
    type: str = Field(description="PERSON, ORG, GPE, LOC, NORP, EVENT, ...")
    kb_id: str | None = Field(description="Wikidata QID where known, else a presslens KB id")
    mentions: list[Mention]
    spellings: list[str] = Field(default_factory=list, description="distinct name surfaces")
    link_score: float | None = Field(default=None, description="confidence (0..1) of the KB link")
    link_evidence: list[str] = Field(
        default_factory=list, description="what the KB link rests on: name:<match>:<alias>, "
        "given-name-agrees, surname-only, role:<keys>, country:<name>=<share>, co-mention:<name>")
    description: str | None = None
    country: str | None = None


class Flag(Record):
    start: int
    end: int
    text: str
    kind: str = Field(description="misread-abbreviation, place-as-speaker, variant-spelling, ...")
    suggestion: str | None
    confidence: float = Field(ge=0.0, le=1.0)
    entity: str | None = None
    reason: str = ""


class Attribution(Record):
    speaker: str | None = Field(description="entity id of who said it")
    speaker_text: str | None
    cue: str | None
    content: Span
    source: str | None = Field(default=None, description="entity id of the outlet")
    source_text: str | None = None
    date: str | None = None
    kind: Literal["direct", "indirect", "mixed"] = "indirect"
    specificity: SourceSpecificity = "none"
    speaker_span: Span | None = None
    construction: str | None = Field(
        default=None, description="how the text attributes it: 'speech:clause' (a speech "
        "verb and its clause), 'evaluation:object', 'quote:cue', 'quote:continuation', ...")
    confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="how likely the content and speaker are "
        "right, from the construction and how the speaker was resolved (None only in "
        "analyses stored before confidences existed)")
    evidence: Span | None = Field(
        default=None, description="the sentence or sentences the attribution rests on")


class QuotedPhrase(Record):
    """Words in quotation marks that nobody is said to have said: a scare quote (a word or
    phrase the writer holds at a distance, "the so-called 'peace plan'") or the title of a
    programme, book or film. Never credited to a speaker."""

    start: int
    end: int
    text: str
    kind: Literal["scare_quote", "title"]
    evidence: Span | None = None


class Event(Record):
    type: str
    actor: str | None
    target: str | None
    trigger: Span
    date: str | None = None
    place: str | None = None
    modality: str | None = None
    negated: bool = False
    evidence: Span | None = Field(default=None, description="the sentence it is read from")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0,
                              description="from its verb, construction and actor resolution")


class Stance(Record):
    holder: str
    issue: str
    polarity: Literal["support", "oppose", "conditional", "unclear"]
    evidence: Span = Field(description="the sentence it is read from")
    cue: Span | None = Field(default=None, description="the word stating the position")
    holder_basis: Literal["subject", "speaker", "continued"] = Field(
        default="subject", description="the cue's subject, the speaker of the attribution "
        "holding it, or of the one the previous sentence reports")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0,
                              description="from its cue, construction and holder resolution")


class Technique(Record):
    start: int
    end: int
    text: str
    technique: str = Field(description="SemEval-2023 Task 3 technique name")
    confidence: float
    technique_2020: str | None = Field(
        default=None, description="SemEval-2020 Task 11 class, where the technique has one")


class Claim(Record):
    start: int
    end: int
    text: str
    kind: Literal["fact", "opinion", "prediction"] = "fact"
    checkworthiness: float = Field(ge=0.0, le=1.0)
    attribution: int | None = Field(default=None, description="index into attributions")
    entities: list[str] = Field(default_factory=list)


class TimelineEntry(Record):
    date: str = Field(description="ISO date, or YYYY-MM / YYYY for coarser expressions")
    start: int
    end: int
    text: str
    expression: str = ""
    attribution: int | None = None


class Analysis(Record):
    """Everything presslens found in one article."""

    schema_version: str = SCHEMA_VERSION
    text: str
    title: str | None = None
    published: str | None = None
    published_inferred: bool = False
    source: str | None = None
    entities: list[Entity] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    quoted_phrases: list[QuotedPhrase] = Field(
        default_factory=list, description="scare quotes and titles: quoted, said by no one")
    events: list[Event] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    techniques: list[Technique] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="diagnostics about the input")
    stages: list[str] = Field(default_factory=list, description="stages that ran, in order")

    def with_(self, **fields: Any) -> Analysis:
        """A copy with some fields replaced (how a stage writes its results)."""
        return self.model_copy(update=fields)

    def confident(self, min_confidence: float) -> Analysis:
        """A copy without the findings whose confidence is below ``min_confidence``
        (findings that carry none are kept)."""
        def keep(items: list[_R]) -> list[_R]:
            kept = []
            for item in items:
                confidence = getattr(item, "confidence", None)
                if confidence is None or confidence >= min_confidence:
                    kept.append(item)
            return kept
        return self.with_(attributions=keep(self.attributions), events=keep(self.events),
                          stances=keep(self.stances), techniques=keep(self.techniques),
                          flags=keep(self.flags))

    def entity(self, entity_id: str | None) -> Entity | None:
        if entity_id is None:
            return None
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON as plain Python values (the one serialisation)."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = 2) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)``. Indented, it is
        written by pydantic straight from the records, byte for byte the same, without the
        dict of the whole analysis in between (several times the JSON's size in memory on a
        long text)."""
        if indent is not None:
            return self.model_dump_json(indent=indent)
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls.model_validate(data)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the analysis (what `presslens schema` prints)."""
    schema = Analysis.model_json_schema()
    schema["$id"] = f"https://presslens.invalid/schema/analysis-{SCHEMA_VERSION}.json"
    return schema


class MentionIndex:
    """Entity mentions in text order, for finding the entity under a span in O(log n)."""

    def __init__(self, items: list[tuple[int, int, Entity]]) -> None:
        self.items = sorted(items, key=lambda t: (t[0], -t[1]))
        self.starts = [t[0] for t in self.items]
        self.longest = max((e - s for s, e, _ in self.items), default=0)

    def __iter__(self) -> Iterator[tuple[int, int, Entity]]:
        return iter(self.items)

    def at(self, start: int, end: int) -> Entity | None:
        """The entity of the longest mention overlapping ``start:end``."""
        best = None
        hi = bisect_left(self.starts, end)
        lo = bisect_left(self.starts, start - self.longest)
        for s, e, ent in self.items[lo:hi]:
            if e > start and (best is None or (e - s) > (best[1] - best[0])):
                best = (s, e, ent)
        return best[2] if best else None


def mention_index(analysis: Analysis) -> MentionIndex:
    """Every entity mention of the analysis, indexed by position."""
    return MentionIndex([(m.start, m.end, e) for e in analysis.entities for m in e.mentions])


def entity_at(index: MentionIndex, start: int, end: int) -> Entity | None:
    """The entity of the longest mention overlapping ``start:end``."""
    return index.at(start, end)
