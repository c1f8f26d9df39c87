#!/usr/bin/env python3
"""Check hand-made gold files against their articles before scoring with them.

    python scripts/check_gold.py                      # every gold file of our example sets
    python scripts/check_gold.py examples/gold/mt_zh_x.json ... [--articles DIR] [-v]

Gold files name spans by their surface text; the scorer (``shared/eval/score.py``) finds
each surface in the article as a whole word, case-sensitively, and gives overlapping surfaces
to the longest. This script resolves every surface the same way and checks:

* every entity mention, required mistranslation and allowed surface occurs, and the text at
  each resolved offset is the surface; no mention surface is hidden under a longer one;
* every pronoun context and attribution anchor occurs (once, else a warning) and holds its
  surface; speakers name entities of the file; ids are unique;
* each suggestion pattern compiles and does not accept the garbled surface itself;
* an entity whose canonical name is in the knowledge base (``src/presslens/data/kb``) has
  the same type there and lists the KB's own name among its canonical names.

Prints one line per problem (ERROR or WARN) and, with -v, every resolved span. Exits 1 on
any error. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from presslens.language.lexicons import iter_tsv

ROOT = Path(__file__).resolve().parent.parent
KB_DIR = ROOT / "src" / "presslens" / "data" / "kb"
TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"}
KB_TYPE_EQUIV = {"GPE": {"GPE", "LOC"}, "LOC": {"GPE", "LOC"}}


def fold(s: str) -> str:
    """The scorer's folding: no accents, punctuation runs as one space, lower case."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐‑–—'’.]+", " ", s).strip().lower()


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    pat = r"(?<![A-Za-z])" + re.escape(surface) + r"(?![A-Za-z])"
    return [(m.start(), m.end()) for m in re.finditer(pat, text)]


def load_kb() -> dict[str, list[dict[str, str]]]:
    """Folded name or alias -> KB rows carrying it."""
    out: dict[str, list[dict[str, str]]] = {}
    for path in sorted(KB_DIR.glob("*.tsv")):
        for row in iter_tsv(path.read_text("utf-8").splitlines(), source=path.name):
            row["file"] = path.name
            names = [row.get("name", "")] + [a for a in row.get("aliases", "").split("|") if a]
            for n in names:
                out.setdefault(fold(n), []).append(row)
    return out


class Report:
    def __init__(self, name: str) -> None:
        self.name = name
        self.errors = 0
        self.warnings = 0

    def error(self, msg: str) -> None:
        self.errors += 1
        print(f"ERROR {self.name}: {msg}")

    def warn(self, msg: str) -> None:
        self.warnings += 1
        print(f"WARN  {self.name}: {msg}")


