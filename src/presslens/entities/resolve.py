"""Resolution inside a document: mentions grouped into clusters, one per identity.

Name mentions are taken longest first, so full names found clusters that partial and
garbled spellings then join. A mention joins the cluster whose spellings it is most similar
to (``names.name_similarity``) when the score clears a threshold, lowered when context agrees
(the mention was recognised as a person by its role or by speaking, or shares a role with
the cluster). Two mentions that the knowledge base knows exactly as *different* entries never
join (Kherson/Kharkov, Scholz/Schulz). Group mentions ("Russian troops") join by country and
institution. Pure: returns clusters of mention indices.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from ..lexicons import countries
from ..names import fold, name_similarity, org_name_similarity
from .mentions import MentionCandidate

FAMILY = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
          "NORP": "NORP", "EVENT": "EVENT"}


@dataclass
class Cluster:
    label: str
    members: list[int] = field(default_factory=list)
    names: Counter[str] = field(default_factory=Counter)
    kb_ids: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    country: str | None = None
    group_kind: str | None = None
    head_person: str | None = None
    borrowed: set[str] = field(default_factory=set)  # place names moved here as a speaker

    @property
    def family(self) -> str:
        return FAMILY.get(self.label, self.label)

    def add(self, index: int, m: MentionCandidate) -> None:
        self.members.append(index)
        if m.kind in ("name", "group"):
            self.names[m.text] += 1
            self.kb_ids.update(m.kb_exact)
        self.roles.update(m.roles)


def similarity_to(m: MentionCandidate, c: Cluster) -> float:
    return max((name_similarity(m.text, n) for n in c.names), default=0.0)


def blocked(m: MentionCandidate, c: Cluster) -> bool:
    """The KB knows both sides exactly, as different entries."""
    return bool(m.kb_exact and c.kb_ids and not set(m.kb_exact) & c.kb_ids)


def _group_key(m: MentionCandidate) -> tuple[str, str, str]:
    return (m.country or "", m.group_kind or "", fold(m.head_person or ""))


def cluster_names(mentions: list[MentionCandidate], *, join_threshold: float,
                  context_threshold: float) -> list[Cluster]:
    """Cluster name and group mentions (pronouns and nominals are resolved later)."""
    clusters: list[Cluster] = []
    groups: dict[tuple[str, str, str], Cluster] = {}
    order = sorted((i for i, m in enumerate(mentions) if m.kind in ("name", "group")),
                   key=lambda i: (mentions[i].label != "PERSON", -len(mentions[i].text.split()),
                                  -len(mentions[i].text), mentions[i].start))
    for i in order:
        m = mentions[i]
        if m.kind == "group":
            key = _group_key(m)
            if key not in groups:
                groups[key] = Cluster(label="ORG", country=m.country, group_kind=m.group_kind,
                                      head_person=m.head_person)
                clusters.append(groups[key])
            groups[key].add(i, m)
            continue
        best, best_score = None, 0.0
        family = FAMILY.get(m.label, m.label)
        for c in clusters:
            if c.family != family or c.group_kind or blocked(m, c):
                continue
            if m.kb_exact and set(m.kb_exact) & c.kb_ids:
                score = 1.0
            elif family == "PERSON":
                score = similarity_to(m, c)
            else:
                # places and organisations: the same name, a KB-known alias, or a spelling
                # variant of the same words ("Democratic Party League" is not the party)
                score = max((_same_words_similarity(m.text, n) for n in c.names), default=0.0)
                if m.kb_exact or c.kb_ids:
                    score = 0.0 if score < 0.999 else score
                elif family == "ORG" and any(_short_form(m.text, n) for n in c.names):
                    score = 0.9  # "Meridian Valley" for "Meridian Valley Health"
            threshold = join_threshold
            if family == "PERSON" and (m.relabelled_from or (m.roles & c.roles)):
                threshold = context_threshold
            if score >= threshold and score > best_score:
                best, best_score = c, score
        if best is None and family == "PLACE" and not m.kb_exact:
            # "Meridian Valley" tagged LOC is the opening of "Meridian Valley Health"
            orgs = [c for c in clusters if c.family == "ORG" and not c.group_kind
                    and any(_short_form(m.text, n) for n in c.names)]
            if len(orgs) == 1:
                mentions[i] = m = replace(m, label="ORG", relabelled_from=m.label)
                best = orgs[0]
        if best is None and family in ("PLACE", "ORG", "NORP") and not m.kb_exact and not (
                family == "NORP" and countries().lookup(m.text) is not None):
            # A name the KB does not know as a place or organisation, that sounds like a
            # person of the article, is that person garbled (a garbled surname tagged GPE).
            people = [(similarity_to(m, c), c) for c in clusters
                      if c.family == "PERSON" and c.names]
            if people:
                score, person = max(people, key=lambda sc: sc[0])
                bar = context_threshold if m.speaker_slot else join_threshold
                if score >= bar and _looks_personal(m):
                    mentions[i] = m = replace(m, label="PERSON", relabelled_from=m.label)
                    best = person
        if best is None:
            best = Cluster(label=m.label)
            clusters.append(best)
        best.add(i, m)
    return clusters


def _looks_personal(m: MentionCandidate) -> bool:
    return 1 <= len(m.text.split()) <= 3 and m.text[:1].isupper()


def _short_form(short: str, full: str) -> bool:
    """``short`` is the opening words of the longer organisation name ``full``."""
    ts, tf = fold(short).split(), fold(full).split()
    return 0 < len(ts) < len(tf) and tf[:len(ts)] == ts and len(ts[0]) > 3


def _same_words_similarity(a: str, b: str) -> float:
    return org_name_similarity(a, b)


def join_first_names(clusters: list[Cluster], mentions: list[MentionCandidate]
                     ) -> dict[int, int]:
    """A lone given name ("Yevgeny") joins the one person of the article whose full name
    starts with it; where two people share it, it stays apart."""
    firsts: dict[str, list[int]] = {}
    for ci, c in enumerate(clusters):
        if c.family != "PERSON":
            continue
        for n in c.names:
            toks = fold(n).split()
            if len(toks) >= 2:
                firsts.setdefault(toks[0], [])
                if ci not in firsts[toks[0]]:
                    firsts[toks[0]].append(ci)
    same: dict[int, int] = {}
    for ci, c in enumerate(clusters):
        if c.family != "PERSON" or c.kb_ids or any(len(n.split()) > 1 for n in c.names):
            continue
        owners = {o for n in c.names for o in firsts.get(fold(n), [])} - {ci}
        if len(owners) == 1:
            same[ci] = owners.pop()
    return same


def merge_clusters(clusters: list[Cluster], mentions: list[MentionCandidate],
                   same: dict[int, int]) -> list[Cluster]:
    """Merge clusters by a mapping cluster index -> cluster index it joins."""
    def root(i: int) -> int:
        seen = {i}
        while same.get(i, i) not in seen:  # a cycle in ``same`` ends the walk too
            i = same[i]
            seen.add(i)
        return i

    merged: dict[int, Cluster] = {}
    for i, c in enumerate(clusters):
        r = root(i)
        if r not in merged:
            merged[r] = Cluster(label=clusters[r].label, country=clusters[r].country,
                                group_kind=clusters[r].group_kind,
                                head_person=clusters[r].head_person)
        for idx in c.members:
            merged[r].add(idx, mentions[idx])
        merged[r].borrowed |= c.borrowed
    return list(merged.values())
