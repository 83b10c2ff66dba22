"""A real Chroma server for tests: `chroma run` on a free 127.0.0.1 port over a temp folder.

    with ChromaServer(tmp_path / "chroma") as server:
        settings.store.chroma_url = server.url

`chroma` is the console script of the chromadb wheel the project depends on, found
next to the running Python (no PATH guessing); `chroma run` serves offline. The
server is started in its own process group and killed at teardown; `kill()` stops
it hard (kill -9) and `start()` brings it back on the same port and folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

START_TIMEOUT = 90.0  # seconds; the server is up in about 1 s on an idle machine


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chroma_command() -> list[str]:
    """The command that runs Chroma's CLI from this Python's chromadb install."""
    script = Path(sys.executable).with_name("chroma")
    if script.exists():
        return [str(script)]
    found = shutil.which("chroma")
    if found:
        return [found]
    # chromadb.cli.cli has no __main__ guard, so `python -m` would do nothing: call its app.
    return [sys.executable, "-c", "import sys; from chromadb.cli.cli import app; sys.argv[0] = 'chroma'; app()"]


class ChromaServer:
    """One `chroma run` process; `url` is what RAG_CHROMA_URL takes."""

    def __init__(self, path: Path, port: int | None = None, log: Path | None = None):
        self.path = Path(path)
        self.port = port or free_port()
        self.log = Path(log) if log else self.path.with_suffix(".log")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def heartbeat(self, timeout: float = 2.0) -> bool:
        """Whether the server answers /api/v2/heartbeat."""
        try:
            return httpx.get(f"{self.url}/api/v2/heartbeat", timeout=timeout).status_code == 200
        except httpx.HTTPError:
            return False

    def start(self, timeout: float = START_TIMEOUT) -> ChromaServer:
        """Start the server and wait for its heartbeat; fail with the log's tail if it does not come."""
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
        cmd = chroma_command() + ["run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self.heartbeat():
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}:\n{self.tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"chroma run gave no heartbeat on {self.url} within {timeout:g} s:\n{self.tail()}")
            time.sleep(0.2)
        return self

    def kill(self) -> None:
        """Stop the server hard (SIGKILL to its process group), as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        except ProcessLookupError:
            pass
        self.proc = None

    def tail(self, n: int = 3000) -> str:
        """The end of the server's log."""
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
