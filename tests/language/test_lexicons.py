"""The word lists' loaders and the literal prefilter of their patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.language.lexicons import literal_idioms, required_literals

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(("pattern", "anchors"), [
    # a literal after an optional group
    (r"(?:\w+ )?rice bowl", ("rice bowl",)),
    # the runs of a group inside a group; the parser factors "thr" out of the branches
    (r"(?:(?:throw(?:s|n)?|threw) (?:the )?towel)", ("towel",)),
    # one string from every branch of a nested group
    (r"[Bb]ig (?:fish|whale)s?", ("fish", "whale")),
    # a group repeated at least once is required; its branches are too short here
    (r"(?:foo)+bar", ("foo",)),
    (r"(?:ab|cd)+x", ()),
    # an optional group requires nothing
    (r"(?:iron|steel)?(?:s|x)", ()),
])
def test_lexicons_required_literals_inside_groups(pattern: str, anchors: tuple[str, ...]
                                                  ) -> None:
    assert required_literals(pattern) == anchors


def test_lexicons_every_idiom_match_holds_an_anchor() -> None:
    """The prefilter skips an idiom's regex when none of its anchors is in the text: every
    match in our example articles must hold one."""
    texts = [p.read_text("utf-8") for p in sorted(EXAMPLES.rglob("*.txt"))]
    assert texts
    matches = 0
    for idiom in literal_idioms():
        for text in texts:
            for m in idiom.pattern.finditer(text):
                matches += 1
                assert not idiom.anchors or any(a in m.group(0).lower()
                                                for a in idiom.anchors), (idiom, m.group(0))
    assert matches > 0
