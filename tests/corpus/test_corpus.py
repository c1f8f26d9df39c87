"""The corpus database on real SQLite files (no mocks)."""

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES
from presslens.corpus.schema import KEY_LENGTH, MIGRATIONS, bounded_key
from presslens.corpus.store import Corpus, content_hash
from presslens.errors import CorpusNotFoundError
from presslens.language.names import fold
from presslens.model import Analysis, Attribution, Entity, Mention, Span


def analysis(text: str, name: str, spelling: str, kb_id: str | None,
             published: str = "2024-01-02") -> Analysis:
    start = text.index(spelling)
    ent = Entity(id="e1", name=name, type="PERSON", kb_id=kb_id, spellings=[spelling],
                 mentions=[Mention(start=start, end=start + len(spelling), text=spelling)])
    said = text.index("that") + 5
    return Analysis(text=text, title=text[:20], published=published, entities=[ent],
                    attributions=[Attribution(speaker="e1", speaker_text=spelling, cue="said",
                                              content=Span(start=said, end=len(text),
                                                           text=text[said:]),
                                              specificity="named_person")])


@pytest.fixture(params=["sqlite", "postgresql"])
def corpus(request: pytest.FixtureRequest, tmp_path: Path) -> Corpus:
    """The same tests on a real SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return Corpus(f"sqlite:///{tmp_path / 'corpus.db'}")
    return Corpus(request.getfixturevalue("postgres_url"))


def test_corpus_add_is_idempotent_by_content(corpus: Corpus) -> None:
    a = analysis("Zilenski said that the bridge was mined.", "Volodymyr Zelensky",
                 "Zilenski", "Q3874799")
    assert corpus.add(a) is not None
    assert corpus.add(a) is None
    assert corpus.has(content_hash(a.text))
    assert corpus.stats()["articles"] == 1 and corpus.stats()["quotes"] == 1


def test_corpus_identities_across_articles(corpus: Corpus) -> None:
    corpus.add(analysis("Zilenski said that the bridge was mined.", "Volodymyr Zelensky",
                        "Zilenski", "Q3874799", "2022-11-20"))
    corpus.add(analysis("Zelensky said that talks were possible.", "Volodymyr Zelensky",
                        "Zelensky", "Q3874799", "2022-11-25"))
    # unlinked: transliteration variants of one name meet by their sound
    corpus.add(analysis("Kamalwandi said that the site was open.", "Kamalwandi",
                        "Kamalwandi", None))
    corpus.add(analysis("Kamalvandi said that inspectors had come.", "Kamalvandi",
                        "Kamalvandi", None))
    zel = corpus.entity("Q3874799")
    assert zel is not None and zel.article_count == 2
    assert {s.spelling for s in zel.spellings} == {"Zilenski", "Zelensky"}
    assert (zel.first_date, zel.last_date) == ("2022-11-20", "2022-11-25")
    assert len(zel.quotes) == 2
    kam = corpus.entity("nil:PERSON:kamalwandi")
    assert kam is not None and kam.article_count == 2


def test_corpus_full_text_search_and_sources(corpus: Corpus) -> None:
    corpus.add(analysis("Zilenski said that the bridge was mined.", "Volodymyr Zelensky",
                        "Zilenski", "Q3874799"))
    assert [r.title for r in corpus.search_articles("bridge")] == ["Zilenski said that t"]
    for hostile in ('bridge" OR "', '"*)(^', "NEAR(", ""):  # user text never breaks a query
        assert isinstance(corpus.search_articles(hostile), list)
    assert corpus.search_quotes("mined")[0].speaker == "Volodymyr Zelensky"
    assert corpus.sources()[0].quotes == 1


def test_corpus_technique_rates_compare_outlets(corpus: Corpus) -> None:
    from presslens.model import Technique

    def stored(text: str, source: str, loaded: list[str]) -> Analysis:
        found = [Technique(start=text.index(w), end=text.index(w) + len(w), text=w,
                           technique="Loaded_Language", confidence=0.8) for w in loaded]
        return Analysis(text=text, source=source, techniques=found)

    corpus.add(stored("The shameful, disgraceful vote was a betrayal of all.",
                      "press/tabloid/a.txt", ["shameful", "disgraceful", "betrayal"]))
    corpus.add(stored("The council voted on the budget on Tuesday evening.",
                      "press/wire/b.txt", []))
    corpus.add(stored("Rates rose slightly after the shocking report.",
                      "press/wire/c.txt", ["shocking"]))
    rows = corpus.technique_rates()
    assert [r.outlet for r in rows] == ["tabloid", "wire"]
    tabloid, wire = rows
    assert (tabloid.articles, tabloid.techniques, tabloid.words) == (1, 3, 9)
    assert tabloid.per_1000_words == round(3000 / 9, 2)
    assert (wire.articles, wire.techniques) == (2, 1)
    assert wire.top == ("Loaded_Language 1",)


def test_corpus_migrations_run_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    Corpus(url)
    Corpus(url)
    with sqlite3.connect(tmp_path / "c.db") as db:
        versions = [v for (v,) in db.execute("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _ in MIGRATIONS]


def test_corpus_create_false_refuses_a_missing_or_foreign_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(CorpusNotFoundError, match=r"presslens ingest .* --db sqlite:///"):
        Corpus(f"sqlite:///{missing}", create=False)
    assert list(tmp_path.iterdir()) == []  # nothing created, not even a WAL file
    foreign = tmp_path / "foreign.db"
    foreign.touch()
    with pytest.raises(CorpusNotFoundError, match="no presslens tables"):
        Corpus(f"sqlite:///{foreign}", create=False)
    assert foreign.stat().st_size == 0  # left as it was
    Corpus(f"sqlite:///{foreign}")  # create=True (ingest) makes it a corpus
    assert Corpus(f"sqlite:///{foreign}", create=False).stats()["articles"] == 0


def test_corpus_create_false_refuses_a_postgresql_database_without_tables(
        postgres_url: str) -> None:
    with pytest.raises(CorpusNotFoundError, match="no presslens tables"):
        Corpus(postgres_url, create=False)
    Corpus(postgres_url)
    assert Corpus(postgres_url, create=False).stats()["articles"] == 0


def test_corpus_entities_like_finds_names_spellings_and_sounds(corpus: Corpus) -> None:
    corpus.add(analysis("Zilenski said that the bridge was mined.", "Volodymyr Zelensky",
                        "Zilenski", "Q3874799"))
    corpus.add(analysis("Kamalwandi said that the site was open.", "Kamalwandi",
                        "Kamalwandi", None))
    def keys(name: str) -> list[str]:
        return [e.key for e in corpus.entities_like(name)]
    assert keys("zelensky") == keys("ZILENSKI") == ["Q3874799"]  # name, spelling
    assert keys("Kamalvandi") == ["nil:PERSON:kamalwandi"]  # sounds like it
    assert keys("Obama") == keys("%") == keys("_") == keys("  ") == []


@pytest.mark.model
def test_corpus_ingest_killed_midway_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    files = sorted((EXAMPLES / "articles").glob("*.txt")) + sorted(
        (EXAMPLES / "news" / "articles").glob("*.txt"))
    for p in files:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    db = tmp_path / "corpus.db"
    cmd = [sys.executable, "-m", "presslens", "ingest", str(src), "--db", f"sqlite:///{db}",
           "-q"]
    proc = subprocess.Popen(cmd, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as conn:
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= 3:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = subprocess.run(cmd, env=os.environ.copy(), capture_output=True, timeout=600)
    assert done.returncode == 2  # the broken file is reported
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT content_hash, status FROM articles").fetchall()
    hashes = [h for h, _ in rows]
    assert len(hashes) == len(set(hashes)) == len(files) + 1
    assert sum(1 for _, s in rows if s == "done") == len(files)
    again = subprocess.run(cmd[:-1], env=os.environ.copy(), capture_output=True, timeout=600)
    assert b"added 0, skipped 12 already stored, failed 1" in again.stderr


def named(text: str, *people: tuple[str, str], title: str | None = None,
          published: str = "2024-01-02") -> Analysis:
    """An analysis of ``text`` naming unlinked entities, each (name, type) spelt as named."""
    ents = []
    for n, (name, etype) in enumerate(people, 1):
        start = text.index(name)
        ents.append(Entity(id=f"e{n}", name=name, type=etype, kb_id=None, spellings=[name],
                           mentions=[Mention(start=start, end=start + len(name), text=name)]))
    return Analysis(text=text, title=title or text[:20], published=published, entities=ents)


def test_corpus_names_and_keys_of_any_length_are_stored(corpus: Corpus) -> None:
    person = "Maria " + "Zakharova-Oblonskaya-Trubetskaya-Volkonskaya-Dolgorukova"  # sound > 40
    org = "Ministry of " + " ".join(["Extraordinarily Long Departmental Names"] * 10)
    other = org + " and Affiliates"  # same first 300 characters as ``org``
    giant = "Committee " + "x" * 5000  # longer than a PostgreSQL btree entry
    text = f"{person} said that {org}, {other} and {giant} met."
    kinds = [(person, "PERSON"), (org, "ORG"), (other, "ORG"), (giant, "ORG")]
    assert corpus.add(named(text, *kinds)) is not None
    assert corpus.add(named(text + " Again.", *kinds)) is not None
    keys = [e.key for e in corpus.entities_like("Ministry of Extraordinarily", limit=10)]
    assert len(keys) == 2 and all(len(k) <= KEY_LENGTH for k in keys)
    for name, etype in kinds:
        key = bounded_key(f"nil:{etype}:{fold(name)}")
        found = corpus.entity(key)
        assert found is not None and found.name == name and found.article_count == 2
    assert corpus.stats() == {"articles": 2, "failed": 0, "entities": 4, "quotes": 0}


def test_corpus_stores_each_entity_under_the_identity_decided(corpus: Corpus) -> None:
    """The store writes what ``identity.identify`` decides over the rows it fetches: a
    variant joins the person stored, another type keeps its own key, and a stricter
    ``join_threshold`` keeps a variant apart."""
    corpus.add(named("Kamalwandi said that the site was open.", ("Kamalwandi", "PERSON")))
    corpus.add(named("Behrouz Kamalvandi said that inspectors came.",
                     ("Behrouz Kamalvandi", "PERSON")))
    corpus.add(named("The Kamalvandi fund said nothing.", ("Kamalvandi", "ORG")))
    Corpus(corpus.url, join_threshold=0.99).add(
        named("Kamalvandi said that it was late.", ("Kamalvandi", "PERSON")))
    found = {e.key: e.article_count for e in corpus.entities_like("Kamalvandi", limit=10)}
    assert found == {"nil:PERSON:kamalwandi": 2, "nil:ORG:kamalvandi": 1,
                     "nil:PERSON:kamalvandi": 1}


def _add_all(url: str, texts: list[str], reverse: bool) -> list[int | None]:
    """One process of the race below: the same articles, sharing entities, in its order."""
    corpus = Corpus(url)
    order = texts[::-1] if reverse else texts
    return [corpus.add(named(t, ("Kamalwandi", "PERSON"), ("Rosatom", "ORG")))
            for t in order]


def test_corpus_concurrent_writers_store_every_article_once(corpus: Corpus,
                                                            tmp_path: Path) -> None:
    """Four processes open one fresh database at once (migrating it) and add the same
    articles, two in each order: every article is stored once, every count adds up."""
    if corpus.is_sqlite:  # a fresh file, so that the processes race to create it too
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        url = corpus.url.rsplit("/", 1)[0] + "/" + _fresh_pg_database(corpus.url)
    texts = [f"Kamalwandi of Rosatom said that reactor {n} was safe." for n in range(12)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.starmap(_add_all, [(url, texts, n % 2 == 1) for n in range(4)])
    added = [r for result in results for r in result if r is not None]
    assert len(added) == len(set(added)) == len(texts)
    check = Corpus(url, read_only=True)
    assert check.stats() == {"articles": 12, "failed": 0, "entities": 2, "quotes": 0}
    person = check.entity("nil:PERSON:kamalwandi")
    assert person is not None and person.article_count == 12
    assert person.mention_count == 12 and person.spellings[0].count == 12


def _fresh_pg_database(url: str) -> str:
    """An empty database beside ``url``'s, with no presslens tables yet."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    base = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return name
