"""Shared fixtures. The trained spaCy pipeline loads once per session; tests that need it
are marked ``model`` (``make test-fast`` skips them)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

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
    from presslens.config import load_config
    from presslens.nlp import load_model

    settings = load_config().nlp
    return load_model(settings.model, settings.model_version)


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from presslens import Pipeline

    return Pipeline.from_config()


@pytest.fixture(scope="session")
def kb():  # type: ignore[no-untyped-def]
    from presslens.config import load_config
    from presslens.kb.bases import open_knowledge_base

    return open_knowledge_base(load_config())


def load_script(name: str, module_name: str | None = None) -> ModuleType:
    """``scripts/<name>.py`` as a module (scripts/ is not a package), registered in
    ``sys.modules`` before it runs, as its dataclasses need."""
    spec = importlib.util.spec_from_file_location(module_name or name,
                                                  ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def check_offsets(a) -> None:  # type: ignore[no-untyped-def]
    """Every offset in an analysis indexes its text with the right substring."""
    spans = [m for e in a.entities for m in e.mentions]
    spans += [*a.flags, *a.claims, *a.timeline, *a.techniques]
    spans += [x.content for x in a.attributions] + [ev.trigger for ev in a.events]
    for span in spans:
        assert a.text[span.start:span.end] == span.text


def require_tool(available: bool, what: str) -> None:
    """Skip a test whose real dependency is missing, except in CI where it is a failure."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server of our own on loopback; yields a base URL without a database."""
    import shutil
    import socket
    import subprocess

    initdb = shutil.which("initdb") or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None)
    require_tool(initdb is not None, "PostgreSQL (initdb)")
    assert initdb is not None
    import tempfile

    bindir = Path(initdb).resolve().parent
    # directly under /tmp: pytest's own temp folders are private to this user
    data = Path(tempfile.mkdtemp(prefix="presslens-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                    "-U", "presslens", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
                    str(data / "log"), "-o",
                    f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off",
                    "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://presslens@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                        "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    base = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"
