#!/usr/bin/env python3
"""Soak run: every document of the dev data through the batch runner, and what became of it.

    python scripts/soak.py                          # all ~21,000 documents, 2 worker processes
    python scripts/soak.py --sample 200             # every k-th document, 200 in all (CI)
    python scripts/soak.py --corpora polnear,ptc --processes 1 --timeout 30 --json OUT.json

Reads at run time, from ``../shared/devdata`` (``--devdata``): all Reuters-21578 ``<BODY>``
texts (Latin-1 SGML, HTML entities unescaped, whatever their length), PolNeAR train and dev,
PTC train, and the CoNLL-2003 testa and train documents (built by the shared
``eval/conll_docs.py`` into a temporary folder outside the repository). Nothing of the data
is written anywhere but that temporary folder, and the repository only gets the ``--json``
report if it is asked for there.

Every document goes through ``BatchRunner`` as in-memory text, in worker processes with the
configured time budget. The report says how many were done, refused and failed (grouped by
reason class: the message without its source, numbers as N), which timed out (source and
stage), how many tracebacks were printed on stderr by the runner or its workers plus any
exception that escaped the runner (both must be 0), peak memory of this process and of the
workers, wall time and articles per second, and the ten slowest articles. Exit status 1
when there were tracebacks or escaped exceptions. Not a test of quality: it looks for
crashes, hangs and leaks on real text.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

from presslens.config import Settings, load_config
from presslens.runners.batch import BatchRunner, Job, Outcome, Progress

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT.parent / "shared" / "devdata"
CORPORA = ("reuters", "polnear", "ptc", "conll")
MAX_RESTARTS = 3  # fresh runners after an exception escaped one, before giving up
SLOWEST = 10
PROGRESS_EVERY = 60.0  # seconds between progress lines on stderr
SAMPLE_EVERY = 1.0  # seconds between memory samples
EXAMPLES_PER_REASON = 3

_STORY = re.compile(r'<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>', re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Document:
    """One article to analyse: where it comes from and its text as UTF-8 bytes."""

    source: str
    data: bytes

    @property
    def words(self) -> int:
        return len(self.data.split())


# -- the documents -------------------------------------------------------------------------

def reuters_documents(devdata: Path) -> list[Document]:
    """Every ``<BODY>`` of ``reut2-*.sgm`` in file order, HTML entities unescaped."""
    docs = []
    for path in sorted((devdata / "reuters21578").glob("reut2-*.sgm")):
        for story in _STORY.finditer(path.read_text("latin-1")):
            body = _BODY.search(story.group(2))
            if body is not None:
                docs.append(Document(f"reuters21578/{path.name}#NEWID={story.group(1)}",
                                     html.unescape(body.group(1)).encode("utf-8")))
    return docs


def text_files(devdata: Path, folder: str) -> list[Document]:
    return [Document(str(path.relative_to(devdata)), path.read_bytes())
            for path in sorted((devdata / folder).glob("*.txt"))]


def conll_documents(devdata: Path) -> list[Document]:
    """The testa and train documents as the shared ``conll_docs.py`` writes them, read back
    from a temporary folder that is removed afterwards."""
    script = devdata.parent / "eval" / "conll_docs.py"
    docs = []
    for name in ("eng.testa", "eng.train"):
        with tempfile.TemporaryDirectory(prefix="presslens-soak-") as tmp:
            subprocess.run([sys.executable, str(script), str(devdata / "conll2003" / name), tmp],
                           check=True, capture_output=True, text=True)
            docs += [Document(f"conll2003/{name}#{path.stem}", path.read_bytes())
                     for path in sorted(Path(tmp).glob("conll_*.txt"))]
    return docs


def load_documents(devdata: Path, corpora: Sequence[str]) -> dict[str, list[Document]]:
    """The chosen corpora's documents, in a fixed order."""
    readers = {
        "reuters": lambda: reuters_documents(devdata),
        "polnear": lambda: text_files(devdata, "polnear/train/text")
        + text_files(devdata, "polnear/dev/text"),
        "ptc": lambda: text_files(devdata, "ptc/train-articles"),
        "conll": lambda: conll_documents(devdata),
    }
    return {name: readers[name]() for name in CORPORA if name in corpora}


