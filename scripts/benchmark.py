#!/usr/bin/env python3
"""Throughput and memory of presslens against spaCy's small pipeline alone, in one run.

    python scripts/benchmark.py --articles 60

Analyses N articles (the example articles, repeated) with the full presslens pipeline,
ingests them into a fresh SQLite corpus, and runs spaCy's small English pipeline alone over
the same texts; reports articles/s, words/s,
the ratio of the two, peak memory (ru_maxrss of each run in its own process) and where the
time goes per stage. Not a test: numbers depend on the machine; ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts(n: int) -> list[str]:
    pool = [p.read_text("utf-8") for p in sorted((ROOT / "examples").rglob("*.txt"))]
    return [pool[i % len(pool)] for i in range(n)]


def run(kind: str, n: int) -> dict[str, object]:
    docs = texts(n)
    words = sum(len(t.split()) for t in docs)
    started = time.perf_counter()
    if kind == "spacy":
        from presslens.nlp import load_model

        nlp = load_model()
        load = time.perf_counter() - started
        started = time.perf_counter()
        for _ in nlp.pipe(docs, batch_size=4):
            pass
        stages: dict[str, float] = {}
    elif kind == "ingest":
        import tempfile

        from presslens.config import load_config
        from presslens.runner import BatchRunner, Job
        from presslens.store import Corpus
        from presslens.store.batch import ingest_jobs

        tmp = Path(tempfile.mkdtemp())
        corpus = Corpus(f"sqlite:///{tmp / 'bench.db'}")
        runner = BatchRunner(load_config(), skip=corpus.has)
        list(runner.run([Job("warm-up", data=docs[0].encode())]))  # warm the KB and lexicons
        jobs = []
        for i, t in enumerate(docs):  # distinct texts, so nothing is skipped as stored
            p = tmp / f"a{i}.txt"
            p.write_text(f"{t}\n\nArticle {i}.\n", "utf-8")
            jobs.append(Job.from_path(p))
        load = time.perf_counter() - started
        started = time.perf_counter()
        ingest_jobs(jobs, corpus, runner)
        stages = {}
    else:
        from presslens import Pipeline

        pipeline = Pipeline.from_config()
        list(pipeline.analyze_many(docs[:1]))  # warm the KB and lexicons
        pipeline.seconds.clear()
        load = time.perf_counter() - started
        started = time.perf_counter()
        for _ in pipeline.analyze_many(docs):
            pass
        stages = dict(pipeline.seconds)
    took = time.perf_counter() - started
    return {"kind": kind, "articles": n, "words": words, "seconds": took, "load": load,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "stages": stages}


def measure(kind: str, n: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--articles", str(n)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args.articles)))
        return
    for n in (args.articles, args.articles * 10):
        base, ours, stored = measure("spacy", n), measure("presslens", n), measure("ingest", n)
        for r in (base, ours, stored):
            print(f"{r['kind']:>9} N={n}: {r['articles'] / r['seconds']:6.1f} articles/s, "
                  f"{r['words'] / r['seconds']:7.0f} words/s, peak {r['peak_mib']:.0f} MiB")
        ratio = (ours["articles"] / ours["seconds"]) / (base["articles"] / base["seconds"])
        print(f"presslens / spaCy throughput ratio at N={n}: {ratio:.2f}")
        ingest_ratio = (stored["articles"] / stored["seconds"]) / (base["articles"] /
                                                                   base["seconds"])
        print(f"ingest (analyse + store) / spaCy throughput ratio at N={n}: "
              f"{ingest_ratio:.2f}")
        stages = ours["stages"]
        total = sum(stages.values()) or 1.0
        print("  time by stage: " + ", ".join(f"{k} {v / total:.0%}" for k, v in
                                                  sorted(stages.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
