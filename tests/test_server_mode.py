"""Chroma server mode (RAG_CHROMA_URL) against a real `chroma run`: the store's contract in both modes,
processes sharing one server, and a server that dies and comes back.

The ask and store tests of tests/test_agent.py and tests/test_store.py run in both modes
through the `store_mode` fixture (tests/conftest.py); this file holds what is specific to
having a server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from rag.agent import Agent
from rag.dates import UNKNOWN
from rag.documents import Article, Chunk
from rag.embeddings import make_embedder
from rag.settings import Settings
from rag.store import Store, StoreError
from tests.chroma_server import ChromaServer
from tests.conftest import ROOT, SAMPLE, _server_copy

SUKHNAH = "Which militias reinforced Sukhnah?"


def _fake_corpus(n_articles: int, per_article: int, dim: int, seed: int = 0):
    """Articles and chunks with random unit vectors: exercises the store without embedding."""
    rng = np.random.default_rng(seed)
    articles, chunks = [], []
    for a in range(n_articles):
        article = Article(id=f"a{a:04d}", title=f"t{a}", text=f"نص {a}", source="SY24" if a % 2 else "BBC Arabic", date=UNKNOWN)
        articles.append(article)
        for c in range(per_article):
            chunks.append(Chunk(f"a{a:04d}#{c:03d}", article.id, f"جملة {a} {c}", c, c + 1, article.metadata()))
    vectors = rng.normal(size=(len(chunks), dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return articles, chunks, vectors


def test_store_contract_paging_upsert_delete_filter(store_mode):
    """More than one page (2,000) of chunks: read back once each, repeats harmless, deletes complete, filters work."""
    settings = Settings.load()
    store = Store(settings.store, make_embedder(settings.embed.embedder))
    articles, chunks, vectors = _fake_corpus(230, 10, store.embedder.dim)
    store.add_chunks(chunks, vectors)
    store.record_articles(articles, [10] * len(articles))
    store.add_chunks(chunks[:500], vectors[:500])  # an interrupted batch redone: upsert, no duplicates

    assert store.info()["mode"] == store_mode and store.count() == 2300
    got = [c.id for c in store.all_chunks()]
    assert len(got) == len(set(got)) == 2300 and set(got) == {c.id for c in chunks}
    assert len(store.articles()) == 230

    store.delete_articles([a.id for a in articles[:30]])
    assert store.count() == 2000 and len(store.articles()) == 200
    assert not {c.article_id for c in store.all_chunks()} & {a.id for a in articles[:30]}

    ids = [chunks[-1].id, chunks[400].id, "no-such-chunk"]
    assert [c.id for c in store.get_chunks(ids)] == ids[:2], "asked order, missing ids dropped"

    hits = store.dense(vectors[-1], 5, where={"source": "SY24"})
    assert hits[0][0].id == chunks[-1].id and hits[0][1] == pytest.approx(1.0, abs=1e-3)
    assert all(c.source == "SY24" for c, _ in hits)


def test_cli_ingest_and_python_api_share_one_server(chroma_server, tmp_path):
    """Two processes, one server: `rag ingest` writes, an Agent elsewhere reads; the index folder holds only the lexical cache."""
    collection = f"t-{uuid.uuid4().hex[:12]}"
    local_dir = tmp_path / "never-created"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_") and k != "OPENAI_API_KEY"}
    env.update(RAG_CHROMA_URL=chroma_server.url, RAG_COLLECTION=collection, RAG_INDEX_DIR=str(local_dir),
               RAG_CONFIG=str(tmp_path / "none.toml"), ANONYMIZED_TELEMETRY="False")
    rag = [sys.executable, "-m", "rag.cli"]
    done = subprocess.run(rag + ["ingest", str(SAMPLE), "--quiet"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ingested 5 article(s)" in done.stdout

    settings = Settings.load()
    settings.store.chroma_url, settings.store.collection = chroma_server.url, collection
    agent = Agent(settings, llm=None, create=False)
    assert len(agent.articles()) == 5
    answer = agent.ask(SUKHNAH)
    assert answer.citations and not answer.abstained
    for c in answer.citations:
        assert agent.article_text(c.article_id)[c.start : c.end] == c.quote

    stats = subprocess.run(rag + ["stats"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert stats.returncode == 0, stats.stderr[-3000:]
    info = json.loads(stats.stdout)
    assert info["mode"] == "server" and info["where"] == chroma_server.url and info["chunks"] == agent.store.count()
    # server mode keeps no index locally: the folder holds at most the per-machine BM25 cache (rag/lexical.py)
    made = sorted(p.relative_to(local_dir).parts[0] for p in local_dir.rglob("*")) if local_dir.exists() else []
    assert set(made) <= {"lexical"}, f"server mode wrote {made} into the index folder"


def test_server_killed_mid_session_is_a_clear_error_and_loses_nothing(tmp_path, seed_records, monkeypatch):
    """kill -9 the server under a running Agent: a StoreError naming the server; restarted, all is there."""
    server = ChromaServer(tmp_path / "chroma", log=tmp_path / "chroma.log").start()
    try:
        monkeypatch.setenv("RAG_CHROMA_URL", server.url)
        settings = Settings.load()
        agent = Agent(settings, store=_server_copy(settings, seed_records), llm=None)
        before = sorted(c.id for c in agent.store.all_chunks())
        assert agent.ask(SUKHNAH).citations

        server.kill()
        with pytest.raises(StoreError, match=f"Chroma server at {server.url}"):
            agent.ask(SUKHNAH)
        with pytest.raises(StoreError, match="Chroma server"):
            agent.ingest([SAMPLE], progress=False)

        server.start()  # same folder, same port: the data survived the kill
        assert sorted(c.id for c in agent.store.all_chunks()) == before
        assert len(agent.articles()) == 5 and agent.ask(SUKHNAH).citations
    finally:
        server.stop()


def test_cli_says_what_to_do_when_the_server_is_gone(tmp_path):
    """`rag stats` against a closed port: exit 2, one line naming the URL and `chroma run`, no traceback."""
    from tests.chroma_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(RAG_CHROMA_URL=url, RAG_CONFIG=str(tmp_path / "none.toml"), ANONYMIZED_TELEMETRY="False")
    done = subprocess.run([sys.executable, "-m", "rag.cli", "stats"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert f"cannot reach the Chroma server at {url}" in done.stderr and "chroma run" in done.stderr
    assert "Traceback" not in done.stderr and not done.stdout


@pytest.mark.parametrize("url", ["localhost:8000", "127.0.0.1:8000", "ftp://127.0.0.1:8000"])
def test_a_url_without_http_is_refused_with_the_expected_form(url):
    """A common typo (no scheme) names the form to use rather than failing to connect somewhere else."""
    settings = Settings.load()
    settings.store.chroma_url = url
    with pytest.raises(StoreError, match=r"http://host:port"):
        Store(settings.store, make_embedder(settings.embed.embedder))


def test_module_runs_offline_from_the_installed_chromadb():
    """The server comes from the chromadb wheel in pyproject (no download): its script sits beside Python."""
    from tests.chroma_server import chroma_command

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"chromadb==' in pyproject
    assert Path(chroma_command()[0]).exists()
