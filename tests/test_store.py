"""The Chroma store for real: embedder provenance, missing index, dense search."""

import pytest

from rag.agent import Agent
from rag.embeddings import make_embedder
from rag.settings import Settings
from rag.store import IndexMismatchError, Store, StoreError


class _Renamed:
    """The real bundled embedder under another name and size: stands for an index built by another model."""

    def __init__(self, name, dim):
        self._inner = make_embedder("e5-small-q4")
        self.name, self.dim = name, dim

    def embed_batch(self, texts, *, is_query=False):
        return self._inner.embed_batch(texts, is_query=is_query)


def test_index_built_by_another_embedder_is_refused_with_how_to_rebuild(seed_index_dir):
    settings = Settings.load()
    settings.store.index_dir = seed_index_dir
    with pytest.raises(IndexMismatchError, match="built with embedder 'e5-small-q4'.*rebuild"):
        Store(settings.store, _Renamed("st:other-model", 768))


def test_missing_index_is_a_clear_error(tmp_path):
    settings = Settings.load()
    settings.store.index_dir = tmp_path / "nothing-here"
    with pytest.raises(StoreError, match="no index at .*rag ingest"):
        Agent(settings, llm=None, create=False)
    assert not (tmp_path / "nothing-here").exists(), "opening for reading creates nothing"


def test_dense_search_and_info(store_mode, seed_agent):
    info = seed_agent.store.info()
    assert info["articles"] == 5 and info["chunks"] > 10 and info["embedder"] == "e5-small-q4" and info["mode"] == store_mode
    from rag.embeddings import embed_query

    hits = seed_agent.store.dense(embed_query(seed_agent.embedder, "انسحاب القوات الروسية من تدمر"), 3)
    assert hits[0][0].article_id == "003_2b7e810d896de9c5"
    assert all(-1 <= score <= 1 for _, score in hits)
    # the retriever's ids-only query (no documents read) ranks and scores as the LangChain path does, in both modes
    vector = embed_query(seed_agent.embedder, "which militias reinforced Sukhnah")
    dense = seed_agent.store.dense(vector, 6)
    assert [(i, round(s, 6)) for i, s in seed_agent.store.nearest(vector, 6)] == [(c.id, round(s, 6)) for c, s in dense]
    where = {"article_id": dense[-1][0].article_id}
    assert {c.article_id for c, _ in seed_agent.store.dense(vector, 6, where)} == {where["article_id"]}
    assert [i for i, _ in seed_agent.store.nearest(vector, 6, where)] == [c.id for c, _ in seed_agent.store.dense(vector, 6, where)]


# -- issue 13: local Chroma faults in plain words, create/open, metadata once, one writer, disk full ---------------

import contextlib
import errno
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

from rag.ingest import pipeline
from tests.hash_embedder import HashEmbedder, hash_agent, integrity

NEWS = "وصلت تعزيزات عسكرية جديدة إلى منطقة {place} في البادية السورية، وقالت مصادر محلية إن الأرتال ضمت آليات ثقيلة.\n"
PLACES = ["السخنة", "تدمر", "معدان", "الرصافة", "دير الزور", "الميادين"]


def _corpus(folder: Path, n: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i}.txt").write_text(f"تقرير رقم {i}\n" + NEWS.format(place=PLACES[i % len(PLACES)]) * (3 + i), encoding="utf-8")
    return folder


