"""Persuasion techniques from the lexicon (no model needed)."""

import json

import pytest

from conftest import EXAMPLES
from presslens.evaluation import span_overlap_credit
from presslens.stages.persuasion import find_techniques, persuasion_cues

NEUTRAL = ("The central bank raised interest rates by a quarter point on Tuesday, citing "
           "persistent inflation. Talks between the two delegations will resume next week in "
           "Geneva, officials said. The company reported a net profit of 2.1 billion dollars.")


def test_persuasion_neutral_wire_copy_has_no_highlights() -> None:
    assert find_techniques(NEUTRAL, min_confidence=0.5) == []


@pytest.mark.parametrize(("text", "technique"), [
    ("The so-called peace plan is a trap.", "Doubt"),
    ("This could trigger the Third World War.", "Appeal_to_Fear-Prejudice"),
    ("They apply double standards to everyone else.", "Appeal_to_Hypocrisy"),
])
def test_persuasion_signalling_phrases(text: str, technique: str) -> None:
    found = find_techniques(text, min_confidence=0.5)
    assert technique in {t.technique for t in found}
    assert all(text[t.start:t.end] == t.text for t in found)


def test_persuasion_lexicon_uses_the_semeval_taxonomy() -> None:
    names = {c.technique for c in persuasion_cues()}
    assert len(names) >= 15
    assert all(0.0 < c.confidence <= 1.0 for c in persuasion_cues())


def test_persuasion_precision_on_our_labelled_texts() -> None:
    p_credit = n_pred = 0.0
    for labels in sorted((EXAMPLES / "persuasion").glob("*.labels.json")):
        text = labels.with_name(labels.name.replace(".labels.json", ".txt")).read_text("utf-8")
        gold = [(g["start"], g["end"], g["technique"]) for g in json.loads(labels.read_text())]
        pred = [(t.start, t.end, t.technique) for t in find_techniques(text, min_confidence=0.5)]
        p_credit += span_overlap_credit(pred, gold)[0]
        n_pred += len(pred)
    assert n_pred >= 10
    assert p_credit / n_pred >= 0.6  # precision first: a wrong highlight is worse than none


@pytest.mark.parametrize(("pattern", "anchors"), [
    (r"\bso-called\b", ("so-called",)),
    (r"moral(?:ly)? kidnap(?:ping|ped)?", (" kidnap",)),
    (r"\b(?:barbaric|savage)\b", ("barbaric", "savage")),
    (r"\b(?:an?|the) (?:x|y)\b", ()),
    (r"(", ()),
])
def test_persuasion_required_literals_are_safe(pattern: str, anchors: tuple[str, ...]) -> None:
    from presslens.language.lexicons import required_literals

    assert required_literals(pattern) == anchors


def test_persuasion_anchor_prefilter_changes_no_result() -> None:
    for text_file in sorted((EXAMPLES / "persuasion").glob("*.txt")):
        text = text_file.read_text("utf-8")
        fast = find_techniques(text, min_confidence=0.5)
        for cue in persuasion_cues():
            if cue.confidence < 0.5:
                continue
            for m in cue.pattern.finditer(text):  # every raw match is in the result
                if m.end() > m.start():
                    assert any(t.technique == cue.technique and t.start <= m.start()
                               and m.end() <= t.end for t in fast), (cue, m.group(0))
