"""Temporal expressions normalised against the publication date (no model needed)."""

import pytest

from presslens.temporal import find_dates, infer_published

PUBLISHED = "2022-11-21"  # a Monday


@pytest.mark.parametrize(("text", "value"), [
    ("According to AFP on November 20, he said", "2022-11-20"),
    ("on 3 March 2023 the talks began", "2023-03-03"),
    ("It happened on 2021-02-24.", "2021-02-24"),
    ("The minister spoke on Tuesday.", "2022-11-15"),
    ("He said yesterday that it was over.", "2022-11-20"),
    ("Sales fell in March.", "2022-03"),
    ("Elections are due in 2024.", "2024"),
    ("He returned on December 30.", "2021-12-30"),
])
def test_temporal_normalises_against_publication(text: str, value: str) -> None:
    (found,) = find_dates(text, PUBLISHED)
    assert found.value == value
    assert text[found.start:found.end] == found.text


def test_temporal_unanchored_dates_stay_unresolved() -> None:
    assert [d.value for d in find_dates("He spoke on November 20 and on Tuesday.", None)] == []


def test_temporal_may_the_verb_is_not_a_month() -> None:
    assert find_dates("Prices may rise by May.", PUBLISHED) == []


def test_temporal_infers_publication_from_the_latest_full_date() -> None:
    text = "On 1 June 2023 they met; by June 5, 2023 the deal was done."
    assert infer_published(text) == "2023-06-05"
    assert infer_published("No dates here.") is None
