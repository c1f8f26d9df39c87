#!/usr/bin/env python3
"""Measure names on CoNLL-2003 (issue 14): presslens against the spaCy model it starts from.

    python scripts/conll_eval.py                 # testa: spaCy alone and presslens, scored
    python scripts/conll_eval.py --split train   # the same on eng.train (for studying errors)
    python scripts/conll_eval.py --only spacy    # one side only (spacy | presslens)
    python scripts/conll_eval.py --errors 20     # and examples of each error kind
    python scripts/conll_eval.py --entities-only # presslens with its entities stage alone

Documents and gold come from ``../shared/eval/conll_docs.py``; scores from
``../shared/eval/conll_score.py`` (name mentions only). spaCy alone is written in the shape
the scorer reads: one entity per ``doc.ents`` span. Nothing is kept in the repository: the
documents and analyses go to a temporary folder (or ``--work``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
CONLL = SHARED / "devdata" / "conll2003"


def spacy_alone(docs: Path, out: Path) -> None:
    """One JSON per document with the spaCy model's own entities, as presslens would write."""
    from presslens.config import load_config
    from presslens.nlp import load_model

    cfg = load_config()
    nlp = load_model(cfg.nlp.model, cfg.nlp.model_version)
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted(docs.glob("conll_*.txt"))
    texts = [p.read_text() for p in paths]
    for path, doc in zip(paths, nlp.pipe(texts, batch_size=16)):
        ents = [{"type": e.label_, "mentions": [{"start": e.start_char, "end": e.end_char,
                                                 "kind": "name"}]} for e in doc.ents]
        (out / f"{path.stem}.json").write_text(json.dumps({"entities": ents}))


def presslens(docs: Path, out: Path, *, entities_only: bool = False) -> None:
    exe = ROOT / ".venv" / "bin" / "presslens"
    cmd = [str(exe), "analyze", str(docs), "--out", str(out), "-q", "--workers", "1"]
    if entities_only:  # names only need the entities stage (and it is quicker)
        config = out.parent / "entities-only.toml"
        config.write_text('[pipeline]\nstages = ["entities"]\n')
        cmd += ["--config", str(config)]
    subprocess.run(cmd, check=True)


def score(docs: Path, pred: Path, errors: int) -> None:
    cmd = [sys.executable, str(EVAL / "conll_score.py"), str(docs), str(pred)]
    if errors:
        cmd += ["--errors", str(errors)]
    subprocess.run(cmd, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["testa", "train"], default="testa")
    ap.add_argument("--only", choices=["spacy", "presslens"])
    ap.add_argument("--errors", type=int, default=0, metavar="N")
    ap.add_argument("--work", type=Path, help="folder for documents and analyses (kept)")
    ap.add_argument("--entities-only", action="store_true",
                    help="run presslens with the entities stage alone")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        docs = work / f"{args.split}-docs"
        subprocess.run([sys.executable, str(EVAL / "conll_docs.py"),
                        str(CONLL / f"eng.{args.split}"), str(docs)], check=True)
        for side in ("spacy", "presslens"):
            if args.only and args.only != side:
                continue
            pred = work / f"{args.split}-{side}"
            if side == "spacy":
                spacy_alone(docs, pred)
            else:
                presslens(docs, pred, entities_only=args.entities_only)
            print(f"\n# {side} on CoNLL-2003 {args.split}")
            sys.stdout.flush()
            score(docs, pred, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
