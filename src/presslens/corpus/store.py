"""The corpus: many analyses in one database (SQLite by default, PostgreSQL by URL).

``Corpus.add`` stores an analysis in one transaction, keyed by the hash of its text, so a
batch that is killed and run again neither loses nor duplicates an article. Entities meet
across articles through their KB id, or, unlinked, through their type and name: a
transliteration variant of a name already in the corpus joins it (``identity`` decides;
this module fetches the candidates and writes the decision). Queries (full-text search,
what an entity said, sources, co-occurrence, timeline) are library functions that the CLI
and the web app call. They filter and count in SQL, read stored analyses as the typed
``Analysis``, and return the frozen rows of ``rows``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    case,
    create_engine,
    event,
    inspect,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from presslens.corpus.identity import (
    JOIN_THRESHOLD,
    Identity,
    StoredName,
    candidate_sound,
    identify,
    sound_key,
)
from presslens.corpus.rows import (
    ArticleRow,
    CooccurrenceRow,
    EntityMatch,
    EntityProfile,
    EventRow,
    FailureRow,
    OutletTechniquesRow,
    QuoteRow,
    SourceRow,
    SpellingRow,
    StanceRow,
    TimelineRow,
)
from presslens.corpus.schema import (
    LATEST,
    MIGRATIONS,
    applied_versions,
    article_entities,
    articles,
    entities,
    migrate,
    quotes,
    spellings,
)
from presslens.errors import CorpusNotFoundError, CorpusSchemaError, StoreError
from presslens.language.names import fold
from presslens.model import Analysis, Entity

DEFAULT_URL = "sqlite:///presslens.db"


def content_hash(text_: str) -> str:
    """The identity of an article: its text with whitespace folded, hashed."""
    return hashlib.sha256(" ".join(text_.split()).encode("utf-8")).hexdigest()


_SQLITE_BUSY_SECONDS = 30  # how long a SQLite connection waits for another's lock


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}")  # WAL switch waits too
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_read_only_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """A read-only connection leaves the journal mode as it is and writes nothing."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """Begin every SQLite transaction here: pysqlite would begin only before DML, leaving
    the DDL of migrations outside any transaction. A writer takes the write lock at once
    (IMMEDIATE), so two writers wait for each other (busy_timeout) instead of one failing
    when it upgrades a read lock, and a check-then-insert cannot race."""
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


_WRITE = "presslens_write"  # execution option: this transaction writes
_RETRIES = 3
_RACE_STATES = {"40001", "40P01"}  # PostgreSQL serialization failure, deadlock detected
_T = TypeVar("_T")


def _lost_race(exc: DBAPIError) -> bool:
    """A write that another writer got in the way of: a unique key taken meanwhile, or a
    PostgreSQL deadlock or serialization failure. Run again, it finds the other's rows."""
    return isinstance(exc, IntegrityError) or getattr(
        exc.orig, "sqlstate", None) in _RACE_STATES