def every_kth(docs: Sequence[Document], n: int | None) -> list[Document]:
    """Every k-th document, k chosen so that ``n`` are taken (all of them without ``n``)."""
    if not n or n >= len(docs):
        return list(docs)
    return list(docs[::max(1, len(docs) // n)])[:n]


# -- watching stderr and memory ------------------------------------------------------------

class StderrTee:
    """Routes file descriptor 2 (this process' stderr, inherited by the worker processes)
    through a pipe to the real stderr, counting the lines that contain "Traceback" (but
    for the soak's own) and keeping the first few tracebacks."""

    def __init__(self, *, keep: int = 5, lines_each: int = 20) -> None:
        self.count = 0
        self.excerpts: list[list[str]] = []
        self.keep, self.lines_each = keep, lines_each
        self._saved = -1
        self._reader: threading.Thread | None = None

    def __enter__(self) -> StderrTee:
        # Spawning a worker starts multiprocessing's resource tracker, which lives as long
        # as this process: started here first, it keeps the real stderr and does not hold
        # the pipe open (its output is then not counted).
        resource_tracker.ensure_running()
        sys.stderr.flush()
        self._saved = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
        self._reader = threading.Thread(target=self._pump, args=(read_end,), daemon=True)
        self._reader.start()
        return self

    def _line(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace")
        # the soak's own lines (which may quote an article's error) are not tracebacks
        opens = "Traceback" in line and not line.startswith("soak: ")
        if self.excerpts and len(self.excerpts[-1]) < self.lines_each and not opens:
            self.excerpts[-1].append(line)
        if opens:
            self.count += 1
            if len(self.excerpts) < self.keep:
                self.excerpts.append([line])

    def _pump(self, read_end: int) -> None:
        pending = b""
        while chunk := os.read(read_end, 65536):
            os.write(self._saved, chunk)
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                self._line(line)
        if pending:
            self._line(pending)
        os.close(read_end)

    def __exit__(self, *exc: object) -> None:
        sys.stderr.flush()
        os.dup2(self._saved, 2)  # drops this process' hold on the pipe's write end
        if self._reader is not None:
            self._reader.join(30)  # ends when no worker holds the write end any more
        if self._reader is None or not self._reader.is_alive():
            os.close(self._saved)


def _status_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _worker_pids(parent: int) -> list[int]:
    """This process' children started by multiprocessing's spawn (the runner's workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and b"spawn_main" in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


class MemorySampler(threading.Thread):
    """Samples /proc every second: the peak RSS (VmHWM) of each worker process, the peak
    of this process plus its workers together, and the workers' RSS minute by minute."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.worker_peak_kib: dict[int, int] = {}
        self.total_peak_kib = 0
        self.by_minute: dict[int, int] = {}  # minute -> largest summed worker RSS
        self.started = time.monotonic()

    def sample(self) -> None:
        me = os.getpid()
        total = _status_kib(me, "VmRSS")
        workers = 0
        for pid in _worker_pids(me):
            peak = _status_kib(pid, "VmHWM")
            self.worker_peak_kib[pid] = max(self.worker_peak_kib.get(pid, 0), peak)
            workers += _status_kib(pid, "VmRSS")
        self.total_peak_kib = max(self.total_peak_kib, total + workers)
        if workers:
            minute = int((time.monotonic() - self.started) // 60)
            self.by_minute[minute] = max(self.by_minute.get(minute, 0), workers)

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_EVERY):
            self.sample()

    def stop(self) -> None:
        self.stopped.set()
        self.join(10)


# -- the run -------------------------------------------------------------------------------

class SoakProgress(Progress):
    """A line on stderr for every failure and timeout, and a tally every minute."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.counts: Counter[str] = Counter()
        self.started = self.last = time.monotonic()

    def advance(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status in ("failed", "timeout"):
            print(f"soak: {outcome.status}: {outcome.error}", file=sys.stderr, flush=True)
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            seen = sum(self.counts.values())
            tally = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
            print(f"soak: {seen}/{self.total} articles, {seen / (now - self.started):.1f}/s "
                  f"({tally})", file=sys.stderr, flush=True)


def analyse(docs: Sequence[Document], *, config: Settings, processes: int,
            progress: Progress) -> tuple[list[Outcome], list[str]]:
    """One outcome per document, and the tracebacks of exceptions that escaped the runner.
    After an escape the document in hand is recorded as failed and a fresh runner goes on
    with the next, at most ``MAX_RESTARTS`` times; documents after that get no outcome."""
    outcomes: list[Outcome] = []
    escaped: list[str] = []
    while len(outcomes) < len(docs) and len(escaped) <= MAX_RESTARTS:
        rest = docs[len(outcomes):]
        try:
            with BatchRunner(config, processes=processes) as runner:
                jobs = (Job(source=d.source, data=d.data, fmt="text") for d in rest)
                for outcome in runner.run(jobs, progress=progress):
                    # the analysis is dropped: held for ~21,000 articles it would be
                    # the parent's memory, not the runner's
                    outcomes.append(replace(outcome, analysis=None))
        except Exception as exc:  # the soak reports what escapes the runner, then goes on
            escaped.append(traceback.format_exc())
            print(f"soak: an exception escaped the runner: {type(exc).__name__}: {exc}",
                  file=sys.stderr, flush=True)
            if len(outcomes) < len(docs):
                source = docs[len(outcomes)].source
                outcomes.append(Outcome(source, "failed", stage="runner", error=(
                    f"{source}: escaped the runner ({type(exc).__name__}: {exc})")))
    return outcomes, escaped


def reason_class(outcome: Outcome) -> str:
    """The outcome's one-line reason without its source, numbers as N."""
    reason = outcome.error or "(no reason given)"
    if reason.startswith(f"{outcome.source}: "):
        reason = reason[len(outcome.source) + 2:]
    return _NUMBER.sub("N", reason.replace(outcome.source, "<source>"))


def by_reason(outcomes: Sequence[Outcome], status: str) -> list[dict[str, Any]]:
    groups: dict[str, list[str]] = {}
    for o in outcomes:
        if o.status == status:
            groups.setdefault(reason_class(o), []).append(o.source)
    return [{"reason": reason, "count": len(sources),
             "examples": sources[:EXAMPLES_PER_REASON]}
            for reason, sources in sorted(groups.items(), key=lambda kv: -len(kv[1]))]


def mib(kib: int) -> float:
    return round(kib / 1024, 1)


@dataclass
class Soak:
    """Everything the run found; ``as_dict`` is the JSON report."""

    settings: dict[str, Any]
    available: dict[str, int]
    docs: list[Document]
    outcomes: list[Outcome]
    escaped: list[str]
    tracebacks: int
    traceback_excerpts: list[list[str]]
    memory: dict[str, Any]
    wall: float
    load_seconds: float
    per_corpus: dict[str, Counter[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        counts = Counter(o.status for o in self.outcomes)
        words = {d.source: d.words for d in self.docs}
        slowest = sorted(self.outcomes, key=lambda o: -o.seconds)[:SLOWEST]
        return {
            "settings": self.settings,
            "documents_available": self.available,
            "analysed": len(self.outcomes),
            "not_analysed": len(self.docs) - len(self.outcomes),
            "status": {s: counts[s] for s in ("done", "skipped", "refused", "failed",
                                              "timeout")},
            "by_corpus": {name: dict(c) for name, c in self.per_corpus.items()},
            "refused": by_reason(self.outcomes, "refused"),
            "failed": by_reason(self.outcomes, "failed"),
            "timeouts": [{"source": o.source, "stage": o.stage, "seconds": round(o.seconds, 2)}
                         for o in self.outcomes if o.status == "timeout"],
            "tracebacks": {"stderr": self.tracebacks, "escaped": len(self.escaped),
                           "total": self.tracebacks + len(self.escaped),
                           "stderr_excerpts": self.traceback_excerpts,
                           "escaped_tracebacks": self.escaped},
            "memory": self.memory,
            "wall_seconds": round(self.wall, 1),
            "load_documents_seconds": round(self.load_seconds, 1),
            "articles_per_second": round(len(self.outcomes) / self.wall, 2) if self.wall else 0,
            "article_seconds_sum": round(sum(o.seconds for o in self.outcomes), 1),
            "slowest": [{"source": o.source, "status": o.status, "seconds": round(o.seconds, 2),
                         "words": words.get(o.source, 0)} for o in slowest],
            "problems": [{"source": o.source, "status": o.status, "stage": o.stage,
                          "error": o.error, "seconds": round(o.seconds, 2)}
                         for o in self.outcomes if not o.ok],
        }


def run_soak(args: argparse.Namespace) -> Soak:
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    unknown = sorted(set(corpora) - set(CORPORA))
    if unknown:
        raise SystemExit(f"soak: unknown corpora {unknown}; choose from {', '.join(CORPORA)}")
    started = time.monotonic()
    loaded = load_documents(args.devdata, corpora)
    every = [d for docs in loaded.values() for d in docs]
    docs = every_kth(every, args.sample)
    corpus_of = {d.source: name for name, ds in loaded.items() for d in ds}
    load_seconds = time.monotonic() - started
    config = load_config({"batch": {"timeout": args.timeout}} if args.timeout is not None
                         else None)
    print(f"soak: {len(docs)} of {len(every)} documents, {args.processes} worker processes, "
          f"budget {config.batch.timeout:g} s", file=sys.stderr, flush=True)

    sampler = MemorySampler()
    sampler.start()
    started = time.monotonic()
    with StderrTee() as tee:
        outcomes, escaped = analyse(docs, config=config, processes=args.processes,
                                    progress=SoakProgress(len(docs)))
        wall = time.monotonic() - started
    sampler.stop()

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, largest child
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    minutes = [mib(v) for _, v in sorted(sampler.by_minute.items())]
    memory = {"parent_peak_mib": mib(parent),
              "worker_peak_mib": mib(max([children, *sampler.worker_peak_kib.values()])),
              "parent_and_workers_peak_mib": mib(sampler.total_peak_kib),
              "worker_processes_started": len(sampler.worker_peak_kib),
              "workers_rss_by_minute_mib": minutes}
    per_corpus: dict[str, Counter[str]] = {}
    for o in outcomes:
        per_corpus.setdefault(corpus_of.get(o.source, "?"), Counter())[o.status] += 1
    settings = {"devdata": str(args.devdata), "corpora": corpora, "sample": args.sample,
                "processes": args.processes, "timeout": config.batch.timeout,
                "kill_grace": config.batch.kill_grace}
    return Soak(settings, {k: len(v) for k, v in loaded.items()}, docs, outcomes, escaped,
                tee.count, tee.excerpts, memory, wall, load_seconds, per_corpus)


def print_report(report: dict[str, Any]) -> None:
    status, memory, tb = report["status"], report["memory"], report["tracebacks"]
    print(f"soak: {report['analysed']} articles analysed ({report['settings']['processes']} "
          f"workers, budget {report['settings']['timeout']} s)")
    print(f"  done {status['done']}, refused {status['refused']}, failed {status['failed']}, "
          f"timed out {status['timeout']}" + (f", skipped {status['skipped']}"
                                              if status["skipped"] else ""))
    for kind in ("refused", "failed"):
        for group in report[kind]:
            print(f"  {kind} {group['count']:>5}: {group['reason']}  "
                  f"(e.g. {group['examples'][0]})")
    for t in report["timeouts"]:
        print(f"  timeout: {t['source']} in stage '{t['stage']}'")
    print(f"  tracebacks: {tb['total']} ({tb['stderr']} on stderr, {tb['escaped']} escaped "
          "the runner)")
    if report["not_analysed"]:
        print(f"  not analysed after repeated escapes: {report['not_analysed']}")
    print(f"  peak memory: parent {memory['parent_peak_mib']} MiB, largest worker "
          f"{memory['worker_peak_mib']} MiB, parent + workers "
          f"{memory['parent_and_workers_peak_mib']} MiB "
          f"({memory['worker_processes_started']} worker processes started)")
    print(f"  wall time {report['wall_seconds']} s, {report['articles_per_second']} articles/s "
          f"(documents read in {report['load_documents_seconds']} s)")
    print("  slowest:")
    for s in report["slowest"]:
        print(f"    {s['seconds']:7.2f} s  {s['status']:<7} {s['source']} ({s['words']} words)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--devdata", type=Path, default=DEVDATA,
                    help="the shared dev data folder (default: ../shared/devdata)")
    ap.add_argument("--corpora", default=",".join(CORPORA),
                    help=f"comma-separated, from {','.join(CORPORA)} (default: all)")
    ap.add_argument("--sample", type=int, default=None,
                    help="analyse N documents, every k-th of them (default: all)")
    ap.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per article (default: the config's [batch] timeout)")
    ap.add_argument("--json", type=Path, default=None, help="write the full report here")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.devdata.is_dir():
        print(f"soak: no dev data at {args.devdata}", file=sys.stderr)
        return 2
    report = run_soak(args).as_dict()
    print_report(report)
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    return 1 if report["tracebacks"]["total"] else 0


if __name__ == "__main__":
    sys.exit(main())
