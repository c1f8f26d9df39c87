"""An institution written either way round ("Ministry of Defence", "Defence Ministry") is one
entity (our own texts)."""

from __future__ import annotations

import pytest

from presslens.language.names import org_name_similarity


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Ministry of Defence", "Defence Ministry", True),
    ("the Department of Justice", "Justice Department", True),
    ("Ministry of Foreign Affairs", "Foreign Affairs Ministry", True),
    ("Ministry of Defence", "Finance Ministry", False),
    ("Bank of Avalon", "Avalon Bank", False),  # only state institutions turn round
])
def test_mentions_institution_either_way_round(a: str, b: str, same: bool) -> None:
    assert (org_name_similarity(a, b) == 1.0) is same


@pytest.mark.model
def test_mentions_ministry_both_ways_is_one_entity(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("The Ministry of Defence said on Monday that the drills would go on. A Defence "
            "Ministry spokesman later added that the units had returned to their bases.")
    ents = [e for e in pipeline.analyze(text).entities if "Defence" in e.name]
    assert len(ents) == 1
    assert {m.text for m in ents[0].mentions} == {"Ministry of Defence", "Defence Ministry"}
