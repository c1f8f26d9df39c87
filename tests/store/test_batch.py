"""Batch ingest on real SQLite files and a real PostgreSQL server: one article's storage
error is that article's failure, never the batch's. The database refuses for real (a
trigger that raises for one title); the runner is a stand-in that hands back analyses."""

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from presslens.model import Analysis
from presslens.runner import Job, Outcome, Progress
from presslens.store import Corpus, content_hash
from presslens.store.batch import ingest_jobs

SQLITE_TRIGGER = [
    "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.title = 'Refused' "
    "OR NEW.source = 'doomed' BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END",
]
POSTGRESQL_TRIGGER = [
    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
    "IF NEW.title = 'Refused' OR NEW.source = 'doomed' THEN "
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
    """A corpus whose database refuses to store an article titled 'Refused', and any
    article (even a failure record) from the source 'doomed'."""
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
    assert failure["source"] == "b.txt"
    assert failure["error"].startswith("b.txt: cannot be stored (")
    assert "refused by trigger" in failure["error"]
    again = ingest_jobs(jobs, refusing, HandBack(analyses, refusing.has))  # type: ignore[arg-type]
    assert (again.added, again.skipped, again.failed) == (0, 3, 1)  # 'doomed' tried again
