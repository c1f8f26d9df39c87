"""The knowledge base: entities and their aliases in SQLite, indexed for exact, fuzzy and
phonetic alias look-up.

Every alias is stored folded (``norm``) and under a few *keys*: the consonant skeleton of its
last word, that skeleton with one consonant deleted, the skeleton of the whole name run
together, and the first four letters of its last word. A query computes the same keys, so a
garbled spelling meets its entry through an index look-up rather than a scan; candidates
are then scored with ``name_similarity``. The number of rows grows linearly with the
aliases, and each look-up touches a few index pages, so it stays fast at millions of
entities (see ``scripts/bench_kb.py``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from presslens.errors import KnowledgeBaseError
from presslens.language.lexicons import read_rows
from presslens.language.names import (
    fold,
    name_similarity,
    name_similarity_bound,
    name_tokens,
    org_name_similarity,
    org_name_similarity_bound,
    skeleton,
)

# Bump when the tables or the alias keys change: cached knowledge bases are rebuilt.
INDEX_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS entity (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    qid TEXT,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    prominence REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS alias (
    rowid INTEGER PRIMARY KEY,
    entity INTEGER NOT NULL REFERENCES entity(rowid),
    alias TEXT NOT NULL,
    norm TEXT NOT NULL,
    partial INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS alias_key (key TEXT NOT NULL, alias INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS alias_norm ON alias(norm);
CREATE INDEX IF NOT EXISTS alias_key_key ON alias_key(key);
CREATE INDEX IF NOT EXISTS alias_entity ON alias(entity);
CREATE INDEX IF NOT EXISTS alias_key_alias ON alias_key(alias);
CREATE INDEX IF NOT EXISTS entity_kind_country ON entity(kind, country);
CREATE INDEX IF NOT EXISTS entity_country_type ON entity(country, type);
"""

# How much a kind of entity is talked about, as a prior between namesakes.
_KIND_PROMINENCE = {
    "head_of_state": 1.0, "head_of_government": 0.9, "country": 1.0, "armed_forces": 0.8,
    "minister": 0.7, "military": 0.6, "party_leader": 0.6, "intl_org": 0.8, "party": 0.7,
    "media": 0.6, "official": 0.5, "diplomat": 0.5, "politician": 0.4, "city": 0.6,
}


@dataclass(frozen=True)
class KBEntry:
    id: str
    name: str
    type: str
    kind: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    description: str = ""
    qid: str | None = None
    prominence: float = 0.0

    @property
    def kb_id(self) -> str:
        return self.qid or self.id


@dataclass(frozen=True)
class Candidate:
    entry: KBEntry
    alias: str
    similarity: float
    exact: bool
    partial: bool = False


@dataclass
class _Cache:
    entries: dict[int, KBEntry] = field(default_factory=dict)
    # Look-ups already answered: a long text asks for the same names again and again.
    exact: dict[tuple[str, bool], tuple[Candidate, ...]] = field(default_factory=dict)
    search: dict[tuple[str, tuple[str, ...] | None, int, float], tuple[Candidate, ...]] = \
        field(default_factory=dict)


_CACHED_LOOKUPS = 20_000  # per kind of look-up; the cache starts over when full


def alias_keys(alias: str) -> set[str]:
    """The index keys under which an alias (or a query) is filed."""
    toks = name_tokens(alias)
    if not toks:
        return set()
    keys: set[str] = set()
    last = toks[-1]
    sk = skeleton(last)
    if sk:
        keys.add("S:" + sk)
        if len(sk) >= 4:
            keys.update("S:" + sk[:i] + sk[i + 1:] for i in range(len(sk)))
    if len(toks) > 1:
        whole = skeleton("".join(toks))
        if whole:
            keys.add("W:" + whole)
    if len(last) >= 4:
        keys.add("P:" + last[:4])
    for tok in toks[:-1]:  # other words: "Dupont" of "Nicolas Dupont-Aignan"
        if len(tok) >= 4:
            keys.add("T:" + skeleton(tok))
    return keys


def query_keys(name: str) -> tuple[set[str], set[str]]:
    """Index keys of a query: the selective ones (same skeleton), then the broad ones (one
    consonant more or less, the same opening), searched only when the first find too little."""
    keys = alias_keys(name)
    toks = name_tokens(name)
    if toks:
        whole = skeleton("".join(toks))
        if whole:
            keys.add("S:" + whole)
            keys.add("W:" + whole)
    keys.update("T:" + skeleton(t) for t in toks if len(t) >= 4)
    narrow = {k for k in keys if not k.startswith(("P:", "T:"))}
    last = skeleton(toks[-1]) if toks else ""
    narrow = {k for k in narrow if not (k.startswith("S:") and len(k) - 2 < len(last))}
    return narrow, keys - narrow