def resolve_mentions(text: str, gold: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, entity id, surface), longest first as the scorer does."""
    cands = []
    for ent in gold["entities"]:
        for surface in ent.get("mentions", []):
            for s, e in occurrences(text, surface):
                cands.append((s, e, ent["id"], surface))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str, str]] = []
    for c in cands:
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    return sorted(taken)


def check_entities(text: str, gold: dict, rep: Report, kb: dict, verbose: bool) -> set[str]:
    ids: set[str] = set()
    for ent in gold.get("entities", []):
        eid = ent.get("id")
        if not eid or eid in ids:
            rep.error(f"entity id missing or repeated: {eid!r}")
        ids.add(eid)
        if ent.get("type") not in TYPES:
            rep.error(f"{eid}: unknown type {ent.get('type')!r}")
        if not ent.get("canonical"):
            rep.error(f"{eid}: no canonical names")
        if not ent.get("mentions"):
            rep.error(f"{eid}: no mentions")
        for p in ent.get("pronouns", []):
            ctx, surf = p.get("context", ""), p.get("surface", "")
            n = text.count(ctx)
            if n == 0:
                rep.error(f"{eid}: pronoun context not found: {ctx!r}")
                continue
            if n > 1:
                rep.warn(f"{eid}: pronoun context occurs {n} times (the first is used): {ctx!r}")
            if not occurrences(ctx, surf):
                rep.error(f"{eid}: pronoun {surf!r} not a word of its context {ctx!r}")
        check_kb(ent, rep, kb)
    resolved = resolve_mentions(text, gold)
    won = {(eid, surf) for _, _, eid, surf in resolved}
    for ent in gold.get("entities", []):
        for surface in ent.get("mentions", []):
            occ = occurrences(text, surface)
            if not occ:
                rep.error(f"{ent['id']}: mention {surface!r} not in the article")
            elif (ent["id"], surface) not in won:
                rep.error(f"{ent['id']}: mention {surface!r} always lies inside a longer surface")
    for s, e, eid, surf in resolved:
        if text[s:e] != surf:
            rep.error(f"offset mismatch at {s}:{e}: {text[s:e]!r} != {surf!r}")
        if verbose:
            print(f"      {s:5d}:{e:<5d} {eid:<18} {surf}")
    return ids


def check_kb(ent: dict, rep: Report, kb: dict) -> None:
    hits: dict[str, dict[str, str]] = {}
    for c in ent.get("canonical", []):
        for row in kb.get(fold(c), []):
            hits[row["file"] + ":" + row["name"]] = row
    if not hits:
        return
    typed = [r for r in hits.values()
             if r.get("type") in KB_TYPE_EQUIV.get(ent["type"], {ent["type"]})]
    if not typed:
        found = ", ".join(f"{r['name']} ({r['type']})" for r in hits.values())
        rep.warn(f"{ent['id']}: canonical names match KB entries of another type: {found}")
        return
    canon = {fold(c) for c in ent["canonical"]}
    if not any(fold(r["name"]) in canon for r in typed):
        rep.warn(f"{ent['id']}: KB entry {typed[0]['name']!r} matches by alias only; "
                 f"add its name to canonical")


def check_flags(text: str, gold: dict, rep: Report, verbose: bool) -> None:
    mt = gold.get("mistranslations", {})
    for r in mt.get("required", []):
        surf, pattern = r.get("surface", ""), r.get("suggestion_pattern", "")
        occ = occurrences(text, surf)
        if not occ:
            rep.error(f"required flag surface not in the article: {surf!r}")
        try:
            rx = re.compile(pattern, re.I)
        except re.error as exc:
            rep.error(f"bad suggestion_pattern {pattern!r}: {exc}")
            continue
        if rx.search(fold(surf)):
            rep.warn(f"suggestion_pattern {pattern!r} accepts the garbled surface {surf!r}: "
                     f"a flag that repeats the surface would count as found")
        if not r.get("why"):
            rep.warn(f"required flag {surf!r} has no 'why'")
        if verbose:
            for s, e in occ:
                print(f"      {s:5d}:{e:<5d} REQUIRED           {text[s:e]} -> /{pattern}/")
    for a in mt.get("allowed", []):
        if not occurrences(text, a):
            rep.error(f"allowed surface not in the article: {a!r}")


def check_attributions(text: str, gold: dict, ids: set[str], rep: Report) -> None:
    for a in gold.get("attributions", []):
        anchor = a.get("anchor", "")
        n = text.count(anchor)
        if n == 0:
            rep.error(f"attribution anchor not found: {anchor!r}")
        elif n > 1:
            rep.warn(f"attribution anchor occurs {n} times (the first is used): {anchor!r}")
        for key in ("speaker", "source"):
            if key in a and a[key] not in ids:
                rep.error(f"attribution {key} {a[key]!r} is not an entity id")
        for also in a.get("also", []):
            if also not in ids:
                rep.error(f"attribution also-speaker {also!r} is not an entity id")
        if "speaker" not in a and not a.get("speaker_text"):
            rep.error(f"attribution {anchor!r} has neither speaker nor speaker_text")
        if a.get("date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["date"]):
            rep.error(f"attribution date not ISO: {a['date']!r}")


def check_file(path: Path, articles: Path, kb: dict, verbose: bool,
               words: tuple[int, int] | None) -> Report:
    rep = Report(path.name)
    gold = json.loads(path.read_text("utf-8"))
    for key in ("doc", "about", "entities", "mistranslations", "attributions"):
        if key not in gold:
            rep.error(f"missing key {key!r}")
    art = articles / gold.get("doc", "")
    if not art.is_file():
        rep.error(f"article not found: {art}")
        return rep
    text = art.read_text("utf-8")
    n_words = len(text.split())
    if words and not words[0] <= n_words <= words[1]:
        rep.warn(f"{n_words} words, outside {words[0]}-{words[1]}")
    ids = check_entities(text, gold, rep, kb, verbose)
    check_flags(text, gold, rep, verbose)
    check_attributions(text, gold, ids, rep)
    n_req = sum(len(occurrences(text, r["surface"]))
                for r in gold.get("mistranslations", {}).get("required", []))
    print(f"ok    {path.name}: {n_words} words, {len(ids)} entities, "
          f"{len(resolve_mentions(text, gold))} name spans, {n_req} required flag spans, "
          f"{len(gold.get('attributions', []))} attributions "
          f"({rep.errors} errors, {rep.warnings} warnings)")
    return rep


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--articles", type=Path, default=None,
                    help="the articles' folder (default: the articles/ beside each gold/)")
    ap.add_argument("--words", default="300-700",
                    help="warn outside this article length in words ('' to skip)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    files = args.gold or sorted(p for sub in ("gold", "garbled/gold", "news/gold")
                                for p in (ROOT / "examples" / sub).glob("*.json"))
    words = tuple(int(x) for x in args.words.split("-")) if args.words else None
    kb = load_kb()
    errors = 0
    for f in files:
        articles = args.articles or f.parent.parent / "articles"
        errors += check_file(f, articles, kb, args.verbose, words).errors  # type: ignore[arg-type]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
