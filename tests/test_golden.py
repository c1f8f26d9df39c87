"""Golden-file tests: the full analysis of our own example articles, reduced to what a reader
checks (entities, flags, attributions), must match the stored expectation.

After an intended change, regenerate with ``PRESSLENS_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff of ``tests/golden/`` like code.
"""

import json
import os
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT
from presslens.ingest import read_article
from presslens.model import Analysis

pytestmark = pytest.mark.model

GOLDEN = ROOT / "tests" / "golden"
ARTICLES = ["mt_zh_iran_nuclear", "mt_ru_wagner_mutiny"]


def reduce(a: Analysis) -> dict[str, Any]:
    names = {e.id: e.name for e in a.entities}
    return {
        "entities": sorted(
            [{"name": e.name, "type": e.type, "kb_id": e.kb_id, "spellings": e.spellings,
              "mentions": len(e.mentions)} for e in a.entities if e.type in ("PERSON", "ORG")],
            key=lambda e: (e["type"], e["name"])),
        "flags": [{"text": f.text, "start": f.start, "kind": f.kind, "suggestion": f.suggestion}
                  for f in a.flags],
        "attributions": [{"speaker": names.get(x.speaker or "", x.speaker_text), "cue": x.cue,
                          "content": x.content.text} for x in a.attributions],
    }


@pytest.mark.parametrize("stem", ARTICLES)
def test_golden_example_article(pipeline, stem: str) -> None:  # type: ignore[no-untyped-def]
    article = read_article(EXAMPLES / "articles" / f"{stem}.txt")
    got = reduce(pipeline.analyze_article(article))
    path = GOLDEN / f"{stem}.json"
    if os.environ.get("PRESSLENS_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(path.read_text("utf-8"))
    assert got == expected
