"""The reports a briefing reads: each article with its chunks and quotable sentences, and chunks numbered as sources.

Split from rag.briefing (which groups, ranks and writes): what a briefing may quote (`candidates`: early
sentences of 6-60 words, not the title, inside one chunk, not addressed to a model, carrying no [n] mark)
and how quoted chunks become the numbered sources [1]..[k] the items cite (`SourceNumbers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import arabic
from .answering.citations import Citation, Source, citation_from
from .citation import source_from
from .documents import Chunk
from .safety import looks_like_instruction
from .splitting import sentence_spans

_MARK = re.compile(r"\[(\d+)\]")


@dataclass
class Article:
    """One report of the period: its stored metadata, its chunks, gazetteer mentions and quotable sentences."""

    id: str
    meta: dict
    chunks: list[Chunk]
    entities: list = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # quotable early sentences

    text = property(lambda self: self.meta.get("text", ""))
    outlet = property(lambda self: self.meta.get("source") or "outlet unknown")

    def chunk_of(self, s: int, e: int) -> Chunk | None:
        return next((c for c in self.chunks if c.start <= s and e <= c.end), None)


def candidates(art: Article, limit: int = 8) -> list[tuple[int, int]]:
    """Early sentences fit to quote: 6-60 words, not part of the title, inside one chunk, not addressed to a model."""
    title = " ".join(arabic.normalize(art.meta.get("title", "")).split())
    out = []
    for s, e in sentence_spans(art.text):
        piece = art.text[s:e]
        if (6 <= arabic.word_count(piece) <= 60 and " ".join(arabic.normalize(piece).strip(" .:،-").split()) not in title
                and not looks_like_instruction(piece) and not _MARK.search(piece) and art.chunk_of(s, e)):
            out.append((s, e))
            if len(out) >= limit:
                break
    return out


class SourceNumbers:
    """Chunks numbered as sources [1]..[k] in order of first citation."""

    def __init__(self):
        self.sources: list[Source] = []
        self._by_chunk: dict[str, Source] = {}

    def source(self, chunk: Chunk, art: Article) -> Source:
        if chunk.id not in self._by_chunk:
            self._by_chunk[chunk.id] = source_from(chunk, len(self.sources) + 1, art.meta)
            self.sources.append(self._by_chunk[chunk.id])
        return self._by_chunk[chunk.id]

    def cite(self, art: Article, s: int, e: int) -> Citation:
        chunk = art.chunk_of(s, e)
        if chunk is None:  # the spans cited are sentences of one chunk (see the selection above)
            raise ValueError(f"article {art.id}: span {s}-{e} lies in no single chunk")
        src = self.source(chunk, art)
        return citation_from(src, s - chunk.start, e - chunk.start)
