"""The ``presslens`` command: parses arguments, calls the library, reports errors in one line.

No logic lives here: reading articles is ``ingest``, analysing is ``pipeline``, rendering is
``report``, the knowledge base is ``kb``. Results go to stdout or ``--out``; progress and
diagnostics go to stderr.
"""

from __future__ import annotations

import copy
import json
import os
import shlex
import socket
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import click

from presslens import __version__
from presslens.config import Config
from presslens.errors import PresslensError
from presslens.ingest import InputFiles, ReadOptions, SkippedFile, expand_inputs
from presslens.model import Analysis, json_schema
from presslens.runners.batch import Counts, Job

FORMATS = {"json": ".json", "html": ".html", "md": ".md"}


def render(analysis: Analysis, fmt: str, *, low_confidence: float = 0.0) -> str:
    from presslens.report.render import render_html, render_markdown

    if fmt == "json":
        return analysis.to_json()
    if fmt == "html":
        return render_html(analysis, low_confidence=low_confidence)
    return render_markdown(analysis)


@lru_cache(maxsize=1)
def umask() -> int:
    """The process umask. Linux tells it in /proc; elsewhere it is read by setting and
    restoring it, which is process-global, so ``cli`` reads it once at start-up."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)
    os.umask(old)
    return old


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a killed run never leaves half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            # mkstemp makes 0600 files; the user's file gets the mode their umask asks for
            os.fchmod(fh.fileno(), 0o666 & ~umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Reporter:
    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose

    def error(self, message: str) -> None:
        click.echo(f"presslens: error: {message}", err=True)

    def info(self, message: str) -> None:
        if self.verbose:
            click.echo(f"presslens: {message}", err=True)

    def note(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"presslens: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="presslens")
def cli() -> None:
    """presslens: who is who, what is garbled and who said what in a news article."""
    umask()  # read once, before any thread could create a file meanwhile


_TIMEOUT = click.option(
    "--timeout", type=click.FloatRange(min=0), default=None,
    help="Seconds one article may take before it is recorded as timed out and the batch "
         "goes on (default: [batch] timeout in the config; 0: no limit).")


def _jobs(files: list[Path | None], opts: ReadOptions) -> list[Job]:
    return [Job.from_stdin(opts.max_bytes) if p is None else Job.from_path(p) for p in files]


_WHY_SKIPPED = {"unsupported": "not .txt/.md/.html", "hidden": "hidden"}


def _report_skipped(report: Reporter, skipped: Sequence[SkippedFile]) -> None:
    """One line per folder with files left out; with -v, one line per file too."""
    by_folder: dict[Path, list[SkippedFile]] = {}
    for item in skipped:
        by_folder.setdefault(item.folder, []).append(item)
    for folder, items in by_folder.items():
        why = ", or ".join(_WHY_SKIPPED[r] for r in _WHY_SKIPPED
                           if any(i.reason == r for i in items))
        more = "" if report.verbose else "; -v lists them"
        report.note(f"skipped {len(items)} file(s) in {str(folder).rstrip('/')}/ "
                    f"({why}){more}")
        for item in items:
            report.info(f"skipped {item.path} ({_WHY_SKIPPED[item.reason]})")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one file per article here, named after its stem.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="json",
              show_default=True)
@click.option("--published", help="Publication date (YYYY-MM-DD) for relative dates.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="TOML file overriding the default configuration.")
@click.option("--max-bytes", type=int, default=None, help="Largest input file accepted.")
@click.option("--encoding", default=None, metavar="NAME",
              help="Encoding of the inputs (cp1252, shift_jis, ...; default: detect).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (each loads the model once).")
@_TIMEOUT
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Leave out attributions, stances, events, techniques and flags less "
                   "confident than this ([report] min_confidence).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Say what is done with each file.")
def analyze(paths: tuple[str, ...], out_dir: Path | None, fmt: str, published: str | None,
            config_path: str | None, max_bytes: int | None, encoding: str | None, workers: int,
            timeout: float | None, min_confidence: float | None, quiet: bool,
            verbose: bool) -> None:
    """Analyse articles (.txt, .md, .html, folders of them, or - for stdin)."""
    from presslens.config import load_config
    from presslens.runners.batch import BatchRunner, TerminalProgress

    report = Reporter(quiet, verbose)
    if published is not None:
        _check_date(published)
    try:
        config = load_config(config_path)
        inputs = expand_inputs(paths)
        files = list(inputs.files)
        opts = ReadOptions.from_config(config, max_bytes=max_bytes, published=published,
                                       encoding=encoding)
        jobs = _jobs(files, opts)
        runner = BatchRunner(config, opts=opts, timeout=timeout,
                             processes=workers if workers > 1 else 0)
    except PresslensError as exc:
        report.error(str(exc))
        sys.exit(exc.exit_code)
    _report_skipped(report, inputs.skipped)
    progress = TerminalProgress(len(jobs), "analysing", quiet=quiet, verbose=verbose)
    written: set[Path] = set()
    with runner:
        for outcome in runner.run(jobs, progress=progress):
            if outcome.analysis is None:
                continue
            analysis = outcome.analysis.confident(
                config.report.min_confidence if min_confidence is None else min_confidence)
            text = render(analysis, fmt, low_confidence=config.report.low_confidence)
            if out_dir is None:
                if fmt == "json" and len(jobs) > 1:
                    text = analysis.to_json(indent=None)
                click.echo(text.rstrip("\n"))
                continue
            stem = Path(analysis.source or "stdin").stem if analysis.source != "-" else "stdin"
            target = out_dir / f"{stem}{FORMATS[fmt]}"
            n = 2
            while target in written:
                target = out_dir / f"{stem}-{n}{FORMATS[fmt]}"
                n += 1
            written.add(target)
            write_atomic(target, text)
            if verbose:
                progress.say(f"{analysis.source} -> {target}")
    counts = progress.counts
    if out_dir is not None and written:
        report.note(f"wrote {len(written)} file(s) to {out_dir}")
    if len(jobs) > 1 or counts.unsuccessful:
        report.note(_summary(counts))
    if counts.unsuccessful:
        sys.exit(2)


def _summary(counts: Counts) -> str:
    parts = [f"{counts['done']} analysed"]
    for status, word in (("skipped", "skipped"), ("refused", "refused"),
                         ("failed", "failed"), ("timeout", "timed out")):
        if counts[status]:
            parts.append(f"{counts[status]} {word}")
    return ", ".join(parts)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_url", default="sqlite:///presslens.db", show_default=True,
              help="SQLAlchemy URL of the corpus (sqlite:///FILE or postgresql://...).")
@click.option("--published", help="Publication date (YYYY-MM-DD) for relative dates.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--max-bytes", type=int, default=None, help="Largest input file accepted.")
@click.option("--encoding", default=None, metavar="NAME",
              help="Encoding of the inputs (cp1252, shift_jis, ...; default: detect).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
              show_default=True, help="ray: analyse on a Ray cluster (pip extra 'ray').")
@click.option("--ray-address", default=None,
              help="Existing Ray cluster ('auto', 'ray://HOST:10001'); default starts one.")
@click.option("--ray-actors", default=2, show_default=True, type=int,
              help="Actors (each loads the model once).")
@click.option("--ray-output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("presslens-ray-out"), show_default=True,
              help="Where the analyses are written (JSON Lines, or Parquet with --parquet).")
@click.option("--parquet", is_flag=True, help="Write Parquet instead of JSON Lines.")
@_TIMEOUT
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Say what is done with each file.")
def ingest(paths: tuple[str, ...], db_url: str, published: str | None,
           config_path: str | None, max_bytes: int | None, encoding: str | None, engine: str,
           ray_address: str | None, ray_actors: int, ray_output: Path, parquet: bool,
           timeout: float | None, quiet: bool, verbose: bool) -> None:
    """Analyse articles into a corpus database; rerunning skips what is already stored."""
    from presslens.config import load_config
    from presslens.corpus.ingest import ingest_jobs
    from presslens.corpus.store import Corpus
    from presslens.runners.batch import BatchRunner, TerminalProgress

    report = Reporter(quiet, verbose)
    if published is not None:
        _check_date(published)
    try:
        config = load_config(config_path)
        inputs = expand_inputs(paths)
        opts = ReadOptions.from_config(config, max_bytes=max_bytes, published=published,
                                       encoding=encoding)
    except PresslensError as exc:
        report.error(str(exc))
        sys.exit(exc.exit_code)
    if engine == "ray":
        _ingest_ray(inputs, config, opts, db_url, timeout, ray_address, ray_actors,
                    ray_output, parquet, report)
        return
    try:
        jobs = _jobs(list(inputs.files), opts)
        corpus = Corpus(db_url, join_threshold=config.corpus.join_threshold)
        runner = BatchRunner(config, opts=opts, timeout=timeout, skip=corpus.has)
    except PresslensError as exc:
        report.error(str(exc))
        sys.exit(exc.exit_code)
    _report_skipped(report, inputs.skipped)
    progress = TerminalProgress(len(jobs), "ingesting", quiet=quiet, verbose=verbose)
    try:
        with runner:
            done = ingest_jobs(jobs, corpus, runner, progress=progress)
    except PresslensError as exc:
        report.error(str(exc))
        sys.exit(exc.exit_code)
    report.note(f"added {done.added}, skipped {done.skipped} already stored, "
                f"failed {done.failed}")
    if done.failed:
        sys.exit(2)


@cli.command()
@click.option("--db", "db_url", default="sqlite:///presslens.db", show_default=True,
              help="SQLAlchemy URL of the corpus.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="0: any free port (the one taken is printed).")
@click.option("--read-only", is_flag=True,
              help="Refuse every write (no analyse form); the database must exist.")
@click.option("--max-upload-bytes", default=None, type=int,
              help="Most bytes a form post may carry (default: [web] max_upload_bytes).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes analysing the form's articles (default: [web] workers).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="TOML file overriding the default configuration.")
@_TIMEOUT
@click.option("-v", "--verbose", is_flag=True, help="Log every request on stderr.")
def serve(db_url: str, host: str, port: int, read_only: bool, max_upload_bytes: int | None,
          workers: int | None, config_path: str | None, timeout: float | None,
          verbose: bool) -> None:
    """Serve the corpus: article list and search, article reports, entities, sources."""
    import uvicorn

    from presslens.config import load_config
    from presslens.corpus.store import redact_url
    from presslens.web.app import create_app

    try:
        config = load_config(config_path)
        if timeout is not None:
            config = replace(config, batch=replace(config.batch, timeout=float(timeout)))
        app = create_app(db_url, read_only=read_only, max_upload_bytes=max_upload_bytes,
                         workers=workers, config=config)
    except PresslensError as exc:
        click.echo(f"presslens: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    try:
        sock = _listen(host, port)
    except OSError as exc:
        click.echo(f"presslens: error: cannot listen on {host}:{port}: "
                   f"{exc.strerror or exc}", err=True)
        sys.exit(1)
    address = f"[{host}]" if ":" in host else host
    click.echo(f"presslens: serving {redact_url(db_url)} on "
               f"http://{address}:{sock.getsockname()[1]} (Ctrl-C to stop)", err=True)
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"  # diagnostics go to stderr
    server = uvicorn.Server(uvicorn.Config(app, log_level="info" if verbose else "warning",
                                           access_log=verbose, log_config=log_config))
    server.run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host and port before the server starts, so that the address
    printed is one that is listened on (and port 0 is the port the system chose)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)  # connections wait in the backlog until the server accepts them
    except OSError:
        sock.close()
        raise
    return sock


def _ingest_ray(inputs: InputFiles, config: Config, opts: ReadOptions, db_url: str,
                timeout: float | None, address: str | None, actors: int, output: Path,
                parquet: bool, report: Reporter) -> None:
    from presslens.runners.ray import ingest_with_ray

    try:
        import ray  # noqa: F401
    except ImportError:
        report.error("the ray engine needs Ray: pip install 'presslens[ray]'")
        sys.exit(4)
    try:
        files = [p for p in inputs.files if p is not None]
        _report_skipped(report, inputs.skipped)
        counts = ingest_with_ray(files, config=config, opts=opts, output=output,
                                 db_url=db_url, address=address, actors=actors,
                                 timeout=timeout,
                                 output_format="parquet" if parquet else "json")
    except PresslensError as exc:
        report.error(str(exc))
        sys.exit(exc.exit_code)
    report.note(f"ray: {counts['done']} analysed ({counts['stored']} newly stored), "
                f"{counts['failed']} failed; analyses in {output}")
    if counts["failed"]:
        sys.exit(2)


@cli.group()
def corpus() -> None:
    """Query a corpus made by `presslens ingest` (JSON lines on stdout)."""


def _open_corpus(db_url: str) -> Any:
    """The corpus for a command that only reads, opened read-only: a database that does
    not exist is refused, not created empty, and nothing is written to it."""
    from presslens.corpus.store import Corpus

    try:
        return Corpus(db_url, read_only=True)
    except PresslensError as exc:
        click.echo(f"presslens: error: {exc}", err=True)
        sys.exit(exc.exit_code)


def _emit(rows: Any) -> None:
    """One JSON line per corpus row (``presslens.corpus.rows``)."""
    for row in rows:
        click.echo(json.dumps(row.to_dict(), ensure_ascii=False, default=str))


_DB = click.option("--db", "db_url", default="sqlite:///presslens.db", show_default=True)


@corpus.command("search")
@click.argument("query")
@_DB
@click.option("--quotes", is_flag=True, help="Search quotes instead of articles.")
def corpus_search(query: str, db_url: str, quotes: bool) -> None:
    """Full-text search over articles (or quotes)."""
    store = _open_corpus(db_url)
    _emit(store.search_quotes(query) if quotes else store.search_articles(query))


@corpus.command("entity")
@click.argument("key")
@_DB
@click.option("--topic", default="", help="Only quotes about this.")
def corpus_entity(key: str, db_url: str, topic: str) -> None:
    """An entity (by KB id or corpus key): spellings, dates, quotes, stances, events."""
    store = _open_corpus(db_url)
    found = store.entity(key, topic=topic)
    if found is None:
        click.echo(f"presslens: error: no entity '{key}' in the corpus (KEY is a KB id or a "
                   f"corpus key; find a KB id with: presslens kb lookup {shlex.quote(key)})",
                   err=True)
        alike = store.entities_like(key)
        if alike:
            click.echo(f"presslens: entities in the corpus named like '{key}':", err=True)
            for e in alike:
                click.echo(f"  {e.key}\t{e.name} ({e.type}, "
                           f"{e.article_count} article(s))", err=True)
        sys.exit(2)
    _emit([found])


@corpus.command("sources")
@_DB
def corpus_sources(db_url: str) -> None:
    """Who is quoted, how often and how vaguely."""
    _emit(_open_corpus(db_url).sources())


@corpus.command("techniques")
@_DB
def corpus_techniques(db_url: str) -> None:
    """Persuasion techniques per 1,000 words, per outlet (the folder articles came from)."""
    _emit(_open_corpus(db_url).technique_rates())


@corpus.command("network")
@_DB
@click.option("--min-articles", default=2, show_default=True)
def corpus_network(db_url: str, min_articles: int) -> None:
    """Entity co-occurrence: pairs named in the same articles."""
    _emit(_open_corpus(db_url).cooccurrence(min_articles=min_articles))


@corpus.command("timeline")
@_DB
def corpus_timeline(db_url: str) -> None:
    """Dated statements and events across the corpus."""
    _emit(_open_corpus(db_url).timeline())


def _check_date(value: str) -> str | None:
    """The date normalised to YYYY-MM-DD by the library's one check (``ReadOptions``
    normalises it the same way), or a usage error."""
    from presslens.errors import InvalidDateError
    from presslens.ingest import published_date

    try:
        return published_date(value)
    except InvalidDateError:
        raise click.BadParameter(f"'{value}' is not a YYYY-MM-DD date (or another ISO 8601 "
                                 "date such as 20221121)", param_hint="--published") from None


@cli.command()
def schema() -> None:
    """Print the JSON Schema of an analysis."""
    click.echo(json.dumps(json_schema(), indent=2))


@cli.group()
def kb() -> None:
    """Look up and extend the knowledge base."""


@kb.command("lookup")
@click.argument("name")
@click.option("--limit", default=5, show_default=True)
def kb_lookup(name: str, limit: int) -> None:
    """Show the entries whose names sound like NAME."""
    from presslens.config import load_config
    from presslens.kb.bases import open_knowledge_base

    kbs = open_knowledge_base(load_config())
    found = kbs.search(name, limit=limit, min_similarity=0.5)
    if not found:
        click.echo(f"presslens: no knowledge-base entry sounds like '{name}'", err=True)
        sys.exit(1)
    for cand in found:
        e = cand.entry
        click.echo(f"{cand.similarity:.2f}\t{e.kb_id}\t{e.name}\t{e.type}\t{e.country}\t"
                   f"via {cand.alias}")


@kb.command("import")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["wikidata", "csv"]), required=True)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("presslens-kb.sqlite"), show_default=True)
def kb_import(source: Path, fmt: str, db_path: Path) -> None:
    """Import a Wikidata JSON dump (.json, .gz, .bz2) or a CSV file into an SQLite KB.

    Add the file to the config's [kb] extra list to use it when analysing."""
    from presslens.kb.bases import KnowledgeBase
    from presslens.kb.importers import read_csv, read_wikidata_dump

    try:
        store = KnowledgeBase(db_path)
        entries = read_wikidata_dump(source) if fmt == "wikidata" else read_csv(source)
        n = store.add(entries)
        store.close()
    except PresslensError as exc:
        click.echo(f"presslens: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    click.echo(f"imported {n} entities into {db_path}", err=True)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except PresslensError as exc:  # a library error that escaped a command
        click.echo(f"presslens: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("presslens: interrupted", err=True)
        sys.exit(130)
