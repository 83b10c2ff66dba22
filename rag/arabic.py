"""Arabic text for matching: normalisation, tokens and light stemming (pure functions).

Never used for display: the original text keeps its spelling and offsets; these
functions only produce keys to compare. Normalisation follows Lucene's
ArabicNormalizer (alef forms, ta marbuta, alef maqsura, tatweel, diacritics) plus
Persian letters and Arabic-Indic digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TATWEEL = "\u0640"
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TRANSLATE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ي": "ي",
        "ک": "ك",
        "ؤ": "و",
        "ئ": "ي",
        TATWEEL: None,
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_TOKEN = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")

# Light stemming (after Larkey et al., "light10"): strip one common prefix and
# one common suffix while keeping at least three letters of stem.
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Zero-width and bidi controls (ZWSP, ZWNJ, ZWJ, LRM/RLM, ALM, embeddings, overrides, isolates, word joiner,
# BOM, soft hyphen): invisible, yet they split words for matching. Dropped from keys, kept in display text.
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    """Text without zero-width and bidi control characters (for matching and embedding, never display)."""
    return INVISIBLE.sub("", text)


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Return a matching key: NFKC, Arabic letter variants folded, no tatweel, diacritics or invisible controls, lower case.

    Cached by text (pure; an ask normalises each candidate sentence once per reader that matches names in it).
    """
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text))
    text = _DIACRITICS.sub("", text)
    return text.translate(_TRANSLATE).lower()


STOPWORDS = frozenset(
    normalize(word)
    for word in (
        "في من على الى إلى عن مع أن ان إن هذا هذه ذلك تلك التي الذي الذين و او أو ثم قد لا لم لن ما "
        "كان كانت يكون بين حيث كما بعد قبل عند خلال منذ حتى أي اي كل بعض غير هو هي هم هن نحن انت "
        "the a an of in on at to for from by with and or is are was were be been which who what "
        "when where how many much did does do that this these those it its as than into about"
    ).split()
)


def is_arabic(text: str) -> bool:
    """True when most letters of the text are Arabic."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for c in letters if _ARABIC_LETTER.match(c) or "\u0600" <= c <= "\u06ff")
    return arabic / len(letters) >= 0.5


def light_stem(token: str) -> str:
    """Strip one Arabic prefix and one suffix, keeping a stem of three letters or more."""
    if not _ARABIC_LETTER.match(token[:1] or " "):
        return token
    for prefix in _PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            token = token[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            break
    return token


def tokens(text: str, *, stem: bool = True, drop_stopwords: bool = True) -> list[str]:
    """Normalised word tokens of a text, lightly stemmed, stop words dropped."""
    out = []
    for tok in _TOKEN.findall(normalize(text)):
        if drop_stopwords and tok in STOPWORDS:
            continue
        out.append(light_stem(tok) if stem else tok)
    return out


# Clitics a word may carry in front (conjunction, preposition, article, in that order) and the
# inflection endings it may carry behind, for matching a dictionary form as a word, not a substring.
_CLITICS = r"(?:[وف])?(?:[بلك])?(?:ال|ل)?"
_ENDINGS = r"(?:ه|ها|هم|هما|هن|ات|ان|ين|ون|يه|يين|يون|ي|تين|تان)?"


@lru_cache(maxsize=32768)
def token_set(text: str) -> frozenset[str]:
    """The set of `tokens(text)` (stemmed, stopwords dropped), cached by text: an ask compares each candidate
    sentence's words with the question's in several places."""
    return frozenset(tokens(text))


def word_pattern(form: str) -> str:
    """A regex source matching a normalised word (or words) with Arabic clitics and endings, as whole words.

    «مسير» then matches «المسيره» but not «مسيرات»'s unrelated longer words; «بحري» matches «البحريه» but not
    «البحرين»; each word of a multi-word form may carry its own clitics (``الطائرات المسيره``).
    Use on normalised text (`normalize`).
    """
    body = r"\s+".join(_CLITICS + _inflected(w) for w in normalize(form).split())
    return r"(?<!\w)" + body + r"(?!\w)"


def word_literal(form: str) -> str:
    """A substring every match of `word_pattern(form)` contains (in normalised text): its first word without the
    feminine «ه» that `_inflected` lets vary. A cheap `in` test before the regex (pure)."""
    words = normalize(form).split()
    first = words[0] if words else ""
    return first[:-1] if first.endswith("ه") and len(first) > 2 else first


def _inflected(word: str) -> str:
    """A word with its endings; a feminine «ه» (normalised ta marbuta) becomes «ت» before them (غاره, غارات, غارتين)."""
    if word.endswith("ه") and len(word) > 2:
        stem = re.escape(word[:-1])
        return stem + r"(?:ه|ات|تي|ته|تها|تهم|تين|تان|تيه|يه|يات)?"
    return re.escape(word) + _ENDINGS


def word_count(text: str) -> int:
    """Number of word tokens, the unit of chunk sizes."""
    return len(_TOKEN.findall(text))
