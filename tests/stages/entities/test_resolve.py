"""Clustering from hand-built mentions (no model): spelling, context and KB evidence."""

from collections import Counter

import pytest

import presslens.stages.entities.resolve as resolve
from presslens.stages.entities.mentions import MentionCandidate
from presslens.stages.entities.resolve import Cluster, ClusterIndex, cluster_names


def m(text: str, label: str = "PERSON", start: int = 0, **kw) -> MentionCandidate:  # type: ignore[no-untyped-def]
    return MentionCandidate(start=start, end=start + len(text), text=text, label=label, **kw)


def groups(mentions: list[MentionCandidate]) -> list[set[str]]:
    clusters = cluster_names(mentions, join_threshold=0.8, context_threshold=0.7)
    return sorted(({mentions[i].text for i in c.members} for c in clusters), key=sorted)


def test_resolve_joins_variant_spellings_and_keeps_others_apart() -> None:
    ms = [m("Zelensky", start=0), m("Zilenski", start=20), m("Zaluzhnei", start=40),
          m("Zalushni", start=60), m("Biden", start=80), m("Burden", start=100)]
    assert groups(ms) == sorted([{"Zelensky", "Zilenski"}, {"Zaluzhnei", "Zalushni"},
                                 {"Biden"}, {"Burden"}], key=sorted)


def test_resolve_partial_name_joins_only_with_context() -> None:
    plain = [m("Zaluzhnei", start=0), m("Zalumi", start=20)]
    assert len(groups(plain)) == 2
    speaking = [m("Zaluzhnei", start=0), m("Zalumi", start=20, relabelled_from="GPE")]
    assert groups(speaking) == [{"Zaluzhnei", "Zalumi"}]


def test_resolve_kb_known_different_entries_never_join() -> None:
    ms = [m("Scholz", start=0, kb_exact=("Q61053",)), m("Schulz", start=20, kb_exact=("Q57643",))]
    assert len(groups(ms)) == 2


def test_resolve_places_join_only_by_name_or_kb() -> None:
    ms = [m("Kiev", "GPE", 0, kb_exact=("Q1899",)), m("Kyiv", "GPE", 10, kb_exact=("Q1899",)),
          m("Kherson", "GPE", 20, kb_exact=("k1",)), m("Kharkov", "GPE", 30, kb_exact=("k2",))]
    assert groups(ms) == sorted([{"Kiev", "Kyiv"}, {"Kherson"}, {"Kharkov"}], key=sorted)


def test_resolve_groups_join_by_country_and_institution() -> None:
    ms = [m("Ukrainian army", "ORG", 0, kind="group", country="Ukraine",
            group_kind="armed_forces"),
          m("Ukrainian military", "ORG", 20, kind="group", country="Ukraine",
            group_kind="armed_forces"),
          m("Russian troops", "ORG", 40, kind="group", country="Russia",
            group_kind="armed_forces")]
    assert groups(ms) == sorted([{"Ukrainian army", "Ukrainian military"},
                                 {"Russian troops"}], key=sorted)


def test_resolve_unknown_place_that_sounds_like_a_person_is_that_person() -> None:
    ms = [m("Zaluzhnei", start=0), m("Zalushni", "GPE", 20)]
    assert groups(ms) == [{"Zaluzhnei", "Zalushni"}]


def test_resolve_organisation_short_forms_join_the_full_name() -> None:
    ms = [m("Meridian Valley Health", "ORG", 0), m("Meridian Valley", "LOC", 40),
          m("Meridian", "GPE", 80)]
    assert groups(ms) == [{"Meridian Valley Health", "Meridian Valley", "Meridian"}]


def test_resolve_kb_known_short_form_stays_its_own_organisation() -> None:
    ms = [m("Democratic Party Circle", "ORG", 0),
          m("Democratic Party", "ORG", 40, kb_exact=("Q29552",))]
    assert len(groups(ms)) == 2


# A mixed cast: variants, surnames, short forms, KB-known and garbled names, repeated
# across a long text, so that the index has many clusters to choose from.
CAST = [("Zelensky", "PERSON", ()), ("Zilenski", "PERSON", ()),
        ("Volodymyr Zelensky", "PERSON", ()), ("Zaluzhnei", "PERSON", ()),
        ("Zalushni", "GPE", ()), ("Biden", "PERSON", ()),
        ("Burden", "PERSON", ()), ("Joe Biden", "PERSON", ()), ("Scholz", "PERSON", ("Q61053",)),
        ("Schulz", "PERSON", ("Q57643",)), ("Kiev", "GPE", ("Q1899",)), ("Kyiv", "GPE", ("Q1899",)),
        ("Meridian Valley Health", "ORG", ()), ("Meridian Valley", "LOC", ()),
        ("Rapid Support Forces", "ORG", ()), ("Rapid Suport Forces", "ORG", ()),
        ("World Bank", "ORG", ()), ("Kherson", "GPE", ()), ("Kharkov", "GPE", ()),
        ("Pligozin", "PERSON", ()), ("Prigozhin", "PERSON", ()), ("Mark Milley", "PERSON", ()),
        ("Mark Mely", "PERSON", ()), ("Mark Rutte", "PERSON", ())]


def cast_mentions(repeats: int) -> list[MentionCandidate]:
    out = []
    for r in range(repeats):
        for n, (text, label, kb) in enumerate(CAST):
            out.append(m(text, label, (r * len(CAST) + n) * 40, kb_exact=kb,
                         relabelled_from="GPE" if n % 5 == 0 else None))
    return out


