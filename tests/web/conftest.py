"""Fixtures for the web tests: the fixture site on a real 127.0.0.1 server, and settings that keep runs short."""

from __future__ import annotations

import pytest

from rag.settings import Settings

from .site_server import SiteServer, copy_site


@pytest.fixture
def site(tmp_path):
    """The fixture site served from a private copy (tests may change its files)."""
    with SiteServer(copy_site(tmp_path / "site"), slow_seconds=2.5) as server:
        yield server


@pytest.fixture
def settings(tmp_path):
    """Settings for a private local index; no rate-limit wait, a 1 s timeout and a 0.1 MB page limit so faults show quickly."""
    s = Settings.load("/nonexistent.toml")
    s.store.index_dir = tmp_path / "index"
    s.store.chroma_url, s.store.collection = None, "articles"
    s.llm.model = None
    s.web.min_interval = 0.0
    s.web.timeout = 1.0
    s.web.max_page_mb = 0.1
    return s
