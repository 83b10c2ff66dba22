"""Chunks of whole sentences with character offsets into the article's display text (pure).

Sentence splitting itself is rag/splitting.py (the text layer), shared with answering, events and briefings.
"""

from __future__ import annotations

import hashlib
import re

from ..arabic import word_count
from ..documents import Article, Chunk
from ..splitting import sentence_spans


def _split_long(text: str, span: tuple[int, int], size: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than `size` words at word boundaries."""
    s, e = span
    words = [m.span() for m in re.finditer(r"\S+", text[s:e])]
    out = []
    for i in range(0, len(words), size):
        group = words[i : i + size]
        out.append((s + group[0][0], s + group[-1][1]))
    return out


def chunk_article(article: Article, size: int = 120, overlap: int = 30) -> list[Chunk]:
    """Pack whole sentences into chunks of about `size` words, repeating up to `overlap` words of sentences."""
    text = article.text
    units: list[tuple[int, int]] = []
    for span in sentence_spans(text):
        units.extend(_split_long(text, span, size) if word_count(text[span[0] : span[1]]) > size else [span])
    counts = [word_count(text[s:e]) for s, e in units]
    chunks: list[Chunk] = []
    i = 0
    meta = article.chunk_metadata()
    while i < len(units):
        j, words = i, 0
        while j < len(units) and (j == i or words + counts[j] <= size):
            words += counts[j]
            j += 1
        start, end = units[i][0], units[j - 1][1]
        body = text[start:end]
        digest = hashlib.sha1(f"{start}:{body}".encode()).hexdigest()[:10]
        chunks.append(Chunk(f"{article.id}#{len(chunks):03d}-{digest}", article.id, body, start, end, dict(meta)))
        if j >= len(units):
            break
        # step back over whole sentences worth at most `overlap` words, always moving forward
        back, k = 0, j
        while k - 1 > i and back + counts[k - 1] <= overlap:
            k -= 1
            back += counts[k]
        i = k
    return chunks
