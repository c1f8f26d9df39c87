"""Resolution inside a document: mentions grouped into clusters, one per identity.

Name mentions are taken longest first, so full names found clusters that partial and
garbled spellings then join. A mention joins the cluster whose spellings it is most similar
to (``names.name_similarity``) when the score clears a threshold, lowered when context agrees
(the mention was recognised as a person by its role or by speaking, or shares a role with
the cluster). Two mentions that the knowledge base knows exactly as *different* entries never
join (Kherson/Kharkov, Scholz/Schulz). Group mentions ("Russian troops") join by country and
institution. An abbreviation defined in brackets joins the name it follows; a short form
the KB does not know joins the full name it opens; a natural place named without its kind
("Balkhash") joins the place named with it ("Lake Balkhash"); a one-word name typed as
something else joins the person it names, by surname or by the name they go by. Pure:
returns clusters of mention indices.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from presslens.language.lexicons import countries, given_name_genders, name_particles, read_rows
from presslens.language.names import (
    SIMILARITY_KEYS_FLOOR,
    fold,
    name_similarity,
    org_name_similarity,
    org_similarity_words,
    org_words_alike,
    similarity_words,
    skeleton,
    word_similarity,
    words_alike,
)
from presslens.model import LABEL_FAMILY
from presslens.stages.entities.mentions import MentionCandidate


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
        return LABEL_FAMILY.get(self.label, self.label)

    def copy(self) -> Cluster:
        """A cluster like this one whose members, names and sets are its own: a step that
        changes clusters changes copies, never the clusters it was given."""
        return replace(self, members=list(self.members), names=Counter(self.names),
                       kb_ids=set(self.kb_ids), roles=set(self.roles),
                       borrowed=set(self.borrowed))

    def add(self, index: int, m: MentionCandidate) -> None:
        self.members.append(index)
        if m.kind in ("name", "group"):
            self.names[m.text] += 1
            self.kb_ids.update(m.kb_exact)
        self.roles.update(m.roles)


Candidates = dict[int, set[str]]  # cluster index -> the names of it that may be alike


class _WordFiling:
    """Names of one family of clusters filed by their words, and the words by their keys.
    What a word is alike to is remembered, so that asking again (every mention of a name
    asks) only tests the words filed since."""

    def __init__(self, family: str) -> None:
        self.person = family == "PERSON"
        self.names_of: defaultdict[str, Candidates] = defaultdict(dict)  # word -> names
        self.words_of: defaultdict[str, list[str]] = defaultdict(list)  # key -> words
        self.order: dict[str, int] = {}  # word -> when it was filed (0, 1, ...)
        self.alike: dict[str, tuple[int, set[str]]] = {}  # word -> (words filed, alike)
        self.prefixes: defaultdict[str, Candidates] = defaultdict(dict)  # opening -> names

    def words(self, name: str) -> dict[str, frozenset[str]]:
        return similarity_words(name) if self.person else org_similarity_words(name)

    def add(self, ci: int, name: str) -> None:
        for word, keys in self.words(name).items():
            if word not in self.order:
                self.order[word] = len(self.order)
                for key in keys:
                    self.words_of[key].append(word)
            self.names_of[word].setdefault(ci, set()).add(name)
        if not self.person:
            toks = fold(name).split()
            if toks and len(toks[0]) > 3:  # "Meridian Valley" opens "... Valley Health"
                for n in range(1, len(toks)):
                    self.prefixes[" ".join(toks[:n])].setdefault(ci, set()).add(name)

    def alike_words(self, word: str, keys: frozenset[str]) -> set[str]:
        """The filed words that share a key with ``word`` and are alike to it."""
        asked, known = self.alike.get(word, (0, set()))
        if asked < len(self.order):
            alike = words_alike if self.person else org_words_alike
            for key in keys:
                bucket = self.words_of.get(key)
                if not bucket:
                    continue
                # a bucket holds its words in the order they were filed
                for i in range(bisect_left(bucket, asked, key=self.order.__getitem__),
                               len(bucket)):
                    other = bucket[i]
                    if other not in known and alike(word, other):
                        known.add(other)
            self.alike[word] = (len(self.order), known)
        return known

    def find(self, name: str, found: Candidates) -> None:
        for word, keys in self.words(name).items():
            for other in self.alike_words(word, keys):
                _merge(found, self.names_of[other])
        if not self.person:
            _merge(found, self.prefixes.get(" ".join(fold(name).split()), {}))


def _merge(found: Candidates, more: Candidates) -> None:
    for ci, names in more.items():
        if ci in found:
            found[ci] |= names
        else:
            found[ci] = set(names)


class ClusterIndex:
    """Clusters by the names they hold, so that a name is scored against the clusters it
    could join rather than against every cluster of the document (which made resolution
    quadratic in the length of the text), and against the names of a cluster that can be
    alike to it rather than all of them (a cluster of a long text gathers many). A name is
    found through one of its words filed under a key of a word of the query and alike to
    it (``names.similarity_words`` for people, ``org_similarity_words`` and name openings
    for the rest); a cluster also through a KB id.

    ``candidates`` returns clusters in ascending order, so that a caller that keeps the
    first best score picks the cluster a scan of all clusters would; a name left out of a
    cluster scores below ``SIMILARITY_KEYS_FLOOR``, so the best score of a cluster that can
    be joined is unchanged. With ``exhaustive`` (a threshold below that floor) it returns
    every cluster with all its names.
    """

    def __init__(self, *, exhaustive: bool = False) -> None:
        self.exhaustive = exhaustive
        self._families: dict[str, _WordFiling] = {}
        self._by_kb: defaultdict[str, set[int]] = defaultdict(set)
        self._names: defaultdict[int, set[str]] = defaultdict(set)  # every filed name

    def add(self, ci: int, c: Cluster) -> None:
        """File cluster ``ci`` under every name and KB id it has."""
        for name in c.names:
            self.add_name(ci, c.family, name)
        self.add_kb_ids(ci, c.kb_ids)

    def add_name(self, ci: int, family: str, name: str) -> None:
        if name not in self._names[ci]:
            self._names[ci].add(name)
            if family not in self._families:
                self._families[family] = _WordFiling(family)
            self._families[family].add(ci, name)

    def add_kb_ids(self, ci: int, kb_ids: Iterable[str]) -> None:
        self._names.setdefault(ci, set())  # a cluster without names is still a cluster
        for kb_id in kb_ids:
            self._by_kb[kb_id].add(ci)

    def candidates(self, family: str, name: str, kb_ids: Iterable[str] = ()
                   ) -> list[tuple[int, set[str]]]:
        """Clusters that a ``family`` name could join, each with its names that may be
        alike: clusters with alike names, and clusters sharing a KB id (all their names)."""
        if self.exhaustive:
            return sorted(self._names.items())
        found: Candidates = {}
        filing = self._families.get(family)
        if filing is not None:
            filing.find(name, found)
        for kb_id in kb_ids:
            for ci in self._by_kb.get(kb_id, ()):
                found[ci] = set(self._names[ci])
        return sorted(found.items())


def person_index(clusters: list[Cluster], *, threshold: float) -> ClusterIndex:
    """The person clusters with names, filed by their names (for sound-alike look-ups)."""
    index = ClusterIndex(exhaustive=threshold < SIMILARITY_KEYS_FLOOR)
    for ci, c in enumerate(clusters):
        if c.family == "PERSON" and c.names and not c.group_kind:
            index.add(ci, c)
    return index


def best_similarity(text: str, names: Iterable[str]) -> float:
    """The highest ``name_similarity`` of ``text`` to one of ``names`` (0 for none)."""
    return max((name_similarity(text, n) for n in names), default=0.0)


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
    # Clusters that are not groups, by the keys of their names: a mention is scored only
    # against the clusters that could reach a threshold, in the order of the clusters.
    index = ClusterIndex(exhaustive=min(join_threshold, context_threshold)
                         < SIMILARITY_KEYS_FLOOR)
    order = sorted((i for i, m in enumerate(mentions) if m.kind in ("name", "group")),
                   key=lambda i: (mentions[i].label != "PERSON", -len(mentions[i].text.split()),
                                  -len(mentions[i].text), mentions[i].start))
    cluster_at: dict[int, int] = {}  # start offset of a name mention -> its cluster
    firsts = _FirstWords()  # the first words of the people's full names
    bare_places: defaultdict[str, set[int]] = defaultdict(set)  # "balkhash" -> Lake Balkhash
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
        best, best_score = -1, 0.0
        family = LABEL_FAMILY.get(m.label, m.label)
        defined = cluster_at.get(m.abbreviates) if m.abbreviates is not None else None
        if defined is not None and not blocked(m, clusters[defined]):
            # "(TCMB)" after the bank's name: the abbreviation names that bank
            clusters[defined].add(i, m)
            index.add_name(defined, clusters[defined].family, m.text)
            index.add_kb_ids(defined, m.kb_exact)
            cluster_at[m.start] = defined
            continue
        for ci, names in index.candidates(family, m.text, m.kb_exact):
            c = clusters[ci]
            if c.family != family or c.group_kind or blocked(m, c):
                continue
            if m.kb_exact and set(m.kb_exact) & c.kb_ids:
                score = 1.0
            elif family == "PERSON":
                score = best_similarity(m.text, names)
            else:
                # places and organisations: the same name, a KB-known alias, or a spelling
                # variant of the same words ("Democratic Party Circle" is not the party)
                score = max((_same_words_similarity(m.text, n) for n in names), default=0.0)
                if m.kb_exact or c.kb_ids:
                    score = 0.0 if score < 0.999 else score
                if score < 0.9 and family == "ORG" and not m.kb_exact and \
                        any(_short_form(m.text, n) for n in names):
                    # "Meridian Valley" for "Meridian Valley Health"; "Central Bank", a name
                    # the KB does not know alone, for "Central Bank of the Republic of Turkey"
                    score = 0.9
            threshold = join_threshold
            if family == "PERSON" and (m.relabelled_from or (m.roles & c.roles)):
                threshold = context_threshold
            if score >= threshold and score > best_score:
                best, best_score = ci, score
        if best < 0 and family == "PLACE" and not m.kb_exact:
            # "Meridian Valley" tagged LOC is the opening of "Meridian Valley Health"
            orgs = [ci for ci, names in index.candidates("ORG", m.text)
                    if clusters[ci].family == "ORG" and not clusters[ci].group_kind
                    and any(_short_form(m.text, n) for n in names)]
            if len(orgs) == 1:
                mentions[i] = m = replace(m, label="ORG", relabelled_from=m.label)
                best = orgs[0]
        owners = bare_places.get(fold(m.text), set()) if best < 0 and not m.kb_exact and \
            family in ("PLACE", "ORG") else set()
        if len(owners) == 1:
            # "Balkhash" (tagged anything) after "Lake Balkhash": that lake
            best = owners.pop()
            if m.label != clusters[best].label:
                mentions[i] = m = replace(m, label=clusters[best].label,
                                          relabelled_from=m.label)
        if best < 0 and family in ("PLACE", "ORG", "NORP") and not m.kb_exact and not (
                family == "NORP" and countries().lookup(m.text) is not None) and \
                _looks_personal(m):
            # A name the KB does not know as a place or organisation, that sounds like a
            # person of the article, is that person garbled (a garbled surname tagged GPE).
            bare = _without_particle(m.text)  # "al-Sharaa" is scored as "Sharaa" too
            people = [(max(best_similarity(m.text, names), best_similarity(bare, names)), ci)
                      for ci, names in index.candidates("PERSON", m.text)
                      if clusters[ci].family == "PERSON" and clusters[ci].names]
            bar = context_threshold if m.speaker_slot else join_threshold
            if not any(score >= bar for score, _ in people):
                # the name a person goes by ("Prabowo"): of a person the KB knows, or said
                # by one who speaks ("Charlotte" is not "Charlotte Mayor" Jennifer Roberts)
                people += [(score, ci) for score, ci in firsts.alike(m.text)
                           if clusters[ci].kb_ids or m.speaker_slot]
            if people:
                score, person = max(people, key=lambda sc: sc[0])
                if score >= bar:
                    mentions[i] = m = replace(m, label="PERSON", relabelled_from=m.label)
                    best = person
        if best < 0:
            best = len(clusters)
            clusters.append(Cluster(label=m.label))
        clusters[best].add(i, m)
        index.add_name(best, clusters[best].family, m.text)
        index.add_kb_ids(best, m.kb_exact)
        cluster_at[m.start] = best
        if clusters[best].family == "PERSON":
            firsts.add(best, m.text)
        elif clusters[best].family == "PLACE" and (plain := _without_feature_word(m.text)):
            bare_places[plain].add(best)
    return clusters


class _FirstWords:
    """The first words of the people's full names, to which a one-word name tagged as
    something else is compared: the name a person goes by ("Prabowo" of Prabowo Subianto,
    garbled "Pulabowo"), or a surname written first ("Xi" of Xi Jinping)."""

    def __init__(self) -> None:
        self.owners: defaultdict[str, set[int]] = defaultdict(set)  # first word -> clusters

    def add(self, ci: int, name: str) -> None:
        words = fold(name).split()
        if len(words) > 1:
            self.owners[words[0]].add(ci)

    def alike(self, name: str) -> list[tuple[float, int]]:
        """(similarity, cluster) for each person whose first word is like one-word ``name``
        (the same first letter; a name of several words has none)."""
        folded = fold(name)
        if not folded or " " in folded:
            return []
        return [(word_similarity(folded, first), ci) for first, owners in self.owners.items()
                if first[0] == folded[0] for ci in owners]


@lru_cache(maxsize=1)
def place_feature_words() -> frozenset[str]:
    """Words naming a natural place's kind: ``data/place_feature_words.tsv``."""
    return frozenset(r["word"] for r in read_rows("place_feature_words.tsv"))


