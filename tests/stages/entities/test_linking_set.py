"""Linking on our own linking set: mentions of ``../shared/devdata`` documents annotated by
hand with their KB entry or NIL (``tests/data/linking_set.tsv``), scored by
``scripts/link_eval.py``. Slow: it parses a few hundred documents."""


import pytest

from conftest import SHARED, load_script

pytestmark = pytest.mark.model




@pytest.mark.skipif(not (SHARED / "devdata").is_dir(), reason="../shared/devdata is absent")
def test_linking_set_precision_and_nil_accuracy() -> None:
    from presslens import Pipeline

    link_eval = load_script("link_eval")

    gold = link_eval.read_set()
    assert len(gold) >= 300
    assert sum(g.kb_id == link_eval.NIL for g in gold) >= 100  # NIL cases, and links
    assert sum(g.kb_id != link_eval.NIL for g in gold) >= 100
    pipeline = Pipeline.from_config({"pipeline": {"stages": ["entities"]}})
    scores = link_eval.scores(link_eval.evaluate(pipeline, gold))
    assert scores["precision"] >= 0.95
    assert scores["nil_accuracy"] >= 0.95
    assert scores["recall"] >= 0.85
