"""Variant spellings: a garbled word, not a second person, a title or a word formed from a
name (no model)."""

import pytest

from presslens.kb.store import KBEntry
from presslens.stages.entities.flags import (
    NameBars,
    another_person,
    garbled_spelling_of,
    garbled_spellings,
    is_derivative,
    is_name_like,
    variant_findings,
)
from presslens.stages.entities.linking import Link
from presslens.stages.entities.mentions import MentionCandidate
from presslens.stages.entities.resolve import Cluster, given_names_agree

BARS = NameBars(word=0.7, surname=0.8, given=0.6, listed_given=0.85)


@pytest.mark.parametrize(("surface", "known", "expected"), [
    ("Kharris", ["Kamala Harris"], "Kamala Harris"),
    ("Kamala Kharris", ["Kamala Harris"], "Kamala Harris"),
    ("Nitanyahu", ["Benjamin Netanyahu", "Bibi"], "Benjamin Netanyahu"),
    ("Jay Dee Vens", ["JD Vance", "James David Vance"], "JD Vance"),
    ("Lu La", ["Lula", "Luiz Inácio Lula da Silva"], "Lula"),
    ("Abdullah Hian", ["Hossein Amir-Abdollahian"], "Hossein Amir-Abdollahian"),
    ("Al-Sharia", ["Ahmed al-Sharaa"], "Ahmed al-Sharaa"),         # "al" is no given name
    ("Sudanese", ["Mohammed Shia al-Sudani"], "Mohammed Shia al-Sudani"),  # a nisba surname
    ("Seyed Abbas Iraqchi", ["Abbas Araghchi"], "Abbas Araghchi"),  # a title before it
    ("Joe Baiden", ["Joseph Robinette Biden", "Joe Biden"], "Joe Biden"),
])
def test_flags_garbled_spelling_of_a_known_name(surface: str, known: list[str],
                                               expected: str) -> None:
    assert garbled_spelling_of(surface, known, bars=BARS) == expected


@pytest.mark.parametrize(("surface", "known"), [
    ("Heidi Cruz", ["Ted Cruz", "Rafael Edward Cruz"]),       # another person of the family
    ("Hillary Clinton", ["Bill Clinton", "William Jefferson Clinton"]),
    ("Ivana Trump", ["Ivanka Trump"]),                        # two given names, both listed
    ("Michelle Obama", ["Michael Obama"]),
    ("pro-Clinton", ["Bill Clinton"]),                        # a modifier made from the name
    ("Clintons", ["Hillary Clinton"]),                        # a word formed from the name
    ("Derelict Obama", ["Barack Obama"]),                     # a word run into the name
    ("Martin Luther Coon", ["Martin Luther King"]),           # no word garbled, one replaced
    ("Pavel Yashin", ["Ilya Yashin"]),
    ("Bill Maher", ["Steve Ballmer", "Steven A. Ballmer"]),    # not a name split in two
    ("Laurence H. Tribe", ["Rashida Harbi Tlaib"]),           # a middle initial is no name
    ("Jesus Christ", ["Christopher J. Christie"]),
    ("Mahamat Saleh Oumar", ["Mohammed Saleh Zayada"]),        # another surname
    ("Syrians", ["Matthew Soerens"]),                          # a people, not a surname
])
def test_flags_no_garbled_spelling(surface: str, known: list[str]) -> None:
    assert garbled_spelling_of(surface, known, bars=BARS) is None


def test_flags_parts_are_judged_with_their_full_name() -> None:
    # "Mask" is garbled because "Elon Mask" is; "Clarke" is not because "Tom Clarke" is
    # another person than Wesley Clark
    assert garbled_spellings(["Elon Mask", "Mask"], ["Elon Musk"], "Elon Musk",
                             bars=BARS) == {"Elon Mask": "Elon Musk", "Mask": "Elon Musk"}
    assert garbled_spellings(["Tom Clarke", "Clarke", "Tom"], ["Wesley Clark"],
                             "Wesley Clark", bars=BARS) == {}


