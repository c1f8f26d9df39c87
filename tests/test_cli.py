"""The command line, run as a user runs it (a subprocess of the installed command)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, SHARED

SAMPLE = SHARED / "corpus" / "000_9229236fb15f406e.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "presslens", *args], input=stdin,
                          capture_output=True, timeout=300, env=os.environ.copy())


def test_cli_schema_prints_json_schema() -> None:
    out = run("schema")
    assert out.returncode == 0
    assert "entities" in json.loads(out.stdout)["properties"]


@pytest.mark.model
def test_cli_analyze_writes_one_file_per_article(tmp_path: Path) -> None:
    out = run("analyze", str(SAMPLE), str(EXAMPLES / "articles"), "--out", str(tmp_path), "-q")
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "000_9229236fb15f406e.json" in names
    assert len(names) == 1 + len(list((EXAMPLES / "articles").glob("*.txt")))
    data = json.loads((tmp_path / "000_9229236fb15f406e.json").read_text())
    assert data["schema_version"] and data["text"].startswith("Ukraine")


@pytest.mark.model
def test_cli_analyze_stdin_to_stdout_and_html(tmp_path: Path) -> None:
    text = b"Joe Biden said that the talks would continue for another week at least."
    out = run("analyze", "-", stdin=text)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["entities"][0]["name"] == "Joe Biden"
    out = run("analyze", str(SAMPLE), "--format", "html", "--out", str(tmp_path), "-q")
    assert out.returncode == 0
    assert (tmp_path / "000_9229236fb15f406e.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.model
def test_cli_bad_inputs_give_one_line_errors_and_the_rest_is_done(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "good.txt").write_text("Joe Biden said that the talks would go on next week.")
    out_dir = tmp_path / "out"
    out = run("analyze", str(tmp_path), "--out", str(out_dir), "-q")
    assert out.returncode == 2
    errors = out.stderr.decode().strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("presslens: error: ") for e in errors)
    assert "Traceback" not in out.stderr.decode()
    assert [p.name for p in out_dir.iterdir()] == ["good.json"]


def test_cli_missing_file_and_bad_date() -> None:
    out = run("analyze", "/no/such/file.txt")
    assert out.returncode != 0 and b"no such file" in out.stderr
    assert b"Traceback" not in out.stderr
    out = run("analyze", str(SAMPLE), "--published", "21/11/2022")
    assert out.returncode == 2 and b"YYYY-MM-DD" in out.stderr


@pytest.mark.model
def test_cli_workers_give_the_same_results_and_errors(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((EXAMPLES / "articles").glob("*.txt"))[:3]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "empty.txt").write_text("\n")
    one, two = tmp_path / "one", tmp_path / "two"
    first = run("analyze", str(src), "--out", str(one), "-q")
    second = run("analyze", str(src), "--out", str(two), "-q", "--workers", "2")
    assert first.returncode == second.returncode == 2
    assert b"empty article" in second.stderr and b"Traceback" not in second.stderr
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 3
    for name in names:
        assert (one / name).read_text() == (two / name).read_text()


@pytest.mark.model
def test_cli_ingest_then_query_the_corpus(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert run("ingest", str(SAMPLE), "--db", db, "-q").returncode == 0
    found = run("corpus", "entity", "Q3874799", "--db", db)
    assert found.returncode == 0, found.stderr
    zelensky = json.loads(found.stdout)
    assert {"Zerenski", "Zerensky"} <= {s["spelling"] for s in zelensky["spellings"]}
    assert any(st["polarity"] == "conditional" for st in zelensky["stances"])
    assert zelensky["events"]
    quotes = run("corpus", "search", "surrender", "--quotes", "--db", db)
    assert quotes.returncode == 0 and quotes.stdout.strip()
    assert run("corpus", "sources", "--db", db).stdout.strip()
    missing = run("corpus", "entity", "Q1", "--db", db)
    assert missing.returncode == 2 and b"no entity" in missing.stderr
