"""The entities stage end to end on short texts we wrote (needs the trained pipeline)."""

import pytest

pytestmark = pytest.mark.model


def by_name(analysis):  # type: ignore[no-untyped-def]
    return {e.name: e for e in analysis.entities}


def test_entities_variant_spellings_resolve_and_link(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Ukraine's president Zelensky met the army chief on Monday. Later Zilenski told "
            "reporters that the front was holding, and Zelenskei thanked the soldiers.")
    ents = by_name(pipeline.analyze(text))
    zel = ents["Volodymyr Zelensky"]
    assert zel.spellings == ["Zelensky", "Zilenski", "Zelenskei"]
    assert zel.kb_id is not None
    flagged = {f.text for f in pipeline.analyze(text).flags if f.kind == "variant-spelling"}
    assert flagged == {"Zilenski", "Zelenskei"}


def test_entities_similar_places_stay_apart(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Russian troops left Kherson in November, weeks after Ukraine retook the region "
            "around Kharkov. Both Kherson and Kharkov were shelled again on Friday.")
    a = pipeline.analyze(text)
    places = {e.name for e in a.entities if e.type == "GPE"}
    assert {"Kherson", "Kharkiv"} <= places


def test_entities_pronouns_follow_the_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Earlier, Nicolas Dupont-Aignan, a French legislator, denounced Kiev, saying that "
            "Zelensky's remarks were dangerous. He also called on France to stop its aid.")
    a = pipeline.analyze(text)
    ent = next(e for e in a.entities if "Dupont" in e.name)
    assert "He" in [m.text for m in ent.mentions if m.kind == "pronoun"]


def test_entities_group_mentions_join_their_institution(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("The Ukrainian army pushed south while the Russian army withdrew. The Ukrainian "
            "military said that Russian troops had mined the bridges.")
    a = pipeline.analyze(text)
    groups = {frozenset(m.text for m in e.mentions) for e in a.entities if e.type == "ORG"}
    assert frozenset({"Ukrainian army", "Ukrainian military"}) in groups
    assert frozenset({"Russian army", "Russian troops"}) in groups


def test_entities_misread_abbreviation_in_an_article_about_another_country(pipeline) -> None:  # type: ignore[no-untyped-def]
    # a Chinese source (乌军 "Ukrainian army" misread as Uruguayan): the row's language counts
    text = ("Translated from Chinese. "
            "Ukraine says the war will go on. Kyiv and Kharkiv were calm, and the Ukrainian "
            "government met in Kyiv. Ukraine's allies sent aid to Ukraine. The Uruguayan army had "
            "gained an advantage, and Ukrainian officials praised the Ukrainian soldiers. "
            "The Uruguayan army should recover all lost territories of Ukraine.")
    a = pipeline.analyze(text)
    misread = [f for f in a.flags if f.kind == "misread-abbreviation"]
    assert [f.text for f in misread] == ["Uruguayan army", "Uruguayan army"]
    assert all(f.suggestion == "Ukrainian army" for f in misread)


def test_entities_place_in_speaker_slot_is_the_person_it_sounds_like(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Pordoliak, an adviser to the office of the president, said that the offer was an "
            "insult. Pretoria said that nobody could ask Ukraine to surrender.")
    a = pipeline.analyze(text)
    flag = next(f for f in a.flags if f.kind == "place-as-speaker")
    assert flag.text == "Pretoria" and flag.suggestion == "Mykhailo Podolyak"
    pod = a.entity(flag.entity)
    assert pod is not None and {"Pordoliak", "Pretoria"} <= set(pod.spellings)


def test_entities_missed_mentions_are_found_from_known_spellings(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Donald Trump won the election. Tramp said that he would end the war quickly. "
            "Analysts doubt that Trump can do it.")
    a = pipeline.analyze(text)
    trump = by_name(a)["Donald Trump"]
    assert {"Tramp", "Trump"} <= set(trump.spellings)


def test_entities_org_one_word_off_is_flagged(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Fighting in Sudan continued in Khartoum. The Sudanese army shelled positions of "
            "the Rapid Reaction Forces, and Sudan's government said that Sudan would not "
            "negotiate. Sudan has been at war since April.")
    a = pipeline.analyze(text)
    flag = next(f for f in a.flags if f.kind == "garbled-name")
    assert flag.text == "Rapid Reaction Forces" and flag.suggestion == "Rapid Support Forces"


def test_entities_nothing_to_find_in_plain_prose(pipeline) -> None:  # type: ignore[no-untyped-def]
    a = pipeline.analyze("The weather was cold and the roads were empty all week long.")
    assert a.entities == [] and a.flags == []
