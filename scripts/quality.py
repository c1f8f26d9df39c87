#!/usr/bin/env python3
"""Score presslens on the shared gold and on our own examples; optionally pin the baseline.

    python scripts/quality.py            # print the scores
    python scripts/quality.py --pin      # raise tests/quality_baseline.json to today's scores
    python scripts/quality.py --pin --allow-lower   # also lower it (say why in the commit)

The baseline only moves up unless --allow-lower is given: a quality drop cannot slip in.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from presslens import Pipeline
from presslens.evaluation import gold_articles, polnear_scores, score, write_analyses

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BASELINE = ROOT / "tests" / "quality_baseline.json"
SETS = {
    "shared": (SHARED / "gold", SHARED / "corpus"),
    "examples": (ROOT / "examples" / "gold", ROOT / "examples" / "articles"),
    "news": (ROOT / "examples" / "news" / "gold", ROOT / "examples" / "news" / "articles"),
    # harder garbled translations (Chinese, Russian, Arabic, Persian, Turkish), written later
    "garbled": (ROOT / "examples" / "garbled" / "gold", ROOT / "examples" / "garbled" / "articles"),
}
SCORER = SHARED / "eval" / "score.py"
# real news with attributions annotated by others (only measured: see devdata/README.md)
POLNEAR_DEV = SHARED / "devdata" / "polnear" / "dev"
POLNEAR_SCORER = SHARED / "eval" / "polnear_score.py"


def measure(pipeline: Pipeline) -> dict[str, dict[str, float]]:
    out = {}
    for name, (gold, corpus) in SETS.items():
        with tempfile.TemporaryDirectory() as tmp:
            write_analyses(pipeline, gold_articles(gold, corpus), Path(tmp))
            out[name] = score(SCORER, gold, Path(tmp))["mean"]
    with tempfile.TemporaryDirectory() as tmp:
        write_analyses(pipeline, sorted((POLNEAR_DEV / "text").glob("*.txt")), Path(tmp))
        out["polnear_dev"] = polnear_scores(POLNEAR_SCORER, POLNEAR_DEV, Path(tmp))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pin", action="store_true")
    ap.add_argument("--allow-lower", action="store_true")
    args = ap.parse_args()
    now = measure(Pipeline.from_config())
    print(json.dumps(now, indent=2))
    if not args.pin:
        return 0
    old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    new: dict[str, dict[str, float]] = {}
    for name, metrics in now.items():
        new[name] = {}
        for key, value in metrics.items():
            pinned = old.get(name, {}).get(key)
            value = round(value - 0.005, 2)  # a margin for rounding, never for regressions
            if pinned is not None and value < pinned and not args.allow_lower:
                print(f"{name}.{key}: {value} is below the pinned {pinned}; keeping {pinned}",
                      file=sys.stderr)
                value = pinned
            new[name][key] = value
    BASELINE.write_text(json.dumps(new, indent=2) + "\n")
    print(f"pinned {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
