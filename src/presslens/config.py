"""Typed settings: one frozen dataclass per section of ``data/default_config.toml``.

The packaged TOML is the only place a default lives (no field here has a default value). A
user's file or mapping names only what it changes; it is merged over the defaults table by
table, and then every key is checked: an unknown key or a value of the wrong type is a
``ConfigError`` naming its path (``entities.join_threshold``). ``Settings`` is immutable,
hashable and picklable, so one object can be shared by threads and sent to worker
processes; change one value with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from presslens.errors import ConfigError


@dataclass(frozen=True)
class PipelineSettings:
    stages: tuple[str, ...]
    plugins: tuple[str, ...]


@dataclass(frozen=True)
class NlpSettings:
    model: str
    model_version: str
    max_chunk_chars: int
    batch_size: int


@dataclass(frozen=True)
class IngestSettings:
    max_bytes: int
    encoding: str
    utf8_max_invalid_bytes: int
    utf8_max_invalid_share: float
    utf8_min_valid_per_invalid: float
    encoding_min_confidence: float
    encoding_tie_margin: float
    encoding_preferred: tuple[str, ...]
    encoding_common: tuple[str, ...]
    language_min_words: int
    language_min_lowercase_share: float
    language_min_letter_share: float
    language_piece_words: int
    language_min_confidence: float
    language_min_piece_confidence: float
    language_min_foreign_share: float
    language_english_labels: tuple[str, ...]


@dataclass(frozen=True)
class EntitiesSettings:
    join_threshold: float
    join_threshold_with_context: float
    link_threshold: float
    pronoun_window: int
    resolve_pronouns: bool
    resolve_nominals: bool
    kb_min_similarity: float
    name_link_threshold: float
    person_link_similarity: float
    person_link_similarity_with_role: float
    person_exact_similarity: float
    person_garbled_similarity_with_role: float
    full_name_similarity: float
    given_name_similarity: float
    listed_given_name_similarity: float
    same_surname_similarity: float
    surname_country_share: float
    surname_min_prominence: float
    surname_prominent: float
    surname_link_confidence: float
    namesake_score_margin: float
    namesake_prominence_margin: float
    link_exact_bonus: float
    link_partial_penalty: float
    link_role_weight: float
    link_country_weight: float
    link_country_share_scale: float
    link_prominence_weight: float
    group_link_confidence: float
    near_miss_link_confidence: float
    single_word_name_similarity: float
    garbled_full_name_similarity: float
    garbled_surname_similarity: float
    name_syllable_max_letters: int
    place_speaker_similarity: float
    sports_min_cues: int


@dataclass(frozen=True)
class FlagsSettings:
    misread_abbreviation: bool
    place_as_speaker: bool
    variant_spelling: bool
    literal_idiom: bool
    garbled_name: bool
    subject_share: float
    misread_max_named: int
    misread_subject_ratio: float
    misread_unnamed_ratio: float
    misread_subject_min: int
    institution_governor_weight: float
    institution_article_weight: float
    institution_margin: float
    institution_confidence: float
    garbled_name_confidence: float
    literal_idiom_confidence: float
    place_as_speaker_max_confidence: float
    variant_linked_confidence: float
    variant_unlinked_confidence: float
    variant_word_similarity: float
    garbled_name_min_words: int
    translation_evidence_bar: float
    evidence_misread_abbreviation: float
    evidence_place_as_speaker: float
    evidence_garbled_name: float
    evidence_literal_idiom: float
    evidence_variant_spelling: float
    evidence_declared_translation: float
    evidence_foreign_script: float
    evidence_foreign_typography: float
    evidence_foreign_subject: float
    literal_name: bool
    literal_name_run_confidence: float
    literal_name_slot_confidence: float
    literal_place_confidence: float
    literal_place_slot_confidence: float
    evidence_literal_name: float
    evidence_literal_place: float


@dataclass(frozen=True)
class DatesSettings:
    max_days_ahead: int


@dataclass(frozen=True)
class AttributionSettings:
    min_content_tokens: int
    according_min_content_tokens: int
    direct_share: float
    organisation_lookback_chars: int
    min_quote_words: int
    quote_covered_share: float
    cue_tokens_after: int
    cue_chars_after: int
    cue_subject_tokens_after: int
    cue_tokens_before: int
    cue_chars_before: int
    cue_max_gap_words: int
    quote_date_chars_after: int
    continuation_max_chars: int
    label_max_tokens: int
    scare_quote_max_words: int
    read_misparsed_clauses: bool
    continuation_min_share: float
    speaker_guessed_factor: float
    speaker_unresolved_factor: float
    speaker_missing_factor: float


@dataclass(frozen=True)
class ClaimsSettings:
    min_sentence_words: int
    base: float
    number_weight: float
    actor_weight: float
    max_actors: int
    date_weight: float
    past_event_weight: float
    prediction_penalty: float
    opinion_penalty: float
    short_words: int
    short_penalty: float


@dataclass(frozen=True)
class StancesSettings:
    min_issue_mentions: int
    pronoun_holder_factor: float
    reported_holder_factor: float
    continued_holder_factor: float
    owner_holder_factor: float
    link_factor: float


@dataclass(frozen=True)
class EventsSettings:
    pronoun_actor_factor: float
    nominal_actor_factor: float
    owner_actor_factor: float
    reported_factor: float


@dataclass(frozen=True)
class PersuasionSettings:
    min_confidence: float
    vader_min_valence: float
    vader_base_confidence: float
    vader_valence_gain: float
    question_min_words: int
    question_confidence: float
    slogan_max_words: int
    slogan_confidence: float
    exclamation_confidence: float
    dilemma_confidence: float
    exaggeration_confidence: float
    scare_quote_confidence: float
    fear_min_valence: float
    fear_confidence: float
    repetition_min_count: int
    repetition_confidence: float
    context_gain: float
    context_max_others: int
    article_min_hits: int
    article_min_density: float
    article_gain: float
    gain_floor: float


@dataclass(frozen=True)
class CorpusSettings:
    join_threshold: float


@dataclass(frozen=True)
class KbSettings:
    extra: tuple[str, ...]


@dataclass(frozen=True)
class BatchSettings:
    timeout: float
    budget_scale_bytes: int
    kill_grace: float
    worker_startup: float
    results_ahead: int


@dataclass(frozen=True)
class WebSettings:
    workers: int
    queue_length: int
    jobs_kept: int
    form_token_seconds: float
    max_upload_bytes: int


@dataclass(frozen=True)
class ReportSettings:
    min_confidence: float
    low_confidence: float


@dataclass(frozen=True)
class Settings:
    """Every setting, one attribute per section of the TOML."""

    pipeline: PipelineSettings
    nlp: NlpSettings
    ingest: IngestSettings
    entities: EntitiesSettings
    flags: FlagsSettings
    dates: DatesSettings
    attribution: AttributionSettings
    claims: ClaimsSettings
    stances: StancesSettings
    events: EventsSettings
    persuasion: PersuasionSettings
    corpus: CorpusSettings
    kb: KbSettings
    batch: BatchSettings
    web: WebSettings
    report: ReportSettings


Config = Settings  # the name the code used before settings were typed

_T = TypeVar("_T")


@cache
def default_table() -> Mapping[str, Any]:
    """The packaged defaults as parsed TOML (read once)."""
    text = resources.files("presslens").joinpath("data/default_config.toml").read_text("utf-8")
    return types.MappingProxyType(tomllib.loads(text))


def merge(base: Mapping[str, Any], override: Mapping[str, Any], *, where: str = ""
          ) -> dict[str, Any]:
    """Merge ``override`` over ``base`` table by table; unknown keys are an error."""
    out: dict[str, Any] = dict(base)
    for key, value in override.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in base:
            raise ConfigError(f"unknown configuration key '{path}'")
        if isinstance(base[key], Mapping):
            if not isinstance(value, Mapping):
                raise ConfigError(f"configuration '{path}' must be a table")
            out[key] = merge(base[key], value, where=path)
        else:
            out[key] = value
    return out


def _value(kind: Any, value: Any, path: str) -> Any:
    """``value`` as the field type ``kind`` wants, or ``ConfigError``. TOML integers are
    accepted where a float is wanted; booleans are never numbers."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"configuration '{path}' must be true or false, not {value!r}")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"configuration '{path}' must be an integer, not {value!r}")
    if kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"configuration '{path}' must be a number, not {value!r}")
    if kind is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"configuration '{path}' must be a string, not {value!r}")
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"configuration '{path}' must be a list, not {value!r}")
        return tuple(_value(item, v, f"{path}[{n}]") for n, v in enumerate(value))
    raise TypeError(f"no reading for settings of type {kind!r} ({path})")


