"""The app served as a subprocess (`python app.py`) over a private copy of the seed index, one per test module."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
START_TIMEOUT = 180  # seconds: loading the embedder on a busy 2-core machine


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running app: its URL, its index folder and its log."""

    def __init__(self, url: str, index: Path, log: Path):
        self.url, self.index, self.log = url, index, log


def _serve(seed_index_dir, work: Path, extra_env: dict[str, str] | None = None):
    """`python app.py --index COPY --port N` on 127.0.0.1 with extra_env over a clean environment; yields a Served."""
    index = work / "index"
    shutil.copytree(seed_index_dir, index)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "GRADIO_")) and k != "OPENAI_API_KEY"}
    env.update(RAG_CONFIG=str(work / "no-such-rag.toml"), GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False",
               HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1", **(extra_env or {}))
    port = free_port()
    log = work / "app.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--index", str(index), "--port", str(port)],
                                cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"app.py exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"app.py did not answer on {url} within {START_TIMEOUT} s:\n{log.read_text(errors='replace')[-4000:]}")
            time.sleep(0.5)
        yield Served(url, index, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def served_app(seed_index_dir, tmp_path_factory):
    """The app, extractive (no LLM configured), stopped after the module."""
    yield from _serve(seed_index_dir, tmp_path_factory.mktemp("app"))


@pytest.fixture(scope="module")
def served_app_slow_llm(seed_index_dir, tmp_path_factory):
    """The app configured with an LLM that never answers in time: the OpenAI-protocol fake (tests/fake_openai.py) replies
    after 60 s and the app waits 10 s, so every answer shows "searching the sources…" for 10 s (time to press Stop),
    then falls back to the extractive answer with "did not answer within 10 s"."""
    from tests.fake_openai import FakeOpenAI, Reply

    with FakeOpenAI(lambda body: Reply(content="too late [1]", delay=60), model="slow-model") as llm:
        yield from _serve(seed_index_dir, tmp_path_factory.mktemp("app-slow-llm"),
                          {"RAG_LLM_MODEL": "slow-model", "RAG_LLM_BASE_URL": llm.base_url, "RAG_LLM_MAX_RETRIES": "0",
                           "RAG_LLM_TIMEOUT": "10", "OPENAI_API_KEY": "sk-test"})
