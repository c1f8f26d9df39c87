"""Ingest: bytes on disk (or stdin) to an ``Article``: decoded, extracted and checked.

Needs: a path or a string. Adds: the article text every offset indexes into, its title,
publication date where the source gives one, and notes about how it was read. Refuses,
with a named error, what presslens cannot analyse: empty, binary, oversized or non-English.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NotEnglishError,
    UnsupportedInputError,
)

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
class ReadOptions:
    """How to read articles: the size limit, a publication date, the language check."""

    max_bytes: int = 10_000_000
    published: str | None = None
    min_english_ratio: float = 0.12
    min_words_for_language_check: int = 30

    @classmethod
    def from_config(cls, config: dict[str, Any], *, max_bytes: int | None = None,
                    published: str | None = None) -> ReadOptions:
        ing = config["ingest"]
        return cls(max_bytes if max_bytes is not None else ing["max_bytes"], published,
                   ing["min_english_ratio"], ing["min_words_for_language_check"])

    def read(self, path: Path | None) -> Article:
        """One article from a file (format by suffix), or standard input for ``None``."""
        return read_article(path, max_bytes=self.max_bytes, published=self.published,
                            min_english_ratio=self.min_english_ratio,
                            min_words_for_language_check=self.min_words_for_language_check)

    def from_bytes(self, data: bytes, *, source: str = "<text>", fmt: str = "text") -> Article:
        """One article from raw bytes already in memory (an upload, a dataset row)."""
        if len(data) > self.max_bytes:
            raise InputTooLargeError(source, len(data), self.max_bytes)
        return article_from_bytes(data, source=source, fmt=fmt, published=self.published,
                                  min_english_ratio=self.min_english_ratio,
                                  min_words_for_language_check=self.min_words_for_language_check)

    def from_text(self, text: str, *, source: str = "<text>", fmt: str = "text") -> Article:
        """One article from a decoded string."""
        return article_from_text(text, source=source, fmt=fmt, published=self.published,
                                 min_english_ratio=self.min_english_ratio,
                                 min_words_for_language_check=self.min_words_for_language_check)


def iter_input_paths(paths: list[str]) -> Iterator[Path | None]:
    """Expand files and folders (sorted, recursively) to article files; ``-`` yields None."""
    for raw in paths:
        if raw == "-":
            yield None
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield child
        elif path.exists():
            yield path
        else:
            raise InputError(f"{raw}: no such file or folder")


def read_article(path: Path | None, *, max_bytes: int = 10_000_000,
                 published: str | None = None, min_english_ratio: float = 0.12,
                 min_words_for_language_check: int = 30) -> Article:
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
                              min_english_ratio=min_english_ratio,
                              min_words_for_language_check=min_words_for_language_check)


def article_from_bytes(data: bytes, *, source: str = "<text>", fmt: str = "text",
                       published: str | None = None, min_english_ratio: float = 0.12,
                       min_words_for_language_check: int = 30) -> Article:
    if is_binary(data):
        raise BinaryInputError(source)
    text, notes = decode(data)
    return article_from_text(text, source=source, fmt=fmt, published=published, notes=notes,
                             min_english_ratio=min_english_ratio,
                             min_words_for_language_check=min_words_for_language_check)


def article_from_text(text: str, *, source: str = "<text>", fmt: str = "text",
                      published: str | None = None, notes: tuple[str, ...] = (),
                      min_english_ratio: float = 0.12,
                      min_words_for_language_check: int = 30) -> Article:
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
    check_english(text, source, min_ratio=min_english_ratio,
                  min_words=min_words_for_language_check)
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


@lru_cache(maxsize=1)
def english_function_words() -> frozenset[str]:
    raw = resources.files("presslens").joinpath("data/english_function_words.txt")
    return frozenset(w.strip() for w in raw.read_text("utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


def check_english(text: str, source: str, *, min_ratio: float, min_words: int) -> None:
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < min_words:
        return
    latin = sum(1 for w in words if w.isascii())
    if latin / len(words) < 0.5:
        raise NotEnglishError(source, "mostly non-Latin script")
    common = english_function_words()
    ratio = sum(1 for w in words if w in common) / len(words)
    if ratio < min_ratio:
        raise NotEnglishError(source, f"{ratio:.0%} common English words")
