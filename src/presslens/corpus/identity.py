"""Which stored entity an article's entity is: the corpus's identity decision, as pure
functions over plain values (the candidates in, the decision out).

An entity linked to the KB is its KB id. An unlinked person is the first unlinked person
already stored (in the order stored) whose name it is a transliteration variant of: a
candidate shares the consonant skeleton of its last word (``sound_key``) and its
``name_similarity`` reaches the join threshold. Any other entity is its type and folded
name. ``Corpus`` (store.py) fetches the candidates ``candidate_sound`` names and writes the
decision ``identify`` makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from presslens.corpus.schema import bounded_key
from presslens.language.names import fold, name_similarity, skeleton

# name_similarity at or above which an unlinked person is a stored unlinked person: the
# value the corpus has always used. Lower joins more variants, and more distinct people
# who share a surname's sound.
JOIN_THRESHOLD = 0.85
# Types whose unlinked names join stored ones by sound and similarity: name_similarity
# scores people's names; other names keep their own key.
JOINED_BY_NAME = frozenset({"PERSON"})


@dataclass(frozen=True)
class StoredName:
    """An unlinked entity already in the corpus: a candidate an article's entity may be."""

    key: str
    name: str
    type: str
    sound: str | None


@dataclass(frozen=True)
class Identity:
    """The corpus key an entity is stored under, and the sound stored with it (None for
    an entity linked to the KB)."""

    key: str
    sound: str | None


def sound_key(name: str) -> str:
    """The consonant skeleton of the last word of ``name`` ("" when it has no word): the
    key under which transliteration variants of a surname meet."""
    words = fold(name).split()
    return skeleton(words[-1]) if words else ""


def own_key(name: str, etype: str) -> str:
    """The key of an unlinked entity that is no stored one: its type and folded name."""
    return bounded_key(f"nil:{etype}:{fold(name)}")


def candidate_sound(name: str, etype: str, kb_id: str | None) -> str | None:
    """The sound of the stored names this entity may be (fetch those of its type, unlinked,
    with this sound), or None when it meets no stored name by its own (linked to the KB,
    of a type not joined by name, or a name without a letter to sound)."""
    if kb_id or etype not in JOINED_BY_NAME:
        return None
    return sound_key(name) or None


def identify(name: str, etype: str, kb_id: str | None, candidates: Iterable[StoredName],
             *, join_threshold: float) -> Identity:
    """The identity of an entity named ``name``: its KB id; else the first of
    ``candidates`` (unlinked entities in the order stored) of its type and sound whose
    name is at least ``join_threshold`` similar; else its own key. ``candidates`` is
    read only as far as the first match."""
    if kb_id:
        return Identity(bounded_key(kb_id), None)
    sound = sound_key(name)
    if candidate_sound(name, etype, kb_id) is not None:
        for stored in candidates:
            if (stored.type == etype and stored.sound == sound
                    and name_similarity(name, stored.name) >= join_threshold):
                return Identity(stored.key, sound)
    return Identity(own_key(name, etype), sound)
