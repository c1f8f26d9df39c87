"""The pipeline: an article is read (``ingest``), parsed by spaCy (``nlp``), dated (its
publication date, else one inferred from the text) and handed to the stages the config
names, in order (``registry`` knows them), with one ``context.ArticleContext`` they share;
each returns the ``Analysis`` with its own fields added.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presslens.config import Config, load_config
from presslens.context import ArticleContext, publication_date
from presslens.errors import AnalysisError, ConfigError
from presslens.ingest import Article, ReadOptions, check_text, published_date
from presslens.model import Analysis
from presslens.nlp import load_model, parse, parse_many
from presslens.registry import Stage, import_plugins, pipe_problems, registered_stages

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Pipeline:
    """A loaded pipeline; reuse one for many texts (the model loads once)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        names = list(config.pipeline.stages)
        import_plugins(config.pipeline.plugins)
        problems = pipe_problems(names)
        if problems:
            raise ConfigError("; ".join(problems))
        registry = registered_stages()
        self.stage_names = names
        self.stages: list[tuple[str, Stage]] = [(n, registry[n].factory(config)) for n in names]
        self.nlp = load_model(config.nlp.model, config.nlp.model_version)
        self.seconds: defaultdict[str, float] = defaultdict(float)  # time per stage

    @classmethod
    def from_config(cls, config: str | Path | Mapping[str, Any] | Config | None = None
                    ) -> Pipeline:
        """Defaults, overridden by a TOML file or a mapping that names what it changes."""
        return cls(load_config(config))

    def article(self, text: str, *, published: str | None = None) -> Article:
        return ReadOptions.from_config(self.config, published=published).from_text(text)

    def warm_up(self) -> None:
        """Read and analyse one short text, so that what reading and the stages load on
        first use (the language identifier, the knowledge base, lexicons) is loaded now and
        not inside the first article's time."""
        try:
            self.analyze("The minister said on Monday that talks would resume in Geneva "
                         "next week, and the two delegations agreed to meet again.")
        except AnalysisError:
            pass  # a stage that fails here fails on articles too, and is reported there

    def analyze(self, text: str, *, published: str | None = None) -> Analysis:
        """Analyse one article text. ``InputError`` (a subclass naming what is wrong) for a
        text that is not a ``str`` of valid Unicode or a ``published`` that is not a real
        ISO date."""
        check_text(text)
        published_date(published)
        return self.analyze_article(self.article(text, published=published))

    def analyze_article(self, article: Article, *,
                        on_stage: Callable[[str], None] | None = None) -> Analysis:
        """Analyse one article; ``on_stage(name)`` hears of each step as it starts
        ("parse", then each stage), so a caller can say where a slow article was."""
        if on_stage is not None:
            on_stage("parse")
        started = time.perf_counter()
        doc = parse(self.nlp, article.text, max_chunk_chars=self.config.nlp.max_chunk_chars)
        self.seconds["parse"] += time.perf_counter() - started
        return self._run_stages(doc, article, on_stage)

    def analyze_many(self, texts: Iterable[str], *, published: str | None = None
                     ) -> Iterator[Analysis]:
        """Analyse many texts lazily, one result per text, in order."""
        return self.analyze_articles(self.article(t, published=published) for t in texts)

    def analyze_articles(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        for _, result in self.analyze_articles_safely(articles):
            if isinstance(result, AnalysisError):
                raise result
            yield result

    def analyze_articles_safely(self, articles: Iterable[Article]
                                ) -> Iterator[tuple[Article, Analysis | AnalysisError]]:
        """Like ``analyze_articles``, but a stage that fails on one article gives an
        ``AnalysisError`` for it and the batch goes on."""
        pending: list[Article] = []

        def texts() -> Iterator[str]:
            for art in articles:
                pending.append(art)
                yield art.text

        max_chars = self.config.nlp.max_chunk_chars
        docs = parse_many(self.nlp, texts(), max_chunk_chars=max_chars,
                          batch_size=self.config.nlp.batch_size)
        while True:
            started = time.perf_counter()
            doc = next(docs, None)
            if doc is None:
                return
            self.seconds["parse"] += time.perf_counter() - started
            article = pending.pop(0)
            try:
                yield article, self._run_stages(doc, article)
            except AnalysisError as exc:
                yield article, exc

    def _run_stages(self, doc: Doc, article: Article,
                    on_stage: Callable[[str], None] | None = None) -> Analysis:
        published, inferred = publication_date(article)
        context = ArticleContext(doc, article.text, published=published,
                                 max_days_ahead=self.config.dates.max_days_ahead)
        analysis = Analysis(text=article.text, title=article.title, published=published,
                            published_inferred=inferred, source=article.source,
                            notes=list(article.notes))
        for name, stage in self.stages:
            if on_stage is not None:
                on_stage(name)
            started = time.perf_counter()
            try:
                analysis = stage(context, analysis)
            except Exception as exc:  # a bug in one stage must not end a batch
                raise AnalysisError(article.source or "<text>", name, exc) from exc
            self.seconds[name] += time.perf_counter() - started
            analysis = analysis.with_(stages=[*analysis.stages, name])
        return analysis


_default: Pipeline | None = None


def analyze(text: str, *, published: str | None = None,
            config: str | Path | Mapping[str, Any] | None = None) -> Analysis:
    """Analyse one article text with the default pipeline (or one built from ``config``).
    Arguments are checked before any model loads (``Pipeline.analyze`` says how)."""
    global _default
    check_text(text)
    published_date(published)
    if config is not None:
        return Pipeline.from_config(config).analyze(text, published=published)
    if _default is None:
        _default = Pipeline.from_config()
    return _default.analyze(text, published=published)
