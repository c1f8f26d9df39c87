"""The packaged knowledge base is consistent and current: one entry per real entity, every
country it names is a place it knows, every role period is well formed, and the offices
that ended by the KB's date are not current."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from presslens.errors import KnowledgeBaseError
from presslens.kb.bases import (
    KBEntry,
    KnowledgeBase,
    KnowledgeBases,
    current_roles,
    former_roles,
)
from presslens.kb.importers import entry_from_row, packaged_entries, parse_role
from presslens.language.names import fold

# The date data/kb/CHANGES.md says the KB is current to.
KB_DATE = date(2026, 12, 1)

# Offices that one person holds at a time: two current holders means a predecessor whose
# role was not closed.
SINGLE_HOLDER = ("President of ", "Prime Minister of ", "Chancellor of ", "Premier of ",
                 "Minister of Foreign Affairs of ", "Minister of Defence of ",
                 "Minister of Defense of ", "Secretary of State", "Secretary-General of ",
                 "Secretary General of ", "Governor of the Bank of ", "Director of the ",
                 "Chief of the General Staff", "Chief of the Defence Staff",
                 "Supreme Allied Commander", "King of ", "Chief Adviser")


@pytest.fixture(scope="module")
def entries() -> list[KBEntry]:
    return list(packaged_entries())


def _name_key(name: str) -> str:
    """A name without case and accents but with its signs ("OPEC+" is not "OPEC")."""
    bare = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


def _duplicates(keys: list[object]) -> list[object]:
    return sorted((k for k, n in Counter(keys).items() if n > 1), key=str)


def test_kb_data_one_entry_per_qid(entries: list[KBEntry]) -> None:
    assert _duplicates([e.qid for e in entries if e.qid]) == []


def test_kb_data_one_entry_per_name_and_country(entries: list[KBEntry]) -> None:
    assert _duplicates([(_name_key(e.name), e.country) for e in entries]) == []


def test_kb_data_ids_are_unique_across_files(entries: list[KBEntry]) -> None:
    # a repeated id would silently replace an earlier entry when the KB is built
    assert _duplicates([e.id for e in entries]) == []


def test_kb_data_people_have_no_alias_of_another_person_of_their_country(
        entries: list[KBEntry]) -> None:
    owners: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        if e.type == "PERSON":
            for alias in (e.name, *e.aliases):
                if len(alias.split()) > 1:
                    owners.setdefault((fold(alias), e.country), set()).add(e.id)
    assert [k for k, ids in owners.items() if len(ids) > 1] == []


def test_kb_data_every_country_is_a_known_place(entries: list[KBEntry]) -> None:
    places = {e.name for e in entries if e.kind in ("country", "territory")}
    unknown = sorted({e.country for e in entries if e.country and e.country not in places})
    assert unknown == []


def test_kb_data_every_role_period_parses(entries: list[KBEntry]) -> None:
    for e in entries:
        for role in e.roles:
            parse_role(role, source=e.name)  # raises on a malformed or reversed period


def test_kb_data_single_holder_offices_have_one_current_holder(entries: list[KBEntry]) -> None:
    holders: dict[str, list[str]] = {}
    for e in entries:
        for role in current_roles(e, KB_DATE):
            if role.title.startswith(SINGLE_HOLDER):
                holders.setdefault(role.title, []).append(e.name)
    assert {t: names for t, names in holders.items() if len(names) > 1} == {}


@pytest.mark.parametrize(("name", "country", "title", "held"), [
    ("Nicolás Maduro", "Venezuela", "President of Venezuela", False),
    ("Delcy Rodríguez", "Venezuela", "Acting President of Venezuela", True),
    ("Gabriel Boric", "Chile", "President of Chile", False),
    ("José Antonio Kast", "Chile", "President of Chile", True),
    ("Dick Schoof", "Netherlands", "Prime Minister of the Netherlands", False),
    ("Rob Jetten", "Netherlands", "Prime Minister of the Netherlands", True),
    ("Muhammad Yunus", "Bangladesh", "Chief Adviser of the Interim Government of Bangladesh",
     False),
    ("Tarique Rahman", "Bangladesh", "Prime Minister of Bangladesh", True),
    ("Rumen Radev", "Bulgaria", "President of Bulgaria", False),
    ("Iliana Iotova", "Bulgaria", "President of Bulgaria", True),
    ("Keith Kellogg", "United States", "United States Special Envoy for Ukraine and Russia",
     False),
    ("Kyrylo Budanov", "Ukraine", "Chief of the Defence Intelligence of Ukraine", False),
    ("Kyrylo Budanov", "Ukraine", "Head of the Office of the President of Ukraine", True),
    ("Mykhailo Fedorov", "Ukraine", "Minister of Digital Transformation of Ukraine", False),
    ("Mykhailo Fedorov", "Ukraine", "Minister of Defence of Ukraine", True),
])
def test_kb_data_known_changes_of_office(entries: list[KBEntry], name: str, country: str,
                                         title: str, held: bool) -> None:
    entry = next(e for e in entries if e.name == name and e.country == country)
    assert (title in {r.title for r in current_roles(entry, KB_DATE)}) is held
    if not held:
        assert title in {r.title for r in former_roles(entry, KB_DATE)}


@pytest.mark.parametrize(("text", "title", "start", "end"), [
    ("President of Chile (2022-2026)", "President of Chile", date(2022, 1, 1),
     date(2026, 12, 31)),
    ("Prime Minister of X (2025-)", "Prime Minister of X", date(2025, 1, 1), None),
    ("White House Press Secretary (2017)", "White House Press Secretary", date(2017, 1, 1),
     date(2017, 12, 31)),
    ("President of X (2013-04-19/2026-01-03)", "President of X", date(2013, 4, 19),
     date(2026, 1, 3)),
    ("Acting President of X (2026-01/)", "Acting President of X", date(2026, 1, 1), None),
    ("Leader of X (/2025-10-15)", "Leader of X", None, date(2025, 10, 15)),
    ("Envoy (2025-02/2026-02)", "Envoy", date(2025, 2, 1), date(2026, 2, 28)),
])
def test_kb_parse_role_periods(text: str, title: str, start: date | None,
                               end: date | None) -> None:
    role = parse_role(text)
    assert (role.title, role.start, role.end, role.dated) == (title, start, end, True)


@pytest.mark.parametrize("text", ["Leader of Jama'at Nusrat al-Islam wal-Muslimin (JNIM)",
                                  "Founder of Grameen Bank", "Minister of X"])
def test_kb_parse_role_without_period_is_undated(text: str) -> None:
    role = parse_role(text)
    assert role.title == text and not role.dated
    assert role.held_on(KB_DATE) is None


@pytest.mark.parametrize("text", ["President of X (2026-13/)", "President of X (2026-2020)",
                                  "President of X (2026-02-30/)",
                                  "President of X (2025-03-01-2026)"])
def test_kb_malformed_role_period_fails_the_load(text: str) -> None:
    with pytest.raises(KnowledgeBaseError):
        entry_from_row({"name": "Ada Example", "type": "PERSON", "roles": text})


def test_kb_current_and_former_roles_follow_the_dates() -> None:
    entry = KBEntry(id="x", name="Ada Example", type="PERSON", roles=(
        "Minister of X (2019-2021)", "Prime Minister of X (2021-06-01/2026-01-31)",
        "President of X (2026-02/)", "Founder of Y"))
    assert [r.title for r in current_roles(entry, date(2020, 5, 1))] == ["Minister of X"]
    assert [r.title for r in current_roles(entry, date(2026, 1, 31))] == [
        "Prime Minister of X"]
    assert [r.title for r in current_roles(entry, KB_DATE)] == ["President of X"]
    assert [r.title for r in former_roles(entry, KB_DATE)] == ["Minister of X",
                                                              "Prime Minister of X"]
    assert current_roles(entry, date(2018, 1, 1)) == ()


def test_kb_office_holders_on_a_date(tmp_path: Path) -> None:
    store = KnowledgeBase(tmp_path / "kb.sqlite")
    store.add([
        KBEntry(id="a", name="Ada Example", type="PERSON", country="Xland",
                roles=("President of Xland (2018-03-11/2022-03-11)",)),
        KBEntry(id="b", name="Bo Example", type="PERSON", country="Xland",
                roles=("President of Xland (2022-03-11/2026-03-11)", "Senator (2010-2018)")),
        KBEntry(id="c", name="Cy Example", type="PERSON", country="Xland",
                roles=("President of Xland (2026-03-11/)",)),
        KBEntry(id="d", name="Di Example", type="PERSON", country="Yland",
                roles=("President of Xland (2026-03-11/)",)),
    ])
    kbs = KnowledgeBases([store])
    assert [e.id for e in kbs.office_holders("Xland", "President of Xland", KB_DATE)] == ["c"]
    assert [e.id for e in kbs.office_holders("Xland", "President of Xland",
                                             date(2024, 1, 1))] == ["b"]
    assert kbs.office_holders("Xland", "President of Xland", date(2000, 1, 1)) == []
    assert kbs.office_holders("Xland", "Senator", KB_DATE) == []
