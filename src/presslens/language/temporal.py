"""Temporal expressions: found in text and normalised against the publication date.

"On November 20" in an article published 2022-11-21 is 2022-11-20; "on Tuesday" is the last
Tuesday on or before publication; "yesterday", "last year", "in March 2023" likewise. Dates
with no year and no publication date to anchor them stay unresolved rather than guessed.
When an article carries no publication date, ``infer_published`` takes the latest full
date the text gives (the result is marked as inferred by the caller).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|" \
         r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
                       r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("dmy", re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH +
                       r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("my", re.compile(r"\b(?i:in|since|until|by|from|of)\s+" + _MONTH +
                      r"(?:\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("weekday", re.compile(r"\b(?i:on\s+|last\s+)?(?P<weekday>Monday|Tuesday|Wednesday|"
                           r"Thursday|Friday|Saturday|Sunday)\b")),
    ("relative", re.compile(r"\b(?P<rel>yesterday|today|tomorrow|last week|last month|"
                            r"last year|this year|next year|next week)\b", re.I)),
    ("year", re.compile(r"\b(?i:in|since|until|by|of|from)\s+(?P<year>(?:19|20)\d\d)\b")),
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # ISO date, or YYYY-MM, or YYYY
    granularity: str  # day | month | year


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match[str], anchor: date | None, max_days_ahead: int
             ) -> tuple[str, str] | None:
    g = m.groupdict()
    if kind == "iso":
        d = _day(int(g["year"]), int(g["mnum"]), int(g["day"]))
        return (d.isoformat(), "day") if d else None
    if kind in ("mdy", "dmy"):
        month = MONTHS[g["month"].lower().rstrip(".")]
        if g.get("year"):
            d = _day(int(g["year"]), month, int(g["day"]))
        elif anchor is not None:
            d = _day(anchor.year, month, int(g["day"]))
            if d is not None and d > anchor + timedelta(days=max_days_ahead):
                d = _day(anchor.year - 1, month, int(g["day"]))  # "December 30" in January
        else:
            return None
        return (d.isoformat(), "day") if d else None
    if kind == "my":
        month = MONTHS[g["month"].lower().rstrip(".")]
        if g.get("month", "").lower() == "may" and not g.get("year"):
            return None  # "by May" is too often the verb
        year = int(g["year"]) if g.get("year") else (anchor.year if anchor else None)
        return (f"{year:04d}-{month:02d}", "month") if year else None
    if kind == "weekday" and anchor is not None:
        back = (anchor.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        return (anchor - timedelta(days=back)).isoformat(), "day"
    if kind == "relative" and anchor is not None:
        rel = g["rel"].lower()
        if rel in ("yesterday", "today", "tomorrow"):
            shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[rel]
            return (anchor + timedelta(days=shift)).isoformat(), "day"
        if rel in ("last week", "next week"):
            shift = -7 if rel.startswith("last") else 7
            return (anchor + timedelta(days=shift)).isoformat(), "day"
        if rel == "last month":
            first = anchor.replace(day=1) - timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}", "month"
        shift = {"last year": -1, "this year": 0, "next year": 1}[rel]
        return f"{anchor.year + shift:04d}", "year"
    if kind == "year":
        return g["year"], "year"
    return None


def find_dates(text: str, published: str | None, *, max_days_ahead: int) -> list[DateMention]:
    """Every temporal expression that can be resolved, longest first where they overlap. A
    day and month without a year falling more than ``max_days_ahead`` days after ``published``
    is read in the year before."""
    anchor = _parse_iso(published)
    found: list[DateMention] = []
    # spans already taken, in text order; they never overlap, so their ends are in order
    # too and only the last one starting before a match can overlap it
    starts: list[int] = []
    ends: list[int] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            at = bisect_left(starts, m.end())
            if at and ends[at - 1] > m.start():
                continue
            resolved = _resolve(kind, m, anchor, max_days_ahead)
            if resolved is None:
                continue
            starts.insert(at, m.start())
            ends.insert(at, m.end())
            found.append(DateMention(m.start(), m.end(), m.group(0), *resolved))
    return sorted(found, key=lambda d: d.start)


def infer_published(text: str) -> str | None:
    """The latest full date the text states, as a stand-in for a missing publication date."""
    # with no publication date, no date without a year is resolved: the window is unused
    days = [d.value for d in find_dates(text, None, max_days_ahead=0)
            if d.granularity == "day"]
    return max(days) if days else None


def date_within(dates: Sequence[DateMention], start: int, end: int) -> DateMention | None:
    """The most precise date mentioned between ``start`` and ``end``. ``dates`` are in text
    order, as ``find_dates`` gives them."""
    inside = []
    for i in range(bisect_left(dates, start, key=lambda d: d.start), len(dates)):
        d = dates[i]
        if d.start >= end:
            break
        if d.end <= end:
            inside.append(d)
    order = {"day": 0, "month": 1, "year": 2}
    return min(inside, key=lambda d: (order[d.granularity], d.start)) if inside else None
