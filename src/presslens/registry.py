"""The stage registry: every stage module registers a factory here, and this module lists
the stage modules. It imports no stage (it names them), so stages can import it freely.

Each stage module registers a factory with ``@register_stage(name, requires=..., provides=...)``.
``requires`` and ``provides`` name fields of the ``Analysis`` (plus ``doc``, the parse, which
the pipeline always provides first). Building a pipeline checks that every stage's needs are
met by an earlier one, the way spaCy's ``analyze_pipes`` does. To add a stage: write its
module under ``stages/``, add the module to ``STAGE_MODULES`` and its name to the
``[pipeline] stages`` setting.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from presslens.config import Config
from presslens.errors import ConfigError
from presslens.model import Analysis

if TYPE_CHECKING:
    from presslens.context import ArticleContext

# The modules that register the packaged stages; importing one registers its stage.
STAGE_MODULES = (
    "presslens.stages.entities.stage",
    "presslens.stages.attribution.stage",
    "presslens.stages.claims",
    "presslens.stages.timeline",
    "presslens.stages.events",
    "presslens.stages.stances",
    "presslens.stages.persuasion.stage",
)


class Stage(Protocol):
    """A pipeline stage: reads the article's context (the parse and the facts the stages
    share) and the analysis so far, returns the analysis with its own fields added. Stages
    never mutate their inputs."""

    def __call__(self, context: ArticleContext, analysis: Analysis) -> Analysis: ...


StageFactory = Callable[[Config], Stage]


@dataclass(frozen=True)
class FieldStage:
    """A stage whose whole work is one pure finder, written into one field of the analysis
    (find, then write: the finder never sees the analysis it returns into)."""

    field: str
    find: Callable[[ArticleContext, Analysis], object]

    def __call__(self, context: ArticleContext, analysis: Analysis) -> Analysis:
        return analysis.with_(**{self.field: self.find(context, analysis)})


@dataclass(frozen=True)
class StageInfo:
    name: str
    factory: StageFactory
    requires: tuple[str, ...]
    provides: tuple[str, ...]


_REGISTRY: dict[str, StageInfo] = {}


def register_stage(name: str, *, requires: Iterable[str] = (), provides: Iterable[str] = ()
                   ) -> Callable[[StageFactory], StageFactory]:
    def decorate(factory: StageFactory) -> StageFactory:
        _REGISTRY[name] = StageInfo(name, factory, tuple(requires), tuple(provides))
        return factory

    return decorate


def registered_stages() -> dict[str, StageInfo]:
    _import_stage_modules()
    return dict(_REGISTRY)


def _import_stage_modules() -> None:
    for module in STAGE_MODULES:
        importlib.import_module(module)


def import_plugins(modules: Iterable[str]) -> None:
    """Import the modules a config names, so the stages they register can be used."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(f"pipeline plugin '{module}' cannot be imported ({exc})") from None


BASE_PROVIDES = ("doc", "text", "title", "published", "source", "notes")


def pipe_problems(stage_names: list[str]) -> list[str]:
    """What is wrong with running these stages in this order (empty when nothing is)."""
    registry = registered_stages()
    problems: list[str] = []
    available = set(BASE_PROVIDES)
    for name in stage_names:
        info = registry.get(name)
        if info is None:
            problems.append(f"unknown stage '{name}' (known: {', '.join(sorted(registry))})")
            continue
        missing = [r for r in info.requires if r not in available]
        if missing:
            problems.append(f"stage '{name}' needs {', '.join(missing)}, which no earlier "
                            "stage provides")
        available.update(info.provides)
    return problems


