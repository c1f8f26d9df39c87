#!/usr/bin/env python3
"""How often presslens's attributions are right, by construction and by confidence band,
measured on a PolNeAR split with the shared scorer's matching rules.

    presslens analyze ../shared/devdata/polnear/dev/text --out OUT -q
    python scripts/attribution_calibration.py ../shared/devdata/polnear/dev OUT

An attribution is right when its content matches a gold attribution (overlap of at least
half the shorter span) and, where the gold one names a source, its speaker is that source
(as ``polnear_score.py`` counts speaker accuracy). ``--by construction`` gives the table
``data/attribution_confidence.tsv`` is set from (measure it on training articles, not on
the split you report); ``--by band`` shows whether the confidences mean what they say.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "polnear_score.py"


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("polnear_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judged(scorer: ModuleType, split: Path, pred_dir: Path) -> list[tuple[dict, bool]]:
    """Every predicted attribution with whether it is right."""
    out = []
    for stem, (txt, gold) in scorer.load_split(split).items():
        pred = scorer.load_pred(pred_dir, stem) or {}
        text = txt.read_text()
        ents = {str(e["id"]): e for e in pred.get("entities", [])}
        for att in pred.get("attributions", []):
            right = False
            for content, source in gold:
                if not scorer._matches(att, content):
                    continue
                if source is None:
                    right = True
                    break
                spans = scorer._speaker_spans(att, ents)
                said = att.get("speaker_text")
                if any(scorer.overlap(s, source) > 0 for s in spans) or (
                        said and scorer.fold(said) == scorer.fold(text[source[0]:source[1]])):
                    right = True
                    break
            out.append((att, right))
    return out


def band(confidence: float | None) -> str:
    if confidence is None:
        return "none"
    low = min(int(confidence * 10), 9) / 10
    return f"{low:.1f}-{low + 0.1:.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", type=Path, help="PolNeAR split folder (text/, attributions/)")
    ap.add_argument("pred_dir", type=Path, help="presslens analyses of the split's texts")
    ap.add_argument("--by", choices=("band", "construction"), default="band")
    ap.add_argument("--scorer", type=Path, default=SCORER)
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for att, right in judged(scorer, args.split, args.pred_dir):
        key = band(att.get("confidence")) if args.by == "band" else \
            str(att.get("construction"))
        counts[key][0] += right
        counts[key][1] += 1
    print(f"{args.by:<24} {'right':>6} {'all':>6} {'precision':>9}")
    order = sorted(counts) if args.by == "band" else sorted(counts, key=lambda k: -counts[k][1])
    for key in order:
        right, total = counts[key]
        print(f"{key:<24} {right:>6} {total:>6} {right / total:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
