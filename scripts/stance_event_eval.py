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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from presslens import Pipeline
from presslens.model import Analysis, Event, Stance

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


P = TypeVar("P", Event, Stance)  # a prediction: an event or a stance


def _pair(golds: list[dict[str, Any]], pred: list[P],
          fits: Callable[[dict[str, Any], P], bool]) -> list[tuple[dict[str, Any], int | None]]:
    """Each gold item with the index of the first unused prediction that fits it, or None."""
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any], int | None]] = []
    for g in golds:
        hit = next((n for n, p in enumerate(pred) if n not in used and fits(g, p)), None)
        if hit is not None:
            used.add(hit)
        pairs.append((g, hit))
    return pairs


def _tally(score: Score, ex: dict[str, Any], pred: list[P],
           pairs: list[tuple[dict[str, Any], int | None]],
           miss: Callable[[dict[str, Any]], str], false: Callable[[P], str]) -> None:
    """Count one example's pairs into ``score``: hits, misses and unmatched predictions."""
    score.predicted += len(pred)
    score.gold += len(pairs)
    used = {hit for _, hit in pairs if hit is not None}
    score.true_positive += len(used)
    score.errors += [f"{ex['id']} MISS {miss(g)} | {ex['text']}" for g, hit in pairs
                     if hit is None]
    score.judged += [(p.confidence, n in used) for n, p in enumerate(pred)]
    score.errors += [f"{ex['id']} FALSE {false(p)} ({p.confidence:.2f}) | {ex['text']}"
                     for n, p in enumerate(pred) if n not in used]


def _stance_checks(analysis: Analysis) -> tuple[Callable[[dict[str, Any], Stance], bool],
                                                 Callable[[Stance], str]]:
    """Whether a stance fits a gold one, and how an unmatched stance reads."""
    def fits(g: dict[str, Any], s: Stance) -> bool:
        return bool(s.issue == g["issue"] and s.polarity == g["polarity"]
                    and names_match(g["holder"], entity_names(analysis, s.holder)))

    def describe(s: Stance) -> str:
        return f"{_describe(analysis, s.holder)} {s.issue} {s.polarity}"
    return fits, describe


def _event_checks(analysis: Analysis) -> tuple[Callable[[dict[str, Any], Event], bool],
                                               Callable[[Event], str]]:
    """Whether an event fits a gold one, and how an unmatched event reads."""
    def fits(g: dict[str, Any], e: Event) -> bool:
        return bool(e.type == g["type"] and e.negated == g["negated"]
                    and names_match(g["actor"], entity_names(analysis, e.actor)))

    def describe(e: Event) -> str:
        return (f"{e.type} {_describe(analysis, e.actor)} -> "
                f"{_describe(analysis, e.target)} neg={e.negated} '{e.trigger.text}'")
    return fits, describe


def score_stances(pipeline: Pipeline, examples: Iterable[dict[str, Any]]) -> Score:
    score = Score()
    for ex in examples:
        analysis = pipeline.analyze(ex["text"])
        pred = list(analysis.stances)
        fits, describe = _stance_checks(analysis)
        _tally(score, ex, pred, _pair(ex["stances"], pred, fits), false=describe,
               miss=lambda g: f"{g['holder']} {g['issue']} {g['polarity']}")
    return score


def score_events(pipeline: Pipeline, examples: Iterable[dict[str, Any]]) -> Score:
    score = Score()
    for ex in examples:
        analysis = pipeline.analyze(ex["text"])
        pred = list(analysis.events)
        fits, describe = _event_checks(analysis)
        pairs = _pair(ex["events"], pred, fits)
        for g, hit in pairs:
            if hit is None or "target" not in g:
                continue
            score.target_gold += 1
            if names_match(g["target"], entity_names(analysis, pred[hit].target)):
                score.target_right += 1
            else:
                score.errors.append(f"{ex['id']} TARGET {g['target']} got "
                                    f"{_describe(analysis, pred[hit].target)} | "
                                    f"{ex['text']}")
        _tally(score, ex, pred, pairs, false=describe,
               miss=lambda g: f"{g['type']} {g['actor']} neg={g['negated']}")
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