def test_flags_a_lone_garbled_surname_is_found() -> None:
    assert garbled_spellings(["Tramp"], ["Donald Trump", "Trump"], "Donald Trump",
                             bars=BARS) == {"Tramp": "Trump"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Perosi", True), ("Mr.", False), ("Rep.", False), ("Foreign Minister", False),
    ("Secretary", False), ("Politico, Democratic party", False), ("Ron Johnson\nMichigan", False),
    ("lower case", False), ("Ahmed Helal/LinkedIn", False),
])
def test_flags_name_like(text: str, expected: bool) -> None:
    assert is_name_like(text) is expected


@pytest.mark.parametrize(("word", "base", "expected"), [
    ("clintons", "clinton", True), ("jeffersonian", "jefferson", True),
    ("putinism", "putin", True), ("clarke", "clark", False), ("grossi", "gross", False),
])
def test_flags_derivative(word: str, base: str, expected: bool) -> None:
    assert is_derivative(word, base) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Yevgeny", "Evgeny", True), ("J.", "John", True), ("JD", "Jay", True),
    ("Mohammed", "Mohamed", True), ("Ivana", "Ivanka", False), ("Michelle", "Michael", False),
    ("Katy", "Rick", False), ("Washington", "Donald", False),
])
def test_flags_given_names_agree(a: str, b: str, expected: bool) -> None:
    assert given_names_agree(a, b, similarity=0.6, listed_similarity=0.85) is expected


@pytest.mark.parametrize(("surface", "known", "expected"), [
    ("Katy Perry", ["Rick Perry", "James Richard Perry"], True),
    ("Gary Johnson", ["Jeh Johnson"], True),
    ("Perry", ["Rick Perry"], False),                      # a surname alone: no given name
    ("Yevgeny Prigozhin", ["Evgeny Prigozhin"], False),
    ("Rick Santorum", ["Bernie Sanders"], True),           # alike surnames, another person
    ("Joe Biden", ["Joseph Robinette Biden", "Joe Biden"], False),  # one alias fits
])
def test_flags_another_person_by_the_given_name(surface: str, known: list[str],
                                                 expected: bool) -> None:
    assert another_person(surface, known, bars=BARS) is expected


def person_cluster(spellings: list[str], *, roles: frozenset[str] = frozenset(),
                   speaking: bool = False) -> tuple[Cluster, list[MentionCandidate]]:
    mentions, start = [], 0
    for text in spellings:
        mentions.append(MentionCandidate(start=start, end=start + len(text), text=text,
                                         label="PERSON", roles=roles, speaker_slot=speaking))
        start += len(text) + 10
    cluster = Cluster(label="PERSON")
    for i, m in enumerate(mentions):
        cluster.add(i, m)
    return cluster, mentions


def flagged(spellings: list[str], entry: KBEntry, **kw: object) -> list[str]:
    cluster, mentions = person_cluster(spellings, **kw)  # type: ignore[arg-type]
    link = Link(entry, 0.9, entry.name)
    found = variant_findings([cluster], [link], {0: entry.name}, mentions, bars=BARS,
                             linked_confidence=0.9, unlinked_confidence=0.5)
    return [f.text for f in found]


TRUMP = KBEntry(id="t", name="Donald Trump", type="PERSON", aliases=("Trump",))


def test_flags_a_lone_word_that_speaks_is_a_garbled_name() -> None:
    assert flagged(["Tramp", "Tramp"], TRUMP, speaking=True) == ["Tramp", "Tramp"]
    assert flagged(["Tramp"], TRUMP, roles=frozenset({"president"})) == ["Tramp"]


def test_flags_a_lone_word_that_does_not_act_as_a_person_is_not_flagged() -> None:
    assert flagged(["Tramp"], TRUMP) == []


def test_flags_a_lone_given_name_garbles_no_surname() -> None:
    entry = KBEntry(id="m", name="George J. Mitchell", type="PERSON")
    assert flagged(["Michelle"], entry, speaking=True) == []
