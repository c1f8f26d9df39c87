"""The SQLite knowledge base: real files, real look-ups, real imports."""

import bz2
import gzip
import json
from pathlib import Path

import pytest

from presslens.errors import KnowledgeBaseError
from presslens.kb.bases import KBEntry, KnowledgeBase
from presslens.kb.importers import packaged_entries, read_csv, read_wikidata_dump


@pytest.fixture
def store(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    kb.add([
        KBEntry(id="p1", name="Mykhailo Podolyak", type="PERSON", kind="official",
                country="Ukraine", aliases=("Mykhailo Podoliak",)),
        KBEntry(id="p2", name="Jake Sullivan", type="PERSON", kind="official",
                country="United States"),
        KBEntry(id="g1", name="Kharkiv", type="GPE", kind="city", aliases=("Kharkov",)),
    ])
    return kb


def test_kb_exact_alias_and_automatic_surname(store: KnowledgeBase) -> None:
    assert [c.entry.id for c in store.exact("Kharkov")] == ["g1"]
    hits = store.exact("Sullivan")
    assert [c.entry.id for c in hits] == ["p2"] and hits[0].partial
    assert store.exact("Sullivan", include_partial=False) == []


def test_kb_search_finds_garbled_spelling(store: KnowledgeBase) -> None:
    hits = store.search("Pordoliak", types=["PERSON"])
    assert hits and hits[0].entry.name == "Mykhailo Podolyak"
    assert store.search("Pordoliak", types=["GPE"]) == []


def test_kb_replacing_an_entry_keeps_one_copy(store: KnowledgeBase) -> None:
    store.add([KBEntry(id="g1", name="Kharkiv", type="GPE", kind="city")])
    assert len(store) == 3
    assert store.exact("Kharkov") == []


def test_kb_csv_import(tmp_path: Path) -> None:
    p = tmp_path / "kb.csv"
    p.write_text("qid,name,type,kind,country,aliases,roles\n"
                 ",Kaja Kallas,PERSON,politician,Estonia,Kaja Kallas,"
                 "Prime Minister of Estonia (2021-2024)\n")
    entries = list(read_csv(p))
    assert entries[0].name == "Kaja Kallas" and entries[0].roles == (
        "Prime Minister of Estonia (2021-2024)",)
    bad = tmp_path / "bad.csv"
    bad.write_text("label,kind\nx,y\n")
    with pytest.raises(KnowledgeBaseError, match="name"):
        list(read_csv(bad))


def _wikidata_lines() -> list[str]:
    human = {"id": "Q100", "labels": {"en": {"value": "Ada Example"}},
             "aliases": {"en": [{"value": "A. Example"}]},
             "descriptions": {"en": {"value": "test person"}},
             "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q5"}}}}]}}
    rock = {"id": "Q101", "labels": {"en": {"value": "A Rock"}},
            "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q8063"}}}}]}}
    return ["[", json.dumps(human) + ",", json.dumps(rock), "]"]


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.bz2"])
def test_kb_wikidata_dump_import_streams_and_filters(tmp_path: Path, suffix: str) -> None:
    data = "\n".join(_wikidata_lines()).encode()
    p = tmp_path / f"dump{suffix}"
    opener = {".json": open, ".json.gz": gzip.open, ".json.bz2": bz2.open}[suffix]
    with opener(p, "wb") as fh:  # type: ignore[operator]
        fh.write(data)
    entries = list(read_wikidata_dump(p))
    assert [(e.qid, e.name, e.type, e.aliases) for e in entries] == [
        ("Q100", "Ada Example", "PERSON", ("A. Example",))]


def test_kb_packaged_data_is_large_unique_and_well_formed() -> None:
    entries = list(packaged_entries())
    assert len(entries) >= 2000
    types = {e.type for e in entries}
    assert {"PERSON", "ORG", "GPE"} <= types
    qids = [e.qid for e in entries if e.qid]
    dup_qids = {q for q in qids if qids.count(q) > 1}
    assert not dup_qids, f"one QID on several entries: {sorted(dup_qids)[:10]}"
    for e in entries:
        assert e.name.strip() == e.name and e.name
        assert e.qid is None or e.qid.startswith("Q")


def test_kb_repeated_look_ups_are_answered_alike_and_forgotten_after_a_change(
        store: KnowledgeBase) -> None:
    first = store.search("Podoliak", types=["PERSON"])
    first.clear()  # a caller's list is its own
    assert [c.entry.id for c in store.search("Podoliak", types=["PERSON"])] == ["p1"]
    assert [c.entry.id for c in store.exact("Kharkov")] == ["g1"]
    store.add([KBEntry(id="g2", name="Kharkov Oblast", type="GPE", aliases=("Kharkov",))])
    assert sorted(c.entry.id for c in store.exact("Kharkov")) == ["g1", "g2"]


def test_kb_acronym_alias_matches_only_as_written(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    kb.add([KBEntry(id="o1", name="TRT World", type="ORG", kind="media", aliases=("TRT",))])
    assert [c.entry.id for c in kb.search("TRT", types=["ORG"])] == ["o1"]
    assert kb.search("Tartu", types=["ORG"]) == []


def test_kb_patronymic_is_not_filed_as_a_surname(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    kb.add([KBEntry(id="p1", name="Mohammed bin Salman", type="PERSON", country="Saudi Arabia"),
            KBEntry(id="p2", name="Salman of Saudi Arabia", type="PERSON",
                    country="Saudi Arabia", aliases=("King Salman",))])
    assert [c.entry.id for c in kb.exact("Salman")] == ["p2"]
    assert [c.entry.id for c in kb.exact("Mohammed bin Salman")] == ["p1"]
