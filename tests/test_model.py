import json

from presslens.model import Analysis, Attribution, Entity, Flag, Mention, Span, json_schema

CONTRACT_KEYS = {"text", "entities", "flags", "attributions", "events", "stances",
                 "techniques", "claims", "timeline", "schema_version"}


def _sample() -> Analysis:
    text = "Zilenski said that talks were possible."
    ent = Entity(id="e1", name="Volodymyr Zelensky", type="PERSON", kb_id="Q3874799",
                 mentions=[Mention(start=0, end=8, text="Zilenski")])
    return Analysis(
        text=text, entities=[ent],
        flags=[Flag(start=0, end=8, text="Zilenski", kind="variant-spelling",
                    suggestion="Volodymyr Zelensky", confidence=0.9, entity="e1")],
        attributions=[Attribution(speaker="e1", speaker_text="Zilenski", cue="said",
                                  content=Span(start=19, end=38, text=text[19:38]))],
    )


def test_model_serialises_every_contract_key() -> None:
    data = _sample().to_dict()
    assert CONTRACT_KEYS <= set(data)
    assert data["entities"][0]["mentions"][0] == {"start": 0, "end": 8, "text": "Zilenski",
                                                  "kind": "name"}
    assert data["attributions"][0]["content"]["text"] == "talks were possible"


def test_model_round_trips_through_json() -> None:
    a = _sample()
    assert Analysis.from_dict(json.loads(a.to_json())) == a


def test_model_records_are_immutable() -> None:
    a = _sample()
    try:
        a.entities[0].name = "x"  # type: ignore[misc]
    except Exception as exc:  # pydantic raises ValidationError for frozen models
        assert "frozen" in str(exc).lower()
    else:
        raise AssertionError("entity was mutable")


def test_model_schema_describes_the_contract() -> None:
    schema = json_schema()
    assert CONTRACT_KEYS <= set(schema["properties"])
    assert "Entity" in schema["$defs"]


def test_model_json_is_the_dict_dumped_byte_for_byte() -> None:
    a = _sample().with_(text="Zilenski said that talks were possible.\n\t\"é\" \\ \x1f \u2028",
                        notes=["x"])
    for indent in (2, 4, None):
        assert a.to_json(indent=indent) == json.dumps(a.to_dict(), ensure_ascii=False,
                                                      indent=indent)
