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
from presslens.language.temporal import MONTHS

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
            nlp = module.load()
            if "parser" in nlp.pipe_names:
                _register_line_breaks()
                nlp.add_pipe(LINE_BREAKS, before="parser")
            _loaded[name] = nlp
        return _loaded[name]


LINE_BREAKS = "presslens_line_breaks"
_END_PUNCT = frozenset(".!?:;,\"”’)»-—")


def _register_line_breaks() -> None:
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=mark_line_breaks)


def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence, so a headline or a title line is never glued to the
    text after it (nor becomes part of a name or a speaker). Text wrapped at a fixed width
    (most of its lines end mid-sentence) keeps only its paragraph breaks; the parser
    decides every other boundary."""
    wrapped = is_hard_wrapped(doc.text)
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if before.is_space and not doc[i].is_space and "\n" in before.text:
            if not wrapped or before.text.count("\n") > 1:
                doc[i].is_sent_start = True
            _split_heading(doc, i)
    if len(doc):
        _split_heading(doc, 0)
    return doc


_DASHES = frozenset({"--", "—", "–", "-"})


def _split_heading(doc: Doc, start: int) -> None:
    """A line opening with a dateline ("WASHINGTON (AP) -- The ...") or a run-in heading in
    capitals ("SAVE A QUARTER Let's say ...") starts its sentence after it."""
    i, capitals = start, 0
    while i < len(doc) and i - start < _MAX_HEADING_TOKENS:
        tok = doc[i]
        if tok.is_upper and any(c.isalpha() for c in tok.text):
            capitals += 1
        elif capitals and (tok.like_num or tok.lower_.rstrip(".") in MONTHS):
            pass  # a dated dateline: "PARIS, July 25 (AFP) --"
        elif tok.text not in (",", "(", ")", ".") and not tok.is_space:
            break
        i += 1
    if not capitals or i + 1 >= len(doc):
        return
    if doc[i].text in _DASHES and doc[i + 1].is_title:
        doc[i + 1].is_sent_start = True  # the dateline and its dash stay with the heading
    elif capitals >= 2 and doc[i].is_title and doc[i].is_alpha and \
            not any(t.is_space for t in doc[start:i]):
        doc[i].is_sent_start = True


_MAX_HEADING_TOKENS = 8


def is_hard_wrapped(text: str) -> bool:
    """Whether most lines of the text break mid-sentence (a fixed-width layout)."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if len(lines) < 4:
        return False
    open_ended = sum(1 for line in lines if line[-1] not in _END_PUNCT)
    return open_ended > 0.5 * len(lines)


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
