"""Attribution stage: who said what, according to whom. Needs the parse and the entities;
adds ``attributions`` (and an inferred ``published`` date when the article had none).

``reported`` reads speech verbs and "according to" from the parse; ``quotes`` finds direct
quotations and their cues. Dates in a statement's sentence are normalised against the
publication date. Detection is pure; the stage writes its results in one step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from presslens.config import Config
from presslens.language.temporal import find_dates, infer_published
from presslens.model import Analysis, Attribution, mention_index
from presslens.registry import register_stage
from presslens.stages.attribution.quotes import find_direct_quotes, find_quote_spans
from presslens.stages.attribution.reported import find_reported

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_attributions(doc: Doc, analysis: Analysis) -> list[Attribution]:
    index = mention_index(analysis)
    dates = find_dates(analysis.text, analysis.published)
    quotes = [(q.start, q.end) for q in find_quote_spans(analysis.text)]
    reported = find_reported(doc, index, dates, quotes)
    direct = find_direct_quotes(doc, index, reported, dates)
    return sorted(reported + direct, key=lambda a: (a.content.start, a.content.end))


class AttributionStage:
    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, doc: Doc, analysis: Analysis) -> Analysis:
        if analysis.published is None:
            inferred = infer_published(analysis.text)
            if inferred is not None:
                analysis = analysis.with_(published=inferred, published_inferred=True)
        return analysis.with_(attributions=find_attributions(doc, analysis))


@register_stage("attribution", requires=("doc", "entities"),
                provides=("attributions", "published"))
def make_attribution(config: Config) -> AttributionStage:
    return AttributionStage(config)
