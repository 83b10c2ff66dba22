"""The persistent lexical (BM25) index: built once per ingest, saved beside the index, memory-mapped by readers.

What is saved (one folder per build, named by the index version it was built at):
bm25s's own files (`BM25.save`: the CSC score matrix, vocabulary, parameters) and
`ids.npy`, `sources.npy`, `date_start.npy`, `date_end.npy` (per chunk, in matrix
order: what a filter needs without reading chunks). Readers load it with
`mmap=True`, so the score matrix is shared through the page cache by every process
on the machine, and a hit's chunk text is read from Chroma only for the hits.
Tokens are rag.arabic's (normalised, light-stemmed), as before.

Where it lives: local mode, `<index folder>/lexical/<collection>/`; server mode
(RAG_CHROMA_URL), `<RAG_INDEX_DIR>/lexical/<host>_<port>/<collection>/` on each
client, i.e. a cache of what the server holds. How clients stay in step: the
ingest that changes the index rebuilds the lexical index once at its end (never at a
query), saves it, and records the version it was built at in the index itself (the
`lexical` row of `<collection>-meta`, rag/version.py), so every client of a server
sees it. A reader keeps the lexical index it has while that recorded version is
unchanged (during another process's ingest: the dense half is live, the lexical
half is the last finished ingest's); when it moves, it memory-maps the saved
folder of that version if it can see one (same machine and RAG_INDEX_DIR: no
rebuild), else rebuilds from the server's chunks once and saves it for the other
processes (a client on another machine pays one rebuild per ingest). The lexical
index is not stored in Chroma itself: bm25s's matrix is not something Chroma can
hold as records, and it is rebuilt from the chunks the server holds in seconds.
Cost: the rebuild reads and tokenises every chunk (measured in bench/query.py).
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import bm25s
import numpy as np

from . import arabic
from . import version as version_mod
from .settings import StoreSettings

KEEP = 2  # saved builds kept per index (older ones may still be mapped by a reader; unlinking is safe on POSIX)


def folder_for(settings: StoreSettings) -> Path:
    """Where the lexical index of these store settings is saved (see the module docstring)."""
    base = Path(settings.index_dir) / "lexical"
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        base = base / re.sub(r"[^A-Za-z0-9.-]", "_", f"{url.hostname}_{url.port or ''}")
    return base / settings.collection


def _dir_name(version: str) -> str:
    return "v" + re.sub(r"[^A-Za-z0-9.-]", "_", version)


class LexicalIndex:
    """BM25 over every chunk's tokens, with the per-chunk fields filters need."""

    def __init__(self, model: bm25s.BM25 | None, ids: np.ndarray, sources: np.ndarray, date_start: np.ndarray,
                 date_end: np.ndarray, version: str):
        self.model = model
        self.ids = ids
        self.sources = sources
        self.date_start = date_start
        self.date_end = date_end
        self.version = version
        self.vocab = model.vocab_dict if model is not None else {}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_chunks(cls, chunks, version: str) -> LexicalIndex:
        """Tokenise and index chunks (Chunk objects with their metadata)."""
        ids = np.array([c.id for c in chunks], dtype=str)
        sources = np.array([str(c.meta.get("source", "")) for c in chunks], dtype=str)
        start = np.array([int(c.meta.get("date_start", -1)) for c in chunks], dtype=np.int64)
        end = np.array([int(c.meta.get("date_end", -1)) for c in chunks], dtype=np.int64)
        model = None
        if chunks:
            model = bm25s.BM25()
            model.index([arabic.tokens(c.text) or ["∅"] for c in chunks], show_progress=False)
        return cls(model, ids, sources, start, end, version)

    def save(self, folder: Path) -> Path:
        """Write this build under folder/v<version> (atomically: a temp folder renamed); older builds pruned."""
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / _dir_name(self.version)
        if final.exists():
            return final
        tmp = folder / f".tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        if self.model is not None:
            self.model.save(str(tmp), show_progress=False)
        for name in ("ids", "sources", "date_start", "date_end"):
            np.save(tmp / f"{name}.npy", getattr(self, name), allow_pickle=False)
        (tmp / "version.txt").write_text(self.version, encoding="utf-8")
        try:
            tmp.rename(final)
        except OSError:  # another process saved the same version first
            shutil.rmtree(tmp, ignore_errors=True)
        builds = sorted((p for p in folder.glob("v*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
        for old in builds[:-KEEP]:
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
        return final

    @classmethod
    def load(cls, folder: Path, version: str) -> LexicalIndex | None:
        """The saved build of `version` under folder, memory-mapped; None when there is none."""
        path = folder / _dir_name(version)
        if not (path / "ids.npy").exists():
            return None
        arrays = {n: np.load(path / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in ("sources", "date_start", "date_end")}
        ids = np.load(path / "ids.npy", allow_pickle=False)
        model = bm25s.BM25.load(str(path), mmap=True, show_progress=False) if (path / "params.index.json").exists() else None
        return cls(model, ids, arrays["sources"], arrays["date_start"], arrays["date_end"], version)

    def mask(self, filters) -> np.ndarray | None:
        """Which chunks a retrieval filter keeps (rag.retrieval.Filters.keeps, vectorised); None keeps all."""
        if not (filters and (filters.dated or filters.sources)):
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        if filters.sources:
            keep &= np.isin(self.sources, list(filters.sources))
        if filters.dated:
            keep &= self.date_start >= 0
        if filters.since:
            keep &= self.date_end >= filters.since.toordinal()
        if filters.until:
            keep &= self.date_start <= filters.until.toordinal()
        return keep

    def search(self, query_tokens: list[str], k: int, filters=None) -> list[tuple[str, float]]:
        """Top-k (chunk id, score) with a positive score, under the filters."""
        terms = [t for t in query_tokens if t in self.vocab]
        if not terms or self.model is None:
            return []
        scores = np.asarray(self.model.get_scores(terms))
        keep = self.mask(filters)
        if keep is not None:
            scores = np.where(keep, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(str(self.ids[i]), float(scores[i])) for i in top if scores[i] > 0]


def rebuild(store) -> tuple[LexicalIndex, float]:
    """Build the lexical index of the store's current chunks, save it, record its version; (index, seconds)."""
    started = time.perf_counter()
    version = store.version(fresh=True)
    index = LexicalIndex.from_chunks(store.all_chunks(), version)
    index.save(folder_for(store.settings))
    version_mod.mark_lexical(store, version)
    return index, time.perf_counter() - started


class Lexical:
    """A reader's lexical index, kept in step with the store (the rules are in the module docstring)."""

    def __init__(self, store):
        self.store = store
        self.folder = folder_for(store.settings)
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()
        self.rebuilds = 0  # rebuilds this reader had to do itself (none when an ingest saved one it can see)

    def get(self) -> LexicalIndex:
        """The lexical index of the last finished ingest, loading or (when unseen) rebuilding it."""
        wanted = version_mod.lexical(self.store)
        with self._lock:
            if self._index is not None and (self._index.version == wanted or not wanted):
                return self._index
            index = LexicalIndex.load(self.folder, wanted) if wanted else None
            if index is None:
                index, _ = rebuild(self.store)
                self.rebuilds += 1
            self._index = index
            return index
