"""The Chroma index: chunks with their vectors, and a manifest of indexed articles.

Local (``PersistentClient`` under ``index/``) or a Chroma server (``RAG_CHROMA_URL``);
telemetry off; our embedder always passed, never Chroma's downloading default.
The chunk collection records which embedder and dimension built it, and the
store refuses another one. The manifest (one row per article with its content
hash) is written after the article's chunks, so an interrupted ingest is redone
on the next run and never leaves half an article counted as done.

Integrity (see also rag/lock.py): one writer at a time (`writing()`); deleting an
article removes its manifest row before its chunks, so at every instant each manifest
row has exactly its chunks and the only possible leftovers are chunks without a row
(`consistency()` finds them and any disagreement, the pipeline repairs both).
Article metadata (title, url, …) is stored once, in the manifest; chunks carry only
what Chroma `where` filters need (rag.documents.CHUNK_KEYS) and are given the rest
when read. Opening Chroma and naming its faults (a StoreError saying what is wrong and what
to do; a read-only index read through a private copy) is rag/chroma.py; writing to a
read-only index is refused here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import chromadb
import numpy as np
from filelock import FileLock
from langchain_chroma import Chroma

from .chroma import ChromaEmbedding, StoreError, local_fault, make_client, readonly_copy, server_errors, writable
from .documents import ARTICLE_KEYS, CHUNK_KEYS, Article, Chunk
from .embeddings import Embedder, LangChainEmbeddings
from .settings import StoreSettings
from .version import IndexVersion, Versioned

log = logging.getLogger(__name__)

SCHEMA = 1
_PAGE = 2000
_TIE_MARGIN = 10  # extra dense results read so that ties at the k-th place are broken the same way every time
DERIVED = ("sentences", "events")  # per-chunk sentence vectors, per-article events (made at ingest)


class IndexMismatchError(StoreError):
    """The index was built by another embedder."""


class Store:
    """Chunks and the article manifest of one index."""

    def __init__(self, settings: StoreSettings, embedder: Embedder, *, create: bool = True):
        self.settings = settings
        self.embedder = embedder
        self.where = settings.chroma_url or str(Path(settings.index_dir).resolve())
        self.read_only = False
        self._lock = None
        self._articles_meta: tuple[str, dict[str, dict]] = ("", {})  # (index version, article id -> manifest metadata)
        self._meta_guard = threading.Lock()
        self._tls = threading.local()  # this thread's nesting depth of writing()
        self._derived: dict[str, chromadb.Collection] = {}  # derived-record collections by kind, opened on first use
        self.index_version = IndexVersion(self)  # the index version as last read (rag/version.py)
        self._chunk_count: Versioned[int] = Versioned(self, self.count)  # for asks: one Chroma count per index version
        index = Path(settings.index_dir)
        if not settings.chroma_url and index.is_dir() and (index / "chroma.sqlite3").exists() and not writable(index):
            settings = settings.model_copy(update={"index_dir": readonly_copy(index)})
            self.settings, self.read_only = settings, True
        with _creating(index, create and not settings.chroma_url):
            self._open(settings, index, create)

    def _open(self, settings: StoreSettings, index: Path, create: bool) -> None:
        """Make the client and open (or create) the chunk and manifest collections (see __init__)."""
        embedder = self.embedder
        try:
            self.client = make_client(settings, create=create)
        except StoreError as exc:
            if settings.chroma_url or "read-only" not in str(exc) or self.read_only:
                raise
            # a folder os.access calls writable but on a read-only mount or with a read-only database file
            settings = settings.model_copy(update={"index_dir": readonly_copy(index)})
            self.settings, self.read_only = settings, True
            self.client = make_client(settings, create=create)
        name = settings.collection
        try:
            existing = {c.name if hasattr(c, "name") else c for c in self.client.list_collections()}
        except Exception as exc:
            why = None if settings.chroma_url else local_fault(exc, index)
            raise StoreError(why or f"cannot open the index at {self.where} ({exc.__class__.__name__}: {exc})") from exc
        if not create and name not in existing:
            raise StoreError(f"the index at {self.where} is empty; build it with `rag ingest PATH`")
        if name in existing:
            meta = self.client.get_collection(name, embedding_function=None).metadata or {}
            if "embedder" not in meta and "schema" not in meta:
                raise StoreError(
                    f"the index at {self.where} holds a collection '{name}' that rag did not make (no embedder recorded); "
                    "give rag its own folder (--index NEW_DIR) or collection (RAG_COLLECTION)"
                )
            self._check_embedder(meta)
        if self.read_only and create and name not in existing:
            raise StoreError(f"the index at {self.where} is read-only; make the folder writable or use another --index")
        self.ef = ChromaEmbedding(embedder)
        self.chunks = self.client.get_or_create_collection(
            name,
            embedding_function=self.ef,
            configuration={"hnsw": {"space": "cosine", "ef_search": settings.ef_search}},
            metadata={"embedder": embedder.name, "dim": embedder.dim, "schema": SCHEMA},
        )
        self._search_ef(settings.ef_search)
        self.manifest = self.client.get_or_create_collection(
            f"{name}-manifest", embedding_function=None, metadata={"schema": SCHEMA}
        )
        self.vectorstore = Chroma(
            client=self.client,
            collection_name=name,
            embedding_function=LangChainEmbeddings(embedder),
            create_collection_if_not_exists=False,
        )

    def _check_embedder(self, meta: dict) -> None:
        built_by, dim = meta.get("embedder"), meta.get("dim")
        if built_by and (built_by != self.embedder.name or int(dim or 0) != self.embedder.dim):
            raise IndexMismatchError(
                f"the index at {self.where} was built with embedder '{built_by}' ({dim}-d), not '{self.embedder.name}' "
                f"({self.embedder.dim}-d). Query it with RAG_EMBEDDER={built_by}, or rebuild: delete the index "
                f"(or use another --index) and run `rag ingest` again with the new embedder"
            )

    # -- writing -------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, notify=None):
        """Hold the index's write lock for the block (rag/lock.py); re-entrant within a thread of this Store."""
        if self.read_only:
            raise StoreError(f"the index at {self.where} is read-only; make the folder writable (or copy it) to change it")
        tls = self._tls
        if getattr(tls, "depth", 0):
            tls.depth += 1
            try:
                yield
            finally:
                tls.depth -= 1
            return
        from .lock import LocalLock, LockTimeout, ServerLease

        if self.settings.chroma_url:
            lock = ServerLease(self.client, self.settings.collection, self.settings.lock_timeout, notify)
        else:
            lock = LocalLock(Path(self.settings.index_dir), self.settings.lock_timeout, notify)
        try:
            lock.acquire()
        except LockTimeout as exc:
            raise StoreError(
                f"the index at {self.where} is being written by {exc}; run the command again when it has finished "
                "(or set RAG_LOCK_TIMEOUT to wait longer)"
            ) from None
        except Exception as exc:
            if self.settings.chroma_url:
                raise StoreError(
                    f"lost the Chroma server at {self.settings.chroma_url} ({exc.__class__.__name__}: {str(exc)[:160]}); "
                    "nothing already stored is lost: restart the server and run the command again"
                ) from exc
            raise StoreError(local_fault(exc, Path(self.settings.index_dir)) or f"cannot lock the index at {self.where} ({exc})") from exc
        tls.depth, self._lock = 1, lock
        try:
            yield
        finally:
            tls.depth, self._lock = 0, None
            lock.release()

    def renew_lock(self) -> None:
        """Tell other writers this one is alive (a server lease expires otherwise)."""
        if self._lock is not None:
            self._lock.renew()

    @server_errors
    def add_chunks(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Upsert chunks with their vectors (ids are stable, so a repeat is harmless)."""
        if not chunks:
            return
        with self.writing():
            self.chunks.upsert(
                ids=[c.id for c in chunks],
                embeddings=np.asarray(vectors, dtype=np.float32),
                documents=[c.text for c in chunks],
                # only the filterable keys: article metadata lives once, in the manifest
                metadatas=[{**{k: c.meta[k] for k in CHUNK_KEYS if k in c.meta}, "article_id": c.article_id, "start": c.start, "end": c.end}
                           for c in chunks],
            )
        self.bump_version()

    @server_errors
    def delete_articles(self, article_ids: Iterable[str]) -> None:
        """Remove the manifest rows, then the chunks, of these articles (a crash between leaves only row-less chunks)."""
        ids = list(article_ids)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            with self.writing():
                self.manifest.delete(ids=part)
                self.chunks.delete(where={"article_id": {"$in": part}})
            for kind in DERIVED:  # sentence vectors and events go with their chunks
                self.derived(kind).delete(where={"article_id": {"$in": part}})
        if ids:
            self.bump_version()

    @server_errors
    def record_articles(self, articles: Sequence[Article], chunk_counts: Sequence[int], texts: bool = True) -> None:
        """Write manifest rows last: an article is done only once its chunks are stored."""
        if not articles:
            return
        with self.writing():
            self.manifest.upsert(
                ids=[a.id for a in articles],
                embeddings=[[1.0] for _ in articles],
                documents=[a.text for a in articles],
                metadatas=[
                    {**a.metadata(), "content_hash": a.content_hash, "chunks": n, "origin": a.origin}
                    for a, n in zip(articles, chunk_counts)
                ],
            )
        self.bump_version()

    @server_errors
    def consistency(self, rows: dict[str, dict] | None = None) -> tuple[list[str], dict[str, tuple[int, int]]]:
        """(ids of chunks' articles with no manifest row, {article id: (chunks stored, chunks recorded)} where they differ).

        Cheap when the totals agree (two counts; then the index is taken as consistent), else one
        pass over the chunks' metadata.
        """
        rows = self.articles() if rows is None else rows
        recorded = {aid: int(r.get("chunks", 0) or 0) for aid, r in rows.items()}
        total = self.chunks.count()
        if total == sum(recorded.values()):
            return [], {}
        stored: dict[str, int] = {}
        for offset in range(0, total, _PAGE):
            page = self.chunks.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for m in page["metadatas"]:
                aid = (m or {}).get("article_id", "")
                stored[aid] = stored.get(aid, 0) + 1
        orphans = sorted(a for a in stored if a not in recorded)
        wrong = {a: (stored.get(a, 0), n) for a, n in recorded.items() if stored.get(a, 0) != n}
        return orphans, wrong

    # -- reading -------------------------------------------------------------

    @server_errors
    def articles(self, with_text: bool = False) -> dict[str, dict]:
        """Manifest rows by article id (metadata; `text` too when asked)."""
        out: dict[str, dict] = {}
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        for offset in range(0, self.manifest.count(), _PAGE):
            page = self.manifest.get(include=include, limit=_PAGE, offset=offset)
            for i, id_ in enumerate(page["ids"]):
                row = dict(page["metadatas"][i])
                if with_text:
                    row["text"] = page["documents"][i]
                out[id_] = row
        return out

    @server_errors
    def article_text(self, article_id: str) -> str | None:
        """The display text of one article."""
        page = self.manifest.get(ids=[article_id], include=["documents"])
        return page["documents"][0] if page["ids"] else None

    @server_errors
    def count(self) -> int:
        """Number of chunks."""
        return self.chunks.count()

    @server_errors
    def article_count(self) -> int:
        """Number of indexed articles (manifest rows): one cheap read, fine to poll."""
        return self.manifest.count()

    @server_errors
    def all_chunks(self) -> list[Chunk]:
        """Every chunk (for the BM25 index), read in pages."""
        out: list[Chunk] = []
        for offset in range(0, self.chunks.count(), _PAGE):
            page = self.chunks.get(include=["metadatas", "documents"], limit=_PAGE, offset=offset)
            out.extend(_to_chunk(i, d, m) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"]))
        return self.with_articles(out)

    @server_errors
    def get_chunks(self, ids: Sequence[str], *, with_articles: bool = True) -> list[Chunk]:
        """Chunks by id, in the order asked; `with_articles=False` leaves out their article's title and url (a reader
        that needs only texts and dates then gives the few it keeps their article with `with_articles`)."""
        if not ids:
            return []
        page = self.chunks.get(ids=list(ids), include=["metadatas", "documents"])
        by_id = {i: _to_chunk(i, d, m) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])}
        found = [by_id[i] for i in ids if i in by_id]
        return self.with_articles(found) if with_articles else found

    @server_errors
    def chunks_of(self, article_ids: Sequence[str]) -> list[Chunk]:
        """Every chunk of these articles, in article and text order."""
        if not article_ids:
            return []
        page = self.chunks.get(where={"article_id": {"$in": list(article_ids)}}, include=["metadatas", "documents"])
        chunks = [_to_chunk(i, d, m) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])]
        return sorted(self.with_articles(chunks), key=lambda c: (c.article_id, c.start))

    @server_errors
    def article_texts(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Display texts of these articles by id (read in pages; unknown ids left out)."""
        ids = list(article_ids)
        out: dict[str, str] = {}
        for i in range(0, len(ids), _PAGE):
            page = self.manifest.get(ids=ids[i : i + _PAGE], include=["documents"])
            out.update((a, d or "") for a, d in zip(page["ids"], page["documents"]))
        return out

    @server_errors
    def chunks_with_vectors(self, article_ids: Sequence[str]) -> list[tuple[Chunk, np.ndarray]]:
        """Every chunk of these articles with its stored vector (no re-embedding), in article and text order."""
        ids, out = list(article_ids), []
        for i in range(0, len(ids), 500):
            page = self.chunks.get(where={"article_id": {"$in": ids[i : i + 500]}},
                                   include=["metadatas", "documents", "embeddings"])
            out += [(_to_chunk(c, d, m), np.asarray(v, dtype=np.float32))
                    for c, d, m, v in zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"])]
        self.with_articles([c for c, _ in out])
        return sorted(out, key=lambda cv: (cv[0].article_id, cv[0].start))

    @server_errors
    def sample_texts(self, limit: int = 400) -> list[str]:
        """Up to `limit` stored chunk texts (what the index is about, for rag.retrieval's domain share)."""
        return list(self.chunks.get(limit=limit, include=["documents"]).get("documents") or [])

    def sample_vectors(self, limit: int = 2000) -> np.ndarray:
        """Up to `limit` stored chunk vectors (a background for centring similarities)."""
        page = self.chunks.get(limit=limit, include=["embeddings"])
        return np.asarray(page["embeddings"], dtype=np.float32).reshape(-1, self.embedder.dim)

    def _search_ef(self, ef: int) -> None:
        """Give the chunk collection's HNSW index `ef` candidates per query (settings.store.ef_search): set once, kept in
        the index (an index made before it, or by other settings, is updated on open when it is writable)."""
        try:
            current = ((self.chunks.configuration_json or {}).get("hnsw") or {}).get("ef_search")  # raw: no embedder built
        except AttributeError:  # an older client without collection configuration: leave it
            return
        if current == ef or self.read_only:
            return
        try:
            self.chunks.modify(configuration={"hnsw": {"ef_search": ef}})
        except Exception as exc:  # another process may be writing; the next open tries again
            log.warning("could not set ef_search=%d on %s (%s); dense results may vary between runs", ef, self.where, exc)

    @server_errors
    def dense(self, query_vector: np.ndarray, k: int, where: dict | None = None, *, with_articles: bool = True) -> list[tuple[Chunk, float]]:
        """Nearest chunks to a query vector with cosine similarity, through LangChain's Chroma store (`with_articles`:
        see get_chunks)."""
        n = self._chunk_count.get()
        if n == 0:
            return []
        results = self.vectorstore.similarity_search_by_vector_with_relevance_scores(
            np.asarray(query_vector, dtype=np.float32).tolist(), k=min(k + _TIE_MARGIN, n), filter=where or None
        )
        found = _stable_top([(_to_chunk(doc.id or "", doc.page_content, doc.metadata), 1.0 - float(d)) for doc, d in results], k)
        if with_articles:
            self.with_articles([c for c, _ in found])
        return found

    @server_errors
    def nearest(self, query_vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """The ids of the nearest chunks to a query vector with cosine similarity, in `dense`'s order, reading no text.

        What the retriever asks (it reads the texts of the few hits it keeps, `get_chunks`): LangChain's store always
        reads every result's document and metadata, which at 100k chunks is more than half of a dense query (ids and
        distances of 50: 4.1 ms median; with documents and metadata: 9.5 ms; bench/query.py, 2026-12-05).
        """
        n = self._chunk_count.get()
        if n == 0:
            return []
        res = self.chunks.query(
            query_embeddings=[np.asarray(query_vector, dtype=np.float32).tolist()], n_results=min(k + _TIE_MARGIN, n),
            where=where or None, include=["distances"],
        )
        return _stable_top([(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])], k)

    @server_errors
    def with_articles(self, chunks: list[Chunk]) -> list[Chunk]:
        """Give chunks their article's metadata (title, url, ...) from the manifest, cached per index version."""
        if not chunks:
            return chunks
        try:
            version = self.version()
        except Exception:  # an index without a version row: cache for this call only
            version = None
        with self._meta_guard:
            at, cache = self._articles_meta
            if version is None or at != version:
                cache = {}
                self._articles_meta = (version or "", cache)
            missing = [a for a in dict.fromkeys(c.article_id for c in chunks) if a not in cache]
        found: dict[str, dict] = {}
        for i in range(0, len(missing), _PAGE):
            page = self.manifest.get(ids=missing[i : i + _PAGE], include=["metadatas"])
            for aid, m in zip(page["ids"], page["metadatas"]):
                found[aid] = {k: v for k, v in (m or {}).items() if k in ARTICLE_KEYS}
        with self._meta_guard:
            cache.update(found)
        for c in chunks:
            c.meta = {**c.meta, **cache.get(c.article_id, {})}
        return chunks

    # -- derived records and the index version (rag/sentences.py, rag/events_store.py, rag/version.py) -------

    def derived(self, kind: str):
        """The collection of one kind of derived record ('sentences', 'events'), created on first use.

        One row per chunk (sentences) or article (events), the payload as the document, `article_id`
        in the metadata so an article's rows go with it; a 1-d placeholder vector, since nothing
        searches them by similarity (a real HNSW over sentence vectors measured ~2.6 ms per sentence at ingest).
        """
        cols = self._derived
        if kind not in cols:
            name = f"{self.settings.collection}-{kind}"
            try:
                cols[kind] = self.client.get_collection(name, embedding_function=None)
            except Exception:  # not there yet: made without a full-text index (payloads are JSON, never searched;
                schema = chromadb.Schema()  # the trigram index made a 10k-chunk index ~45 KB a chunk bigger)
                schema.delete_index(config=chromadb.FtsIndexConfig(), key="#document")
                cols[kind] = self.client.get_or_create_collection(
                    name, embedding_function=None, metadata={"schema": SCHEMA}, schema=schema
                )
        return cols[kind]

    @server_errors
    def put_derived(self, kind: str, ids: Sequence[str], documents: Sequence[str], article_ids: Sequence[str]) -> None:
        """Upsert derived rows (ids stable, so a repeat is harmless); bumps the index version."""
        for i in range(0, len(ids), _PAGE):
            self.derived(kind).upsert(
                ids=list(ids[i : i + _PAGE]),
                embeddings=[[1.0]] * len(ids[i : i + _PAGE]),
                documents=list(documents[i : i + _PAGE]),
                metadatas=[{"article_id": a} for a in article_ids[i : i + _PAGE]],
            )
        if ids:
            self.bump_version()

    @server_errors
    def get_derived(self, kind: str, ids: Sequence[str]) -> dict[str, str]:
        """Derived payloads by row id (ids without a row are absent)."""
        if not ids:
            return {}
        page = self.derived(kind).get(ids=list(ids), include=["documents"])
        return dict(zip(page["ids"], page["documents"]))

    @server_errors
    def derived_of(self, kind: str, article_ids: Sequence[str] | None = None) -> dict[str, str]:
        """Derived payloads of these articles (every row when None), by row id, read in pages."""
        col = self.derived(kind)
        if article_ids is not None:
            if not article_ids:
                return {}
            page = col.get(where={"article_id": {"$in": list(article_ids)}}, include=["documents"])
            return dict(zip(page["ids"], page["documents"]))
        out: dict[str, str] = {}
        for offset in range(0, col.count(), _PAGE):
            page = col.get(include=["documents"], limit=_PAGE, offset=offset)
            out.update(zip(page["ids"], page["documents"]))
        return out

    @server_errors
    def version(self, fresh: bool = False) -> str:
        """The index version (changes with every write, by any process); see rag/version.py."""
        return self.index_version.read(fresh)

    @server_errors
    def bump_version(self) -> str:
        """Record that the index changed: a new version every cache keyed on it sees."""
        return self.index_version.bump()

    @server_errors
    def info(self) -> dict:
        """Size and provenance of the index."""
        return {
            "where": self.where,
            "mode": "server" if self.settings.chroma_url else "local",
            "embedder": self.embedder.name,
            "dim": self.embedder.dim,
            "articles": self.article_count(),
            "chunks": self.count(),
        }


@contextlib.contextmanager
def _creating(index: Path, new: bool):
    """Hold `.rag-create.lock` in a local index folder while it is first created: two processes making one new index at
    once (two first ingests) otherwise race in Chroma's schema set-up ("table collections already exists"). An index
    that exists already, a server, or a folder that cannot be made (make_client then says why) need no guard."""
    guard = None
    if new and not (index / "chroma.sqlite3").exists():
        try:
            index.mkdir(parents=True, exist_ok=True)
            guard = FileLock(str(index / ".rag-create.lock"))
        except OSError:
            guard = None  # the body runs unguarded, outside this handler, so its own errors stand alone
    if guard is None:
        yield
        return
    with guard:
        yield


def _stable_top(found: list[tuple], k: int) -> list[tuple]:
    """The k best (chunk or id, similarity) pairs by similarity, then id (pure).

    Equal scores (one story's identical chunk in two outlets has one vector) come back from Chroma in any order, and the
    k-th place may go to either twin: a few more (_TIE_MARGIN) are read, ordered by score then id, and cut at k, so the
    same question retrieves the same chunks in the same order in every process.
    """
    def key(pair: tuple) -> tuple[float, str]:
        item, score = pair
        return -round(score, 6), item if isinstance(item, str) else item.id

    return sorted(found, key=key)[:k]


def _to_chunk(id_: str, text: str, meta: dict) -> Chunk:
    meta = dict(meta or {})
    return Chunk(id_, meta.get("article_id", ""), text or "", int(meta.get("start", 0)), int(meta.get("end", 0)), meta)


def dumps(obj) -> str:
    """JSON for CLI output, Arabic kept readable."""
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
