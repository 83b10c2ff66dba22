"""The citation records: `Source` (a numbered chunk handed to an answerer) and `Citation` (a quoted span of it).

They sit in the bottom layer, beside `rag.documents`, because every feature builds them: answers
(rag/answering), events (rag/events), briefings and the evaluation. `source_from` makes a `Source` of a
chunk and `citation_from` a `Citation` of a span of one: the one place each is built, so the fields and
the article-relative offsets are filled in once.
Parsing and checking `[n]` marks in answer text stays in rag/answering/citations.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from .documents import Chunk


@dataclass
class Numbered:
    """What a source and a citation share: the number [n], the chunk and its article's title, outlet and date."""

    n: int
    chunk_id: str
    article_id: str
    title: str
    source: str  # the outlet
    date: str


@dataclass
class Source(Numbered):
    """A numbered source handed to the answerer: one retrieved chunk."""

    text: str
    start: int  # offset of `text` in the article's display text
    url: str = ""
    date_precision: str = "unknown"
    also_in: list[str] = field(default_factory=list)  # outlets carrying the same story


@dataclass
class Citation(Numbered):
    """A checkable pointer: the exact quoted span of an article, with offsets into its display text."""

    quote: str
    start: int
    end: int
    url: str = ""
    date_precision: str = "unknown"
    also_in: list[str] = field(default_factory=list)
    # The support check's outcome for the claim(s) citing it: {"status": supported|unsupported|unresolved,
    # "why": ..., "similarity": ...}; None when no check ran (see rag/answering/support.py).
    support: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a citation (with `support` when checked)."""
        return asdict(self)

    @property
    def unsupported(self) -> bool:
        """True when the support check found the cited source does not say the claim."""
        return self.support is not None and self.support.get("status") == "unsupported"


def source_from(chunk: Chunk, n: int, meta: Mapping[str, Any] | None = None, also_in: Iterable[str] = ()) -> Source:
    """Chunk as source [n]; title, outlet, date, url and date precision from `meta` (its article's row; default the chunk's own)."""
    m = chunk.meta if meta is None else meta
    return Source(n=n, chunk_id=chunk.id, article_id=chunk.article_id, title=m.get("title", ""), source=m.get("source", ""),
                  date=m.get("date", ""), text=chunk.text, start=chunk.start, url=m.get("url", ""),
                  date_precision=m.get("date_precision", "unknown"), also_in=sorted(also_in))


def citation_from(source: Source, s: int, e: int) -> Citation:
    """A citation for the span [s, e) of a source's text; offsets are made article-relative."""
    return Citation(
        n=source.n,
        chunk_id=source.chunk_id,
        article_id=source.article_id,
        title=source.title,
        source=source.source,
        date=source.date,
        quote=source.text[s:e],
        start=source.start + s,
        end=source.start + e,
        url=source.url,
        date_precision=source.date_precision,
        also_in=list(source.also_in),
    )
