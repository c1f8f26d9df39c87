"""Measuring against gold: articles are read with the pipeline's own settings."""

from pathlib import Path

import pytest

from presslens.errors import InputTooLargeError
from presslens.evaluation import write_analyses
from presslens.pipeline import Pipeline

pytestmark = pytest.mark.model


def test_evaluation_write_analyses_reads_with_the_users_ingest_settings(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The minister said on Monday that talks would resume in Geneva. " * 3)
    small = Pipeline.from_config({"pipeline": {"stages": []}, "ingest": {"max_bytes": 100}})
    with pytest.raises(InputTooLargeError, match="over the limit of 100 bytes"):
        write_analyses(small, [article], tmp_path / "out")
    roomy = Pipeline.from_config({"pipeline": {"stages": []}, "ingest": {"max_bytes": 1000}})
    write_analyses(roomy, [article], tmp_path / "out")
    assert (tmp_path / "out" / "a.json").exists()
