"""Domain errors: every failure presslens reports to a user has a class and a message here.

Only the outermost layers (CLI, web app, batch runner) turn these into a one-line message
and move on; the library raises them and never prints.
"""

from __future__ import annotations


class PresslensError(Exception):
    """Base class of every error presslens reports to its user."""

    exit_code = 1


class InputError(PresslensError):
    """An article could not be read or is not something presslens can analyse."""

    exit_code = 2


class EmptyInputError(InputError):
    def __init__(self, source: str) -> None:
        super().__init__(f"{source}: empty article (no text after extraction)")


class BinaryInputError(InputError):
    def __init__(self, source: str) -> None:
        super().__init__(f"{source}: looks like a binary file, not text, HTML or Markdown")


class InputTooLargeError(InputError):
    def __init__(self, source: str, size: int, limit: int) -> None:
        super().__init__(
            f"{source}: {size:,} bytes is over the limit of {limit:,} bytes "
            "(raise it with --max-bytes)"
        )


class NotEnglishError(InputError):
    """The text is confidently in another language, named by ingest's language identifier."""

    def __init__(self, source: str, language: str, code: str) -> None:
        super().__init__(f"{source}: looks like {language} ({code}), not English")
        self.language = code


class UnsupportedInputError(InputError):
    def __init__(self, source: str, why: str) -> None:
        super().__init__(f"{source}: {why}")


class NotRegularFileError(InputError):
    """A FIFO, device, socket or other file that is not a regular file: reading it could block
    forever (a FIFO) or never end (``/dev/zero``), so it is refused before it is opened for
    reading."""

    def __init__(self, source: str, kind: str) -> None:
        super().__init__(f"{source}: not a regular file ({kind}); presslens reads files, "
                         "folders and - for standard input")


class UnknownEncodingError(InputError):
    """The bytes could not be decoded with confidence; the user must name the encoding."""

    def __init__(self, source: str, guess: str | None, confidence: float) -> None:
        best = f"best guess {guess} at {confidence:.2f}" if guess else "no candidate fits"
        super().__init__(f"cannot tell the encoding of {source} ({best}); pass --encoding")
        self.guess = guess
        self.confidence = confidence


class InvalidDateError(InputError, ValueError):
    """A publication date that is not a real ISO 8601 calendar date (a ``ValueError`` too,
    as ``date.fromisoformat`` raises, so callers that caught that keep working)."""

    def __init__(self, value: object) -> None:
        super().__init__(f"published date {value!r} is not a real date (YYYY-MM-DD, "
                         "or another ISO 8601 form such as 20221121 or 2022-W47-1)")


class TextTypeError(InputError):
    """``analyze`` was given something other than a ``str``."""

    def __init__(self, value: object) -> None:
        hint = (" (decode it first, or read it with ReadOptions().from_bytes, which detects "
                "the encoding)") if isinstance(value, bytes | bytearray) else ""
        super().__init__(f"the article text must be a str, not {type(value).__name__}{hint}")


class SurrogateTextError(InputError):
    """Text holding lone surrogates (U+D800..U+DFFF): not valid Unicode, usually bytes decoded
    with ``errors="surrogateescape"`` or a broken JSON escape. Refused, not repaired: the
    caller holds the original bytes and knows their encoding, presslens does not."""

    def __init__(self, source: str, char: str, index: int, count: int) -> None:
        super().__init__(f"{source}: {count} lone surrogate(s) in the text, first "
                         f"U+{ord(char):04X} at character {index} (not valid Unicode; decode "
                         "the bytes with errors='replace', or pass the bytes to "
                         "ReadOptions().from_bytes)")


class EncodingNameError(InputError):
    """``--encoding`` (or ``[ingest] encoding``) names no text codec Python knows."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown encoding {name!r} (--encoding or [ingest] encoding): give "
                         "a Python codec name such as utf-8, cp1252, latin-1, cp1251, "
                         "shift_jis or gb18030")


class ConfigError(PresslensError):
    """A configuration file or setting is wrong."""

    exit_code = 3


class ModelNotInstalledError(PresslensError):
    exit_code = 4

    def __init__(self, package: str, version: str) -> None:
        super().__init__(
            f"spaCy model '{package}' is not installed; install it with: "
            f"pip install {package.replace('_', '-')}=={version} (or run `make install`)"
        )


class AnalysisError(PresslensError):
    """A stage failed on one article (a bug in presslens, reported without stopping a batch)."""

    exit_code = 6

    def __init__(self, source: str, stage: str, exc: BaseException) -> None:
        super().__init__(f"{source}: internal error in stage '{stage}' "
                         f"({type(exc).__name__}: {exc}); please report it")


class ArticleTimeoutError(PresslensError):
    """An article ran past its time budget; the batch goes on without it."""

    exit_code = 6

    def __init__(self, source: str, stage: str, budget: float) -> None:
        super().__init__(f"{source}: over the time budget of {budget:g} s in stage '{stage}' "
                         "(raise it with --timeout)")


class WorkerLostError(PresslensError):
    """A worker process did not start, or ended without answering."""

    exit_code = 6


class StoreError(PresslensError):
    """The corpus database could not be opened, migrated, written or read."""

    exit_code = 7


class CorpusNotFoundError(StoreError):
    """A command that only reads was given a corpus database that does not exist, or one
    without presslens tables; it is refused rather than created empty."""

    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"no corpus at {url} ({why}); make one with: "
                         f"presslens ingest ARTICLES... --db {url}")


class CorpusSchemaError(StoreError):
    """A corpus opened read-only has an older schema than this presslens, and a read-only
    open does not migrate it."""

    def __init__(self, url: str, version: int, latest: int, missing: list[int]) -> None:
        super().__init__(
            f"the corpus at {url} has schema version {version} (missing migration(s) "
            f"{', '.join(map(str, missing))}; this presslens needs {latest}) and is open "
            f"read-only; migrate it first by opening it for writing, e.g.: "
            f"presslens ingest ARTICLES... --db {url}")


class KnowledgeBaseError(PresslensError):
    """The knowledge base could not be read, built or imported into."""

    exit_code = 5
