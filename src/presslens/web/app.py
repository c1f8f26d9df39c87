"""The web app: a thin FastAPI layer over the corpus and the pipeline.

Every page is server-rendered HTML with no external resource and no script, and its data
is also served as JSON under ``/api`` (OpenAPI at ``/openapi.json``; the interactive docs
are off because they load scripts from a CDN). Safety: all article text goes through Jinja
autoescaping; every response carries a strict Content-Security-Policy and its companions;
a form post is checked (same origin, a signed token bound to a cookie) before its body is
read, and the body is capped while it streams; every parameter is bounded, so a malformed
one is a 4xx; nothing is read from a path the client names; ``read_only`` refuses every
write. Analyses run in worker processes fed by a bounded queue (``jobs.AnalysisQueue``):
the form answers at once with a job page, and no analysis holds up any other request.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from presslens.config import Config, load_config
from presslens.corpus.store import Corpus
from presslens.errors import StoreError
from presslens.ingest import published_date
from presslens.model import Analysis
from presslens.report.render import render_html
from presslens.runners.batch import BatchRunner, Job
from presslens.web.jobs import AnalysisQueue, QueueFullError
from presslens.web.security import (
    CSRF_COOKIE,
    FormTokens,
    RequestRefused,
    SecureResponses,
    check_same_origin,
    read_body,
    replayed,
)

MAX_ID = 2**63 - 1  # the largest id a database integer holds
MAX_LIMIT = 500  # rows one API call may ask for
MAX_QUERY = 500  # characters of a search
ArticleId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
Search = Annotated[str, Query(max_length=MAX_QUERY)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("presslens", "web/templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True))


def create_app(db_url: str, *, read_only: bool = False, max_upload_bytes: int | None = None,
               config: Config | None = None, create: bool | None = None,
               workers: int | None = None) -> FastAPI:
    """The app over the corpus at ``db_url``. ``create``: whether a database that does not
    exist yet is created (default: unless ``read_only``, which refuses it with
    ``CorpusNotFoundError``). ``workers``: analysis processes for the form (default
    ``[web] workers``); ``max_upload_bytes``: the most a form post may carry (default
    ``[web] max_upload_bytes``)."""
    cfg = config if config is not None else load_config()
    corpus = Corpus(db_url, create=not read_only if create is None else create,
                    read_only=read_only, join_threshold=cfg.corpus.join_threshold)
    web = cfg.web
    upload_limit = max_upload_bytes if max_upload_bytes is not None else web.max_upload_bytes
    # the largest article the form takes: the upload limit, or the [ingest] limit if lower
    max_article_bytes = min(upload_limit, cfg.ingest.max_bytes)

    def store(analysis: Analysis) -> int:
        article_id = corpus.add(analysis)
        if article_id is None:  # already stored: the same text, analysed before
            article_id = corpus.article_id(analysis.text)
        if article_id is None:
            raise StoreError("the analysis was not stored")
        return article_id

    jobs = AnalysisQueue(lambda: BatchRunner(cfg, processes=1), store,
                         workers=workers if workers is not None else web.workers,
                         max_waiting=web.queue_length, keep=web.jobs_kept)
    tokens = FormTokens(max_age=web.form_token_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()  # stop the form's worker processes with the server

    app = FastAPI(title="presslens", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.add_middleware(SecureResponses)

    def page(name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = _env().get_template(name).render(read_only=read_only, **context)
        return HTMLResponse(html, status_code=status_code)

    def form_page(request: Request, *, error: str | None = None,
                  status_code: int = 200) -> HTMLResponse:
        """The analyse form, with a token for this browser's cookie nonce (set if new)."""
        nonce = request.cookies.get(CSRF_COOKIE) or ""
        fresh = not (16 <= len(nonce) <= 64 and nonce.replace("-", "").replace(
            "_", "").isalnum())
        if fresh:
            nonce = FormTokens.new_nonce()
        response = page("analyze.html.j2", csrf=tokens.issue(nonce), error=error,
                        max_upload_bytes=max_article_bytes, status_code=status_code)
        if fresh:
            response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict")
        return response

    # -- JSON API ------------------------------------------------------------------------
    @app.get("/api/articles")
    def api_articles(q: Search = "", limit: Limit = 50) -> dict[str, Any]:
        rows = corpus.search_articles(q, limit=limit) if q.strip() else corpus.recent(limit)
        found = corpus.search_quotes(q, limit=limit) if q.strip() else []
        return {"articles": [r.to_dict() for r in rows],
                "quotes": [r.to_dict() for r in found]}

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: ArticleId) -> dict[str, Any]:
        analysis = corpus.article(article_id)
        if analysis is None:
            raise HTTPException(404, "no such article")
        return analysis.to_dict()

    @app.get("/api/entities/{key:path}")
    def api_entity(key: str, topic: Search = "") -> dict[str, Any]:
        entity = corpus.entity(key, topic=topic)
        if entity is None:
            raise HTTPException(404, "no such entity")
        return entity.to_dict()

    @app.get("/api/sources")
    def api_sources() -> dict[str, Any]:
        return {"sources": [r.to_dict() for r in corpus.sources()],
                "outlets": [r.to_dict() for r in corpus.technique_rates()]}

    @app.get("/api/network")
    def api_network(min_articles: Annotated[int, Query(ge=1, le=MAX_ID)] = 2
                    ) -> dict[str, Any]:
        return {"edges": [r.to_dict() for r in corpus.cooccurrence(
            min_articles=min_articles)]}

    @app.get("/api/timeline")
    def api_timeline() -> dict[str, Any]:
        return {"timeline": [r.to_dict() for r in corpus.timeline()]}

    @app.get("/api/jobs/{job_id}")
    def api_job(job_id: str) -> dict[str, Any]:
        """A form submission: queued (with its place), running, or its outcome."""
        found = jobs.get(job_id)
        if found is None:
            raise HTTPException(404, "no such job (finished jobs are kept for a while)")
        job, position = found
        return job.as_dict(position=position)

    # -- pages ---------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def index(q: Search = "") -> HTMLResponse:
        data = api_articles(q)
        return page("index.html.j2", q=q, stats=corpus.stats(), **data)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: ArticleId) -> HTMLResponse:
        analysis = corpus.article(article_id)
        if analysis is None:
            raise HTTPException(404, "no such article")
        links = {local: f"/entities/{quote(key, safe='')}"
                 for local, key in corpus.entity_keys(article_id).items()}
        return HTMLResponse(render_html(analysis, entity_links=links,
                                        low_confidence=cfg.report.low_confidence))

    @app.get("/entities/{key:path}", response_class=HTMLResponse)
    def entity_page(key: str, topic: Search = "") -> HTMLResponse:
        entity = api_entity(key, topic)
        return page("entity.html.j2", e=entity, quotes=entity["quotes"], topic=topic)

    @app.get("/sources", response_class=HTMLResponse)
    def sources_page() -> HTMLResponse:
        return page("sources.html.j2", sources=corpus.sources(),
                    outlets=corpus.technique_rates())

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(job_id: str) -> Response:
        """Where the form sends its submitter: refreshes itself until the job is over,
        then sends them on to the article (or says why there is none)."""
        found = jobs.get(job_id)
        if found is None:
            raise HTTPException(404, "no such job (finished jobs are kept for a while)")
        job, position = found
        if job.status == "done":
            return RedirectResponse(f"/articles/{job.article_id}", status_code=303)
        return page("job.html.j2", job=job, position=position, now=time.time())

    @app.get("/analyze", response_class=HTMLResponse)
    def analyze_form(request: Request) -> Response:
        if read_only:
            raise HTTPException(403, "this presslens is read-only")
        return form_page(request)

    @app.post("/analyze")
    async def analyze_submit(request: Request, csrf: Annotated[str, Query(
            max_length=200)] = "") -> Response:
        """Check the post before reading its body, read it within the limit, queue it."""
        if read_only:
            raise HTTPException(403, "this presslens is read-only")
        try:
            check_same_origin(request)
            tokens.check(csrf, request.cookies.get(CSRF_COOKIE))
            if jobs.waiting >= jobs.max_waiting:
                raise RequestRefused(503, f"{jobs.waiting} articles are already waiting to "
                                          "be analysed; try again in a minute")
            body = await read_body(request, upload_limit)
        except RequestRefused as exc:
            raise HTTPException(exc.status, exc.detail, headers={"Retry-After": "60"}
                                if exc.status == 503 else None) from None
        form = await replayed(request, body).form(max_part_size=len(body) + 1)
        upload = form.get("file")
        fmt = "text"
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read(upload_limit + 1)
            name = upload.filename.lower()
            fmt = "html" if name.endswith((".html", ".htm")) else (
                "markdown" if name.endswith((".md", ".markdown")) else "text")
        else:
            data = str(form.get("text") or "").encode("utf-8", "replace")
        if len(data) > max_article_bytes:
            raise HTTPException(413, f"upload over the limit of {max_article_bytes:,} bytes")
        if not data.strip():
            return form_page(request, status_code=422,
                             error="the article is empty: paste its text or choose a file")
        published = str(form.get("published") or "").strip() or None
        if published is not None:
            try:
                published = published_date(published)  # the library's one date check
            except ValueError:
                return form_page(request, status_code=422, error=(
                    f"the publication date {published[:40]!r} is not a date (YYYY-MM-DD)"))
        try:
            job = jobs.submit(Job(source="web form", data=data, fmt=fmt,
                                  published=published))
        except QueueFullError as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": "60"}) from None
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.exception_handler(StarletteHTTPException)  # FastAPI's, and the router's 404/405
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=exc.headers)
        html = _env().get_template("error.html.j2").render(
            detail=exc.detail, status=exc.status_code, read_only=read_only)
        return HTMLResponse(html, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameter(request: Request, exc: RequestValidationError) -> Response:
        """A malformed id, limit or search: 422, as JSON under /api, else as a page."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        detail = "; ".join(f"{' '.join(str(part) for part in error['loc'][1:])}: "
                           f"{error['msg']}" for error in exc.errors())
        return await http_error(request, HTTPException(422, detail or "malformed request"))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return await http_error(request, HTTPException(503, str(exc)))

    app.state.jobs = jobs  # for tests and the load test: the queue behind the form
    return app
