"""Pronoun resolution on a hand-built parse (no trained model)."""

import spacy
from spacy.tokens import Doc

from presslens.stages.entities.coref import _candidate_score, _same_clause_object, resolve_pronouns
from presslens.stages.entities.mentions import MentionCandidate

NAMES = ["Smith", "Jones", "Mary", "Brown"]


def story(sentences: int) -> tuple[Doc, list[MentionCandidate], dict[int, int]]:
    """"<Name> spoke . He/She left ." over and over: a name every few sentences."""
    words, heads, deps, starts = [], [], [], []
    plan = []  # (kind, text, gender)
    for s in range(sentences):
        if s % 3 == 0:
            name = NAMES[(s // 3) % len(NAMES)]
            plan.append(("name", name, "any"))
            first = name
        else:
            pronoun = "She" if s % 2 else "He"
            plan.append(("pronoun", pronoun, "f" if pronoun == "She" else "m"))
            first = pronoun
        i = len(words)
        words += [first, "spoke", "."]
        heads += [i + 1, i + 1, i + 1]
        deps += ["nsubj", "ROOT", "punct"]
        starts += [True, False, False]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, sent_starts=starts)
    mentions, cluster_of = [], {}
    for s, (kind, text, gender) in enumerate(plan):
        tok = doc[s * 3]
        mentions.append(MentionCandidate(start=tok.idx, end=tok.idx + len(tok), text=text,
                                         label="PERSON", kind=kind, sent=s, head=tok.i,
                                         subject=True, gender=gender))
        if kind == "name":
            cluster_of[len(mentions) - 1] = NAMES.index(text)
    return doc, mentions, cluster_of


def resolve_against_everything(doc: Doc, mentions: list[MentionCandidate],
                               cluster_of: dict[int, int], genders: dict[int, str],
                               window: int) -> dict[int, int]:
    """Every earlier name and resolved pronoun tried for each pronoun (the old way)."""
    out: dict[int, int] = {}
    persons = [i for i, m in enumerate(mentions)
               if m.kind == "name" and m.label == "PERSON" and i in cluster_of]
    for pi in sorted((i for i, m in enumerate(mentions) if m.kind == "pronoun"),
                     key=lambda i: mentions[i].start):
        p = mentions[pi]
        best, best_score = None, -9.0
        for ai in [*persons, *out]:
            a = mentions[ai]
            if a.start >= p.start or p.sent - a.sent > window or \
                    _same_clause_object(doc, p, a):
                continue
            cluster = cluster_of[ai] if ai in cluster_of else out[ai]
            g = genders.get(cluster, "any")
            if p.gender != "any" and g != "any" and g != p.gender:
                continue
            if a.kind == "pronoun" and a.gender != p.gender:
                continue
            s = _candidate_score(doc, p, a) + (0.6 if g == p.gender else 0.0)
            s -= 0.15 if a.kind == "pronoun" else 0.0
            if s > best_score:
                best, best_score = cluster, s
        if best is not None:
            out[pi] = best
    return out


def test_coref_pronouns_look_back_only_a_window_of_sentences() -> None:
    doc, mentions, cluster_of = story(60)
    genders = {0: "m", 1: "any", 2: "f", 3: "m"}
    for window in (1, 3):
        got = resolve_pronouns(doc, mentions, cluster_of, genders, window=window)
        assert got == resolve_against_everything(doc, mentions, cluster_of, genders, window)
        assert got  # chains of pronouns keep their person
