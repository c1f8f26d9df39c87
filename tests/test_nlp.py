"""The spaCy layer: a long text is parsed in chunks and joined back."""

import pytest

from presslens.nlp import parse, split_chunks

pytestmark = pytest.mark.model

PARAGRAPH = ("Volodymyr Zelensky said on Monday that talks with Russia were possible. "
             "The adviser, Mykhailo Podolyak, told reporters the army would hold.\n\n")


def test_nlp_long_text_is_parsed_in_chunks_and_joined(nlp) -> None:  # type: ignore[no-untyped-def]
    text = PARAGRAPH * 40
    assert len(split_chunks(text, 1000)) > 1
    doc = parse(nlp, text, max_chunk_chars=1000)
    whole = parse(nlp, text, max_chunk_chars=len(text))
    assert doc.text == text
    # the chunks end at paragraphs, so the words parse as in the whole text
    def words(d):  # type: ignore[no-untyped-def]
        return [(t.idx, t.pos_, t.dep_, t.head.idx) for t in d if not t.is_space]

    assert words(doc) == words(whole)
    assert [(e.start_char, e.label_) for e in doc.ents] == \
        [(e.start_char, e.label_) for e in whole.ents]
    assert doc.tensor.size == 0  # the tagger's vectors are dropped: no stage reads them
