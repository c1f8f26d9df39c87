"""The soak script on a small sample of the shared dev data: no tracebacks, and every article
that was not done says why."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT, SHARED

pytestmark = pytest.mark.model

DEVDATA = SHARED / "devdata"


def _soak_module() -> ModuleType:
    """scripts/soak.py as a module (scripts/ is not a package); registered in sys.modules
    before it runs, as its dataclasses need."""
    spec = importlib.util.spec_from_file_location("soak_script", ROOT / "scripts" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not DEVDATA.is_dir(), reason="no ../shared/devdata")
def test_soak_sample_has_no_tracebacks_and_every_problem_a_reason(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `kb` builds the session's knowledge-base cache first, so the worker only opens it
    out = tmp_path / "soak.json"
    code = _soak_module().main(["--devdata", str(DEVDATA), "--sample", "20",
                                "--processes", "1", "--json", str(out)])
    report = json.loads(out.read_text("utf-8"))
    assert report["analysed"] == 20
    assert report["tracebacks"]["total"] == 0, report["tracebacks"]
    assert code == 0
    assert sum(report["status"].values()) == 20
    assert all(p["error"] for p in report["problems"]), report["problems"]
    assert all(p["status"] != "done" for p in report["problems"])
