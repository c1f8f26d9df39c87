"""The spaCy layer: load the English pipeline once and parse text into a ``Doc``.

Needs: text. Adds: tokens, sentences, part-of-speech, dependencies and spaCy's named
entities, which every later stage reads. Long texts are parsed in paragraph-aligned chunks
so memory stays bounded; the chunks are joined back so offsets index the original text.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from presslens.errors import ModelNotInstalledError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_lock = threading.Lock()
_loaded: dict[str, Language] = {}


def load_model(name: str, version: str) -> Language:
    """The spaCy pipeline shipped as a Python package (``[nlp] model``, of ``[nlp]
    model_version``), loaded once per process."""
    with _lock:
        if name not in _loaded:
            try:
                module: Any = importlib.import_module(name)
            except ImportError:
                raise ModelNotInstalledError(name, version) from None
            _loaded[name] = module.load()
        return _loaded[name]


def split_chunks(text: str, max_chars: int) -> list[str]:
    """Cut text into pieces of at most ``max_chars``, at paragraph or line ends if possible."""
    if len(text) <= max_chars:
        return [text]
    chunks: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            if cut <= start:
                cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        chunks.append(text[start:end])
        start = end
    return chunks


def parse(nlp: Language, text: str, *, max_chunk_chars: int) -> Doc:
    return next(parse_many(nlp, [text], max_chunk_chars=max_chunk_chars, batch_size=1))


def parse_many(nlp: Language, texts: Iterable[str], *, max_chunk_chars: int,
               batch_size: int) -> Iterator[Doc]:
    """Parse texts lazily, in order. Texts that fit in one chunk go through ``nlp.pipe`` in
    batches of ``batch_size`` (faster than one by one; spaCy's memory grows with the batch);
    a longer text is parsed alone, chunk by chunk."""
    batch: list[str] = []
    for text in texts:
        if len(text) <= max_chunk_chars:
            batch.append(text)
            if len(batch) < batch_size:
                continue
        yield from nlp.pipe(batch, batch_size=batch_size)
        batch = []
        if len(text) > max_chunk_chars:
            yield _parse_chunks(nlp, split_chunks(text, max_chunk_chars))
    yield from nlp.pipe(batch, batch_size=batch_size)


def _parse_chunks(nlp: Language, chunks: list[str]) -> Doc:
    """One long text, parsed chunk by chunk and joined. Chunks go through spaCy one at a time
    (a batch of full-size chunks holds over a gigabyte of activations), and each chunk
    drops its ``tensor``, the tagger's 96 floats per token, which no stage reads and which
    made up most of the memory of a long document."""
    import numpy
    from spacy.tokens import Doc

    docs = []
    for doc in nlp.pipe(chunks, batch_size=1):
        doc.tensor = numpy.zeros((0,), dtype="float32")
        docs.append(doc)
    # spaCy's stub of from_docs lacks its ``exclude`` argument
    joined: Doc = Doc.from_docs(docs, ensure_whitespace=False,  # type: ignore[call-arg]
                                exclude=["tensor"])
    return joined
