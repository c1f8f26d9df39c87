#!/usr/bin/env python3
"""Time, memory and JSON size of presslens on big articles against a normal one.

    python scripts/big_inputs.py                 # normal (~5 KB), 1 MB and 7 MB, once each
    python scripts/big_inputs.py --repeats 3     # interleaved (A B C A B C ...), medians
    python scripts/big_inputs.py --sizes 1       # only the normal article and the 1 MB one
    python scripts/big_inputs.py --profile 1     # cProfile of one 1 MB analysis, top 30

The articles are built at run time, in a temporary folder that is never part of the
repository, by concatenating Reuters-21578 ``<BODY>`` texts (``../shared/devdata``) in file
order: HTML entities unescaped, one blank line between paragraphs and between stories.
Each analysis runs in its own process (``os.wait4`` gives that process' peak RSS), so the
model load and one warm-up article are outside the timed part. Reported per input: seconds,
words, seconds per word relative to the normal article, peak RSS and JSON size (bytes and
bytes per input byte). Not a test: numbers depend on the machine; ratios are what to compare.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "devdata" / "reuters21578"
NORMAL_BYTES = 5_000
MAX_BYTES = 20_000_000  # above the 7 MB article, so ingest does not refuse it
WARM_UP = "Reuters said on Monday that the minister, John Smith, met officials in Paris.\n"

_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
# A new paragraph: a line opening with "&\\t" (literally, in this copy), a tab or an indent.
_PARAGRAPH = re.compile(r"\n(?:&\\t|\t| {3,})")


def reuters_bodies() -> list[str]:
    """Every ``<BODY>`` text in file order, unescaped, paragraphs joined by a blank line."""
    bodies = []
    for path in sorted(REUTERS.glob("*.sgm")):
        for raw in _BODY.findall(path.read_text("latin-1")):
            raw = html.unescape(raw).replace("\x03", "")
            raw = re.sub(r"\s*Reuter\s*$", "", raw.strip())
            paragraphs = [" ".join(p.split()) for p in _PARAGRAPH.split(raw)]
            text = "\n\n".join(p for p in paragraphs if p)
            if len(text.split()) >= 80:
                bodies.append(text)
    return bodies


def build_article(bodies: list[str], size: int) -> str:
    """Whole stories in file order until the text reaches ``size`` bytes (UTF-8)."""
    parts: list[str] = []
    total = 0
    for i in range(len(bodies) * (size // 1_000_000 + 1)):
        body = bodies[i % len(bodies)]
        parts.append(body)
        total += len(body.encode("utf-8")) + 2
        if total >= size:
            break
    return "\n\n".join(parts) + "\n"


def build_inputs(folder: Path, sizes_mb: list[int]) -> dict[str, Path]:
    bodies = reuters_bodies()
    wanted = {"normal": NORMAL_BYTES} | {f"{mb}MB": mb * 1_000_000 for mb in sizes_mb}
    paths = {}
    for name, size in wanted.items():
        path = folder / f"{name}.txt"
        path.write_text(build_article(bodies, size), "utf-8")
        paths[name] = path
    return paths


def child(path: Path, runs: int, profile: bool) -> None:
    """Analyse one file (``runs`` times, after a warm-up) and print one JSON line."""
    from presslens.pipeline import Pipeline

    text = path.read_text("utf-8")
    pipeline = Pipeline.from_config({"ingest": {"max_bytes": MAX_BYTES}})
    pipeline.analyze(WARM_UP).to_json()  # loads the KB and lexicons outside the timing
    pipeline.seconds.clear()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        pipeline.analyze(text).to_json()
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
        return
    times = []
    json_bytes = 0
    for _ in range(runs):
        started = time.perf_counter()
        out = pipeline.analyze(text).to_json()
        times.append(time.perf_counter() - started)
        json_bytes = len(out.encode("utf-8"))
        del out
    stages = {k: round(v / runs, 3) for k, v in pipeline.seconds.items()}
    print(json.dumps({"seconds": statistics.median(times), "words": len(text.split()),
                      "input_bytes": len(text.encode("utf-8")), "json_bytes": json_bytes,
                      "stages": stages}))


def measure(path: Path, runs: int) -> dict[str, object]:
    """Run the child on one file in its own process; its peak RSS comes from ``wait4``."""
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(path),
                                 "--runs", str(runs)], stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"analysing {path.name} failed (exit {proc.returncode})")
        out.seek(0)
        result: dict[str, object] = json.loads(out.read().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,7", help="big article sizes in MB, comma-separated")
    parser.add_argument("--repeats", type=int, default=1, help="interleaved runs per input")
    parser.add_argument("--normal-runs", type=int, default=5,
                        help="analyses of the normal article per process (median taken)")
    parser.add_argument("--profile", type=int, metavar="MB", help="cProfile one analysis")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs, profile=False)
        return
    with tempfile.TemporaryDirectory(prefix="presslens-big-") as tmp:
        if args.profile:
            paths = build_inputs(Path(tmp), [args.profile])
            child(paths[f"{args.profile}MB"], 1, profile=True)
            return
        sizes = [int(s) for s in args.sizes.split(",") if s]
        paths = build_inputs(Path(tmp), sizes)
        results: dict[str, list[dict[str, object]]] = {name: [] for name in paths}
        for _ in range(args.repeats):
            for name, path in paths.items():
                runs = args.normal_runs if name == "normal" else 1
                results[name].append(measure(path, runs))
                print(f"  {name}: {results[name][-1]}", file=sys.stderr, flush=True)
    report(results)


def report(results: dict[str, list[dict[str, object]]]) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(float(str(r[key])) for r in results[name])

    base = median("normal", "seconds") / median("normal", "words")
    print(f"{'input':>7} {'bytes':>10} {'words':>9} {'seconds':>9} {'s/word vs normal':>17} "
          f"{'peak MB':>8} {'JSON bytes':>12} {'JSON/input':>11}")
    for name in results:
        seconds, words = median(name, "seconds"), median(name, "words")
        in_bytes, out_bytes = median(name, "input_bytes"), median(name, "json_bytes")
        print(f"{name:>7} {in_bytes:>10.0f} {words:>9.0f} {seconds:>9.2f} "
              f"{seconds / words / base:>16.2f}x {median(name, 'peak_mb'):>8.0f} "
              f"{out_bytes:>12.0f} {out_bytes / in_bytes:>10.2f}x")


if __name__ == "__main__":
    main()
