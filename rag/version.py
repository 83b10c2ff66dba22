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
from typing import Any, Generic, Protocol, TypeVar

TTL = 0.25  # seconds a read version is trusted before asking the index again
_ROW, _LEXICAL = "version", "lexical"  # rows: the index version; the version the saved lexical index was built at

T = TypeVar("T")


class IndexVersion:
    """The version of one store's index as this process last read it; the `Store` owns one (`store.index_version`).

    The `<collection>-meta` rows are reached through the store's public `derived("meta")`, so this
    module never touches the store's Chroma client or private state.
    """

    def __init__(self, store: VersionedStore):
        self.store = store
        self.value: str | None = None
        self.lexical = ""
        self.at = 0.0
        self.lock = threading.Lock()

    def fetch(self) -> tuple[dict[str, Any], str]:
        """(version row, lexical label) in one read."""
        page = self.store.derived("meta").get(ids=[_ROW, _LEXICAL], include=["metadatas"])
        rows = {i: dict(m or {}) for i, m in zip(page["ids"], page["metadatas"] or [])}
        return rows.get(_ROW, {"n": 0, "token": ""}), str(rows.get(_LEXICAL, {}).get("version", ""))

    def read(self, fresh: bool = False) -> str:
        """The index version, re-read from the index when older than TTL (or when `fresh`)."""
        now = time.monotonic()
        if not fresh and self.value is not None and now - self.at < TTL:
            return self.value
        row, self.lexical = self.fetch()
        self.value, self.at = label(row), now
        return self.value

    def mark_lexical(self, version: str) -> None:
        """Record that a lexical index of `version` is saved (rag/lexical.py); not a data write, so no bump."""
        self.store.derived("meta").upsert(ids=[_LEXICAL], embeddings=[[1.0]], metadatas=[{"version": version}])
        self.lexical = version

    def bump(self) -> str:
        """Write a new version (counter + 1, a fresh token) and remember it."""
        with self.lock:
            row, _ = self.fetch()
            new = {"n": int(row.get("n", 0)) + 1, "token": uuid.uuid4().hex[:12]}
            self.store.derived("meta").upsert(ids=[_ROW], embeddings=[[1.0]], metadatas=[new])
            self.value, self.at = label(new), time.monotonic()
            return self.value


class VersionedStore(Protocol):
    """What this module needs of a store: its derived-record collections and its IndexVersion."""

    index_version: IndexVersion

    def derived(self, kind: str) -> Any: ...

    def version(self, fresh: bool = False) -> str: ...


def label(row: dict[str, Any]) -> str:
    """The version as one string: counter and token ('0' for an index written before versions existed)."""
    return f"{int(row.get('n', 0))}.{row.get('token', '')}" if row.get("token") else str(int(row.get("n", 0)))


def read(store: VersionedStore, fresh: bool = False) -> str:
    """The store's index version, re-read from the index when older than TTL (or when `fresh`)."""
    return store.index_version.read(fresh)


def lexical(store: VersionedStore, fresh: bool = False) -> str:
    """The version the last finished ingest saved a lexical index at ('' when none was), read with the version."""
    store.index_version.read(fresh)
    return store.index_version.lexical


def mark_lexical(store: VersionedStore, version: str) -> None:
    """Record that a lexical index of `version` is saved (rag/lexical.py); not a data write, so no bump."""
    store.index_version.mark_lexical(version)


def bump(store: VersionedStore) -> str:
    """Write a new version (counter + 1, a fresh token) and remember it."""
    return store.index_version.bump()


class Versioned(Generic[T]):
    """A value built from the index and rebuilt when the index version changes (thread-safe, one build at a time)."""

    def __init__(self, store: VersionedStore, build: Callable[[], T]):
        self.store = store
        self.build = build
        self._built: tuple[str, T] | None = None  # (the version it was built at, the value)
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value for the current version, building it if the version moved since the last build."""
        version = self.store.version()
        with self._lock:
            if self._built is None or self._built[0] != version:
                self._built = (version, self.build())
            return self._built[1]

    def clear(self) -> None:
        """Forget the value (the next get rebuilds)."""
        with self._lock:
            self._built = None
