"""Linking on a hand-built knowledge base (no model): links on evidence, NIL otherwise."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from presslens.config import EntitiesSettings, load_config
from presslens.kb.bases import KBEntry, KnowledgeBase, KnowledgeBases
from presslens.stages.entities.linking import (
    Link,
    NearMisses,
    bare_name_words,
    canonical_name,
    country_variants,
    full_name_fits,
    group_entry,
    initials_form,
    kb_roles,
    link_cluster,
    regnal_form,
    role_agreement,
)
from presslens.stages.entities.resolve import Cluster


def test_linking_near_miss_finds_the_one_word_off_organisation(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    kb.add([KBEntry(id="o1", name="Rapid Support Forces", type="ORG", kind="armed_group",
                    country="Sudan", aliases=("RSF",)),
            KBEntry(id="o2", name="Sudanese Armed Forces", type="ORG", kind="armed_forces",
                    country="Sudan")])
    near = NearMisses(KnowledgeBases([kb]), {"Sudan": 0.6, "Chad": 0.05}, confidence=0.6)

    def link(name: str) -> str | None:
        found = near.find(Cluster(label="ORG", names=Counter({name: 1})))
        return found.entry.id if found else None

    assert link("Rapid Reaction Forces") == "o1"
    assert link("Sudanese Army Forces") == "o2"
    assert link("Rapid Support Forces") is None  # the name itself is no near miss
    assert link("Rapid Reaction Brigades") is None  # the head word must be kept
    assert NearMisses(KnowledgeBases([kb]), {"Chad": 1.0}, confidence=0.6).filed == {}


# -- linking people and names on evidence ------------------------------------------------

@pytest.fixture(scope="module")
def people_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBases:
    kb = KnowledgeBase(tmp_path_factory.mktemp("kb") / "kb.sqlite")
    kb.add([
        KBEntry(id="p1", name="Anthony Kennedy", type="PERSON", kind="official",
                country="United States",
                roles=("Associate Justice of the Supreme Court of the United States",)),
        KBEntry(id="p2", name="Ilya Yashin", type="PERSON", kind="politician",
                country="Russia"),
        KBEntry(id="p3", name="Vitaly Churkin", type="PERSON", kind="diplomat",
                country="Russia", aliases=("Vitaliy Churkin",)),
        KBEntry(id="p4", name="Nicholas Burns", type="PERSON", kind="diplomat",
                country="United States"),
        KBEntry(id="p5", name="Volodymyr Zelensky", type="PERSON", kind="head_of_state",
                country="Ukraine", aliases=("Volodymyr Zelenskyy",)),
        KBEntry(id="p6", name="Jeh Johnson", type="PERSON", kind="politician",
                country="United States"),
        KBEntry(id="p7", name="Mike Johnson", type="PERSON", kind="politician",
                country="United States"),
        KBEntry(id="p8", name="Hun Sen", type="PERSON", kind="head_of_government",
                country="Cambodia"),
        KBEntry(id="o1", name="TRT World", type="ORG", kind="media", country="Turkey",
                aliases=("TRT",)),
        KBEntry(id="g1", name="Nablus", type="GPE", kind="city", country="Palestine"),
    ])
    return KnowledgeBases([kb])


@pytest.fixture(scope="module")
def settings() -> EntitiesSettings:
    return load_config().entities


def _link(kb: KnowledgeBases, settings: EntitiesSettings, label: str, *names: str,
          countries: dict[str, float] | None = None, roles: tuple[str, ...] = (),
          doc_names: frozenset[str] = frozenset()) -> Link | None:
    cluster = Cluster(label=label, names=Counter(names), roles=set(roles))
    return link_cluster(cluster, kb, countries or {}, settings=settings, doc_names=doc_names)


@pytest.mark.parametrize(("names", "countries", "expected"), [
    (("Ryan Kennedy",), {"United States": 1.0}, None),  # another given name: not the justice
    (("Anthony Kennedy",), {"United States": 1.0}, "p1"),
    (("Pavel Yashin",), {"Russia": 1.0}, None),
    (("Ilya Yashin",), {"Russia": 1.0}, "p2"),
    (("Dmitry Kurakin",), {"Russia": 1.0}, None),
    (("Boston Bruins",), {"United States": 1.0}, None),
    (("Volodimir Zelenskiy",), {"Ukraine": 0.8}, "p5"),  # a garbled given name still fits
    (("Sen.",), {"Cambodia": 1.0}, None),  # a title alone names nobody
    (("Hun Sen",), {"Cambodia": 1.0}, "p8"),
])
def test_linking_full_names_link_on_their_given_names(
        people_kb: KnowledgeBases, settings: EntitiesSettings, names: tuple[str, ...],
        countries: dict[str, float], expected: str | None) -> None:
    link = _link(people_kb, settings, "PERSON", *names, countries=countries)
    assert (link.entry.id if link else None) == expected


def test_linking_surname_alone_needs_context_and_gets_less_confidence(
        people_kb: KnowledgeBases, settings: EntitiesSettings) -> None:
    us = {"United States": 1.0}
    assert _link(people_kb, settings, "PERSON", "Kennedy", countries=us) is None
    link = _link(people_kb, settings, "PERSON", "Kennedy", countries=us,
                 doc_names=frozenset({"supreme court"}))
    assert link is not None and link.entry.id == "p1"
    assert link.score <= settings.surname_link_confidence
    assert "surname-only" in link.evidence and "co-mention:supreme court" in link.evidence
    # two namesakes the context cannot tell apart: neither
    assert _link(people_kb, settings, "PERSON", "Johnson", countries=us,
                 roles=("legislator",)) is None


def test_linking_organisations_and_places_never_link_to_people(
        people_kb: KnowledgeBases, settings: EntitiesSettings) -> None:
    assert _link(people_kb, settings, "ORG", "Boston Bruins",
                 countries={"United States": 1.0}) is None
    assert _link(people_kb, settings, "ORG", "Tartu", countries={"Turkey": 0.5}) is None
    trt = _link(people_kb, settings, "ORG", "TRT", countries={"Turkey": 0.5})
    assert trt is not None and trt.entry.id == "o1"
    assert _link(people_kb, settings, "GPE", "Naples", countries={"Italy": 1.0}) is None


def test_linking_every_link_carries_confidence_and_evidence(
        people_kb: KnowledgeBases, settings: EntitiesSettings) -> None:
    link = _link(people_kb, settings, "PERSON", "Volodymyr Zelensky", countries={"Ukraine": 1.0})
    assert link is not None and 0 < link.score <= 1
    assert link.evidence[0] == "name:exact:Volodymyr Zelensky"
    assert "given-name-agrees" in link.evidence and "country:Ukraine=1.00" in link.evidence


@pytest.mark.parametrize(("name", "words"), [
    ("Sen. Lindsey Graham Jr.", ("lindsey", "graham")),
    ("Hun Sen", ("hun", "sen")),
    ("Gov.", ()),
])
def test_linking_bare_name_words_drop_titles_and_suffixes(name: str,
                                                          words: tuple[str, ...]) -> None:
    assert bare_name_words(name) == words


def test_linking_full_name_fits_an_alias_and_names_in_either_order() -> None:
    entry = KBEntry(id="p", name="Xi Jinping", type="PERSON", country="China")
    bill = KBEntry(id="b", name="Bill Clinton", type="PERSON",
                   aliases=("William Jefferson Clinton",))

    def fits(name: str, e: KBEntry) -> bool:
        return full_name_fits(name, e, similarity=0.6, listed_similarity=0.85)

    assert fits("Jinping Xi", entry) and fits("Xi Jinping", entry)
    assert fits("Bill Clinton", bill) and fits("William J. Clinton", bill)
    assert not fits("Chelsea Clinton", bill)


@pytest.mark.parametrize(("name", "expected"), [
    ("Jay Dee Vens", "JD Vens"),  # initials read out and transliterated
    ("Jay Vens", None),  # one letter name is a given name
    ("Dee Snider Vens", None),
])
def test_linking_spelled_out_initials_are_read_as_initials(name: str,
                                                           expected: str | None) -> None:
    assert initials_form(name) == expected


# -- syllables of given names; organisation names that name their country ----------------------

@pytest.fixture(scope="module")
def variant_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBases:
    kb = KnowledgeBase(tmp_path_factory.mktemp("kb") / "kb.sqlite")
    kb.add([
        KBEntry(id="p1", name="Lo Shu-wen", type="PERSON", kind="head_of_state",
                country="Taiwan", roles=("President of Taiwan (2016-)",), prominence=0.9),
        KBEntry(id="p2", name="Reza Tabar-Nasirian", type="PERSON", kind="minister",
                country="Iran", roles=("Minister of Roads of Iran (2020-)",), prominence=0.9),
        KBEntry(id="o1", name="Norway Cooperation Institute", type="ORG", kind="agency",
                country="Norway", aliases=("NCI",)),
        KBEntry(id="o2", name="Ministry of Fisheries (Norway)", type="ORG", kind="ministry",
                country="Norway", aliases=("MFN",)),
    ])
    return KnowledgeBases([kb])


def test_linking_a_syllable_of_a_given_name_is_no_surname(
        variant_kb: KnowledgeBases, settings: EntitiesSettings) -> None:
    taiwan = {"Taiwan": 0.3}
    # "Waiwen" is not a spelling of "wen", the last syllable of "Shu-wen"
    assert _link(variant_kb, settings, "PERSON", "Waiwen", countries=taiwan,
                 roles=("president",)) is None
    # a hyphenated surname's long last part is still a surname
    link = _link(variant_kb, settings, "PERSON", "Nasirian", countries={"Iran": 0.5},
                 roles=("minister",))
    assert link is not None and link.entry.id == "p2"


@pytest.mark.parametrize(("names", "expected"), [
    (["Norwegian Cooperation Institute"], [("Norway Cooperation Institute", None)]),
    (["MFN of Norway"], [("MFN", "Norway")]),
    (["Bank of the Netherlands"], [("Bank", "Netherlands")]),
    (["Saudi Arabian Airlines"], []),  # the adjective opens the country's name
    (["Bank of England"], []),
    (["Cooperation Institute"], []),
])
def test_linking_country_variants_of_organisation_names(
        names: list[str], expected: list[tuple[str, str | None]]) -> None:
    assert country_variants(names) == expected


def test_linking_organisation_links_by_the_name_of_its_country(
        variant_kb: KnowledgeBases, settings: EntitiesSettings) -> None:
    norway = {"Norway": 0.5}
    link = _link(variant_kb, settings, "ORG", "Norwegian Cooperation Institute", countries=norway)
    assert link is not None and link.entry.id == "o1"
    link = _link(variant_kb, settings, "ORG", "MFN of Norway", countries=norway)
    assert link is not None and link.entry.id == "o2"
    # the acronym of another country's body is not that body
    assert _link(variant_kb, settings, "ORG", "MFN of Sweden",
                 countries={"Norway": 0.5, "Sweden": 0.5}) is None


def test_linking_kb_roles_of_a_date_are_the_roles_then_held() -> None:
    entry = KBEntry(id="p", name="Ada Norquist", type="PERSON", country="Norway",
                    roles=("Governor of Vestland (2001-2010)", "Senator of Norway (2011-)",
                           "Chair of the Norway Chess Club"))
    link = Link(entry, 1.0, entry.name)
    assert {"governor", "legislator", "chair"} <= kb_roles(link)  # no date: every role
    assert kb_roles(link, on=date(2020, 5, 1)) >= {"legislator", "chair"}
    assert "governor" not in kb_roles(link, on=date(2020, 5, 1))
    assert "legislator" not in kb_roles(link, on=date(2005, 5, 1))
    assert role_agreement({"governor"}, entry) == 1.0
    assert role_agreement({"governor"}, entry, on=date(2020, 5, 1)) == 0.0


def test_linking_group_phrase_names_the_institution_it_says() -> None:
    council = KBEntry(id="g1", name="Military Council of Norland", type="ORG",
                      kind="government", country="Norland")
    cabinet = KBEntry(id="g2", name="Government of Norland", type="ORG", kind="government",
                      country="Norland", aliases=("Norlandic cabinet",))
    army = KBEntry(id="a1", name="Norland Land Army", type="ORG", kind="armed_forces",
                   country="Norland", aliases=("Norlandic army",))
    forces = KBEntry(id="a2", name="Norland Armed Forces", type="ORG", kind="armed_forces",
                     country="Norland")

    def group(text: str, kind: str, entries: list[KBEntry]) -> str | None:
        cluster = Cluster(label="ORG", names=Counter({text: 1}), country="Norland",
                          group_kind=kind)
        found = group_entry(entries, cluster)
        return found.id if found else None

    assert group("the Norlandic cabinet", "government", [council, cabinet]) == "g2"
    assert group("Norlandic government", "government", [council, cabinet]) == "g2"
    assert group("Norlandic authorities", "government", [council]) == "g1"  # the only one
    assert group("Norlandic authorities", "government", [council, council]) is None
    assert group("Norlandic army", "armed_forces", [forces, army]) == "a1"
    assert group("Norlandic navy", "armed_forces", [army, forces]) == "a2"
    assert group("Norlandic troops", "armed_forces", []) is None


@pytest.mark.parametrize(("name", "expected"), [
    ("Ramses the Second", "Ramses II"),
    ("Margit the Fourteenth", "Margit XIV"),
    ("Ivan the Terrible", "Ivan the Terrible"),  # an epithet is no number
    ("Anna Berg", "Anna Berg"),
])
def test_linking_regnal_numbers_are_written_as_numerals(name: str, expected: str) -> None:
    assert regnal_form(name) == expected
    cluster = Cluster(label="PERSON", names=Counter({name: 1}))
    assert canonical_name(cluster, None, {}) == expected
