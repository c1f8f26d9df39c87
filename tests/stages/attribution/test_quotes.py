"""Finding quotation spans: pure string work that must never raise (no model needed)."""

from hypothesis import given
from hypothesis import strategies as st

from presslens.config import load_config
from presslens.stages.attribution.quotes import find_quote_spans
from presslens.stages.attribution.reported import quote_kind_of


def spans(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_quote_spans(text)]


def test_quotes_curly_straight_and_guillemets() -> None:
    text = 'He said: “We are ready.” She said "not yet" and «never again».'
    assert spans(text) == ["We are ready.", "not yet", "never again"]


def test_quotes_apostrophes_are_not_quotation_marks() -> None:
    assert spans("Ukraine’s army and the people's will") == []
    assert spans("‘We will not give up,’ she said. It’s over.") == ["We will not give up,"]


def test_quotes_spanning_paragraphs_reopen_each_paragraph() -> None:
    text = "“The first part goes on.\n\n“And the second part ends here,” he said."
    (only,) = spans(text)
    assert only.startswith("The first part") and only.endswith("ends here,")


def test_quotes_unbalanced_marks_are_dropped() -> None:
    assert spans('He said that "the war would end soon.\n\nNobody believed it.') == []
    assert spans("“Never closed") == []


@given(st.text(alphabet=st.sampled_from(list('ab "“”«»‘’\n.,')), max_size=200))
def test_quotes_never_raise_and_stay_in_bounds(text: str) -> None:
    last_end = -1
    for q in find_quote_spans(text):
        assert 0 < q.start <= q.end <= len(text)
        assert q.start > last_end
        last_end = q.end


def test_attribution_quote_kind_reads_only_the_quotations_it_overlaps() -> None:
    text = "".join(f'He said "we will win {i}" and left. ' for i in range(300))
    quotes = [(q.start, q.end) for q in find_quote_spans(text)]
    assert len(quotes) == 300
    inside = text.index("we will win 150")
    share = load_config().attribution.direct_share
    assert quote_kind_of(inside, inside + 12, quotes, direct_share=share) == "direct"
    assert quote_kind_of(inside - 9, inside + 20, quotes, direct_share=share) == "mixed"
    assert quote_kind_of(inside - 8, inside - 2, quotes, direct_share=share) == "indirect"
    assert quote_kind_of(0, 0, quotes, direct_share=share) == "indirect"
