"""The index version: bumped by every write, stored in the index, and the key of every cache (rag/version.py)."""

from __future__ import annotations

import time
import uuid

from rag import version
from rag.agent import Agent
from rag.settings import Settings
from rag.store import Store
from tests.indexing_helpers import REPORTS, ingest_in_subprocess, write_reports


def test_every_write_bumps_the_version_and_it_is_stored_in_the_index(seed_agent):
    store = seed_agent.store
    before = store.version(fresh=True)
    chunk = store.get_chunks([store.all_chunks()[0].id])[0]
    store.add_chunks([chunk], [[0.0] * (store.embedder.dim - 1) + [1.0]])
    after_add = store.version()
    store.delete_articles([chunk.article_id])
    after_delete = store.version()
    assert len({before, after_add, after_delete}) == 3
    # another Store object on the same index (what another process sees) reads the same value
    other = Store(seed_agent.settings.store, store.embedder, create=False)
    assert other.version(fresh=True) == after_delete
    assert int(after_delete.split(".")[0]) == int(before.split(".")[0]) + 2


def test_versioned_rebuilds_only_when_the_version_moves(seed_agent):
    builds = []
    cache = version.Versioned(seed_agent.store, lambda: builds.append(1) or len(builds))
    assert cache.get() == 1 and cache.get() == 1
    seed_agent.store.bump_version()
    assert cache.get() == 2


def test_an_open_agent_refreshes_its_caches_after_another_process_ingests(chroma_server, tmp_path, monkeypatch):
    env = {"RAG_CHROMA_URL": chroma_server.url, "RAG_COLLECTION": f"t-{uuid.uuid4().hex[:12]}", "RAG_INDEX_DIR": str(tmp_path / "writer")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "reader"))  # no shared folder: the reader relies on the server alone
    ingest_in_subprocess(write_reports(tmp_path / "in", "a"), env)
    agent = Agent(Settings.load(), llm=None, create=False)
    assert str(agent.newest_date()) == REPORTS["a"]["date"]
    assert {e.citation.article_id for e in agent.events()} == {"a"}
    seen = agent.store.version()

    ingest_in_subprocess(write_reports(tmp_path / "in", "b"), env)  # same chunk-count-agnostic change, other process
    time.sleep(version.TTL + 0.1)
    assert agent.store.version() != seen
    assert str(agent.newest_date()) == REPORTS["b"]["date"]  # the dates cache refreshed
    assert {e.citation.article_id for e in agent.events()} == {"a", "b"}  # so did the events cache
    hits = agent.retriever.retrieve("الزرزوري", mode="bm25")  # and the lexical index: a word only b has
    assert [h.chunk.article_id for h in hits] == ["b"]
