"""Name glosses: what the parts of people's and places' names mean as ordinary words in
their own language (``data/glosses/*.tsv``: Turkish "Çelik" is steel, Chinese "Tianjin" is
heaven's ford), for finding names a translation rendered as words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from presslens.language.lexicons import iter_tsv, split_bar
from presslens.language.names import fold


@dataclass(frozen=True)
class NameGloss:
    """A literal English rendering of a name or of one part of a person's name
    (``data/glosses/*.tsv``): the KB entry's name, type and country, the language of the
    word and the part glossed (a whole place name)."""

    name: str
    type: str
    country: str
    language: str
    part: str


def gloss_key(phrase: str) -> str:
    """A gloss phrase as looked up: folded, lower case, without a leading "the"."""
    key = fold(phrase)
    return key.removeprefix("the ") if key != "the" else key


def build_gloss_index(rows: Iterable[dict[str, str]]) -> dict[str, tuple[NameGloss, ...]]:
    """Gloss phrase (``gloss_key``) -> the names it renders, from rows with the columns of
    ``data/glosses/*.tsv`` (name, type, country, language, part, glosses)."""
    index: dict[str, dict[NameGloss, None]] = {}
    for r in rows:
        gloss = NameGloss(r["name"].strip(), r["type"].strip(), r["country"].strip(),
                          r["language"].strip(), r["part"].strip())
        for phrase in split_bar(r["glosses"]):
            key = gloss_key(phrase)
            if key:
                index.setdefault(key, {})[gloss] = None
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def name_glosses() -> dict[str, tuple[NameGloss, ...]]:
    """Every ``data/glosses/*.tsv`` as one index (``build_gloss_index``); empty without."""
    folder = resources.files("presslens").joinpath("data/glosses")
    if not folder.is_dir():
        return {}
    rows: list[dict[str, str]] = []
    for f in sorted((f for f in folder.iterdir() if f.name.endswith(".tsv")),
                    key=lambda f: f.name):
        rows.extend(iter_tsv(f.read_text("utf-8").splitlines(), source=f"glosses/{f.name}"))
    return build_gloss_index(rows)
