"""The word helpers the event rules share; folding with a map back to the original is `rag.textmap` (re-exported)."""

from __future__ import annotations

import re

from ..textmap import MARKS as DROP
from ..textmap import fold_with_offsets as fold
from ..textmap import to_original

__all__ = ["DROP", "fold", "to_original", "fold_letters", "bare", "clause_words", "whole_words", "TOKEN", "CLAUSE_END"]

TOKEN = re.compile(r"[^\W_]+")
CLAUSE_END = re.compile(r"[،,؛;:.!?؟()]")
_PREFIX = re.compile(r"^(?:[وف](?=\w{2}))?(?:(?:[بكل]?ال|لل)(?=\w{2})|[بكل](?=\w{3}))?")
_LETTERS = str.maketrans("أإآٱةىیئؤک", "ااااهيييوك")


def fold_letters(text: str) -> str:
    """Arabic letters folded as normalize() does, leaving regex syntax (and Latin case) alone (pure)."""
    return text.translate(_LETTERS)


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
