"""Whether a sentence a trigger word picked out tells an act: a small logistic model over its sentence vector.

The trigger rules (rag.events.triggers, rag.events.extract) find the sentences that name an attack, a taking, a
withdrawal; on news they were not written on, about half of what they find is no new act: statements about acts
(offers, accusations, denials, demands), reports and analyses, habits, references back told differently
(README, "Events"). Whether a sentence tells an act is what the multilingual e5 sentence vector, made at ingest for
retrieval (rag.sentences), already encodes: a logistic regression on it, fitted on the annotated dev articles
(`python eval/fit_eventness.py`), scores each sentence, and an event whose sentence scores under the fitted
threshold is dropped, with any event linked back to it. The weights, the threshold and the embedder they were
fitted with are data (`rag/data/events/eventness.json`); vectors of another embedder (another name or
dimension) are never scored, and then no event is dropped. A sentence of several (a quote widened by a
continuation) counts by its best-scoring one.

Pure functions over given vectors; the store-facing helper reads the stored sentence vectors.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..documents import Chunk
from ..resources import data_file
from .model import Event

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class EventnessModel:
    """A fitted logistic model over sentence vectors of one embedder."""

    embedder: str
    weights: np.ndarray
    bias: float
    threshold: float

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def fits(self, embedder_name: str, dim: int) -> bool:
        """Whether vectors of this embedder can be scored."""
        return embedder_name == self.embedder and dim == self.dim

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """The probability that each sentence (a row) tells an act."""
        return 1.0 / (1.0 + np.exp(-(np.asarray(vectors, dtype=np.float64) @ self.weights + self.bias)))


MODEL_FILE = "events/eventness.json"


@functools.cache
def model_digest() -> int:
    """CRC-32 of the shipped model file: stored events made under another model are stale (rag.events_store)."""
    return zlib.crc32(data_file(MODEL_FILE).read_bytes())


@functools.cache
def load_model() -> EventnessModel:
    """The shipped model (rag/data/events/eventness.json)."""
    path = data_file(MODEL_FILE)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return EventnessModel(raw["embedder"], np.asarray(raw["weights"], dtype=np.float64), float(raw["bias"]),
                              float(raw["threshold"]))
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{path}: not a usable eventness model ({exc}); refit it with eval/fit_eventness.py") from exc


def sentence_scores(chunks: Sequence[Chunk], sentences: Sequence[tuple[Spans, np.ndarray]],
                    model: EventnessModel) -> dict[str, tuple[Spans, np.ndarray]]:
    """Per chunk id: its sentence spans in article offsets and each sentence's score (pure)."""
    out = {}
    for c, (spans, vectors) in zip(chunks, sentences):
        if len(spans):
            out[c.id] = ([(c.start + a, c.start + b) for a, b in spans], model.scores(vectors))
    return out


def keep_acts(events: Sequence[Event], scored: dict[str, tuple[Spans, np.ndarray]], threshold: float) -> list[Event]:
    """The events whose sentence scores at least `threshold`, and those linked back to a kept one (pure).

    An event's score is the best of the sentences its quote overlaps in its chunk; an event with no scored
    sentence is kept."""
    dropped: set[str] = set()
    for e in events:
        if e.refers_to:
            continue
        spans, values = scored.get(e.citation.chunk_id, ([], np.zeros(0)))
        hit = [v for (a, b), v in zip(spans, values) if a < e.citation.end and e.citation.start < b]
        if hit and max(hit) < threshold:
            dropped.add(e.id)
    return [e for e in events if e.id not in dropped and e.refers_to not in dropped]


def keep_acts_of(events: Sequence[Event], chunks: Sequence[Chunk], sentences: Sequence[tuple[Spans, np.ndarray]],
                 embedder_name: str, model: EventnessModel | None = None) -> list[Event]:
    """`keep_acts` with the shipped model and its threshold, when the vectors are its embedder's; else all events."""
    model = model or load_model()
    dims = {v.shape[1] for _, v in sentences if len(v)}
    if not dims or not all(model.fits(embedder_name, d) for d in dims):
        return list(events)
    return keep_acts(events, sentence_scores(chunks, sentences, model), model.threshold)
