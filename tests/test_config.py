"""Settings: packaged defaults, a user's changes, and what is refused."""

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import pytest

from presslens.config import Settings, default_table, load_config
from presslens.errors import ConfigError

DEFAULT_STAGES = ("entities", "attribution", "claims", "timeline", "events", "stances",
                  "persuasion")


def test_config_defaults_name_every_stage_table() -> None:
    cfg = load_config()
    assert cfg.pipeline.stages == DEFAULT_STAGES
    assert 0 < cfg.entities.join_threshold <= 1


def test_config_override_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[entities]\njoin_threshold = 0.9\n")
    cfg = load_config(path)
    assert cfg.entities.join_threshold == 0.9
    default = load_config()
    assert dataclasses.replace(cfg, entities=default.entities) == default
    assert dataclasses.replace(cfg.entities, join_threshold=default.entities.join_threshold) \
        == default.entities


@pytest.mark.parametrize(("override", "path"), [
    ({"entities": {"no_such_key": 1}}, "entities.no_such_key"),
    ({"nope": {}}, "nope"),
    ({"entities": 3}, "entities"),
    ({"batch": {"timeout": {"seconds": 3}}}, "batch.timeout"),
])
def test_config_rejects_unknown_or_malformed_keys(override: dict[str, Any], path: str) -> None:
    with pytest.raises(ConfigError, match=f"'{path}'"):
        load_config(override)


def test_config_unknown_key_in_a_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[entities]\njoin_treshold = 0.9\n")
    with pytest.raises(ConfigError, match="unknown configuration key 'entities.join_treshold'"):
        load_config(path)
    path.write_text("typo = 1\n")
    with pytest.raises(ConfigError, match="unknown configuration key 'typo'"):
        load_config(path)


@pytest.mark.parametrize(("override", "path"), [
    ({"entities": {"join_threshold": "high"}}, "entities.join_threshold"),
    ({"entities": {"pronoun_window": 2.5}}, "entities.pronoun_window"),
    ({"entities": {"pronoun_window": True}}, "entities.pronoun_window"),
    ({"entities": {"resolve_pronouns": 1}}, "entities.resolve_pronouns"),
    ({"batch": {"timeout": False}}, "batch.timeout"),
    ({"pipeline": {"stages": "entities"}}, "pipeline.stages"),
    ({"pipeline": {"stages": ["entities", 3]}}, r"pipeline.stages\[1\]"),
    ({"nlp": {"model": 3}}, "nlp.model"),
])
def test_config_wrong_types_are_errors(override: dict[str, Any], path: str) -> None:
    with pytest.raises(ConfigError, match=f"'{path}'"):
        load_config(override)


def test_config_integers_are_taken_where_numbers_are_wanted() -> None:
    cfg = load_config({"entities": {"join_threshold": 1}, "batch": {"timeout": 5}})
    assert cfg.entities.join_threshold == 1.0 and isinstance(cfg.entities.join_threshold, float)
    assert cfg.batch.timeout == 5.0


def test_config_bad_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[entities\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_config_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "none.toml")


def test_config_defaults_load_once_and_are_frozen() -> None:
    cfg = load_config()
    assert load_config() is cfg and load_config(cfg) is cfg
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.entities.join_threshold = 0.1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.entities = cfg.entities  # type: ignore[misc]
    with pytest.raises(TypeError):
        default_table()["entities"] = {}  # type: ignore[index]


def test_config_settings_are_hashable_and_picklable() -> None:
    cfg = load_config({"kb": {"extra": ["a.sqlite"]}})
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert hash(cfg) == hash(load_config({"kb": {"extra": ["a.sqlite"]}}))
    assert cfg.kb.extra == ("a.sqlite",)


def test_config_every_section_and_key_is_typed() -> None:
    """The packaged TOML and the dataclasses name the same sections and keys."""
    table = default_table()
    assert [f.name for f in dataclasses.fields(Settings)] == list(table)
    cfg = load_config()
    for section in dataclasses.fields(Settings):
        typed = getattr(cfg, section.name)
        assert [f.name for f in dataclasses.fields(typed)] == list(table[section.name])
        assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(typed))
