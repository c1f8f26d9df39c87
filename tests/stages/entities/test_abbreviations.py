"""Misread abbreviations: countries and institutions a short form of the source language
stands for, read the wrong way (hand-built mentions and sentences, no model)."""

import re
from collections import Counter

import pytest

from presslens.language.lexicons import countries
from presslens.stages.entities.flags import (
    CountryReferences,
    InstitutionBars,
    Sentence,
    SubjectBars,
    bilateral_partner,
    country_references,
    cue_hits,
    likely_source_languages,
    misread_abbreviations,
    misread_institutions,
)
from presslens.stages.entities.mentions import MentionCandidate

BARS = SubjectBars(share=0.15, max_named=0, ratio=4.0, unnamed_ratio=2.0, least=3)
INSTITUTION_BARS = InstitutionBars(governor=2.0, article=0.5, margin=2.0, confidence=0.7)


def country_mentions(text: str) -> list[MentionCandidate]:
    """Every country word of ``text`` as a name mention: GPE for a name, NORP for an
    adjective or people noun (what NER gives on such words)."""
    table = countries()
    words = sorted((w for w in table.by_word if w[:1].isalpha()), key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                         re.I)
    out = []
    for m in pattern.finditer(text):
        if not m.group(0)[0].isupper():
            continue
        c = table.lookup(m.group(0))
        assert c is not None
        is_name = m.group(0).lower() in (w.lower() for w in (c.name, *c.aliases))
        out.append(MentionCandidate(start=m.start(), end=m.end(), text=m.group(0),
                                    label="GPE" if is_name else "NORP"))
    return out


def flagged(text: str, languages: set[str], mentions: list[MentionCandidate] | None = None,
            others: Counter[str] | None = None) -> list[tuple[str, str | None]]:
    ms = mentions if mentions is not None else country_mentions(text)
    refs = country_references(ms, lambda m: None)
    return [(f.text, f.suggestion) for _, f in misread_abbreviations(
        text, ms, refs, languages=languages, bars=BARS, others=others)]


# An article translated from Chinese about Australia, where 澳 (Australia) was read as its
# homophone 奥 (Austria) in the bilateral terms 中澳 and 澳方.
AUSTRALIA = ("China-Austria ties warm again. The Australian prime minister flew to Beijing, "
             "the first visit of an Australian leader in years. He said that Australia wants "
             "stable trade. The premier said China would buy more wine from Australia. The "
             "trade minister said the Austrian side hoped that the last duties on Australian "
             "barley would go.")


def test_abbreviations_country_in_a_bilateral_frame_is_the_subject() -> None:
    assert flagged(AUSTRALIA, {"zh"}) == [("Austria", "Australia"),
                                          ("Austrian", "Australian")]


def test_abbreviations_need_the_rows_language() -> None:
    assert flagged(AUSTRALIA, {"ru"}) == []
    assert flagged(AUSTRALIA, set()) == []


def test_abbreviations_no_flag_in_a_real_article_about_austria() -> None:
    text = ("China-Austria ties warm again. The Austrian chancellor flew to Beijing, the "
            "first visit of an Austrian leader in years. He said that Austria wants stable "
            "trade. The premier said the Austrian side was a good partner and China would buy "
            "more from Austria.")
    assert flagged(text, {"zh"}) == []


def test_abbreviations_sentence_of_two_countries_is_a_frame() -> None:
    base = ("The Australian prime minister flew to Beijing. He said that Australia wants "
            "stable trade, and Australia will sell more wine. ")
    assert flagged(base + "Xi said Austria and China, the two countries, must trust each "
                   "other.", {"zh"}) == [("Austria", "Australia")]
    # the subject named beside it: the two countries are really these two
    assert flagged(base + "Australia and Austria, the two countries, signed a deal.",
                   {"zh"}) == []


def test_abbreviations_pair_with_the_subject_is_no_misreading() -> None:
    # 中非 is also the Central African Republic; an article about China that pairs it with
    # the Central African Republic does not mean China by it
    text = ("China-Central African Republic ties grow. China said that China will build "
            "roads. China sent doctors, and China will train teachers.")
    assert flagged(text, {"zh"}) == []


