"""The web app: a thin FastAPI layer over the corpus and the pipeline.

Every page is server-rendered HTML with no external resource, and its data is also served
as JSON under ``/api`` (OpenAPI at ``/openapi.json``; the interactive docs are off because
they load scripts from a CDN). Safety: all article text goes through Jinja autoescaping;
forms carry a CSRF token checked against a same-site cookie; uploads are capped; nothing
is read from a path the client names; ``read_only`` refuses every write.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..config import Config, load_config
from ..errors import PresslensError
from ..report import render_html
from ..runner import BatchRunner, Job
from ..store import Corpus

CSRF_COOKIE = "presslens_csrf"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("presslens", "web/templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True))


def create_app(db_url: str, *, read_only: bool = False, max_upload_bytes: int = 2_000_000,
               config: Config | None = None, create: bool | None = None) -> FastAPI:
    """The app over the corpus at ``db_url``. ``create``: whether a database that does not
    exist yet is created (default: unless ``read_only``, which refuses it with
    ``CorpusNotFoundError``)."""
    corpus = Corpus(db_url, create=not read_only if create is None else create)
    cfg = config if config is not None else load_config()
    runner_holder: list[BatchRunner] = []

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        for r in runner_holder:  # stop the form's worker process with the server
            r.close()

    app = FastAPI(title="presslens", docs_url=None, redoc_url=None, lifespan=lifespan)
    runner_lock = threading.Lock()

    def runner() -> BatchRunner:
        """The form's batch runner, started on first use: one worker process."""
        with runner_lock:
            if not runner_holder:
                runner_holder.append(BatchRunner(cfg, processes=1))
            return runner_holder[0]

    def form_error(token: str, message: str) -> HTMLResponse:
        response = page("analyze.html.j2", csrf=token, error=message)
        response.status_code = 422
        return response

    def page(name: str, **context: Any) -> HTMLResponse:
        html = _env().get_template(name).render(read_only=read_only, **context)
        return HTMLResponse(html)

    # -- JSON API ------------------------------------------------------------------------
    @app.get("/api/articles")
    def api_articles(q: str = "", limit: int = 50) -> dict[str, Any]:
        rows = corpus.search_articles(q, limit=limit) if q.strip() else corpus.recent(limit)
        return {"articles": rows, "quotes": corpus.search_quotes(q, limit=limit)
                if q.strip() else []}

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: int) -> dict[str, Any]:
        analysis = corpus.article(article_id)
        if analysis is None:
            raise HTTPException(404, "no such article")
        return analysis.to_dict()

    @app.get("/api/entities/{key:path}")
    def api_entity(key: str, topic: str = "") -> dict[str, Any]:
        entity = corpus.entity(key)
        if entity is None:
            raise HTTPException(404, "no such entity")
        if topic.strip():
            entity["quotes"] = corpus.search_quotes(topic, entity_key=key)
        return entity

    @app.get("/api/sources")
    def api_sources() -> dict[str, Any]:
        return {"sources": corpus.sources()}

    @app.get("/api/network")
    def api_network(min_articles: int = 2) -> dict[str, Any]:
        return {"edges": corpus.cooccurrence(min_articles=min_articles)}

    @app.get("/api/timeline")
    def api_timeline() -> dict[str, Any]:
        return {"timeline": corpus.timeline()}

    # -- pages ---------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def index(q: str = "") -> HTMLResponse:
        data = api_articles(q)
        return page("index.html.j2", q=q, stats=corpus.stats(), **data)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: int) -> HTMLResponse:
        analysis = corpus.article(article_id)
        if analysis is None:
            raise HTTPException(404, "no such article")
        links = {local: f"/entities/{quote(key, safe='')}"
                 for local, key in corpus.entity_keys(article_id).items()}
        return HTMLResponse(render_html(analysis, entity_links=links))

    @app.get("/entities/{key:path}", response_class=HTMLResponse)
    def entity_page(key: str, topic: str = "") -> HTMLResponse:
        entity = api_entity(key, topic)
        return page("entity.html.j2", e=entity, quotes=entity["quotes"], topic=topic)

    @app.get("/sources", response_class=HTMLResponse)
    def sources_page() -> HTMLResponse:
        return page("sources.html.j2", sources=corpus.sources())

    @app.get("/analyze", response_class=HTMLResponse)
    def analyze_form() -> Response:
        if read_only:
            raise HTTPException(403, "this presslens is read-only")
        token = secrets.token_urlsafe(24)
        response = page("analyze.html.j2", csrf=token, error=None)
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.post("/analyze")
    async def analyze_submit(request: Request) -> Response:
        if read_only:
            raise HTTPException(403, "this presslens is read-only")
        length = int(request.headers.get("content-length") or 0)
        if length > max_upload_bytes + 4096:
            raise HTTPException(413, f"upload over the limit of {max_upload_bytes:,} bytes")
        form = await request.form(max_part_size=max_upload_bytes + 1)
        token = request.cookies.get(CSRF_COOKIE)
        if not token or not secrets.compare_digest(token, str(form.get("csrf") or "")):
            raise HTTPException(403, "missing or wrong form token (reload the form)")
        upload = form.get("file")
        data: bytes
        fmt = "text"
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read(max_upload_bytes + 1)
            name = upload.filename.lower()
            fmt = "html" if name.endswith((".html", ".htm")) else (
                "markdown" if name.endswith((".md", ".markdown")) else "text")
        else:
            data = str(form.get("text") or "").encode("utf-8")
        if len(data) > max_upload_bytes:
            raise HTTPException(413, f"upload over the limit of {max_upload_bytes:,} bytes")
        published = str(form.get("published") or "").strip() or None
        try:
            if published is not None:
                date.fromisoformat(published)
            # analysed in a worker process, off the event loop: other pages stay served,
            # and an article over the time budget is stopped, not the server
            outcome = await run_in_threadpool(
                runner().run_one, Job(source="web form", data=data, fmt=fmt,
                                      published=published))
        except (PresslensError, ValueError) as exc:
            return form_error(token, str(exc))
        if outcome.analysis is None:
            return form_error(token, outcome.error or outcome.status)
        analysis = outcome.analysis
        article_id = corpus.add(analysis)
        if article_id is None:
            article_id = corpus.article_id(analysis.text)
        return RedirectResponse(f"/articles/{article_id}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = _env().from_string(
            '{% extends "base.html.j2" %}{% block body %}<section><p class="error">'
            "{{ detail }}</p></section>{% endblock %}").render(detail=exc.detail,
                                                               read_only=read_only)
        return HTMLResponse(html, status_code=exc.status_code)

    return app
