"""The per-index web state file: what each feed gave and what each page returned last time.

One JSON file (default `web-state.json` in the index folder), replaced atomically after a run's
pages are in the index, so it never claims a page the index lacks: a run that dies midway leaves
the previous state, and the next run fetches those pages again (the pipeline then skips whatever
did reach the index, by content hash).

    {"version": 1,
     "feeds": {feed_url: {"etag", "last_modified", "checked", "kind", "title",
                          "items": {page_url: {"stamp", "first_seen"}}}},
     "pages": {page_url: {"status": "indexed" | "failed", "reason", "transient", "attempts",
                          "article_id", "etag", "last_modified", "checked"}}}
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..settings import Settings

VERSION = 1


def state_path(settings: Settings) -> Path:
    """Where the state of this index lives (RAG_WEB_STATE_FILE, else web-state.json in the index folder)."""
    return Path(settings.web.state_file) if settings.web.state_file else Path(settings.store.index_dir) / "web-state.json"


def now() -> str:
    """UTC time as ISO 8601, for 'checked' and 'first_seen'."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class WebState:
    """Feeds and pages seen by earlier runs (see the module docstring for the layout)."""

    path: Path
    feeds: dict[str, dict] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> WebState:
        """Read the state file; a missing file is an empty state, a broken one an error naming it."""
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(
                f"{path}: web state file is not valid JSON ({exc}); move it aside to start over "
                "(pages already indexed are then fetched once more and skipped as unchanged)"
            ) from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError(f"{path}: not a web state file of version {VERSION}; move it aside to start over")
        return cls(path, data.get("feeds", {}), data.get("pages", {}))

    def save(self) -> None:
        """Write the file atomically (temporary file, then rename)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"version": VERSION, "feeds": self.feeds, "pages": self.pages}, ensure_ascii=False, indent=1, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".web-state-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def feed(self, url: str) -> dict:
        """The record of one feed, created empty when new."""
        return self.feeds.setdefault(url, {"items": {}})

    def page(self, url: str) -> dict | None:
        """What the last fetch of a page gave, or None for a page never fetched."""
        return self.pages.get(url)

    def record_page(self, url: str, *, status: str, reason: str = "", transient: bool = False, article_id: str = "",
                    etag: str | None = None, last_modified: str | None = None) -> None:
        """Remember a page's outcome; failures count attempts so transient faults are retried a bounded number of times."""
        before = self.pages.get(url, {})
        attempts = before.get("attempts", 0) + 1 if status == "failed" else 0
        self.pages[url] = {
            "status": status, "reason": reason, "transient": transient, "attempts": attempts,
            "article_id": article_id or before.get("article_id", ""),
            "etag": etag if status == "indexed" else before.get("etag"),
            "last_modified": last_modified if status == "indexed" else before.get("last_modified"),
            "checked": now(),
        }
