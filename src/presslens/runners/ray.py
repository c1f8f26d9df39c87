"""Ingest on a cluster through Ray Data (the optional ``ray`` extra).

Articles become rows of a Ray Dataset; ``map_batches`` runs them through a pool of actors,
each of which loads the pipeline (and the model) once; the analyses are written as JSON
Lines (or Parquet) and, when a corpus URL is given, stored in the corpus from the driver,
idempotently like the local ``ingest``. On one machine ``ray.init(num_cpus=N)`` starts a
local cluster; ``address="auto"`` (or ``ray://HOST:10001``) joins an existing one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from presslens.config import Config
from presslens.errors import InputError
from presslens.ingest import SUFFIXES, ReadOptions, read_regular_file
from presslens.model import Analysis

_JSONL_MAX_BYTES = 1 << 40  # a JSON Lines file of many articles is read whole


class AnalyzeBatch:
    """A Ray Data actor: one batch runner (one pipeline) per actor, a batch of raw articles
    per call, each within the time budget."""

    def __init__(self, config: Config, opts: ReadOptions, timeout: float | None = None
                 ) -> None:
        from presslens.runners.batch import BatchRunner

        self.runner = BatchRunner(config, opts=opts, timeout=timeout)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        from presslens.runners.batch import Job

        jobs = [Job(source=str(source), data=bytes(data), fmt=str(fmt), refusal=refusal or None)
                for source, data, fmt, refusal in zip(batch["source"], batch["data"],
                                                      batch["format"], batch["refusal"])]
        out: dict[str, list[Any]] = {"source": [], "status": [], "error": [], "analysis": []}
        for outcome in self.runner.run(jobs):
            out["source"].append(outcome.source)
            out["status"].append("done" if outcome.analysis is not None else "failed")
            out["error"].append(outcome.error or "")
            out["analysis"].append(outcome.analysis.to_json(indent=None)
                                   if outcome.analysis is not None else "")
        return out


def read_rows(paths: Iterable[Path], *, max_bytes: int) -> list[dict[str, Any]]:
    """Rows for the dataset: article files as raw bytes, or a JSON Lines file whose lines
    carry ``text`` (and optionally ``source``). What cannot be read (a FIFO, a file over the
    limit, a line that is not such an object) becomes a row with its ``refusal``, which the
    actor reports as that article's outcome."""
    rows: list[dict[str, Any]] = []

    def row(source: str, data: bytes = b"", fmt: str = "text", refusal: str = "") -> None:
        rows.append({"source": source, "data": data, "format": fmt, "refusal": refusal})

    for path in paths:
        if path.suffix != ".jsonl":
            try:
                row(str(path), read_regular_file(path, str(path), max_bytes=max_bytes),
                    SUFFIXES.get(path.suffix.lower(), "text"))
            except InputError as exc:
                row(str(path), refusal=str(exc))
            continue
        try:  # a JSON Lines file holds many articles: no per-article size limit here
            lines = read_regular_file(path, str(path), max_bytes=_JSONL_MAX_BYTES)
        except InputError as exc:
            row(str(path), refusal=str(exc))
            continue
        for n, line in enumerate(lines.decode("utf-8", "replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                row(str(item.get("source") or f"{path}:{n}"),
                    str(item["text"]).encode("utf-8"), str(item.get("format", "text")))
            except (ValueError, KeyError, TypeError, AttributeError):
                row(f"{path}:{n}", refusal=f"{path}:{n}: not a JSON object with a 'text'")
    return rows


def ingest_with_ray(paths: list[Path], *, config: Config, opts: ReadOptions, output: Path,
                    db_url: str | None = None, address: str | None = None,
                    num_cpus: int | None = None, actors: int = 2, batch_size: int = 8,
                    output_format: str = "json", timeout: float | None = None
                    ) -> dict[str, int]:
    """Analyse ``paths`` on Ray; write the analyses to ``output``; store them in the corpus
    at ``db_url`` when given. Returns counts of done and failed articles (and stored)."""
    import logging

    import ray

    logging.getLogger("ray.data").setLevel(logging.WARNING)
    if not ray.is_initialized():
        ray.init(address=address, num_cpus=num_cpus, include_dashboard=False,
                 log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    dataset = ray.data.from_items(read_rows(paths, max_bytes=opts.max_bytes))
    results = dataset.map_batches(
        AnalyzeBatch, fn_constructor_kwargs={"config": config, "opts": opts, "timeout": timeout},
        concurrency=actors, batch_size=batch_size)
    output.mkdir(parents=True, exist_ok=True)
    if output_format == "parquet":
        results.write_parquet(str(output))
        written = ray.data.read_parquet(str(output))
    else:
        results.write_json(str(output))
        written = ray.data.read_json(str(output))
    counts = {"done": 0, "failed": 0, "stored": 0}
    corpus = None
    if db_url is not None:
        from presslens.corpus.store import Corpus, content_hash
        from presslens.errors import StoreError

        corpus = Corpus(db_url, join_threshold=config.corpus.join_threshold)
    for row in written.iter_rows():  # streamed back from the output, not recomputed
        status = row["status"]
        if status == "done" and corpus is not None:
            analysis = Analysis.from_dict(json.loads(row["analysis"]))
            try:
                if corpus.add(analysis) is not None:
                    counts["stored"] += 1
            except StoreError as exc:  # one article's storage error: its failure, go on
                status = "failed"
                try:
                    corpus.record_failure(content_hash(analysis.text), str(row["source"]),
                                          f"{row['source']}: cannot be stored ({exc})")
                except StoreError:  # not even recorded: counted, and the batch goes on
                    counts["unrecorded"] = counts.get("unrecorded", 0) + 1
        counts[status] += 1
    return counts
