"""Web ingest: article URLs (`rag ingest https://...`) and watched feeds (`rag watch feeds.toml`).

Pages go through rag.ingest.pipeline.ingest_records, so a web page follows the file rules: same
content hash skipped, changed content replaces the article's chunks, failures reported per URL.

Which pages a run fetches: every URL given to `rag ingest`; from a feed, the items never fetched
before, items whose feed dates (published, updated or lastmod) changed since the last run, and items
whose last fetch hit a transient fault (5xx, timeout) fewer than `RAG_WEB_RETRIES` times. A page
fetched before is asked for with its ETag / Last-Modified, and a 304 counts as unchanged. The feed
itself is fetched conditionally too: a 304 means nothing new. The state file (rag.web.state) is
written only after the run's pages are in the index.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest.loaders import LoadError, RawDoc
from ..ingest.pipeline import IngestReport, ingest_records
from ..settings import Settings
from ..store import Store
from .extract import HTML_TYPES, ExtractError, canonical_url, decode_html, extract_page, to_record
from .feeds import FeedConfig, FeedError, FeedItem, detect_kind, load_feeds, parse_listing
from .fetch import Fetched, Fetcher, FetchError, Getter
from .state import WebState, now, state_path


@dataclass
class FeedReport:
    """What one feed gave in one run."""

    label: str
    kind: str = ""
    items: int = 0
    fetched: int = 0  # pages requested
    known: int = 0  # items seen before and not due again
    unchanged: int = 0  # 304 Not Modified
    not_modified: bool = False  # the feed itself answered 304
    error: str = ""
    notices: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the summary."""
        if self.error:
            return f"feed {self.label}: not read (reason below)"
        if self.not_modified:
            return f"feed {self.label}: not modified since the last run"
        return (f"feed {self.label} ({self.kind}): {self.items} item(s); fetched {self.fetched} page(s), "
                f"{self.unchanged} not modified, {self.known} already known")


@dataclass
class WebReport:
    """A web run: per-feed lines and the pipeline's report (articles, chunks, skipped, replaced, failures per URL)."""

    ingest: IngestReport
    feeds: list[FeedReport] = field(default_factory=list)
    unchanged: int = 0  # pages answering 304

    def summary(self) -> str:
        """Per-feed lines, then the ingest summary with one line per failed URL."""
        lines = [f.line() for f in self.feeds]
        lines += [f"  note: {n}" for f in self.feeds for n in f.notices]
        if self.unchanged:
            lines.append(f"{self.unchanged} page(s) not modified since the last fetch (HTTP 304)")
        return "\n".join(lines + [self.ingest.summary()])


