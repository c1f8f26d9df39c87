"""Linking: each cluster to a knowledge-base entry, or to none (NIL).

A candidate entry is scored by how well its aliases match the cluster's spellings, plus the
context a reader would use: the roles seen with the mentions against the entry's roles, the
entry's country among the countries the article talks about, and its prominence as a prior
between namesakes. Group clusters ("Russian troops") link to their country's institution of
that kind. Pure: returns a link per cluster.

A link needs evidence beyond a look-alike name, and records it (``Link.evidence``): a full
name whose given name disagrees with every full name of the entry is not that entry ("Ryan
Kennedy" is not Anthony Kennedy); a surname alone, or a garbled full name, links only with
context (a role or a co-mention that agrees, a prominent person of a country of the story)
and a surname alone with a lower confidence; two namesakes the context cannot tell apart
leave the name unlinked; places and organisations link only to places and organisations,
an acronym only as written, a one-word name only to a close spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from presslens.config import EntitiesSettings
from presslens.kb.bases import Candidate, KBEntry, KnowledgeBases, entry_roles
from presslens.kb.store import is_acronym
from presslens.language.lexicons import (
    countries,
    name_particles,
    read_rows,
    role_words,
    split_bar,
)
from presslens.language.names import fold, name_similarity, name_tokens, word_similarity
from presslens.model import LINKABLE_TYPES
from presslens.stages.entities.resolve import Cluster, given_names_agree

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
    """A cluster's KB entry, the link's confidence (0..1) and what the link rests on."""

    entry: KBEntry
    score: float
    alias: str
    evidence: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def name_affixes() -> dict[str, str]:
    """Abbreviated titles and suffixes written with names -> "title" or "suffix"
    (data/name_affixes.tsv)."""
    return {r["word"]: r["kind"] for r in read_rows("name_affixes.tsv")}


def bare_name_words(name: str) -> tuple[str, ...]:
    """The folded words of a person's name without the titles before it and the suffixes
    after it ("Sen. Lindsey Graham Jr." -> lindsey, graham); nothing for a title alone
    ("Sen.", "Gov."). "Hun Sen" keeps its last word."""
    toks = list(name_tokens(name.replace(".", " ")))
    affixes, roles = name_affixes(), role_words()
    while len(toks) > 1 and (affixes.get(toks[0]) == "title" or toks[0] in roles):
        toks.pop(0)
    while len(toks) > 1 and affixes.get(toks[-1]) == "suffix":
        toks.pop()
    if len(toks) == 1 and toks[0] in affixes and name.rstrip().endswith("."):
        return ()
    return tuple(toks)


@lru_cache(maxsize=1)
def letter_names() -> dict[str, str]:
    """Spelled-out letter name -> letter (data/letter_names.tsv): "jay" -> "j"."""
    return {sp: r["letter"] for r in read_rows("letter_names.tsv")
            for sp in split_bar(r["spellings"])}


def initials_form(name: str) -> str | None:
    """A full name whose given names are all spelled-out letters, with them as initials:
    "Jay Dee Vens" -> "JD Vens" (the initials "JD" read out and transliterated); else
    None."""
    words = name.split()
    letters = [letter_names().get(fold(w)) for w in words[:-1]]
    if len(words) < 3 or not all(letters):
        return None
    return "".join(letter or "" for letter in letters).upper() + " " + words[-1]


def roles_held(entry: KBEntry, on: date | None) -> tuple[str, ...]:
    """The entry's KB roles as written, only those held on ``on`` (and those the KB gives
    no dates for) when a date is given: "the crown prince" of 2025 is not the king who was
    crown prince until 2015."""
    if on is None:
        return entry.roles
    return tuple(written for written, role in zip(entry.roles, entry_roles(entry))
                 if role.held_on(on) is not False)


def kb_roles(link: Link | None, *, on: date | None = None) -> set[str]:
    """Role keys that a linked entry's KB roles name ("President of Russia": president),
    of the roles held on ``on`` when a date is given."""
    if link is None:
        return set()
    text = " ".join(roles_held(link.entry, on)).lower()
    return {key for word, key in role_words().items()
            if key and re.search(r"\b" + re.escape(word) + r"\b", text)}


def role_agreement(roles: set[str], entry: KBEntry, *, on: date | None = None) -> float:
    """The share of ``roles`` that the entry's KB roles, kind or description confirm (its
    roles held on ``on`` when a date is given)."""
    if not roles:
        return 0.0
    text = " ".join((*roles_held(entry, on), entry.kind, entry.description)).lower()
    hits = sum(1 for r in roles if any(w in text for w in _ROLE_EVIDENCE.get(r, (r,))))
    return min(1.0, hits / max(1, len(roles)))


def full_name_fits(name: str, entry: KBEntry, *, similarity: float,
                   listed_similarity: float) -> bool:
    """Whether the given names of ``name`` fit one of the entry's full names: "Ryan Kennedy"
    is not Anthony Kennedy, "Pavel Yashin" not Ilya Yashin; a garbled given name that sounds
    alike ("Volodimir") fits, and so does an initial. A word before the given name that is
    none ("Crooked Hillary Clinton") is passed over. Names written surname first ("Xi
    Jinping") fit either way round. A one-word name, or an entry known by one word only,
    has nothing to disagree with. Given names are compared as ``resolve.given_names_agree``
    compares them."""
    particles = name_particles()
    words = tuple(w for w in bare_name_words(initials_form(name) or name)
                  if w not in particles)
    if len(words) < 2:
        return True  # "al-Burhan": a surname and its article
    fulls = [t for t in (bare_name_words(a) for a in (entry.name, *entry.aliases))
             if len(t) >= 2]
    if not fulls:
        return True
    # the first word, and later words that are not initials or particles ("Joseph R.
    # Biden": not "r"; "Ata-ur-Rehman": not "ur")
    given = [words[0], *(w for w in words[1:-1] if len(w) > 2)]

    def agree(a: str, b: str) -> bool:
        return given_names_agree(a, b, similarity=similarity,
                                 listed_similarity=listed_similarity)

    for full in fulls:
        if len(words) == 3 and len(full) == 3 and min(len(words[1]), len(full[1])) > 2 and \
                not agree(words[1], full[1]):
            continue  # "Mohamed Azmin Ali" is not Mohamed Irfaan Ali
        if any(agree(g, f) for g in given for f in (full[0], *(w for w in full[1:-1]
                                                              if len(w) > 2))):
            return True
        if len(words[-1]) > 1 and agree(words[-1], full[0]) and agree(words[0], full[-1]):
            return True  # the same name in the other order
    return False


def split_surname(name: str, entry: KBEntry, *, similarity: float) -> bool:
    """Whether a two-word name is the entry's (last) surname written in two words, as
    translations split long names ("Abdullah Hian" for Amir-Abdollahian)."""
    words = bare_name_words(name)
    if len(words) != 2:
        return False
    joined = "".join(words)
    for alias in (entry.name, *entry.aliases):
        full = bare_name_words(alias)
        if len(full) >= 2 and word_similarity(joined, full[-1]) >= similarity:
            return True
    return False


def names_fit_entry(names: Iterable[str], entry: KBEntry, *, similarity: float,
                    listed_similarity: float) -> bool:
    """Every full name among ``names`` fits one of the entry's full names."""
    return all(full_name_fits(n, entry, similarity=similarity,
                              listed_similarity=listed_similarity) for n in names)


@dataclass(frozen=True)
class _Scored:
    score: float
    cand: Candidate
    evidence: tuple[str, ...]
    surname_only: bool


def score_candidate(cand: Candidate, cluster: Cluster, doc_countries: dict[str, float], *,
                    settings: EntitiesSettings) -> float:
    """The link score of a candidate: its name similarity plus the context that agrees
    (role, the entry's country among the article's, prominence), by the [entities] weights."""
    score = cand.similarity
    if cand.exact and not cand.partial:
        score += settings.link_exact_bonus
    score += settings.link_role_weight * role_agreement(cluster.roles, cand.entry)
    if cand.entry.country:
        score += settings.link_country_weight * min(
            1.0, settings.link_country_share_scale * doc_countries.get(cand.entry.country, 0.0))
    score += settings.link_prominence_weight * cand.entry.prominence
    if cand.partial and not cand.exact:
        score -= settings.link_partial_penalty
    return score


def co_mentions(entry: KBEntry, doc_names: frozenset[str]) -> list[str]:
    """Names of the article (other than the entry's country) that the entry's roles or
    description name: "Supreme Court" for a justice, "Vermont" for its senator."""
    if not doc_names:
        return []
    text = " " + " ".join(name_tokens(" ".join((*entry.roles, entry.description)))) + " "
    own = fold(entry.country)
    return sorted(n for n in doc_names
                  if n != own and len(n) >= 4 and f" {n} " in text)


def _context_evidence(cand: Candidate, cluster: Cluster, doc_countries: dict[str, float],
                      doc_names: frozenset[str]) -> list[str]:
    out = []
    roles = sorted(r for r in cluster.roles if role_agreement({r}, cand.entry) > 0)
    if roles:
        out.append("role:" + ",".join(roles))
    share = doc_countries.get(cand.entry.country, 0.0) if cand.entry.country else 0.0
    if share > 0:
        out.append(f"country:{cand.entry.country}={share:.2f}")
    out.extend("co-mention:" + n for n in co_mentions(cand.entry, doc_names)[:3])
    return out


def _context_support(cand: Candidate, evidence: list[str], doc_countries: dict[str, float], *,
                     settings: EntitiesSettings, surname_only: bool) -> bool:
    """Whether the context supports a link made on a surname alone or on a garbled full
    name: a role or a co-mention that agrees, or a prominent person of a country the
    article is about. A garbled full name that is close to the entry's ("Elon Mask") needs
    only its country in the story; a garbled surname alone needs a close spelling and a
    country of the story besides."""
    share = doc_countries.get(cand.entry.country, 0.0) if cand.entry.country else 0.0
    agrees = any(e.startswith(("role:", "co-mention:")) for e in evidence)
    prominent = cand.entry.prominence >= settings.surname_min_prominence
    if cand.similarity < settings.person_exact_similarity:  # a garbled spelling
        if not surname_only:
            return (share > 0 and cand.similarity >= settings.garbled_full_name_similarity) \
                or agrees or (share >= settings.surname_country_share and prominent)
        return share >= settings.surname_country_share and (agrees or prominent) and \
            cand.similarity >= settings.garbled_surname_similarity
    if agrees or (share >= settings.surname_country_share and prominent):
        return True
    return share > 0 and cand.entry.prominence >= settings.surname_prominent


def _full_names(entry: KBEntry) -> list[str]:
    return [a for a in (entry.name, *entry.aliases) if len(bare_name_words(a)) > 1]


def _as_full_name(name: str, cand: Candidate) -> Candidate:
    """A candidate for a full name scored against the entry's full names, the name taken
    with and without its leading words ("Ayatollah Ebrahim Raisi") and the entry's names
    with and without titles ("John Paul" for Pope John Paul II): one found through the
    entry's surname alone is compared with "Leung Chun-ying", not with "Leung"."""
    def forms(words: list[str] | tuple[str, ...]) -> list[str]:
        return [" ".join(words[i:]) for i in range(len(words) - 1)]

    # not the entry's later words alone: a middle name is not what a person is called by
    # ("Michael Johnson" is not James Michael Johnson)
    targets = {f: a for a in _full_names(cand.entry) for f in (a, " ".join(bare_name_words(a)))}
    scored = [(name_similarity(f, t), a) for f in forms(name.split())
              for t, a in targets.items()]
    if not scored:
        return cand
    sim, alias = max(scored)
    if not cand.partial and cand.similarity >= sim:
        return cand
    return replace(cand, similarity=sim, alias=alias, exact=sim >= 1.0, partial=False)


def _as_surname(name: str, cand: Candidate, *, syllable_max: int) -> Candidate:
    """A candidate for a one-word name scored against the last word of its alias: "Kevin"
    is not Stephen Kevin Bannon, nor is a father's name after "bin" a surname. The last
    piece of a hyphenated given name, at most ``syllable_max`` letters, is a syllable and
    no surname: "Weiwen" is compared with "Ing-wen" whole, not with "wen"."""
    if cand.exact:
        return cand
    words = bare_name_words(cand.alias)
    if len(words) < 2 and not cand.partial:
        return cand
    if len(words) > 2 and name_affixes().get(words[-2]) == "patronymic":
        # "Mohammed" is not Hamdan bin Mohammed: the word after "bin" names the father
        return replace(cand, similarity=0.0)
    last = words[-1] if words else fold(cand.alias)
    # the written word the surname comes from, for the KB's surname of a full name too
    written = next((w for a in (cand.alias, cand.entry.name, *cand.entry.aliases)
                    for w in reversed(a.split()) if "-" in w or "‐" in w or "‑" in w
                    if fold(_HYPHENS.split(w)[-1]) == last), None)
    if written is not None and len(last) <= syllable_max:
        last = fold("".join(_HYPHENS.split(written)))
    elif len(words) < 2:
        return cand
    return replace(cand, similarity=min(cand.similarity, word_similarity(fold(name), last)))


_HYPHENS = re.compile(r"[-‐‑]")


def _names_country(word: str, entry: KBEntry) -> bool:
    """``word`` is a name or demonym of the country the entry is ("Ukrainian": Ukraine)."""
    country = countries().lookup(word)
    return country is not None and fold(country.name) == fold(entry.name)


def country_variants(names: Iterable[str]) -> list[tuple[str, str | None]]:
    """Other forms of organisation names that name their country, which translations
    write either way, each with the country its entry must then be of (None: any):
    "Japanese International Cooperation Agency" -> "Japan International Cooperation Agency";
    "MID of Russia" -> "MID", of Russia."""
    out: list[tuple[str, str | None]] = []
    for name in names:
        words = name.split()
        country = countries().lookup(words[0]) if len(words) >= 3 else None
        if country is not None and fold(words[0]) not in fold(country.name).split():
            out.append((" ".join((country.name, *words[1:])), None))
        m = _OF_COUNTRY.match(name)
        if m is not None:
            place = countries().lookup(m["country"])
            if place is not None and fold(m["country"]) in {
                    fold(n) for n in (place.name, *place.aliases)}:
                out.append((m["body"], place.name))
    return out


_OF_COUNTRY = re.compile(r"^(?P<body>.+) of (?:the )?(?P<country>[A-Z][\w ]+)$")


def link_cluster(cluster: Cluster, kb: KnowledgeBases, doc_countries: dict[str, float], *,
                 settings: EntitiesSettings, doc_names: frozenset[str] = frozenset()
                 ) -> Link | None:
    """The KB entry a cluster names, or None (NIL), by the ``[entities]`` link bars; an
    organisation or place that links by none of its names, by their ``country_variants``.

    ``doc_names`` are the folded names of the article's other clusters, read as co-mentions
    that support a person named by the surname alone."""
    link = _link_names(cluster, kb, doc_countries, settings=settings, doc_names=doc_names)
    if link is not None or cluster.group_kind or cluster.label == "PERSON":
        return link
    names = [n for n in cluster.names if n not in cluster.borrowed]
    for variant, country in country_variants(names):
        link = _link_names(replace(cluster, names=Counter([variant]), borrowed=set()), kb,
                           doc_countries, settings=settings, doc_names=doc_names)
        if link is not None and (country is None or link.entry.country == country):
            return link
    return None


def group_entry(entries: list[KBEntry], cluster: Cluster) -> KBEntry | None:
    """Which of a country's institutions of the group's kind a group phrase names: the one
    known by the phrase ("Iranian army": the army, not the armed forces), else the one whose
    name holds the phrase's noun or the kind ("Chinese navy": the armed forces, "the US
    authorities": the federal government), else the only one; none where the country has
    several and nothing tells them apart (not the first listed: "the Chinese government" is
    not its Central Military Commission)."""
    if not entries:
        return None
    said = {re.sub(r"^the ", "", fold(n)) for n in cluster.names}
    known = [(e, [fold(a) for a in (e.name, *e.aliases)]) for e in entries]
    for e, aliases in known:
        if said & set(aliases):
            return e
    nouns = {n.split()[-1] for n in said if n}
    kind = (cluster.group_kind or "").replace("_", " ")
    for words in (nouns, {kind}):
        for e, aliases in known:
            if any(f" {w} " in f" {a} " for a in aliases for w in words if w):
                return e
    return entries[0] if len(entries) == 1 else None


def _link_names(cluster: Cluster, kb: KnowledgeBases, doc_countries: dict[str, float], *,
                settings: EntitiesSettings, doc_names: frozenset[str]) -> Link | None:
    """``link_cluster`` by the cluster's own names."""
    if cluster.group_kind:
        if cluster.country and not cluster.head_person:
            entry = group_entry(kb.by_kind(cluster.group_kind, cluster.country), cluster)
            if entry is not None:
                return Link(entry, settings.group_link_confidence, entry.name,
                            (f"group:{cluster.group_kind}", f"country:{cluster.country}"))
        return None
    types = LINKABLE_TYPES.get(cluster.label, (cluster.label,))
    person = cluster.label == "PERSON"
    names = [n for n in cluster.names if n not in cluster.borrowed]
    if person:
        names = [n for n in names if bare_name_words(n)]  # "Sen." alone names nobody
        if any(len(bare_name_words(n)) > 1 for n in names):
            # a person named in full is linked by the full name: "Donald Reid" is not Harry Reid
            names = [n for n in names if len(bare_name_words(n)) > 1]
    found: dict[str, _Scored] = {}
    for written in names:
        spelled = initials_form(written) if person else None
        name = spelled or written  # "Jay Dee Vens" is looked up as "JD Vens"
        full_name = person and len(bare_name_words(name)) > 1
        if person and not full_name and any(
                c.entry.type != "PERSON" for c in kb.exact(name, include_partial=False)):
            continue  # a word the KB knows as a place or organisation is not a surname
        cands = kb.exact(name)
        if not (name.isupper() and len(name) <= 6):  # an acronym links only as written
            cands += kb.search(name, types=types, limit=8,
                               min_similarity=settings.kb_min_similarity)
        one_word = len(name.split()) == 1
        for found_cand in cands:
            if found_cand.entry.type not in types:
                continue
            if is_acronym(found_cand.alias) and not name.isupper():
                continue  # "Kia" is not KIA, "Cia" not the CIA
            cand = found_cand
            split = full_name and split_surname(name, found_cand.entry,
                                                similarity=settings.garbled_surname_similarity)
            if split:  # "Abdullah Hian": a surname the translation wrote in two words
                cand = _as_surname("".join(bare_name_words(name)), found_cand,
                                   syllable_max=settings.name_syllable_max_letters)
            elif full_name:
                cand = _as_full_name(name, found_cand)
            elif person:
                cand = _as_surname(name, found_cand,
                                   syllable_max=settings.name_syllable_max_letters)
            if cand.similarity < settings.kb_min_similarity:
                continue
            if full_name and not split and not full_name_fits(
                    name, cand.entry, similarity=settings.given_name_similarity,
                    listed_similarity=settings.listed_given_name_similarity):
                continue  # "Ryan Kennedy" is not Anthony Kennedy
            if not person and one_word and not cand.exact and \
                    cand.similarity < settings.single_word_name_similarity and \
                    not _names_country(name, cand.entry):
                continue  # "Naples" is not Nablus, "Turin" not Tirana
            if not person and is_acronym(cand.alias) and cand.entry.country and \
                    not doc_countries.get(cand.entry.country):
                continue  # an acronym names an organisation of a country of the story
            evidence = _context_evidence(cand, cluster, doc_countries, doc_names)
            # one word that is not an exact one-word alias of the entry ("Lula")
            surname_only = person and (split or not full_name) and \
                not (cand.exact and not cand.partial)
            garbled = cand.similarity < settings.person_exact_similarity
            if (surname_only or (full_name and garbled)) and not _context_support(
                    cand, evidence, doc_countries, settings=settings,
                    surname_only=surname_only):
                continue
            s = score_candidate(cand, cluster, doc_countries, settings=settings)
            match = ("exact" if cand.exact else f"similar:{cand.similarity:.2f}")
            head = [f"name:{match}:{cand.alias}"]
            if spelled:
                head.append("initials-spelled-out")
            if full_name:
                head.append("given-name-agrees")
            if surname_only:
                head.append("surname-only")
            scored = _Scored(s, cand, (*head, *evidence), surname_only)
            key = cand.entry.kb_id
            if key not in found or s > found[key].score:
                found[key] = scored
    if not found:
        # "Japanese International Cooperation Agency", unknown: "Japan International ..."
        return None
    ranked = sorted(found.values(), key=lambda sc: (sc.score, sc.cand.entry.prominence),
                    reverse=True)
    best = ranked[0]
    if person and best.surname_only and len(ranked) > 1:
        # namesakes: a surname shared by two entries the context cannot tell apart names
        # neither, unless one is far more prominent ("Trump" beside Ivanka Trump)
        rival = ranked[1]
        if rival.cand.similarity >= best.cand.similarity and \
                best.score - rival.score < settings.namesake_score_margin and \
                best.cand.entry.prominence - rival.cand.entry.prominence < \
                settings.namesake_prominence_margin:
            return None
    score, cand = best.score, best.cand
    if person:
        roles_agree = role_agreement(cluster.roles, cand.entry) > 0
        in_story = doc_countries.get(cand.entry.country, 0.0) > 0
        if cand.similarity < settings.person_link_similarity and not (
                cand.similarity >= settings.person_link_similarity_with_role and roles_agree):
            return None  # a person is linked on a close name, or a fair one with a role
        if cand.similarity < settings.person_exact_similarity and not (in_story or (
                roles_agree and cand.similarity >= settings.person_garbled_similarity_with_role)):
            # a garbled spelling links only to someone the article's countries or roles
            # make plausible: "MacAulay" in a Scottish story is not Mauricio Macri
            return None
        full = [initials_form(n) or n for n in names if len(bare_name_words(n)) > 1]
        if full and not in_story and max(name_similarity(n, a) for n in full
                                         for a in (cand.entry.name, *cand.entry.aliases)
                                         ) < settings.full_name_similarity:
            return None  # "Rodrigo Saavedra" in Chile is not Nicaragua's Ortega Saavedra
    # A place or organisation must match a known alias closely; people may be garbled.
    bar = settings.link_threshold if person else max(settings.link_threshold,
                                                     settings.name_link_threshold)
    if score < bar:
        return None
    confidence = min(score, 1.0)
    if best.surname_only:
        confidence = min(confidence, settings.surname_link_confidence)
    return Link(cand.entry, round(confidence, 3), cand.alias, best.evidence)


@lru_cache(maxsize=1)
def regnal_numbers() -> dict[str, str]:
    """Ordinal word -> Roman numeral (data/regnal_numbers.tsv): "second" -> "II"."""
    return {r["word"]: r["numeral"] for r in read_rows("regnal_numbers.tsv")}


def regnal_form(name: str) -> str:
    """A monarch's name with its number as English writes it: "Ramses the Second" ->
    "Ramses II"; other names as they are."""
    m = re.fullmatch(r"(?P<name>.+?) the (?P<number>[A-Z][a-z]+)", name)
    numeral = regnal_numbers().get(m["number"].lower()) if m else None
    return f"{m['name']} {numeral}" if m and numeral else name


def canonical_name(cluster: Cluster, link: Link | None, preferred_nouns: dict[str, str]
                   ) -> str:
    """The KB name, else the most frequent (then longest) spelling in the cluster (a
    person's with a monarch's number as a numeral)."""
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
        name = max(own.items(),
                   key=lambda kv: (len(kv[0].split()), not kv[0].isupper(), kv[1]))[0]
        return regnal_form(name) if cluster.label == "PERSON" else name
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

    def __init__(self, kb: KnowledgeBases, doc_countries: dict[str, float], *,
                 confidence: float) -> None:
        self.confidence = confidence  # of a link to the organisation a name is one word off
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
        return Link(entry, self.confidence, entry.name,
                    ("name:one-word-off", "country:in-story"))


def near_miss_org(cluster: Cluster, kb: KnowledgeBases, doc_countries: dict[str, float], *,
                  confidence: float) -> Link | None:
    """``NearMisses(kb, doc_countries, confidence=...).find(cluster)``, for one cluster."""
    return NearMisses(kb, doc_countries, confidence=confidence).find(cluster)
