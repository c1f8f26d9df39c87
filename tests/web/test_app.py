"""The web app through its real HTTP interface (Starlette's TestClient, or its ASGI
interface where the test must see how much of a body is read) on a real SQLite corpus:
pages, JSON, escaping, CSRF, upload limits, security headers, malformed parameters, the
analysis queue, valid HTML and read-only mode."""

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import html5lib
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from presslens.config import load_config
from presslens.corpus.store import Corpus
from presslens.errors import CorpusNotFoundError, PresslensError
from presslens.model import Analysis, Attribution, Entity, Mention, Span
from presslens.runners.batch import BatchRunner, Job
from presslens.web.app import create_app
from presslens.web.jobs import AnalysisQueue, QueueFullError, WebJob
from presslens.web.security import CSRF_COOKIE, FormTokens, RequestRefused

ORIGIN = {"Origin": "http://testserver"}

HOSTILE = 'Zilenski said that <script>alert("x")</script> was found near the bridge.'


def stored(db: str) -> int:
    start = 0
    ent = Entity(id="e1", name="Volodymyr Zelensky", type="PERSON", kb_id="Q3874799",
                 spellings=["Zilenski"], mentions=[Mention(start=start, end=8, text="Zilenski")])
    said = HOSTILE.index("that") + 5
    a = Analysis(text=HOSTILE, title="Bridge <b>report</b>", published="2022-11-21",
                 entities=[ent],
                 attributions=[Attribution(speaker="e1", speaker_text="Zilenski", cue="said",
                                           content=Span(start=said, end=len(HOSTILE),
                                                        text=HOSTILE[said:]),
                                           specificity="named_person")])
    article_id = Corpus(db).add(a)
    assert article_id is not None
    return article_id


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


def test_web_pages_and_json_escape_article_text(db: str) -> None:
    article_id = stored(db)
    client = TestClient(create_app(db))
    index = client.get("/", params={"q": "bridge"})
    assert index.status_code == 200
    assert "<b>report</b>" not in index.text and "Bridge &lt;b&gt;report&lt;/b&gt;" in index.text
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200 and "<script>alert" not in page.text
    data = client.get(f"/api/articles/{article_id}").json()
    assert data["text"] == HOSTILE
    entity = client.get("/entities/Q3874799")
    assert entity.status_code == 200 and "Zilenski" in entity.text
    assert "<script>alert" not in entity.text
    assert client.get("/api/entities/Q3874799").json()["spellings"][0]["spelling"] == "Zilenski"
    assert client.get("/api/sources").json()["sources"][0]["quotes"] == 1
    assert client.get("/sources").status_code == 200
    assert "/api/articles" in client.get("/openapi.json").json()["paths"]


def test_web_unknown_things_are_404_not_errors(db: str) -> None:
    client = TestClient(create_app(db))
    assert client.get("/articles/999").status_code == 404
    assert client.get("/api/entities/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/docs").status_code == 404  # the CDN-loading docs page is off


def test_web_entity_json_and_page_filter_quotes_by_topic(db: str) -> None:
    """The entity's JSON is its corpus row (``to_dict``), its keys as they have always
    been; a topic narrows the quotes in the JSON and on the page alike."""
    article_id = stored(db)
    client = TestClient(create_app(db))
    entity = client.get("/api/entities/Q3874799").json()
    assert list(entity) == ["id", "key", "name", "type", "kb_id", "sound", "mention_count",
                            "article_count", "first_date", "last_date", "spellings",
                            "quotes", "stances", "events"]
    assert entity["quotes"] == client.get("/api/entities/Q3874799",
                                          params={"topic": "bridge"}).json()["quotes"]
    assert entity["quotes"][0]["article_id"] == article_id
    assert client.get("/api/entities/Q3874799", params={"topic": "harvest"}).json()[
        "quotes"] == []
    assert "No quotes." in client.get("/entities/Q3874799", params={"topic": "harvest"}).text
    found = client.get("/api/articles", params={"q": "bridge"}).json()
    assert [a["id"] for a in found["articles"]] == [article_id]
    assert found["quotes"][0]["speaker_key"] == "Q3874799"
    assert client.get("/api/timeline").json() == {"timeline": []}
    assert client.get("/api/network", params={"min_articles": 1}).json() == {"edges": []}


