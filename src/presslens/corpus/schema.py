"""The corpus database schema (SQLAlchemy Core, one code path for SQLite and PostgreSQL)
and its migrations.

Migrations are numbered steps applied in order inside one transaction, which holds the
database's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL an advisory lock) from the
check to the last step, so two processes opening a new database at once migrate it once;
the ``schema_migrations`` table records which ran, so opening an old database brings it up
to date and opening a current one does nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Connection

metadata = MetaData()

KEY_LENGTH = 200  # entity keys longer than this are cut and end in a hash of the whole
MIGRATION_LOCK = 0x7072_6573_736C  # PostgreSQL advisory lock id of migrations ("presl")

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text),
    Column("title", Text),
    Column("published", String(10)),
    Column("status", String(10), nullable=False),  # done | failed
    Column("error", Text),
    Column("text", Text),
    Column("analysis", Text),  # the contract JSON
    Column("ingested_at", Float, nullable=False),
)

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True),
    # KB id, or nil:TYPE:name; at most KEY_LENGTH characters (bounded_key)
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("type", String(20), nullable=False),
    Column("kb_id", Text),  # Text since v3: names and ids of any length fit
    Column("sound", Text),  # consonant skeleton of the name's last word (unlinked)
    Column("mention_count", Integer, nullable=False, default=0),
    Column("article_count", Integer, nullable=False, default=0),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
)

spellings = Table(
    "entity_spellings", metadata,
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("spelling", Text, nullable=False),
    Column("count", Integer, nullable=False),
    UniqueConstraint("entity_id", "spelling"),
)

article_entities = Table(
    "article_entities", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id"), nullable=False),
    Column("local_id", String(20), nullable=False),  # the entity's id inside the analysis
    Column("mention_count", Integer, nullable=False),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("entity_id", Integer, ForeignKey("entities.id")),
    Column("speaker_text", Text),
    Column("cue", Text),
    Column("content", Text, nullable=False),
    Column("date", String(10)),
    Column("specificity", String(30), nullable=False),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)


def _v2(conn: Connection) -> None:
    """Full-text search: FTS5 tables on SQLite (kept in step by the store), tsvector
    indexes on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                          "title, text, content='articles', content_rowid='id')"))
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5("
                          "content, content='quotes', content_rowid='id')"))
    else:
        conn.execute(text("CREATE INDEX IF NOT EXISTS articles_fts ON articles USING gin "
                          "(to_tsvector('english', coalesce(title, '') || ' ' || "
                          "coalesce(text, '')))"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS quotes_fts ON quotes USING gin "
                          "(to_tsvector('english', content))"))


def bounded_key(key: str) -> str:
    """An entity key of at most ``KEY_LENGTH`` characters: a longer one keeps its start
    and ends in a hash of the whole, so distinct long names keep distinct keys."""
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{key[:KEY_LENGTH - 17]}#{digest}"


def _v3(conn: Connection) -> None:
    """Names of any length: on PostgreSQL a person's surname over 40 characters overflowed
    ``sound`` and a name over 300 overflowed ``key``. Text columns for what comes from a
    name or the KB; keys cut to ``KEY_LENGTH`` with a hash (a btree index entry is
    bounded, so the key itself must be too)."""
    if conn.dialect.name == "postgresql":
        for column in ("key", "kb_id", "sound"):
            conn.execute(text(f"ALTER TABLE entities ALTER COLUMN {column} TYPE TEXT"))
    long_keys = conn.execute(text("SELECT id, key FROM entities WHERE length(key) > :n"),
                             {"n": KEY_LENGTH}).all()  # only SQLite could store them
    for entity_id, key in long_keys:
        conn.execute(entities.update().where(entities.c.id == entity_id).values(
            key=bounded_key(key)))


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1), (2, _v2), (3, _v3)]
LATEST = MIGRATIONS[-1][0]


def applied_versions(conn: Connection) -> set[int]:
    """The migrations this database has had (none when it has no presslens tables)."""
    if not conn.dialect.has_table(conn, "schema_migrations"):
        return set()
    return {int(row[0]) for row in conn.execute(schema_migrations.select())}


def migrate(conn: Connection) -> list[int]:
    """Apply the migrations this database has not had; returns the versions applied.
    ``conn`` must be in a transaction that holds the write lock on SQLite (``BEGIN
    IMMEDIATE``); on PostgreSQL the advisory lock taken here serialises migrations."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK})
    done = applied_versions(conn)
    if not done:
        schema_migrations.create(conn, checkfirst=True)
    applied = []
    for version, step in MIGRATIONS:
        if version in done:
            continue
        step(conn)
        conn.execute(schema_migrations.insert().values(version=version))
        applied.append(version)
    return applied
