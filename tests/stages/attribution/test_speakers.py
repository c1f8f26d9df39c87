"""Speakers found by structure on the constructions real news uses: transcripts quoted
whole, relative pronouns, the holders of reporting nouns, long subjects after a quotation,
"I" inside a quotation, colon-introduced block quotes, datelines and run-in headings."""

import pytest

pytestmark = pytest.mark.model


def _by_content(analysis, words: str):  # type: ignore[no-untyped-def]
    return [a for a in analysis.attributions if words in a.content.text]


def test_transcript_quoted_whole_credits_each_turn_not_the_introducer(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("On the radio on Sunday, Governor Alma Reyes said the budget would pass.\n\n"
            "Partial transcript as follows:\n\n"
            '"HOST: Will the budget pass before the summer recess this year?\n\n'
            '"REYES: I believe it will, because both parties want the schools funded.\n\n'
            '"HOST: And if it does not pass in time?"')
    a = pipeline.analyze(text)
    turns = [(x.speaker_text, x.construction) for x in a.attributions
             if x.construction == "label:colon"]
    assert ("HOST", "label:colon") in turns and ("REYES", "label:colon") in turns
    # no quotation spanning the turns is credited to the governor who was introduced
    assert not [x for x in a.attributions if x.kind == "direct" and "HOST" in x.content.text]


def test_relative_pronoun_speaker_names_its_antecedent(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("He bought the mine from Northfield Energy, another mining company that "
                         "had announced that its debts could not be paid.")
    (att,) = _by_content(a, "its debts could not be paid")
    assert att.speaker_span is not None and att.speaker_span.text == "that"
    assert att.speaker_text == "another mining company"


def test_relative_that_is_not_the_speaker_when_the_clause_has_its_own_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("One of the reasons that Mayor Ortiz refuses to release the audit is "
                         "that it would embarrass the council.")
    for att in _by_content(a, "to release the audit"):
        assert att.speaker_text != "the reasons" and att.speaker_text != "that"


@pytest.mark.parametrize(("text", "holder"), [
    ("The board ignored a warning by the auditors that the accounts were incomplete.",
     "the auditors"),
    ("The appeals court made a decision to delay the hearing until March.",
     "The appeals court"),
    ("The opposition persisted in arguments that the count had been rigged.",
     "The opposition"),
])
def test_reporting_noun_holder_by_structure(pipeline, text: str, holder: str) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze(text)
    assert holder in [x.speaker_text for x in a.attributions]


def test_long_subject_after_a_quotation_is_the_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('"We cannot accept a deal that leaves the harbour unprotected. The '
                         'walls are too low. The money is gone," a spokesman for the regional '
                         "port authority said on Monday.")
    (att,) = _by_content(a, "leaves the harbour unprotected")
    assert att.construction == "quote:cue"
    assert att.speaker_text is not None and "spokesman" in att.speaker_text


def test_said_before_a_name_and_a_colon(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('Said Ellison: "I do not get the sense she is interested in reform."')
    (att,) = _by_content(a, "interested in reform")
    assert att.speaker_text is not None and "Ellison" in att.speaker_text


def test_colon_line_then_block_quote_is_the_speakers(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("The hearing turned tense when Senator Dana Whitfield spoke.\n\n"
            "Whitfield continued:\n\n"
            '"You look at these questions. Are you a cartoon villain? Can you do the math? '
            'How about talking about the issues that people care about?"')
    a = pipeline.analyze(text)
    (att,) = [x for x in _by_content(a, "cartoon villain") if x.kind == "direct"]
    assert att.construction == "quote:cue" and att.speaker_text == "Whitfield"


def test_first_person_inside_a_quotation_belongs_to_its_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('"I thought he was very effective tonight. But I really think the '
                         'other side won the argument," Moreau said.')
    thought = [x for x in _by_content(a, "he was very effective") if x.cue == "thought"]
    assert thought and thought[0].speaker_text == "Moreau"
    assert thought[0].speaker_span is not None and thought[0].speaker_span.text == "I"


def test_quotation_after_a_belief_does_not_continue_the_believer(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Maria Lindqvist believes the reform will fail within a year.\n\n"
            '"The harbour will flood every winter and nobody will pay for the repairs."')
    a = pipeline.analyze(text)
    assert not [x for x in _by_content(a, "flood every winter")
                if x.construction == "quote:continuation"]


def test_quotation_after_speech_continues_the_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Maria Lindqvist said the reform would fail within a year.\n\n"
            '"The harbour will flood every winter and nobody will pay for the repairs."')
    a = pipeline.analyze(text)
    (att,) = _by_content(a, "flood every winter")
    assert att.construction == "quote:continuation"
    assert att.speaker_text == "Maria Lindqvist"


def test_dated_dateline_is_not_a_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("OSLO, July 25 (NTB) — The fisheries council released a statement on "
                         "Monday, offering a formal apology to the coastal towns.")
    assert a.attributions
    assert all(x.speaker_text != "OSLO" for x in a.attributions)


def test_gerund_after_a_preposition_inherits_the_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("The senator began by talking about the state's drug crisis.")
    assert [x.speaker_text for x in _by_content(a, "drug crisis")] == ["The senator"]


def test_as_clause_reports_what_it_qualifies(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("The new levy, as one senator put it, is a gift to the largest banks.")
    (att,) = [x for x in a.attributions if x.construction == "speech:as"]
    assert att.speaker_text == "one senator"
    assert "is a gift to the largest banks" in att.content.text


@pytest.mark.parametrize("text", [
    "Someone as wealthy as the developer claims to be would pay far more in tax.",
    "A slide that the minister carries as she speaks to business leaders shows the cost.",
])
def test_comparative_or_temporal_as_is_not_a_source(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze(text)
    assert not [x for x in a.attributions if x.construction == "speech:as"]


def test_nested_statements_with_one_start_list_the_outer_first(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("Inspectors said the builder claimed the walls were safe.")
    contents = [x.content.text for x in a.attributions]
    outer = contents.index("the builder claimed the walls were safe")
    inner = contents.index("the walls were safe")
    assert outer < inner
