"""Temporal expressions normalised against the publication date (no model needed)."""

import pytest

from presslens.config import load_config
from presslens.language.temporal import date_within, find_dates, infer_published

PUBLISHED = "2022-11-21"  # a Monday
DAYS = load_config().dates.max_days_ahead


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
    (found,) = find_dates(text, PUBLISHED, max_days_ahead=DAYS)
    assert found.value == value
    assert text[found.start:found.end] == found.text


def test_temporal_unanchored_dates_stay_unresolved() -> None:
    found = find_dates("He spoke on November 20 and on Tuesday.", None, max_days_ahead=DAYS)
    assert [d.value for d in found] == []


def test_temporal_may_the_verb_is_not_a_month() -> None:
    assert find_dates("Prices may rise by May.", PUBLISHED, max_days_ahead=DAYS) == []


def test_temporal_infers_publication_from_the_latest_full_date() -> None:
    text = "On 1 June 2023 they met; by June 5, 2023 the deal was done."
    assert infer_published(text) == "2023-06-05"
    assert infer_published("No dates here.") is None


def test_temporal_overlapping_expressions_keep_the_first_pattern_found() -> None:
    # "March 3, 2023" (a day) wins over "in March" and "in 2023" inside it, however many
    # dates the text holds
    text = " ".join(f"It rose in March 3, 2023 and fell on Tuesday {i}." for i in range(200))
    found = find_dates(text, PUBLISHED, max_days_ahead=DAYS)
    assert [d.value for d in found[:2]] == ["2023-03-03", "2022-11-15"]
    assert len(found) == 400
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_temporal_date_within_takes_the_most_precise_inside_the_span() -> None:
    text = "In 2023 talks began. On March 3, 2024 and in May 2024 they met. Later, in 2025."
    dates = find_dates(text, PUBLISHED, max_days_ahead=DAYS)
    second = text.index("On March"), text.index(" Later")
    assert date_within(dates, *second).value == "2024-03-03"  # type: ignore[union-attr]
    assert date_within(dates, 0, text.index("talks")).value == "2023"  # type: ignore[union-attr]
    assert date_within(dates, text.index("talks"), text.index("On March")) is None
