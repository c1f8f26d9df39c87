"""Who said what: parametrised from sentences to (speaker words, cue, content) triples."""

import pytest

pytestmark = pytest.mark.model

CASES = [
    ("The minister said that the talks would resume next week.",
     ("The minister", "said", "the talks would resume next week")),
    ("Britain's defence ministry believed that the offensive had stalled.",
     ("Britain's defence ministry", "believed", "the offensive had stalled")),
    ("Ukraine immediately accused Russia of deliberately expanding the war.",
     ("Ukraine", "accused", "deliberately expanding the war")),
    ("The senator changed his mind and said that he would support the bill.",
     ("The senator", "said", "he would support the bill")),
    ("During the campaign, the party made it clear that aid must be cut.",
     ("the party", "made it clear", "aid must be cut")),
    ("Earlier, a French legislator denounced Paris, saying that the plan was reckless.",
     ("a French legislator", "saying", "the plan was reckless")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_attribution_speaker_cue_and_content(pipeline, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze(text)
    found = [(x.speaker_text, x.cue, x.content.text) for x in a.attributions]
    assert expected in found


@pytest.mark.parametrize("text", [
    "It can be said that the patience of the West is running out.",
    "The weather was cold and the roads were empty.",
    "The war has made Western governments wary.",
])
def test_attribution_none_where_nobody_speaks(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert pipeline.analyze(text).attributions == []


def test_attribution_source_chain_with_outlet_and_date(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("According to Agence France-Presse on November 20, Mykhailo Podolyak, an adviser to "
            "President Volodymyr Zelensky, said that the talks were a trap.")
    a = pipeline.analyze(text, published="2022-11-21")
    att = next(x for x in a.attributions if "talks were a trap" in x.content.text)
    speaker = a.entity(att.speaker)
    source = a.entity(att.source)
    assert speaker is not None and speaker.name == "Mykhailo Podolyak"
    assert source is not None and "France" in source.name
    assert att.date == "2022-11-20"
    assert att.specificity == "named_person"


def test_attribution_vague_source_keeps_its_words(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("British media reported that there was a rift among the generals.")
    (att,) = a.attributions
    assert att.speaker is None and att.speaker_text == "British media"
    assert att.specificity == "vague_group"


def test_attribution_unbalanced_quotes_do_not_raise(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze('He said that "the war would end soon. Nobody believed it.')
    assert all(a.text[x.content.start:x.content.end] == x.content.text for x in a.attributions)
