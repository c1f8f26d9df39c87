import pytest

from presslens.errors import (
    ConfigError,
    InputError,
    InvalidDateError,
    SurrogateTextError,
    TextTypeError,
)
from presslens.pipeline import Pipeline
from presslens.registry import pipe_problems, registered_stages

DEFAULT_STAGES = ["entities", "attribution", "claims", "timeline", "events", "stances",
                  "persuasion"]


def test_pipeline_default_stage_order_has_no_problems() -> None:
    from presslens.config import load_config

    assert pipe_problems(list(load_config().pipeline.stages)) == []


def test_pipeline_stages_declare_needs_and_products() -> None:
    stages = registered_stages()
    assert stages["entities"].provides == ("entities", "flags")
    assert "entities" in stages["attribution"].requires


def test_pipeline_reports_wrong_order_and_unknown_stage() -> None:
    problems = pipe_problems(["attribution", "entities", "nope"])
    assert any("attribution" in p and "entities" in p for p in problems)
    assert any("unknown stage 'nope'" in p for p in problems)
    with pytest.raises(ConfigError):
        Pipeline.from_config({"pipeline": {"stages": ["attribution"]}})


@pytest.mark.model
def test_pipeline_analyze_many_reuses_one_model(pipeline) -> None:  # type: ignore[no-untyped-def]
    texts = ["Joe Biden said that the talks would go on and that he was hopeful about them.",
             "The Kremlin spokesman Dmitry Peskov said that Moscow had not received any plan."]
    results = list(pipeline.analyze_many(texts))
    assert [r.text.strip() for r in results] == texts
    assert results[0].stages == DEFAULT_STAGES
    names = {e.name for r in results for e in r.entities}
    assert {"Joe Biden", "Dmitry Peskov"} <= names


@pytest.mark.model
def test_pipeline_offsets_index_the_text(pipeline) -> None:  # type: ignore[no-untyped-def]
    from conftest import SHARED, check_offsets

    text = (SHARED / "corpus" / "000_9229236fb15f406e.txt").read_text()
    check_offsets(pipeline.analyze(text))


@pytest.mark.model
def test_pipeline_a_failing_stage_fails_one_article_not_the_batch() -> None:
    from presslens.errors import AnalysisError
    from presslens.ingest import article_from_text
    from presslens.registry import register_stage

    class Boom:
        def __call__(self, context, analysis):  # type: ignore[no-untyped-def]
            if "boom" in analysis.text:
                raise ValueError("bad input for this stage")
            return analysis

    register_stage("test-boom", requires=("doc",), provides=())(lambda config: Boom())
    pipe = Pipeline.from_config({"pipeline": {"stages": ["entities", "test-boom"]}})
    arts = [article_from_text(t) for t in ("A calm day in Paris.", "boom goes the stage",
                                           "Another calm day in Rome.")]
    results = [r for _, r in pipe.analyze_articles_safely(arts)]
    assert isinstance(results[1], AnalysisError) and "test-boom" in str(results[1])
    assert [type(r).__name__ for r in results] == ["Analysis", "AnalysisError", "Analysis"]


BAD_ARGUMENTS = [
    ((None,), {}, TextTypeError, "must be a str, not NoneType"),
    ((b"Joe Biden said the talks would go on.",), {}, TextTypeError,
     "not bytes .*ReadOptions"),
    (("Joe Biden said \udcff the talks would go on.",), {}, SurrogateTextError,
     "lone surrogate.*U\\+DCFF at character 15"),
    (("Joe Biden said the talks would go on.",), {"published": "2022-02-30"},
     InvalidDateError, "'2022-02-30' is not a real date"),
    (("Joe Biden said the talks would go on.",), {"published": "not-a-date"},
     InvalidDateError, "'not-a-date' is not a real date"),
]


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), BAD_ARGUMENTS,
                         ids=["none", "bytes", "surrogate", "feb-30", "not-a-date"])
def test_pipeline_module_analyze_refuses_bad_arguments_before_loading(
        args: tuple[object, ...], kwargs: dict[str, object], error: type[InputError],
        message: str) -> None:
    import presslens

    with pytest.raises(error, match=message):
        presslens.analyze(*args, **kwargs)  # type: ignore[arg-type]
    assert issubclass(error, InputError)


@pytest.mark.model
@pytest.mark.parametrize(("args", "kwargs", "error", "message"), BAD_ARGUMENTS,
                         ids=["none", "bytes", "surrogate", "feb-30", "not-a-date"])
def test_pipeline_analyze_refuses_bad_arguments(  # type: ignore[no-untyped-def]
        pipeline, args: tuple[object, ...], kwargs: dict[str, object],
        error: type[InputError], message: str) -> None:
    with pytest.raises(error, match=message):
        pipeline.analyze(*args, **kwargs)


@pytest.mark.model
@pytest.mark.parametrize("published", ["2022-11-21", "20221121", "2022-W47-1"])
def test_pipeline_analyze_stores_the_date_normalised(  # type: ignore[no-untyped-def]
        pipeline, published: str) -> None:
    analysis = pipeline.analyze("Joe Biden said the talks would go on.", published=published)
    assert analysis.published == "2022-11-21"