def _without_feature_word(name: str) -> str | None:
    """The folded name of a natural place without the word of its kind ("Lake Balkhash",
    "Amur River": "balkhash", "amur"); None for other names."""
    words = fold(name).split()
    if len(words) < 2:
        return None
    if words[0] in place_feature_words():
        return " ".join(words[1:])
    if words[-1] in place_feature_words():
        return " ".join(words[:-1])
    return None


def _without_particle(name: str) -> str:
    """A name without the particle it opens with ("al-Sharaa" -> "Sharaa"), else itself."""
    words = name_words(name)
    if len(words) > 1 and fold(words[0]) in name_particles():
        return name[name.index(words[1], len(words[0])):]
    return name


def _looks_personal(m: MentionCandidate) -> bool:
    """One to three words, one of them capitalised ("al-Sharaa" too)."""
    return 1 <= len(m.text.split()) <= 3 and any(w[:1].isupper() for w in name_words(m.text))


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


# -- different people sharing a surname ------------------------------------------------------

def _initials(word: str) -> str | None:
    """The letters of an initial or a run of initials ("J.", "JD", "J.D."), else None."""
    bare = word.replace(".", "")
    if len(bare) == 1 or (bare.isalpha() and bare.isupper() and 2 <= len(bare) <= 3):
        return bare.lower()
    return None


def given_names_agree(a: str, b: str, *, similarity: float, listed_similarity: float) -> bool:
    """Two first words of full names could name one person: the same word, an initial of
    it, or a spelling of it (transliteration varies given names too: Yevgeny, Evgeny). Two
    given names the name list knows are one name only when they are close and of one
    gender (Ivana is not Ivanka, Michelle is not Michael); a word that is not a given name
    ("Derelict Obama", "Washington Post Trump") must be close to the other to agree."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb or fa == fb:
        return True
    ia, ib = _initials(a), _initials(b)
    if ia is not None or ib is not None:
        return fa[0] == fb[0]
    sim = word_similarity(fa, fb)
    genders = given_name_genders()
    ga, gb = genders.get(fa), genders.get(fb)
    if ga and gb:
        return ga == gb and (sim >= listed_similarity or
                             (sim >= similarity and skeleton(fa) == skeleton(fb)))
    return sim >= similarity


def name_words(name: str) -> list[str]:
    """The words of a name as written, possessive dropped and hyphens splitting words."""
    name = re.sub(r"['’]s\b", "", name)
    return [w for w in re.split(r"[\s\-‐‑–—]+", name) if fold(w)]
