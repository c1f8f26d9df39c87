"""The batch runner: many articles through one pipeline, each within a time budget.

Every place that analyses articles in bulk (``analyze``, ``analyze --workers``, ``ingest``,
``ingest --engine ray`` and the web form) goes through ``BatchRunner``. For each ``Job`` it
reads the article, analyses it and says what happened in one ``Outcome``: done, skipped,
refused (the input is not something presslens analyses), failed (a bug, in one line) or
timeout. One bad or slow article never stops a batch.

The budget is enforced twice. In the process that analyses, an interval timer interrupts
the article when its budget runs out and names the stage it was in, so no Python loop can
run past it. With worker processes, the parent also waits at most the budget plus a grace
period for each article and kills a worker that does not answer (a loop in compiled code,
a crash), then starts a fresh one: no article can hold a batch, by construction.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

from presslens.config import Config
from presslens.errors import (
    AnalysisError,
    ArticleTimeoutError,
    InputError,
    PresslensError,
    WorkerLostError,
)
from presslens.ingest import SUFFIXES, Article, ReadOptions
from presslens.model import Analysis

if TYPE_CHECKING:
    from presslens.pipeline import Pipeline

LARGE_ARTICLE_BYTES = 1_000_000  # the terminal says when it starts an article this large
Status = Literal["done", "skipped", "refused", "failed", "timeout"]
SkipTest = Callable[[str], bool]  # given an article's text hash: is it already done?


@dataclass(frozen=True)
class Job:
    """One article to analyse: a file, or bytes already in memory (stdin, an upload, a
    dataset row). ``fmt`` None means: from the file's suffix."""

    source: str
    path: Path | None = None
    data: bytes | None = None
    fmt: str | None = None
    published: str | None = None  # overrides the reading options' date for this job
    refusal: str | None = None  # why it cannot be read, found before it was queued

    @classmethod
    def from_path(cls, path: Path) -> Job:
        return cls(source=str(path), path=path)

    @classmethod
    def from_stdin(cls, max_bytes: int) -> Job:
        """Standard input, read here: a worker process has none of its own. A read that
        fails (stdin closed, a folder, an I/O error) becomes a job whose ``read`` refuses
        with the reason, so it is an outcome of source ``-`` like any other input."""
        try:
            stream = sys.stdin.buffer if sys.stdin is not None else None
            if stream is None:
                raise OSError("standard input is closed")
            return cls(source="-", data=stream.read(max_bytes + 1))
        except (OSError, ValueError, AttributeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            return cls(source="-", refusal=f"-: cannot read standard input ({reason})")

    def read(self, opts: ReadOptions) -> Article:
        if self.refusal is not None:
            raise InputError(self.refusal)
        if self.published is not None:
            opts = replace(opts, published=self.published)
        if self.data is not None:
            return opts.from_bytes(self.data, source=self.source, fmt=self.fmt or "text")
        if self.path is None:
            raise InputError(f"{self.source}: nothing to read")
        return opts.read(self.path)

    @property
    def size(self) -> int:
        """Bytes to read, which scales the job's time budget (0 when unknown)."""
        if self.data is not None:
            return len(self.data)
        try:
            return self.path.stat().st_size if self.path is not None else 0
        except OSError:
            return 0

    @property
    def format(self) -> str:
        if self.fmt is not None:
            return self.fmt
        return SUFFIXES.get(self.path.suffix.lower(), "text") if self.path else "text"


@dataclass(frozen=True)
class Budget:
    """Seconds an article may take: ``seconds`` up to ``scale_bytes`` of input, and in
    proportion beyond, since the analysis is linear in the length of an article."""

    seconds: float
    scale_bytes: int

    def for_size(self, size: int) -> float:
        return self.seconds * max(1.0, size / self.scale_bytes) if self.scale_bytes else \
            self.seconds


@dataclass(frozen=True)
class Outcome:
    """What became of one job. ``error`` is a one-line message for every status but done
    (and skipped); ``stage`` is where a failure or timeout happened."""

    source: str
    status: Status
    analysis: Analysis | None = None
    error: str | None = None
    stage: str | None = None
    seconds: float = 0.0
    text_hash: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("done", "skipped")


class Progress:
    """Where the runner reports each job; the default reports nowhere."""

    def start(self, job: Job, budget: float | None) -> None:
        """Called when a job starts (with its time budget in seconds, if any)."""

    def advance(self, outcome: Outcome) -> None:
        """Called once per job, in input order."""

    def close(self) -> None:
        """Called once when the run ends."""


class TerminalProgress(Progress):
    """A per-file progress bar on stderr, shown only on a terminal and not with ``quiet``.
    Problems are always printed, one line each; with ``verbose``, every file's outcome
    and notes too. Lines go above the bar, never through it."""

    def __init__(self, total: int, label: str, *, quiet: bool = False,
                 verbose: bool = False, prefix: str = "presslens: ") -> None:
        from tqdm import tqdm  # type: ignore[import-untyped]

        self.quiet, self.verbose, self.prefix = quiet, verbose, prefix
        self.counts = Counts()
        self.bar = tqdm(total=total, desc=label, unit="article", file=sys.stderr,
                        disable=quiet or total < 2 or not sys.stderr.isatty(),
                        dynamic_ncols=True, leave=False)

    def say(self, message: str) -> None:
        self.bar.write(f"{self.prefix}{message}", file=sys.stderr)

    def start(self, job: Job, budget: float | None) -> None:
        if self.quiet or job.size < LARGE_ARTICLE_BYTES:
            return
        within = f", within {budget:.0f} s" if budget else ""
        self.say(f"{job.source}: {job.size / 1e6:.1f} MB, this takes a while{within}")

    def advance(self, outcome: Outcome) -> None:
        self.counts.add(outcome)
        if outcome.error and not outcome.ok:
            self.say(f"error: {outcome.error}")
        elif self.verbose:
            self.say(f"{outcome.source}: {outcome.status} ({outcome.seconds:.1f} s)")
        if outcome.analysis is not None and not self.quiet:
            for note in outcome.analysis.notes:
                self.say(f"{outcome.source}: {note}")
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


@dataclass
class Counts:
    """Jobs by status, with the one-line reasons of those that did not succeed."""

    by_status: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.by_status[outcome.status] = self.by_status.get(outcome.status, 0) + 1
        if outcome.error and not outcome.ok:
            self.problems.append(outcome.error)

    def __getitem__(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def unsuccessful(self) -> int:
        return self["refused"] + self["failed"] + self["timeout"]


# -- one job, in the process that analyses -----------------------------------------------

class _BudgetExceeded(BaseException):
    """Raised by the interval timer; a BaseException so no ``except Exception`` in a stage
    can swallow it."""


def can_interrupt() -> bool:
    """The interval timer needs the main thread of a process on a POSIX system."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with ``_BudgetExceeded`` after ``seconds`` (None or 0: never;
    off the main thread: never, and the caller must isolate the work instead)."""
    if not seconds or not can_interrupt():
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise _BudgetExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_job(pipeline: Pipeline, opts: ReadOptions, job: Job, *, budget: Budget | None,
            skip: SkipTest | None = None,
            on_stage: Callable[[str], None] | None = None) -> Outcome:
    """Read and analyse one job within its budget; every exception becomes an outcome."""
    from presslens.corpus.store import content_hash

    stage: list[str] = ["read"]
    digest: list[str | None] = [None]

    def enter(name: str) -> None:
        stage[0] = name
        if on_stage is not None:
            on_stage(name)

    seconds = budget.for_size(job.size) if budget is not None else None
    started = time.perf_counter()

    def outcome(status: Status, **kwargs: Any) -> Outcome:
        return Outcome(job.source, status, seconds=time.perf_counter() - started,
                       stage=None if status in ("done", "skipped") else stage[0],
                       text_hash=digest[0], **kwargs)

    try:
        with time_budget(seconds):
            enter("read")
            article = job.read(opts)
            digest[0] = text_hash = content_hash(article.text)
            if skip is not None and skip(text_hash):
                return outcome("skipped")
            analysis = pipeline.analyze_article(article, on_stage=enter)
        return outcome("done", analysis=analysis)
    except _BudgetExceeded:
        return outcome("timeout", error=str(ArticleTimeoutError(job.source, stage[0],
                                                                seconds or 0)))
    except InputError as exc:
        return outcome("refused", error=str(exc))
    except PresslensError as exc:
        return outcome("failed", error=str(exc))
    except Exception as exc:  # a bug outside the stages: one line, and the batch goes on
        return outcome("failed", error=str(AnalysisError(job.source, stage[0], exc)))


# -- worker processes --------------------------------------------------------------------

def _worker_main(conn: Connection, config: Config, opts: ReadOptions, budget: Budget | None,
                 stage_names: list[str], stage_now: Any) -> None:
    """A worker process: load the pipeline once, then analyse the jobs sent to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    from presslens.pipeline import Pipeline

    try:
        pipeline = Pipeline(config)
        pipeline.warm_up()
    except PresslensError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", None))

    def enter(name: str) -> None:
        stage_now.value = stage_names.index(name) if name in stage_names else -1

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, job = message
        conn.send(("outcome", (index, run_job(pipeline, opts, job, budget=budget,
                                              on_stage=enter))))


class _Worker:
    """One worker process and the pipe to it, as the parent sees it."""

    def __init__(self, config: Config, opts: ReadOptions, budget: Budget | None,
                 stage_names: list[str], startup_seconds: float) -> None:
        ctx = multiprocessing.get_context("spawn")  # safe beside threads (the web server)
        self.stage_names = stage_names
        self.stage_now: Any = ctx.Value("i", 0, lock=False)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, daemon=True, args=(
            child, config, opts, budget, stage_names, self.stage_now))
        self.process.start()
        child.close()
        self.job: tuple[int, Job] | None = None
        self.deadline = 0.0
        if not self.conn.poll(startup_seconds):
            self.kill()
            raise WorkerLostError("a worker process did not start in "
                                  f"{startup_seconds:g} s")
        kind, detail = self._recv()
        if kind != "ready":
            self.kill()
            raise PresslensError(str(detail))

    def _recv(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            raise WorkerLostError(f"a worker process ended (exit code {self.process.exitcode})"
                                  ) from None
        return message

    def submit(self, index: int, job: Job, hard_limit: float | None) -> None:
        self.stage_now.value = 0
        self.job = (index, job)
        self.deadline = time.monotonic() + hard_limit if hard_limit else float("inf")
        self.conn.send((index, job))

    def collect(self) -> Outcome:
        """The outcome of the job in hand (the worker has answered, or died)."""
        assert self.job is not None
        index, job = self.job
        self.job = None
        try:
            kind, payload = self._recv()
        except WorkerLostError as exc:
            return Outcome(job.source, "failed", stage=self.stage(),
                           error=f"{job.source}: {exc} in stage '{self.stage()}'")
        return payload[1]  # type: ignore[no-any-return]

    def stage(self) -> str:
        n = int(self.stage_now.value)
        return self.stage_names[n] if 0 <= n < len(self.stage_names) else "unknown"

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


# -- the runner ---------------------------------------------------------------------------

class BatchRunner:
    """Analyses jobs within a per-article budget, in this process (``processes=0``) or in
    that many worker processes, and yields one ``Outcome`` per job in input order.

    In this process the budget needs the main thread; elsewhere (a web server's thread
    pool, an actor's thread) the runner uses one worker process instead. A ``skip`` test
    (only in this process) lets a caller pass over articles it already has.
    """

    def __init__(self, config: Config, *, opts: ReadOptions | None = None,
                 timeout: float | None = None, processes: int = 0,
                 skip: SkipTest | None = None) -> None:
        batch = config.batch
        self.config = config
        self.opts = opts if opts is not None else ReadOptions.from_config(config)
        seconds = float(batch.timeout if timeout is None else timeout)
        self.budget = Budget(seconds, batch.budget_scale_bytes) if seconds else None
        self.grace = batch.kill_grace
        self.startup = batch.worker_startup
        self.ahead = batch.results_ahead
        if processes == 0 and not can_interrupt():
            processes = 1
        if processes and skip is not None:
            raise ValueError("a skip test runs only in this process (processes=0)")
        self.processes = processes
        self.skip = skip
        self._pipeline: Pipeline | None = None
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()  # one batch at a time through the workers
        if processes:
            self._workers = [self._new_worker() for _ in range(processes)]
        else:
            from presslens.pipeline import Pipeline

            self._pipeline = Pipeline(config)
            self._pipeline.warm_up()

    @property
    def stage_names(self) -> list[str]:
        return ["read", "parse", *self.config.pipeline.stages]

    def _new_worker(self) -> _Worker:
        return _Worker(self.config, self.opts, self.budget, self.stage_names, self.startup)

    def run(self, jobs: Iterable[Job], *, progress: Progress | None = None
            ) -> Iterator[Outcome]:
        """One outcome per job, in input order; ``progress`` hears of each."""
        report = progress if progress is not None else Progress()
        if self._pipeline is not None and self.budget and not can_interrupt():
            self._isolate()
        try:
            if self._pipeline is not None:
                for job in jobs:
                    report.start(job, self.budget.for_size(job.size) if self.budget else None)
                    outcome = run_job(self._pipeline, self.opts, job, budget=self.budget,
                                      skip=self.skip)
                    report.advance(outcome)
                    yield outcome
            else:
                with self._lock:
                    for outcome in self._run_in_workers(jobs, report):
                        report.advance(outcome)
                        yield outcome
        finally:
            report.close()

    def _isolate(self) -> None:
        """Called from a thread other than the main one (some hosts, Ray's actors among
        them, call from a thread of their own): the timer cannot reach this thread, so
        go on in one worker process, which the runner can stop."""
        if self.skip is not None:
            raise PresslensError("the time budget needs the main thread when a skip test "
                                 "is given")
        self._pipeline = None
        self.processes = 1
        self._workers = [self._new_worker()]

    def run_one(self, job: Job) -> Outcome:
        return next(self.run([job]))

    def _run_in_workers(self, jobs: Iterable[Job], report: Progress) -> Iterator[Outcome]:
        pending = iter(enumerate(jobs))
        idle = list(self._workers)
        busy: list[_Worker] = []
        ready: dict[int, Outcome] = {}
        next_out = 0
        exhausted = False
        while True:
            # keep every worker busy, but never hold more than `ahead` results per worker
            while idle and not exhausted and len(busy) + len(ready) < self.ahead * len(
                    self._workers):
                item = next(pending, None)
                if item is None:
                    exhausted = True
                    break
                worker = idle.pop()
                report.start(item[1], self.budget.for_size(item[1].size) if self.budget
                             else None)
                worker.submit(*item, self._hard_limit(item[1]))
                busy.append(worker)
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
            if not busy:
                if exhausted:
                    return
                continue
            wait_for = min(w.deadline for w in busy) - time.monotonic()
            answered = wait([w.conn for w in busy], timeout=max(0.0, min(wait_for, 3600)))
            for worker in list(busy):
                if worker.conn in answered:
                    index = worker.job[0] if worker.job else -1
                    outcome = worker.collect()
                    ready[index] = outcome
                    busy.remove(worker)
                    if worker.process.is_alive():
                        idle.append(worker)
                    else:
                        self._replace(worker)
                        idle.append(self._workers[-1])
                elif time.monotonic() >= worker.deadline:
                    index, job = worker.job or (-1, Job("?"))
                    stage = worker.stage()
                    ready[index] = Outcome(job.source, "timeout", stage=stage,
                                           seconds=self._hard_limit(job) or 0.0,
                                           error=str(ArticleTimeoutError(
                                               job.source, stage,
                                               self.budget.for_size(job.size)
                                               if self.budget else 0)))
                    busy.remove(worker)
                    worker.kill()
                    self._replace(worker)
                    idle.append(self._workers[-1])

    def _hard_limit(self, job: Job) -> float | None:
        """How long the parent waits for a worker's answer before it kills it."""
        return self.budget.for_size(job.size) + self.grace if self.budget else None

    def _replace(self, dead: _Worker) -> None:
        self._workers.remove(dead)
        self._workers.append(self._new_worker())

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def __enter__(self) -> BatchRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
