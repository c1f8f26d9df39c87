#!/usr/bin/env python3
"""Throughput and memory of presslens against spaCy's small pipeline alone, in one run.

    python scripts/benchmark.py                       # 300 Reuters-21578 articles, 3 pairs
    python scripts/benchmark.py --pairs 5 --articles 300 --memory 10
    python scripts/benchmark.py --profile 40          # cProfile of one presslens run, top 40

The baseline is spaCy's small English pipeline alone (the model presslens loads, all its
components, ``nlp.pipe`` over the same texts); the other run is the whole presslens analysis
(``Pipeline.analyze_many``: reading each text, the parse and every stage). Each run is its
own process, and the two alternate (A B A B ...) so that whatever else the machine does
weighs on both alike; the ratio reported is the median of the per-pair ratios, with its
range. Model and knowledge-base loading, and one warm-up article, are outside the timed
part. ``--memory K`` also runs both at K times the articles (the texts repeated, each with a
distinct last line), to show that peak memory does not grow with the number of articles.

The articles are the ``<BODY>`` texts of ``../shared/devdata/reuters21578`` with at least
``--min-words`` words, every k-th in file order so that ``--articles`` are taken, read at run
time and never stored in the repository. Not a test: the numbers depend on the machine; the
ratios are what to compare.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "devdata" / "reuters21578"
WARM_UP = "Reuters said on Monday that the minister, John Smith, met officials in Paris.\n"

_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)


def articles(n: int, min_words: int, repeat: int = 1) -> list[str]:
    """``n`` Reuters bodies spread over the collection, then the list ``repeat`` times over,
    each copy with a distinct last line."""
    bodies = []
    for path in sorted(REUTERS.glob("reut2-*.sgm")):
        for raw in _BODY.findall(path.read_text("latin-1")):
            text = html.unescape(raw).replace("\x03", "").strip()
            if len(text.split()) >= min_words:
                bodies.append(text)
    step = max(1, len(bodies) // n)
    chosen = bodies[::step][:n]
    if repeat == 1:
        return chosen
    return [f"{t}\n\nCopy {k}.\n" for k in range(repeat) for t in chosen]


def run(kind: str, texts: list[str], profile: int = 0) -> dict[str, object]:
    """Time one kind of run over ``texts`` in this process (a child of ``main``)."""
    started = time.perf_counter()
    stages: dict[str, float] = {}
    if kind == "spacy":
        from presslens.config import load_config
        from presslens.nlp import load_model

        settings = load_config().nlp
        nlp = load_model(settings.model, settings.model_version)
        list(nlp.pipe([WARM_UP]))

        def work() -> None:
            for _ in nlp.pipe(texts):
                pass
    elif kind == "runner":
        from presslens.config import load_config
        from presslens.runners.batch import BatchRunner, Job

        runner = BatchRunner(load_config())
        list(runner.run([Job("warm-up", data=WARM_UP.encode())]))
        jobs = [Job(f"a{i}", data=t.encode()) for i, t in enumerate(texts)]

        def work() -> None:
            for outcome in runner.run(jobs):
                assert outcome.status == "done", outcome
    else:
        from presslens import Pipeline

        pipeline = Pipeline.from_config()
        pipeline.warm_up()
        pipeline.seconds.clear()

        def work() -> None:
            for _ in pipeline.analyze_many(texts):
                pass
    load = time.perf_counter() - started
    started = time.perf_counter()
    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(work)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        print(out.getvalue(), file=sys.stderr)
    else:
        work()
    took = time.perf_counter() - started
    if kind == "presslens":
        stages = dict(pipeline.seconds)
    return {"kind": kind, "articles": len(texts), "words": sum(len(t.split()) for t in texts),
            "seconds": took, "load": load, "stages": stages,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(kind: str, args: argparse.Namespace, repeat: int = 1) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", kind, "--articles", str(args.articles),
               "--min-words", str(args.min_words), "--repeat", str(repeat)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def rate(result: dict[str, object]) -> float:
    return float(result["articles"]) / float(result["seconds"])  # type: ignore[arg-type]


def stage_table(runs: list[dict[str, object]]) -> list[str]:
    """Median seconds per stage over the presslens runs, with shares and ms per article."""
    names = list(runs[0]["stages"])  # type: ignore[call-overload]
    total = {n: statistics.median(r["stages"][n] for r in runs)  # type: ignore[index]
             for n in names}
    whole = sum(total.values()) or 1.0
    count = int(runs[0]["articles"])  # type: ignore[call-overload]
    lines = [f"  {'stage':<12} {'seconds':>8} {'share':>6} {'ms/article':>11}"]
    for name, seconds in sorted(total.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {name:<12} {seconds:8.2f} {seconds / whole:6.1%} "
                     f"{1000 * seconds / count:11.2f}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--pairs", type=int, default=3, help="spaCy/presslens pairs (A B A B)")
    ap.add_argument("--min-words", type=int, default=50)
    ap.add_argument("--memory", type=int, default=0, metavar="K",
                    help="also run both at K times the articles, for peak memory")
    ap.add_argument("--runner", action="store_true",
                    help="also time the batch runner (the path of `presslens analyze` and "
                         "`ingest`: article by article, each within its time budget)")
    ap.add_argument("--profile", type=int, default=0, metavar="LINES",
                    help="instead: cProfile one presslens run, print the top LINES")
    ap.add_argument("--child")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    if args.child:
        texts = articles(args.articles, args.min_words, args.repeat)
        print(json.dumps(run(args.child, texts, args.profile)))
        return
    if args.profile:
        texts = articles(args.articles, args.min_words)
        print(json.dumps(run("presslens", texts, args.profile)["stages"], indent=1))
        return
    ratios, ours, runner_ratios = [], [], []
    for pair in range(1, args.pairs + 1):
        base, mine = measure("spacy", args), measure("presslens", args)
        ours.append(mine)
        ratios.append(rate(mine) / rate(base))
        if args.runner:
            runner_ratios.append(rate(measure("runner", args)) / rate(base))
        words = int(base["words"])  # type: ignore[call-overload]
        print(f"pair {pair}: spaCy {rate(base):5.2f} articles/s "
              f"({words / float(base['seconds']):5.0f} words/s, "  # type: ignore[arg-type]
              f"peak {base['peak_mib']:.0f} MiB); presslens {rate(mine):5.2f} articles/s "
              f"({words / float(mine['seconds']):5.0f} words/s, "  # type: ignore[arg-type]
              f"peak {mine['peak_mib']:.0f} MiB); ratio {ratios[-1]:.2f}", flush=True)
    print(f"presslens / spaCy throughput on {args.articles} articles: median "
          f"{statistics.median(ratios):.2f} (range {min(ratios):.2f} to {max(ratios):.2f}, "
          f"{args.pairs} pairs)")
    if runner_ratios:
        print(f"batch runner / spaCy throughput: median {statistics.median(runner_ratios):.2f} "
              f"(range {min(runner_ratios):.2f} to {max(runner_ratios):.2f})")
    print("presslens time by stage (median over its runs):")
    print("\n".join(stage_table(ours)))
    if args.memory:
        big_base = measure("spacy", args, args.memory)
        big_ours = measure("presslens", args, args.memory)
        print(f"peak memory at N={args.articles} -> N={args.articles * args.memory}: "
              f"spaCy {base['peak_mib']:.0f} -> {big_base['peak_mib']:.0f} MiB; "
              f"presslens {statistics.median(float(r['peak_mib']) for r in ours):.0f} -> "  # type: ignore[arg-type]
              f"{big_ours['peak_mib']:.0f} MiB; throughput ratio at {args.memory}N "
              f"{rate(big_ours) / rate(big_base):.2f}")


if __name__ == "__main__":
    main()
