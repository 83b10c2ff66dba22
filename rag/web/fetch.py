"""A polite HTTP client for news pages and feeds: robots.txt, a per-host rate limit, a named user agent,
conditional GET, a size limit, timeouts and a redirect limit.

Decisions:

- robots.txt follows RFC 9309: fetched once per host and run; a 4xx (none published) allows everything,
  a 5xx or an unreachable host disallows everything for this run (the URL is retried next run).
  A Crawl-delay for our user agent raises the per-host interval, never lowers it.
- Redirects are followed by hand so every hop is checked against robots.txt, rate-limited, and a loop
  is named as a loop rather than as "too many redirects".
- The size limit is checked on Content-Length before reading and on the decoded bytes while reading,
  so a compressed bomb is cut off too; a whole-response deadline stops servers that drip bytes.
- A fault is a `FetchError` with a reason for people and `transient` (5xx, 429, timeouts, connection
  failures): transient faults are retried on later runs, permanent ones (404, non-HTML, too big) are not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from ..settings import WebSettings

_REDIRECTS = {301, 302, 303, 307, 308}
_ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB


class FetchError(Exception):
    """Why a URL could not be fetched; `transient` faults are worth retrying on a later run."""

    def __init__(self, url: str, reason: str, *, transient: bool = False):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.transient = url, reason, transient


@dataclass
class Fetched:
    """One response: the final URL after redirects, status 200 or 304, body bytes and validators."""

    url: str
    status: int
    content_type: str = ""  # media type, lower case, without parameters
    charset: str | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304


class Getter(Protocol):
    """Anything that fetches a URL politely (the watcher and ingest depend only on this)."""

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The response for url, or FetchError."""
        ...


