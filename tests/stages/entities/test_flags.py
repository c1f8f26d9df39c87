"""Mistranslation detectors on hand-built mentions (no model)."""

from collections import Counter

from presslens.stages.entities.flags import (
    CountryReferences,
    is_known_spelling,
    misread_abbreviations,
)
from presslens.stages.entities.mentions import MentionCandidate


def group(text: str, country: str, start: int) -> MentionCandidate:
    return MentionCandidate(start=start, end=start + len(text), text=text, label="ORG",
                            kind="group", country=country, group_kind="armed_forces")


def test_flags_misread_abbreviation_suggests_the_subject_country() -> None:
    ms = [group("Uzbek army", "Uzbekistan", 0)]
    refs = CountryReferences(Counter({"Ukraine": 20, "Russia": 12}),
                             Counter({"Ukraine": 10, "Uzbekistan": 2}))
    found = list(misread_abbreviations(ms, refs, subject_share=0.25))
    assert len(found) == 1
    index, intended, finding = found[0]
    assert (index, intended) == (0, "Ukraine")
    assert finding.suggestion == "Ukrainian army"
    assert finding.kind == "misread-abbreviation"


def test_flags_no_misread_when_the_country_is_a_real_subject() -> None:
    ms = [group("Uzbek army", "Uzbekistan", 0)]
    refs = CountryReferences(Counter({"Ukraine": 10, "Uzbekistan": 5}), Counter({"Uzbekistan": 3}))
    assert list(misread_abbreviations(ms, refs, subject_share=0.25)) == []


def test_flags_misread_when_the_country_is_never_named() -> None:
    # three "Pakistani" and no Pakistan, while Gaza and Palestinians fill the article
    ms = [MentionCandidate(start=i * 20, end=i * 20 + 9, text="Pakistani", label="NORP")
          for i in range(3)]
    refs = CountryReferences(Counter({"Palestine": 7, "Israel": 9}),
                             Counter({"Pakistan": 3, "Palestine": 2}))
    found = list(misread_abbreviations(ms, refs, subject_share=0.25))
    assert [f.suggestion for _, _, f in found] == ["Palestinian"] * 3


def test_flags_no_misread_without_a_known_collision() -> None:
    ms = [group("French army", "France", 0)]
    refs = CountryReferences(Counter({"Ukraine": 30}), Counter({"France": 1}))
    assert list(misread_abbreviations(ms, refs, subject_share=0.25)) == []


def test_flags_known_spelling_accepts_full_and_partial_names() -> None:
    known = ["Volodymyr Zelensky", "Zelenskyy"]
    assert is_known_spelling("Zelensky", known)
    assert is_known_spelling("Volodymyr Zelensky", known)
    assert not is_known_spelling("Zerenski", known)


def test_flags_no_misread_when_the_country_is_named_often() -> None:
    # an article about North Korea that names South Korea four times means its president
    ms = [MentionCandidate(start=0, end=12, text="South Korean", label="NORP")]
    refs = CountryReferences(Counter({"North Korea": 26, "South Korea": 4}),
                             Counter({"South Korea": 1}))
    assert list(misread_abbreviations(ms, refs, subject_share=0.15, max_named=1)) == []
