#!/usr/bin/env python3
"""Measure the persuasion stage on its own (the parse is made once, then only the stage runs).

    python scripts/persuasion_eval.py                 # our labelled texts, examples/persuasion
    python scripts/persuasion_eval.py --reuters 1000  # false alarms on neutral wire news

The first prints span-level precision, recall and F1 on ``examples/persuasion/*.labels.json``
with partial-overlap credit as in SemEval-2020 Task 11. ``--reuters N`` runs the stage over N
Reuters-21578 bodies (``../shared/devdata/reuters21578``, read at run time, never stored) and
prints techniques per 1,000 words and the most frequent highlighted wordings: neutral news
should give at most about one per 1,000 words. For the PTC figures run ``presslens analyze``
on the PTC articles and score with ``../shared/eval/ptc_score.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from presslens.config import load_config
from presslens.evaluation import span_overlap_credit
from presslens.nlp import load_model
from presslens.stages.persuasion.stage import find_techniques

ROOT = Path(__file__).resolve().parent.parent


def labelled_texts() -> None:
    config = load_config()
    nlp = load_model(config.nlp.model, config.nlp.model_version)
    p_credit = r_credit = 0.0
    n_pred = n_gold = 0
    for labels in sorted((ROOT / "examples" / "persuasion").glob("*.labels.json")):
        text = labels.with_name(labels.name.replace(".labels.json", ".txt")).read_text("utf-8")
        gold = [(g["start"], g["end"], g["technique"]) for g in json.loads(labels.read_text())]
        pred = [(t.start, t.end, t.technique)
                for t in find_techniques(nlp(text), text, config.persuasion)]
        pc, rc = span_overlap_credit(pred, gold)
        print(f"{labels.name:42} predicted {len(pred):3}  gold {len(gold):3}")
        p_credit, r_credit, n_pred, n_gold = (p_credit + pc, r_credit + rc, n_pred + len(pred),
                                              n_gold + len(gold))
    p = p_credit / n_pred if n_pred else 0.0
    r = r_credit / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"precision {p:.2f}  recall {r:.2f}  F1 {f:.2f}")


def reuters(n: int, top: int) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from benchmark import articles

    config = load_config()
    nlp = load_model(config.nlp.model, config.nlp.model_version)
    texts = articles(n, 20)
    words = sum(len(t.split()) for t in texts)
    found = [t for doc, text in zip(nlp.pipe(texts, batch_size=16), texts)
             for t in find_techniques(doc, text, config.persuasion)]
    print(f"{len(texts)} articles, {words} words, {len(found)} techniques: "
          f"{1000 * len(found) / max(1, words):.2f} per 1,000 words")
    print(Counter(t.technique for t in found).most_common())
    for (technique, wording), k in Counter(
            (t.technique, t.text.lower()[:50]) for t in found).most_common(top):
        print(f"{k:4}  {technique:28} {wording}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reuters", type=int, default=0, metavar="N",
                    help="false alarms on N Reuters-21578 bodies instead")
    ap.add_argument("--top", type=int, default=15, help="wordings to list with --reuters")
    args = ap.parse_args()
    if args.reuters:
        reuters(args.reuters, args.top)
    else:
        labelled_texts()


if __name__ == "__main__":
    main()