class Fetcher:
    """HTTP GET with robots.txt, rate limit, conditional GET, size, time and redirect limits (see module docstring)."""

    def __init__(
        self,
        settings: WebSettings | None = None,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings or WebSettings()
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            headers={"User-Agent": self.settings.user_agent},
            trust_env=False,  # no proxies from the environment: the URL named is the host contacted
        )
        self._clock, self._sleep = clock, sleep
        self._robots: dict[str, Protego | FetchError] = {}
        self._last: dict[str, float] = {}  # host -> time of its last request
        self._interval: dict[str, float] = {}  # host -> seconds between requests, when robots.txt asks for more
        self.requests = 0  # requests sent, robots.txt included (for reports and tests)

    @property
    def agent_token(self) -> str:
        """The product token robots.txt groups are matched against ('rag-news-reader')."""
        return self.settings.user_agent.split("/")[0].split()[0]

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET url politely; conditional when etag or last_modified are given; raises FetchError."""
        seen = [url]
        current = url
        for _ in range(self.settings.max_redirects + 1):
            self._check_url(current)
            self._check_robots(current)
            response = self._request(current, etag=etag, last_modified=last_modified)
            if isinstance(response, str):  # a redirect target
                nxt = urljoin(current, response)
                if nxt in seen:
                    raise FetchError(url, "redirect loop (" + " -> ".join(seen + [nxt]) + "); fix the address or tell the site")
                seen.append(nxt)
                current = nxt
                continue
            return response
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects (RAG_WEB_MAX_REDIRECTS); last: {current}")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our user agent fetch url (robots.txt faults count as no)."""
        try:
            self._check_robots(url)
        except FetchError:
            return False
        return True

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _check_url(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) address; give a full URL such as https://example.org/news/1")

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(base)
        if rules is None:
            rules = self._robots[base] = self._load_robots(base)
        if isinstance(rules, FetchError):
            raise FetchError(url, rules.reason, transient=True)
        if not rules.can_fetch(url, self.agent_token):
            raise FetchError(url, f"disallowed by {base}/robots.txt for {self.agent_token}; not fetched")

    def _load_robots(self, base: str) -> Protego | FetchError:
        where = f"{base}/robots.txt"
        try:
            current = where
            for _ in range(5):
                response = self._request(current, limit=_ROBOTS_MAX_BYTES, robots=True)
                if isinstance(response, str):
                    current = urljoin(current, response)
                    continue
                rules = Protego.parse(response.body.decode("utf-8", errors="replace"))
                delay = rules.crawl_delay(self.agent_token)
                if delay:
                    self._interval[base] = max(self.settings.min_interval, float(delay))
                return rules
            return Protego.parse("")  # RFC 9309: more than five redirects, treat as unavailable (allow)
        except FetchError as exc:
            if exc.reason.startswith("HTTP 4") and not exc.reason.startswith("HTTP 429"):
                return Protego.parse("")  # no robots.txt: everything allowed
            return FetchError(where, f"robots.txt could not be read ({exc.reason}); nothing fetched from {base} this run")

    def _wait(self, url: str) -> None:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        interval = self._interval.get(base, self.settings.min_interval)
        last = self._last.get(base)
        if last is not None and last + interval > self._clock():
            self._sleep(last + interval - self._clock())
        self._last[base] = self._clock()

    def _request(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                 limit: int | None = None, robots: bool = False) -> Fetched | str:
        """One GET: a Fetched, the Location of a redirect, or FetchError."""
        limit = limit or int(self.settings.max_page_mb * 1024 * 1024)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait(url)
        self.requests += 1
        deadline = self._clock() + self.settings.timeout
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code in _REDIRECTS:
                    location = r.headers.get("location")
                    if not location:
                        raise FetchError(url, f"HTTP {r.status_code} redirect without a Location header")
                    return location
                if r.status_code == 304:
                    return Fetched(url, 304, etag=r.headers.get("etag") or etag, last_modified=r.headers.get("last-modified") or last_modified)
                if r.status_code >= 400:
                    raise _status_error(url, r)
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, _too_big(int(declared), limit, robots))
                body = bytearray()
                for piece in r.iter_bytes():
                    body += piece
                    if len(body) > limit:
                        raise FetchError(url, _too_big(None, limit, robots))
                    if self._clock() > deadline:
                        raise FetchError(url, f"timed out: the whole response took over {self.settings.timeout:g} s (RAG_WEB_TIMEOUT)", transient=True)
                media, charset = _content_type(r.headers.get("content-type", ""))
                return Fetched(str(r.url), r.status_code, media, charset, bytes(body), r.headers.get("etag"), r.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {self.settings.timeout:g} s (RAG_WEB_TIMEOUT); will retry next run", transient=True) from None
        except httpx.TransportError as exc:
            raise FetchError(url, f"could not connect ({exc.__class__.__name__}: {exc}); will retry next run", transient=True) from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"HTTP error ({exc.__class__.__name__}: {exc})") from None


def _status_error(url: str, r: httpx.Response) -> FetchError:
    code = r.status_code
    if code in (404, 410):
        return FetchError(url, f"HTTP {code} {r.reason_phrase}: the page is gone or the address is wrong")
    if code == 429 or code >= 500:
        return FetchError(url, f"HTTP {code} {r.reason_phrase}: the server failed; will retry next run", transient=True)
    return FetchError(url, f"HTTP {code} {r.reason_phrase}: refused by the server")


def _too_big(size: int | None, limit: int, robots: bool) -> str:
    what = "robots.txt" if robots else "page"
    got = f"is {size / 1048576:.1f} MB," if size is not None else "grew"
    return f"{what} {got} over the {limit / 1048576:.3g} MB limit (RAG_WEB_MAX_PAGE_MB); not read"


def _content_type(header: str) -> tuple[str, str | None]:
    """('text/html', 'windows-1256') from a Content-Type header (standard library parser)."""
    if not header:
        return "", None
    msg = Message()
    msg["content-type"] = header
    charset = msg.get_param("charset")
    return msg.get_content_type().lower(), charset if isinstance(charset, str) else None
