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
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from presslens.language.lexicons import read_rows

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


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=64)
def _sub_costs(a: str) -> dict[str, float]:
    """``_sub_cost(a, b)`` for every letter and digit ``b``, read once per letter."""
    return {b: _sub_cost(a, b) for b in "abcdefghijklmnopqrstuvwxyz0123456789"}


_INDEL = {ch: _indel_cost(ch) for ch in "abcdefghijklmnopqrstuvwxyz0123456789"}


@lru_cache(maxsize=65536)
def phonetic_distance(a: str, b: str) -> float:
    """Weighted edit distance between folded names, cheap where transliteration is noisy."""
    # Russian transliteration writes Arabic and English h as kh
    a, b = letters(a).replace("kh", "h"), letters(b).replace("kh", "h")
    indel_b = [_INDEL[ch] for ch in b]
    prev = [0.0]
    total = 0.0
    for cost in indel_b:
        total += cost
        prev.append(total)
    # The classic dynamic programme, row by row; comparisons instead of ``min`` (this is
    # the innermost loop of every fuzzy KB look-up).
    for ca in a:
        indel_a = _INDEL[ca]
        sub = _sub_costs(ca)
        left = prev[0] + indel_a
        cur = [left]
        for cb, indel, diagonal, above in zip(b, indel_b, prev, prev[1:]):
            best = above + indel_a
            step = left + indel
            if step < best:
                best = step
            step = diagonal + sub[cb]
            if step < best:
                best = step
            cur.append(best)
            left = best
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
    """Plain edit distance between two skeletons."""
    return int(Levenshtein.distance(a, b))


@lru_cache(maxsize=65536)
def word_similarity(a: str, b: str) -> float:
    """Similarity in 0..1 of two single name words (e.g. two surnames)."""
    la, lb = letters(a), letters(b)
    if not la or not lb:
        return 0.0
    if la == lb:
        return 1.0
    return _word_score(la, lb, phonetic_distance(la, lb))


def _word_score(la: str, lb: str, dist: float) -> float:
    """The similarity of two different folded words at weighted distance ``dist``; the
    score never rises with the distance, so a distance too low gives a bound from above."""
    ska, skb = skeleton(la), skeleton(lb)
    longest = max(len(la), len(lb))
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


# Letters whose substitution for each other costs less than 0.35 in ``phonetic_distance``
# share a group; every other substitution, and every insertion or deletion, costs 0.35 or
# more. So 0.35 times the plain edit distance between the words' group strings is at most
# their weighted distance, and rapidfuzz computes it in C.
_GROUPS = str.maketrans({**dict.fromkeys("aeiouy", "a"), "r": "l", "p": "b", "t": "d",
                         **dict.fromkeys("kcq", "g"), **dict.fromkeys("zj", "s"),
                         **dict.fromkeys("vw", "f")})
_MIN_EDIT_COST = 0.35


@lru_cache(maxsize=65536)
def word_similarity_bound(a: str, b: str) -> float:
    """At least ``word_similarity(a, b)``, computed without the weighted distance: a pair
    scoring below a caller's bar here scores below it there too."""
    la, lb = letters(a), letters(b)
    if not la or not lb:
        return 0.0
    if la == lb:
        return 1.0
    ga = la.replace("kh", "h").translate(_GROUPS)
    gb = lb.replace("kh", "h").translate(_GROUPS)
    return _word_score(la, lb, _MIN_EDIT_COST * Levenshtein.distance(ga, gb))


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in fold(name).split() if t)


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """Similarity of two (possibly multi-word) person or organisation names.

    The last word (a surname, or the head of a name) carries most weight; a one-word name
    may match the last word, or the first word of a compound surname ("Garcia Mar" against
    "Garcia-Marquez"), of a longer name.
    """
    return _name_score(name_tokens(a), name_tokens(b), word_similarity, bound=False)


@lru_cache(maxsize=65536)
def name_similarity_bound(a: str, b: str) -> float:
    """At least ``name_similarity(a, b)``, from ``word_similarity_bound``: cheap, for
    leaving out names that cannot reach a bar before scoring them."""
    return _name_score(name_tokens(a), name_tokens(b), word_similarity_bound, bound=True)