def test_resolve_indexed_clustering_equals_comparing_with_every_cluster(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Clustering scores a mention only against the clusters filed under its keys; with
    # the keys' floor above every threshold it compares with every cluster, as it always
    # did. Both must give the same clusters.
    for threshold in (0.8, 0.7):
        indexed = cluster_names(cast_mentions(3), join_threshold=threshold,
                                context_threshold=0.68)
        with monkeypatch.context() as patch:
            patch.setattr(resolve, "SIMILARITY_KEYS_FLOOR", 2.0)
            everything = cluster_names(cast_mentions(3), join_threshold=threshold,
                                       context_threshold=0.68)
        assert [(c.label, c.members) for c in indexed] == \
            [(c.label, c.members) for c in everything]
        texts = [{CAST[i % len(CAST)][0] for i in c.members} for c in indexed]
        assert {"Zelensky", "Zilenski", "Volodymyr Zelensky"} in texts


def test_resolve_cluster_index_returns_clusters_in_order() -> None:
    index = ClusterIndex()
    zelensky = Cluster(label="PERSON", names=Counter({"Zelensky": 1}))
    milley = Cluster(label="PERSON", names=Counter({"Mark Milley": 1, "Mark Rutte": 1}))
    for ci, c in enumerate([zelensky, milley, zelensky]):
        index.add(ci, c)
    assert index.candidates("PERSON", "Zilenski") == [(0, {"Zelensky"}), (2, {"Zelensky"})]
    # only the names of a cluster that can be alike are to be scored
    assert index.candidates("PERSON", "Milley") == [(1, {"Mark Milley"})]
    assert index.candidates("PERSON", "Hemedti") == []
    assert index.candidates("ORG", "Zelensky") == []  # another family's names
    index.add_kb_ids(1, ["Q1"])
    assert index.candidates("PERSON", "Hemedti", ["Q1"]) == [(1, {"Mark Milley", "Mark Rutte"})]
    everything = ClusterIndex(exhaustive=True)
    everything.add(0, milley)
    assert everything.candidates("PERSON", "Hemedti") == [(0, {"Mark Milley", "Mark Rutte"})]


# -- abbreviations, short forms and names the NER typed as something else -------------------

def test_resolve_bracketed_abbreviation_joins_the_name_it_follows() -> None:
    ms = [m("Norland Statistics Office", "ORG", 0), m("NSK", "ORG", 27, abbreviates=0),
          m("Norland Water Board", "ORG", 60), m("NSK", "ORG", 90)]
    assert groups(ms) == sorted([{"Norland Statistics Office", "NSK"},
                                 {"Norland Water Board"}], key=sorted)


def test_resolve_bracketed_abbreviation_known_as_another_entry_stays_apart() -> None:
    ms = [m("Norland Statistics Office", "ORG", 0, kb_exact=("o1",)),
          m("NSK", "ORG", 27, abbreviates=0, kb_exact=("o2",))]
    assert len(groups(ms)) == 2


def test_resolve_short_form_joins_a_kb_known_full_name() -> None:
    ms = [m("Central Bank", "ORG", 0), m("Central Bank of Norland", "ORG", 20, kb_exact=("b1",))]
    assert groups(ms) == [{"Central Bank", "Central Bank of Norland"}]
    # a short form the KB knows as another entry does not
    known = [m("Central Bank", "ORG", 0, kb_exact=("b2",)),
             m("Central Bank of Norland", "ORG", 20, kb_exact=("b1",))]
    assert len(groups(known)) == 2


@pytest.mark.parametrize(("text", "label", "known", "speaks", "joins"), [
    ("Tarabowo", "ORG", True, False, True),  # the name a person the KB knows goes by
    ("Tarabova", "GPE", True, False, True),  # ... garbled
    ("Tarabowo", "NORP", True, False, True),
    ("Tarabowo", "ORG", False, True, True),  # ... or said by one who speaks
    ("Tarabowo", "GPE", False, False, False),  # "Charlotte" beside "Charlotte Mayor"
    ("Tanaka", "ORG", True, True, False),  # not like the first word
    ("Kestrel", "ORG", True, False, False),
])
def test_resolve_one_word_name_typed_otherwise_joins_the_person_it_opens(
        text: str, label: str, known: bool, speaks: bool, joins: bool) -> None:
    ms = [m("Tarabowo Subantio", "PERSON", 0, kb_exact=("p1",) if known else ()),
          m(text, label, 40, speaker_slot=speaks)]
    assert (len(groups(ms)) == 1) is joins


def test_resolve_first_word_never_outbids_a_surname() -> None:
    ms = [m("Dara Kestrel", "PERSON", 0, kb_exact=("p1",)),
          m("Kestrel Voss", "PERSON", 20, kb_exact=("p2",)), m("Kestrel", "ORG", 40)]
    assert {"Dara Kestrel", "Kestrel"} in groups(ms)


def test_resolve_name_opening_with_a_particle_can_be_a_person() -> None:
    ms = [m("Hamid al-Sharabi", "PERSON", 0), m("al-Sharabi", "GPE", 40)]
    assert groups(ms) == [{"Hamid al-Sharabi", "al-Sharabi"}]


def test_resolve_natural_place_without_its_kind_word_is_that_place() -> None:
    ms = [m("Lake Norvatn", "FAC", 0), m("Norvatn", "ORG", 30), m("Mount Tarv", "LOC", 50),
          m("Tarv", "GPE", 70, kb_exact=("g9",)), m("Oslo", "GPE", 90)]
    clusters = cluster_names(ms, join_threshold=0.8, context_threshold=0.7)
    joined = {frozenset(ms[i].text for i in c.members): c.label for c in clusters}
    assert joined[frozenset({"Lake Norvatn", "Norvatn"})] == "FAC"
    assert frozenset({"Tarv"}) in joined  # a name the KB knows is left to the KB
    assert ms[1].label == "FAC" and ms[1].relabelled_from == "ORG"
