"""Citation numbers in order of first use: readers expect [1], [2], ... as they read, not retrieval ranks.

Sources are numbered by retrieval rank while an answer is written and verified (the LLM and the verifier
need stable numbers); afterwards `in_order_of_use` renumbers the answer once, for every face (CLI, JSON,
app, evaluation), and briefings renumber their text with the same `order_of_use` / `renumber_marks`.
Chunk and article ids stay in each citation, so nothing is lost. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

from ..citation import Citation, Source
from .answer import Answer
from .citations import (
    CITE_MARK,  # the one [n] / [1, 3] / [١] pattern: parsing and renumbering agree
    Sentence,
)

__all__ = ["in_order_of_use", "order_of_use", "renumber_marks"]

_NUMBER = re.compile(r"[0-9٠-٩]+")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _value(digits: str) -> int:
    return int(digits.translate(_DIGITS))


def order_of_use(text: str, cited: Collection[int] | None = None) -> dict[int, int]:
    """Old number -> new number, 1..k in order of first appearance of its mark in `text`.

    Only numbers in `cited` count when it is given: a bracketed number quoted from an article
    ("[12]" in a source's own text) that is no citation keeps its place and its digits.
    """
    order: dict[int, int] = {}
    for mark in CITE_MARK.finditer(text):
        for digits in _NUMBER.findall(mark.group(1)):
            n = _value(digits)
            if cited is None or n in cited:
                order.setdefault(n, len(order) + 1)
    return order


def renumber_marks(text: str, order: Mapping[int, int]) -> str:
    """Rewrite the citation marks of `text` through `order`; numbers it does not map stay as written."""

    def mark(m: re.Match[str]) -> str:
        return _NUMBER.sub(lambda d: str(order.get(_value(d.group()), d.group())), m.group())

    return CITE_MARK.sub(mark, text)


def _sources(sources: Iterable[Source], order: Mapping[int, int]) -> list[Source]:
    """The sources, still in retrieval order: cited ones under their new numbers, the rest numbered after them."""
    sources = list(sources)
    spare = iter(range(len(order) + 1, len(order) + len(sources) + 1))
    return [replace(s, n=order[s.n] if s.n in order else next(spare)) for s in sources]


def in_order_of_use(answer: Answer) -> Answer:
    """A copy of `answer` whose citation numbers run 1, 2, ... in order of first use in its text.

    Text marks, citations, sentences and sources are renumbered together, so `[n]` in the text,
    `citation.n` and `source.n` keep pointing at the same chunk.
    """
    order = order_of_use(answer.text, {c.n for c in answer.citations})
    for c in answer.citations:  # a citation whose mark is not in the text (none today) goes last
        order.setdefault(c.n, len(order) + 1)
    if all(old == new for old, new in order.items()):
        return answer
    citations: list[Citation] = sorted((replace(c, n=order[c.n]) for c in answer.citations), key=lambda c: c.n)
    sentences = [Sentence(s.text, [order.get(n, n) for n in s.cites], {order.get(n, n): v for n, v in s.support.items()})
                 for s in answer.sentences]
    return replace(answer, text=renumber_marks(answer.text, order), citations=citations, sentences=sentences,
                   sources=_sources(answer.sources, order))