def _section(cls: type[_T], table: Any, path: str) -> _T:
    """One section's dataclass from its table: every field present, nothing else."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"configuration '{path}' must be a table")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise ConfigError(f"unknown configuration key '{path}.{unknown[0]}'")
    missing = [n for n in names if n not in table]
    if missing:
        raise ConfigError(f"configuration '{path}.{missing[0]}' is missing")
    return cls(**{n: _value(hints[n], table[n], f"{path}.{n}") for n in names})


def settings_from_table(table: Mapping[str, Any]) -> Settings:
    """``Settings`` from a complete table (the defaults with a user's changes merged in)."""
    hints = typing.get_type_hints(Settings)
    names = [f.name for f in dataclasses.fields(Settings)]
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise ConfigError(f"unknown configuration key '{unknown[0]}'")
    missing = [n for n in names if n not in table]
    if missing:
        raise ConfigError(f"configuration table '[{missing[0]}]' is missing")
    return Settings(**{n: _section(hints[n], table[n], n) for n in names})


@cache
def default_settings() -> Settings:
    """The packaged defaults (built once)."""
    return settings_from_table(default_table())


def load_config(source: str | Path | Mapping[str, Any] | Settings | None = None) -> Settings:
    """The settings: the packaged defaults, overridden by a TOML file path or a mapping that
    names only what it changes (``Settings`` already loaded are returned as they are). The
    one place settings are loaded."""
    if source is None:
        return default_settings()
    if isinstance(source, Settings):
        return source
    if isinstance(source, Mapping):
        return settings_from_table(merge(default_table(), source))
    path = Path(source)
    try:
        override = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    return settings_from_table(merge(default_table(), override))
