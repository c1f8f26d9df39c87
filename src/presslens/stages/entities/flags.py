"""Mistranslation detectors. Each is general (no article-specific words) and pure.

* misread abbreviation: a country or demonym that conflicts with what the article is about,
  where a known abbreviation collision explains it (``data/abbreviation_collisions.tsv``:
  Chinese 乌 stands for Ukraine and begins Uzbekistan, so 乌军 may come out "Uzbek army");
* place as speaker: a place name in a speaker slot ("X said") that sounds like a person of
  the article: a transliterated short name read as a place;
* variant spelling: a name that is not a known spelling of the entity it resolved to;
* literal idiom: a set phrase translated word for word (``data/literal_idioms.tsv``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from presslens.language.lexicons import abbreviation_collisions, countries, literal_idioms
from presslens.language.names import fold
from presslens.model import PLACE_LABELS
from presslens.stages.entities.mentions import MentionCandidate


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    text: str
    kind: str
    suggestion: str | None
    confidence: float
    mention: int | None = None  # index of the mention the flag concerns
    reason: str = ""


@dataclass(frozen=True)
class CountryReferences:
    """How an article refers to each country: by naming it or a place in it, and by a
    demonym or one of its institutions ("Ukrainian", "Russian troops")."""

    named: Counter[str]
    adjectival: Counter[str]

    @property
    def total(self) -> Counter[str]:
        return self.named + self.adjectival


def country_references(mentions: list[MentionCandidate],
                       place_country: Callable[[MentionCandidate], str | None]
                       ) -> CountryReferences:
    table = countries()
    named: Counter[str] = Counter()
    adjectival: Counter[str] = Counter()
    for m in mentions:
        if m.kind == "group" and m.country:
            adjectival[m.country] += 1
        elif m.kind == "name" and m.label == "NORP":
            c = table.lookup(m.text)
            if c is not None:
                adjectival[c.name] += 1
        elif m.kind == "name" and m.label in PLACE_LABELS:
            c = table.lookup(m.text)
            country = c.name if c is not None else place_country(m)
            if country:
                named[country] += 1
    return CountryReferences(named, adjectival)


def misread_abbreviations(mentions: list[MentionCandidate], refs: CountryReferences, *,
                          subject_share: float) -> Iterator[tuple[int, str, Finding]]:
    """(mention index, intended country, finding) for each demonym or country institution
    that a known abbreviation collision explains better as the article's subject: the
    article never names the country or a place in it (or mentions it far less than the
    subject), while the other reading of the abbreviation is what the article is about."""
    counts = refs.total
    total = sum(counts.values())
    if not total:
        return
    table = countries()
    for i, m in enumerate(mentions):
        if m.kind == "group" and m.country:
            country = m.country
        elif m.kind == "name" and m.label == "NORP" and table.lookup(m.text) is not None:
            country = table.lookup(m.text).name  # type: ignore[union-attr]
        else:
            continue
        seen = counts.get(country, 0)
        unsupported = refs.named.get(country, 0) == 0
        best: tuple[float, str, str] | None = None
        for col in abbreviation_collisions():
            if country not in col.countries:
                continue
            for other in col.countries:
                share = counts.get(other, 0) / total
                if other == country or share < subject_share:
                    continue
                dominant = counts[other] >= 4 * seen or (
                    unsupported and counts[other] >= max(3, 2 * seen))
                if dominant and (best is None or share > best[0]):
                    best = (share, other, f"{col.language} '{col.abbreviation}'")
        if best is None or best[1] not in table.by_name:
            continue
        share, other, via = best
        intended = table.by_name[other]
        wrong = table.by_name.get(country)
        split = table.split_prefix(m.text) if m.kind == "group" else None
        if split is not None:
            suggestion = f"{intended.adjective} {split[1]}"
        else:
            suggestion = intended.adjective
        confidence = round(min(0.95, 0.55 + share * 0.6), 2)
        yield i, other, Finding(
            m.start, m.end, m.text, "misread-abbreviation", suggestion, confidence, i,
            f"{wrong.name if wrong else country} is barely mentioned while the article is "
            f"about {other}; the abbreviation {via} stands for both",
        )


def literal_idiom_findings(text: str, *, confidence: float) -> Iterator[Finding]:
    lowered = text.lower()
    for idiom in literal_idioms():
        if idiom.anchors and not any(a in lowered for a in idiom.anchors):
            continue  # cannot match: skip the regex
        for match in idiom.pattern.finditer(text):
            yield Finding(match.start(), match.end(), match.group(0), "literal-idiom",
                          idiom.meaning, confidence, None,
                          f"word-for-word rendering of the {idiom.language} set phrase "
                          f"{idiom.source_phrase}")


def is_known_spelling(surface: str, known: list[str]) -> bool:
    """A surface is a known spelling if it equals a known name, or is its first/last words."""
    f = fold(surface)
    for k in known:
        fk = fold(k)
        if f == fk:
            return True
        words = fk.split()
        fw = f.split()
        if len(fw) < len(words) and (words[-len(fw):] == fw or words[:len(fw)] == fw):
            return True
    return False