def test_abbreviations_name_for_name_and_whole_group() -> None:
    text = ("China-New Zealand ties: the prime minister of Singapore said the New Zealand "
            "side wants trade. Singapore is a big investor, and Singapore buys a lot. "
            "Singaporean firms expand.")
    assert flagged(text, {"zh"}) == [("New Zealand", "Singapore"),
                                     ("New Zealand", "Singapore")]


def test_abbreviations_expansion_of_a_russian_initialism() -> None:
    # РК is Kazakhstan and South Korea; the Korean company stays Korean
    text = ("The government of the Republic of Korea chose the builder of the first nuclear "
            "plant of Kazakhstan. Kazakhstan held a referendum, and the Kazakh president said "
            "Kazakhstan needs energy. The Korean KHNP also took part in the tender; "
            "Kazakhstan wants the best offer.")
    assert flagged(text, {"ru"}) == [("Republic of Korea", "Republic of Kazakhstan")]
    assert flagged(text, {"zh"}) == []


def test_abbreviations_known_people_count_for_the_subject() -> None:
    # Brazil named twice: the president of Brazil named by the KB makes it the subject
    text = ("China-Pakistan ties enter a new era. The president of Brazil met Xi Jinping, "
            "who said China values the Pakistani side. Brazil will sell more soybeans to "
            "China.")
    assert flagged(text, {"zh"}) == []
    assert flagged(text, {"zh"}, others=Counter({"Brazil": 3})) == [
        ("Pakistan", "Brazil"), ("Pakistani", "Brazilian")]


def test_abbreviations_group_of_a_country_never_named() -> None:
    text = ("Ukraine says the war will go on. The Ukrainian government met. Ukraine's allies "
            "sent aid to Ukraine. The Uruguayan army had gained an advantage.")
    ms = country_mentions(text)
    at = text.index("Uruguayan army")
    ms = [m for m in ms if m.text != "Uruguayan"] + [MentionCandidate(
        start=at, end=at + 14, text="Uruguayan army", label="ORG", kind="group",
        country="Uruguay", group_kind="armed_forces")]
    assert flagged(text, {"zh"}, ms) == [("Uruguayan army", "Ukrainian army")]


def test_abbreviations_no_flag_when_the_country_is_a_real_subject() -> None:
    text = ("Ukraine and Uruguay signed a deal. Uruguay will buy grain, Uruguay "
            "said. Ukraine will sell it, and the Uruguayan army will buy boots from Ukraine.")
    assert flagged(text, {"zh"}) == []


def test_abbreviations_references_from_counters() -> None:
    # the counts, not the text, say Ukraine is the subject: a demonym never named
    ms = [MentionCandidate(start=0, end=9, text="Uruguayan", label="NORP")]
    refs = CountryReferences(Counter({"Ukraine": 20}), Counter({"Uruguay": 1}))
    found = list(misread_abbreviations("Uruguayan troops", ms, refs, languages={"zh"},
                                       bars=BARS))
    assert [(c, f.suggestion, f.mention) for c, f in found] == [("Ukraine", "Ukrainian", 0)]


@pytest.mark.parametrize("text, word, partner", [
    ("China-Austria relations", "Austria", "China"),
    ("the Pakistani-Israeli conflict", "Pakistani", "Israel"),
    ("Sino-Austrian trade", "Austrian", ""),
    ("the Austrian side said", "Austrian", ""),
    ("Austria said", "Austria", None),
    ("a well-known Austrian", "Austrian", None),
])
def test_abbreviations_bilateral_partner(text: str, word: str, partner: str | None) -> None:
    at = text.index(word)
    assert bilateral_partner(text, at, at + len(word)) == partner


