"""The spaCy layer: a long text is parsed in chunks and joined back."""

import pytest

from presslens.nlp import parse, parse_many, split_chunks

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


def test_nlp_parse_many_in_batches_parses_as_one_by_one(nlp) -> None:  # type: ignore[no-untyped-def]
    """Batching changes nothing: the same parse as text by text, in order, with a text that
    needs chunks in the middle of a batch and a last batch that is not full."""
    texts = [f"Talks {i} resumed in Geneva, the minister said on Monday." for i in range(7)]
    texts.insert(3, PARAGRAPH * 40)

    def parsed(d):  # type: ignore[no-untyped-def]
        return [(t.idx, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in d]

    one_by_one = [parsed(parse(nlp, t, max_chunk_chars=1000)) for t in texts]
    batched = [parsed(d) for d in parse_many(nlp, iter(texts), max_chunk_chars=1000,
                                             batch_size=3)]
    assert batched == one_by_one
