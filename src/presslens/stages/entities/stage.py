"""Entities stage: who is who. Needs the parse; adds ``entities`` and ``flags``.

Order of work: find mentions -> re-read misread country abbreviations -> cluster names ->
move places in speaker slots to the people they sound like -> link clusters to the KB and
merge clusters that link to one entry -> resolve nominals and pronouns -> name each entity
and flag garbled spellings, keeping the flags only where the article shows signs of being a
translation (``flags.translation_evidence``). Every step is a pure function in its own
module; ``find`` gathers their results and ``__call__`` writes them into the analysis in one
step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from presslens.config import Config
from presslens.kb.bases import KBEntry, KnowledgeBases, open_knowledge_base
from presslens.language.glosses import NameGloss, name_glosses
from presslens.language.lexicons import countries, government_nouns
from presslens.language.names import fold, name_similarity
from presslens.language.syntax import SUBJECT_DEPS
from presslens.model import PLACE_LABELS, Analysis, Entity, Flag, Mention, MentionKind
from presslens.registry import register_stage
from presslens.stages.entities.coref import cluster_gender, resolve_nominals, resolve_pronouns
from presslens.stages.entities.flags import (
    CountryReferences,
    Finding,
    InstitutionBars,
    NameBars,
    SubjectBars,
    country_references,
    doc_sentences,
    evidence_weights,
    garbled_org_name,
    governing_lemmas,
    idiom_matches,
    known_countries,
    likely_source_languages,
    literal_idiom_findings,
    misread_abbreviations,
    misread_institutions,
    opens_known_org,
    rendered_idiom_languages,
    shares_name_word,
    supported_findings,
    translation_evidence,
    variant_findings,
)
from presslens.stages.entities.glosses import (
    GlossIndex,
    GlossSettings,
    LiteralName,
    literal_names,
    parse_slots,
    reads_as_english,
)
from presslens.stages.entities.linking import (
    Link,
    NearMisses,
    canonical_name,
    kb_roles,
    link_cluster,
    names_fit_entry,
)
from presslens.stages.entities.mentions import (
    MentionCandidate,
    find_mentions,
    is_speaker_slot,
    sentence_numbers,
    with_demonyms,
    written_case,
)
from presslens.stages.entities.propagate import propagate_mentions
from presslens.stages.entities.resolve import (
    Cluster,
    ClusterIndex,
    best_similarity,
    cluster_names,
    join_first_names,
    merge_clusters,
    person_index,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from presslens.context import ArticleContext


class EntityStage:
    def __init__(self, config: Config, kb: KnowledgeBases | None = None) -> None:
        self.cfg = config.entities
        self.flag_cfg = config.flags
        self.kb = kb if kb is not None else open_knowledge_base(config)
        self._glosses: GlossIndex | None = None  # built on first use
        self._gloss_entries: dict[tuple[str, str, str], KBEntry | None] = {}

    def __call__(self, context: ArticleContext, analysis: Analysis) -> Analysis:
        entities, flags = self.find(context.doc)
        return analysis.with_(entities=entities, flags=[*analysis.flags, *flags])

    # -- detection (pure) -----------------------------------------------------------------
    # ``find`` runs the steps in order. Each step returns new values (mentions, clusters and
    # the clusters' links, as lists indexed alike) and never changes the ones it is given.
    def find(self, doc: Doc) -> tuple[list[Entity], list[Flag]]:
        mentions = find_mentions(doc, self.kb, sports_min_cues=self.cfg.sports_min_cues)
        refs = country_references(mentions, self._place_country)
        idioms = idiom_matches(doc.text)  # set phrases rendered word for word, found once
        idiom_findings = literal_idiom_findings(
            idioms, confidence=self.flag_cfg.literal_idiom_confidence) \
            if self.flag_cfg.literal_idiom else []
        mentions, abbreviations = self._reread_abbreviations(
            doc, mentions, refs, rendered_idiom_languages(idioms))
        clusters = self._cluster(mentions)
        mentions, clusters, speakers = self._places_as_speakers(mentions, clusters)
        counts = refs.total
        total = sum(counts.values()) or 1
        shares = {c: n / total for c, n in counts.items()}
        # places and organisations the KB knows: co-mentions that support a person's link
        doc_names = frozenset(fold(n) for c in clusters if c.family != "PERSON" and c.kb_ids
                              for n in c.names)
        links = [link_cluster(c, self.kb, shares, settings=self.cfg, doc_names=doc_names)
                 for c in clusters]
        links, garbled = self._near_misses(clusters, links, mentions, shares)
        clusters, links = self._merge_linked(clusters, links, mentions)
        mentions, clusters = self._propagate(doc, mentions, clusters, links)
        mentions, clusters, links, literal = self._literal_names(
            doc, mentions, clusters, links, shares, [*abbreviations, *garbled], idiom_findings)
        if literal:  # a place read as a speaker may now be a literal name instead
            held = {i for c in clusters for i in c.members}
            speakers = [s for s in speakers if s[0] in held]
        clusters = self._coreference(doc, mentions, clusters, links)
        names = self._names(clusters, links)
        order = self._order(clusters, mentions)
        entities = self._entities(order, clusters, links, names, mentions)
        ids = {ci: e.id for ci, e in zip(order, entities)}
        findings = [*abbreviations, *self._speaker_findings(speakers, mentions, clusters, names),
                    *garbled, *literal]
        if self.flag_cfg.variant_spelling:
            findings.extend(self._variant_findings(clusters, links, names, mentions))
        findings.extend(idiom_findings)
        # flags only in an article that shows signs of being a translation
        evidence = translation_evidence(
            doc.text, [f for f in findings if not reads_as_english(f)],
            weights=evidence_weights(self.flag_cfg),
            subjects=[c for c, share in shares.items() if share >= self.flag_cfg.subject_share])
        findings = supported_findings(findings, evidence,
                                      bar=self.flag_cfg.translation_evidence_bar)
        cluster_of = {i: ci for ci, c in enumerate(clusters) for i in c.members}
        flags = [Flag(start=f.start, end=f.end, text=f.text, kind=f.kind,
                      suggestion=f.suggestion, confidence=f.confidence, reason=f.reason,
                      entity=ids.get(cluster_of.get(f.mention, -1)) if f.mention is not None
                      else None)
                 for f in sorted(findings, key=lambda f: (f.start, f.kind))]
        return with_demonyms(entities, mentions), flags

    def _reread_abbreviations(self, doc: Doc, mentions: list[MentionCandidate],
                              refs: CountryReferences, idiom_languages: frozenset[str]
                              ) -> tuple[list[MentionCandidate], list[Finding]]:
        """Country words and institution names that a collided abbreviation of the
        article's likely source language explains better otherwise (the article's subject;
        the institution that does what the sentence says): the findings, and the mentions
        with each such group's country corrected."""
        cfg = self.flag_cfg
        if not cfg.misread_abbreviation:
            return mentions, []
        others = known_countries(mentions, lambda kb_id: getattr(self.kb.get(kb_id),
                                                                 "country", ""))
        counts = refs.total + others
        total = sum(counts.values()) or 1
        languages = likely_source_languages(
            doc.text, [c for c, n in counts.items() if n / total >= cfg.subject_share],
            idioms=idiom_languages)
        if not languages:
            return mentions, []
        out = list(mentions)
        findings = []
        bars = SubjectBars(share=cfg.subject_share, max_named=cfg.misread_max_named,
                           ratio=cfg.misread_subject_ratio,
                           unnamed_ratio=cfg.misread_unnamed_ratio,
                           least=cfg.misread_subject_min)
        for country, finding in misread_abbreviations(doc.text, mentions, refs,
                                                      languages=languages, bars=bars,
                                                      others=others):
            i = finding.mention
            if i is not None and out[i].kind == "group":
                out[i] = replace(out[i], country=country)
            findings.append(finding)
        findings.extend(misread_institutions(
            doc.text, doc_sentences(doc), governing_lemmas(doc), languages=languages,
            bars=InstitutionBars(governor=cfg.institution_governor_weight,
                                 article=cfg.institution_article_weight,
                                 margin=cfg.institution_margin,
                                 confidence=cfg.institution_confidence)))
        return out, findings

    def _cluster(self, mentions: list[MentionCandidate]) -> list[Cluster]:
        """Name and group mentions in clusters; a lone given name joins its one full name."""
        clusters = cluster_names(mentions, join_threshold=self.cfg.join_threshold,
                                 context_threshold=self.cfg.join_threshold_with_context)
        same = join_first_names(clusters, mentions)
        return merge_clusters(clusters, mentions, same) if same else clusters

    def _near_misses(self, clusters: list[Cluster], links: list[Link | None],
                     mentions: list[MentionCandidate], shares: dict[str, float]
                     ) -> tuple[list[Link | None], list[Finding]]:
        """Unlinked organisations one word off a KB organisation of the article's countries:
        linked to it, and each of their mentions flagged as a garbled name."""
        if not self.flag_cfg.garbled_name:
            return links, []
        out = list(links)
        garbled: list[Finding] = []
        places = frozenset(fold(m.text) for m in mentions if m.label in PLACE_LABELS
                           or m.relabelled_from in PLACE_LABELS)
        near_misses = NearMisses(self.kb, shares,
                                 confidence=self.cfg.near_miss_link_confidence)
        # the KB organisations of the article's countries, to which a short name may belong
        known_orgs = [a for country, share in shares.items() if share > 0
                      for e in self.kb.by_country(country, "ORG") for a in (e.name, *e.aliases)]
        for ci, c in enumerate(clusters):
            near = near_misses.find(c) if out[ci] is None else None
            if near is None or not any(garbled_org_name(
                    n, [near.entry.name, *near.entry.aliases],
                    min_words=self.flag_cfg.garbled_name_min_words,
                    is_place=lambda w: self._is_place(w, places))
                    and not opens_known_org(n, known_orgs) for n in c.names):
                continue
            out[ci] = near
            for i in c.members:
                m = mentions[i]
                garbled.append(Finding(
                    m.start, m.end, m.text, "garbled-name", near.entry.name,
                    self.flag_cfg.garbled_name_confidence, i,
                    f"one word off {near.entry.name}, an organisation of a country the "
                    "article is about"))
        return out, garbled

    @staticmethod
    def _propagate(doc: Doc, mentions: list[MentionCandidate], clusters: list[Cluster],
                   links: list[Link | None]
                   ) -> tuple[list[MentionCandidate], list[Cluster]]:
        """The mentions NER missed, added to the mentions and to their clusters."""
        found = propagate_mentions(doc, mentions, clusters, links)
        if not found:
            return mentions, clusters
        mentions = list(mentions)
        clusters = [c.copy() for c in clusters]
        for ci, m in found:
            mentions.append(m)
            clusters[ci].add(len(mentions) - 1, m)
        return mentions, clusters

    def _literal_names(self, doc: Doc, mentions: list[MentionCandidate],
                       clusters: list[Cluster], links: list[Link | None],
                       shares: dict[str, float], prior: list[Finding],
                       idioms: list[Finding]
                       ) -> tuple[list[MentionCandidate], list[Cluster], list[Link | None],
                                  list[Finding]]:
        """Names translated as words (``glosses.literal_names``): each phrase becomes a
        mention of the KB entry it renders, in the cluster linked to that entry or in a new
        one linked to it (mentions over the phrase leave their clusters); the findings.
        Only in an article that shows signs of translation with them and the ``prior``
        findings: elsewhere the findings alone (later findings may yet support them)."""
        if not self.flag_cfg.literal_name:
            return mentions, clusters, links, []
        index = self._gloss_index()
        cfg = self.flag_cfg
        found = literal_names(
            doc.text, index, slot_of=parse_slots(doc), shares=shares,
            known_as=lambda phrase: [(c.entry.type, c.entry.country)
                                     for c in self.kb.exact(phrase, include_partial=False)],
            settings=GlossSettings(run_confidence=cfg.literal_name_run_confidence,
                                   slot_confidence=cfg.literal_name_slot_confidence,
                                   place_confidence=cfg.literal_place_confidence,
                                   place_slot_confidence=cfg.literal_place_slot_confidence,
                                   subject_share=cfg.subject_share),
            linked={link.entry.country for link in links if link is not None and
                    link.entry.country},
            people={m.text for m in mentions if m.kind == "name" and m.label == "PERSON"})
        found = [lit for lit in found if self._gloss_entry(lit.gloss) is not None]
        if not found:
            return mentions, clusters, links, []
        signs = [*prior, *(f for lit in found if not reads_as_english(f := lit.finding()))]
        if not self._translated(doc, signs, idioms, mentions, clusters, links, shares):
            return mentions, clusters, links, [lit.finding() for lit in found]
        return self._adopt_literal_names(doc, found, mentions, clusters, links)

    def _translated(self, doc: Doc, signs: list[Finding], idioms: list[Finding],
                    mentions: list[MentionCandidate], clusters: list[Cluster],
                    links: list[Link | None], shares: dict[str, float]) -> bool:
        """The article shows signs of translation enough for flags: the ``signs`` found so
        far, else with the garbled spellings found later looked at now and the ``idioms``."""
        cfg = self.flag_cfg
        subjects = [c for c, share in shares.items() if share >= cfg.subject_share]
        weights = evidence_weights(self.flag_cfg)
        if translation_evidence(doc.text, signs, weights=weights, subjects=subjects).score >= \
                cfg.translation_evidence_bar:
            return True
        later = self._variant_findings(clusters, links, self._names(clusters, links),
                                       mentions) if cfg.variant_spelling else []
        later.extend(idioms)
        return translation_evidence(doc.text, [*signs, *later], weights=weights,
                                    subjects=subjects).score >= cfg.translation_evidence_bar

    def _adopt_literal_names(self, doc: Doc, found: list[LiteralName],
                             mentions: list[MentionCandidate], clusters: list[Cluster],
                             links: list[Link | None]
                             ) -> tuple[list[MentionCandidate], list[Cluster],
                                        list[Link | None], list[Finding]]:
        """Each literal name as a mention of its KB entry (see ``_literal_names``)."""
        mentions, clusters, links = list(mentions), [c.copy() for c in clusters], list(links)
        sent_of = sentence_numbers(doc)
        findings = []
        for lit in found:
            entry = cast(KBEntry, self._gloss_entry(lit.gloss))
            before = None
            for c in clusters:
                for i in [i for i in c.members if mentions[i].start < lit.end and
                          lit.start < mentions[i].end]:
                    before = before or mentions[i].label
                    c.members.remove(i)
                    if mentions[i].kind in ("name", "group"):
                        c.names[mentions[i].text] -= 1
                        if c.names[mentions[i].text] <= 0:
                            del c.names[mentions[i].text]
            span = doc.char_span(lit.start, lit.end, alignment_mode="expand")
            root = span.root if span is not None and len(span) else doc[0]
            m = MentionCandidate(start=lit.start, end=lit.end, text=lit.text, label=entry.type,
                                 sent=sent_of[root.i], head=root.i,
                                 speaker_slot=is_speaker_slot(root),
                                 subject=root.dep_ in SUBJECT_DEPS,
                                 relabelled_from=before if before != entry.type else None)
            mentions.append(m)
            target = next((ci for ci, link in enumerate(links)
                           if link is not None and link.entry.kb_id == entry.kb_id), None)
            if target is None:
                clusters.append(Cluster(label=entry.type, country=entry.country or None))
                links.append(Link(entry, lit.confidence, lit.text, (lit.reason,)))
                target = len(clusters) - 1
            clusters[target].add(len(mentions) - 1, m)
            clusters[target].kb_ids.add(entry.kb_id)
            clusters[target].borrowed.add(m.text)  # not a spelling of the name
            findings.append(lit.finding(len(mentions) - 1))
        kept = [ci for ci, c in enumerate(clusters) if c.members]
        return mentions, [clusters[ci] for ci in kept], [links[ci] for ci in kept], findings

    def _gloss_index(self) -> GlossIndex:
        """The glosses of ``data/glosses``, with the KB names of each glossed entry."""
        if self._glosses is None:
            glosses = name_glosses()
            names = {(g.name, g.country): (entry.name, *entry.aliases)
                     for found in glosses.values() for g in found
                     for entry in [self._gloss_entry(g)] if entry is not None}
            self._glosses = GlossIndex(glosses, names)
        return self._glosses

    def _gloss_entry(self, gloss: NameGloss) -> KBEntry | None:
        """The KB entry a gloss row names (name, type and country as in the KB)."""
        key = (gloss.name, gloss.type, gloss.country)
        if key not in self._gloss_entries:
            fits = [c.entry for c in self.kb.exact(gloss.name, include_partial=False)
                    if c.entry.type == gloss.type and c.entry.country == gloss.country]
            fits.sort(key=lambda e: (e.name != gloss.name, -e.prominence))
            self._gloss_entries[key] = fits[0] if fits else None
        return self._gloss_entries[key]

    def _coreference(self, doc: Doc, mentions: list[MentionCandidate], clusters: list[Cluster],
                     links: list[Link | None]) -> list[Cluster]:
        """Clusters with the nominals and pronouns that refer to them as members."""
        cluster_of = {i: ci for ci, c in enumerate(clusters) for i in c.members}
        extra: dict[int, int] = {}
        if self.cfg.resolve_nominals:
            roles = {ci: c.roles | kb_roles(link) for ci, (c, link)
                     in enumerate(zip(clusters, links))}
            extra.update(resolve_nominals(mentions, cluster_of, roles,
                                          window=self.cfg.pronoun_window))
        if self.cfg.resolve_pronouns:
            genders = {ci: cluster_gender(c, link) for ci, (c, link)
                       in enumerate(zip(clusters, links))}
            extra.update(resolve_pronouns(doc, mentions, cluster_of, genders,
                                          window=self.cfg.pronoun_window,
                                          nominals=dict(extra)))
        if not extra:
            return clusters
        clusters = [c.copy() for c in clusters]
        for mi, ci in extra.items():
            clusters[ci].members.append(mi)
        return clusters

    def _place_country(self, m: MentionCandidate) -> str | None:
        """The country a KB-known place lies in."""
        for kb_id in m.kb_exact:
            entry = self.kb.get(kb_id)
            if entry is not None and entry.type in PLACE_LABELS and entry.country:
                return entry.country
        return None

    def _places_as_speakers(self, mentions: list[MentionCandidate], clusters: list[Cluster]
                            ) -> tuple[list[MentionCandidate], list[Cluster],
                                       list[tuple[int, int, float]]]:
        """Place mentions in a speaker slot that sound like a person of the article, moved to
        that person: the new mentions and clusters, and for each move (mention index,
        person cluster index, similarity)."""
        if not self.flag_cfg.place_as_speaker:
            return mentions, clusters, []
        if not any(mentions[i].speaker_slot and mentions[i].label in PLACE_LABELS
                   for c in clusters if c.family == "PLACE" for i in c.members):
            # nothing to move (most articles): no copies, no index of the people
            return mentions, [c for c in clusters if c.members], []
        mentions = list(mentions)
        clusters = [c.copy() for c in clusters]
        moved = []
        bar = self.cfg.place_speaker_similarity
        people = person_index(clusters, threshold=bar)  # only those that may reach the bar
        for c in clusters:
            if c.family != "PLACE":
                continue
            for i in list(c.members):
                m = mentions[i]
                if not m.speaker_slot or m.label not in PLACE_LABELS:
                    continue
                scored = [(best_similarity(m.text, names), p)
                          for p, names in people.candidates("PERSON", m.text, m.kb_exact)]
                if not scored:
                    continue
                sim, target = max(scored)
                if sim >= bar and not shares_name_word(m.text, clusters[target].names) and \
                        not self._own_people(m.text, clusters[target].names):
                    c.members.remove(i)
                    c.names[m.text] -= 1
                    mentions[i] = replace(m, label="PERSON", relabelled_from=m.label,
                                          kb_exact=())
                    clusters[target].add(i, mentions[i])
                    clusters[target].borrowed.add(m.text)
                    people.add_name(target, "PERSON", m.text)
                    moved.append((i, target, sim))
        clusters = [c for c in clusters if c.members]
        # indices shifted: recompute the targets by membership
        where = {i: ci for ci, c in enumerate(clusters) for i in c.members}
        return mentions, clusters, [(i, where[i], sim) for i, _, sim in moved]

    def _merge_linked(self, clusters: list[Cluster], links: list[Link | None],
                      mentions: list[MentionCandidate]
                      ) -> tuple[list[Cluster], list[Link | None]]:
        same: dict[int, int] = {}
        first: dict[tuple[str, str], int] = {}
        links = list(links)
        for ci, (c, link) in enumerate(zip(clusters, links)):
            if link is None:
                continue
            if c.family == "PERSON" and not names_fit_entry(
                    [n for n in c.names if n not in c.borrowed], link.entry,
                    similarity=self.cfg.given_name_similarity,
                    listed_similarity=self.cfg.listed_given_name_similarity):
                # "Heidi Cruz" is not the entry of Ted Cruz; "Bill Clinton" fits the entry
                # that also lists "William Jefferson Clinton"
                links[ci] = None
                continue
            key = (c.family, link.entry.kb_id)
            if key in first:
                same[ci] = first[key]
            else:
                first[key] = ci
        if not same:
            return clusters, links
        merged = merge_clusters(clusters, mentions, same)
        kept_links = [links[ci] for ci in range(len(clusters)) if ci not in same]
        return merged, kept_links

    @staticmethod
    def _own_people(place: str, names: Iterable[str]) -> bool:
        """A name among ``names`` is a people of the country ``place`` names: "Germany" is
        not a garbled "Germans"."""
        country = countries().lookup(place)
        return country is not None and any(countries().lookup(n) == country for n in names)

    def _is_place(self, word: str, places: frozenset[str] = frozenset()) -> bool:
        """A country, demonym, KB place or a place the article names ("Ohio" in "Ohio
        Democratic Party"); ``places``: the folded place names of the article."""
        return fold(word) in places or countries().lookup(word) is not None or any(
            cd.entry.type in PLACE_LABELS for cd in self.kb.exact(word, include_partial=False))

    def _names(self, clusters: list[Cluster], links: list[Link | None]) -> dict[int, str]:
        nouns = government_nouns()
        out: dict[int, str] = {}
        people: ClusterIndex | None = None
        for ci, (c, link) in enumerate(zip(clusters, links)):
            if c.head_person and link is None:
                # the leader's country decides the usual noun ("administration")
                if people is None:
                    people = person_index(clusters, threshold=0.9)
                leader = next((links[p] for p, names in
                               people.candidates("PERSON", c.head_person)
                               if links[p] is not None and clusters[p].family == "PERSON"
                               and any(name_similarity(c.head_person, n) >= 0.9
                                       for n in names)), None)
                if leader is not None:
                    country = leader.entry.country
                else:  # the leader is named only here: ask the KB who they are
                    known = [cd.entry for cd in self.kb.exact(c.head_person)
                             if cd.entry.type == "PERSON"]
                    known.sort(key=lambda e: -e.prominence)
                    country = known[0].country if known else ""
                c = replace(c, country=country)
                out[ci] = canonical_name(c, None, nouns)
            else:
                out[ci] = written_case(canonical_name(c, link, nouns), list(c.names))
        return out

    @staticmethod
    def _order(clusters: list[Cluster], mentions: list[MentionCandidate]) -> list[int]:
        return sorted((ci for ci, c in enumerate(clusters) if c.names),
                      key=lambda ci: min(mentions[i].start for i in clusters[ci].members))

    def _entities(self, order: list[int], clusters: list[Cluster], links: list[Link | None],
                  names: dict[int, str], mentions: list[MentionCandidate]) -> list[Entity]:
        """Entities in order of first mention, numbered e1, e2, ..."""
        out = []
        for n, ci in enumerate(order, 1):
            c, link = clusters[ci], links[ci]
            ms = sorted({mentions[i] for i in c.members}, key=lambda m: (m.start, m.end))
            spellings = list(dict.fromkeys(m.text for m in ms if m.kind in ("name", "group")))
            out.append(Entity(
                id=f"e{n}", name=names[ci], type=c.label,
                kb_id=link.entry.kb_id if link else None,
                mentions=[Mention(start=m.start, end=m.end, text=m.text,
                                  kind=cast(MentionKind, "name" if m.kind == "group"
                                            else m.kind)) for m in ms],
                spellings=spellings, link_score=link.score if link else None,
                link_evidence=list(link.evidence) if link else [],
                description="; ".join(link.entry.roles[:2]) if link and link.entry.roles
                else (link.entry.kind.replace("_", " ") if link else None),
                country=(link.entry.country or None) if link else c.country,
            ))
        return out

    def _speaker_findings(self, speakers: list[tuple[int, int, float]],
                          mentions: list[MentionCandidate], clusters: list[Cluster],
                          names: dict[int, str]) -> list[Finding]:
        out: list[Finding] = []
        if not speakers:
            return out
        owner: dict[int, int] = {}  # mention -> first cluster holding it
        for ci, c in enumerate(clusters):
            for mi in c.members:
                owner.setdefault(mi, ci)
        cap = self.flag_cfg.place_as_speaker_max_confidence
        for i, _, sim in speakers:
            m = mentions[i]
            ci = owner[i]
            out.append(Finding(m.start, m.end, m.text, "place-as-speaker", names.get(ci),
                               round(min(cap, sim), 2), i,
                               f"a place in a speaker slot that sounds like {names.get(ci)}"))
        return out

    def _variant_findings(self, clusters: list[Cluster], links: list[Link | None],
                          names: dict[int, str], mentions: list[MentionCandidate]
                          ) -> list[Finding]:
        return variant_findings(clusters, links, names, mentions, bars=self._name_bars(),
                                linked_confidence=self.flag_cfg.variant_linked_confidence,
                                unlinked_confidence=self.flag_cfg.variant_unlinked_confidence)

    def _name_bars(self) -> NameBars:
        return NameBars(word=self.flag_cfg.variant_word_similarity,
                        surname=self.cfg.same_surname_similarity,
                        given=self.cfg.given_name_similarity,
                        listed_given=self.cfg.listed_given_name_similarity)


@register_stage("entities", requires=("doc",), provides=("entities", "flags"))
def make_entities(config: Config) -> EntityStage:
    return EntityStage(config)


__all__ = ["EntityStage", "make_entities"]