def _fingerprint(folder: Path) -> dict:
    """Every file of an index folder with its hash: 'unchanged' means this is equal."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".rag-write")}


def test_index_path_that_is_a_file_is_a_store_error(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("not an index")
    with pytest.raises(StoreError, match=r"is a file, not an index folder"):
        hash_agent(f)
    assert f.read_text() == "not an index"


def test_damaged_index_is_a_store_error_and_left_alone(tmp_path):
    hash_agent(tmp_path / "built").ingest([_corpus(tmp_path / "c", 2)], progress=False)
    copy = tmp_path / "damaged"
    shutil.copytree(tmp_path / "built", copy)
    (copy / "chroma.sqlite3").write_bytes(b"this is not sqlite" * 100)
    before = _fingerprint(copy)
    with pytest.raises(StoreError, match=r"is damaged .*build it again with `rag ingest`"):
        hash_agent(copy, create=False)
    assert _fingerprint(copy) == before


def test_another_tools_collection_is_refused(tmp_path):
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp_path / "other"))
    col = client.create_collection("articles", embedding_function=None)
    col.add(ids=["x"], embeddings=[[0.1] * 768], documents=["another tool's data"])
    with pytest.raises(StoreError, match=r"holds a collection 'articles' that rag did not make.*--index NEW_DIR"):
        hash_agent(tmp_path / "other", create=False)
    assert col.count() == 1


@contextlib.contextmanager
def _read_only(folder: Path):
    """The folder, read-only: a read-only bind mount when root (permissions do not bind root), else chmod."""
    if os.geteuid() != 0:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        try:
            yield folder
        finally:
            for p in [folder, *folder.rglob("*")]:
                p.chmod(p.stat().st_mode | 0o200)
        return
    target = folder.with_name(folder.name + "-ro")
    target.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(target)], capture_output=True).returncode:
        pytest.skip("cannot make a read-only folder here (root without mount permission)")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], check=True, capture_output=True)
        yield target
    finally:
        subprocess.run(["umount", str(target)], capture_output=True)


def test_read_only_index_can_be_read_but_not_written(tmp_path):
    corpus = _corpus(tmp_path / "c", 3)
    hash_agent(tmp_path / "index").ingest([corpus], progress=False)
    with _read_only(tmp_path / "index") as ro:
        before = _fingerprint(ro)
        agent = hash_agent(ro, create=False)
        assert agent.stats()["articles"] == 3 and len(agent.articles()) == 3
        assert agent.ask("تعزيزات إلى تدمر").text
        with pytest.raises(StoreError, match="read-only"):
            agent.ingest([_corpus(tmp_path / "more", 5)], progress=False)
        assert _fingerprint(ro) == before


def test_dense_search_explores_ef_search_candidates_and_an_older_index_is_updated(tmp_path):
    """Chroma's default ef_search (100) let the same question retrieve different chunks in different processes;
    the index keeps settings.store.ef_search, and an index made with another value is updated when opened."""
    corpus = _corpus(tmp_path / "c", 3)
    agent = hash_agent(tmp_path / "index")
    agent.ingest([corpus], progress=False)
    assert agent.store.chunks.configuration_json["hnsw"]["ef_search"] == agent.settings.store.ef_search == 400
    settings = Settings.load()
    settings.store.index_dir = tmp_path / "index"
    settings.store.ef_search = 150
    again = Store(settings.store, HashEmbedder())
    assert again.chunks.configuration_json["hnsw"]["ef_search"] == 150
    assert Store(settings.store, HashEmbedder()).chunks.configuration_json["hnsw"]["ef_search"] == 150  # kept in the index


def test_open_of_a_missing_index_raises_and_create_is_explicit(tmp_path):
    from rag.agent import Agent

    with pytest.raises(StoreError, match=r"no index at .*rag ingest"):
        Agent.open(tmp_path / "mistyped", embedder=HashEmbedder(), llm=None)
    assert not (tmp_path / "mistyped").exists()
    agent = Agent.open(tmp_path / "new", create=True, embedder=HashEmbedder(), llm=None)
    assert agent.stats()["articles"] == 0 and (tmp_path / "new").is_dir()
    with pytest.raises(TypeError, match="folder path"):
        Agent.open(123)


def test_article_metadata_is_stored_once_and_titles_are_bounded(tmp_path):
    sizes = {}
    for kb in (100, 300):
        folder = tmp_path / f"c{kb}"
        folder.mkdir()
        sentence = "وصلت تعزيزات عسكرية جديدة إلى منطقة السخنة في البادية السورية "  # no line break, no full stop
        (folder / "oneline.txt").write_text(sentence * (kb * 1024 // len(sentence.encode())), encoding="utf-8")
        agent = hash_agent(tmp_path / f"i{kb}")
        agent.ingest([folder], progress=False)
        raw = agent.store.chunks.get(include=["metadatas"], limit=5)["metadatas"]
        assert all("title" not in m and "url" not in m for m in raw), "chunks carry only filterable keys"
        title = agent.articles()[0]["title"]
        assert 20 < len(title) <= 201 and title.endswith("…")
        assert all(c.title == title for c in agent.store.get_chunks([c.id for c in agent.store.all_chunks()[:3]]))
        integrity(agent)
        sizes[kb] = sum(p.stat().st_size for p in (tmp_path / f"i{kb}").rglob("*") if p.is_file())
    assert sizes[300] < 4.5 * sizes[100], f"index size grows faster than the text: {sizes}"


def test_a_second_writer_refuses_with_the_holder_named(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c", 2)
    first = hash_agent(tmp_path / "index")
    first.ingest([corpus], progress=False)
    before = ({a: r["content_hash"] for a, r in first.store.articles().items()}, first.store.count())
    monkeypatch.setenv("RAG_LOCK_TIMEOUT", "0")
    second = hash_agent(tmp_path / "index", create=False)
    with first.store.writing():
        with pytest.raises(StoreError, match=rf"is being written by pid {os.getpid()} .*run the command again"):
            second.ingest([_corpus(tmp_path / "more", 4)], progress=False)
    assert ({a: r["content_hash"] for a, r in second.store.articles().items()}, second.store.count()) == before
    second.ingest([_corpus(tmp_path / "more", 4)], progress=False)  # free again: it writes
    integrity(second)


def test_a_second_writer_waits_for_the_first(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RAG_LOCK_TIMEOUT", "60")
    first = hash_agent(tmp_path / "index")
    second = hash_agent(tmp_path / "index", create=False)
    held = threading.Event()

    def hold():
        with first.store.writing():
            held.set()
            time.sleep(1.5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    started = time.monotonic()
    report = second.ingest([_corpus(tmp_path / "c", 2)], progress=False)
    t.join()
    assert report.articles == 2 and time.monotonic() - started >= 1.0
    assert "waiting for pid" in capsys.readouterr().err
    integrity(second)


def _no_space_after(store, calls: int, monkeypatch):
    """Chunk writes fail with ENOSPC after `calls` good ones (an injected full disk)."""
    real, count = store.chunks.upsert, {"n": 0}

    def upsert(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(store.chunks, "upsert", upsert)


def test_disk_full_during_ingest_stops_cleanly_and_the_next_run_completes(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c", 6)
    agent = hash_agent(tmp_path / "index")
    _no_space_after(agent.store, 2, monkeypatch)
    with pytest.raises(StoreError, match=r"the disk holding the index at .* is full.*free some space"):
        pipeline.ingest([corpus], agent.store, agent.settings, progress=False, batch_chunks=1)
    integrity(agent)  # every manifest row has its chunks, every citation resolves
    assert 0 < len(agent.articles()) < 6
    monkeypatch.undo()
    report = agent.ingest([corpus], progress=False)
    assert len(agent.articles()) == 6 and report.articles + report.skipped == 6
    integrity(agent)
    hits = agent.store.dense(HashEmbedder().embed_batch(["x"], is_query=True)[0], 50)
    texts = agent.store.article_texts(list({c.article_id for c, _ in hits}))
    assert all(texts[c.article_id][c.start : c.end] == c.text for c, _ in hits)


def test_disk_full_on_a_small_filesystem(tmp_path):
    """A real full disk: a 2 MB tmpfs the test mounts (root only; else skipped), hash vectors over localhost HTTP."""
    if not os.environ.get("RAG_DISK_FULL_REAL"):
        pytest.skip("opt-in (RAG_DISK_FULL_REAL=1): on 2026-12-04 chromadb 1.5.9's upsert was seen to hang, not fail, "
                    "when the tmpfs filled during the index-version write; the injected-ENOSPC test covers the pipeline")
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the injected-ENOSPC test covers the logic")
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(small)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    from tests.test_crash import HashEmbedder as HttpHashEmbedder
    from tests.test_crash import HashEmbeddings, clean_env, rag_command

    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"r{i}", "text": f"تقرير {i}\n" + NEWS.format(place=PLACES[i % 6]) * 8},
                                         ensure_ascii=False) + "\n" for i in range(300)), encoding="utf-8")
    try:
        with HashEmbeddings() as embeddings:
            env = clean_env(tmp_path, RAG_EMBEDDER=HttpHashEmbedder.name, RAG_EMBED_BASE_URL=embeddings.base_url)
            run = subprocess.run(rag_command() + ["--index", str(small / "index"), "ingest", str(corpus), "--quiet"],
                                 env=env, capture_output=True, text=True, timeout=300)
            assert run.returncode == 2, run.stdout + run.stderr[-2000:]
            assert "is full" in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]
            rescued = tmp_path / "rescued"
            shutil.copytree(small / "index", rescued, ignore=shutil.ignore_patterns(".rag-write.*"))
            subprocess.run(["umount", str(small)], capture_output=True)
            store = Store(_settings(rescued).store, HttpHashEmbedder(), create=False)
            orphans_ok_rows = store.articles()
            stored: dict[str, int] = {}
            for c in store.all_chunks():
                stored[c.article_id] = stored.get(c.article_id, 0) + 1
            assert all(stored.get(a, 0) == r["chunks"] for a, r in orphans_ok_rows.items()), "every manifest row has its chunks"
            again = subprocess.run(rag_command() + ["--index", str(rescued), "ingest", str(corpus), "--quiet"],
                                   env=env, capture_output=True, text=True, timeout=300)
            assert again.returncode == 0, again.stderr[-2000:]
            store = Store(_settings(rescued).store, HttpHashEmbedder(), create=False)
            assert len(store.articles()) == 300
            orphans, wrong = store.consistency()
            assert not orphans and not wrong
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


def _settings(index: Path) -> Settings:
    settings = Settings.load()
    settings.store.index_dir = index
    return settings


def test_server_mode_has_one_writer_too(chroma_server, monkeypatch, tmp_path):
    """On a Chroma server the lock is a lease collection: a second writer refuses, and can write once it is released."""
    import uuid

    from tests.conftest import drop_collections

    name = f"t-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("RAG_CHROMA_URL", chroma_server.url)
    monkeypatch.setenv("RAG_COLLECTION", name)
    monkeypatch.setenv("RAG_LOCK_TIMEOUT", "0")
    try:
        first, second = hash_agent(tmp_path / "unused"), hash_agent(tmp_path / "unused")
        with first.store.writing():
            with pytest.raises(StoreError, match=rf"is being written by pid {os.getpid()}"):
                second.ingest([_corpus(tmp_path / "c", 2)], progress=False)
        assert second.store.count() == 0
        assert second.ingest([_corpus(tmp_path / "c", 2)], progress=False).articles == 2
        assert f"{name}-writer" not in {c.name for c in second.store.client.list_collections()}, "released"
        integrity(second)
    finally:
        drop_collections(chroma_server.url, name)
