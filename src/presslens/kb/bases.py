"""Knowledge base: the packaged entries of ``data/kb/`` plus any a user imported.

``open_knowledge_base(config)`` returns the packaged KB, built once into an SQLite cache
file keyed by the data files' hash, together with the extra SQLite KBs the config names.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from presslens.config import Config
from presslens.kb.importers import Role, packaged_entries, packaged_files, parse_role
from presslens.kb.store import INDEX_VERSION, Candidate, KBEntry, KnowledgeBase

__all__ = ["Candidate", "KBEntry", "KnowledgeBase", "KnowledgeBases", "Role", "cache_dir",
           "current_roles", "entry_roles", "former_roles", "open_knowledge_base",
           "packaged_kb"]


def entry_roles(entry: KBEntry) -> tuple[Role, ...]:
    """The entry's roles with their periods, in the order the KB lists them."""
    return tuple(parse_role(r, source=entry.name) for r in entry.roles)


def current_roles(entry: KBEntry, on: date) -> tuple[Role, ...]:
    """The roles the entry held on ``on`` by their dates: a role that ended before, or began
    after, is not current, and an undated role is not known to be."""
    return tuple(r for r in entry_roles(entry) if r.held_on(on))


def former_roles(entry: KBEntry, on: date) -> tuple[Role, ...]:
    """The roles that had ended by ``on``."""
    return tuple(r for r in entry_roles(entry) if r.end is not None and r.end < on)


def cache_dir() -> Path:
    root = os.environ.get("PRESSLENS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "presslens")
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _data_hash() -> str:
    digest = hashlib.sha256(f"index-{INDEX_VERSION}".encode())
    for f in packaged_files():
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


_packaged: KnowledgeBase | None = None


def packaged_kb() -> KnowledgeBase:
    """The packaged KB, built into the cache on first use (atomically, safe across processes)."""
    global _packaged
    if _packaged is None:
        target = cache_dir() / f"kb-{_data_hash()}.sqlite"
        if not target.exists():
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            os.close(fd)
            kb = KnowledgeBase(tmp)
            kb.add(packaged_entries())
            kb.close()
            os.replace(tmp, target)
        _packaged = KnowledgeBase(target, readonly=True)
    return _packaged


class KnowledgeBases:
    """Several KBs searched together; the first that knows an id wins."""

    def __init__(self, kbs: Sequence[KnowledgeBase]) -> None:
        self.kbs = list(kbs)

    def exact(self, name: str, *, include_partial: bool = True) -> list[Candidate]:
        return _dedupe(c for kb in self.kbs for c in kb.exact(name,
                                                              include_partial=include_partial))

    def search(self, name: str, *, types: Iterable[str] | None = None, limit: int = 10,
               min_similarity: float = 0.6) -> list[Candidate]:
        types = list(types) if types else None
        found = _dedupe(c for kb in self.kbs
                        for c in kb.search(name, types=types, limit=limit,
                                           min_similarity=min_similarity))
        found.sort(key=lambda c: (-c.similarity, -c.entry.prominence, c.entry.name))
        return found[:limit]

    def by_kind(self, kind: str, country: str) -> list[KBEntry]:
        return [e for kb in self.kbs for e in kb.by_kind(kind, country)]

    def by_country(self, country: str, etype: str) -> list[KBEntry]:
        return [e for kb in self.kbs for e in kb.by_country(country, etype)]

    def office_holders(self, country: str, title: str, on: date) -> list[KBEntry]:
        """The people of ``country`` who held the office ``title`` ("President of Chile") on
        ``on`` by their role dates, most prominent first: "the Chilean president" of an
        article of that date."""
        found = [e for e in self.by_country(country, "PERSON")
                 if any(r.title == title for r in current_roles(e, on))]
        return sorted(found, key=lambda e: -e.prominence)

    def get(self, entry_id: str) -> KBEntry | None:
        for kb in self.kbs:
            hit = kb.get(entry_id)
            if hit is not None:
                return hit
        return None


def _dedupe(cands: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for c in cands:
        key = c.entry.kb_id
        if key not in seen or c.similarity > seen[key].similarity:
            seen[key] = c
    return list(seen.values())


def open_knowledge_base(config: Config) -> KnowledgeBases:
    extra = [KnowledgeBase(p, readonly=True) for p in config.kb.extra]
    return KnowledgeBases([packaged_kb(), *extra])
