"""Batch ingest: many article files into a corpus, resumable and never stopped by one bad file.

Each article is stored in its own transaction, keyed by the hash of its text, so a run that
is killed at any point can simply be run again: what was stored is skipped, what was not
is stored, and nothing is stored twice. An article that cannot be read or analysed is
recorded with its reason (and skipped on later runs) and the batch goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AnalysisError, InputError
from ..ingest import ReadOptions
from ..pipeline import Pipeline
from . import Corpus, content_hash


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


def _raw_digest(path: Path | None, source: str) -> str:
    try:
        data = path.read_bytes() if path is not None else source.encode()
    except OSError:
        data = source.encode()
    return "raw:" + hashlib.sha256(data).hexdigest()[:58]


def ingest_files(paths: list[Path | None], corpus: Corpus, pipeline: Pipeline,
                 opts: ReadOptions, *, on_article: Callable[[str, str], None] | None = None
                 ) -> IngestReport:
    """Store every article of ``paths``; ``on_article(source, outcome)`` after each."""
    report = IngestReport()
    for path in paths:
        source = "-" if path is None else str(path)
        try:
            article = opts.read(path)
        except InputError as exc:
            digest = _raw_digest(path, source)
            if not corpus.has(digest):
                corpus.record_failure(digest, source, str(exc))
            report.failed += 1
            report.failures.append(str(exc))
            if on_article:
                on_article(source, "failed")
            continue
        digest = content_hash(article.text)
        if corpus.has(digest):
            report.skipped += 1
            if on_article:
                on_article(source, "skipped")
            continue
        _, result = next(pipeline.analyze_articles_safely([article]))
        if isinstance(result, AnalysisError):
            corpus.record_failure(digest, source, str(result))
            report.failed += 1
            report.failures.append(str(result))
            outcome = "failed"
        else:
            corpus.add(result)
            report.added += 1
            outcome = "added"
        if on_article:
            on_article(source, outcome)
    return report
