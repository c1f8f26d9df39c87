"""Process parallelism for many articles: one pipeline (and one model) per worker process.

``analyze_files`` reads and analyses files in a pool of worker processes and yields the
results in input order, so output files and progress are the same as with one process.
Errors travel back as (message, exit code) pairs and become ``PresslensError`` again here:
exception classes with their own constructors do not survive pickling.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .config import Config
from .errors import PresslensError
from .ingest import ReadOptions
from .model import Analysis

_worker: Any = None  # the worker process's Pipeline


def _init_worker(config: Config) -> None:
    global _worker
    from .pipeline import Pipeline

    _worker = Pipeline(config)


def _analyze_one(job: tuple[Path, ReadOptions]) -> Analysis | tuple[str, int]:
    path, opts = job
    try:
        article = opts.read(path)
        return _worker.analyze_article(article)  # type: ignore[no-any-return]
    except PresslensError as exc:
        return str(exc), exc.exit_code


class WorkerError(PresslensError):
    """An error reported by a worker process, carried back as its message."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def analyze_files(paths: list[Path], config: Config, opts: ReadOptions, *, workers: int
                  ) -> Iterator[tuple[Path, Analysis | WorkerError]]:
    """Analyse files in ``workers`` processes; results come back in input order."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(config,)) as pool:
        jobs = ((p, opts) for p in paths)
        for path, result in zip(paths, pool.map(_analyze_one, jobs, chunksize=2)):
            if isinstance(result, Analysis):
                yield path, result
            else:
                yield path, WorkerError(*result)