class WebIngest:
    """One run over URLs and feeds, sharing a fetcher (rate limit, robots.txt) and the state file."""

    def __init__(self, store: Store, settings: Settings, *, fetcher: Getter | None = None, state: WebState | None = None):
        self.store, self.settings = store, settings
        self.fetcher = fetcher or Fetcher(settings.web)
        self._own_fetcher = fetcher is None
        self.state = state or WebState.load(state_path(settings))
        self.report = WebReport(IngestReport())
        self._taken: set[str] = set()  # canonical URLs already handled in this run
        self._outcomes: dict[str, tuple] = {}  # url -> ("indexed", article_id, etag, last_modified) | ("failed", reason, transient)
        self._stamps: list[tuple[dict, str, FeedItem]] = []  # (feed's items record, url, item) to remember after the run

    def close(self) -> None:
        """Release the fetcher's connections if this run made it."""
        if self._own_fetcher and hasattr(self.fetcher, "close"):
            self.fetcher.close()

    def __enter__(self) -> WebIngest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, urls: Iterable[str] = (), feeds: Iterable[FeedConfig] = (), *, progress=False) -> WebReport:
        """Fetch, extract and index; then save the state. URLs that are feeds are read as feeds."""
        records = self._records(list(urls), list(feeds))
        self.report.ingest = ingest_records(records, self.store, self.settings, progress=progress)
        self.report.ingest.skipped += self.report.unchanged  # a 304 is an unchanged article, as a same-hash page is
        failed = {canonical_url(err.origin): err.reason for err in self.report.ingest.failed}
        for url, outcome in self._outcomes.items():
            if outcome[0] == "indexed" and url in failed:
                self.state.record_page(url, status="failed", reason=failed[url])
            elif outcome[0] == "indexed":
                self.state.record_page(url, status="indexed", article_id=outcome[1], etag=outcome[2], last_modified=outcome[3])
            else:
                self.state.record_page(url, status="failed", reason=outcome[1], transient=outcome[2])
        for items, url, item in self._stamps:
            entry = items.setdefault(url, {"first_seen": now()})
            entry.update(published=item.published, date_source=item.date_source, stamp=_stamp(item))
        self.state.save()
        return self.report

    # -- producing records ------------------------------------------------------------------

    def _records(self, urls: list[str], feeds: list[FeedConfig]) -> Iterator[RawDoc | LoadError]:
        for url in urls:
            yield from self._url(url)
        for feed in feeds:
            yield from self._feed(feed)

    def _url(self, url: str) -> Iterator[RawDoc | LoadError]:
        """An address given by hand: an article page, or a feed whose items are then read."""
        key = canonical_url(url)
        if key in self._taken:
            return
        previous = self.state.page(key) or {}
        validators = (previous.get("etag"), previous.get("last_modified")) if previous.get("status") == "indexed" else (None, None)
        try:
            fetched = self.fetcher.get(url, etag=validators[0], last_modified=validators[1])
        except FetchError as exc:
            self._taken.add(key)
            self._outcomes[key] = ("failed", exc.reason, exc.transient)
            yield LoadError(url, exc.reason)
            return
        if fetched.not_modified:
            self._taken.add(key)
            self.report.unchanged += 1
            return
        if _is_feed(fetched):
            yield from self._feed(FeedConfig(url=url), first=fetched)
        else:
            self._taken.add(key)
            yield self._page(url, fetched, outlet="", item=None)

    def _feed(self, feed: FeedConfig, first: Fetched | None = None) -> Iterator[RawDoc | LoadError]:
        fr = FeedReport(feed.label)
        self.report.feeds.append(fr)
        record = self.state.feed(feed.url)
        queue = [feed.url]
        while queue:  # a sitemap index adds its child sitemaps (one level)
            address = queue.pop(0)
            try:
                fetched = first if first is not None and address == feed.url else self.fetcher.get(
                    address, etag=record.get("etag") if address == feed.url else None,
                    last_modified=record.get("last_modified") if address == feed.url else None)
                if fetched.not_modified:
                    fr.not_modified = True
                    for item in self._retries(record["items"]):  # transient faults are retried even when the feed is unchanged
                        yield from self._item(feed, fr, record["items"], item)
                    continue
                listing = parse_listing(fetched, feed, self.settings.web.max_items)
            except (FetchError, FeedError, ExtractError) as exc:
                reason = getattr(exc, "reason", None) or str(exc)
                fr.error = f"{address}: {reason}"
                yield LoadError(address, reason)
                continue
            if address == feed.url:
                record.update(etag=fetched.etag, last_modified=fetched.last_modified, checked=now(), kind=listing.kind, title=listing.title)
                fr.kind = listing.kind
            if address == feed.url and listing.children:
                queue.extend(listing.children[:20])
            fr.notices += listing.notices
            fr.items += len(listing.items)
            for item in listing.items:
                yield from self._item(feed, fr, record["items"], item)

    def _item(self, feed: FeedConfig, fr: FeedReport, items: dict, item: FeedItem) -> Iterator[RawDoc | LoadError]:
        key = canonical_url(item.url)
        if key in self._taken:
            return
        self._taken.add(key)
        stamp = _stamp(item)
        seen = items.get(key)
        page = self.state.page(key)
        retry = page is not None and page.get("status") == "failed" and page.get("transient") and page.get("attempts", 0) < self.settings.web.retries
        if seen is not None and page is not None and seen.get("stamp") == stamp and not retry:
            fr.known += 1
            return
        self._stamps.append((items, key, item))
        validators = (page.get("etag"), page.get("last_modified")) if page and page.get("status") == "indexed" else (None, None)
        fr.fetched += 1
        try:
            fetched = self.fetcher.get(item.url, etag=validators[0], last_modified=validators[1])
        except FetchError as exc:
            self._outcomes[key] = ("failed", exc.reason, exc.transient)
            yield LoadError(item.url, exc.reason)
            return
        if fetched.not_modified:
            fr.unchanged += 1
            self.report.unchanged += 1
            return
        yield self._page(key, fetched, outlet=feed.outlet, item=item)

    def _retries(self, items: dict) -> list[FeedItem]:
        """Items of a feed whose last fetch hit a transient fault and that have retries left."""
        due = []
        for url, entry in items.items():
            page = self.state.page(url) or {}
            if page.get("status") == "failed" and page.get("transient") and page.get("attempts", 0) < self.settings.web.retries:
                due.append(FeedItem(url, published=entry.get("published", ""), date_source=entry.get("date_source", "feed")))
        return due

    def _page(self, url: str, fetched: Fetched, *, outlet: str, item: FeedItem | None) -> RawDoc | LoadError:
        """A record for a fetched page, or the reason there is none (outcome remembered under url)."""
        key = canonical_url(url)
        try:
            if not _is_html(fetched):
                raise ExtractError(f"not an HTML page ({fetched.content_type or 'no content type'}); only article pages are ingested")
            html = decode_html(fetched.body, fetched.charset, url)
            page = extract_page(html, fetched.url)
        except ExtractError as exc:
            self._outcomes[key] = ("failed", str(exc), False)
            return LoadError(url, str(exc))
        raw = to_record(page, outlet=outlet, feed_date=item.published if item else "", feed_date_source=item.date_source if item else "feed")
        raw.origin = url
        self._outcomes[key] = ("indexed", raw.id, fetched.etag, fetched.last_modified)
        return raw


