"""Batch ingest: many articles into a corpus, resumable and never stopped by one bad file.

The batch runner reads and analyses each article within its time budget and passes over
those already stored; this module writes what it gives back. Each article is stored in its
own transaction, keyed by the hash of its text, so a run that is killed at any point can
simply be run again: what was stored is skipped, what was not is stored, and nothing is
stored twice. An article that is refused, fails, runs out of time or cannot be stored
(any database error while storing it) is recorded with its reason (and skipped on later
runs) and the batch goes on; when even that record cannot be written, it is counted.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from presslens.corpus.store import Corpus, content_hash
from presslens.errors import StoreError
from presslens.runners.batch import BatchRunner, Job, Progress, TerminalProgress


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    unrecorded: int = 0  # failures whose record could not be written either


def _raw_digest(job: Job, max_bytes: int) -> str:
    """The key of an article that could not be read: the hash of its bytes, read only from
    a regular file within the size limit (a FIFO would block, a huge file is not read
    twice); otherwise the hash of its name, size and modification time."""
    if job.data is not None:
        return "raw:" + hashlib.sha256(job.data or job.source.encode()).hexdigest()[:58]
    key = job.source.encode()
    try:
        if job.path is not None:
            info = job.path.stat()
            if stat.S_ISREG(info.st_mode) and info.st_size <= max_bytes:
                key = job.path.read_bytes() or key
            else:
                key += f"|{info.st_size}|{info.st_mtime_ns}".encode()
    except OSError:
        pass
    return "raw:" + hashlib.sha256(key).hexdigest()[:58]


def ingest_jobs(jobs: Iterable[Job], corpus: Corpus, runner: BatchRunner, *,
                progress: Progress | None = None) -> IngestReport:
    """Store every article of ``jobs`` that the corpus does not have yet. The runner should
    be built with ``skip=corpus.has`` so stored articles are not analysed again."""
    job_list = list(jobs)
    report = IngestReport()
    for job, outcome in zip(job_list, runner.run(job_list, progress=progress)):
        if outcome.status == "skipped":
            report.skipped += 1
        elif outcome.analysis is not None:
            try:
                stored = corpus.add(outcome.analysis)
            except StoreError as exc:
                reason = f"{outcome.source}: cannot be stored ({exc})"
                digest = outcome.text_hash or content_hash(outcome.analysis.text)
                _fail(corpus, report, digest, outcome.source, reason, progress)
                continue
            if stored is None:  # stored meanwhile by another run
                report.skipped += 1
            else:
                report.added += 1
        else:
            digest = outcome.text_hash or _raw_digest(job, runner.opts.max_bytes)
            _fail(corpus, report, digest, outcome.source,
                  outcome.error or outcome.status, None)
    return report


def _fail(corpus: Corpus, report: IngestReport, digest: str, source: str, reason: str,
          progress: Progress | None) -> None:
    """Count and record one article's failure; a failure the runner did not see (a
    storage error) is also said on the progress display."""
    report.failed += 1
    report.failures.append(reason)
    if isinstance(progress, TerminalProgress):
        progress.say(f"error: {reason}")
    try:
        corpus.record_failure(digest, source, reason)
    except StoreError as exc:
        report.unrecorded += 1
        if isinstance(progress, TerminalProgress):
            progress.say(f"error: {source}: the failure could not be recorded ({exc})")

