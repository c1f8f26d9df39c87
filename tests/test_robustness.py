"""Property-based: analysing arbitrary text never fails with anything but a named input
error, and every offset in the result indexes ``text`` with the right substring."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import check_offsets
from presslens.errors import InputError

pytestmark = pytest.mark.model

WORDS = ["Zelensky", "Zilenski", "said", "that", "the", "Ugandan", "army", "“", "”", '"', "'",
         "Port", "Louis", "he", "she", "according", "to", "AFP", "on", "November", "20",
         ",", ".", "\n\n", "Biden", "administration", "Kiev", "believed", ":", "(", ")", "«"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join))
def test_robustness_news_like_word_salad(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        a = pipeline.analyze(text, published="2022-11-21")
    except InputError:
        return
    check_offsets(a)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_robustness_arbitrary_unicode(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        a = pipeline.analyze(text)
    except InputError:
        return
    check_offsets(a)
