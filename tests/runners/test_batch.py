"""The batch runner: every article gets an outcome, in order, within its time budget, in
this process and in worker processes; and the places that run batches go through it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from slow_stages import STALL, config, config_toml

from conftest import ROOT
from presslens.config import load_config
from presslens.runners.batch import BatchRunner, Budget, Job, Outcome

pytestmark = pytest.mark.model

CALM = "Officials in the port city said on Monday that the strike would end this week."
TEXTS = [CALM, f"The stage will {STALL} for a long time, said the test.", CALM.upper(),
         "Another calm report: the ministry said exports rose in May."]


def jobs() -> list[Job]:
    return [Job(source=f"a{n}.txt", data=t.encode()) for n, t in enumerate(TEXTS)]


def statuses(outcomes: list[Outcome]) -> list[str]:
    return [o.status for o in outcomes]


@pytest.mark.parametrize(("size", "seconds"), [(0, 60), (200_000, 60), (1_000_000, 300),
                                              (7_000_000, 2100)])
def test_runner_budget_grows_with_the_size_of_an_article(size: int, seconds: float) -> None:
    assert Budget(60, 200_000).for_size(size) == seconds
    assert Budget(60, 0).for_size(size) == 60


def test_runner_in_process_times_out_a_stalled_stage_and_goes_on() -> None:
    with BatchRunner(load_config(config("test-sleep"))) as runner:
        started = time.monotonic()
        outcomes = list(runner.run(jobs()))
    assert time.monotonic() - started < 30
    assert statuses(outcomes) == ["done", "timeout", "done", "done"]
    stalled = outcomes[1]
    assert stalled.stage == "test-sleep" and stalled.analysis is None
    assert stalled.error == ("a1.txt: over the time budget of 2 s in stage 'test-sleep' "
                             "(raise it with --timeout)")
    assert [o.source for o in outcomes] == [j.source for j in jobs()]


def test_runner_workers_kill_a_worker_deaf_to_the_timer_and_keep_order() -> None:
    with BatchRunner(load_config(config("test-stuck")), processes=2) as runner:
        outcomes = list(runner.run(jobs()))
        again = runner.run_one(jobs()[0])  # a fresh worker took the killed one's place
    assert statuses(outcomes) == ["done", "timeout", "done", "done"]
    assert outcomes[1].stage == "test-stuck"
    assert "over the time budget of 2 s in stage 'test-stuck'" in (outcomes[1].error or "")
    assert [o.source for o in outcomes] == [j.source for j in jobs()]
    assert again.status == "done"


def test_runner_classifies_refused_and_skipped() -> None:
    from presslens.corpus.store import content_hash

    seen = {content_hash(CALM + "\n")}
    with BatchRunner(load_config(config("test-sleep")), skip=seen.__contains__) as runner:
        outcomes = list(runner.run([Job("empty.txt", data=b"\n"), Job("calm", data=CALM.encode()),
                                    Job("bin", data=b"\x00\x01" * 50)]))
    assert statuses(outcomes) == ["refused", "skipped", "refused"]
    assert outcomes[0].error == "empty.txt: empty article (no text after extraction)"


def test_runner_refuses_a_skip_test_with_worker_processes() -> None:
    with pytest.raises(ValueError):
        BatchRunner(load_config(), processes=1, skip=lambda digest: False)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    return subprocess.run([sys.executable, "-m", "presslens", *args], capture_output=True,
                          text=True, timeout=300, env=env, cwd=cwd)


def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, text in enumerate(TEXTS):
        (folder / f"a{n}.txt").write_text(text + "\n", "utf-8")
    (tmp_path / "slow.toml").write_text(config_toml("test-stuck"), "utf-8")
    return folder


@pytest.mark.parametrize("workers", ["1", "2"])
def test_runner_cli_analyze_times_out_one_article_and_writes_the_rest(
        tmp_path: Path, workers: str) -> None:
    folder = _articles(tmp_path)
    stage = "test-sleep" if workers == "1" else "test-stuck"  # one process: timer-deaf hangs
    (tmp_path / "slow.toml").write_text(config_toml(stage), "utf-8")
    done = _cli("analyze", str(folder), "--out", str(tmp_path / "out"), "--config",
                str(tmp_path / "slow.toml"), "--workers", workers, cwd=tmp_path)
    assert done.returncode == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a0.json", "a2.json",
                                                                    "a3.json"]
    assert f"a1.txt: over the time budget of 2 s in stage '{stage}'" in done.stderr
    assert "3 analysed, 1 timed out" in done.stderr
    assert "Traceback" not in done.stderr


def test_runner_cli_timeout_flag_overrides_the_config(tmp_path: Path) -> None:
    folder = _articles(tmp_path)
    (tmp_path / "slow.toml").write_text(config_toml("test-sleep", timeout=600), "utf-8")
    done = _cli("analyze", str(folder / "a1.txt"), "--config", str(tmp_path / "slow.toml"),
                "--timeout", "1", cwd=tmp_path)
    assert done.returncode == 2
    assert "over the time budget of 1 s in stage 'test-sleep'" in done.stderr


def test_runner_cli_ingest_records_the_timeout_and_stores_the_rest(tmp_path: Path) -> None:
    import sqlite3

    folder = _articles(tmp_path)
    (tmp_path / "slow.toml").write_text(config_toml("test-sleep"), "utf-8")
    db = tmp_path / "c.db"
    done = _cli("ingest", str(folder), "--db", f"sqlite:///{db}", "--config",
                str(tmp_path / "slow.toml"), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "added 3, skipped 0 already stored, failed 1" in done.stderr
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT source, status FROM articles").fetchall())
    assert rows[str(folder / "a1.txt")] == "failed"
    assert sorted(rows.values()) == ["done", "done", "done", "failed"]


def test_runner_tells_progress_of_each_start_with_its_budget() -> None:
    from presslens.runners.batch import Progress

    class Recorder(Progress):
        def __init__(self) -> None:
            self.events: list[tuple[str, str, float | None]] = []

        def start(self, job: Job, budget: float | None) -> None:
            self.events.append(("start", job.source, budget))

        def advance(self, outcome: Outcome) -> None:
            self.events.append(("end", outcome.source, None))

    recorder = Recorder()
    big = Job("big", data=(CALM + "\n\n").encode() * 5000)  # 400 KB: twice the budget
    with BatchRunner(load_config(config("test-sleep", timeout=30))) as runner:
        list(runner.run([jobs()[0], big], progress=recorder))
    assert recorder.events[0] == ("start", "a0.txt", 30)
    assert recorder.events[1][:2] == ("end", "a0.txt")
    assert recorder.events[2] == ("start", "big", 60)
    assert recorder.events[3][:2] == ("end", "big")
