"""Migrations on real SQLite files and a real PostgreSQL server: a database made by an
older presslens is brought up to date; concurrent opens of a new one migrate it once."""

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from presslens.corpus.schema import KEY_LENGTH, MIGRATIONS, bounded_key, metadata
from presslens.corpus.store import Corpus
from presslens.errors import CorpusSchemaError
from presslens.model import Analysis, Entity, Mention

OLD_KEY = "nil:ORG:" + "very long organisation " * 20  # 468 characters


def version_2_database(url: str) -> None:
    """A corpus as presslens made it before migration 3: VARCHAR(40) sounds, VARCHAR(300)
    keys, and (on SQLite, which does not enforce lengths) a key over 300 characters."""
    engine = create_engine(url)
    with engine.begin() as conn:
        metadata.create_all(conn)
        if conn.dialect.name == "postgresql":
            for column, length in (("key", 300), ("kb_id", 100), ("sound", 40)):
                conn.execute(text(f"ALTER TABLE entities ALTER COLUMN {column} "
                                  f"TYPE VARCHAR({length})"))
        else:
            conn.execute(text("INSERT INTO entities (key, name, type, mention_count, "
                              "article_count) VALUES (:k, 'Very Long', 'ORG', 1, 1)"),
                         {"k": OLD_KEY})
        dict(MIGRATIONS)[2](conn)
        conn.execute(text("INSERT INTO schema_migrations (version) VALUES (1), (2)"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_schema_version_2_database_migrates_to_names_of_any_length(url: str) -> None:
    version_2_database(url)
    with pytest.raises(CorpusSchemaError, match=r"version 2 .*presslens ingest"):
        Corpus(url, read_only=True)  # a read-only open does not migrate
    corpus = Corpus(url)
    name = "Maria Zakharova-Oblonskaya-Trubetskaya-Volkonskaya-Dolgorukova"
    text_ = f"{name} said that the talks would go on."
    corpus.add(Analysis(text=text_, entities=[Entity(
        id="e1", name=name, type="PERSON", kb_id=None, spellings=[name],
        mentions=[Mention(start=0, end=len(name), text=name)])]))
    assert Corpus(url, read_only=True).stats()["entities"] == (2 if corpus.is_sqlite else 1)
    if corpus.is_sqlite:  # the old long key, cut like new ones, finds the same entity
        assert len(bounded_key(OLD_KEY)) <= KEY_LENGTH
        assert corpus.entity(bounded_key(OLD_KEY)) is not None


def _open(url: str) -> int:
    return Corpus(url).stats()["articles"]


def test_schema_concurrent_opens_of_a_new_sqlite_file_migrate_it_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    for n in range(2):  # a race may not happen every time; try it twice
        db = tmp_path / f"new{n}.db"
        with ctx.Pool(6) as pool:
            assert pool.map(_open, [f"sqlite:///{db}"] * 6) == [0] * 6
        with sqlite3.connect(db) as conn:
            versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
        assert versions == [v for v, _ in MIGRATIONS]
