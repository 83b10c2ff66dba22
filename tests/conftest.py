"""Shared fixtures: every test gets its own empty index dir and a clean environment; the seed index is built once.

Store modes: a test that takes `store_mode` runs twice, on a local index folder and on a
real `chroma run` server (one per session, see tests/chroma_server.py) with a collection
of its own; `seed_agent` follows `store_mode` when the test uses it, else it is local.
A test module opts all its tests in with `pytestmark = pytest.mark.usefixtures("store_mode")`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from rag.resources import data_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = data_path("sample")
SHARED = ROOT.parent / "shared"
ANT = SHARED / "corpus" / "ant-news.jsonl.gz"
XQUAD = SHARED / "benchmarks" / "xquad-ar.jsonl"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """No settings leak in from the developer's shell: own index dir, no LLM, no config file."""
    for key in list(os.environ):
        if key.startswith("RAG_") or key == "OPENAI_API_KEY":
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_CONFIG", str(tmp_path / "no-such-rag.toml"))


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """A real Chroma index of the five sample reports, built once with the bundled embedder."""
    from rag.agent import Agent
    from rag.settings import Settings

    path = tmp_path_factory.mktemp("seed-index") / "index"
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = path
    settings.store.chroma_url, settings.store.collection = None, "articles"  # local, whatever store_mode set
    settings.llm.model = None
    Agent(settings, llm=None).ingest([SAMPLE], progress=False)
    return path


@pytest.fixture
def seed_agent(request, seed_index_dir, tmp_path):
    """An extractive Agent over a private copy of the seed index (on the Chroma server when store_mode is 'server')."""
    from rag.agent import Agent
    from rag.settings import Settings

    mode = request.getfixturevalue("store_mode") if "store_mode" in request.fixturenames else "local"
    settings = Settings.load()
    if mode == "server":
        store = _server_copy(settings, request.getfixturevalue("seed_records"))
        return Agent(settings, store=store, llm=None)
    copy = tmp_path / "seed-index"
    shutil.copytree(seed_index_dir, copy)
    settings.store.index_dir = copy
    return Agent(settings, llm=None)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on a free 127.0.0.1 port over a temp folder, for the whole session."""
    from tests.chroma_server import ChromaServer

    root = tmp_path_factory.mktemp("chroma-server")
    server = ChromaServer(root / "data", log=root / "chroma.log")
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(f"could not start the Chroma server: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["local", "server"])
def store_mode(request, monkeypatch):
    """'local' (index folder) or 'server' (RAG_CHROMA_URL set to the session's server, a fresh collection)."""
    if request.param == "server":
        server = request.getfixturevalue("chroma_server")
        name = f"t-{uuid.uuid4().hex[:12]}"
        monkeypatch.setenv("RAG_CHROMA_URL", server.url)
        monkeypatch.setenv("RAG_COLLECTION", name)
        request.addfinalizer(lambda: drop_collections(server.url, name))
    return request.param


def drop_collections(url: str, name: str) -> None:
    """Delete a test's chunk and manifest collections from the server (if it is still up)."""
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    u = urlparse(url)
    try:
        client = chromadb.HttpClient(host=u.hostname, port=u.port, settings=ChromaSettings(anonymized_telemetry=False))
        existing = {c.name for c in client.list_collections()}
        for n in (name, f"{name}-manifest"):
            if n in existing:
                client.delete_collection(n)
    except Exception:  # the test may have stopped the server on purpose
        pass


@pytest.fixture(scope="session")
def seed_records(seed_index_dir, tmp_path_factory) -> dict:
    """Every record (ids, vectors, texts, metadata) of the seed index's two collections, read once."""
    from rag.embeddings import make_embedder
    from rag.settings import Settings
    from rag.store import Store

    copy = tmp_path_factory.mktemp("seed-records") / "index"
    shutil.copytree(seed_index_dir, copy)
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = copy
    settings.store.chroma_url, settings.store.collection = None, "articles"
    store = Store(settings.store, make_embedder(settings.embed.embedder), create=False)
    include = ["embeddings", "documents", "metadatas"]
    return {"chunks": store.chunks.get(include=include), "manifest": store.manifest.get(include=include)}


def _server_copy(settings, records: dict):
    """A Store on the server (settings from the environment) filled with the seed records, no embedding."""
    from rag.embeddings import make_embedder
    from rag.store import Store

    store = Store(settings.store, make_embedder(settings.embed.embedder))
    for name in ("chunks", "manifest"):
        r = records[name]
        getattr(store, name).upsert(ids=r["ids"], embeddings=r["embeddings"], documents=r["documents"], metadatas=r["metadatas"])
    return store


def need_shared(path: Path):
    """Skip (with the reason) when ../shared is absent, as on a user's clone."""
    if not path.exists():
        pytest.skip(f"needs {path} (the shared corpus beside the repo); absent on this machine")