def _token(client: TestClient) -> str:
    """The form's token, from its action URL (the browser's cookie is kept by the client)."""
    form = client.get("/analyze")
    assert form.status_code == 200
    match = re.search(r'action="/analyze\?csrf=([^"]+)"', form.text)
    assert match
    return match.group(1)


def _post(client: TestClient, token: str, **kwargs: Any) -> Any:
    """Post the form as a browser on this site would."""
    return client.post(f"/analyze?csrf={token}", headers=ORIGIN, follow_redirects=False,
                       **kwargs)


def _wait_for_job(client: TestClient, location: str, seconds: float = 120) -> dict[str, Any]:
    """Poll a job's JSON until it has finished; its last state."""
    assert location.startswith("/jobs/")
    deadline = time.monotonic() + seconds
    while True:
        state: dict[str, Any] = client.get("/api" + location).json()
        if state["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def test_web_form_requires_the_csrf_token(db: str) -> None:
    client = TestClient(create_app(db))
    token = _token(client)
    assert _post(client, "forged", data={"text": "x"}).status_code == 403
    altered = token[:-1] + ("1" if token.endswith("0") else "0")
    assert _post(client, altered, data={"text": "x"}).status_code == 403
    # the token is worth nothing without the cookie it was issued for
    other = TestClient(client.app)
    _token(other)
    assert _post(other, token, data={"text": "x"}).status_code == 403
    # nor from another site, nor from a client that names no site
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {},
                    {"Referer": "http://evil.example/form"}):
        refused = client.post(f"/analyze?csrf={token}", headers=headers,
                              data={"text": "x"})
        assert refused.status_code == 403, headers
    blank = client.post(f"/analyze?csrf={token}", headers={
        "Referer": "http://testserver/analyze"}, data={"text": "  "})
    assert blank.status_code == 422  # past the checks: the form's own answer


def test_web_form_tokens_are_signed_bound_and_expire() -> None:
    tokens = FormTokens(max_age=60, secret=b"k" * 32)
    token = tokens.issue("nonce-a", now=1000)
    tokens.check(token, "nonce-a", now=1030)
    for bad_token, nonce, now in [(token, "nonce-b", 1030), (token, None, 1030),
                                  (token, "nonce-a", 1061), ("1000.abc", "nonce-a", 1030),
                                  ("", "nonce-a", 1030), ("9" * 40 + ".x", "nonce-a", 1030)]:
        with pytest.raises(RequestRefused) as refused:
            tokens.check(bad_token, nonce, now=now)
        assert refused.value.status == 403
    with pytest.raises(RequestRefused):  # another app's secret
        FormTokens(max_age=60).check(token, "nonce-a", now=1030)


def _asgi_post(app: Any, path: str, headers: dict[str, str], chunks: Iterator[bytes]
               ) -> tuple[int, int]:
    """POST a chunked body (no Content-Length) through the app's ASGI interface; the
    status and how many chunks the app took."""
    taken = 0
    status: list[int] = []
    path, _, query = path.partition("?")

    async def receive() -> dict[str, Any]:
        nonlocal taken
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        taken += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "client": ("127.0.0.1", 1),
             "server": ("testserver", 80),
             "headers": [(k.lower().encode(), v.encode()) for k, v in {
                 "host": "testserver", "transfer-encoding": "chunked",
                 "content-type": "multipart/form-data; boundary=xyz", **headers}.items()]}
    asyncio.run(app(scope, receive, send))
    return status[0], taken


def test_web_form_refuses_a_forged_upload_before_reading_its_body(db: str) -> None:
    app = create_app(db)
    client = TestClient(app)
    token = _token(client)
    cookie = f"{CSRF_COOKIE}={client.cookies[CSRF_COOKIE]}"
    hundred_mb = (b"x" * 1_000_000 for _ in range(100))
    assert _asgi_post(app, "/analyze", {"origin": "http://testserver"}, hundred_mb) == (403, 0)
    assert _asgi_post(app, f"/analyze?csrf={token}", {"origin": "http://evil.example",
                                                      "cookie": cookie},
                      hundred_mb) == (403, 0)


