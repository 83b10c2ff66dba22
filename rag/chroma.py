"""Opening Chroma: the client (on disk or a server), our embedder in Chroma's shape, and Chroma's faults in words.

Local (``PersistentClient`` under ``index/``) or a Chroma server (``RAG_CHROMA_URL``); telemetry off;
our embedder always passed, never Chroma's downloading default. Local faults (index path is a file,
damaged or foreign index, disk full, read-only) and a lost server become a `StoreError` saying what is
wrong and what to do; a read-only index is read through a private copy. rag/store.py is the index on top.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from .embeddings import Embedder
from .settings import StoreSettings

T = TypeVar("T")


class StoreError(RuntimeError):
    """The index cannot be used as asked; the message says why and what to do."""


def local_fault(exc: BaseException, path: Path) -> str | None:
    """What a local Chroma or OS error means for the index at path, in words with what to do; None if unknown."""
    text = f"{exc.__class__.__name__}: {exc}"
    low = text.lower()
    try:
        free = shutil.disk_usage(path if path.exists() else path.parent).free
    except OSError:
        free = None
    if getattr(exc, "errno", None) == 28 or "disk is full" in low or "no space" in low or (
        free is not None and free < 16 * 1024 * 1024 and ("compaction" in low or "apply logs" in low or "backfill" in low or "i/o" in low)
    ):
        room = f" ({free / 1048576:.1f} MB free)" if free is not None else ""
        return (f"the disk holding the index at {path} is full{room}; free some space and run the command again "
                "(finished articles are kept; a half-written batch is repaired by the next `rag ingest`)")
    if "readonly" in low or "read-only" in low or getattr(exc, "errno", None) in (13, 30):
        return f"the index at {path} is read-only; reading works, but to change it make the folder writable or copy it elsewhere"
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return (f"the index at {path} is damaged ({text[:160]}); move the folder away and build it again with "
                "`rag ingest` (your source files are not touched)")
    return None


def server_errors(method: Callable[..., T]) -> Callable[..., T]:
    """Turn a lost Chroma server, or a local fault we can name, into a StoreError that says what to do."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            if not self.settings.chroma_url:
                if (why := local_fault(exc, Path(self.settings.index_dir))) is None:
                    raise
                raise StoreError(why) from exc
            raise StoreError(
                f"lost the Chroma server at {self.settings.chroma_url} ({exc.__class__.__name__}: {str(exc)[:160]}); "
                "nothing already stored is lost: restart the server and run the command again"
            ) from exc

    return wrapper


class ChromaEmbedding(chromadb.EmbeddingFunction):
    """Our embedder in Chroma's shape, so the collection never falls back to Chroma's default."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def __call__(self, input):  # noqa: A002 - Chroma's parameter name
        return list(self.embedder.embed_batch(list(input), is_query=False))

    @staticmethod
    def name() -> str:
        return "rag-embedder"

    def get_config(self) -> dict:
        return {"embedder": self.embedder.name}

    def is_legacy(self) -> bool:
        """Not legacy: Chroma's default check calls build_from_config, which would make a second
        embedder (for `openai:` a network probe) at every collection open."""
        return False

    @staticmethod
    def build_from_config(config: dict) -> ChromaEmbedding:
        """The embedder named in a collection's configuration, made only when Chroma embeds with it (never: rag always
        passes vectors). Chroma rebuilds it from the configuration on `modify` (Store sets ef_search so), where making
        the model would load it, or fail for an embedder this process cannot make."""
        return ChromaEmbedding(cast(Embedder, _Named(config["embedder"])))  # an Embedder but for a read-only dim


class _Named:
    """An embedder known by its name, made on its first use (see ChromaEmbedding.build_from_config)."""

    def __init__(self, name: str):
        self.name = name
        self._made: Embedder | None = None

    @property
    def dim(self) -> int:
        return self._embedder().dim

    def embed_batch(self, texts, *, is_query=False):
        return self._embedder().embed_batch(texts, is_query=is_query)

    def _embedder(self) -> Embedder:
        if self._made is None:
            from .embeddings import make_embedder

            self._made = make_embedder(self.name)
        return self._made


def make_client(settings: StoreSettings, *, create: bool = True) -> chromadb.ClientAPI:
    """A Chroma client for the settings: HTTP when chroma_url is set, else on disk."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise StoreError(f"RAG_CHROMA_URL must look like http://host:port (got '{settings.chroma_url}')")
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_url} ({exc.__class__.__name__}); "
                "start it with `chroma run --path DIR --host 127.0.0.1 --port N` or unset RAG_CHROMA_URL"
            ) from exc
    path = Path(settings.index_dir)
    if path.exists() and not path.is_dir():
        raise StoreError(f"the index path {path} is a file, not an index folder; give --index a folder (a new name makes a new index)")
    if not create and not (path / "chroma.sqlite3").is_file():
        raise StoreError(f"no index at {path.resolve()}; build one with `rag ingest PATH --index {path}`")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the index folder {path} ({exc.strerror or exc}); give --index a folder you can write") from exc
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(local_fault(exc, path) or f"cannot open the index at {path} ({exc.__class__.__name__}: {exc})") from exc


def writable(path: Path) -> bool:
    """Whether Chroma can write the index folder (it writes even to open one)."""
    db = path / "chroma.sqlite3"
    return os.access(path, os.W_OK) and (not db.exists() or os.access(db, os.W_OK))


def readonly_copy(path: Path) -> Path:
    """A private copy of a read-only index to read from (removed at exit): Chroma cannot open an index it may not write."""
    copy = Path(tempfile.mkdtemp(prefix="rag-readonly-")) / "index"
    try:
        shutil.copytree(path, copy, ignore=shutil.ignore_patterns(".rag-write.*"))
    except OSError as exc:
        shutil.rmtree(copy.parent, ignore_errors=True)
        raise StoreError(f"the index at {path} is read-only and could not be copied to read it ({exc}); "
                         "make the folder writable or copy it somewhere writable") from exc
    atexit.register(shutil.rmtree, copy.parent, True)
    return copy
