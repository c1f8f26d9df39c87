"""The web app through its real HTTP interface (Starlette's TestClient) on a real SQLite
corpus: pages, JSON, escaping, CSRF, upload limit and read-only mode."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from presslens.errors import CorpusNotFoundError
from presslens.model import Analysis, Attribution, Entity, Mention, Span
from presslens.store import Corpus
from presslens.web import create_app

HOSTILE = 'Zerenski said that <script>alert("x")</script> was found near the bridge.'


def stored(db: str) -> int:
    start = 0
    ent = Entity(id="e1", name="Volodymyr Zelensky", type="PERSON", kb_id="Q3874799",
                 spellings=["Zerenski"], mentions=[Mention(start=start, end=8, text="Zerenski")])
    said = HOSTILE.index("that") + 5
    a = Analysis(text=HOSTILE, title="Bridge <b>report</b>", published="2022-11-21",
                 entities=[ent],
                 attributions=[Attribution(speaker="e1", speaker_text="Zerenski", cue="said",
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
    assert entity.status_code == 200 and "Zerenski" in entity.text
    assert "<script>alert" not in entity.text
    assert client.get("/api/entities/Q3874799").json()["spellings"][0]["spelling"] == "Zerenski"
    assert client.get("/api/sources").json()["sources"][0]["quotes"] == 1
    assert client.get("/sources").status_code == 200
    assert "/api/articles" in client.get("/openapi.json").json()["paths"]


def test_web_unknown_things_are_404_not_errors(db: str) -> None:
    client = TestClient(create_app(db))
    assert client.get("/articles/999").status_code == 404
    assert client.get("/api/entities/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/docs").status_code == 404  # the CDN-loading docs page is off


def _token(client: TestClient) -> str:
    form = client.get("/analyze")
    assert form.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert match
    return match.group(1)


def test_web_form_requires_the_csrf_token(db: str) -> None:
    client = TestClient(create_app(db))
    _token(client)
    refused = client.post("/analyze", data={"text": "x", "csrf": "forged"})
    assert refused.status_code == 403


def test_web_upload_limit(db: str) -> None:
    client = TestClient(create_app(db, max_upload_bytes=1000))
    token = _token(client)
    big = client.post("/analyze", data={"csrf": token},
                      files={"file": ("a.txt", b"word " * 2000, "text/plain")})
    assert big.status_code == 413


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


@pytest.mark.model
def test_web_paste_an_article_and_open_its_page(db: str) -> None:
    client = TestClient(create_app(db))
    token = _token(client)
    text = ("Mykhailo Podolyak, an adviser to President Volodymyr Zelensky, said on Sunday "
            "that Ukraine would not negotiate while Russian troops remained on its land.")
    done = client.post("/analyze", data={"csrf": token, "text": text,
                                         "published": "2022-11-21"})
    assert done.status_code == 200 and "Mykhailo Podolyak" in done.text
    assert client.get("/api/sources").json()["sources"]
    bad = client.post("/analyze", data={"csrf": token, "text": "   "})
    assert bad.status_code == 422 and "empty" in bad.text


@pytest.mark.model
def test_web_form_stops_a_stalled_article_and_keeps_serving(db: str) -> None:
    import threading
    import time

    from slow_stages import STALL, config

    from presslens.config import load_config

    stored(db)
    with TestClient(create_app(db, config=load_config(config("test-stuck")))) as client:
        token = _token(client)
        calm = client.post("/analyze", data={"csrf": token, "text": "A calm day in the port."})
        assert calm.status_code == 200  # the form's worker process is up
        answers: list[int] = []

        def post_stalled() -> None:
            answers.append(client.post("/analyze", data={
                "csrf": token, "text": f"This one will {STALL}."}).status_code)

        poster = threading.Thread(target=post_stalled)
        poster.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert client.get("/").status_code == 200  # not blocked by the stalled article
        assert time.monotonic() - started < 2
        poster.join(60)
        assert answers == [422]
        late = client.post("/analyze", data={"csrf": token, "text": "Another calm day here."})
        assert late.status_code == 200  # a fresh worker replaced the killed one
