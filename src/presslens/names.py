"""Name normalisation and transliteration-tolerant similarity.

Machine translation from Chinese or Russian garbles names in regular ways: l and r swap,
voiced and unvoiced consonants swap (b/p, d/t, g/k, z/s), vowels change, syllables are
dropped or added, a hyphen becomes a space. No single string threshold separates such
variants from different names (by Jaro-Winkler, Biden/Burden scores higher than some true
variant pairs whose endings were dropped), so similarity is built from several pieces of
evidence:

* a consonant *skeleton* in which the confusable sounds share one class, compared exactly;
* a weighted edit distance in which confusable substitutions and vowel edits are cheap;
* a long shared opening (a dropped or garbled ending keeps the first syllables).

The caller combines the score with context (type, role, what the mentions do).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Digraphs first (longest first), then single letters, to consonant classes.
_DIGRAPHS = [("dzh", "j"), ("tch", "j"), ("sch", "s"), ("zh", "j"), ("ch", "j"), ("sh", "s"),
             ("kh", "h"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("ph", "f"), ("th", "t"),
             ("ts", "s"), ("tz", "s"), ("cz", "j"),
             ("sz", "s"), ("gh", "g"), ("ck", "k"), ("qu", "k"), ("dj", "j"), ("ks", "x"),
             ("ie", "i"), ("ey", "i"), ("yi", "i"), ("iy", "i")]
_CLASS = {
    "l": "R", "r": "R",
    "b": "P", "p": "P",
    "f": "F", "v": "F", "w": "F",
    "d": "T", "t": "T",
    "g": "K", "k": "K", "c": "K", "q": "K", "x": "K",
    "s": "S", "z": "S", "j": "S",
    "m": "M", "n": "N",
}
VOWELS = set("aeiouy")

# Substitution costs for the weighted edit distance (symmetric); anything else costs 1.
_CHEAP_PAIRS = {
    frozenset(p): c
    for p, c in [
        ("lr", 0.25), ("bp", 0.3), ("dt", 0.3), ("gk", 0.3), ("kc", 0.2), ("kq", 0.3),
        ("sz", 0.3), ("zj", 0.4), ("sj", 0.4), ("fv", 0.3), ("vw", 0.3), ("iy", 0.1),
        ("ck", 0.2), ("cs", 0.5), ("hk", 0.5), ("mn", 0.6),
    ]
}


# Letters that Unicode does not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i",
                        "þ": "th", "ð": "d"})


def fold(text: str) -> str:
    """Lower-case ASCII letters and single spaces: accents, hyphens and apostrophes folded."""
    text = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\s\-‐‑–—'’.`]+", " ", text.lower())
    return re.sub(r"[^a-z0-9 ]", "", text).strip()


def letters(text: str) -> str:
    return fold(text).replace(" ", "")


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """Consonant-class key: 'Netanyahu' and 'Nitanyaho' both give 'NTN'."""
    s = letters(name)
    for src, dst in _DIGRAPHS:
        s = s.replace(src, dst)
    out: list[str] = []
    last = ""
    for ch in s:
        cls = _CLASS.get(ch)
        if cls is None:
            continue  # vowels and h
        if ch != last:  # a doubled letter is one sound; two different letters are two
            out.append(cls)
        last = ch
    return "".join(out)


def _sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in VOWELS and b in VOWELS:
        return 0.3
    return _CHEAP_PAIRS.get(frozenset((a, b)), 1.0)


def _indel_cost(ch: str) -> float:
    if ch in VOWELS:
        return 0.35
    if ch in "hlry":
        return 0.6
    return 1.0


@lru_cache(maxsize=65536)
def phonetic_distance(a: str, b: str) -> float:
    """Weighted edit distance between folded names, cheap where transliteration is noisy."""
    # Russian transliteration writes Arabic and English h as kh
    a, b = letters(a).replace("kh", "h"), letters(b).replace("kh", "h")
    prev = [0.0]
    for ch in b:
        prev.append(prev[-1] + _indel_cost(ch))
    for ca in a:
        cur = [prev[0] + _indel_cost(ca)]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + _indel_cost(ca), cur[j - 1] + _indel_cost(cb),
                           prev[j - 1] + _sub_cost(ca, cb)))
        prev = cur
    return prev[-1]


def common_prefix(a: str, b: str) -> int:
    a, b = letters(a), letters(b)
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _skeleton_edit(a: str, b: str) -> int:
    """Plain edit distance between two skeletons (they are short)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=65536)
