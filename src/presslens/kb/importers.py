"""Readers that turn knowledge-base sources into ``KBEntry`` records, streaming.

* the packaged TSV files (``data/kb/*.tsv``; format in ``data/kb/README.md``),
* CSV files with the same columns (a header row; ``aliases`` and ``roles`` split on ``|``),
* the standard Wikidata JSON dump: one entity per line inside ``[`` ... ``]``, plain,
  ``.gz`` or ``.bz2``, filtered by the ``instance of`` (P31) classes in
  ``data/wikidata_types.tsv``.
"""

from __future__ import annotations

import bz2
import calendar
import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from presslens.errors import ConfigError, KnowledgeBaseError
from presslens.kb.store import KBEntry, slug
from presslens.language.lexicons import iter_tsv

COLUMNS = ["qid", "name", "type", "kind", "country", "aliases", "roles"]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


# A role's period, in brackets at the end of its text: "President of Chile (2022-2026)",
# "(2025-)" (held as of the KB's date), "(2017)" (within one year), or ISO dates of any
# precision around a slash: "(2013-04-19/2026-01-03)", "(2026-01-05/)".
_PERIOD = re.compile(r"^(?P<title>.*?)\s*\((?P<period>[0-9/ -]+)\)\s*$")
_YEARS = re.compile(r"^(?P<start>\d{4})(?P<dash>-)?(?P<end>\d{4})?$")
_DAY = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Role:
    """One office of a KB entry and when it was held. A date of year or month precision
    stands for the whole year or month: ``start`` is its first day, ``end`` its last."""

    title: str
    start: date | None = None
    end: date | None = None
    dated: bool = False  # the role names its period; undated roles are neither current nor past

    def held_on(self, day: date) -> bool | None:
        """Whether the role was held on ``day``; None when the KB does not say."""
        if not self.dated:
            return None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def ongoing(self) -> bool:
        return self.dated and self.end is None


def _day(text: str, *, last: bool, source: str) -> date:
    m = _DAY.match(text)
    if not m:
        raise KnowledgeBaseError(f"{source}: {text!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD)")
    year, month, day = int(m[1]), int(m[2] or (12 if last else 1)), m[3]
    try:
        if day is not None:
            return date(year, month, int(day))
        return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
    except ValueError:
        raise KnowledgeBaseError(f"{source}: {text!r} is not a valid date") from None


def parse_role(text: str, *, source: str = "role") -> Role:
    """A role's title and period; a malformed or reversed period is an error, so a typo in
    the data fails the build of the KB rather than making an office current."""
    m = _PERIOD.match(text)
    if not m:
        return Role(text.strip())
    title, period = m["title"], m["period"].replace(" ", "")
    where = f"{source}: {text!r}"
    years = _YEARS.match(period)
    start: date | None
    if years:
        start = _day(years["start"], last=False, source=where)
        end_text = years["end"] or ("" if years["dash"] else years["start"])
    elif "/" in period:
        start_text, end_text = period.split("/", 1)
        start = _day(start_text, last=False, source=where) if start_text else None
    else:
        start = _day(period, last=False, source=where)
        end_text = period
    end = _day(end_text, last=True, source=where) if end_text else None
    if start and end and end < start:
        raise KnowledgeBaseError(f"{where}: the period ends before it starts")
    return Role(title, start, end, dated=True)


def entry_from_row(row: dict[str, str], *, id_prefix: str = "pl") -> KBEntry:
    name = (row.get("name") or "").strip()
    etype = (row.get("type") or "").strip().upper()
    if not name or not etype:
        raise KnowledgeBaseError(f"row without name or type: {row}")
    roles = _split(row.get("roles"))
    for role in roles:
        parse_role(role, source=name)
    qid = (row.get("qid") or "").strip() or None
    country = (row.get("country") or "").strip()
    return KBEntry(
        id=qid or f"{id_prefix}:{slug(name)}" + (f"-{slug(country)}" if country else ""),
        qid=qid, name=name, type=etype, kind=(row.get("kind") or "").strip(), country=country,
        aliases=_split(row.get("aliases")), roles=roles,
        description=(row.get("description") or "").strip(),
    )


def read_tsv(lines: Iterable[str], *, source: str) -> Iterator[KBEntry]:
    try:
        for row in iter_tsv(lines, source=source, strict=True):
            yield entry_from_row(row)
    except ConfigError as exc:
        raise KnowledgeBaseError(str(exc)) from None


def packaged_files() -> list[Any]:
    folder = resources.files("presslens").joinpath("data/kb")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".tsv")), key=lambda f: f.name)


def packaged_entries() -> Iterator[KBEntry]:
    """Every entry of the packaged knowledge base; later files win on a repeated id."""
    for f in packaged_files():
        yield from read_tsv(f.read_text("utf-8").splitlines(), source=f.name)


def read_csv(path: Path) -> Iterator[KBEntry]:
    with _open_text(path) as fh:
        reader = csv.DictReader(fh)
        missing = {"name", "type"} - set(reader.fieldnames or [])
        if missing:
            raise KnowledgeBaseError(f"{path}: CSV lacks column(s) {', '.join(sorted(missing))}")
        for row in reader:
            yield entry_from_row(row, id_prefix="csv")


@lru_cache(maxsize=1)
def wikidata_types() -> dict[str, tuple[str, str]]:
    """P31 class QID -> (presslens type, kind), from data/wikidata_types.tsv."""
    text = resources.files("presslens").joinpath("data/wikidata_types.tsv").read_text("utf-8")
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("qid\t"):
            continue
        qid, etype, kind = line.split("\t")[:3]
        out[qid] = (etype, kind)
    return out


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    if path.suffix == ".bz2":
        return io.TextIOWrapper(bz2.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8", newline="")


def _claim_ids(entity: dict[str, Any], prop: str) -> list[str]:
    out = []
    for claim in entity.get("claims", {}).get(prop, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and "id" in value:
            out.append(str(value["id"]))
    return out


def entry_from_wikidata(entity: dict[str, Any], *, lang: str = "en") -> KBEntry | None:
    """A KB entry for a Wikidata entity of a wanted class, or None."""
    types = wikidata_types()
    kinds = [types[c] for c in _claim_ids(entity, "P31") if c in types]
    if not kinds:
        return None
    label = entity.get("labels", {}).get(lang, {}).get("value")
    if not label:
        return None
    aliases = tuple(a["value"] for a in entity.get("aliases", {}).get(lang, []) if "value" in a)
    description = entity.get("descriptions", {}).get(lang, {}).get("value", "")
    etype, kind = kinds[0]
    qid = str(entity["id"])
    countries = _claim_ids(entity, "P27") or _claim_ids(entity, "P17")
    return KBEntry(id=qid, qid=qid, name=label, type=etype, kind=kind,
                   country=countries[0] if countries else "", aliases=aliases,
                   description=description)


def read_wikidata_dump(path: Path, *, lang: str = "en") -> Iterator[KBEntry]:
    with _open_text(path) as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip().rstrip(",")
            if not line or line in ("[", "]"):
                continue
            try:
                entity = json.loads(line)
            except json.JSONDecodeError:
                raise KnowledgeBaseError(f"{path}:{n}: not a JSON entity line") from None
            entry = entry_from_wikidata(entity, lang=lang)
            if entry is not None:
                yield entry
