"""Stance holders from the attributions around a cue (no model needed)."""

from presslens.model import Analysis, Attribution, Entity, Span
from presslens.stages.stances import _Speakers


def said(speaker: str | None, start: int, end: int) -> Attribution:
    return Attribution(speaker=speaker, speaker_text=None, cue="said",
                       content=Span(start=start, end=end, text="x" * (end - start)))


def test_stances_speaker_is_the_first_attribution_holding_the_cue() -> None:
    people = [Entity(id=f"e{i}", name=f"P{i}", type="PERSON", kb_id=None, mentions=[])
              for i in range(4)]
    atts = [said("e1", 1000, 1100), said(None, 0, 5000), said("e2", 1050, 1060),
            said("e3", 900, 1200)] + [said("e0", 10 * i, 10 * i + 5) for i in range(90)]
    speakers = _Speakers(Analysis(text="x" * 5000, entities=people, attributions=atts))
    assert speakers.at(1055) == "e1"  # e1 comes first in the list, e2 is narrower
    assert speakers.at(950) == "e3"
    assert speakers.at(12) == "e0"
    assert speakers.at(3000) is None  # only a speaker-less attribution holds it
    assert speakers.entities["e2"].name == "P2"
