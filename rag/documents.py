"""The records that flow through ingest and retrieval: articles and their chunks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .dates import DateInfo, UNKNOWN


@dataclass
class Article:
    """One cleaned article: `text` is the display text every chunk span and quote points into."""

    id: str
    title: str
    text: str
    source: str = ""
    url: str = ""
    date: DateInfo = UNKNOWN
    origin: str = ""  # file (and line) it came from

    @property
    def content_hash(self) -> str:
        """Hash of what is indexed; an unchanged hash means nothing to re-embed."""
        key = "\x1f".join([self.title, self.source, self.url, self.date.iso() or "", self.date.precision, self.text])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def metadata(self) -> dict:
        """Flat metadata shared by the article's chunks (Chroma accepts only scalars)."""
        return {
            "article_id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "date": self.date.iso() or "",
            "date_precision": self.date.precision,
            "date_source": self.date.source,
            "date_start": _ordinal(self.date.start),
            "date_end": _ordinal(self.date.end),
        }


@dataclass
class Chunk:
    """A span of an article's text, the unit that is embedded, retrieved and cited."""

    id: str
    article_id: str
    text: str
    start: int
    end: int
    meta: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    @property
    def source(self) -> str:
        return self.meta.get("source", "")

    @property
    def date(self) -> str:
        return self.meta.get("date", "")


def _ordinal(value) -> int:
    """Dates as day numbers so Chroma can filter ranges; -1 when unknown."""
    return value.toordinal() if value else -1
