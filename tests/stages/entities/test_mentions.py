"""Mention detection: names cut and typed by the text around them (our own short texts)."""

from __future__ import annotations

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc

from presslens.stages.entities.mentions import (
    MentionCandidate,
    _affiliation_follows,
    _is_abbreviation,
    _is_event_name,
    _one_type_per_name,
    _org_openings,
    _parenthesised_abbreviations,
    _result_row_slot,
    _untagged_bodies,
    find_mentions,
    is_bare_title,
    read_layout,
    with_demonyms,
    written_case,
)

SPORTS_MIN_CUES = 4


def names(nlp, kb, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Name mention text -> label."""
    return {m.text: m.label for m in find_mentions(nlp(text), kb, sports_min_cues=SPORTS_MIN_CUES)
            if m.kind == "name"}


def hand_doc(text: str) -> Doc:
    words = text.split(" ")
    return Doc(English().vocab, words=words, spaces=[True] * (len(words) - 1) + [False])


def cand(text: str, label: str, start: int, **kw) -> MentionCandidate:  # type: ignore[no-untyped-def]
    return MentionCandidate(start=start, end=start + len(text), text=text, label=label, **kw)


# -- pure parts (no model) -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Foreign Minister", True),
    ("Deputy Prime Minister", True),
    ("Judge", True),
    ("Anna Berg", False),
    ("National Museum", False),
    ("Treasury", False),
])
def test_mentions_bare_title(text: str, expected: bool) -> None:
    assert is_bare_title(hand_doc(text)[:]) is expected


@pytest.mark.parametrize(("text", "sports"), [
    ("Kendal 9 Preston 30 in the league division ; the match and the innings", True),
    ("The minister said the budget would pass in the autumn", False),
])
def test_mentions_layout_reads_sports_news(text: str, sports: bool) -> None:
    assert read_layout(hand_doc(text), sports_min_cues=SPORTS_MIN_CUES).sports is sports


@pytest.mark.parametrize(("text", "place"), [
    ("VARNA 2026-03-14\nThe port reopened .", "VARNA"),
    ("PORT ELLEN , Islay 2026-01-02\nThe ferry ran .", "PORT ELLEN"),
    ("GRAZ , March 3 ( Reuters ) - Snow fell .", "GRAZ"),
])
def test_mentions_layout_finds_datelines(text: str, place: str) -> None:
    layout = read_layout(hand_doc(text), sports_min_cues=SPORTS_MIN_CUES)
    assert any(text[a:b] == place for a, b in layout.datelines)


def test_mentions_layout_headline_is_no_dateline() -> None:
    text = "RUGBY - HALIFAX BEAT KENDAL IN CUP TIE ."
    assert read_layout(hand_doc(text), sports_min_cues=SPORTS_MIN_CUES).datelines == ()


def test_mentions_one_type_per_name_context_wins() -> None:
    cands = [cand("Halvard", "PERSON", 0), cand("Halvard", "ORG", 20, relabelled_from="GPE"),
             cand("Halvard", "PERSON", 40, speaker_slot=True)]
    out = _one_type_per_name(cands, fixed=set())
    assert [c.label for c in out] == ["ORG", "ORG", "PERSON"]  # a speaker keeps PERSON


def test_mentions_one_type_per_name_leaves_single_readings() -> None:
    cands = [cand("Halvard", "PERSON", 0), cand("Osmund", "ORG", 20)]
    assert _one_type_per_name(cands, fixed=set()) == cands


def test_mentions_person_opening_an_organisation_is_it() -> None:
    cands = [cand("Kestrel Mining Corp", "ORG", 0), cand("Kestrel", "PERSON", 40),
             cand("Tove Kestrel", "PERSON", 60)]
    assert [c.label for c in _org_openings(cands[:2])] == ["ORG", "ORG"]
    # "Kestrel" is also a person's surname in the text: left alone
    assert [c.label for c in _org_openings(cands)] == ["ORG", "PERSON", "PERSON"]


# -- with the trained pipeline --------------------------------------------------------------

@pytest.mark.model
def test_mentions_never_cross_a_line(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    text = ("Results of league matches on Saturday :\nDivision two\nHalifax 21 Bradford 14\n"
            "Kendal 9 Preston 30\nStandings after the round : Preston 12 points")
    ms = find_mentions(nlp(text), kb, sports_min_cues=SPORTS_MIN_CUES)
    assert ms and all("\n" not in m.text for m in ms)
    assert not any(m.text[-1].isdigit() for m in ms if m.kind == "name")


@pytest.mark.model
def test_mentions_teams_in_sports_news_are_organisations(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    text = ("RUGBY LEAGUE - RESULTS OF NORTHERN DIVISION MATCHES .\nLEEDS 2026-04-02\n"
            "Results of northern division rugby league matches on Saturday :\n"
            "Halifax 21 Bradford 14\nWigan 30 Preston 9\nPortugal 3 Norway 1\n")
    found = names(nlp, kb, text)
    assert found.get("LEEDS") == "GPE"  # the dateline stays a place
    for team in ("Halifax", "Bradford", "Wigan", "Preston"):
        assert found.get(team) == "ORG", team
    assert found.get("Portugal") == "GPE" and found.get("Norway") == "GPE"


@pytest.mark.model
def test_mentions_places_outside_sports_stay_places(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    text = "Talks in Bradford resumed on Monday, and the mayor said Bradford would host them."
    assert names(nlp, kb, text).get("Bradford") == "GPE"


@pytest.mark.model
def test_mentions_dash_splits_team_and_scorer(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    text = "Scorers :\nFinland - Pekka Laine ( 12th minute ) , Matti Rasanen ( 80th )\n"
    found = names(nlp, kb, text)
    assert found.get("Pekka Laine") == "PERSON"
    assert not any(" - " in t or "(" in t for t in found)


@pytest.mark.model
def test_mentions_titles_are_not_people(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    text = ("The Foreign Minister said on Tuesday that talks would go on. Interior Minister "
            "Anna Berg said the border was calm.")
    found = names(nlp, kb, text)
    assert "Foreign Minister" not in found
    assert not any(t.startswith("Interior") for t in found)


@pytest.mark.model
def test_mentions_abbreviated_country_is_found(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    found = names(nlp, kb, "Exports to the U.S. rose in May, the bureau said.")
    assert found.get("U.S.") == "GPE"


@pytest.mark.parametrize(("text", "expected"), [
    ("Lakeside Open", True), ("Fed Cup", True), ("Northern Grand Prix", True),
    ("Lakeside Bank", False), ("Open Society", False)])
def test_mentions_event_names(text: str, expected: bool) -> None:
    assert _is_event_name(hand_doc(text)[:]) is expected


def test_mentions_demonyms_of_groups_become_norp_names() -> None:
    group = cand("Danish troops", "ORG", 10, kind="group", country="Denmark",
                 group_kind="armed_forces")
    out = with_demonyms([], [group])
    assert [(e.type, e.name, [(m.start, m.end) for m in e.mentions]) for e in out] == [
        ("NORP", "Danish", [(10, 16)])]
    # no group, nothing added
    assert with_demonyms([], [cand("Denmark", "GPE", 0)]) == []


@pytest.mark.model
def test_mentions_headline_in_capitals_reads_names_of_the_body(nlp, kb) -> None:  # type: ignore[no-untyped-def]
    text = ("SAILING - NORWAY WIN NORDIC REGATTA SERIES .\nBERGEN 2026-06-01\n"
            "Norway won the Nordic Regatta Series on Sunday, the organisers said.\n")
    found = names(nlp, kb, text)
    assert found.get("NORWAY") == "GPE"
    assert "NORDIC REGATTA SERIES" in found
    assert found["NORDIC REGATTA SERIES"] == found.get("Nordic Regatta Series")


@pytest.mark.parametrize(("text", "expected"), [
    ("Kestrel spokesman Ola Dahl", True), ("Kestrel shares fell", True),
    ("Kestrel chief executive Ola Dahl", True), ("Kestrel said", False),
    ("Kestrel Spokesman", False)])
def test_mentions_affiliation_noun_makes_a_body(text: str, expected: bool) -> None:
    assert _affiliation_follows(hand_doc(text), hand_doc(text)[0:1]) is expected


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("Orrell 13 Bath 56", 0, 1, True),
    ("Orrell 13 Bath 56", 2, 3, True),
    ("Notts County 3 1 1 1 2 2 4", 0, 2, True),
    ("Waqar lbw b Moss 4", 3, 4, False),  # a bowler's figures, not a side's score
    ("Orrell scored 13 in Bath", 0, 1, False),
])
def test_mentions_result_row_slot(text: str, start: int, end: int, expected: bool) -> None:
    doc = hand_doc(text)
    layout = read_layout(doc, sports_min_cues=SPORTS_MIN_CUES)
    assert _result_row_slot(doc, start, end, layout) is expected


@pytest.mark.parametrize(("name", "spellings", "expected"), [
    ("GOTHENBURG", ["GOTHENBURG", "Gothenburg"], "Gothenburg"),
    ("NATO", ["NATO"], "NATO"),
    ("Gothenburg", ["Gothenburg", "GOTHENBURG"], "Gothenburg"),
])
def test_mentions_written_case(name: str, spellings: list[str], expected: str) -> None:
    assert written_case(name, spellings) == expected


# -- abbreviations, bodies and people the NER cut wrongly ------------------------------------

@pytest.mark.parametrize(("word", "expected"), [
    ("NSK", True), ("NoRSK", True), ("TÜİK", True), ("NorStat", False), ("Norland", False),
    ("A", False),
])
def test_mentions_abbreviation_shape(word: str, expected: bool) -> None:
    assert _is_abbreviation(word) is expected


def test_mentions_bracketed_abbreviation_names_the_body_before_it(kb) -> None:  # type: ignore[no-untyped-def]
    doc = hand_doc("the Norland Statistics Office ( NSK ) and Dale Orwin ( AP ) said")
    office = cand("Norland Statistics Office", "ORG", 4)
    orwin = cand("Dale Orwin", "PERSON", doc.text.index("Dale"))
    found = _parenthesised_abbreviations(doc, kb, [office, orwin], [0] * len(doc))
    abbr = [(c.text, c.label, c.abbreviates) for c in found if c.abbreviates is not None]
    assert abbr == [("NSK", "ORG", 4)]  # a person's bracket is no name of theirs
    assert [c.text for c in found].count("AP") == 0


def test_mentions_body_noun_before_for_joins_the_name_after_it() -> None:
    words = "by the Agency for Nuclear Energy , which".split()
    doc = Doc(English().vocab, words=words,
              ents=["O", "O", "O", "O", "B-ORG", "I-ORG", "O", "O"])
    energy = cand("Nuclear Energy", "ORG", doc.text.index("Nuclear"))
    grown = _untagged_bodies(doc, [energy], frozenset({"agency"}))
    assert [c.text for c in grown] == ["Agency for Nuclear Energy"]
    # a word that names no body is not taken
    assert _untagged_bodies(doc, [energy], frozenset({"office"})) == [energy]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), [
    # a name that qualifies the noun after it is not part of the body before it
    ("She chaired the New Growth Bank of the ASEAN countries in 2020.",
     {"New Growth Bank": "ORG", "ASEAN": "ORG"}),
    # a given name and a surname run on after a body's name
    ("The Unity Party of Timur Balkan won the city.",
     {"Unity Party": "ORG", "Timur Balkan": "PERSON"}),
    ("The King Khalid International Airport was closed.",
     {"King Khalid International Airport": "ORG"}),
    # an untagged acronym after a country's adjective is a body of it
    ("Bids came from the Chinese CNPX, the French ELV and the Korean KPNX.",
     {"CNPX": "ORG", "ELV": "ORG", "Korean KPNX": "ORG"}),
    ("The Chinese GDP grew by five percent.", {}),
    # an acronym the NER took for a people is a body
    ("The official representative of the MID Elena Sorova added that talks would go on.",
     {"MID": "ORG", "Elena Sorova": "PERSON"}),
])
def test_mentions_bodies_and_people_cut_apart(nlp, kb, text: str,  # type: ignore[no-untyped-def]
                                              expected: dict[str, str]) -> None:
    found = names(nlp, kb, text)
    assert {k: v for k, v in found.items() if k in expected or v in ("ORG", "PERSON")} == \
        expected


def test_mentions_agency_credit_after_a_dateline_is_no_abbreviation(kb) -> None:  # type: ignore[no-untyped-def]
    doc = hand_doc("OSLO ( AP ) the council met")
    found = _parenthesised_abbreviations(doc, kb, [cand("OSLO", "GPE", 0)], [0] * len(doc))
    assert [c.abbreviates for c in found] == [None]