def test_web_upload_limit_holds_while_the_body_streams(db: str) -> None:
    app = create_app(db, max_upload_bytes=100_000)
    client = TestClient(app)
    token = _token(client)
    cookie = f"{CSRF_COOKIE}={client.cookies[CSRF_COOKIE]}"
    chunks = (b"x" * 65_536 for _ in range(1600))  # 100 MB, chunked, no Content-Length
    status, taken = _asgi_post(app, f"/analyze?csrf={token}",
                               {"origin": "http://testserver", "cookie": cookie}, chunks)
    assert status == 413
    assert taken <= 3  # the limit and the form's overhead, and not a chunk more
    declared = client.post(f"/analyze?csrf={token}", headers={
        **ORIGIN, "Content-Length": "999999999999"}, content=b"x")
    assert declared.status_code == 413


def test_web_upload_limit(db: str) -> None:
    client = TestClient(create_app(db, max_upload_bytes=1000))
    token = _token(client)
    big = _post(client, token, files={"file": ("a.txt", b"word " * 2000, "text/plain")})
    assert big.status_code == 413
    pasted = _post(client, token, data={"text": "word " * 2000})
    assert pasted.status_code == 413


def test_web_form_takes_the_users_ingest_limit(db: str) -> None:
    config = load_config({"ingest": {"max_bytes": 500}})
    client = TestClient(create_app(db, max_upload_bytes=100_000, config=config))
    assert "at most 500 bytes" in client.get("/analyze").text
    token = _token(client)
    pasted = _post(client, token, data={"text": "word " * 200})
    assert pasted.status_code == 413 and "limit of 500 bytes" in pasted.text
    upload = _post(client, token, files={"file": ("a.txt", b"word " * 200, "text/plain")})
    assert upload.status_code == 413
    assert client.app.state.jobs.waiting == 0  # refused before it was queued


def test_web_read_only_refuses_writes(db: str) -> None:
    stored(db)
    client = TestClient(create_app(db, read_only=True))
    assert client.get("/").status_code == 200
    assert client.get("/analyze").status_code == 403
    assert client.post("/analyze", data={"text": "x"}).status_code == 403


