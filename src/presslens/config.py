"""One configuration object: packaged defaults merged with a user file, loaded in one place."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from presslens.errors import ConfigError

Config = dict[str, Any]


def default_config() -> Config:
    text = resources.files("presslens").joinpath("data/default_config.toml").read_text("utf-8")
    return tomllib.loads(text)


def merge(base: Mapping[str, Any], override: Mapping[str, Any], *, where: str = "") -> Config:
    """Merge ``override`` over ``base`` table by table; unknown keys are an error."""
    out: Config = dict(base)
    for key, value in override.items():
        path = f"{where}.{key}" if where else key
        if key not in base:
            raise ConfigError(f"unknown configuration key '{path}'")
        if isinstance(base[key], Mapping):
            if not isinstance(value, Mapping):
                raise ConfigError(f"configuration '{path}' must be a table")
            out[key] = merge(base[key], value, where=path)
        else:
            out[key] = value
    return out


def load_config(source: str | Path | Mapping[str, Any] | None = None) -> Config:
    """Defaults, overridden by a TOML file path or a mapping that names only what it changes."""
    config = default_config()
    if source is None:
        return config
    if isinstance(source, Mapping):
        return merge(config, source)
    path = Path(source)
    try:
        override = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    return merge(config, override)
