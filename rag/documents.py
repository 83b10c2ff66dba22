"""The records that flow through ingest and retrieval: articles and their chunks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date as _date
from typing import cast

from .dates import UNKNOWN, DateInfo, DateSource, Precision

# What each chunk stores in Chroma: only what `where` filters and citations need. Titles, urls and
# the rest of an article's metadata are stored once, in the manifest (a title copied into every
# chunk made a 100 KB one-line file a 25 MB index), and joined to chunks when they are read.
CHUNK_KEYS = ("article_id", "source", "date", "date_precision", "date_start", "date_end")
ARTICLE_KEYS = ("title", "source", "url", "date", "date_precision", "date_source", "date_start", "date_end")
TITLE_MAX = 200  # characters; a longer title (a text with no line break) is cut at a word and marked …


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

    def chunk_metadata(self) -> dict:
        """The article metadata each chunk carries (CHUNK_KEYS; Chroma accepts only scalars)."""
        meta = self.metadata()
        return {k: meta[k] for k in CHUNK_KEYS}

    @classmethod
    def from_manifest(cls, article_id: str, text: str, meta: dict) -> Article:
        """The article a manifest row describes (to re-chunk it when its chunks were lost)."""
        start = int(meta.get("date_start", -1) or -1)
        # the manifest row holds what DateInfo wrote there (rag/store.py): its literals back
        precision = cast(Precision, meta.get("date_precision", "unknown"))
        source = cast(DateSource, meta.get("date_source", "unknown"))
        date = DateInfo(_date.fromordinal(start), precision, source) if start > 0 else UNKNOWN
        return cls(id=article_id, title=meta.get("title", ""), text=text or "", source=meta.get("source", ""),
                   url=meta.get("url", ""), date=date, origin=meta.get("origin", ""))

    def metadata(self) -> dict:
        """Flat metadata of the article, stored once in its manifest row (Chroma accepts only scalars)."""
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


def bounded_title(text: str, limit: int = TITLE_MAX) -> str:
    """A title of at most `limit` characters: whole when short, else its first sentence if that fits, else cut at a word with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    match = re.search(r"[.!?؟؛…]", text[: limit + 1])
    if match and match.end() >= 20:
        return text[: match.end()]
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ،,:؛-") + "…"
