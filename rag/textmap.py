"""Normalised text with a map back to the original offsets: match on the folded copy, quote the original.

Every detector that finds something in folded text (events, gazetteer names, dates) must report where it
is in the text the user sees. One implementation here, three ways of calling it:

    fold_chars(text)                 each character folded alone (dates: no run ever changes length)
    fold_with_offsets(text, MARKS)   runs between marks folded together, marks dropped (events)
    fold_with_offsets(text, MARKS_AND_COMBINING)   the same, also dropping Latin combining accents (gazetteer)

Folding is `rag.arabic.normalize` (NFKC, letter variants, digits, lower case). A run is normalised whole
when that keeps its length (each folded character then maps to its own original one); a character that
NFKC expands or merges (… -> ..., ﻻ -> لا) is mapped one by one, every piece pointing at its source.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .arabic import normalize

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"  # harakat, Quranic marks, superscript alef, tatweel
# Marks are dropped from the folded text; so is a dot inside a word written with tatweel to dodge filters (داعـ.ـش).
MARKS = re.compile(f"[{_MARKS}]+|(?<=\u0640)\\.|\\.(?=\u0640)")
MARKS_AND_COMBINING = re.compile(f"[\u0300-\u036f{_MARKS}]+|(?<=\u0640)\\.|\\.(?=\u0640)")


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """Folded form of one character (may be empty or longer)."""
    return normalize(c)


def fold_chars(text: str, start: int = 0) -> tuple[str, list[int]]:
    """Each character folded alone, and per folded character its index in the original (+ start) (pure)."""
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text, start):
        f = _fold_char(c)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


def fold_with_offsets(text: str, skip: re.Pattern[str] = MARKS) -> tuple[str, list[int]]:
    """Folded text without what `skip` matches and, per character, its index in the original (pure).

    Runs between skipped stretches are normalised whole (so NFKC can compose within a run) and fall back
    to `fold_chars` only when normalising changes their length.
    """
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in [*skip.finditer(text), None]:
        end = m.start() if m else len(text)
        run = normalize(text[pos:end])
        if len(run) == end - pos:
            parts.append(run)
            index.extend(range(pos, end))
        else:
            run, where = fold_chars(text[pos:end], pos)
            parts.append(run)
            index.extend(where)
        pos = m.end() if m else end
    return "".join(parts), index


def to_original(text: str, index: list[int], a: int, b: int, skip: re.Pattern[str] = MARKS) -> tuple[int, int]:
    """Original offsets of folded [a, b), with the marks that follow the last letter (عنصراً), not a dot."""
    start, end = index[a], index[b - 1] + 1
    while end < len(text) and skip.match(text, end) and text[end] != ".":
        end += 1
    return start, end