def redact_url(url: str) -> str:
    """A database URL fit to print: its password, if any, replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _file_state(path: Path) -> tuple[int, int, int, bool]:
    """What changes when a writer touches a SQLite file: inode, size, mtime, and whether
    a write-ahead log is beside it."""
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns, Path(f"{path}-wal").exists()


class Corpus:
    """A corpus database. ``create=False`` (for commands that only read) refuses a SQLite
    file that does not exist, or a database without presslens tables, with
    ``CorpusNotFoundError`` instead of creating an empty corpus.

    ``read_only=True`` (``serve --read-only``, the ``corpus`` commands) also refuses a
    missing database, runs no migration and writes nothing: SQLite is opened as a
    ``mode=ro`` URI without switching its journal, PostgreSQL in read-only transactions.
    A schema older than this presslens is refused with ``CorpusSchemaError``.

    ``join_threshold``: the name similarity at which an unlinked person is a stored one
    (``identity.identify``)."""

    def __init__(self, url: str = DEFAULT_URL, *, create: bool = True,
                 read_only: bool = False, join_threshold: float = JOIN_THRESHOLD) -> None:
        shown = redact_url(url)
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]  # the driver we ship
        self.url = url
        self.read_only = read_only
        self.join_threshold = join_threshold
        self._shown = shown
        self._immutable: Path | None = None  # a SQLite file read as immutable, followed
        self._immutable_state: tuple[int, int, int, bool] | None = None
        self._reopen_lock = threading.Lock()
        try:
            if read_only:
                self.engine: Engine = self._open_read_only(make_url(url))
                return
            sqlite = make_url(url).get_backend_name() == "sqlite"
            # the driver waits for a lock from the first statement on, before the pragmas
            # run: SQLAlchemy's own first queries on a database another process is
            # migrating would otherwise give up after pysqlite's default 5 s
            self.engine = create_engine(
                url, connect_args={"timeout": _SQLITE_BUSY_SECONDS} if sqlite else {})
            if not create:
                self._require_existing(shown)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            with self.engine.connect() as conn:
                conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    migrate(conn)
        except (SQLAlchemyError, ArgumentError) as exc:
            raise StoreError(f"cannot open corpus database {shown}: {exc}") from None

    def _require_existing(self, shown: str) -> None:
        """Refuse a database that is not there yet, before anything can create it."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and not url.query.get("uri"):
            database = url.database or ""
            if database in ("", ":memory:"):
                raise CorpusNotFoundError(shown, "an in-memory database is always empty")
            if not Path(database).is_file():
                raise CorpusNotFoundError(shown, f"no such file: {database}")
        try:  # checked without the pragmas, which would turn a foreign file into WAL mode
            with self.engine.connect() as conn:
                has_tables = inspect(conn).has_table("schema_migrations")
        finally:
            self.engine.dispose()  # later connections are made with the pragmas
        if not has_tables:
            raise CorpusNotFoundError(shown, "the database has no presslens tables")

    # -- read-only -----------------------------------------------------------------------
    def _open_read_only(self, url: URL) -> Engine:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(self._sqlite_read_only_url(url),
                                   connect_args={"timeout": _SQLITE_BUSY_SECONDS})
            event.listen(engine, "connect", _sqlite_read_only_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:  # every transaction of every connection is read-only, set by the server
            engine = create_engine(
                url, connect_args={"options": "-c default_transaction_read_only=on"})
        try:
            with engine.connect() as conn:
                versions = applied_versions(conn)
        except SQLAlchemyError:
            engine.dispose()
            raise
        if not versions:
            engine.dispose()
            raise CorpusNotFoundError(self._shown, "the database has no presslens tables")
        if missing := sorted({v for v, _ in MIGRATIONS} - versions):
            engine.dispose()
            raise CorpusSchemaError(self._shown, max(versions), LATEST, missing)
        return engine

    def _sqlite_read_only_url(self, url: URL) -> URL:
        """The ``mode=ro`` URI of the corpus file. A file with no write-ahead log beside it
        (no writer at work) is opened ``immutable``: a plain read-only open of a WAL
        database would create -wal and -shm files, and in a read-only folder could not
        open it at all. A writer that comes later is followed (``_follow_writers``)."""
        if url.query.get("uri"):  # the user's own SQLite URI, taken as given, read-only
            return url.update_query_dict({"mode": "ro"})
        database = url.database or ""
        if database in ("", ":memory:"):
            raise CorpusNotFoundError(self._shown, "an in-memory database is always empty")
        path = Path(database).resolve()
        if not path.is_file():
            raise CorpusNotFoundError(self._shown, f"no such file: {database}")
        query = {"mode": "ro", "uri": "true"}
        state = _file_state(path)
        if not state[3]:
            query["immutable"] = "1"
            self._immutable, self._immutable_state = path, state
        else:
            self._immutable = self._immutable_state = None
        return URL.create("sqlite", database="file:" + quote(str(path)), query=query)

    def _follow_writers(self) -> None:
        """An immutable read is only right while nobody writes: when the file changed or a
        writer's log appeared since it was opened, reopen it (as a plain reader then)."""
        path = self._immutable
        if path is None:
            return
        with self._reopen_lock:
            try:
                state = _file_state(path)
            except OSError as exc:
                raise StoreError(f"corpus database {self._shown}: {exc}") from None
            if state == self._immutable_state:
                return
            old = self.engine
            self.engine = self._open_read_only(make_url(self.url))
            old.dispose()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A transaction that only reads."""
        try:
            self._follow_writers()
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"corpus database error: {exc}") from None

    def _write(self, store: Callable[[Connection], _T]) -> _T:
        """Run ``store`` in one write transaction. A transaction that lost a race with
        another writer (another process storing the same article or entity at the same
        moment) is rolled back and run again, and then finds the other's rows."""
        if self.read_only:
            raise StoreError(f"corpus database {self._shown} is open read-only")
        for attempt in range(_RETRIES):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(**{_WRITE: True})
                    with conn.begin():
                        return store(conn)
            except DBAPIError as exc:
                if attempt + 1 < _RETRIES and _lost_race(exc):
                    continue
                raise StoreError(f"corpus database error: {exc}") from None
            except SQLAlchemyError as exc:
                raise StoreError(f"corpus database error: {exc}") from None
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _insert(self, table: Table) -> SqliteInsert | PgInsert:
        """An INSERT that can say what to do ON CONFLICT (both dialects have it)."""
        return sqlite_insert(table) if self.is_sqlite else pg_insert(table)

    # -- writing -------------------------------------------------------------------------
    def has(self, digest: str) -> bool:
        with self._tx() as conn:
            row = conn.execute(select(articles.c.id).where(articles.c.content_hash == digest))
            return row.first() is not None

    def record_failure(self, digest: str, source: str, error: str) -> None:
        """Record an article that could not be analysed or stored, unless it is stored."""
        values = {"content_hash": digest, "source": _storable(source), "status": "failed",
                  "error": _storable(error), "ingested_at": time.time()}
        self._write(lambda conn: conn.execute(self._insert(articles).values(
            values).on_conflict_do_nothing(index_elements=[articles.c.content_hash])))

    def add(self, analysis: Analysis) -> int | None:
        """Store an analysis (one transaction); None when its text is already stored, by
        an earlier run or by another process at the same moment."""
        return self._write(lambda conn: self._store(conn, analysis))

    def _store(self, conn: Connection, analysis: Analysis) -> int | None:
        found = conn.execute(self._insert(articles).values(
            content_hash=content_hash(analysis.text), source=analysis.source,
            title=analysis.title, published=analysis.published, status="done",
            text=analysis.text, analysis=analysis.to_json(indent=None),
            ingested_at=time.time(),
        ).on_conflict_do_nothing(index_elements=[articles.c.content_hash]).returning(
            articles.c.id)).scalar()
        if found is None:
            return None
        article_id = int(found)
        linked = []
        for ent in analysis.entities:
            names = [m for m in ent.mentions if m.kind == "name"]
            if names:
                linked.append((self._identity(conn, ent), ent, names))
        # rows are locked in key order, so two writers never wait for each other in a ring
        linked.sort(key=lambda item: item[0].key)
        local: dict[str, int] = {}
        for identity, ent, names in linked:
            eid = self._upsert_entity(conn, identity, ent, analysis.published)
            local[ent.id] = eid
            for sp in sorted(ent.spellings):
                n = sum(1 for m in names if m.text == sp)
                self._add_spelling(conn, eid, sp, n)
            conn.execute(article_entities.insert().values(
                article_id=article_id, entity_id=eid, local_id=ent.id,
                mention_count=len(ent.mentions)))
        for att in analysis.attributions:
            conn.execute(quotes.insert().values(
                article_id=article_id, entity_id=local.get(att.speaker or ""),
                speaker_text=att.speaker_text, cue=att.cue, content=att.content.text,
                date=att.date or analysis.published, specificity=att.specificity))
        if self.is_sqlite:
            conn.execute(text("INSERT INTO articles_fts(rowid, title, text) "
                              "VALUES (:id, :title, :text)"),
                         {"id": article_id, "title": analysis.title or "",
                          "text": analysis.text})
            conn.execute(text("INSERT INTO quotes_fts(rowid, content) SELECT id, content "
                              "FROM quotes WHERE article_id = :id"), {"id": article_id})
        return article_id

    def _upsert_entity(self, conn: Connection, identity: Identity, ent: Entity,
                       date: str | None) -> int:
        """Insert the entity or, when its key is there (maybe stored a moment ago by
        another process), add to its counts and widen its dates, in one statement."""
        insert = self._insert(entities).values(
            key=identity.key, name=ent.name, type=ent.type, kb_id=ent.kb_id,
            sound=identity.sound, mention_count=len(ent.mentions), article_count=1,
            first_date=date, last_date=date)
        new = insert.excluded
        first, last = entities.c.first_date, entities.c.last_date
        return int(conn.execute(insert.on_conflict_do_update(
            index_elements=[entities.c.key],
            set_={"mention_count": entities.c.mention_count + new.mention_count,
                  "article_count": entities.c.article_count + 1,
                  "first_date": case((or_(first.is_(None), new.first_date < first),
                                      new.first_date), else_=first),
                  "last_date": case((or_(last.is_(None), new.last_date > last),
                                     new.last_date), else_=last)},
        ).returning(entities.c.id)).scalar_one())

    def _identity(self, conn: Connection, ent: Entity) -> Identity:
        """Which stored entity ``ent`` is (``identity.identify``), given the unlinked
        entities of its type and sound, fetched in the order stored and only as far as
        the decision reads them."""
        sound = candidate_sound(ent.name, ent.type, ent.kb_id)
        candidates: Iterator[StoredName] = iter(())
        if sound is not None:
            candidates = (StoredName(key=key, name=name, type=etype, sound=found)
                          for key, name, etype, found in conn.execute(
                              select(entities.c.key, entities.c.name, entities.c.type,
                                     entities.c.sound)
                              .where(entities.c.type == ent.type, entities.c.kb_id.is_(None),
                                     entities.c.sound == sound)
                              .order_by(entities.c.id)))
        return identify(ent.name, ent.type, ent.kb_id, candidates,
                        join_threshold=self.join_threshold)

    def _add_spelling(self, conn: Connection, eid: int, spelling: str, n: int) -> None:
        insert = self._insert(spellings).values(entity_id=eid, spelling=spelling, count=n)
        conn.execute(insert.on_conflict_do_update(
            index_elements=[spellings.c.entity_id, spellings.c.spelling],
            set_={"count": spellings.c.count + insert.excluded.count}))

    # -- reading -------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        with self._tx() as conn:
            def count(sql: str) -> int:
                return int(conn.execute(text(sql)).scalar() or 0)
            return {"articles": count("SELECT count(*) FROM articles WHERE status = 'done'"),
                    "failed": count("SELECT count(*) FROM articles WHERE status = 'failed'"),
                    "entities": count("SELECT count(*) FROM entities"),
                    "quotes": count("SELECT count(*) FROM quotes")}

    def failures(self) -> list[FailureRow]:
        with self._tx() as conn:
            rows = conn.execute(select(articles.c.source, articles.c.error).where(
                articles.c.status == "failed").order_by(articles.c.id))
            return [FailureRow(**r._mapping) for r in rows]

    def search_articles(self, query: str, *, limit: int = 20) -> list[ArticleRow]:
        with self._tx() as conn:
            if self.is_sqlite:
                rows = conn.execute(text(
                    "SELECT a.id, a.title, a.source, a.published FROM articles_fts f "
                    "JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH :q "
                    "ORDER BY rank LIMIT :n"), {"q": _fts_query(query), "n": limit})
            else:
                rows = conn.execute(text(
                    "SELECT id, title, source, published FROM articles WHERE "
                    "to_tsvector('english', coalesce(title,'') || ' ' || coalesce(text,'')) "
                    "@@ plainto_tsquery('english', :q) LIMIT :n"), {"q": query, "n": limit})
            return [ArticleRow(**r._mapping) for r in rows]

    def search_quotes(self, query: str, *, entity_key: str | None = None, limit: int = 50
                      ) -> list[QuoteRow]:
        """Quotes matching ``query`` (all quotes when empty), optionally by one entity."""
        params: dict[str, Any] = {"n": limit}
        where = []
        if query.strip():
            if self.is_sqlite:
                where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts "
                             "MATCH :q)")
                params["q"] = _fts_query(query)
            else:
                where.append("to_tsvector('english', q.content) @@ "
                             "plainto_tsquery('english', :q)")
                params["q"] = query
        if entity_key is not None:
            where.append("e.key = :key")
            params["key"] = entity_key
        sql = ("SELECT q.content, q.cue, q.date, q.specificity, q.speaker_text, "
               "e.name AS speaker, e.key AS speaker_key, a.title, a.id AS article_id "
               "FROM quotes q JOIN articles a ON a.id = q.article_id "
               "LEFT JOIN entities e ON e.id = q.entity_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY q.date, q.id LIMIT :n")
        with self._tx() as conn:
            return [QuoteRow(**r._mapping) for r in conn.execute(text(sql), params)]

    def entity_activity(self, key: str) -> tuple[list[StanceRow], list[EventRow]]:
        """The entity's stances and events across the corpus, each in date order."""
        stances: list[StanceRow] = []
        events: list[EventRow] = []
        with self._tx() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.title, articles.c.published,
                       articles.c.analysis, article_entities.c.local_id)
                .join(article_entities, article_entities.c.article_id == articles.c.id)
                .join(entities, entities.c.id == article_entities.c.entity_id)
                .where(entities.c.key == key))
            for article_id, title, published, raw, local in rows:
                analysis = _stored_analysis(article_id, raw)
                names = {e.id: e.name for e in analysis.entities}
                stances.extend(
                    StanceRow.of(st, article_id=article_id, title=title, published=published)
                    for st in analysis.stances if st.holder == local)
                events.extend(
                    EventRow.of(ev, names, article_id=article_id, title=title,
                                published=published)
                    for ev in analysis.events if local in (ev.actor, ev.target))
        stances.sort(key=lambda st: (st.published or "", st.article_id))
        events.sort(key=lambda ev: (ev.date or ev.published or "", ev.article_id))
        return stances, events

    def entities_like(self, name: str, *, limit: int = 5) -> list[EntityMatch]:
        """Entities whose name, key or a spelling contains ``name``, or whose surname sounds
        like its last word: what a user may have meant by a key that is not in the corpus."""
        words = fold(name).split()
        if not words:
            return []
        pattern = "%" + name.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        alike: list[ColumnElement[bool]] = [entities.c.name.ilike(pattern, escape="\\"),
                 entities.c.key.ilike(pattern, escape="\\"),
                 entities.c.id.in_(select(spellings.c.entity_id).where(
                     spellings.c.spelling.ilike(pattern, escape="\\")))]
        if sound := sound_key(name):
            alike.append(entities.c.sound == sound)
        with self._tx() as conn:
            rows = conn.execute(
                select(entities.c.key, entities.c.name, entities.c.type,
                       entities.c.article_count)
                .where(or_(*alike))
                .order_by(entities.c.article_count.desc(), entities.c.name).limit(limit))
            return [EntityMatch(**r._mapping) for r in rows]

    def entity(self, key: str, *, topic: str = "") -> EntityProfile | None:
        """The entity of corpus key ``key`` across the corpus; its quotes only those that
        match ``topic`` when one is given."""
        c = entities.c
        with self._tx() as conn:
            row = conn.execute(select(
                c.id, c.key, c.name, c.type, c.kb_id, c.sound, c.mention_count,
                c.article_count, c.first_date, c.last_date).where(c.key == key)).first()
            if row is None:
                return None
            seen = tuple(SpellingRow(**r._mapping) for r in conn.execute(
                select(spellings.c.spelling, spellings.c.count).where(
                    spellings.c.entity_id == row.id).order_by(spellings.c.count.desc())))
        stances, events = self.entity_activity(key)
        return EntityProfile(**row._mapping, spellings=seen,
                             quotes=tuple(self.search_quotes(topic, entity_key=key)),
                             stances=tuple(stances), events=tuple(events))

    def sources(self, *, limit: int = 50) -> list[SourceRow]:
        """Who is quoted, how often, and how vaguely: one row per speaker."""
        sql = ("SELECT coalesce(e.name, q.speaker_text, '(unattributed)') AS speaker, "
               "e.key AS speaker_key, q.specificity, count(*) AS quotes "
               "FROM quotes q LEFT JOIN entities e ON e.id = q.entity_id "
               "GROUP BY coalesce(e.name, q.speaker_text, '(unattributed)'), e.key, "
               "q.specificity ORDER BY count(*) DESC LIMIT :n")
        with self._tx() as conn:
            return [SourceRow(**r._mapping) for r in conn.execute(text(sql), {"n": limit})]

    def technique_rates(self, *, top: int = 3) -> list[OutletTechniquesRow]:
        """Persuasion technique rates per outlet, the most persuasive first. An article's
        outlet is the folder it was read from (``corpus/<outlet>/<article>``), else its
        source. Reads every stored analysis: meant for corpora of thousands, not
        millions."""
        counts: dict[str, Counter[str]] = {}
        words: Counter[str] = Counter()
        articles_of: Counter[str] = Counter()
        sql = select(articles.c.source, articles.c.text, articles.c.analysis).where(
            articles.c.status == "done")
        with self._tx() as conn:
            for source, body, raw in conn.execute(sql):
                outlet = outlet_of(source)
                techniques = json.loads(raw or "{}").get("techniques", [])
                counts.setdefault(outlet, Counter()).update(t["technique"] for t in techniques)
                words[outlet] += len((body or "").split())
                articles_of[outlet] += 1
        rows = [OutletTechniquesRow(
                    outlet=o, articles=articles_of[o], words=words[o],
                    techniques=sum(c.values()),
                    per_1000_words=round(1000 * sum(c.values()) / max(words[o], 1), 2),
                    top=tuple(f"{name} {n}" for name, n in c.most_common(top)))
                for o, c in counts.items()]
        return sorted(rows, key=lambda r: (-r.per_1000_words, r.outlet))

    def cooccurrence(self, *, min_articles: int = 2, limit: int = 100
                     ) -> list[CooccurrenceRow]:
        sql = ("SELECT e1.name AS a, e2.name AS b, count(*) AS articles "
               "FROM article_entities x JOIN article_entities y "
               "ON x.article_id = y.article_id AND x.entity_id < y.entity_id "
               "JOIN entities e1 ON e1.id = x.entity_id JOIN entities e2 ON e2.id = y.entity_id "
               "GROUP BY e1.name, e2.name HAVING count(*) >= :m "
               "ORDER BY count(*) DESC LIMIT :n")
        with self._tx() as conn:
            return [CooccurrenceRow(**r._mapping) for r in conn.execute(
                text(sql), {"m": min_articles, "n": limit})]

    def timeline(self, *, limit: int = 200) -> list[TimelineRow]:
        """Dated entries of every stored analysis, in date order."""
        out: list[TimelineRow] = []
        with self._tx() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.title, articles.c.analysis)
                                .where(articles.c.status == "done"))
            for article_id, title, raw in rows:
                out.extend(TimelineRow(date=entry.date, text=entry.text, article_id=article_id,
                                       title=title)
                           for entry in _stored_analysis(article_id, raw).timeline)
        return sorted(out, key=lambda e: (e.date, e.article_id))[:limit]

    def entity_keys(self, article_id: int) -> dict[str, str]:
        """The corpus key of each entity of a stored article, by its id in the analysis."""
        with self._tx() as conn:
            rows = conn.execute(select(article_entities.c.local_id, entities.c.key).join(
                entities, entities.c.id == article_entities.c.entity_id).where(
                article_entities.c.article_id == article_id))
            return {str(local): str(key) for local, key in rows}

    def recent(self, limit: int = 50) -> list[ArticleRow]:
        with self._tx() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.title, articles.c.source,
                                       articles.c.published)
                                .where(articles.c.status == "done")
                                .order_by(articles.c.id.desc()).limit(limit))
            return [ArticleRow(**r._mapping) for r in rows]

    def article_id(self, text_: str) -> int | None:
        with self._tx() as conn:
            found = conn.execute(select(articles.c.id).where(
                articles.c.content_hash == content_hash(text_))).scalar()
            return None if found is None else int(found)

    def article(self, article_id: int) -> Analysis | None:
        with self._tx() as conn:
            raw = conn.execute(select(articles.c.analysis).where(
                articles.c.id == article_id, articles.c.status == "done")).scalar()
        return None if raw is None else _stored_analysis(article_id, raw)


def outlet_of(source: str | None) -> str:
    """The outlet an article came from: the name of the folder it was read from."""
    if not source or source in ("-", "<text>"):
        return "(no source)"
    parent = PurePath(source).parent.name
    return parent or PurePath(source).name


def _stored_analysis(article_id: int, raw: str) -> Analysis:
    """The typed analysis of a stored article, from its contract JSON."""
    try:
        return Analysis.from_dict(json.loads(raw))
    except ValueError as exc:  # json.JSONDecodeError, pydantic.ValidationError
        raise StoreError(f"the stored analysis of article {article_id} cannot be read by "
                         f"this presslens: {exc}") from None


def _storable(value: str) -> str:
    """Text any database takes: PostgreSQL refuses NUL characters."""
    return value.replace("\x00", "\ufffd")


def _fts_query(query: str) -> str:
    """User words as an FTS5 query: each word quoted, so no operator or punctuation can
    break it, and control characters dropped (FTS5 ends a string at a NUL byte)."""
    cleaned = "".join(c if c.isprintable() else " " for c in query)
    words = [w.replace('"', "") for w in cleaned.split() if w.replace('"', "")]
    return " ".join(f'"{w}"' for w in words) or '""'