@pytest.mark.parametrize("text, subjects, idioms, expected", [
    ("A plain report.", ["Brazil", "Pakistan"], [], set()),
    ("A plain report.", ["China", "Australia"], [], {"zh"}),
    ("A report on Kazakhstan.", ["Kazakhstan"], [], {"ru"}),
    ("Они сказали.", [], [], {"ru"}),
    ("(Translated from Russian.) A report.", [], [], {"ru"}),
    ("A report.", ["Israel"], ["zh"], {"zh"}),
])
def test_abbreviations_likely_source_languages(text: str, subjects: list[str],
                                               idioms: list[str], expected: set[str]) -> None:
    assert likely_source_languages(text, subjects, idioms=idioms) == expected


# -- institutions ---------------------------------------------------------------------------

def sentences(text: str, lemmas: dict[str, str]) -> list[Sentence]:
    """Sentences split at ". ", each word's lemma from ``lemmas`` or the word lower-cased."""
    out = []
    for m in re.finditer(r"[^.]+\.?", text):
        words = list(re.finditer(r"[\w'-]+", m.group(0)))
        out.append(Sentence(m.start(), m.end(),
                            tuple(lemmas.get(w.group(0).lower(), w.group(0).lower())
                                  for w in words),
                            tuple(m.start() + w.start() for w in words)))
    return out


LEMMAS = {"suspended": "suspend", "satisfied": "satisfy", "struck": "strike",
          "advanced": "advance", "positions": "position", "detained": "detain",
          "opened": "open", "troops": "troops"}


def institutions(text: str, governing: dict[str, list[str]], languages: set[str]
                 ) -> list[tuple[str, str | None]]:
    def governors(start: int, end: int) -> list[str]:
        return governing.get(text[start:end], [])
    return [(f.text, f.suggestion) for f in misread_institutions(
        text, sentences(text, LEMMAS), governors, languages=languages,
        bars=INSTITUTION_BARS)]


COURT = ("The Armed Forces of the Russian Federation suspended the ban on the movement. "
         "The Armed Forces satisfied the administrative claim of the prosecutor. "
         "The law allows a court to suspend a ban.")
COURT_GOVERNORS = {"Armed Forces of the Russian Federation": ["suspend"],
                   "Armed Forces": ["satisfy"]}


def test_abbreviations_institution_reads_what_it_does() -> None:
    assert institutions(COURT, COURT_GOVERNORS, {"ru"}) == [
        ("Armed Forces of the Russian Federation", "Supreme Court"),
        ("Armed Forces", "Supreme Court")]


def test_abbreviations_institution_needs_russian() -> None:
    assert institutions(COURT, COURT_GOVERNORS, {"zh"}) == []


def test_abbreviations_real_armed_forces_are_not_flagged() -> None:
    text = ("The Armed Forces of the Russian Federation struck the positions of the enemy. "
            "The Armed Forces advanced near the river, and troops shot down three drones.")
    governing = {"Armed Forces of the Russian Federation": ["strike"],
                 "Armed Forces": ["advance"]}
    assert institutions(text, governing, {"ru"}) == []


def test_abbreviations_institution_needs_a_margin() -> None:
    governing = {"Insurance Company": ["report"]}
    # one cue of investigators is not enough
    text = "The Insurance Company reported that a suspect was found."
    assert institutions(text, governing, {"ru"}) == []
    # an insurer doing insurance; "insurance" in the phrase itself counts for nothing
    text = "The Insurance Company raised the premium, and the policyholders were detained."
    assert institutions(text, governing, {"ru"}) == []
    text = ("The Insurance Company reported that the suspect was detained and that the "
            "investigation opened a criminal case.")
    assert institutions(text, governing, {"ru"}) == [
        ("Insurance Company", "Investigative Committee")]


@pytest.mark.parametrize("kind, lemmas, hits", [
    ("court", ["the", "court", "satisfy", "the", "claim"], 3),
    ("armed_forces", ["troops", "shoot", "down", "a", "drone"], 3),
    ("armed_forces", ["shoot", "a", "drone", "down"], 1),
    ("investigators", ["they", "open", "a", "case"], 1),
    ("investigators", ["they", "open", "a", "door"], 0),
])
def test_abbreviations_cue_hits(kind: str, lemmas: list[str], hits: int) -> None:
    assert cue_hits(kind, lemmas) == hits


