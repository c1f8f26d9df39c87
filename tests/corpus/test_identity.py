"""Which stored entity an article's entity is: the pure decisions of corpus.identity."""

from collections.abc import Iterator

import pytest

from presslens.corpus.identity import (
    JOIN_THRESHOLD,
    Identity,
    StoredName,
    candidate_sound,
    identify,
    own_key,
    sound_key,
)
from presslens.corpus.schema import KEY_LENGTH

KAMALWANDI = StoredName(key="nil:PERSON:kamalwandi", name="Kamalwandi", type="PERSON",
                        sound="KMRFNT")
BEHROUZ = StoredName(key="nil:PERSON:behrouz kamalvandi", name="Behrouz Kamalvandi",
                     type="PERSON", sound="KMRFNT")
ORG_KAMALVANDI = StoredName(key="nil:ORG:kamalvandi", name="Kamalvandi", type="ORG",
                            sound="KMRFNT")
OLENA = StoredName(key="nil:PERSON:olena zelenska", name="Olena Zelenska", type="PERSON",
                   sound="SRNSK")
VOLODYMYR = StoredName(key="nil:PERSON:volodymyr zelensky", name="Volodymyr Zelensky",
                       type="PERSON", sound="SRNSK")


def decide(name: str, etype: str = "PERSON", kb_id: str | None = None,
           *candidates: StoredName, threshold: float = JOIN_THRESHOLD) -> Identity:
    return identify(name, etype, kb_id, candidates, join_threshold=threshold)


@pytest.mark.parametrize(("name", "etype", "candidates"), [
    ("Zilenski", "PERSON", ()),
    ("Volodymyr Zelensky", "PERSON", (VOLODYMYR,)),  # a stored unlinked namesake
    ("Zelensky", "ORG", ()),  # the KB id decides, whatever the type
])
def test_identity_same_kb_id_is_the_same_identity(name: str, etype: str,
                                                  candidates: tuple[StoredName, ...]) -> None:
    assert decide(name, etype, "Q3874799", *candidates) == Identity("Q3874799", None)


def test_identity_kb_id_of_any_length_is_a_bounded_key() -> None:
    found = decide("Someone", "PERSON", "kb:" + "x" * 500)
    assert len(found.key) == KEY_LENGTH and found.sound is None


@pytest.mark.parametrize(("name", "candidates", "key"), [
    ("Kamalvandi", (KAMALWANDI,), "nil:PERSON:kamalwandi"),  # w/v, 0.93
    ("Behrouz Kamalvandi", (KAMALWANDI,), "nil:PERSON:kamalwandi"),
    ("Kamalwandi", (KAMALWANDI,), "nil:PERSON:kamalwandi"),  # the same name
    # today's rule: a surname alone is its full name stored (name_similarity 0.97) ...
    ("Kamalvandi", (BEHROUZ,), "nil:PERSON:behrouz kamalvandi"),
    # ... and the first stored that clears the threshold wins, not the closest
    ("Zelensky", (OLENA, VOLODYMYR), "nil:PERSON:olena zelenska"),
    ("Zelensky", (VOLODYMYR, OLENA), "nil:PERSON:volodymyr zelensky"),
])
def test_identity_close_spelling_of_the_same_type_is_the_stored_identity(
        name: str, candidates: tuple[StoredName, ...], key: str) -> None:
    assert decide(name, "PERSON", None, *candidates) == Identity(key, sound_key(name))


@pytest.mark.parametrize(("name", "etype", "candidates", "key"), [
    ("Kamalvandi", "ORG", (KAMALWANDI,), "nil:ORG:kamalvandi"),  # another type
    ("Kamalvandi", "ORG", (ORG_KAMALVANDI,), "nil:ORG:kamalvandi"),  # only people join
    ("Kamalvandi", "PERSON", (ORG_KAMALVANDI,), "nil:PERSON:kamalvandi"),
    ("Ali Kamalvandi", "PERSON", (BEHROUZ,), "nil:PERSON:ali kamalvandi"),  # another person
    ("Olena Zelenska", "PERSON", (VOLODYMYR,), "nil:PERSON:olena zelenska"),
    ("Kamal", "PERSON", (KAMALWANDI,), "nil:PERSON:kamal"),  # another sound
    ("Kamalvandi", "PERSON", (), "nil:PERSON:kamalvandi"),  # nothing stored
    ("Kamalvandi", "GPE", (), "nil:GPE:kamalvandi"),
])
def test_identity_another_type_person_or_sound_is_a_new_identity(
        name: str, etype: str, candidates: tuple[StoredName, ...], key: str) -> None:
    assert decide(name, etype, None, *candidates) == Identity(key, sound_key(name))


def test_identity_candidates_of_another_sound_are_not_joined() -> None:
    """The decision checks the type and sound of what it is given, not only the store."""
    elsewhere = StoredName(key="nil:PERSON:kamalwandi", name="Kamalwandi", type="PERSON",
                           sound="OTHER")
    assert decide("Kamalvandi", "PERSON", None, elsewhere).key == "nil:PERSON:kamalvandi"


@pytest.mark.parametrize(("threshold", "key"), [
    (JOIN_THRESHOLD, "nil:PERSON:kamalwandi"),
    (0.95, "nil:PERSON:kamalvandi"),  # stricter than their similarity (0.93)
])
def test_identity_join_threshold_is_the_callers(threshold: float, key: str) -> None:
    assert decide("Kamalvandi", "PERSON", None, KAMALWANDI, threshold=threshold).key == key


def test_identity_reads_candidates_only_as_far_as_the_first_match() -> None:
    read: list[str] = []

    def stored() -> Iterator[StoredName]:
        for candidate in (KAMALWANDI, BEHROUZ):
            read.append(candidate.key)
            yield candidate

    assert identify("Kamalvandi", "PERSON", None, stored(),
                    join_threshold=JOIN_THRESHOLD).key == KAMALWANDI.key
    assert read == [KAMALWANDI.key]


@pytest.mark.parametrize(("name", "etype", "kb_id", "sound"), [
    ("Kamalvandi", "PERSON", None, "KMRFNT"),
    ("Behrouz Kamalwandi", "PERSON", None, "KMRFNT"),  # the last word's
    ("Kamalvandi", "PERSON", "Q1", None),  # linked: meets others by its KB id
    ("Kamalvandi", "ORG", None, None),  # not joined by name
    ("", "PERSON", None, None),  # no word to sound
    ("—", "PERSON", None, None),
])
def test_identity_candidate_sound(name: str, etype: str, kb_id: str | None,
                                  sound: str | None) -> None:
    assert candidate_sound(name, etype, kb_id) == sound


@pytest.mark.parametrize(("name", "etype", "key"), [
    ("Kamalwandi", "PERSON", "nil:PERSON:kamalwandi"),
    ("  Zilenski  ", "PERSON", "nil:PERSON:zilenski"),
    ("Rosatom", "ORG", "nil:ORG:rosatom"),
])
def test_identity_own_key_is_type_and_folded_name(name: str, etype: str, key: str) -> None:
    assert own_key(name, etype) == key
    assert decide(name, etype) == Identity(key, sound_key(name))


def test_identity_own_key_of_a_long_name_is_bounded() -> None:
    assert len(own_key("Committee " + "x" * 5000, "ORG")) == KEY_LENGTH