def test_web_read_only_refuses_a_missing_database(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    with pytest.raises(CorpusNotFoundError, match="presslens ingest"):
        create_app(f"sqlite:///{db}", read_only=True)
    assert not db.exists()
    create_app(f"sqlite:///{db}")  # a writable app creates its database
    assert db.exists()
    assert TestClient(create_app(f"sqlite:///{db}", read_only=True)).get("/").status_code == 200


SECURITY_HEADERS = {"content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy"}


def test_web_security_headers_on_every_response(db: str) -> None:
    client = TestClient(create_app(db))
    answers = [client.get(url) for url in (
        "/", "/sources", "/api/articles", "/openapi.json", "/articles/999", "/articles/x",
        "/api/articles?q=%00", "/analyze", "/no/such/page")]
    answers.append(client.post("/analyze", data={"text": "x"}))
    for answer in answers:
        assert SECURITY_HEADERS <= set(answer.headers), answer.url
        csp = answer.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"


MALFORMED = ["999999999999999999999999999999", "-1", "0", "-99999999999999999999", "1e9",
             "x" * 10_000, "a\x00b", "%00", '"', 'a"b', "NEAR(", "NEAR(a b", "*", "a*",
             "a OR", "AND", "(", ")", "^", "-", ":", "col:a", "😀" * 50, "' OR 1=1 --",
             "../../etc/passwd", "%ff", " ", "\u202e", "\r\nX-Header: 1"]
# already in the address's encoding: bytes that are not UTF-8, a lone surrogate, bad escapes
ENCODED = ["%ff", "%ed%b3%bf", "%00", "a%00b", "%", "%zz", "%c0%ae%c0%ae%2f"]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, db: str) -> str:
    """A fresh corpus database on SQLite, then on a real PostgreSQL server."""
    if request.param == "sqlite":
        return db
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_web_sweep_every_route_with_malformed_parameters(any_db: str) -> None:
    """Every route of the app, every path and query parameter given every malformed value:
    a 4xx (or a 2xx/3xx where the value is simply found nothing for), never a 5xx."""
    db = any_db
    stored(db)
    app = create_app(db)
    client = TestClient(app, raise_server_exceptions=False)
    token = _token(client)
    routes = [r for r in app.routes if isinstance(r, APIRoute)]
    assert {"/api/articles", "/articles/{article_id}", "/analyze", "/jobs/{job_id}"} <= {
        r.path for r in routes}
    tried = 0
    for route in routes:
        path_params = [p.name for p in route.dependant.path_params]
        query_params = [p.name for p in route.dependant.query_params]
        for method in sorted(route.methods):
            for value, quoted in [*((v, quote(v, safe="")) for v in MALFORMED),
                                  *((v, v) for v in ENCODED)]:
                path = route.path
                for name in path_params:
                    path = re.sub(r"\{" + name + r"(:path)?\}", quoted, path)
                urls = [path if path_params else route.path]
                urls += [f"{urls[0]}?{name}={quoted}" for name in query_params]
                urls += [f"{urls[0]}?limit={quoted}&q=a", f"{urls[0]}?q={quoted}&q=b"]
                for url in urls:
                    if method == "POST":
                        answer = client.post(url, headers=ORIGIN, data={
                            "text": value, "published": value})
                        answer2 = client.post(f"{url}&csrf={token}" if "?" in url else
                                              f"{url}?csrf={token}", headers=ORIGIN,
                                              files={"file": (value[:200], value.encode(
                                                  "utf-8", "replace"))},
                                              data={"published": value})
                        assert answer2.status_code < 500, (method, url, answer2.text)
                    else:
                        answer = client.get(url, follow_redirects=False)
                    tried += 1
                    assert answer.status_code < 500, (method, url, answer.text[:300])
    assert tried > 300
    for url in ("/articles/999999999999999999999999999999", "/api/articles?limit=-1",
                "/api/articles?limit=0", "/api/articles?limit=100000",
                "/api/articles/-5", "/api/network?min_articles=99999999999999999999999"):
        assert 400 <= client.get(url).status_code < 500, url
    for url in ("/api/articles?q=a%00b", "/?q=%00"):
        assert client.get(url).status_code == 400, url
    for q in ('"', "NEAR(", "*", "a OR", "(", "col:a", 'bridge"'):
        found = client.get("/api/articles", params={"q": q})
        assert found.status_code == 200, q
    assert client.get("/api/articles", params={"q": 'bridge"'}).json()["articles"]


def _blocked_queue(app: Any) -> threading.Event:
    """Hold the app's analysis queue: its worker threads wait for the returned event to
    start a runner, and then fail to, so jobs stay queued or running until it is set."""
    release = threading.Event()
    jobs: AnalysisQueue = app.state.jobs

    def no_runner() -> BatchRunner:
        release.wait(30)
        raise PresslensError("no analyser in this test")

    jobs.make_runner = no_runner
    return release


