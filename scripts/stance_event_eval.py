#!/usr/bin/env python3
"""Precision and recall of the stances and events stages on our own labelled sentences
(tests/data/stance_examples.jsonl, tests/data/event_examples.jsonl).

A predicted stance is right when its holder, issue and polarity match a gold one; a predicted
event when its type, actor and negation do (the target is scored apart, on the matched events
whose gold names one). A holder, actor or target matches when the gold name (or one of the
gold alternatives) is the entity's name or one of its mention texts, or the words of one are
all among the words of the other ("Bosnian army" and "army").

Each example is analysed on its own by the stages these read (entities, attribution,
events, stances), with ``[stances] min_issue_mentions = 1``: a one-line
text names its issue once, and these sets measure the reading of the clause, not how often an
article returns to a topic.

    .venv/bin/python scripts/stance_event_eval.py [--errors]

It also prints precision per confidence band, to see whether low confidence means less sure.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presslens import Pipeline
from presslens.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
STANCE_SET = ROOT / "tests" / "data" / "stance_examples.jsonl"
EVENT_SET = ROOT / "tests" / "data" / "event_examples.jsonl"
# only the stages these two read (and nothing that could fail for another reason)
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 1.01))  # confidence bands the report splits
EVAL_CONFIG: dict[str, Any] = {
    "pipeline": {"stages": ["entities", "attribution", "events", "stances"]},
    "stances": {"min_issue_mentions": 1}}


@dataclass
class Score:
    """Counts of one set and the examples that went wrong."""

    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    target_right: int = 0
    target_gold: int = 0
    errors: list[str] = field(default_factory=list)
    judged: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def bands(self) -> list[tuple[float, float, int, float]]:
        """Precision per confidence band: (low, high, predicted, precision)."""
        out = []
        for low, high in BANDS:
            inside = [right for conf, right in self.judged if low <= conf < high]
            if inside:
                out.append((low, high, len(inside), sum(inside) / len(inside)))
        return out


def read_examples(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _norm(name: str) -> str:
    name = re.sub(r"['\u2019]s\b", "", name.lower())
    name = re.sub(r"^the\s+", "", name.strip())
    return " ".join(re.findall(r"\w+", name))


def entity_names(analysis: Analysis, entity_id: str | None) -> set[str]:
    """The normalised name and mention texts of an entity (empty for none)."""
    ent = analysis.entity(entity_id)
    if ent is None:
        return set()
    return {_norm(ent.name), *(_norm(m.text) for m in ent.mentions)} - {""}


def names_match(gold: str | list[str] | None, names: set[str]) -> bool:
    if gold is None:
        return not names
    for option in [gold] if isinstance(gold, str) else gold:
        want = _norm(option)
        for name in names:
            if want == name or set(want.split()) <= set(name.split()) or \
                    set(name.split()) <= set(want.split()):
                return True
    return False


def _describe(analysis: Analysis, entity_id: str | None) -> str:
    ent = analysis.entity(entity_id)
    return ent.name if ent else "-"


def score_stances(pipeline: Pipeline, examples: Iterable[dict[str, Any]]) -> Score:
    score = Score()
    for ex in examples:
        analysis = pipeline.analyze(ex["text"])
        pred = list(analysis.stances)
        golds = ex["stances"]
        score.predicted += len(pred)
        score.gold += len(golds)
        used: set[int] = set()
        for g in golds:
            hit = next((n for n, s in enumerate(pred) if n not in used
                        and s.issue == g["issue"] and s.polarity == g["polarity"]
                        and names_match(g["holder"], entity_names(analysis, s.holder))), None)
            if hit is None:
                score.errors.append(f"{ex['id']} MISS {g['holder']} {g['issue']} "
                                    f"{g['polarity']} | {ex['text']}")
            else:
                used.add(hit)
                score.true_positive += 1
        score.judged += [(s.confidence, n in used) for n, s in enumerate(pred)]
        for n, s in enumerate(pred):
            if n not in used:
                score.errors.append(f"{ex['id']} FALSE {_describe(analysis, s.holder)} "
                                    f"{s.issue} {s.polarity} ({s.confidence:.2f}) | "
                                    f"{ex['text']}")
    return score


def score_events(pipeline: Pipeline, examples: Iterable[dict[str, Any]]) -> Score:
    score = Score()
    for ex in examples:
        analysis = pipeline.analyze(ex["text"])
        pred = list(analysis.events)
        golds = ex["events"]
        score.predicted += len(pred)
        score.gold += len(golds)
        used: set[int] = set()
        for g in golds:
            hit = next((n for n, e in enumerate(pred) if n not in used
                        and e.type == g["type"] and e.negated == g["negated"]
                        and names_match(g["actor"], entity_names(analysis, e.actor))), None)
            if hit is None:
                score.errors.append(f"{ex['id']} MISS {g['type']} {g['actor']} "
                                    f"neg={g['negated']} | {ex['text']}")
                continue
            used.add(hit)
            score.true_positive += 1
            if "target" in g:
                score.target_gold += 1
                if names_match(g["target"], entity_names(analysis, pred[hit].target)):
                    score.target_right += 1
                else:
                    score.errors.append(f"{ex['id']} TARGET {g['target']} got "
                                        f"{_describe(analysis, pred[hit].target)} | "
                                        f"{ex['text']}")
        score.judged += [(e.confidence, n in used) for n, e in enumerate(pred)]
        for n, e in enumerate(pred):
            if n not in used:
                score.errors.append(
                    f"{ex['id']} FALSE {e.type} {_describe(analysis, e.actor)} -> "
                    f"{_describe(analysis, e.target)} neg={e.negated} '{e.trigger.text}' "
                    f"({e.confidence:.2f}) | {ex['text']}")
    return score


def measure(pipeline: Pipeline | None = None) -> dict[str, Score]:
    pipeline = pipeline or Pipeline.from_config(EVAL_CONFIG)
    return {"stances": score_stances(pipeline, read_examples(STANCE_SET)),
            "events": score_events(pipeline, read_examples(EVENT_SET))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list misses and false items")
    args = parser.parse_args()
    for name, score in measure().items():
        if args.errors:
            print("\n".join(score.errors))
        line = (f"{name:8} precision {score.precision:.2f}  recall {score.recall:.2f}  "
                f"F1 {score.f1:.2f}  (right {score.true_positive}, predicted "
                f"{score.predicted}, gold {score.gold})")
        if score.target_gold:
            line += f"  target {score.target_right}/{score.target_gold}"
        print(line)
        for low, high, n, precision in score.bands():
            print(f"  confidence {low:.1f}-{min(high, 1.0):.1f}: {n:3} predicted, "
                  f"precision {precision:.2f}")


if __name__ == "__main__":
    main()