def _name_score(ta: tuple[str, ...], tb: tuple[str, ...], word: Callable[[str, str], float], *,
                bound: bool) -> float:
    """``name_similarity`` from word similarities ``word``. With ``bound`` (``word`` gives
    bounds from above), the result is a bound too: where the rule taken depends on how
    close the first names are, it is the highest of the rules a closeness up to the
    bound could take."""
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    if len(ta) > len(tb):
        ta, tb = tb, ta
    if len(ta) == 1:
        # A single word against a longer name: its surname, or any later word of it, or
        # the whole name run together (MT may fuse or split words).
        best = word(ta[0], tb[-1])
        for tok in tb[1:-1]:
            best = max(best, 0.95 * word(ta[0], tok))
        if len(tb) == 1:
            return best
        return max(best * 0.97, 0.9 * word(ta[0], "".join(tb)))
    # Both multi-word: align first words and last words; compound surnames count.
    first = word(ta[0], tb[0])
    last = word(ta[-1], tb[-1])
    joined_a, joined_b = "".join(ta[1:]), "".join(tb[1:])
    rest = max(last, word(joined_a, joined_b))
    if ta[1] == tb[1] and len(ta[1]) >= 3:
        rest = max(rest, 0.9)  # "Garcia Mar" ~ "Garcia Marquez": first part of the surname
    same_first = min(0.99, 0.35 + 0.65 * rest) if rest > 0.5 else 0.5 * rest
    # First names differ: only if they are initials or one is missing.
    if len(ta[0]) == 1 and tb[0].startswith(ta[0]):
        other_first = rest * 0.95
    else:
        other_first = min(first, rest) * 0.9
    if first >= 0.95:
        return max(same_first, other_first) if bound else same_first
    return other_first


_ORG_STOP = frozenset({"the", "of", "s", "and", "for", "de", "la", "le", "du", "des"})


@lru_cache(maxsize=1)
def institution_nouns() -> frozenset[str]:
    return frozenset(r["noun"] for r in read_rows("institution_nouns.tsv"))


@lru_cache(maxsize=65536)
def org_tokens(name: str) -> tuple[str, ...]:
    """The content words of an organisation or place name (no "the", "of", ...), an
    institution's noun after what it is for: "Ministry of Defence" reads as "Defence
    Ministry" (data/institution_nouns.tsv)."""
    toks = name_tokens(name)
    if toks[:1] == ("the",):
        toks = toks[1:]
    if len(toks) >= 3 and toks[1] == "of" and toks[0] in institution_nouns():
        rest = toks[2:]
        cut = rest.index("of") if "of" in rest else len(rest)
        toks = (*rest[:cut], toks[0], *rest[cut:])
    return tuple(t for t in toks if t not in _ORG_STOP)


@lru_cache(maxsize=65536)
def org_name_similarity(a: str, b: str) -> float:
    """Similarity of organisation or place names: every content word must find its match,
    in order ("People's Progressive Party" is not "People Power Party")."""
    return _org_score(a, b, word_similarity)


@lru_cache(maxsize=65536)
def org_name_similarity_bound(a: str, b: str) -> float:
    """At least ``org_name_similarity(a, b)``, from ``word_similarity_bound``."""
    return _org_score(a, b, word_similarity_bound)


def _org_score(a: str, b: str, word: Callable[[str, str], float]) -> float:
    ta, tb = org_tokens(a), org_tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    if len(ta) != len(tb):
        joined = word("".join(ta), "".join(tb))
        return joined if joined >= 0.9 else 0.0
    scores = []
    for x, y in zip(ta, tb):
        scores.append(word(x, y))
        if scores[-1] < 0.8:  # every word must find its match
            return 0.0
    return sum(scores) / len(scores)


# -- blocking keys --------------------------------------------------------------------------
# Comparing every name of a document with every other is quadratic in the length of the
# text. Instead a name is filed by the words that ``name_similarity`` compares (a one-word
# name with every later word of a longer name and with the longer name run together; a full
# name with another by what follows its first word), each word under keys that two words
# share whenever ``word_similarity`` can rate them alike: the same word, a kept opening
# (``P``, ``Q``), the same consonant skeleton or one consonant apart (``S``, ``T``), one
# letter apart (``D``). A document then scores a name only against the names that have a
# word filed under its words' keys and really alike (``words_alike``).

