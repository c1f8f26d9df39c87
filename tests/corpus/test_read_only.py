"""Read-only opens on real SQLite files and a real PostgreSQL server: nothing is written,
not even a journal, and every write is refused with a ``StoreError``."""

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import text

from presslens.corpus.store import Corpus
from presslens.errors import CorpusNotFoundError, StoreError
from presslens.model import Analysis

WRITE = "INSERT INTO articles (content_hash, status, ingested_at) VALUES ('x', 'done', 0)"


def sqlite_corpus(path: Path, n: int = 1) -> str:
    """A corpus file of ``n`` articles, closed, so that no -wal or -shm file is beside it."""
    url = f"sqlite:///{path}"
    corpus = Corpus(url)
    for i in range(n):
        corpus.add(Analysis(text=f"Zilenski said that bridge {i} was mined.", title="Bridge"))
    corpus.engine.dispose()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    return url


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corpus_read_only_sqlite_writes_nothing_and_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    url = sqlite_corpus(db)
    before = digest(db)
    corpus = Corpus(url, read_only=True)
    assert corpus.stats()["articles"] == 1
    assert [r.title for r in corpus.search_articles("bridge")] == ["Bridge"]
    with pytest.raises(StoreError, match="read-only"):
        corpus.add(Analysis(text="Kamalwandi said that the site was open."))
    with pytest.raises(StoreError):
        corpus.record_failure("digest", "x.txt", "failed")
    with pytest.raises(StoreError, match="readonly"), corpus._tx() as conn:
        conn.execute(text(WRITE))  # the database itself refuses, not only Corpus
    corpus.engine.dispose()
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.db"]  # no -wal, -shm


def test_corpus_read_only_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CorpusNotFoundError, match="no such file"):
        Corpus(f"sqlite:///{tmp_path / 'typo.db'}", read_only=True)
    assert list(tmp_path.iterdir()) == []


def test_corpus_read_only_follows_a_writer_that_comes_later(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    url = sqlite_corpus(db)
    reader = Corpus(url, read_only=True)
    assert reader.stats()["articles"] == 1
    writer = Corpus(url)
    writer.add(Analysis(text="Kamalwandi said that the site was open."))
    assert reader.stats()["articles"] == 2  # seen while the writer is open
    writer.add(Analysis(text="Kamalwandi said that inspectors had come."))
    writer.engine.dispose()  # the writer's log is folded into the file and removed
    assert reader.stats()["articles"] == 3


def _query_as_nobody(url: str) -> int:
    """Open and query the corpus in a child process that has dropped root, so that file
    permissions apply to it; returns the child's exit status (0: the query worked)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            code = 0 if Corpus(url, read_only=True).stats()["articles"] == 1 else 3
        except BaseException as exc:  # the parent sees the exit status only
            print(f"child: {exc}", file=sys.stderr)
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_corpus_read_only_serves_a_file_nobody_can_write() -> None:
    """A 0444 file in a 0555 folder: SQLite can create no -wal or -shm beside it."""
    # directly under /tmp: pytest's own temp folders are private to this user
    top = Path(tempfile.mkdtemp(prefix="presslens-ro-"))
    folder = top / "frozen"
    folder.mkdir()
    db = folder / "corpus.db"
    url = sqlite_corpus(db)
    before = digest(db)
    db.chmod(0o444)
    folder.chmod(0o555)
    top.chmod(0o755)
    try:
        if os.geteuid() == 0:  # root ignores permissions: ask a user they apply to
            Corpus(url, read_only=True)  # every module the child needs, imported here
            assert _query_as_nobody(url) == 0
        else:
            assert Corpus(url, read_only=True).stats()["articles"] == 1
        assert digest(db) == before and [p.name for p in folder.iterdir()] == ["corpus.db"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(top)


def test_corpus_read_only_postgresql_refuses_writes(postgres_url: str) -> None:
    with pytest.raises(CorpusNotFoundError, match="no presslens tables"):
        Corpus(postgres_url, read_only=True)  # and creates none
    Corpus(postgres_url).add(Analysis(text="Zilenski said that the bridge was mined."))
    corpus = Corpus(postgres_url, read_only=True)
    assert corpus.stats()["articles"] == 1
    with pytest.raises(StoreError, match="read-only"):
        corpus.add(Analysis(text="Kamalwandi said that the site was open."))
    with pytest.raises(StoreError, match="read-only transaction"), corpus._tx() as conn:
        conn.execute(text(WRITE))  # the server itself refuses, not only Corpus
    assert Corpus(postgres_url, read_only=True).stats()["articles"] == 1
