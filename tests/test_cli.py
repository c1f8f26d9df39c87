"""The command line, run as a user runs it (a subprocess of the installed command)."""

import gc
import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import EXAMPLES, SHARED
from presslens.corpus.store import Corpus
from presslens.model import Analysis, Attribution, Entity, Mention, Span

SAMPLE = SHARED / "corpus" / "000_9229236fb15f406e.txt"


def run(*args: str, stdin: bytes | None = None, umask: int | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "presslens", *args], input=stdin,
                          capture_output=True, timeout=timeout, env=os.environ.copy(),
                          preexec_fn=None if umask is None else lambda: os.umask(umask))


def stored_corpus(path: Path) -> str:
    """A corpus file holding one article, in which Zelensky is spelt Zilenski."""
    text = "Zilenski said that the bridge was mined."
    ent = Entity(id="e1", name="Volodymyr Zelensky", type="PERSON", kb_id="Q3874799",
                 spellings=["Zilenski"], mentions=[Mention(start=0, end=8, text="Zilenski")])
    said = text.index("that") + 5
    url = f"sqlite:///{path}"
    Corpus(url).add(Analysis(
        text=text, title="Bridge", published="2022-11-21", entities=[ent],
        attributions=[Attribution(speaker="e1", speaker_text="Zilenski", cue="said",
                                  content=Span(start=said, end=len(text), text=text[said:]),
                                  specificity="named_person")]))
    return url


def test_cli_schema_prints_json_schema() -> None:
    out = run("schema")
    assert out.returncode == 0
    assert "entities" in json.loads(out.stdout)["properties"]


@pytest.mark.model
def test_cli_analyze_writes_one_file_per_article(tmp_path: Path) -> None:
    out = run("analyze", str(SAMPLE), str(EXAMPLES / "articles"), "--out", str(tmp_path), "-q")
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "000_9229236fb15f406e.json" in names
    assert len(names) == 1 + len(list((EXAMPLES / "articles").glob("*.txt")))
    data = json.loads((tmp_path / "000_9229236fb15f406e.json").read_text())
    assert data["schema_version"] and data["text"].startswith("Ukraine")


@pytest.mark.model
def test_cli_analyze_stdin_to_stdout_and_html(tmp_path: Path) -> None:
    text = b"Joe Biden said that the talks would continue for another week at least."
    out = run("analyze", "-", stdin=text)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["entities"][0]["name"] == "Joe Biden"
    out = run("analyze", str(SAMPLE), "--format", "html", "--out", str(tmp_path), "-q")
    assert out.returncode == 0
    assert (tmp_path / "000_9229236fb15f406e.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.model
def test_cli_min_confidence_leaves_out_less_confident_findings() -> None:
    text = (b"Angela Merkel said that the euro would survive the crisis. Charges that the "
            b"mayor took bribes have circulated for months.")
    everything = json.loads(run("analyze", "-", stdin=text).stdout)["attributions"]
    levels = sorted(a["confidence"] for a in everything)
    assert len(set(levels)) >= 2
    out = run("analyze", "-", "--min-confidence", str(levels[-1]), stdin=text)
    assert out.returncode == 0, out.stderr
    kept = json.loads(out.stdout)["attributions"]
    assert kept and len(kept) < len(everything)
    assert all(a["confidence"] >= levels[-1] for a in kept)
    bad = run("analyze", "-", "--min-confidence", "1.5", stdin=text)
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr


@pytest.mark.model
def test_cli_bad_inputs_give_one_line_errors_and_the_rest_is_done(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "good.txt").write_text("Joe Biden said that the talks would go on next week.")
    out_dir = tmp_path / "out"
    out = run("analyze", str(tmp_path), "--out", str(out_dir), "-q")
    assert out.returncode == 2
    errors = out.stderr.decode().strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("presslens: error: ") for e in errors)
    assert "Traceback" not in out.stderr.decode()
    assert [p.name for p in out_dir.iterdir()] == ["good.json"]


def test_cli_missing_file_and_bad_date() -> None:
    out = run("analyze", "/no/such/file.txt")
    assert out.returncode != 0 and b"no such file" in out.stderr
    assert b"Traceback" not in out.stderr
    out = run("analyze", str(SAMPLE), "--published", "21/11/2022")
    assert out.returncode == 2 and b"YYYY-MM-DD" in out.stderr


@pytest.mark.model
def test_cli_workers_give_the_same_results_and_errors(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted((EXAMPLES / "articles").glob("*.txt"))[:3]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "empty.txt").write_text("\n")
    one, two = tmp_path / "one", tmp_path / "two"
    first = run("analyze", str(src), "--out", str(one), "-q")
    second = run("analyze", str(src), "--out", str(two), "-q", "--workers", "2")
    assert first.returncode == second.returncode == 2
    assert b"empty article" in second.stderr and b"Traceback" not in second.stderr
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 3
    for name in names:
        assert (one / name).read_text() == (two / name).read_text()