def test_web_queue_shows_the_position_and_answers_503_when_full(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'q.db'}"
    app = create_app(db, config=load_config({"web": {"queue_length": 2, "workers": 1}}))
    release = _blocked_queue(app)
    client = TestClient(app)
    token = _token(client)
    first = _post(client, token, data={"text": "The first article."})
    assert first.status_code == 303
    deadline = time.monotonic() + 10
    while client.get("/api" + first.headers["location"]).json()["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    second = _post(client, token, data={"text": "The second article."})
    third = _post(client, token, data={"text": "The third article."})
    assert client.get("/api" + second.headers["location"]).json()["position"] == 1
    assert client.get("/api" + third.headers["location"]).json()["position"] == 2
    page = client.get(third.headers["location"])
    assert page.status_code == 200 and "number 2 in the queue" in page.text
    assert '<meta http-equiv="refresh"' in page.text
    assert "Being analysed" in client.get(first.headers["location"]).text
    full = _post(client, token, data={"text": "One too many."})
    assert full.status_code == 503 and "already waiting" in full.text
    assert full.headers["retry-after"]
    started = time.monotonic()
    assert client.get("/").status_code == 200  # the queue holds nothing else up
    assert time.monotonic() - started < 2
    release.set()
    for answer in (first, second, third):
        state = _wait_for_job(client, answer.headers["location"], 30)
        assert state["status"] == "failed" and state["error"] == "no analyser in this test"
    failed = client.get(third.headers["location"])
    assert "no analyser in this test" in failed.text and "refresh" not in failed.text
    assert client.get("/jobs/no-such-job").status_code == 404
    assert client.get("/api/jobs/no-such-job").status_code == 404


def test_web_jobs_keep_only_the_last_finished_ones() -> None:
    stored_ids: list[int] = []

    def nothing_runs() -> BatchRunner:
        raise PresslensError("no analyser")

    jobs = AnalysisQueue(nothing_runs, lambda a: stored_ids.append(1) or 1, workers=1,
                         max_waiting=50, keep=3)
    submitted = [jobs.submit(Job(source=f"t{i}", data=b"x")) for i in range(10)]
    deadline = time.monotonic() + 10
    while any((found := jobs.get(j.id)) and not found[0].is_finished for j in submitted):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert [j.id for j in submitted if jobs.get(j.id)] == [j.id for j in submitted[-3:]]
    jobs.close()
    with pytest.raises(QueueFullError):
        jobs.submit(Job(source="late", data=b"x"))


def _html_problems(markup: str) -> list[str]:
    """html5lib's parse errors (misnesting, stray end tags, ...) of a page, and markup
    swallowed as text by an element that holds only text (a ``<title>`` left open, which
    the parser does not count as an error)."""
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(markup)
    problems = [f"line {line}, col {col}: {code} {data}"
                for (line, col), code, data in parser.errors]
    for tag, inner in re.findall(r"<(title|textarea)[^>]*>(.*?)</\1>", markup, re.S):
        if "<" in inner:
            problems.append(f"markup inside <{tag}>: {inner[:80]!r}")
    return problems


def test_web_every_page_is_valid_html(db: str) -> None:
    article_id = stored(db)
    app = create_app(db)
    release = _blocked_queue(app)
    client = TestClient(app)
    token = _token(client)
    job = _post(client, token, data={"text": "An article."}).headers["location"]
    queued = _post(client, token, data={"text": "Another article."}).headers["location"]
    pages = {"index": client.get("/"), "search": client.get("/", params={"q": "bridge"}),
             "article": client.get(f"/articles/{article_id}"),
             "entity": client.get("/entities/Q3874799"),
             "entity topic": client.get("/entities/Q3874799", params={"topic": "bridge"}),
             "sources": client.get("/sources"), "analyze": client.get("/analyze"),
             "queued job": client.get(queued),
             "form error": _post(client, token, data={"text": " "}),
             "error": client.get("/articles/999"), "404": client.get("/no/such/page"),
             "422": client.get("/articles/99999999999999999999999")}
    release.set()
    _wait_for_job(client, job, 30)
    pages["failed job"] = client.get(job)
    for name, answer in pages.items():
        assert answer.headers["content-type"].startswith("text/html"), name
        assert _html_problems(answer.text) == [], name


def test_web_job_page_is_valid_html_in_every_state() -> None:
    from presslens.web.app import _env

    for job, position in [
            (WebJob(id="a", status="queued", submitted=0.0), 3),
            (WebJob(id="a", status="running", submitted=0.0, started=1.0), None),
            (WebJob(id="a", status="done", submitted=0.0, article_id=4), None),
            (WebJob(id="a", status="timeout", submitted=0.0, error="<b>too long</b>"), None)]:
        markup = _env().get_template("job.html.j2").render(job=job, position=position,
                                                           now=2.0, read_only=False)
        assert _html_problems(markup) == [], job.status
        assert "<b>too long" not in markup


@pytest.mark.model
def test_web_paste_an_article_and_open_its_page(db: str) -> None:
    client = TestClient(create_app(db))
    token = _token(client)
    text = ("Mykhailo Podolyak, an adviser to President Volodymyr Zelensky, said on Sunday "
            "that Ukraine would not negotiate while Russian troops remained on its land.")
    posted = _post(client, token, data={"text": text, "published": "2022-11-21"})
    assert posted.status_code == 303 and posted.headers["location"].startswith("/jobs/")
    state = _wait_for_job(client, posted.headers["location"])
    assert state["status"] == "done", state
    done = client.get(posted.headers["location"])  # the job page sends on to the article
    assert done.status_code == 200 and done.url.path == state["article_url"]
    assert "Mykhailo Podolyak" in done.text
    assert client.get("/api/sources").json()["sources"]
    bad = _post(client, token, data={"text": "   "})
    assert bad.status_code == 422 and "empty" in bad.text


@pytest.mark.model
def test_web_form_stops_a_stalled_article_and_keeps_serving(db: str) -> None:
    from slow_stages import STALL, config

    stored(db)
    with TestClient(create_app(db, config=load_config(config("test-stuck")))) as client:
        token = _token(client)
        calm = _post(client, token, data={"text": "A calm day in the port."})
        assert _wait_for_job(client, calm.headers["location"])["status"] == "done"
        stalled = _post(client, token, data={"text": f"This one will {STALL}."})
        assert stalled.status_code == 303  # answered at once, analysed in the background
        time.sleep(0.5)
        assert client.get("/api" + stalled.headers["location"]).json()["status"] == "running"
        started = time.monotonic()
        assert client.get("/").status_code == 200  # not blocked by the stalled article
        assert time.monotonic() - started < 2
        state = _wait_for_job(client, stalled.headers["location"], 60)
        assert state["status"] == "timeout" and "stage" in state["error"], state
        page = client.get(stalled.headers["location"])
        assert "Not analysed (timeout)" in page.text and "refresh" not in page.text
        late = _post(client, token, data={"text": "Another calm day here."})
        state = _wait_for_job(client, late.headers["location"])
        assert state["status"] == "done"  # a fresh worker replaced the killed one


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """`presslens serve` on a free loopback port (no analysis is made: no model needed)."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "presslens", "serve", "--db",
                             f"sqlite:///{tmp_path / 'served.db'}", "--port", str(port),
                             "--max-upload-bytes", "100000"], env=os.environ.copy())
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _chunked_upload(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Stream up to 100 MB in 1 MB chunks to a real server until it answers: its status
    and the bytes sent by then (the kernel's buffers hold a few MB the server never read)."""
    import select
    import socket

    chunk = b"%x\r\n" % 1_000_000 + b"x" * 1_000_000 + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in {
            "Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}",
            "Transfer-Encoding": "chunked",
            "Content-Type": "multipart/form-data; boundary=xyz", **headers}.items())
        sock.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode())
        answer = b""
        for _ in range(100):
            if select.select([sock], [], [], 0.05)[0]:
                break
            try:
                sock.sendall(chunk)
            except OSError:  # the server answered and closed the connection
                break
            sent += len(chunk)
        deadline = time.monotonic() + 10
        while b"\r\n" not in answer and time.monotonic() < deadline:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    return int(answer.split(b" ", 2)[1]), sent


def test_web_real_server_refuses_a_big_chunked_upload_early(served: int) -> None:
    import http.client

    status, sent = _chunked_upload(served, "/analyze", {})
    assert status == 403 and sent <= 5_000_000  # no token: refused with the headers
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    conn.request("GET", "/analyze")
    form = conn.getresponse()
    cookie = (form.getheader("set-cookie") or "").split(";", 1)[0]
    action = re.search(r'action="([^"]+)"', form.read().decode())
    assert action and cookie
    status, sent = _chunked_upload(served, action.group(1), {"Cookie": cookie})
    assert status == 413 and sent <= 5_000_000  # a good token: refused at the limit
