#!/usr/bin/env python3
"""Does a change move any output? The JSON of this tree against a git revision's, on real text.

    python scripts/compare_outputs.py --base main          # Reuters, PolNeAR dev, PTC, examples
    python scripts/compare_outputs.py --base HEAD~3 --reuters 100 --ptc 0

Analyses the same texts with the revision ``--base`` (checked out in a temporary git
worktree, run from its ``src`` with this venv) and with this working tree, each in its own
process, and reports every text whose analysis differs, with the fields that differ. The
``stages`` field (the stages that ran) is left out, so that renaming a stage's module does
not count. The texts: Reuters-21578 bodies (every k-th, ``--reuters``), the PolNeAR dev
articles, the first ``--ptc`` PTC training articles (``../shared/devdata``, read at run
time, never stored), and the example articles of this repository. Exit status 1 when any
analysis differs. Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVDATA = ROOT.parent / "shared" / "devdata"


def texts(reuters: int, ptc: int) -> list[tuple[str, str]]:
    """(name, text) of every text compared, in a fixed order."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from benchmark import articles

    out = [(f"reuters#{i}", t) for i, t in enumerate(articles(reuters, 50))] if reuters else []
    out += [(str(p.relative_to(DEVDATA)), p.read_text("utf-8"))
            for p in sorted((DEVDATA / "polnear" / "dev" / "text").glob("*.txt"))]
    out += [(str(p.relative_to(DEVDATA)), p.read_text("utf-8"))
            for p in sorted((DEVDATA / "ptc" / "train-articles").glob("*.txt"))[:ptc]]
    out += [(str(p.relative_to(ROOT)), p.read_text("utf-8"))
            for p in sorted((ROOT / "examples").rglob("*.txt"))]
    return out


def analyse(out_path: Path, reuters: int, ptc: int) -> None:
    """In a child process: one JSON line per text, with the presslens on ``sys.path``."""
    import presslens

    pipeline = presslens.Pipeline.from_config()
    with out_path.open("w", encoding="utf-8") as out:
        for name, text in texts(reuters, ptc):
            try:
                data = pipeline.analyze(text).to_dict()
                data.pop("stages", None)
            except presslens.PresslensError as exc:
                data = {"error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps({"name": name, "analysis": data}, sort_keys=True) + "\n")


def run(src: Path, out_path: Path, args: argparse.Namespace) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, __file__, "--child", str(out_path), "--reuters",
                    str(args.reuters), "--ptc", str(args.ptc)], env=env, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="HEAD", help="git revision to compare against")
    ap.add_argument("--reuters", type=int, default=300)
    ap.add_argument("--ptc", type=int, default=60)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        analyse(args.child, args.reuters, args.ptc)
        return 0
    with tempfile.TemporaryDirectory(prefix="presslens-compare-") as tmp:
        worktree = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                        str(worktree), args.base], check=True)
        try:
            run(worktree / "src", Path(tmp) / "base.jsonl", args)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(worktree)], check=False)
        run(ROOT / "src", Path(tmp) / "ours.jsonl", args)
        base = (Path(tmp) / "base.jsonl").read_text("utf-8").splitlines()
        ours = (Path(tmp) / "ours.jsonl").read_text("utf-8").splitlines()
    changed = 0
    for old_line, new_line in zip(base, ours, strict=True):
        if old_line == new_line:
            continue
        changed += 1
        old, new = json.loads(old_line), json.loads(new_line)
        a, b = old["analysis"], new["analysis"]
        fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        print(f"{new['name']}: {', '.join(fields)}")
    print(f"{changed} of {len(ours)} analyses differ from {args.base}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