@pytest.mark.model
def test_cli_ingest_then_query_the_corpus(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert run("ingest", str(SAMPLE), "--db", db, "-q").returncode == 0
    found = run("corpus", "entity", "Q3874799", "--db", db)
    assert found.returncode == 0, found.stderr
    zelensky = json.loads(found.stdout)
    # the sample spells him several ways: at least two spellings that are neither his KB
    # name nor one of its words are kept with him
    canonical = {zelensky["name"], *zelensky["name"].split()}
    assert len({s["spelling"] for s in zelensky["spellings"]} - canonical) >= 2
    assert any(st["polarity"] == "conditional" for st in zelensky["stances"])
    assert zelensky["events"]
    quotes = run("corpus", "search", "surrender", "--quotes", "--db", db)
    assert quotes.returncode == 0 and quotes.stdout.strip()
    assert run("corpus", "sources", "--db", db).stdout.strip()
    missing = run("corpus", "entity", "Q1", "--db", db)
    assert missing.returncode == 2 and b"no entity" in missing.stderr


@pytest.mark.model
def test_cli_analyze_output_files_follow_the_umask(tmp_path: Path) -> None:
    out = run("analyze", str(SAMPLE), "--out", str(tmp_path), "-q", umask=0o022)
    assert out.returncode == 0, out.stderr
    written = tmp_path / "000_9229236fb15f406e.json"
    assert written.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_cli_kb_import_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    source = tmp_path / "people.csv"
    source.write_text("name,type,country\nAnna Example,PERSON,Norway\n")
    out = run("kb", "import", str(source), "--format", "csv", "--db",
              str(tmp_path / "kb.sqlite"), umask=umask)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "kb.sqlite").stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("command", [["corpus", "search", "talks"], ["corpus", "entity", "Q1"],
                                     ["corpus", "sources"], ["corpus", "network"],
                                     ["corpus", "timeline"], ["serve", "--read-only"]])
def test_cli_read_only_commands_refuse_a_missing_database(tmp_path: Path,
                                                          command: list[str]) -> None:
    db = tmp_path / "missing.db"
    out = run(*command, "--db", f"sqlite:///{db}", timeout=60)
    assert out.returncode != 0
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("presslens: error: no corpus at sqlite:///")
    assert "presslens ingest" in lines[0] and str(db) in lines[0]
    assert not db.exists() and list(tmp_path.iterdir()) == []