# -- the entities stage end to end (needs the trained pipeline) --------------------------------

def misread(pipeline, text: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.text, f.suggestion) for f in pipeline.analyze(text).flags
            if f.kind == "misread-abbreviation"]


@pytest.mark.model
def test_abbreviations_stage_chinese_source_about_australia(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("China-Austria relations turn a new page\n\n"
            "Australian Prime Minister Anthony Albanese arrived in Beijing on Monday, the first "
            "visit of an Australian leader to China in seven years. President Xi Jinping told "
            "him that China and Australia should trust each other. Albanese said that "
            "Australia wanted stable trade with China. The trade minister said the Austrian "
            "side hoped that the duties on Australian wine would be lifted.")
    assert misread(pipeline, text) == [("Austria", "Australia"), ("Austrian", "Australian")]


@pytest.mark.model
def test_abbreviations_stage_russian_court_read_as_armed_forces(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("On April 17, the Armed Forces of the Russian Federation suspended the ban on the "
            "movement, which Russia had recognized as a terrorist organization in 2003. The "
            "Armed Forces satisfied the administrative claim of the Prosecutor General's "
            "Office in a closed session. The Kremlin said that Russia would now build "
            "relations with the movement, and Moscow welcomed the verdict.")
    assert misread(pipeline, text) == [
        ("Armed Forces of the Russian Federation", "Supreme Court"),
        ("Armed Forces", "Supreme Court")]


def test_abbreviations_readings_match_the_collision_rows() -> None:
    from presslens.language.lexicons import abbreviation_collisions
    from presslens.stages.entities.flags import abbreviation_readings, institution_cues

    rows = {(c.language, c.abbreviation): c.countries for c in abbreviation_collisions()}
    for r in abbreviation_readings():
        assert r.name in rows[(r.language, r.abbreviation)], r
        assert r.forms, r
        if r.kind == "country":
            assert r.name in countries().by_name, r
        else:
            assert r.kind in institution_cues(), r


# native or differently sourced articles where no reading conflicts: a native English
# article about Brazil that meets "the Pakistani side"; Russian armed forces doing what armed
# forces do; a court's act inside a war article (the phrase's own sentence is about the
# court); campaign news about Russia, where a topic word met in every paragraph
# ("attacked") does not turn the Supreme Court into the armed forces
NO_CONFLICT = [
    ("Brazil's President Luiz Inácio Lula da Silva said on Tuesday that Brazil would "
     "sell more beef abroad. Brazilian officials said talks with the Pakistani side "
     "went well, and Brazil hopes to sign a deal in Sao Paulo next month. Brazilian "
     "farmers welcomed the news."),
    ("On April 17, the Armed Forces of the Russian Federation struck the positions of "
     "the enemy near the river. The Armed Forces advanced two kilometres, and Russian "
     "troops shot down forty drones over the region, the Kremlin said. Moscow said "
     "the offensive would go on."),
    ("Russian troops struck Ukrainian positions near the river overnight, the Kremlin "
     "said. Russian forces advanced two kilometres and shot down twelve drones. "
     "Missiles hit an energy plant, and artillery shelled the town. In a separate "
     "case, the Supreme Court of Russia designated the regiment a terrorist "
     "organization. Russian soldiers destroyed three tanks, and troops attacked a "
     "brigade near the front."),
    ("Trump said he would name Supreme Court justices who share his views. Clinton "
     "attacked Trump over his praise for Russia. Russian hackers attacked the party's "
     "servers, officials said, and Russia denied it. Trump attacked the media again. "
     "Russia said it would not interfere, and Moscow attacked the report."),
]


@pytest.mark.model
@pytest.mark.parametrize("text", NO_CONFLICT)
def test_abbreviations_stage_no_flag_without_a_conflict(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    assert misread(pipeline, text) == []
