"""Shared fixtures: every test gets its own empty index dir and a clean environment; the seed index is built once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
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
    settings.llm.model = None
    Agent(settings, llm=None).ingest([SAMPLE], progress=False)
    return path


@pytest.fixture
def seed_agent(seed_index_dir, tmp_path):
    """An extractive Agent over a private copy of the seed index."""
    from rag.agent import Agent
    from rag.settings import Settings

    copy = tmp_path / "seed-index"
    shutil.copytree(seed_index_dir, copy)
    settings = Settings.load()
    settings.store.index_dir = copy
    return Agent(settings, llm=None)


def need_shared(path: Path):
    """Skip (with the reason) when ../shared is absent, as on a user's clone."""
    if not path.exists():
        pytest.skip(f"needs {path} (the shared corpus beside the repo); absent on this machine")
