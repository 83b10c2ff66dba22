"""The index version: one value, stored in the index, changed by every write; every cache is keyed on it.

Why not the chunk count (what caches used before): an edit that keeps the count (a
re-ingested article with as many chunks) left them stale, and a process never saw
another one's ingest. The version is a row of the `<collection>-meta` collection
(`n`, a counter, and `token`, random, so two writers racing to the same `n` still
give two versions), so in server mode every client reads the same one.

Readers re-read it at most every `TTL` seconds (one small Chroma read, shared by the
caches of an ask and by concurrent asks); a process's own writes are seen at once,
another process's within `TTL`. `Versioned` is the cache helper: a value rebuilt when
the version it was built at is no longer the index's.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

TTL = 0.25  # seconds a read version is trusted before asking the index again
_ROW, _LEXICAL = "version", "lexical"  # rows: the index version; the version the saved lexical index was built at

T = TypeVar("T")


def _collection(store):
    cols = store.__dict__.setdefault("_derived", {})
    if "meta" not in cols:
        cols["meta"] = store.client.get_or_create_collection(f"{store.settings.collection}-meta", embedding_function=None)
    return cols["meta"]


def _memo(store) -> dict:
    return store.__dict__.setdefault("_version_memo", {"value": None, "lexical": "", "at": 0.0, "lock": threading.Lock()})


def _fetch(store) -> tuple[dict, str]:
    """(version row, lexical label) in one read."""
    page = _collection(store).get(ids=[_ROW, _LEXICAL], include=["metadatas"])
    rows = {i: dict(m) for i, m in zip(page["ids"], page["metadatas"])}
    return rows.get(_ROW, {"n": 0, "token": ""}), str(rows.get(_LEXICAL, {}).get("version", ""))


def label(row: dict) -> str:
    """The version as one string: counter and token ('0' for an index written before versions existed)."""
    return f"{int(row.get('n', 0))}.{row.get('token', '')}" if row.get("token") else str(int(row.get("n", 0)))


def read(store, fresh: bool = False) -> str:
    """The store's index version, re-read from the index when older than TTL (or when `fresh`)."""
    memo = _memo(store)
    now = time.monotonic()
    if not fresh and memo["value"] is not None and now - memo["at"] < TTL:
        return memo["value"]
    row, lexical_label = _fetch(store)
    memo["value"], memo["lexical"], memo["at"] = label(row), lexical_label, now
    return memo["value"]


def lexical(store, fresh: bool = False) -> str:
    """The version the last finished ingest saved a lexical index at ('' when none was), read with the version."""
    read(store, fresh)
    return _memo(store)["lexical"]


def mark_lexical(store, version: str) -> None:
    """Record that a lexical index of `version` is saved (rag/lexical.py); not a data write, so no bump."""
    _collection(store).upsert(ids=[_LEXICAL], embeddings=[[1.0]], metadatas=[{"version": version}])
    _memo(store)["lexical"] = version


def bump(store) -> str:
    """Write a new version (counter + 1, a fresh token) and remember it."""
    memo = _memo(store)
    with memo["lock"]:
        row, _ = _fetch(store)
        new = {"n": int(row.get("n", 0)) + 1, "token": uuid.uuid4().hex[:12]}
        _collection(store).upsert(ids=[_ROW], embeddings=[[1.0]], metadatas=[new])
        memo["value"], memo["at"] = label(new), time.monotonic()
        return memo["value"]


class Versioned(Generic[T]):
    """A value built from the index and rebuilt when the index version changes (thread-safe, one build at a time)."""

    def __init__(self, store, build: Callable[[], T]):
        self.store = store
        self.build = build
        self._value: T | None = None
        self._version: str | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value for the current version, building it if the version moved since the last build."""
        version = self.store.version()
        with self._lock:
            if self._version != version:
                self._value = self.build()
                self._version = version
            return self._value  # type: ignore[return-value]

    def clear(self) -> None:
        """Forget the value (the next get rebuilds)."""
        with self._lock:
            self._version = None
            self._value = None
