"""Names translated as words: the gloss index, and the detector on sentences we wrote, with
hand-made slots (no model) and through the parse and the entities stage (model)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from presslens.language.glosses import build_gloss_index, gloss_key, name_glosses
from presslens.stages.entities.glosses import (
    GlossIndex,
    GlossSettings,
    LiteralName,
    Slot,
    literal_names,
    text_words,
)

# Own fixture rows in the format of data/glosses/*.tsv (names as in the KB).
ROWS = [
    {"name": "Mansur Yavaş", "type": "PERSON", "country": "Turkey", "language": "tr",
     "part": "Yavaş", "glosses": "slow"},
    {"name": "Özgür Özel", "type": "PERSON", "country": "Turkey", "language": "tr",
     "part": "Özgür", "glosses": "free"},
    {"name": "Özgür Özel", "type": "PERSON", "country": "Turkey", "language": "tr",
     "part": "Özel", "glosses": "special|private"},
    {"name": "Ömer Çelik", "type": "PERSON", "country": "Turkey", "language": "tr",
     "part": "Çelik", "glosses": "steel"},
    {"name": "Masoud Pezeshkian", "type": "PERSON", "country": "Iran", "language": "fa",
     "part": "Pezeshkian", "glosses": "doctor|doctors|the physician"},
    {"name": "Mohammed bin Salman", "type": "PERSON", "country": "Saudi Arabia",
     "language": "ar", "part": "bin", "glosses": "son of"},
    {"name": "Tianjin", "type": "GPE", "country": "China", "language": "zh",
     "part": "Tianjin", "glosses": "heaven's ford|heavenly ford"},
    {"name": "Eskişehir", "type": "GPE", "country": "Turkey", "language": "tr",
     "part": "Eskişehir", "glosses": "old city"},
    {"name": "São Paulo", "type": "GPE", "country": "Brazil", "language": "pt",
     "part": "São Paulo", "glosses": "saint paul"},
    {"name": "Ülken", "type": "GPE", "country": "Kazakhstan", "language": "kk",
     "part": "Ülken", "glosses": "big"},
]
SETTINGS = GlossSettings(run_confidence=0.85, slot_confidence=0.7, place_confidence=0.8,
                         place_slot_confidence=0.6, subject_share=0.15)


def index() -> GlossIndex:
    return GlossIndex(build_gloss_index(ROWS))


def find(text: str, *, shares: Mapping[str, float] | None = None,
         slots: Mapping[str, Slot] | None = None,
         known: Mapping[str, list[tuple[str, str]]] | None = None) -> list[LiteralName]:
    """The detector with slots given by surface text (no parse)."""
    def slot_of(start: int, end: int) -> Slot:
        return (slots or {}).get(text[start:end], Slot())

    def known_as(phrase: str) -> Iterable[tuple[str, str]]:
        return (known or {}).get(phrase, [])

    return literal_names(text, index(), slot_of=slot_of, shares=shares or {},
                         known_as=known_as, settings=SETTINGS)


def flagged(found: list[LiteralName]) -> list[tuple[str, str, str]]:
    return [(f.text, f.kind, f.gloss.name) for f in found]


SPEAKER = Slot(speaker=True, subject=True, bare=True)
SUBJECT = Slot(subject=True, bare=True)


def test_glosses_index_folds_and_drops_the_article() -> None:
    built = build_gloss_index(ROWS)
    assert [g.name for g in built["physician"]] == ["Masoud Pezeshkian"]
    assert "heaven s ford" in built
    assert gloss_key("The Heaven's Ford") == "heaven s ford"
    assert {g.part for g in built["special"]} == {"Özel"}


def test_glosses_loader_reads_the_packaged_files() -> None:
    glosses = name_glosses()
    assert isinstance(glosses, dict)
    assert all(k == gloss_key(k) and not k.startswith("the ") for k in glosses)


def test_glosses_text_words_split_like_fold() -> None:
    words = text_words("Heaven's Ford, Near-Dniester\nthen")
    assert [w.key for w in words] == ["heaven", "s", "ford", "near", "dniester", "then"]
    assert [w.joined for w in words] == [False, True, True, False, True, False]


@pytest.mark.parametrize("text, shares, expected", [
    # a part written as it is beside a glossed one: in an article about the country
    ("In the capital, Mansur Slow won a second term.", {"Turkey": 0.3},
     [("Mansur Slow", "literal-name", "Mansur Yavaş")]),
    ("In Ohio, Mansur Slow won a second term.", {"United States": 1.0}, []),
    # glosses alone: only in an article that names the person's country
    ("Free Special: the nation has changed.", {"Turkey": 0.6},
     [("Free Special", "literal-name", "Özgür Özel")]),
    ("Free Special offers end on Friday.", {"United States": 1.0}, []),
    # a gloss written in lower case ends no name; a gloss of a name word is no evidence
    ("Mansur slow growth was expected.", {"Turkey": 0.6}, []),
    ("Prince Mohammed son of Salman received the guests.", {},
     [("Mohammed son of Salman", "literal-name", "Mohammed bin Salman")]),
])
def test_glosses_runs_of_name_words(text: str, shares: dict[str, float],
                                    expected: list[tuple[str, str, str]]) -> None:
    assert flagged(find(text, shares=shares)) == expected


def test_glosses_no_run_of_a_part_beside_its_own_gloss() -> None:
    rows = [{"name": "Jiang Zemin", "type": "PERSON", "country": "China", "language": "zh",
             "part": "Jiang", "glosses": "river"}]
    idx = GlossIndex(build_gloss_index(rows))
    text = "Boats sailed down the Jiang River near the city."
    assert literal_names(text, idx, slot_of=lambda a, b: Slot(), shares={"China": 1.0},
                         known_as=lambda p: [], settings=SETTINGS) == []


def test_glosses_run_with_a_word_of_a_kb_alias() -> None:
    rows = [{"name": "Penny Wong", "type": "PERSON", "country": "Australia", "language": "zh",
             "part": "Wong", "glosses": "yellow"}]
    text = "Foreign Minister Yellow Yingxian told reporters that the talks went well."
    for names, expected in [({("Penny Wong", "Australia"): ["Huang Yingxian"]},
                             ["Yellow Yingxian"]), ({}, [])]:
        idx = GlossIndex(build_gloss_index(rows), names)
        found = literal_names(text, idx, slot_of=lambda a, b: Slot(),
                              shares={"Australia": 0.5}, known_as=lambda p: [],
                              settings=SETTINGS)
        assert [f.text for f in found] == expected


def test_glosses_lone_gloss_in_a_speaker_slot_of_a_named_person() -> None:
    text = "AK Party spokesman Ömer Çelik spoke on Monday. Steel said the party would meet."
    assert flagged(find(text, slots={"Steel": SPEAKER})) == [
        ("Steel", "literal-name", "Ömer Çelik")]
    # a subject of another verb: the person is named, so it still reads as the name
    assert flagged(find(text, slots={"Steel": SUBJECT})) == [
        ("Steel", "literal-name", "Ömer Çelik")]


@pytest.mark.parametrize("text, shares, slots", [
    # native English: a compound ("Steel prices"), not a subject
    ("Steel prices rose on Monday after Ömer Çelik spoke.", {"Turkey": 0.5},
     {"Steel": Slot(bare=False)}),
    # a speaker, but neither the person nor their country is in the article
    ("The hospital reopened, the doctors said.", {"United States": 1.0},
     {"doctors": SPEAKER}),
    # a subject of another verb, the person not named and no apposition
    ("The doctors treated the wounded in Tehran.", {"Iran": 1.0}, {"doctors": SUBJECT}),
    # a bare lower-case noun without "the" is a common noun
    ("Tehran hospitals said doctors said nothing.", {"Iran": 1.0}, {"doctors": SPEAKER}),
])
def test_glosses_no_lone_gloss_flag(text: str, shares: dict[str, float],
                                    slots: dict[str, Slot]) -> None:
    assert find(text, shares=shares, slots=slots) == []


def test_glosses_lone_gloss_needs_the_person_named() -> None:
    text = "After the talks in Tehran, the doctors stated that a new chapter had opened."
    # a speaker in an article about Iran, but Pezeshkian is not named: ordinary doctors
    assert find(text, shares={"Iran": 0.5}, slots={"doctors": SPEAKER}) == []
    named = text + " Masoud Pezeshkian flew home."
    found = find(named, shares={"Iran": 0.5}, slots={"doctors": SPEAKER})
    assert flagged(found) == [("doctors", "literal-name", "Masoud Pezeshkian")]
    assert "Persian" in found[0].reason and found[0].confidence == 0.7


def test_glosses_lone_gloss_not_a_noun_the_article_uses() -> None:
    text = ("Masoud Pezeshkian visited a hospital where two doctors work. Later the doctors "
            "said that the wounded were well.")
    assert find(text, shares={"Iran": 0.9}, slots={"doctors": SPEAKER}) == []


def test_glosses_lone_gloss_that_is_a_people() -> None:
    rows = [{"name": "Mohammed Shia al-Sudani", "type": "PERSON", "country": "Iraq",
             "language": "ar", "part": "al-Sudani", "glosses": "the sudanese"}]
    idx = GlossIndex(build_gloss_index(rows))

    def run(text: str) -> list[str]:
        return [f.gloss.name for f in literal_names(
            text, idx, slot_of=lambda a, b: SPEAKER, shares={"Iraq": 0.8},
            known_as=lambda p: [], settings=SETTINGS)]

    named = "Prime Minister Mohammed Shia al-Sudani met the guests. "
    assert run(named + "The Sudanese said the talks went well.") == ["Mohammed Shia al-Sudani"]
    # where the text names Sudan, the Sudanese are its people
    assert run(named + "Refugees from Sudan arrived. The Sudanese said they were tired.") == []


def test_glosses_lone_gloss_only_of_the_family_name() -> None:
    rows = [*ROWS, {"name": "Dong Jun", "type": "PERSON", "country": "China", "language": "zh",
                    "part": "Jun", "glosses": "army|military"},
            {"name": "Lin Jian", "type": "PERSON", "country": "China", "language": "zh",
             "part": "Lin", "glosses": "forest"},
            {"name": "Hua Chunying", "type": "PERSON", "country": "China", "language": "zh",
             "part": "Hua", "glosses": "china"}]
    idx = GlossIndex(build_gloss_index(rows))

    def run(text: str, slots: dict[str, Slot], known: dict[str, list[tuple[str, str]]]
            ) -> list[tuple[str, str, str]]:
        return flagged(literal_names(
            text, idx, slot_of=lambda a, b: slots.get(text[a:b], Slot()),
            shares={"China": 0.9}, known_as=lambda p: known.get(p, []), settings=SETTINGS))

    # a Chinese given name is never used alone: "the army" is the army
    assert run("Dong Jun met the envoy. The army said it was ready.",
               {"army": SPEAKER}, {}) == []
    # the family name is (first in a Chinese name)
    assert run("Lin Jian spoke first. Later, Forest said the talks went well.",
               {"Forest": SPEAKER}, {}) == [("Forest", "literal-name", "Lin Jian")]
    # a phrase the KB knows as a name of anything is that
    assert run("Hua Chunying spoke. China said the talks went well.",
               {"China": SPEAKER}, {"China": [("GPE", "China")]}) == []


@pytest.mark.parametrize("name, language, part, expected", [
    ("Ömer Çelik", "tr", "Çelik", True),
    ("Ömer Çelik", "tr", "Ömer", False),
    ("Dong Jun", "zh", "Dong", True),
    ("Dong Jun", "zh", "Jun", False),
    ("Penny Wong", "zh", "Wong", True),  # written in the English order
])
def test_glosses_family_name(name: str, language: str, part: str, expected: bool) -> None:
    from presslens.language.glosses import NameGloss
    from presslens.stages.entities.glosses import is_family_name

    assert is_family_name(NameGloss(name, "PERSON", "X", language, part)) is expected


def test_glosses_named_means_the_family_name_with_a_capital() -> None:
    rows = [{"name": "Ahn Gyu-back", "type": "PERSON", "country": "South Korea",
             "language": "ko", "part": "Ahn", "glosses": "inside"}]
    idx = GlossIndex(build_gloss_index(rows))
    text = "The fish came back. The inside was black."
    found = literal_names(text, idx, slot_of=lambda a, b: SUBJECT, shares={},
                          known_as=lambda p: [], settings=SETTINGS)
    assert found == []


def test_glosses_run_of_glosses_alone_needs_a_name_slot() -> None:
    rows = [*ROWS, {"name": "Lin Jian", "type": "PERSON", "country": "China", "language": "zh",
                    "part": "Lin", "glosses": "forest"},
            {"name": "Lin Jian", "type": "PERSON", "country": "China", "language": "zh",
             "part": "Jian", "glosses": "sword"}]
    idx = GlossIndex(build_gloss_index(rows))
    text = "At the press conference, Forest Sword said that the talks went well."
    for slots, shares, expected in [
            ({"Forest Sword": SPEAKER}, {"China": 0.5}, ["Forest Sword"]),
            ({"Forest Sword": SPEAKER}, {"Peru": 1.0}, []),
            ({}, {"China": 0.5}, [])]:
        found = literal_names(text, idx, slot_of=lambda a, b, s=slots: s.get(text[a:b], Slot()),
                              shares=shares, known_as=lambda p: [], settings=SETTINGS)
        assert [f.text for f in found] == expected


def test_glosses_subject_with_an_apposition_in_an_article_about_the_country() -> None:
    text = "The physician, the new president, came to Tehran."
    slots = {"physician": Slot(subject=True, apposition=True, bare=True)}
    assert flagged(find(text, shares={"Iran": 0.6}, slots=slots)) == [
        ("physician", "literal-name", "Masoud Pezeshkian")]
    assert find(text, shares={"Iran": 0.05, "France": 0.95}, slots=slots) == []


@pytest.mark.parametrize("text, shares, expected", [
    ("The expo opened in Heaven's Ford on Monday.", {"China": 0.4},
     [("Heaven's Ford", "literal-place", "Tianjin")]),
    ("The expo opened in Heaven's Ford on Monday.", {"United States": 1.0}, []),
    # an article about Jerusalem: Turkey is not among its countries
    ("Pilgrims filled the Old City on Friday.", {"Israel": 0.8, "Palestine": 0.2}, []),
    # a title qualified by another place, even where the country is named
    ("Turkish visitors toured the Old City of Jerusalem.", {"Turkey": 0.5, "Israel": 0.5},
     []),
    ("Turkish visitors toured Jerusalem's Old City.", {"Turkey": 0.5, "Israel": 0.5}, []),
    ("In the Old City the mayor was elected.", {"Turkey": 0.9},
     [("Old City", "literal-place", "Eskişehir")]),
    # inside a longer name; a capital that opens the sentence is no part of the name
    ("Tourists met at the Grand Heaven's Ford on Monday.", {"China": 0.4}, []),
    ("In Heaven's Ford the expo opened.", {"China": 0.4},
     [("Heaven's Ford", "literal-place", "Tianjin")]),
    ("He went to Heaven's Ford. The Heaven's Ford Eco-City opened.", {"China": 0.4},
     [("Heaven's Ford", "literal-place", "Tianjin")] * 2),
    # written in lower case: a common phrase
    ("They walked around the old city of Bursa.", {"Turkey": 0.9}, []),
    # a one-word gloss only where a place name goes
    ("The plant will be built near the village of Big on the lake.", {"Kazakhstan": 0.5},
     [("Big", "literal-place", "Ülken")]),
    ("It was a Big win for the village of Astana.", {"Kazakhstan": 0.5}, []),
])
def test_glosses_places(text: str, shares: dict[str, float],
                        expected: list[tuple[str, str, str]]) -> None:
    assert flagged(find(text, shares=shares)) == expected


def test_glosses_no_place_gloss_where_the_place_is_named() -> None:
    # a translation renders a place one way throughout: beside "Tianjin", "Heaven's Ford"
    # is something else
    idx = GlossIndex(build_gloss_index(ROWS), {("Tianjin", "China"): ["Tientsin"]})
    for text, expected in [("Ships left Heaven's Ford for Tianjin.", []),
                           ("Ships left Heaven's Ford for Tientsin.", []),
                           ("Ships left Heaven's Ford for Dalian.", ["Heaven's Ford"])]:
        found = literal_names(text, idx, slot_of=lambda a, b: Slot(), shares={"China": 1.0},
                              known_as=lambda p: [], settings=SETTINGS)
        assert [f.text for f in found] == expected


def test_glosses_place_named_inside_its_own_gloss() -> None:
    rows = [{"name": "Şanlıurfa", "type": "GPE", "country": "Turkey", "language": "tr",
             "part": "Şanlıurfa", "glosses": "glorious urfa"}]
    idx = GlossIndex(build_gloss_index(rows), {("Şanlıurfa", "Turkey"): ["Urfa"]})

    def run(text: str, people: tuple[str, ...] = ()) -> list[str]:
        return [f.text for f in literal_names(
            text, idx, slot_of=lambda a, b: Slot(), shares={"Turkey": 1.0},
            known_as=lambda p: [], settings=SETTINGS, people=people)]

    assert run("The party won Glorious Urfa and Yozgat.") == ["Glorious Urfa"]
    assert run("The party won Glorious Urfa. Urfa voted early.") == []
    # a phrase the article reads as a person's name is no place
    assert run("The party won Glorious Urfa.", people=("Glorious Urfa",)) == []


def test_glosses_no_flag_for_a_name_the_kb_knows() -> None:
    text = "The governor flew to Saint Paul on Monday."
    known = {"Saint Paul": [("GPE", "United States")]}
    assert find(text, shares={"United States": 0.7, "Brazil": 0.3}, known=known) == []
    assert flagged(find(text, shares={"Brazil": 0.8}, known=known)) == [
        ("Saint Paul", "literal-place", "São Paulo")]


def test_glosses_finding_carries_the_kb_name() -> None:
    (lit,) = find("In the capital, Mansur Slow won a second term.", shares={"Turkey": 0.3})
    f = lit.finding(3)
    assert (f.kind, f.suggestion, f.mention) == ("literal-name", "Mansur Yavaş", 3)
    assert "Turkish" in f.reason and "Yavaş" in f.reason


# -- with the trained pipeline ---------------------------------------------------------------

@pytest.mark.model
def test_glosses_parse_slots(nlp) -> None:  # type: ignore[no-untyped-def]
    from presslens.stages.entities.glosses import parse_slots

    doc = nlp("Steel prices rose on Monday. Lightning said that inflation would fall.")
    slot_of = parse_slots(doc)
    steel = doc.text.index("Steel")
    assert not slot_of(steel, steel + 5).bare
    light = doc.text.index("Lightning")
    slot = slot_of(light, light + 9)
    assert slot.speaker and slot.bare
    doc = nlp("The carpet weaver, the speaker of parliament, came third. The doctors, the "
              "first to arrive, worked all night.")
    slot_of = parse_slots(doc)
    at = doc.text.index("carpet weaver")
    assert slot_of(at, at + 13).apposition
    at = doc.text.index("doctors")
    assert not slot_of(at, at + 7).apposition


@pytest.fixture()
def glossed_stage(monkeypatch: pytest.MonkeyPatch, kb):  # type: ignore[no-untyped-def]
    from presslens.config import load_config
    from presslens.stages.entities import stage as stage_module

    rows = [{"name": "Mehmet Şimşek", "type": "PERSON", "country": "Turkey", "language": "tr",
             "part": "Şimşek", "glosses": "lightning|thunderbolt"},
            {"name": "Tianjin", "type": "GPE", "country": "China", "language": "zh",
             "part": "Tianjin", "glosses": "heaven's ford"}]
    monkeypatch.setattr(stage_module, "name_glosses", lambda: build_gloss_index(rows))
    return stage_module.EntityStage(load_config(), kb)


@pytest.mark.model
def test_glosses_stage_joins_the_person_and_flags(nlp, glossed_stage) -> None:  # type: ignore[no-untyped-def]
    text = ("Turkey's finance minister Mehmet Şimşek spoke in Ankara on Monday. Lightning "
            "said that inflation in Turkey would fall next year, and Turkish banks agreed.")
    entities, flags = glossed_stage.find(nlp(text))
    person = next(e for e in entities if e.name == "Mehmet Şimşek")
    assert "Lightning" in [m.text for m in person.mentions]
    assert [(f.text, f.kind, f.suggestion, f.entity) for f in flags
            if f.kind == "literal-name"] == [("Lightning", "literal-name", "Mehmet Şimşek",
                                              person.id)]


@pytest.mark.model
def test_glosses_stage_new_entity_for_a_place(nlp, glossed_stage) -> None:  # type: ignore[no-untyped-def]
    text = ("Turkey's finance minister Mehmet Şimşek visited China on Monday. Lightning said "
            "in Heaven's Ford that Turkish and Chinese firms would trade more.")
    entities, flags = glossed_stage.find(nlp(text))
    place = next(e for e in entities if e.name == "Tianjin")
    assert [m.text for m in place.mentions] == ["Heaven's Ford"] and place.kb_id
    assert [f.suggestion for f in flags if f.kind == "literal-place"] == ["Tianjin"]


@pytest.mark.model
def test_glosses_stage_lone_place_gloss_is_no_sign_of_translation(nlp, glossed_stage) -> None:  # type: ignore[no-untyped-def]
    # an English phrase that may be a place's gloss, with nothing else translated: the
    # article keeps its entities and gets no flag
    text = ("China and Australia held talks in Beijing. The Chinese premier then opened a "
            "trade fair in Heaven's Ford, where Chinese firms showed their goods.")
    entities, flags = glossed_stage.find(nlp(text))
    assert flags == [] and "Tianjin" not in {e.name for e in entities}


@pytest.mark.model
def test_glosses_stage_no_flags_in_native_english(nlp, glossed_stage) -> None:  # type: ignore[no-untyped-def]
    text = ("Lightning struck a barn in Ohio on Monday, and the doctors said the farmer was "
            "well. Steel prices rose in Pittsburgh.")
    _, flags = glossed_stage.find(nlp(text))
    assert flags == []
