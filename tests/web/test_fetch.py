"""The polite client against the real fixture server: robots.txt, rate limit, validators, limits, faults."""

from __future__ import annotations

import time

import pytest

from rag.web.fetch import Fetcher, FetchError


def _fetcher(settings, **changes):
    for k, v in changes.items():
        setattr(settings.web, k, v)
    return Fetcher(settings.web)


def test_page_is_fetched_with_validators_and_named_user_agent(site, settings):
    with _fetcher(settings) as f:
        got = f.get(f"{site.base}/news/ghouta-aid.html")
    assert got.status == 200 and got.content_type == "text/html"
    assert got.etag and got.last_modified and "الغوطة".encode() in got.body
    agents = {ua for path, ua, _ in site.log}
    assert agents == {settings.web.user_agent}
    assert site.requested() == ["/robots.txt", "/news/ghouta-aid.html"]


def test_conditional_get_gives_304(site, settings):
    with _fetcher(settings) as f:
        first = f.get(f"{site.base}/news/ghouta-aid.html")
        again = f.get(f"{site.base}/news/ghouta-aid.html", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert site.log[-1][2].get("If-None-Match") == first.etag


def test_robots_txt_is_respected_and_read_once(site, settings):
    with _fetcher(settings) as f:
        with pytest.raises(FetchError, match="disallowed by .*/robots.txt") as err:
            f.get(f"{site.base}/private/secret.html")
        f.get(f"{site.base}/news/alexandria.html")
    assert not err.value.transient
    assert "/private/secret.html" not in site.requested()
    assert site.requested("/robots.txt") == ["/robots.txt"]


def test_rate_limit_spaces_requests_to_one_host(site, settings):
    with _fetcher(settings, min_interval=0.4) as f:
        started = time.monotonic()
        f.get(f"{site.base}/news/alexandria.html")  # robots.txt, then the page
        f.get(f"{site.base}/news/plane-crash.html")
        elapsed = time.monotonic() - started
    assert elapsed >= 0.8  # three requests, two waits of 0.4 s


def test_crawl_delay_raises_the_interval(site, settings):
    (site.root / "robots.txt").write_text("User-agent: rag-news-reader\nCrawl-delay: 0.5\nDisallow: /private/\n")
    with _fetcher(settings, min_interval=0.0) as f:
        started = time.monotonic()
        f.get(f"{site.base}/news/alexandria.html")
        f.get(f"{site.base}/news/plane-crash.html")
    assert time.monotonic() - started >= 1.0


@pytest.mark.parametrize("path, reason, transient", [
    ("/fault/404", "HTTP 404 Not Found: the page is gone", False),
    ("/fault/503", "HTTP 503 Service Unavailable: the server failed; will retry next run", True),
    ("/fault/slow", "timed out after 1 s", True),
    ("/fault/loop-a", "redirect loop (.*/fault/loop-a -> .*/fault/loop-b -> .*/fault/loop-a)", False),
    ("/fault/huge.html", "page grew over the 0.1 MB limit", False),
    ("/fault/huge-declared.html", "page is 0.4 MB, over the 0.1 MB limit", False),
    ("/fault/gzip.html", "page grew over the 0.1 MB limit", False),  # counted decoded, not as sent
])
def test_faults_are_named(site, settings, path, reason, transient):
    with _fetcher(settings) as f:
        with pytest.raises(FetchError, match=reason) as err:
            f.get(site.base + path)
    assert err.value.transient is transient
    assert err.value.url == site.base + path


def test_too_many_redirects(site, settings):
    with _fetcher(settings, max_redirects=0) as f:
        with pytest.raises(FetchError, match="more than 0 redirects"):
            f.get(f"{site.base}/fault/loop-a")


def test_robots_txt_server_error_blocks_the_host_for_the_run(site, settings):
    (site.root / "robots.txt").unlink()
    site.route_robots_txt = lambda h: site._send(h, 500, b"oops", "text/plain")
    with _fetcher(settings) as f:
        with pytest.raises(FetchError, match=r"robots.txt could not be read \(HTTP 500") as err:
            f.get(f"{site.base}/news/alexandria.html")
    assert err.value.transient
    assert "/news/alexandria.html" not in site.requested()


def test_missing_robots_txt_allows_everything(site, settings):
    (site.root / "robots.txt").unlink()
    with _fetcher(settings) as f:
        assert f.get(f"{site.base}/private/secret.html").status == 200


def test_non_http_address_is_refused(settings):
    with _fetcher(settings) as f:
        with pytest.raises(FetchError, match="not an http"):
            f.get("file:///etc/passwd")
