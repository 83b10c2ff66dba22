"""One writer per index: a file lock on a local index folder, a lease on a Chroma server.

Why: two ingests writing the same articles at once each delete the old chunks and add their
own, so both versions' chunks stay while the manifest records one (citations stop resolving).
Readers never take the lock; writers (ingest, sync, repair) hold it for their whole run.

- Local: `filelock` (an OS lock on `.rag-write.lock` in the index folder, released by the
  kernel when the holder dies, so a killed ingest never leaves a stale lock). Who holds it is
  written to `.rag-write.owner` so the waiting side can say so.
- Server: a collection `<collection>-writer` is created by the holder and deleted on release;
  creating an existing collection fails on the server, so acquiring is atomic. Its metadata
  carries the holder and an expiry that the holder renews (`renew`, called per stored batch);
  a lease past its expiry, or held by a process of this machine that no longer exists (killed,
  or it stopped when the server went away), is taken over.

A second writer waits up to `timeout` seconds (RAG_LOCK_TIMEOUT), saying once that it waits,
then refuses with a StoreError naming the holder.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE, OWNER_FILE = ".rag-write.lock", ".rag-write.owner"
LEASE_SECONDS = 600.0  # a server lease not renewed for this long belongs to a dead writer


def holder() -> dict:
    """Who this process is, for the other side's message."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S"), "argv": " ".join(sys.argv[:4])[:200]}


def describe(info: dict) -> str:
    """'pid 123 on host, since …, running `rag ingest …`' (what is known of a holder)."""
    if not info:
        return "another process"
    text = f"pid {info.get('pid', '?')} on {info.get('host', '?')}, since {info.get('since', '?')}"
    return text + (f" (`{info['argv']}`)" if info.get("argv") else "")


def _dead_here(info: dict) -> bool:
    """Whether a lease holder ran on this machine and its process is gone (killed, or its server was lost)."""
    if info.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(info.get("pid", 0)), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError):
        return False
    return int(info.get("pid", 0)) <= 0


class LockTimeout(RuntimeError):
    """The index stayed locked by another writer past the timeout."""


class LocalLock:
    """The write lock of an index folder."""

    def __init__(self, folder: Path, timeout: float, notify=None):
        self.folder, self.timeout = Path(folder), timeout
        self.notify = notify or (lambda text: print(text, file=sys.stderr, flush=True))
        self._lock = FileLock(str(self.folder / LOCK_FILE))

    def owner(self) -> dict:
        try:
            return json.loads((self.folder / OWNER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def acquire(self) -> None:
        """Take the lock, waiting up to `timeout` seconds (saying so), else LockTimeout."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            who = describe(self.owner())
            if self.timeout <= 0:
                raise LockTimeout(who) from None
            self.notify(f"waiting for {who} to finish writing {self.folder} (up to {self.timeout:g} s, RAG_LOCK_TIMEOUT) ...")
            try:
                self._lock.acquire(timeout=self.timeout)
            except Timeout:
                raise LockTimeout(describe(self.owner()) or who) from None
        try:
            (self.folder / OWNER_FILE).write_text(json.dumps(holder()), encoding="utf-8")
        except OSError:
            pass  # the owner note is for messages only; the lock itself is held

    def renew(self) -> None:
        """Nothing to renew: the OS holds a file lock until release or death."""

    def release(self) -> None:
        try:
            (self.folder / OWNER_FILE).unlink(missing_ok=True)
        except OSError:
            pass
        self._lock.release()


class ServerLease:
    """The write lease of a collection on a Chroma server (see the module docstring)."""

    def __init__(self, client, collection: str, timeout: float, notify=None):
        self.client, self.name, self.timeout = client, f"{collection}-writer", timeout
        self.notify = notify or (lambda text: print(text, file=sys.stderr, flush=True))
        self.me = holder()
        self._col = None

    def _meta(self) -> dict:
        return {**{k: str(v) for k, v in self.me.items()}, "expires": time.time() + LEASE_SECONDS}

    def _current(self) -> dict | None:
        try:
            return dict(self.client.get_collection(self.name, embedding_function=None).metadata or {})
        except Exception:
            return None

    def acquire(self) -> None:
        deadline, said, vanished = time.monotonic() + max(0.0, self.timeout), False, 0
        while True:
            try:
                self._col = self.client.create_collection(self.name, embedding_function=None, metadata=self._meta())
                return
            except Exception:
                current = self._current()
                if current is None:
                    vanished += 1
                    if vanished > 3:  # neither created nor there: the server itself is failing
                        raise
                    continue  # released between the two calls: try again at once
                if float(current.get("expires", 0)) < time.time() or _dead_here(current):
                    try:  # the holder stopped renewing (killed): take the lease over
                        self.client.delete_collection(self.name)
                    except Exception:
                        pass
                    continue
                if time.monotonic() >= deadline:
                    raise LockTimeout(describe(current)) from None
                if not said:
                    self.notify(f"waiting for {describe(current)} to finish writing collection '{self.name[:-7]}' "
                                f"(up to {self.timeout:g} s, RAG_LOCK_TIMEOUT) ...")
                    said = True
                time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))

    def renew(self) -> None:
        """Push the expiry on (called per stored batch)."""
        if self._col is not None:
            try:
                self._col.modify(metadata=self._meta())
            except Exception:
                pass  # a lost server is reported by the write that follows

    def release(self) -> None:
        try:
            self.client.delete_collection(self.name)
        except Exception:
            pass
        self._col = None
