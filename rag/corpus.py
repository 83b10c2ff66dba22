"""The articles of one index as the agent serves them: adding (files, web pages), listing, removing, their dates and outlets.

`Corpus` is the corpus half of `rag.agent.Agent` (which inherits it): it needs only `self.store` and
`self.settings`, and owns the one cache of article rows (keyed on the index version, so any write, by
any process, refreshes it). Asking, briefing and events stay in rag/agent.py.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import arabic
from .dates import parse_user_date
from .ingest.metadata import canonical_outlet
from .ingest.pipeline import IngestReport, ingest
from .version import Versioned

if TYPE_CHECKING:
    from .settings import Settings
    from .store import Store
    from .web.watch import WebReport


class Corpus:
    """Ingest, list and remove the articles of `self.store` (set by the subclass)."""

    store: Store
    settings: Settings

    @functools.cached_property
    def _dates(self) -> Versioned[dict[str, dict[str, Any]]]:
        """Article rows by id, read once per index version (any write, by any process, refreshes it: rag/version.py)."""
        return Versioned(self.store, lambda: {r["id"]: r for r in self.articles()})

    @functools.cached_property
    def _newest(self) -> Versioned[date | None]:
        """The newest article date, one pass over every article per index version."""
        return Versioned(self.store, self._find_newest)

    def ingest(self, paths: str | Path | Iterable[str | Path], *, sync: bool = False, allow_empty: bool = False, progress=True) -> IngestReport:
        """Index files and folders (one path or a list); unchanged articles are skipped; see rag/ingest/pipeline.py for sync."""
        paths = _paths(paths)
        report = ingest(paths, self.store, self.settings, sync=sync, allow_empty=allow_empty, progress=progress)
        self._dates.clear()
        return report

    def ingest_web(self, urls: Iterable[str], *, progress: bool = False) -> WebReport:
        """Index article pages by URL, or the articles of an RSS/Atom feed or sitemap URL (rag.web); returns a WebReport."""
        from .web.watch import ingest_web

        report = ingest_web(urls, self.store, self.settings, progress=progress)
        self._dates.clear()
        return report

    def articles(self) -> list[dict]:
        """Indexed articles: id, title, source, date, date_precision, date_source, chunks, url."""
        rows = []
        for aid, m in sorted(self.store.articles().items()):
            rows.append(
                {
                    "id": aid,
                    "title": m.get("title", ""),
                    "source": m.get("source", ""),
                    "date": m.get("date") or None,
                    "date_precision": m.get("date_precision", "unknown"),
                    "date_source": m.get("date_source", "unknown"),
                    "chunks": m.get("chunks", 0),
                    "url": m.get("url", ""),
                }
            )
        return rows

    def remove(self, article_ids: Iterable[str]) -> list[str]:
        """Delete articles by id (chunks, sentence vectors, events and text); unknown ids are an error naming them.

        Nothing is deleted when any id is unknown, so a typo never removes half a list.
        """
        ids = list(dict.fromkeys(str(i).strip() for i in article_ids if str(i).strip()))
        if not ids:
            raise ValueError("no article id given: `rag articles` lists them")
        known = self.store.articles()
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"not in the index: {', '.join(unknown)}; nothing removed (`rag articles` lists the ids)")
        self.store.delete_articles(ids)
        self._dates.clear()
        return ids

    def article_text(self, article_id: str) -> str | None:
        """The display text of an article (what citation offsets point into)."""
        return self.store.article_text(article_id)

    def newest_date(self) -> date | None:
        """The newest known article date: the anchor of relative dates in questions."""
        return self._newest.get()

    def _find_newest(self) -> date | None:
        ends = [r["date"] for r in self._article_dates().values() if r["date"]]
        return parse_user_date(max(ends), end=True) if ends else None

    def outlets(self, sources) -> list[str]:
        """Outlet names as the index stores them (one name or a list; any case or known spelling), or ValueError listing the known ones."""
        if sources is None or sources == "" or sources == []:
            return []
        if isinstance(sources, str):
            sources = [sources]
        try:
            sources = list(sources)
        except TypeError:
            raise TypeError(f"sources must be an outlet name or a list of them, not {type(sources).__name__}") from None
        if not all(isinstance(x, str) for x in sources):
            raise TypeError("sources must be outlet names (strings)")
        known = sorted({r.get("source") or "" for r in self._article_dates().values()} - {""})
        by_key = {arabic.normalize(k).strip(): k for k in known}
        out: list[str] = []
        unknown: list[str] = []
        for name in (x.strip() for x in sources if x.strip()):
            found = by_key.get(arabic.normalize(name).strip()) or by_key.get(arabic.normalize(canonical_outlet(name)).strip())
            (out if found else unknown).append(found or name)
        if unknown:
            raise ValueError(f"unknown outlet(s) {', '.join(map(repr, unknown))}; outlets in this index: {', '.join(known) or 'none'}")
        return list(dict.fromkeys(out))

    def _article_dates(self) -> dict:
        return self._dates.get()


def _paths(paths) -> list[str | Path]:
    """One path or a list of them, checked (a single string is one path, never its characters)."""
    if isinstance(paths, (str, Path)):
        return [paths]
    try:
        paths = list(paths)
    except TypeError:
        raise TypeError(f"paths must be a path (str or Path) or a list of them, not {type(paths).__name__}") from None
    bad = [p for p in paths if not isinstance(p, (str, Path))]
    if bad:
        raise TypeError(f"paths must be str or Path; got {type(bad[0]).__name__} ({bad[0]!r:.60})")
    return paths
