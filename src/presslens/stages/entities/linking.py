"""Linking: each cluster to a knowledge-base entry, or to none (NIL).

A candidate entry is scored by how well its aliases match the cluster's spellings, plus the
context a reader would use: the roles seen with the mentions against the entry's roles, the
entry's country among the countries the article talks about, and its prominence as a prior
between namesakes. Group clusters ("Russian troops") link to their country's institution of
that kind. Pure: returns a link per cluster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presslens.config import EntitiesSettings
from presslens.kb.bases import Candidate, KBEntry, KnowledgeBases
from presslens.language.lexicons import role_words
from presslens.language.names import fold, name_similarity
from presslens.model import LINKABLE_TYPES
from presslens.stages.entities.resolve import Cluster

# Role keys (from data/role_words.tsv) and the words of KB roles/kinds that confirm them.
_ROLE_EVIDENCE = {
    "president": ("president", "head_of_state"), "prime_minister": ("prime minister", "premier",
                                                                    "head_of_government"),
    "minister": ("minister",), "adviser": ("adviser", "advisor", "aide"),
    "spokesperson": ("spokes", "press secretary"), "military": ("general", "commander",
                                                                "military", "chief"),
    "commander_in_chief": ("commander", "chief"), "legislator": ("senator", "representative",
                                                                 "member of", "legislat", "deputy",
                                                                 "politician"),
    "chair": ("chair",), "diplomat": ("ambassador", "envoy", "diplomat"),
    "secretary": ("secretary",), "chancellor": ("chancellor",),
}


@dataclass(frozen=True)
class Link:
    entry: KBEntry
    score: float
    alias: str


def kb_roles(link: Link | None) -> set[str]:
    """Role keys that a linked entry's KB roles name ("President of Russia": president)."""
    if link is None:
        return set()
    text = " ".join(link.entry.roles).lower()
    return {key for word, key in role_words().items()
            if key and re.search(r"\b" + re.escape(word) + r"\b", text)}


def role_agreement(roles: set[str], entry: KBEntry) -> float:
    if not roles:
        return 0.0
    text = " ".join((*entry.roles, entry.kind, entry.description)).lower()
    hits = sum(1 for r in roles if any(w in text for w in _ROLE_EVIDENCE.get(r, (r,))))
    return min(1.0, hits / max(1, len(roles)))


def score_candidate(cand: Candidate, cluster: Cluster, doc_countries: dict[str, float]) -> float:
    score = cand.similarity
    if cand.exact and not cand.partial:
        score += 0.05
    score += 0.15 * role_agreement(cluster.roles, cand.entry)
    if cand.entry.country:
        score += 0.08 * min(1.0, 3 * doc_countries.get(cand.entry.country, 0.0))
    score += 0.04 * cand.entry.prominence
    if cand.partial and not cand.exact:
        score -= 0.05
    return score


def link_cluster(cluster: Cluster, kb: KnowledgeBases, doc_countries: dict[str, float], *,
                 settings: EntitiesSettings) -> Link | None:
    """The KB entry a cluster names, or None (NIL), by the ``[entities]`` link bars."""
    threshold = settings.link_threshold
    if cluster.group_kind:
        if cluster.country and not cluster.head_person:
            entries = kb.by_kind(cluster.group_kind, cluster.country)
            if entries:
                return Link(entries[0], 0.9, entries[0].name)
        return None
    types = LINKABLE_TYPES.get(cluster.label, (cluster.label,))
    found: dict[str, tuple[float, Candidate]] = {}
    names = [n for n in cluster.names if n not in cluster.borrowed]
    if cluster.label == "PERSON" and any(len(n.split()) > 1 for n in names):
        # a person named in full is linked by the full name: "Donald Reid" is not Harry Reid
        names = [n for n in names if len(n.split()) > 1]
    for name in names:
        cands = kb.exact(name)
        if not (name.isupper() and len(name) <= 6):  # an acronym links only as written
            cands += kb.search(name, types=types, limit=8,
                               min_similarity=settings.kb_min_similarity)
        for cand in cands:
            if cand.entry.type not in types:
                continue
            if cand.partial and not doc_countries.get(cand.entry.country) and \
                    cand.entry.prominence < 0.9 and len(cluster.names) == 1 and \
                    len(name.split()) == 1:
                # a lone surname links only to someone of a country the article is about,
                # or to a head of state or government
                continue
            s = score_candidate(cand, cluster, doc_countries)
            key = cand.entry.kb_id
            if key not in found or s > found[key][0]:
                found[key] = (s, cand)
    if not found:
        return None
    score, best = max(found.values(), key=lambda sc: (sc[0], sc[1].entry.prominence))
    if cluster.label == "PERSON":
        roles_agree = role_agreement(cluster.roles, best.entry) > 0
        in_story = doc_countries.get(best.entry.country, 0.0) > 0
        if best.similarity < settings.person_link_similarity and not (
                best.similarity >= settings.person_link_similarity_with_role and roles_agree):
            return None  # a person is linked on a close name, or a fair one with a role
        if best.similarity < settings.person_exact_similarity and not (in_story or (
                roles_agree and best.similarity >= settings.person_garbled_similarity_with_role)):
            # a garbled spelling links only to someone the article's countries or roles
            # make plausible: "MacAulay" in a Scottish story is not Mauricio Macri
            return None
        full = [n for n in names if len(n.split()) > 1]
        if full and not in_story and max(name_similarity(n, a) for n in full
                                         for a in (best.entry.name, *best.entry.aliases)
                                         ) < settings.full_name_similarity:
            return None  # "Rodrigo Saavedra" in Chile is not Nicaragua's Ortega Saavedra
    # A place or organisation must match a known alias closely; people may be garbled.
    bar = threshold if cluster.label == "PERSON" else max(threshold,
                                                          settings.name_link_threshold)
    if score < bar:
        return None
    return Link(best.entry, round(min(score, 1.0), 3), best.alias)