# Lowest ``name_similarity`` for which the filing is meant to be complete (the default
# context threshold): checked on the names of the dev corpora, where one pair in a few
# thousand above it slips through (two full names with the same first name and surnames
# alike below it). A threshold below it makes the callers compare with everything.
SIMILARITY_KEYS_FLOOR = 0.68


@lru_cache(maxsize=16384)
def _word_keys(word: str, *, opening: bool = True) -> frozenset[str]:
    keys = {"L:" + word}
    if len(word) == 1:  # an initial, or the "s" of a possessive: only itself
        return frozenset(keys)
    if opening and len(word) >= 4:
        keys.add("P:" + word[:4])  # word_similarity's kept-opening rule
    if len(word) >= 6:
        keys.add("Q:" + word[:6])  # ... which is all a name run together can meet
    sk = skeleton(word)
    if len(sk) >= 2:
        keys.add("S:" + sk)
        if len(sk) >= 4:  # one consonant added, dropped or changed
            keys.update("S:" + sk[:i] + sk[i + 1:] for i in range(len(sk)))
    if 1 <= len(sk) <= 3:
        # short skeletons are shared by many words: one consonant apart counts only with
        # the same first letter (a different one costs word_similarity a sixth)
        first = "V" if word[0] in VOWELS else word[0]
        keys.add(f"T:{first}{sk}")
        if len(sk) >= 2:
            keys.update(f"T:{first}{sk[:i]}{sk[i + 1:]}" for i in range(len(sk)))
    keys.add("D:" + word)  # one letter added, dropped or changed
    if len(word) >= 3:
        keys.update("D:" + word[:i] + word[i + 1:] for i in range(len(word)))
    return frozenset(keys)


def similarity_words(name: str) -> dict[str, frozenset[str]]:
    """The words of a person name that ``name_similarity`` compares, with their keys. A
    full name is not filed under its first word: two full names are alike only by what
    follows it, and a one-word name is compared with what follows it too. The word runs
    together with ``|`` in front are the whole name (met only by a one-word name)."""
    toks = name_tokens(name)
    if len(toks) <= 1:
        return {t: _word_keys(t) for t in toks}
    words = {t: _word_keys(t) for t in toks[1:]}
    if len(toks) > 2:
        rest = "".join(toks[1:])
        words[rest] = _word_keys(rest)
    whole = "".join(toks)
    words["|" + whole] = _word_keys(whole, opening=False)  # its opening is the first word's
    return words


def words_alike(a: str, b: str) -> bool:
    """Two words of ``similarity_words`` that ``name_similarity`` could rate alike."""
    return word_similarity(a.lstrip("|"), b.lstrip("|")) >= SIMILARITY_KEYS_FLOOR


def org_similarity_words(name: str) -> dict[str, frozenset[str]]:
    """The words of an organisation or place name that ``org_name_similarity`` compares,
    with their keys: the first content word, tagged with the number of content words
    (word-by-word matches need as many words), and the content words run together
    (matches of different lengths)."""
    toks = org_tokens(name)
    if not toks:
        return {}
    first = f"{len(toks)}:{toks[0]}"
    joined = "".join(toks)
    return {first: frozenset(f"{len(toks)}{k}" for k in _word_keys(toks[0])),
            "|" + joined: frozenset("J" + k for k in _word_keys(joined, opening=False))}


def org_words_alike(a: str, b: str) -> bool:
    """Two words of ``org_similarity_words`` that ``org_name_similarity`` could rate alike:
    first words of as many words at 0.8, names run together at 0.9."""
    if a.startswith("|") and b.startswith("|"):
        return word_similarity(a[1:], b[1:]) >= 0.9
    na, _, wa = a.partition(":")
    nb, _, wb = b.partition(":")
    return na == nb and bool(wa) and word_similarity(wa, wb) >= 0.8


def similarity_keys(name: str) -> frozenset[str]:
    """All keys of a person name (two names that can be alike share one)."""
    return frozenset().union(*similarity_words(name).values())


def org_similarity_keys(name: str) -> frozenset[str]:
    """All keys of an organisation or place name."""
    return frozenset().union(*org_similarity_words(name).values())
