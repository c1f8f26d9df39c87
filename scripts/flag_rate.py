#!/usr/bin/env python3
"""Mistranslation flags per 1,000 words in a folder of analyses, with the list of flags.

    presslens analyze ../shared/devdata/polnear/dev/text --out /tmp/dev -q --workers 1
    python scripts/flag_rate.py /tmp/dev                 # rate, flags by kind, every flag
    python scripts/flag_rate.py /tmp/dev --summary       # rate and counts only
    python scripts/flag_rate.py /tmp/dev --json          # one JSON object

On clean native English news every flag is a false alarm, so the rate there is the false
flag rate. A word is a whitespace-separated token with a letter or digit in it (``wc -w``
without the lone punctuation of tokenised corpora such as CoNLL).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

_WORD = re.compile(r"\S*[^\W_]\S*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def line_of(text: str, start: int, end: int, width: int = 50) -> str:
    """The flagged span in a little of its context, on one line."""
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def read_folder(folder: Path) -> tuple[int, int, list[dict[str, object]]]:
    """(documents, words, flags) of every ``*.json`` analysis in ``folder``; each flag
    gains the document's file name and its context."""
    docs = words = 0
    flags: list[dict[str, object]] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if "text" not in data:
            continue  # a refusal or another kind of file
        text = data["text"]
        docs += 1
        words += word_count(text)
        for flag in data.get("flags", []):
            flags.append({**flag, "file": path.name,
                          "context": line_of(text, flag["start"], flag["end"])})
    return docs, words, flags


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", type=Path, help="folders of analysis JSON")
    ap.add_argument("--summary", action="store_true", help="rate and counts only")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    docs = words = 0
    flags: list[dict[str, object]] = []
    for folder in args.folders:
        d, w, f = read_folder(folder)
        docs, words = docs + d, words + w
        flags += f
    rate = 1000 * len(flags) / words if words else 0.0
    kinds = Counter(str(f["kind"]) for f in flags)
    if args.json:
        print(json.dumps({"documents": docs, "words": words, "flags": len(flags),
                          "per_1000_words": round(rate, 3), "by_kind": dict(kinds),
                          "list": flags}, indent=1, ensure_ascii=False))
        return 0
    print(f"{docs} documents, {words} words, {len(flags)} flags: "
          f"{rate:.2f} per 1,000 words")
    for kind, n in kinds.most_common():
        print(f"  {kind}: {n}")
    if not args.summary:
        for f in flags:
            print(f"{f['file']}\t{f['kind']}\t{f['text']!r} -> {f['suggestion']!r}"
                  f"\t{f['confidence']}\t{f['context']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
