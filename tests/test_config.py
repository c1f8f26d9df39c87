import pytest

from presslens.config import load_config
from presslens.errors import ConfigError

DEFAULT_STAGES = ["entities", "attribution", "claims", "timeline", "events", "stances",
                  "persuasion"]


def test_config_defaults_name_every_stage_table() -> None:
    cfg = load_config()
    assert cfg["pipeline"]["stages"] == DEFAULT_STAGES
    assert 0 < cfg["entities"]["join_threshold"] <= 1


def test_config_override_changes_only_what_it_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.toml"
    path.write_text("[entities]\njoin_threshold = 0.9\n")
    cfg = load_config(path)
    assert cfg["entities"]["join_threshold"] == 0.9
    assert cfg["entities"]["link_threshold"] == load_config()["entities"]["link_threshold"]


@pytest.mark.parametrize("override", [{"entities": {"no_such_key": 1}}, {"nope": {}},
                                      {"entities": 3}])
def test_config_rejects_unknown_or_malformed_keys(override) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError):
        load_config(override)


def test_config_bad_toml_is_a_config_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.toml"
    path.write_text("[entities\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
