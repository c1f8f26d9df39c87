"""Shared fixtures. The trained spaCy pipeline loads once per session; tests that need it
are marked ``model`` (``make test-fast`` skips them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session", autouse=True)
def _kb_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Build the packaged KB into a fresh cache for the test session."""
    old = os.environ.get("PRESSLENS_CACHE")
    os.environ["PRESSLENS_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("PRESSLENS_CACHE", None)
    else:
        os.environ["PRESSLENS_CACHE"] = old


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from presslens.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from presslens import Pipeline

    return Pipeline.from_config()


@pytest.fixture(scope="session")
def kb():  # type: ignore[no-untyped-def]
    from presslens.config import load_config
    from presslens.kb import open_knowledge_base

    return open_knowledge_base(load_config())


def check_offsets(a) -> None:  # type: ignore[no-untyped-def]
    """Every offset in an analysis indexes its text with the right substring."""
    spans = [m for e in a.entities for m in e.mentions]
    spans += [*a.flags, *a.claims, *a.timeline, *a.techniques]
    spans += [x.content for x in a.attributions] + [ev.trigger for ev in a.events]
    for span in spans:
        assert a.text[span.start:span.end] == span.text