@lru_cache(maxsize=1)
def _patronymics() -> frozenset[str]:
    """Particles after which a name word is a father's name ("bin", "ibn"), from
    data/name_affixes.tsv."""
    return frozenset(r["word"] for r in read_rows("name_affixes.tsv")
                     if r["kind"] == "patronymic")


def is_acronym(alias: str) -> bool:
    """One word of capitals, perhaps with digits ("TRT", "G7"): letters, not a name."""
    return " " not in alias and len(alias) <= 6 and alias.isupper()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


class KnowledgeBase:
    """An SQLite knowledge base (read-mostly; ``add`` writes in one transaction)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            if readonly:
                uri = f"file:{self.path}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, check_same_thread=False)
                self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise KnowledgeBaseError(f"cannot open knowledge base {self.path}: {exc}") from None
        self._cache = _Cache()

    def close(self) -> None:
        self.db.close()

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entity").fetchone()[0])

    # -- writing -------------------------------------------------------------------------
    def add(self, entries: Iterable[KBEntry], *, batch: int = 5000) -> int:
        """Insert or replace entries (by id); returns how many were written."""
        n = 0
        cur = self.db.cursor()
        try:
            cur.execute("BEGIN")
            for entry in entries:
                self._add_one(cur, entry)
                n += 1
                if n % batch == 0:
                    cur.execute("COMMIT")
                    cur.execute("BEGIN")
            cur.execute("COMMIT")
        except sqlite3.Error as exc:
            self.db.rollback()
            raise KnowledgeBaseError(f"cannot write to knowledge base {self.path}: {exc}") from None
        self._cache = _Cache()
        return n

    def _add_one(self, cur: sqlite3.Cursor, e: KBEntry) -> None:
        old = cur.execute("SELECT rowid FROM entity WHERE id = ?", (e.id,)).fetchone()
        if old:
            cur.execute("DELETE FROM alias_key WHERE alias IN "
                        "(SELECT rowid FROM alias WHERE entity = ?)", (old[0],))
            cur.execute("DELETE FROM alias WHERE entity = ?", (old[0],))
            cur.execute("DELETE FROM entity WHERE rowid = ?", (old[0],))
        prominence = e.prominence or (_KIND_PROMINENCE.get(e.kind, 0.3)
                                      + min(len(e.roles), 5) * 0.05)
        cur.execute(
            "INSERT INTO entity (id, qid, name, type, kind, country, roles, description, "
            "prominence) VALUES (?,?,?,?,?,?,?,?,?)",
            (e.id, e.qid, e.name, e.type, e.kind, e.country, "|".join(e.roles),
             e.description, prominence),
        )
        rowid = cur.lastrowid
        names: dict[str, int] = {}
        for alias in (e.name, *e.aliases):
            if fold(alias):
                names.setdefault(alias, 0)
        if e.type == "PERSON":
            # the surname of the canonical name and of two-word aliases; not the last word
            # of a long full name ("José Daniel Ortega Saavedra" is not "Saavedra")
            for alias in [e.name, *(a for a in e.aliases if len(a.split()) == 2)]:
                toks = alias.replace("-", " ").split()
                if len(toks) > 2 and fold(toks[-2]) in _patronymics():
                    continue  # "Mohammed bin Salman" is not called "Salman"
                if len(toks) > 1 and len(toks[-1]) > 2:
                    names.setdefault(toks[-1], 1)
                    if "-" in alias:  # "Dupont-Aignan" stays a surname of its own
                        names.setdefault(alias.split()[-1], 1)
        for alias, partial in names.items():
            cur.execute("INSERT INTO alias (entity, alias, norm, partial) VALUES (?,?,?,?)",
                        (rowid, alias, fold(alias), partial))
            alias_row = cur.lastrowid
            cur.executemany("INSERT INTO alias_key (key, alias) VALUES (?, ?)",
                            [(k, alias_row) for k in alias_keys(alias)])

    # -- reading -------------------------------------------------------------------------
    def _entry(self, rowid: int) -> KBEntry:
        hit = self._cache.entries.get(rowid)
        if hit is not None:
            return hit
        row = self.db.execute(
            "SELECT id, qid, name, type, kind, country, roles, description, prominence "
            "FROM entity WHERE rowid = ?", (rowid,)).fetchone()
        aliases = tuple(a for (a,) in self.db.execute(
            "SELECT alias FROM alias WHERE entity = ? AND partial = 0", (rowid,)))
        entry = KBEntry(id=row[0], qid=row[1] or None, name=row[2], type=row[3], kind=row[4],
                        country=row[5], roles=tuple(r for r in row[6].split("|") if r),
                        description=row[7], prominence=row[8],
                        aliases=tuple(a for a in aliases if a != row[2]))
        if len(self._cache.entries) > 100_000:
            self._cache.entries.clear()
        self._cache.entries[rowid] = entry
        return entry

    def get(self, entry_id: str) -> KBEntry | None:
        row = self.db.execute("SELECT rowid FROM entity WHERE id = ? OR qid = ?",
                              (entry_id, entry_id)).fetchone()
        return None if row is None else self._entry(row[0])

    def exact(self, name: str, *, include_partial: bool = True) -> list[Candidate]:
        """Entries with an alias equal to ``name`` once folded."""
        key = (name, include_partial)
        hit = self._cache.exact.get(key)
        if hit is None:
            hit = tuple(self._exact(name, include_partial=include_partial))
            if len(self._cache.exact) >= _CACHED_LOOKUPS:
                self._cache.exact.clear()
            self._cache.exact[key] = hit
        return list(hit)

    def _exact(self, name: str, *, include_partial: bool) -> list[Candidate]:
        sql = "SELECT entity, alias, partial FROM alias WHERE norm = ?"
        out: dict[int, Candidate] = {}
        for rowid, alias, partial in self.db.execute(sql, (fold(name),)):
            if partial and not include_partial:
                continue
            cand = Candidate(self._entry(rowid), alias, 1.0, exact=True, partial=bool(partial))
            if rowid not in out or out[rowid].partial:
                out[rowid] = cand
        return list(out.values())

    def search(self, name: str, *, types: Iterable[str] | None = None, limit: int = 10,
               min_similarity: float = 0.6) -> list[Candidate]:
        """Entries whose aliases sound like ``name``, best first."""
        wanted = set(types) if types else None
        key = (name, tuple(sorted(wanted)) if wanted else None, limit, min_similarity)
        hit = self._cache.search.get(key)
        if hit is None:
            hit = tuple(self._search(name, wanted, limit, min_similarity))
            if len(self._cache.search) >= _CACHED_LOOKUPS:
                self._cache.search.clear()
            self._cache.search[key] = hit
        return list(hit)

    def _search(self, name: str, wanted: set[str] | None, limit: int, min_similarity: float
                ) -> list[Candidate]:
        narrow, broad = query_keys(name)
        best: dict[int, Candidate] = {}
        self._score_keys(name, narrow, wanted, min_similarity, best)
        if not any(c.similarity >= 0.85 for c in best.values()):
            self._score_keys(name, broad, wanted, min_similarity, best)
        ranked = sorted(best.values(),
                        key=lambda c: (-c.similarity, -c.entry.prominence, c.entry.name))
        return ranked[:limit]

    def _score_keys(self, name: str, keys: set[str], wanted: set[str] | None,
                    min_similarity: float, best: dict[int, Candidate]) -> None:
        if not keys:
            return
        ordered = sorted(keys)
        marks = ",".join("?" * len(ordered))
        rows = self.db.execute(
            f"SELECT DISTINCT a.entity, a.alias, a.partial FROM alias_key k "
            f"JOIN alias a ON a.rowid = k.alias WHERE k.key IN ({marks}) LIMIT 2000", ordered)
        folded = fold(name)
        for rowid, alias, partial in rows:
            entry = self._entry(rowid)
            if wanted and entry.type not in wanted:
                continue
            person = entry.type == "PERSON"
            # a cheap bound from above first: most aliases a key finds are far off
            bound = (name_similarity_bound if person else org_name_similarity_bound)(name, alias)
            if bound < min_similarity:
                continue
            exact = fold(alias) == folded
            if not exact and is_acronym(alias):
                continue  # an acronym is matched as written: "Tartu" is not TRT
            sim = name_similarity(name, alias) if person else org_name_similarity(name, alias)
            if sim < min_similarity:
                continue
            cand = Candidate(entry, alias, sim, exact=exact, partial=bool(partial))
            old = best.get(rowid)
            if old is None or (cand.similarity, not cand.partial) > (old.similarity,
                                                                     not old.partial):
                best[rowid] = cand

    def by_kind(self, kind: str, country: str) -> list[KBEntry]:
        rows = self.db.execute("SELECT rowid FROM entity WHERE kind = ? AND country = ? "
                               "ORDER BY prominence DESC", (kind, country))
        return [self._entry(r) for (r,) in rows]

    def by_country(self, country: str, etype: str) -> list[KBEntry]:
        rows = self.db.execute("SELECT rowid FROM entity WHERE country = ? AND type = ?",
                               (country, etype))
        return [self._entry(r) for (r,) in rows]
