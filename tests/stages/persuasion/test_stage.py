"""Persuasion techniques: the lexicon (no model needed) and the whole stage on sentences we
wrote, one positive and one negative per mechanism (the latter needs the trained pipeline)."""

import json

import pytest

from conftest import EXAMPLES
from presslens.config import load_config
from presslens.evaluation import span_overlap_credit
from presslens.stages.persuasion.lexicon import lexicon_hits, persuasion_cues
from presslens.stages.persuasion.stage import find_techniques
from presslens.stages.persuasion.taxonomy import class_2020, taxonomy

SETTINGS = load_config().persuasion

NEUTRAL = ("The central bank raised interest rates by a quarter point on Tuesday, citing "
           "persistent inflation. Talks between the two delegations will resume next week in "
           "Geneva, officials said. The company reported a net profit of 2.1 billion dollars.")


def test_persuasion_taxonomy_names_23_techniques_with_2020_classes() -> None:
    names = taxonomy()
    assert len(names) == 23
    assert class_2020("Name_Calling-Labeling") == "Name_Calling,Labeling"
    assert class_2020("False_Dilemma-No_Choice") == "Black-and-White_Fallacy"
    assert class_2020("Appeal_to_Values") is None
    assert all(info.explanation for info in names.values())
    assert {c.technique for c in persuasion_cues()} <= set(names)


@pytest.mark.parametrize(("text", "technique"), [
    ("The so-called peace plan is a trap.", "Doubt"),
    ("This could trigger the Third World War.", "Appeal_to_Fear-Prejudice"),
    ("They apply double standards to everyone else.", "Appeal_to_Hypocrisy"),
])
def test_persuasion_lexicon_signalling_phrases(text: str, technique: str) -> None:
    found = lexicon_hits(text, min_confidence=0.5)
    assert technique in {h.technique for h in found}


@pytest.mark.parametrize(("text", "technique", "neutral"), [
    ("Real patriots will never accept this deal.", "Flag_Waving",
     "The deal was signed in the capital on Friday."),
    ("Experts say the policy is the only sane choice.", "Appeal_to_Authority",
     "Analysts said the policy would lift exports."),
    ("The mayor is solely to blame for the rise in crime.", "Causal_Oversimplification",
     "The rise in crime was reported by the police."),
    ("It is what it is, and nothing will change.", "Conversation_Killer",
     "Nothing in the report was new to the committee."),
    ("Where was the outrage when their side did the same?", "Whataboutism",
     "Protesters gathered outside the parliament building."),
    ("Everyone knows the election was a foregone conclusion.", "Appeal_to_Popularity",
     "Turnout in the election was 61 percent."),
    ("Their tactics are just like the Nazis in their day.", "Guilt_by_Association",
     "The party published its manifesto on Tuesday."),
])
def test_persuasion_lexicon_technique_and_its_neutral_counterpart(text: str, technique: str,
                                                                  neutral: str) -> None:
    assert technique in {h.technique for h in lexicon_hits(text, min_confidence=0.4)}
    assert lexicon_hits(neutral, min_confidence=0.4) == []


def test_persuasion_lexicon_neutral_wire_copy_has_no_hits() -> None:
    assert lexicon_hits(NEUTRAL, min_confidence=0.5) == []


@pytest.mark.parametrize(("pattern", "anchors"), [
    (r"\bso-called\b", ("so-called",)),
    (r"\b(?:barbaric|savage)\b", ("barbaric", "savage")),
    (r"(", ()),
])
def test_persuasion_required_literals_are_safe(pattern: str, anchors: tuple[str, ...]) -> None:
    from presslens.language.lexicons import required_literals

    assert required_literals(pattern) == anchors


# --- the whole stage on the parse ---------------------------------------------------------

# Persuasive lines we wrote; each article repeats enough charge for the article to count as
# persuasive writing, as real opinion pieces do.
CHARGED = ("The corrupt mayor and his cronies have pushed a disgraceful, ridiculous plan. "
           "{line} Their shameless lies insult every voter.")


def _found(nlp, text: str) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    out = find_techniques(doc, text, SETTINGS)
    assert all(text[t.start:t.end] == t.text for t in out)
    assert all(t.technique_2020 == class_2020(t.technique) for t in out)
    return {(t.technique, t.text) for t in out}


@pytest.mark.model
@pytest.mark.parametrize(("line", "technique", "span"), [
    ("Why should anyone believe a single word these people say?", "Doubt",
     "Why should anyone believe a single word these people say?"),
    ("Stop the tax grab now!", "Slogans", "Stop the tax grab now!"),
    ("Either we stop this scheme or our town will be ruined forever.",
     "False_Dilemma-No_Choice", "Either we stop this scheme or our town will be ruined forever"),
    ("These thugs have never cared about anyone.", "Name_Calling-Labeling", "thugs"),
    ("They launched a brutal campaign against families.", "Loaded_Language",
     "brutal campaign"),
    ('The council\'s "experts" signed it off.', "Name_Calling-Labeling", '"experts"'),
    ('They call the plan "fair" to everyone.', "Loaded_Language", '"fair"'),
    ("It is the worst decision ever made in this town.", "Exaggeration-Minimisation",
     "worst decision"),
    ("If it passes, this scheme will bring misery and death to our streets.",
     "Appeal_to_Fear-Prejudice",
     "If it passes, this scheme will bring misery and death to our streets"),
])
def test_persuasion_stage_finds_technique(nlp, line: str, technique: str, span: str  # type: ignore[no-untyped-def]
                                          ) -> None:
    assert (technique, span) in _found(nlp, CHARGED.format(line=line))


@pytest.mark.model
def test_persuasion_stage_marks_repeated_charge(nlp) -> None:  # type: ignore[no-untyped-def]
    techniques = {t for t, _ in _found(nlp, CHARGED.format(line="A disgraceful day."))}
    assert "Repetition" in techniques


@pytest.mark.model
@pytest.mark.parametrize("text", [
    NEUTRAL,
    "Shares outstanding rose to 12 million. Crude oil prices fell 2 percent on Monday.",
    "Did the company meet its target? Analysts said it was too early to tell.",
    "Exports will either rise or stay flat this year, the ministry said.",
    "The minister called the agreement \"a first step\" and said talks would go on.",
    "The storm could cause flooding in the north, forecasters said on Monday.",
])
def test_persuasion_stage_neutral_news_has_no_highlights(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _found(nlp, text) == set()


@pytest.mark.model
def test_persuasion_precision_on_our_labelled_texts(nlp) -> None:  # type: ignore[no-untyped-def]
    p_credit = n_pred = 0.0
    for labels in sorted((EXAMPLES / "persuasion").glob("*.labels.json")):
        text = labels.with_name(labels.name.replace(".labels.json", ".txt")).read_text("utf-8")
        gold = [(g["start"], g["end"], g["technique"]) for g in json.loads(labels.read_text())]
        pred = [(t.start, t.end, t.technique)
                for t in find_techniques(nlp(text), text, SETTINGS)]
        p_credit += span_overlap_credit(pred, gold)[0]
        n_pred += len(pred)
    assert n_pred >= 10
    assert p_credit / n_pred >= 0.5
