"""Claims and timeline on short texts we wrote (needs the trained pipeline)."""

import pytest

pytestmark = pytest.mark.model


def test_claims_separate_facts_from_opinion_and_prediction(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Russia fired 83 missiles at Ukrainian cities on October 10, officials said. "
            "The West should stop hesitating and send more air defence. "
            "Prices will probably rise again next year.")
    a = pipeline.analyze(text, published="2022-10-11")
    kinds = {c.text.split()[0]: c.kind for c in a.claims}
    assert kinds["Russia"] == "fact" and kinds["The"] == "opinion"
    assert kinds["Prices"] == "prediction"
    fact = next(c for c in a.claims if c.text.startswith("Russia"))
    assert fact.checkworthiness == max(c.checkworthiness for c in a.claims)
    assert fact.entities


def test_timeline_orders_dated_sentences(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("On Tuesday the minister resigned. In March 2021 he had been appointed. "
            "He said yesterday that he had no regrets.")
    a = pipeline.analyze(text, published="2023-05-18")
    assert [t.date for t in a.timeline] == ["2021-03", "2023-05-16", "2023-05-17"]
    assert a.timeline[-1].attribution is not None
    for t in a.timeline:
        assert a.text[t.start:t.end] == t.text
