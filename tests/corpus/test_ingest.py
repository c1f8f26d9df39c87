"""Batch ingest on real SQLite files and a real PostgreSQL server: one article's storage
error is that article's failure, never the batch's. The database refuses for real (a
trigger that raises for one title); the runner is a stand-in that hands back analyses."""

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from presslens.corpus.ingest import ingest_jobs
from presslens.corpus.store import Corpus, content_hash
from presslens.model import Analysis
from presslens.runners.batch import Job, Outcome, Progress

SQLITE_TRIGGER = [
    "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.source = 'doomed' OR "
    "(NEW.status = 'done' AND (NEW.title = 'Refused' OR NEW.source = 'refused')) "
    "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END",
]
POSTGRESQL_TRIGGER = [
    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
    "IF NEW.source = 'doomed' OR (NEW.status = 'done' AND (NEW.title = 'Refused' "
    "OR NEW.source = 'refused')) THEN "
    "RAISE EXCEPTION 'refused by trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER refuse BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION refuse()",
]


class HandBack:
    """A stand-in for the batch runner: each job's analysis, as if analysed just now, or
    skipped when ``skip`` says it is stored (as ``BatchRunner(skip=corpus.has)``)."""

    def __init__(self, analyses: dict[str, Analysis], skip: Callable[[str], bool]) -> None:
        self.analyses, self.skip = analyses, skip

    def run(self, jobs: Iterable[Job], progress: Progress | None = None) -> Iterator[Outcome]:
        for job in jobs:
            a = self.analyses[job.source]
            digest = content_hash(a.text)
            if self.skip(digest):
                yield Outcome(source=job.source, status="skipped", text_hash=digest)
            else:
                yield Outcome(source=job.source, status="done", analysis=a,
                              text_hash=digest)


@pytest.fixture(params=["sqlite", "postgresql"])
def refusing(request: pytest.FixtureRequest, tmp_path: Path) -> Corpus:
    """A corpus whose database refuses to store an article titled 'Refused' or from the
    source 'refused', and any article (even a failure record) from the source 'doomed'."""
    if request.param == "sqlite":
        corpus, trigger = Corpus(f"sqlite:///{tmp_path / 'corpus.db'}"), SQLITE_TRIGGER
    else:
        corpus, trigger = Corpus(request.getfixturevalue("postgres_url")), POSTGRESQL_TRIGGER
    with corpus.engine.begin() as conn:
        for sql in trigger:
            conn.execute(text(sql))
    return corpus


def test_batch_storage_error_is_the_articles_failure_and_the_batch_goes_on(
        refusing: Corpus) -> None:
    analyses = {source: Analysis(text=f"Article {n} says that the bridge held.", title=title,
                                 source=source)
                for n, (source, title) in enumerate([("a.txt", "First"),
                                                     ("b.txt", "Refused"),
                                                     ("doomed", "Doomed"),
                                                     ("c.txt", "Last")])}
    jobs = [Job(source=s) for s in analyses]
    report = ingest_jobs(jobs, refusing, HandBack(analyses, refusing.has))  # type: ignore[arg-type]
    assert (report.added, report.failed, report.unrecorded) == (2, 2, 1)
    assert "refused by trigger" in report.failures[0]
    assert refusing.stats()["articles"] == 2
    (failure,) = refusing.failures()  # 'doomed' could not even be recorded: counted
    assert failure.source == "b.txt"
    assert failure.error.startswith("b.txt: cannot be stored (")
    assert "refused by trigger" in failure.error
    again = ingest_jobs(jobs, refusing, HandBack(analyses, refusing.has))  # type: ignore[arg-type]
    assert (again.added, again.skipped, again.failed) == (0, 3, 1)  # 'doomed' tried again


@pytest.mark.model
def test_batch_ray_storage_error_is_the_articles_failure_and_the_batch_goes_on(
        refusing: Corpus, tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    from presslens.config import load_config
    from presslens.ingest import ReadOptions
    from presslens.runners.ray import ingest_with_ray

    rows = tmp_path / "articles.jsonl"
    rows.write_text("\n".join(json.dumps({"source": source, "text": f"{text} {n}."})
                              for n, (source, text) in enumerate([
                                  ("a", "Joe Biden said that the talks would go on"),
                                  ("refused", "Olaf Scholz said that the port was closed"),
                                  ("doomed", "Emmanuel Macron said that the strike ended"),
                                  ("c", "Joe Biden said that the bridge was mined")])))
    config = load_config()
    try:
        counts = ingest_with_ray([rows], config=config, opts=ReadOptions.from_config(config),
                                 output=tmp_path / "out", db_url=refusing.url, num_cpus=2,
                                 actors=1)
    finally:
        ray.shutdown()
    assert counts == {"done": 2, "failed": 2, "stored": 2, "unrecorded": 1}
    (failure,) = refusing.failures()
    assert failure.source == "refused" and "refused by trigger" in failure.error
    assert refusing.stats()["articles"] == 2
