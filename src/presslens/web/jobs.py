"""The web form's analysis queue: submissions wait in one bounded queue and a few threads,
each driving one worker process through its own ``BatchRunner``, analyse them and store
the results. Nothing here runs on the server's event loop, so other pages keep answering;
the submitter follows a job by its id (its place in the queue, then its outcome).

Job records live in memory: the queued and running ones, and the last few finished ones.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from presslens.errors import PresslensError
from presslens.model import Analysis
from presslens.runners.batch import BatchRunner, Job

JobStatus = Literal["queued", "running", "done", "refused", "failed", "timeout"]
FINISHED: tuple[JobStatus, ...] = ("done", "refused", "failed", "timeout")


@dataclass(frozen=True)
class WebJob:
    """What the submitter sees of one submission. ``error`` is the one-line reason of a
    job that did not succeed; ``article_id`` the stored article of one that did."""

    id: str
    status: JobStatus
    submitted: float
    started: float | None = None
    finished: float | None = None
    article_id: int | None = None
    error: str | None = None

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def as_dict(self, *, position: int | None) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "position": position,
                "submitted": self.submitted, "started": self.started,
                "finished": self.finished, "article_id": self.article_id,
                "article_url": f"/articles/{self.article_id}"
                if self.article_id is not None else None,
                "error": self.error}


class QueueFullError(PresslensError):
    """The form's queue holds as many articles as it may; the submitter should retry."""


Store = Callable[[Analysis], int]  # stores an analysis, returns its article id
RunnerFactory = Callable[[], BatchRunner]


class AnalysisQueue:
    """Jobs analysed by ``workers`` threads, each with a one-process ``BatchRunner``
    (started on its first job, restarted after it fails to start). At most ``max_waiting``
    jobs wait; ``keep`` finished jobs are remembered, the oldest dropped first."""

    def __init__(self, make_runner: RunnerFactory, store: Store, *, workers: int,
                 max_waiting: int, keep: int) -> None:
        if workers < 1 or max_waiting < 1 or keep < 1:
            raise ValueError("workers, max_waiting and keep must be at least 1")
        self.make_runner = make_runner
        self.store = store
        self.workers = workers
        self.max_waiting = max_waiting
        self.keep = keep
        self._jobs: OrderedDict[str, WebJob] = OrderedDict()
        self._waiting: list[str] = []  # ids in queue order
        self._inbox: queue.Queue[tuple[str, Job] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._runners: list[BatchRunner] = []
        self._closed = False

    # -- the submitter's side ------------------------------------------------------------
    def submit(self, job: Job) -> WebJob:
        """Queue ``job``; ``QueueFullError`` when ``max_waiting`` jobs already wait."""
        with self._lock:
            if self._closed:
                raise QueueFullError("the server is shutting down")
            if len(self._waiting) >= self.max_waiting:
                raise QueueFullError(
                    f"{len(self._waiting)} articles are already waiting to be analysed; "
                    "try again in a minute")
            web_job = WebJob(id=secrets.token_urlsafe(12), status="queued",
                             submitted=time.time())
            self._jobs[web_job.id] = web_job
            self._waiting.append(web_job.id)
            self._forget_old()
            self._start_threads()
        self._inbox.put((web_job.id, job))
        return web_job

    def get(self, job_id: str) -> tuple[WebJob, int | None] | None:
        """The job and its place in the queue (1 = next; None once it has started)."""
        with self._lock:
            found = self._jobs.get(job_id)
            if found is None:
                return None
            position = (self._waiting.index(job_id) + 1 if job_id in self._waiting
                        else None)
            return found, position

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    # -- the workers' side ---------------------------------------------------------------
    def _start_threads(self) -> None:
        """Start the worker threads on the first submission (under the lock)."""
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._work, daemon=True,
                                      name=f"presslens-analysis-{len(self._threads)}")
            self._threads.append(thread)
            thread.start()

    def _forget_old(self) -> None:
        """Drop the oldest finished jobs past ``keep`` (under the lock)."""
        finished = [k for k, j in self._jobs.items() if j.is_finished]
        for key in finished[:max(0, len(finished) - self.keep)]:
            del self._jobs[key]

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id] = replace(self._jobs[job_id], **changes)
            self._forget_old()

    def _work(self) -> None:
        """One worker thread: take the next job, analyse it, store it, say so."""
        runner: BatchRunner | None = None
        while True:
            item = self._inbox.get()
            if item is None:
                break
            job_id, job = item
            with self._lock:
                if job_id in self._waiting:
                    self._waiting.remove(job_id)
                closed = self._closed
                if job_id in self._jobs and not closed:
                    self._jobs[job_id] = replace(self._jobs[job_id], status="running",
                                                 started=time.time())
            if closed:
                self._update(job_id, status="failed", finished=time.time(),
                             error="the server stopped before this article was analysed")
                continue
            try:
                if runner is None:
                    runner = self.make_runner()
                    with self._lock:
                        self._runners.append(runner)
                changes = self._analyse(runner, job)
            except Exception as exc:  # the outermost layer of this thread: it must go on
                changes = {"status": "failed", "error": str(exc) or type(exc).__name__}
                if runner is not None:  # a runner that raised (its worker would not
                    runner.close()      # restart, say) is replaced on the next job
                    with self._lock:
                        if runner in self._runners:
                            self._runners.remove(runner)
                    runner = None
            self._update(job_id, finished=time.time(), **changes)
        if runner is not None:
            runner.close()

    def _analyse(self, runner: BatchRunner, job: Job) -> dict[str, Any]:
        """Run one job and store its analysis; the changes to make to its record."""
        outcome = runner.run_one(job)
        if outcome.analysis is None:
            status = "failed" if outcome.status == "skipped" else outcome.status
            return {"status": status, "error": outcome.error or outcome.status}
        try:
            article_id = self.store(outcome.analysis)
        except PresslensError as exc:  # the database's fault, not the runner's
            return {"status": "failed", "error": str(exc)}
        return {"status": "done", "article_id": article_id}

    def close(self) -> None:
        """Stop taking jobs (those still waiting are marked failed), give each thread a few
        seconds to finish its job in hand, then stop the worker processes."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for _ in threads:
            self._inbox.put(None)
        for thread in threads:
            thread.join(5)
        with self._lock:
            runners, self._runners = self._runners, []
        for runner in runners:
            runner.close()
