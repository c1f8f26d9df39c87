#!/usr/bin/env python3
"""Span-level precision, recall and F1 of the persuasion stage on our labelled texts
(examples/persuasion/*.labels.json), with partial-overlap credit as in SemEval-2020 Task 11."""

from __future__ import annotations

import json
from pathlib import Path

from presslens.config import load_config
from presslens.evaluation import span_overlap_credit
from presslens.stages.persuasion import find_techniques

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    min_conf = load_config().persuasion.min_confidence
    p_credit = r_credit = 0.0
    n_pred = n_gold = 0
    for labels in sorted((ROOT / "examples" / "persuasion").glob("*.labels.json")):
        text = labels.with_name(labels.name.replace(".labels.json", ".txt")).read_text("utf-8")
        gold = [(g["start"], g["end"], g["technique"]) for g in json.loads(labels.read_text())]
        pred = [(t.start, t.end, t.technique)
                for t in find_techniques(text, min_confidence=min_conf)]
        pc, rc = span_overlap_credit(pred, gold)
        print(f"{labels.name:42} predicted {len(pred):3}  gold {len(gold):3}")
        p_credit, r_credit, n_pred, n_gold = (p_credit + pc, r_credit + rc, n_pred + len(pred),
                                              n_gold + len(gold))
    p = p_credit / n_pred if n_pred else 0.0
    r = r_credit / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"precision {p:.2f}  recall {r:.2f}  F1 {f:.2f}")


if __name__ == "__main__":
    main()
