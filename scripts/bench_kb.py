#!/usr/bin/env python3
"""Benchmark the SQLite knowledge base: import speed and look-up latency at N entities.

    python scripts/bench_kb.py --entities 1000000

Synthetic entities get pronounceable random names (given name + surname from random
syllables) so the phonetic index sees realistic key distributions; the real packaged
entries are added too, and the queries are garbled spellings of real entries (l/r swaps,
voicing changes, dropped endings) plus exact names. Prints entities/s for the import and
the median and 95th-percentile latency of exact and fuzzy look-ups.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from presslens.kb.bases import KBEntry, KnowledgeBase
from presslens.kb.importers import packaged_entries

SYLLABLES = ["ka", "ri", "mo", "ze", "lu", "po", "da", "vi", "sha", "ne", "to", "gor", "len",
             "ski", "ov", "ev", "in", "ya", "ko", "ba", "ra", "mi", "chen", "wang", "li", "ha",
             "sa", "nu", "dri", "kov", "ro", "ma", "tz", "el", "an", "ur", "bek", "iy"]


def random_name(rng: random.Random) -> str:
    def word(n: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()
    return f"{word(rng.randint(1, 2))} {word(rng.randint(2, 4))}"


def garble(name: str, rng: random.Random) -> str:
    swaps = [("l", "r"), ("r", "l"), ("d", "t"), ("b", "p"), ("k", "g"), ("y", "i"), ("e", "i")]
    out = name
    for a, b in rng.sample(swaps, 2):
        out = out.replace(a, b, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=500)
    args = ap.parse_args()
    rng = random.Random(7)
    real = list(packaged_entries())
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Path(tmp) / "bench.sqlite")
        synthetic = (KBEntry(id=f"syn:{i}", name=random_name(rng), type="PERSON",
                             kind="politician", country="Nowhere")
                     for i in range(max(0, args.entities - len(real))))
        t0 = time.perf_counter()
        kb.add(real)
        n = len(real) + kb.add(synthetic)
        took = time.perf_counter() - t0
        size = (Path(tmp) / "bench.sqlite").stat().st_size
        print(f"import: {n:,} entities in {took:.1f} s ({n / took:,.0f} entities/s), "
              f"{size / 2**20:,.0f} MiB")
        people = [e for e in real if e.type == "PERSON"]
        exact_q = [rng.choice(people).name for _ in range(args.queries)]
        fuzzy_q = [garble(rng.choice(people).name.split()[-1], rng) for _ in range(args.queries)]
        for label, queries, fn in (
                ("exact", exact_q, lambda q: kb.exact(q)),
                ("fuzzy", fuzzy_q, lambda q: kb.search(q, types=["PERSON"], limit=5))):
            times = []
            for q in queries:
                t = time.perf_counter()
                fn(q)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(f"{label} look-up: median {statistics.median(times):.2f} ms, "
                  f"p95 {times[int(0.95 * len(times))]:.2f} ms over {len(times)} queries")
        kb.close()


if __name__ == "__main__":
    main()
