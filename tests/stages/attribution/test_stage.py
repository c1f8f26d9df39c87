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


def test_attribution_direct_quotes_with_the_speaker_after_before_and_between(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("“The bridge will reopen next month,” said Kaja Kallas on Monday.\n\n"
            "The minister added: “Nobody should expect miracles from this government.”\n\n"
            "“We are ready,” she said, “but not at any price, and not this week.”")
    a = pipeline.analyze(text, published="2024-03-06")
    got = {(x.content.text.rstrip("."), x.kind) for x in a.attributions}
    assert ("The bridge will reopen next month", "direct") in got
    assert ("Nobody should expect miracles from this government", "direct") in got
    assert ("We are ready", "direct") in got
    assert ("but not at any price, and not this week", "direct") in got
    first = next(x for x in a.attributions if x.content.text.startswith("The bridge"))
    speaker = a.entity(first.speaker)
    assert speaker is not None and speaker.name == "Kaja Kallas"
    assert first.date == "2024-03-04"


def test_attribution_quote_paragraph_continues_the_last_speaker(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Olaf Scholz said that Germany would keep its promises to its allies.\n\n"
            "“We will deliver what we announced, and we will do it on time.”")
    a = pipeline.analyze(text)
    quote = next(x for x in a.attributions if x.kind == "direct")
    speaker = a.entity(quote.speaker)
    assert speaker is not None and speaker.name == "Olaf Scholz"
