"""Mention helpers that need no model."""

import re

import pytest

from presslens.stages.entities.propagate import whole_word_matches

TEXT = ("Zelensky met Volodymyr Zelensky's aides. Zelensky-led talks, (AFP) said U.S. officials; "
        "the U.S.-backed plan. Abe Abe Abe. AFP, Zelensky. Mr Zelenskyy and U.S.A.")


@pytest.mark.parametrize("spelling", ["Zelensky", "Volodymyr Zelensky", "U.S.", "(AFP)",
                                      "AFP", "Abe Abe", "Zelenskyy", "U.S.A.", "Putin"])
def test_mentions_whole_word_matches_find_what_finditer_finds(spelling: str) -> None:
    pattern = re.compile(r"(?<![\w-])" + re.escape(spelling) + r"(?![\w-])")
    expected = [m.start() for m in pattern.finditer(TEXT)]
    found = whole_word_matches(TEXT, ["Zelensky", "Volodymyr Zelensky", "U.S.", "(AFP)", "AFP",
                                      "Abe Abe", "Zelenskyy", "U.S.A.", "Putin"])
    assert found.get(spelling, []) == expected


def test_mentions_whole_word_matches_none_in_an_empty_text() -> None:
    assert whole_word_matches("", ["Zelensky"]) == {}
