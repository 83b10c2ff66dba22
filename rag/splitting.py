"""Sentence splitting with character offsets (pure): the one splitter of the text layer.

Chunking (rag/ingest/chunking.py), citation quotes and support checks (rag/answering), events,
sentence vectors and briefings all cut text here, so a quote's offsets, a chunk's sentences and
an event's sentence always agree. It sits in the bottom layer: it imports nothing from rag.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? ؟ ؛ … (with closing quotes) or a line break. A dot
# between digits (22.10.2020, 3.5) does not end one.
_END = re.compile(r"(?:(?<!\d)[.!?؟؛…]+|(?<=\d)[.!?؟؛…]+(?!\d))[\"'”’»)\]]*(?=\s|$)|\n+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], whitespace trimmed, empty ones dropped."""
    end = len(text) if end is None else end
    spans = []
    pos = start
    for match in _END.finditer(text, start, end):
        cut = match.end() if match.group().strip() else match.start()
        spans.append((pos, cut))
        pos = match.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and any(c.isalnum() for c in text[s:e]):
            out.append((s, e))
    return out
