"""The soak script on a small sample of the shared dev data: no tracebacks, and every article
that was not done says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED, load_script

pytestmark = pytest.mark.model

DEVDATA = SHARED / "devdata"




@pytest.mark.skipif(not DEVDATA.is_dir(), reason="no ../shared/devdata")
def test_soak_sample_has_no_tracebacks_and_every_problem_a_reason(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `kb` builds the session's knowledge-base cache first, so the worker only opens it
    out = tmp_path / "soak.json"
    code = load_script("soak", "soak_script").main(["--devdata", str(DEVDATA), "--sample", "20",
                                "--processes", "1", "--json", str(out)])
    report = json.loads(out.read_text("utf-8"))
    assert report["analysed"] == 20
    assert report["tracebacks"]["total"] == 0, report["tracebacks"]
    assert code == 0
    assert sum(report["status"].values()) == 20
    assert all(p["error"] for p in report["problems"]), report["problems"]
    assert all(p["status"] != "done" for p in report["problems"])
