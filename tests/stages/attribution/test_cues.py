"""Attribution beyond "said": every cue family news uses for sources, nested and chained
sources, scare quotes and titles, speakers by structure, evidence and confidence. Sentences
written for these tests."""

from __future__ import annotations

import pytest

from presslens.model import Analysis, Attribution

pytestmark = pytest.mark.model


def _found(a: Analysis) -> list[tuple[str | None, str | None, str]]:
    return [(x.speaker_text, x.cue, x.content.text) for x in a.attributions]


def _with(a: Analysis, content_part: str) -> Attribution:
    matches = [x for x in a.attributions if content_part in x.content.text]
    assert matches, f"no attribution holds {content_part!r}: {_found(a)}"
    return min(matches, key=lambda x: len(x.content.text))  # the innermost


FAMILIES = [
    # documents and polls that show or find
    ("A new survey by the institute shows that most farmers expect lower prices this year.",
     "A new survey by the institute", "most farmers expect lower prices"),
    ("The audit found that the ministry had overpaid three contractors.",
     "The audit", "the ministry had overpaid three contractors"),
    ("Polls show a tight race in the northern provinces.", "Polls", "a tight race"),
    # denial and confirmation
    ("The company denied that it had shared customer data with advertisers.",
     "The company", "it had shared customer data"),
    ("The coach confirmed that the striker would miss the final.",
     "The coach", "the striker would miss the final"),
    # intention and demands
    ("The governor vowed to veto any bill that cuts school funding.",
     "The governor", "to veto any bill"),
    ("The union wants a shorter working week for nurses.", "The union",
     "a shorter working week"),
    ("Environmental groups called for a moratorium on new coal mines.",
     "Environmental groups", "a moratorium on new coal mines"),
    ("The mayor urged residents to stay indoors during the storm.", "The mayor",
     "residents to stay indoors"),
    # belief, knowledge and perception
    ("Many economists believe the central bank will raise rates in spring.",
     "Many economists", "the central bank will raise rates"),
    # evaluation and positions
    ("The opposition leader criticized the budget for ignoring rural hospitals.",
     "The opposition leader", "the budget for ignoring rural hospitals"),
    ("The farmers' association supports the new water-sharing agreement.",
     "The farmers' association", "the new water-sharing agreement"),
    ("Critics have described the reform as a gift to landlords.", "Critics",
     "the reform as a gift to landlords"),
    ("The senator called the governor a coward on Monday.", "The senator",
     "the governor a coward"),
    # adjectives of belief, feeling and resolve
    ("The finance minister is confident that inflation will fall by summer.",
     "The finance minister", "inflation will fall by summer"),
    ("Local officials were worried the dam could fail in heavy rain.", "Local officials",
     "the dam could fail"),
]


@pytest.mark.parametrize(("text", "speaker", "content"), FAMILIES)
def test_attribution_cue_families(pipeline, text: str, speaker: str, content: str) -> None:  # type: ignore[no-untyped-def]
    att = _with(pipeline.analyze(text), content)
    assert att.speaker_text == speaker


def test_attribution_accusation_reports_what_is_alleged(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("The prosecutor accused the former mayor of taking bribes.")
    assert ("The prosecutor", "accused", "taking bribes") in _found(a)


@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("In the view of many economists, the tariff will raise prices for families.",
     "many economists", "the tariff will raise prices"),
    ("In her view, the court overstepped its powers.", "her", "the court overstepped"),
    ("The plan, as one senator put it, is a tax on the poor.", "one senator",
     "is a tax on the poor"),
])
def test_attribution_views_and_as_put_it(pipeline, text: str, speaker: str, content: str) -> None:  # type: ignore[no-untyped-def]
    att = _with(pipeline.analyze(text), content)
    assert att.speaker_text == speaker


def test_attribution_nested_sources_each_keep_their_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("The ambassador told reporters that the minister had said the "
                         "border would reopen on Friday.")
    outer = _with(a, "the minister had said")
    inner = _with(a, "the border would reopen")
    assert outer.speaker_text == "The ambassador"
    assert inner.speaker_text == "the minister"


