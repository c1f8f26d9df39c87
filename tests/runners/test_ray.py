"""The Ray engine against a local Ray (num_cpus=2): same analyses, stored idempotently."""

import json
from pathlib import Path

import pytest
from slow_stages import STALL

from conftest import EXAMPLES, ROOT
from presslens.config import load_config
from presslens.corpus.store import Corpus
from presslens.ingest import ReadOptions

pytestmark = pytest.mark.model


def test_distributed_ray_ingest_local_cluster(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray")
    from presslens.runners.ray import ingest_with_ray

    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((EXAMPLES / "articles").glob("*.txt"))[:3]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "empty.txt").write_text("\n")
    lines = tmp_path / "more.jsonl"
    text = (EXAMPLES / "news" / "articles" / "wire_port_strike.txt").read_text("utf-8")
    stalled = {"source": "stalled", "text": f"The wire copy will {STALL} before it ends."}
    lines.write_text(json.dumps({"source": "port", "text": text}) + "\n"
                     + json.dumps(stalled) + "\n")
    files = sorted(src.iterdir()) + [lines]
    # every stage, then one that stalls on the row that asks for it: the actor's budget
    # stops that row and the batch goes on
    stages = [*load_config().pipeline.stages, "test-sleep"]
    config = load_config({"pipeline": {"stages": stages, "plugins": ["slow_stages"]},
                          "batch": {"timeout": 10}})
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tests"))  # Ray's workers import the plugin
    db = f"sqlite:///{tmp_path / 'c.db'}"
    try:
        counts = ingest_with_ray(files, config=config, opts=ReadOptions.from_config(config),
                                 output=tmp_path / "out", db_url=db, num_cpus=2, actors=2)
        assert counts == {"done": 4, "failed": 2, "stored": 4}
        again = ingest_with_ray(files, config=config, opts=ReadOptions.from_config(config),
                                output=tmp_path / "out2", db_url=db, actors=2)
        assert again["stored"] == 0 and again["done"] == 4
    finally:
        ray.shutdown()
    assert Corpus(db).stats()["articles"] == 4
    written = [json.loads(line) for f in (tmp_path / "out").glob("*.json")
               for line in f.read_text().splitlines() if line.strip()]
    assert sorted(r["status"] for r in written) == ["done"] * 4 + ["failed"] * 2
    errors = {r["source"]: r["error"] for r in written if r["status"] == "failed"}
    assert errors["stalled"] == ("stalled: over the time budget of 10 s in stage 'test-sleep' "
                                 "(raise it with --timeout)")


def test_distributed_read_rows_turns_what_cannot_be_read_into_refusals(tmp_path: Path) -> None:
    import os

    from presslens.runners.ray import read_rows

    good = tmp_path / "good.txt"
    good.write_text("A calm day in the port.\n", "utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block: refused before a byte is read
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 100)
    lines = tmp_path / "rows.jsonl"
    lines.write_text('{"text": "One article."}\nnot json\n{"source": "x"}\n', "utf-8")
    rows = read_rows([good, fifo, big, lines], max_bytes=200)
    assert [(r["source"], bool(r["refusal"])) for r in rows] == [
        (str(good), False), (str(fifo), True), (str(big), True), (f"{lines}:1", False),
        (f"{lines}:2", True), (f"{lines}:3", True)]
    assert "not a regular file" in rows[1]["refusal"]
    assert "over the limit of 200 bytes" in rows[2]["refusal"]
