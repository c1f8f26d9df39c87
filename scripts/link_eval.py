#!/usr/bin/env python3
"""Measure entity linking on our own linking set: link precision, recall and NIL accuracy.

    python scripts/link_eval.py                  # scores on tests/data/linking_set.tsv
    python scripts/link_eval.py --errors 30      # and the first 30 wrong mentions
    python scripts/link_eval.py --json           # scores as JSON

The set (``tests/data/linking_set.tsv``) names a mention of a ``../shared/devdata`` document
by document, character offsets and the knowledge-base entry it refers to (or ``NIL``); no
text of the documents is kept in the repository. This script reads the documents from
``../shared/devdata``, runs the entities stage on them and compares the entity each gold
mention falls in with the gold entry.

Documents are named ``<source>/<name>``:

* ``polnear-dev/<file>`` and ``polnear-train/<file>``: a PolNeAR text file;
* ``conll-testa/conll_<NNN>``: the NNN-th document of CoNLL-2003 ``eng.testa``, built as
  ``../shared/eval/conll_docs.py`` builds it;
* ``reuters/<NEWID>``: the ``<BODY>`` of the Reuters-21578 story with that NEWID, unescaped
  (as ``scripts/benchmark.py`` reads it);
* ``wmt21/<first>-<last>``: lines first..last (1-based, inclusive) of the WMT21 zh-en
  reference translation, joined by line breaks.

Scores: precision = right links / links made on gold mentions; recall = right links / gold
mentions with an entry; NIL accuracy = gold NIL mentions left unlinked / gold NIL mentions.
A gold id matches a link to the same entry under its QID or its presslens id, so that a QID
added to the KB later does not turn a right link into an error.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from presslens import Pipeline
from presslens.kb.bases import KBEntry, KnowledgeBases
from presslens.kb.store import slug
from presslens.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEVDATA = SHARED / "devdata"
LINKING_SET = ROOT / "tests" / "data" / "linking_set.tsv"
NIL = "NIL"

_BODY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_BODY_TEXT = re.compile(r"<BODY>(.*?)</BODY>", re.S)


@dataclass(frozen=True)
class GoldMention:
    doc: str
    start: int
    end: int
    kb_id: str


@dataclass(frozen=True)
class Outcome:
    gold: GoldMention
    predicted: str  # a KB id or NIL
    right: bool
    text: str
    predicted_name: str


def read_set(path: Path = LINKING_SET) -> list[GoldMention]:
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("doc\t"):
            continue
        fields = line.split("\t")
        if len(fields) < 4:
            raise ValueError(f"{path}:{n}: expected doc, start, end, kb_id")
        out.append(GoldMention(fields[0], int(fields[1]), int(fields[2]), fields[3].strip()))
    return out


@lru_cache(maxsize=1)
def _conll_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conll_docs", SHARED / "eval" / "conll_docs.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(SHARED / "eval" / "conll_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def _conll_testa() -> list[str]:
    mod = _conll_module()
    return [mod.build(doc)[0] for doc in mod.read_docs(DEVDATA / "conll2003" / "eng.testa")]


@lru_cache(maxsize=1)
def _reuters() -> dict[str, str]:
    out = {}
    for path in sorted((DEVDATA / "reuters21578").glob("reut2-*.sgm")):
        for newid, story in _BODY.findall(path.read_text("latin-1")):
            body = _BODY_TEXT.search(story)
            if body:
                out[newid] = html.unescape(body.group(1)).replace("\x03", "").strip()
    return out


@lru_cache(maxsize=1)
def _wmt_lines() -> list[str]:
    path = DEVDATA / "wmt21_zh_en" / "newstest2021.zh-en.ref.A.en"
    return path.read_text("utf-8").splitlines()


def document_text(doc: str) -> str:
    """The text of a document named ``<source>/<name>`` (see the module docstring)."""
    source, _, name = doc.partition("/")
    if source in ("polnear-dev", "polnear-train"):
        split = source.split("-")[1]
        return (DEVDATA / "polnear" / split / "text" / name).read_text("utf-8")
    if source == "conll-testa":
        return _conll_testa()[int(name.removeprefix("conll_"))]
    if source == "reuters":
        return _reuters()[name]
    if source == "wmt21":
        first, last = (int(x) for x in name.split("-"))
        return "\n".join(_wmt_lines()[first - 1:last]) + "\n"
    raise KeyError(f"unknown document source {source!r} in {doc!r}")


def entry_ids(entry: KBEntry) -> set[str]:
    """The ids one entry may be named by: its QID, its presslens id and the presslens id it
    would have without a QID."""
    ids = {entry.kb_id, entry.id}
    ids.add(f"pl:{slug(entry.name)}" + (f"-{slug(entry.country)}" if entry.country else ""))
    return ids


def predicted_at(analysis: Analysis, start: int, end: int) -> tuple[str, str]:
    """The KB id (or NIL) and name of the entity whose mention covers ``start:end`` best."""
    best: tuple[int, str, str] | None = None
    for ent in analysis.entities:
        for m in ent.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap <= 0 or m.kind != "name":
                continue
            score = overlap * 2 - abs(m.start - start) - abs(m.end - end)
            if best is None or score > best[0]:
                best = (score, ent.kb_id or NIL, ent.name)
    return (best[1], best[2]) if best else (NIL, "")


def evaluate(pipeline: Pipeline, gold: Iterable[GoldMention]) -> list[Outcome]:
    kb: KnowledgeBases = next(s.kb for n, s in pipeline.stages if n == "entities")  # type: ignore[attr-defined]
    by_doc: dict[str, list[GoldMention]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    outcomes = []
    for doc, mentions in by_doc.items():
        text = document_text(doc)
        analysis = pipeline.analyze(text)
        if not analysis.text.startswith(text.rstrip()):  # reading may add a final newline
            raise ValueError(f"{doc}: the analysed text differs from the document text")
        for g in mentions:
            predicted, name = predicted_at(analysis, g.start, g.end)
            if predicted == NIL or g.kb_id == NIL:
                right = predicted == g.kb_id
            else:
                entry = kb.get(predicted)
                right = g.kb_id in (entry_ids(entry) if entry else {predicted})
            outcomes.append(Outcome(g, predicted, right, text[g.start:g.end], name))
    return outcomes


def scores(outcomes: list[Outcome]) -> dict[str, float]:
    linked = [o for o in outcomes if o.predicted != NIL]
    gold_linked = [o for o in outcomes if o.gold.kb_id != NIL]
    gold_nil = [o for o in outcomes if o.gold.kb_id == NIL]
    right_links = sum(1 for o in linked if o.right)
    return {
        "mentions": len(outcomes),
        "gold_links": len(gold_linked),
        "gold_nil": len(gold_nil),
        "links_made": len(linked),
        "precision": round(right_links / len(linked), 4) if linked else 1.0,
        "recall": round(sum(1 for o in gold_linked if o.right) / len(gold_linked), 4)
        if gold_linked else 1.0,
        "nil_accuracy": round(sum(1 for o in gold_nil if o.right) / len(gold_nil), 4)
        if gold_nil else 1.0,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=LINKING_SET, help="the linking set (TSV)")
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong mentions")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args()
    pipeline = Pipeline.from_config({"pipeline": {"stages": ["entities"]}})
    outcomes = evaluate(pipeline, read_set(args.set))
    result = scores(outcomes)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:14} {value}")
    wrong = [o for o in outcomes if not o.right]
    for o in wrong[:args.errors]:
        kind = ("wrong link" if o.predicted != NIL and o.gold.kb_id != NIL else
                "false link" if o.predicted != NIL else "missed link")
        print(f"{kind:11} {o.gold.doc} {o.gold.start}-{o.gold.end} {o.text!r}: "
              f"gold {o.gold.kb_id}, got {o.predicted} {o.predicted_name!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