def _stamp(item: FeedItem) -> str:
    """What the feed says about an item's version: a change means the page is fetched again."""
    return f"{item.published}|{item.updated}"


def _is_feed(fetched: Fetched) -> bool:
    """An RSS/Atom feed or sitemap, by its declared type or, when the type is generic XML or missing, its first bytes."""
    ctype = fetched.content_type
    if ctype in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    if ctype and ctype not in ("application/xml", "text/xml"):
        return False
    return detect_kind(fetched) != "section" and fetched.body.lstrip()[:1] == b"<"


def _is_html(fetched: Fetched) -> bool:
    if fetched.content_type:
        return fetched.content_type in HTML_TYPES
    return detect_kind(fetched) == "section"  # no declared type: sniff for an HTML document


def ingest_web(urls: Iterable[str], store: Store, settings: Settings, *, fetcher: Getter | None = None, progress: bool = False) -> WebReport:
    """Index article pages by URL (a URL that is a feed or sitemap has its items indexed)."""
    with WebIngest(store, settings, fetcher=fetcher) as web:
        return web.run(urls=urls, progress=progress)


def watch_once(feeds: list[FeedConfig], store: Store, settings: Settings, *, fetcher: Getter | None = None, progress: bool = False) -> WebReport:
    """One pass over the feeds: new and changed pages indexed, the state saved."""
    with WebIngest(store, settings, fetcher=fetcher) as web:
        return web.run(feeds=feeds, progress=progress)


def parse_every(value: str) -> float:
    """Seconds in an interval such as '30m', '1h', '1d' or '90' (seconds); at least 60 s."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value or "")
    if not m:
        raise ValueError(f"--every {value!r}: give a number with s, m, h or d, e.g. 30m or 1h")
    seconds = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    if seconds < 60:
        raise ValueError(f"--every {value!r}: at least 60 s between runs, to stay polite to the sites")
    return seconds


def watch(feeds_file: str | Path, store: Store, settings: Settings, *, every: float | None = None,
          progress=False, out=None, sleep: Callable[[float], None] = time.sleep, runs: int | None = None) -> int:
    """Run watch_once now, then every `every` seconds (None: once); the feeds file is re-read each run. Returns an exit code."""
    out = out or sys.stdout
    done = 0
    while True:
        feeds = load_feeds(feeds_file)
        started = time.monotonic()
        report = watch_once(feeds, store, settings, progress=progress)
        print(f"[{now()}] {report.summary()}", file=out, flush=True)
        done += 1
        if every is None or (runs is not None and done >= runs):
            return 1 if report.feeds and all(f.error for f in report.feeds) else 0  # 1 only when no feed could be read
        sleep(max(0.0, every - (time.monotonic() - started)))