def word_similarity(a: str, b: str) -> float:
    """Similarity in 0..1 of two single name words (e.g. two surnames)."""
    la, lb = letters(a), letters(b)
    if not la or not lb:
        return 0.0
    if la == lb:
        return 1.0
    ska, skb = skeleton(la), skeleton(lb)
    longest = max(len(la), len(lb))
    dist = phonetic_distance(la, lb)
    score = max(0.0, 1.0 - dist / (0.45 * longest))
    if ska and ska == skb and min(len(ska), len(skb)) >= 2 and score >= 0.35:
        # Same consonant classes in the same order, and letters not far apart: a strong
        # sign of one name.
        score = max(score, min(0.9 if len(ska) >= 3 else 0.82, 0.7 + 0.3 * score))
    elif ska and skb and _skeleton_edit(ska, skb) == 1 and min(len(ska), len(skb)) >= 4:
        # One consonant added or dropped: only with a close letter-level match too.
        score = max(score, min(0.85, 0.55 + 0.5 * score))
    if la[0] != lb[0] and not (la[0] in VOWELS and lb[0] in VOWELS):
        # Transliteration keeps the first sound's letter far more often than not.
        score *= 0.85
    prefix = common_prefix(la, lb)
    if prefix >= 4 and prefix >= 0.6 * min(len(la), len(lb)):
        # A kept opening of two syllables or more: endings are what MT drops or garbles.
        score = max(score, 0.72 + 0.02 * min(prefix - 4, 4))
    return min(score, 0.99)


def name_tokens(name: str) -> list[str]:
    return [t for t in fold(name).split() if t]


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """Similarity of two (possibly multi-word) person or organisation names.

    The last word (a surname, or the head of a name) carries most weight; a one-word name
    may match the last word, or the first word of a compound surname ("Garcia Mar" against
    "Garcia-Marquez"), of a longer name.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    if len(ta) > len(tb):
        ta, tb = tb, ta
    if len(ta) == 1:
        # A single word against a longer name: its surname, or any later word of it, or
        # the whole name run together (MT may fuse or split words).
        best = word_similarity(ta[0], tb[-1])
        for tok in tb[1:-1]:
            best = max(best, 0.95 * word_similarity(ta[0], tok))
        if len(tb) == 1:
            return best
        return max(best * 0.97, 0.9 * word_similarity(ta[0], "".join(tb)))
    # Both multi-word: align first words and last words; compound surnames count.
    first = word_similarity(ta[0], tb[0])
    last = word_similarity(ta[-1], tb[-1])
    joined_a, joined_b = "".join(ta[1:]), "".join(tb[1:])
    rest = max(last, word_similarity(joined_a, joined_b))
    if ta[1] == tb[1] and len(ta[1]) >= 3:
        rest = max(rest, 0.9)  # "Garcia Mar" ~ "Garcia Marquez": first part of the surname
    if first >= 0.95:
        return min(0.99, 0.35 + 0.65 * rest) if rest > 0.5 else 0.5 * rest
    # First names differ: only if they are initials or one is missing.
    if len(ta[0]) == 1 and tb[0].startswith(ta[0]):
        return rest * 0.95
    return min(first, rest) * 0.9


_ORG_STOP = frozenset({"the", "of", "s", "and", "for", "de", "la", "le", "du", "des"})


@lru_cache(maxsize=65536)
def org_name_similarity(a: str, b: str) -> float:
    """Similarity of organisation or place names: every content word must find its match,
    in order ("People's Progressive Party" is not "People Power Party")."""
    ta = [t for t in name_tokens(a) if t not in _ORG_STOP]
    tb = [t for t in name_tokens(b) if t not in _ORG_STOP]
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    if len(ta) != len(tb):
        joined = word_similarity("".join(ta), "".join(tb))
        return joined if joined >= 0.9 else 0.0
    scores = [word_similarity(x, y) for x, y in zip(ta, tb)]
    if min(scores) < 0.8:
        return 0.0
    return sum(scores) / len(scores)
