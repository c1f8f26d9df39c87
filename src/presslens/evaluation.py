"""Measuring presslens against gold annotations with the shared scorer.

``write_analyses`` analyses the articles that gold files name and writes ``<stem>.json``;
``score`` runs the scorer (``shared/eval/score.py``, standard library only) and returns its
per-document and mean metrics. The quality gate test and ``scripts/quality.py`` use both.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from presslens.ingest import ReadOptions
from presslens.pipeline import Pipeline


def gold_articles(gold_dir: Path, corpus_dir: Path) -> list[Path]:
    """The article file each gold file in ``gold_dir`` annotates, looked up in ``corpus_dir``."""
    out = []
    for g in sorted(gold_dir.glob("*.json")):
        doc = json.loads(g.read_text("utf-8"))["doc"]
        out.append(corpus_dir / doc)
    return out


def write_analyses(pipeline: Pipeline, articles: list[Path], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    opts = ReadOptions.from_config(pipeline.config)
    arts = (opts.read(p) for p in articles)
    for path, analysis in zip(articles, pipeline.analyze_articles(arts)):
        (out_dir / f"{path.stem}.json").write_text(analysis.to_json(), "utf-8")


def score(scorer: Path, gold_dir: Path, pred_dir: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(scorer), str(gold_dir), str(pred_dir), "--json"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scorer failed: {done.stderr.strip() or done.stdout.strip()}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


_POLNEAR_LINE = re.compile(r"content P=([\d.]+) R=([\d.]+) F1=([\d.]+)\s+speaker_acc=([\d.]+)")


def polnear_scores(scorer: Path, split_dir: Path, pred_dir: Path) -> dict[str, float]:
    """Content precision, recall and F1 and speaker accuracy of the analyses in
    ``pred_dir`` on a PolNeAR split, as the shared ``polnear_score.py`` counts them."""
    done = subprocess.run([sys.executable, str(scorer), str(split_dir), str(pred_dir)],
                          capture_output=True, text=True, check=False)
    found = _POLNEAR_LINE.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"scorer failed: {done.stderr.strip() or done.stdout.strip()}")
    return dict(zip(("P", "R", "F1", "speaker_acc"), map(float, found.groups())))


def span_overlap_credit(pred: list[tuple[int, int, str]], gold: list[tuple[int, int, str]]
                        ) -> tuple[float, float]:
    """Partial-overlap credit as in SemEval-2020 Task 11: the summed credit of predicted
    spans (each |overlap| / |predicted span| against the best gold span of the same
    technique) and of gold spans (|overlap| / |gold span|). Precision is the first sum over
    the number of predictions, recall the second over the number of gold spans."""
    def credit(a: tuple[int, int, str], others: list[tuple[int, int, str]]) -> float:
        best = 0.0
        for b in others:
            overlap = min(a[1], b[1]) - max(a[0], b[0])
            if b[2] == a[2] and overlap > 0:
                best = max(best, overlap / (a[1] - a[0]))
        return best

    return sum(credit(p, gold) for p in pred), sum(credit(g, pred) for g in gold)
