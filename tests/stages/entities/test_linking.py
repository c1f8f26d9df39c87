"""Linking helpers on a hand-built knowledge base (no model)."""

from collections import Counter
from pathlib import Path

from presslens.kb.bases import KBEntry, KnowledgeBase, KnowledgeBases
from presslens.stages.entities.linking import NearMisses
from presslens.stages.entities.resolve import Cluster


def test_linking_near_miss_finds_the_one_word_off_organisation(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb.sqlite")
    kb.add([KBEntry(id="o1", name="Rapid Support Forces", type="ORG", kind="armed_group",
                    country="Sudan", aliases=("RSF",)),
            KBEntry(id="o2", name="Sudanese Armed Forces", type="ORG", kind="armed_forces",
                    country="Sudan")])
    near = NearMisses(KnowledgeBases([kb]), {"Sudan": 0.6, "Chad": 0.05})

    def link(name: str) -> str | None:
        found = near.find(Cluster(label="ORG", names=Counter({name: 1})))
        return found.entry.id if found else None

    assert link("Rapid Reaction Forces") == "o1"
    assert link("Sudanese Army Forces") == "o2"
    assert link("Rapid Support Forces") is None  # the name itself is no near miss
    assert link("Rapid Reaction Brigades") is None  # the head word must be kept
    assert NearMisses(KnowledgeBases([kb]), {"Chad": 1.0}).filed == {}
