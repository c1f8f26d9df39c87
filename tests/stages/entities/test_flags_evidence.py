"""Translation evidence: flags only in articles that show signs of being translated; real
organisation names and places are not garbled (no model)."""

import pytest

from presslens.stages.entities.flags import (
    Finding,
    garbled_org_name,
    opens_known_org,
    shares_name_word,
    supported_findings,
    translation_evidence,
)

WEIGHTS = {"declared": 1.0, "script": 0.5, "typography": 0.5, "subject": 0.5,
           "misread-abbreviation": 1.0, "place-as-speaker": 0.5, "garbled-name": 0.5,
           "literal-idiom": 0.5, "variant-spelling": 0.5}


def variant(text: str, suggestion: str, start: int = 0) -> Finding:
    return Finding(start, start + len(text), text, "variant-spelling", suggestion, 0.9)


def test_flags_one_typo_in_native_news_is_no_evidence() -> None:
    findings = [variant("Scheiderman", "Eric Schneiderman")]
    ev = translation_evidence("Scheiderman said on Monday ...", findings, weights=WEIGHTS,
                              subjects=["United States"])
    assert ev.score < 1.0
    assert supported_findings(findings, ev, bar=1.0) == []


def test_flags_a_name_met_often_counts_once() -> None:
    findings = [variant("Brinken", "Antony Blinken", i * 20) for i in range(5)]
    ev = translation_evidence("", findings, weights=WEIGHTS)
    assert ev.score == 0.5


def test_flags_several_garbled_names_are_evidence() -> None:
    findings = [variant("Brinken", "Antony Blinken"), variant("Nitanyahu", "Benjamin Netanyahu")]
    ev = translation_evidence("", findings, weights=WEIGHTS)
    kept = supported_findings(findings, ev, bar=1.0)
    assert [f.text for f in kept] == ["Brinken", "Nitanyahu"]
    assert "translation evidence" in kept[0].reason


def test_flags_a_foreign_subject_and_one_garbled_name_are_evidence() -> None:
    findings = [variant("Belousovo", "Andrei Belousov")]
    assert translation_evidence("", findings, weights=WEIGHTS, subjects=["Russia"]).score == 1.0
    assert translation_evidence("", findings, weights=WEIGHTS,
                                subjects=["United States"]).score == 0.5


@pytest.mark.parametrize(("text", "signal"), [
    ("Translated from Russian by the editors.", "declared"),
    ("The «march of justice» began at night.", "typography"),
    ("The term 乌军 was used.", "script"),
])
def test_flags_markers_in_the_text(text: str, signal: str) -> None:
    ev = translation_evidence(text, [], weights=WEIGHTS)
    assert ev.describe().startswith(signal)


def test_flags_no_markers_in_plain_english() -> None:
    assert translation_evidence("The senator said on Monday that the bill was dead.", [],
                                weights=WEIGHTS).signals == ()


def never_place(word: str) -> bool:
    return word in {"ohio"}


@pytest.mark.parametrize(("surface", "known", "expected"), [
    ("People's Progressive Party", ["Democratic Progressive Party"], True),
    ("Rapid Reaction Forces", ["Rapid Support Forces"], True),
    ("Penn State", ["Department of State"], False),                  # too short to tell
    ("Peabody Energy", ["Department of Energy"], False),
    ("Ohio Democratic Party", ["Social Democratic Party"], False),   # a regional branch
    ("federal Securities and Exchange Commission",
     ["U.S. Securities and Exchange Commission"], False),           # a lower-case modifier
    ("Politico, Democratic Party", ["Social Democratic Party"], False),
])
def test_flags_garbled_org_name(surface: str, known: list[str], expected: bool) -> None:
    assert garbled_org_name(surface, known, min_words=3, is_place=never_place) is expected


def test_flags_a_place_sharing_a_word_with_a_person_is_not_that_person() -> None:
    assert shares_name_word("North Korea", ["N. Korea"])
    assert not shares_name_word("Chania", ["Haniya", "Ismail Haniyeh"])


def us_place(word: str) -> bool:
    return word in {"us", "ohio"}


def test_flags_a_place_replaced_in_a_name_is_a_qualifier() -> None:
    # "U.S. State Department" said as "Clinton's State Department"
    assert not garbled_org_name("Clinton's State Department", ["U.S. State Department"],
                                min_words=3, is_place=us_place)


def test_flags_a_short_form_of_a_real_organisation() -> None:
    known = ["Social Democratic Party of Germany", "Free Democratic Party"]
    assert opens_known_org("Social Democratic Party", known)
    assert not opens_known_org("Rapid Reaction Forces", ["Rapid Support Forces"])


def test_flags_a_foreign_subject_does_not_support_an_idiom_alone() -> None:
    idiom = Finding(0, 11, "paper tiger", "literal-idiom", "a weak threat", 0.7)
    assert translation_evidence("", [idiom], weights=WEIGHTS, subjects=["Germany"]).score == 0.5
