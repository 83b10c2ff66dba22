"""Folded text for matching, with a map back to the original offsets, and the word helpers the rules share."""

from __future__ import annotations

import re

from ..arabic import normalize

# Harakat, Quranic marks, superscript alef and tatweel are dropped; so is a dot inside a word written
# with tatweel to dodge filters (داعـ.ـش).
DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+|(?<=\u0640)\\.|\\.(?=\u0640)")
TOKEN = re.compile(r"[^\W_]+")
CLAUSE_END = re.compile(r"[،,؛;:.!?؟()]")
_PREFIX = re.compile(r"^(?:[وف](?=\w{2}))?(?:(?:[بكل]?ال|لل)(?=\w{2})|[بكل](?=\w{3}))?")
_LETTERS = str.maketrans("أإآٱةىیئؤک", "ااااهيييوك")


def fold(text: str) -> tuple[str, list[int]]:
    """Normalised text for matching and, per character, its index in the original (pure)."""
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in [*DROP.finditer(text), None]:
        end = m.start() if m else len(text)
        run = normalize(text[pos:end])
        if len(run) == end - pos:
            parts.append(run)
            index.extend(range(pos, end))
        else:  # a character that NFKC expands or merges: map one by one
            for i in range(pos, end):
                piece = normalize(text[i])
                parts.append(piece)
                index.extend([i] * len(piece))
        pos = m.end() if m else end
    return "".join(parts), index


def fold_letters(text: str) -> str:
    """Arabic letters folded as normalize() does, leaving regex syntax (and Latin case) alone (pure)."""
    return text.translate(_LETTERS)


def to_original(text: str, index: list[int], a: int, b: int) -> tuple[int, int]:
    """Original offsets of folded [a, b), with the marks that follow the last letter (عنصراً)."""
    start, end = index[a], index[b - 1] + 1
    while end < len(text) and DROP.match(text, end) and text[end] != ".":
        end += 1
    return start, end


def bare(word: str) -> str:
    """A folded word without its attached prefixes (و ف ب ك ل ال لل)."""
    return _PREFIX.sub("", word)


def clause_words(folded: str, pos: int, n: int) -> list[str]:
    """Up to n folded words before pos, nearest last, not crossing punctuation."""
    head = folded[:pos]
    cut = max((m.end() for m in CLAUSE_END.finditer(head)), default=0)
    return TOKEN.findall(head[cut:])[-n:]


def whole_words(pattern: str) -> re.Pattern:
    """A folded-text regex matching `pattern` as whole words (Arabic letters in it folded)."""
    return re.compile(rf"(?<![^\W_])(?:{fold_letters(pattern)})(?![^\W_])")