def canonical_name(cluster: Cluster, link: Link | None, preferred_nouns: dict[str, str]
                   ) -> str:
    """The KB name, else the most frequent (then longest) spelling in the cluster."""
    if link is not None:
        return link.entry.name
    if cluster.head_person and cluster.group_kind:
        # "<leader> government/administration": the noun usual for that leader's country
        noun = preferred_nouns.get(cluster.country or "", "government")
        surname = cluster.head_person.split()[-1]
        return f"{surname} {noun}"
    own = {n: c for n, c in cluster.names.items() if n not in cluster.borrowed}
    if not own:
        return ""
    if cluster.label in ("PERSON", "ORG"):
        # the fullest form: "Isla MacAulay" over "MacAulay", a name over its acronym
        return max(own.items(),
                   key=lambda kv: (len(kv[0].split()), not kv[0].isupper(), kv[1]))[0]
    return max(own.items(), key=lambda kv: (kv[1], len(kv[0]), -len(fold(kv[0]))))[0]


# Kinds of organisation whose names MT garbles word by word and that are safe to correct.
_NEAR_MISS_KINDS = frozenset({"armed_forces", "armed_group", "military_unit", "party",
                              "ministry", "agency"})
_NAME_STOP = frozenset({"the", "of", "and", "for", "s"})


def _content_words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in _NAME_STOP]


class NearMisses:
    """The KB organisations that ``near_miss_org`` compares a name with: those of the
    article's countries (a share of at least 0.1) of the kinds MT garbles, filed by the
    number of their content words and their last word, read from the KB once per article
    rather than once per cluster."""

    def __init__(self, kb: KnowledgeBases, doc_countries: dict[str, float]) -> None:
        # (content-word count, last word) -> (order read, entry, content words)
        self.filed: dict[tuple[int, str], list[tuple[int, KBEntry, list[str]]]] = {}
        read = 0
        for country, share in doc_countries.items():
            if share < 0.1:
                continue
            for entry in kb.by_country(country, "ORG"):
                if entry.kind not in _NEAR_MISS_KINDS:
                    continue
                for alias in (entry.name, *entry.aliases):
                    target = _content_words(alias)
                    if len(target) >= 2:
                        self.filed.setdefault((len(target), target[-1]), []).append(
                            (read, entry, target))
                        read += 1

    def find(self, cluster: Cluster) -> Link | None:
        """An organisation name that is one word off a KB organisation of a country the
        article is about ("Rapid Reaction Forces" for the Rapid Support Forces): a word
        translated literally or by a wrong synonym. Returns the entry it most likely means."""
        if cluster.label != "ORG" or cluster.group_kind or not self.filed:
            return None
        names = [n for n in cluster.names if len(_content_words(n)) >= 3 or
                 (len(_content_words(n)) == 2 and not n.isupper())]
        found: dict[str, tuple[int, KBEntry]] = {}  # the last read wins, as in a KB scan
        for n in names:
            words = _content_words(n)
            for read, entry, target in self.filed.get((len(words), words[-1]), ()):
                diff = sum(1 for a, b in zip(words, target) if a != b)
                if diff == 1:
                    found[entry.kb_id] = max(found.get(entry.kb_id, (-1, entry)), (read, entry),
                                             key=lambda r: r[0])
        if len(found) != 1:
            return None
        entry = next(iter(found.values()))[1]
        return Link(entry, 0.6, entry.name)


def near_miss_org(cluster: Cluster, kb: KnowledgeBases, doc_countries: dict[str, float]
                  ) -> Link | None:
    """``NearMisses(kb, doc_countries).find(cluster)``, for one cluster."""
    return NearMisses(kb, doc_countries).find(cluster)
