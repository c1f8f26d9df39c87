"""The corpus database schema (SQLAlchemy Core, one code path for SQLite and PostgreSQL)
and its migrations.

Migrations are numbered steps applied in order inside one transaction each; the
``schema_migrations`` table records which ran, so opening an old database brings it up to
date and opening a current one does nothing.
"""

from __future__ import annotations

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
    Column("key", String(300), nullable=False, unique=True),  # KB id, or nil:TYPE:name
    Column("name", Text, nullable=False),
    Column("type", String(20), nullable=False),
    Column("kb_id", String(100)),
    Column("sound", String(40)),  # consonant skeleton of the name's last word (unlinked)
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


MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1), (2, _v2)]


def migrate(conn: Connection) -> list[int]:
    """Apply the migrations this database has not had; returns the versions applied."""
    schema_migrations.create(conn, checkfirst=True)
    done = {row[0] for row in conn.execute(schema_migrations.select())}
    applied = []
    for version, step in MIGRATIONS:
        if version in done:
            continue
        step(conn)
        conn.execute(schema_migrations.insert().values(version=version))
        applied.append(version)
    return applied