def test_cli_folder_files_skipped_are_counted_and_listed_with_v(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    for name in (".hidden.txt", "notes.pdf", ".git/HEAD.txt"):
        (folder / name).write_text("Joe Biden said that the talks would go on next week.")
    out = run("analyze", str(folder))
    assert out.returncode == 0, out.stderr
    assert out.stderr.decode().splitlines() == [
        f"presslens: skipped 3 file(s) in {folder}/ (not .txt/.md/.html, or hidden); "
        "-v lists them"]
    out = run("ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'c.db'}", "-v")
    assert out.returncode == 0, out.stderr
    lines = out.stderr.decode().splitlines()
    assert lines[0] == f"presslens: skipped 3 file(s) in {folder}/ (not .txt/.md/.html, or hidden)"
    assert lines[1:4] == [f"presslens: skipped {folder / '.git/HEAD.txt'} (hidden)",
                          f"presslens: skipped {folder / '.hidden.txt'} (hidden)",
                          f"presslens: skipped {folder / 'notes.pdf'} (not .txt/.md/.html)"]


def test_cli_kb_lookup_without_a_match_exits_1() -> None:
    out = run("kb", "lookup", "Qxqzzvw")
    assert out.returncode == 1 and out.stdout == b""
    assert out.stderr.decode().strip() == \
        "presslens: no knowledge-base entry sounds like 'Qxqzzvw'"


def test_cli_corpus_entity_not_found_suggests_kb_lookup_and_names_alike(tmp_path: Path) -> None:
    db = stored_corpus(tmp_path / "c.db")
    out = run("corpus", "entity", "zilenski", "--db", db)
    assert out.returncode == 2
    err = out.stderr.decode()
    assert "no entity 'zilenski' in the corpus" in err
    assert "presslens kb lookup zilenski" in err
    assert "  Q3874799\tVolodymyr Zelensky (PERSON, 1 article(s))" in err.splitlines()
    out = run("corpus", "entity", "Obama", "--db", db)
    assert out.returncode == 2
    assert len(out.stderr.decode().strip().splitlines()) == 1


@pytest.mark.parametrize("verbose", [True, False])
def test_cli_serve_prints_its_url_and_with_v_logs_requests(tmp_path: Path,
                                                           verbose: bool) -> None:
    db = stored_corpus(tmp_path / "c.db")
    cmd = [sys.executable, "-m", "presslens", "serve", "--db", db, "--port", "0"]
    proc = subprocess.Popen(cmd + ["-v"] * verbose, stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, env=os.environ.copy(), text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True)
    reader.start()
    try:
        first = lines.get(timeout=60)
        found = re.fullmatch(rf"presslens: serving {re.escape(db)} on "
                             r"(http://127\.0\.0\.1:(\d+)) \(Ctrl-C to stop\)\n", first)
        assert found, first
        assert int(found[2]) > 0
        with urllib.request.urlopen(f"{found[1]}/api/sources", timeout=30) as answer:
            assert json.load(answer)["sources"]
        time.sleep(0.5)  # the access log line is written after the answer
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    reader.join(timeout=10)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    logged = [x for x in rest if "GET /api/sources" in x]
    assert len(logged) == (1 if verbose else 0), rest


def closed_corpus(path: Path) -> str:
    """``stored_corpus``, its connections closed: the file alone, no -wal or -shm beside it."""
    url = stored_corpus(path)
    Corpus(url).engine.dispose()
    gc.collect()  # the first Corpus's connections too
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    return url


def test_cli_read_only_commands_and_serve_leave_the_file_untouched(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    url = closed_corpus(db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for command in (["search", "bridge"], ["search", "mined", "--quotes"],
                    ["entity", "Q3874799"], ["sources"], ["network"], ["timeline"]):
        out = run("corpus", *command, "--db", url, timeout=60)
        assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr
    found = run("corpus", "search", "bridge", "--db", url, timeout=60)
    assert json.loads(found.stdout)["title"] == "Bridge"
    cmd = [sys.executable, "-m", "presslens", "serve", "--db", url, "--port", "0",
           "--read-only"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            env=os.environ.copy(), text=True)
    try:
        assert proc.stderr is not None
        address = re.search(r"on (http://\S+) ", proc.stderr.readline())
        assert address, "serve printed no address"
        with urllib.request.urlopen(f"{address[1]}/api/articles?q=bridge", timeout=30) as r:
            assert r.status == 200
        with urllib.request.urlopen(f"{address[1]}/", timeout=30) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.db"]  # no -wal, no -shm


@pytest.mark.model
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_cli_concurrent_ingests_store_every_article_once(
        tmp_path: Path, database: str, request: pytest.FixtureRequest) -> None:
    """Two `ingest` runs of one folder into one new database at once both finish, and
    every article is stored once."""
    src = tmp_path / "in"
    src.mkdir()
    files = sorted((EXAMPLES / "articles").glob("*.txt"))[:4]
    for p in files:
        (src / p.name).write_bytes(p.read_bytes())
    url = (f"sqlite:///{tmp_path / 'c.db'}" if database == "sqlite"
           else str(request.getfixturevalue("postgres_url")))
    cmd = [sys.executable, "-m", "presslens", "ingest", str(src), "--db", url, "-q"]
    procs = [subprocess.Popen(cmd, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and b"Traceback" not in err, err.decode()
    corpus = Corpus(url, read_only=True)
    assert corpus.stats()["articles"] == len(files) and corpus.stats()["failed"] == 0
    assert len({r.id for r in corpus.recent(100)}) == len(files)


ENGLISH = ("The minister said on Monday that the talks with the delegation would go on, and "
           "that the army had not been told of any change in the plan for the coming week.")


@pytest.mark.model
@pytest.mark.parametrize("typed", ["20221121", "2022-W47-1", "2022-11-21"])
def test_cli_published_is_stored_normalised(typed: str, tmp_path: Path) -> None:
    out = run("analyze", "-", "--published", typed, stdin=ENGLISH.encode())
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["published"] == "2022-11-21"
    db = f"sqlite:///{tmp_path / 'c.db'}"
    out = run("ingest", "-", "--published", typed, "--db", db, stdin=ENGLISH.encode())
    assert out.returncode == 0, out.stderr
    assert [a.published for a in Corpus(db).recent(5)] == ["2022-11-21"]


@pytest.mark.parametrize("typed", ["2022-02-30", "not-a-date"])
def test_cli_published_that_is_not_a_date_is_refused(typed: str) -> None:
    for command in ("analyze", "ingest"):
        out = run(command, str(SAMPLE), "--published", typed)
        assert out.returncode == 2 and b"is not a YYYY-MM-DD date" in out.stderr
        assert b"Traceback" not in out.stderr


@pytest.mark.model
def test_cli_encoding_ambiguous_is_refused_then_read_with_encoding(tmp_path: Path) -> None:
    text = ENGLISH + " The prime minister said the word 平和 (heiwa, peace) twice in Tokyo."
    p = tmp_path / "tokyo.txt"
    p.write_bytes(text.encode("shift_jis"))
    out = run("analyze", str(p))
    assert out.returncode == 2
    assert re.fullmatch(rf"presslens: error: cannot tell the encoding of {re.escape(str(p))} "
                        r"\(best guess \S+ at 0\.\d\d\); pass --encoding\n"
                        r"presslens: 0 analysed, 1 refused\n", out.stderr.decode())
    out = run("analyze", str(p), "--encoding", "shift_jis")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["text"] == text + "\n"
    db = f"sqlite:///{tmp_path / 'c.db'}"
    out = run("ingest", str(p), "--encoding", "shift_jis", "--db", db)
    assert out.returncode == 0, out.stderr
    corpus = Corpus(db)
    stored = corpus.article(corpus.recent(5)[0].id)
    assert stored is not None and stored.text == text + "\n"


def test_cli_encoding_unknown_is_refused() -> None:
    for command in ("analyze", "ingest"):
        out = run(command, str(SAMPLE), "--encoding", "klingon")
        assert out.returncode == 2, out.stderr
        assert out.stderr.decode().startswith("presslens: error: unknown encoding 'klingon' "
                                              "(--encoding or [ingest] encoding)")


@pytest.mark.model
def test_cli_fifo_and_device_are_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ENGLISH)
    os.mkfifo(folder / "pipe.txt")  # in a folder listing
    fifo = tmp_path / "named.txt"
    os.mkfifo(fifo)  # named on the command line
    out = run("analyze", str(folder), str(fifo), "/dev/zero", "--max-bytes", "100000",
              "--out", str(tmp_path / "out"), timeout=120)
    errors = out.stderr.decode()
    assert out.returncode == 2, errors
    assert f"{folder / 'pipe.txt'}: not a regular file (a FIFO)" in errors
    assert f"{fifo}: not a regular file (a FIFO)" in errors
    assert "/dev/zero: not a regular file (a character device)" in errors
    assert "1 analysed, 3 refused" in errors and "Traceback" not in errors
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.json"]


@pytest.mark.model
@pytest.mark.parametrize(("stdin", "reason"), [
    ("closed", "standard input is closed"), ("write-only", "Bad file descriptor")])
def test_cli_stdin_that_cannot_be_read_is_an_outcome(tmp_path: Path, stdin: str,
                                                     reason: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH)
    fd = os.open(tmp_path / "w", os.O_WRONLY | os.O_CREAT)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "presslens", "analyze", "-", str(good)],
            stdin=None if stdin == "closed" else fd, capture_output=True, timeout=300,
            preexec_fn=(lambda: os.close(0)) if stdin == "closed" else None)
    finally:
        os.close(fd)
    errors = out.stderr.decode()
    assert out.returncode == 2, errors
    assert f"presslens: error: -: cannot read standard input ({reason})" in errors
    assert "1 analysed, 1 refused" in errors and "Traceback" not in errors
    assert json.loads(out.stdout.decode().splitlines()[-1])["source"] == str(good)


@pytest.mark.model
def test_cli_ingest_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "named.txt"
    os.mkfifo(fifo)
    out = run("ingest", str(fifo), "--db", f"sqlite:///{tmp_path / 'c.db'}", timeout=60)
    assert out.returncode == 2
    assert f"{fifo}: not a regular file (a FIFO)" in out.stderr.decode()


@pytest.mark.model
@pytest.mark.parametrize(("threshold", "identities"), [(0.85, 1), (0.99, 2)])
def test_cli_ingest_takes_the_corpus_join_threshold(tmp_path: Path, threshold: float,
                                                    identities: int) -> None:
    """``[corpus] join_threshold`` decides whether a surname alone in a second article is
    the person named in full in the first (they score 0.97)."""
    first = tmp_path / "first.txt"
    first.write_text("Tomasz Wrzebiak, the mayor, said on Monday that the new bridge over "
                     "the river would open in the spring after years of delay.\n", "utf-8")
    second = tmp_path / "second.txt"
    second.write_text("Wrzebiak said on Tuesday that the bridge would cost less than the "
                      "council had planned, and that work would start in March.\n", "utf-8")
    config = tmp_path / "presslens.toml"
    config.write_text(f"[corpus]\njoin_threshold = {threshold}\n", "utf-8")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    for article in (first, second):  # one by one: the second joins what the first stored
        out = run("ingest", str(article), "--db", db, "--config", str(config), "-q")
        assert out.returncode == 0, out.stderr
    from presslens.corpus.store import Corpus

    people = [e for e in Corpus(db, create=False).entities_like("Wrzebiak")
              if "Wrzebiak" in e.name]
    assert len(people) == identities, people