def test_attribution_relative_pronoun_speaker_is_its_antecedent(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("The talks were hosted by Greenpeace, which warned that the "
                         "glaciers were shrinking faster than expected.")
    att = _with(a, "the glaciers were shrinking")
    assert att.speaker_span is not None and att.speaker_span.text == "which"
    assert a.entity(att.speaker) is not None
    assert a.entity(att.speaker).name == "Greenpeace"  # type: ignore[union-attr]


def test_attribution_first_person_inside_a_quotation_is_the_quoted_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('"We waited for hours and I think the organisers failed us," '
                         'said Maria Lindqvist, a teacher from Uppsala.')
    inner = _with(a, "the organisers failed us")
    quoted = [x for x in a.attributions if x.kind == "direct"]
    assert quoted and quoted[0].speaker is not None
    assert inner.speaker == quoted[0].speaker


def test_attribution_signed_quotation_names_its_author(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("Readers wrote in about the new bridge.\n"
                         "“It has cut my commute in half and I am grateful.” ― Lena Okafor\n"
                         "“The tolls are far too high for working families.” ― Tomas Berg\n")
    first = _with(a, "cut my commute")
    second = _with(a, "tolls are far too high")
    assert first.speaker_text == "Lena Okafor"
    assert second.speaker_text == "Tomas Berg"


def test_attribution_headline_with_a_colon_quotes_the_named_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("Merkel: Europe must share the burden of migration\n\n"
                         "The former chancellor spoke in Berlin on Tuesday.")
    att = _with(a, "Europe must share the burden")
    assert att.speaker_text == "Merkel"
    b = pipeline.analyze("UPDATE: The bridge will reopen on Friday after repairs.")
    assert not any(x.speaker_text == "UPDATE" for x in b.attributions)


def test_attribution_headline_line_is_never_part_of_a_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("Transport minister resigns over rail contracts\n"
                         "The minister said on Monday that he would step down.")
    att = _with(a, "he would step down")
    assert att.speaker_text == "The minister"
    assert all("resigns" not in (x.speaker_text or "") for x in a.attributions)


def test_attribution_dateline_is_not_the_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("NAIROBI -- The health minister, opening a clinic on Saturday, "
                         "said the vaccine would reach every county by June.")
    att = _with(a, "the vaccine would reach every county")
    assert "NAIROBI" not in (att.speaker_text or "")


@pytest.mark.parametrize("text", [
    'Officials celebrated the "great victory" in the valley on Sunday.',
    'The ministry dismissed the protesters as "provocateurs" and closed the square.',
    'The so-called "reform" has left pensioners poorer than before.',
])
def test_scare_quotes_are_not_speech(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze(text)
    quoted = text.split('"')[1]
    assert not any(quoted in x.content.text and x.kind == "direct" for x in a.attributions)
    phrases = [(p.text, p.kind) for p in a.quoted_phrases]
    assert (quoted, "scare_quote") in phrases


def test_scare_quote_inside_a_statement_belongs_to_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('The general said the offensive was a "great victory" for the army.')
    att = _with(a, "great victory")
    assert att.speaker_text == "The general"
    assert not a.quoted_phrases


@pytest.mark.parametrize(("text", "title"), [
    ('Senator Ruth Adler said on "Face the Nation" that taxes would not rise.',
     "Face the Nation"),
    ('The author discussed her memoir "The Long Walk Home" at the festival.',
     "The Long Walk Home"),
])
def test_titles_in_quotes_are_not_speech(pipeline, text: str, title: str) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze(text)
    assert not any(x.content.text == title for x in a.attributions)
    assert (title, "title") in [(p.text, p.kind) for p in a.quoted_phrases]


def test_quotation_marks_inside_markup_are_not_quotes(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('The agency published its figures <a href="https://example.org/'
                         'stats" class="inline-link">here</a> on Monday, and the director '
                         'said that exports had fallen for a third month.')
    assert not any("example.org" in x.content.text for x in a.attributions)
    assert _with(a, "exports had fallen").speaker_text == "the director"


def test_quote_boundaries_exclude_the_words_before_the_mark(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('The colonel called what was happening "a stab in the back".')
    att = _with(a, "stab in the back")
    assert att.content.text == "a stab in the back"
    assert att.speaker_text == "The colonel"


def test_every_attribution_has_evidence_and_confidence(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Parliament met on Tuesday. The speaker said the session would run late. "
            '"We have no choice," she told reporters. Later, she added more detail.\n'
            '"The budget must pass this week."')
    a = pipeline.analyze(text)
    assert a.attributions
    for att in a.attributions:
        assert att.confidence is not None and 0.0 < att.confidence <= 1.0
        assert att.evidence is not None
        assert att.evidence.start <= att.content.start and att.content.end <= att.evidence.end
        assert text[att.evidence.start:att.evidence.end] == att.evidence.text


def test_confidence_is_lower_when_the_speaker_is_unresolved(pipeline) -> None:  # type: ignore[no-untyped-def]
    named = _with(pipeline.analyze("Angela Merkel said that the euro would survive."),
                  "the euro would survive")
    unnamed = _with(pipeline.analyze("Charges that the mayor took bribes have circulated "
                                     "for months."), "the mayor took bribes")
    assert named.confidence is not None and unnamed.confidence is not None
    assert unnamed.speaker is None
    assert unnamed.confidence < named.confidence


def test_confident_drops_only_low_confidence_findings(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("Angela Merkel said that the euro would survive. Charges that the "
                         "mayor took bribes have circulated for months.")
    levels = sorted({x.confidence for x in a.attributions if x.confidence is not None})
    assert len(levels) >= 2
    kept = a.confident(levels[-1])
    assert kept.attributions and all(x.confidence == levels[-1] for x in kept.attributions)
    assert len(a.confident(0.0).attributions) == len(a.attributions)


def test_every_speech_verb_is_an_attribution_cue() -> None:
    from presslens.language.lexicons import speech_verbs
    from presslens.stages.attribution.cues import cue_senses

    assert speech_verbs() <= set(cue_senses())


def test_transcript_turns_quote_each_speaker_in_turn(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('Part of the interview follows. "HOLT: Will you release the '
                         'documents before the vote? "GARCIA: We will release every page '
                         'of them next week, as we promised.')
    question = _with(a, "release the documents")
    answer = _with(a, "release every page")
    assert question.speaker_text == "HOLT" and answer.speaker_text == "GARCIA"
    assert "GARCIA" not in question.content.text


def test_continued_introduces_more_words_of_the_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('The mayor spoke first. Then Dana Whitfield continued: "We have '
                         'waited long enough for this bridge to be repaired."')
    assert _with(a, "waited long enough").speaker_text == "Dana Whitfield"
