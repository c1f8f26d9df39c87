"""Attribution stage: who said what, according to whom. Needs the parse and the entities;
adds ``attributions``.

``reported`` reads speech verbs and "according to" from the parse; ``quotes`` finds direct
quotations and their cues. Dates in a statement's sentence are the context's dates,
normalised against the publication date (inferred by the pipeline when the article had
none). Detection is pure; the stage writes its results in one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from presslens.config import AttributionSettings, Config
from presslens.model import Analysis, Attribution
from presslens.registry import register_stage
from presslens.stages.attribution.quotes import find_direct_quotes, find_quote_spans
from presslens.stages.attribution.reported import find_reported

if TYPE_CHECKING:
    from presslens.context import ArticleContext


def find_attributions(context: ArticleContext, analysis: Analysis, *,
                      settings: AttributionSettings) -> list[Attribution]:
    doc, index, dates = context.doc, context.mention_index(analysis), context.dates
    quotes = [(q.start, q.end) for q in find_quote_spans(analysis.text)]
    reported = find_reported(doc, index, dates, quotes, settings=settings)
    direct = find_direct_quotes(doc, index, reported, dates, settings=settings)
    return sorted(reported + direct, key=lambda a: (a.content.start, a.content.end))


class AttributionStage:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.settings = config.attribution

    def __call__(self, context: ArticleContext, analysis: Analysis) -> Analysis:
        return analysis.with_(attributions=find_attributions(context, analysis,
                                                             settings=self.settings))


@register_stage("attribution", requires=("doc", "entities"), provides=("attributions",))
def make_attribution(config: Config) -> AttributionStage:
    return AttributionStage(config)
