"""Feeds, sitemaps and section pages to article URLs; feeds.toml checks (fixture files, no network)."""

from __future__ import annotations

import pytest

from rag.web.feeds import FeedConfig, FeedError, FeedsFileError, load_feeds, parse_listing
from rag.web.fetch import Fetched

from .site_server import FIXTURES

BASE = "http://127.0.0.1:8000"


def _fetched(path: str, ctype: str = "application/xml") -> Fetched:
    body = (FIXTURES / "site" / path).read_bytes().replace(b"{{BASE}}", BASE.encode())
    return Fetched(f"{BASE}/{path}", 200, ctype, None, body)


def test_rss_items_with_publisher_days():
    listing = parse_listing(_fetched("feeds/rss.xml"), FeedConfig(url="x"), 100)
    assert listing.kind == "rss"
    days = {it.url.removeprefix(BASE): it.published for it in listing.items}
    assert days["/news/alexandria.html"] == "2018-03-24" and days["/news/ghouta-aid.html"] == "2018-03-15"
    assert days["/fault/404"] == ""  # undated items kept, last
    assert list(days)[:3] == ["/news/alexandria.html", "/news/ghouta-aid.html", "/news/tillerson.html"]  # newest first


def test_atom_items_and_tracking_parameters_kept_for_fetching():
    listing = parse_listing(_fetched("feeds/atom.xml"), FeedConfig(url="x"), 100)
    assert listing.kind == "atom"
    assert [(it.url.removeprefix(BASE).split("?")[0], it.published) for it in listing.items] == [
        ("/news/ghouta-aid.html", "2018-03-15"), ("/news/train-collision.html", "2018-02-28")]
    assert all(it.updated for it in listing.items)


def test_sitemap_with_news_dates_and_sitemap_index():
    listing = parse_listing(_fetched("sitemap.xml"), FeedConfig(url="x"), 100)
    assert listing.kind == "sitemap"
    got = {it.url.removeprefix(BASE): (it.published, it.updated, it.date_source) for it in listing.items}
    assert got == {"/news/plane-crash.html": ("2018-03-11", "", "sitemap"), "/news/2018/03/13/gaza-convoy.html": ("", "2018-03-13", "sitemap")}
    index = parse_listing(_fetched("sitemap-index.xml"), FeedConfig(url="x"), 100)
    assert index.children == [f"{BASE}/sitemap.xml"] and not index.items


def test_section_page_links_without_navigation():
    listing = parse_listing(_fetched("section/syria.html", "text/html"), FeedConfig(url="x", include=r"/news/"), 100)
    assert listing.kind == "section"
    assert [it.url for it in listing.items] == [f"{BASE}/news/damascus-market.html"]


def test_max_items_keeps_the_newest():
    listing = parse_listing(_fetched("feeds/rss.xml"), FeedConfig(url="x", max_items=1), 100)
    assert [it.url.removeprefix(BASE) for it in listing.items] == ["/news/alexandria.html"]


def test_malformed_feed_is_a_fault():
    with pytest.raises(FeedError, match="malformed feed"):
        parse_listing(_fetched("feeds/broken.xml"), FeedConfig(url="x"), 100)
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_listing(Fetched("u", 200, "application/xml", None, b'<?xml version="1.0"?><catalog><book/></catalog>'), FeedConfig(url="x"), 100)
    with pytest.raises(FeedError, match="malformed sitemap"):
        parse_listing(Fetched("u", 200, "application/xml", None, b"<urlset><url><loc>x"), FeedConfig(url="x"), 100)


def test_feeds_file(tmp_path):
    good = tmp_path / "feeds.toml"
    good.write_text('[[feed]]\nname = "SY24"\nurl = "https://sy-24.com/feed/"\noutlet = "SY24"\n\n'
                    '[[feed]]\nurl = "https://example.org/syria/"\nkind = "section"\ninclude = "/news/\\\\d+"\n', encoding="utf-8")
    feeds = load_feeds(good)
    assert [(f.label, f.kind, f.outlet) for f in feeds] == [("SY24", "auto", "SY24"), ("https://example.org/syria/", "section", "")]
    cases = {
        "": "no \\[\\[feed\\]\\] entries",
        '[[feed]]\nname = "x"\n': "#1: needs url",
        '[[feed]]\nurl = "https://a"\nkind = "podcast"\n': "#1: kind must be one of",
        '[[feed]]\nurl = "https://a"\noutlett = "x"\n': "unknown key\\(s\\) \\['outlett'\\]",
        '[[feed]]\nurl = "https://a"\ninclude = "("\n': "include is not a valid regular expression",
        "[[feed]\n": "not valid TOML",
    }
    for text, message in cases.items():
        bad = tmp_path / "bad.toml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(FeedsFileError, match=f"{bad}.*{message}"):
            load_feeds(bad)
    with pytest.raises(FeedsFileError, match="no such file"):
        load_feeds(tmp_path / "missing.toml")


def test_partly_broken_feed_gives_what_it_still_has_with_a_note():
    body = (FIXTURES / "site" / "feeds" / "rss.xml").read_bytes().replace(b"{{BASE}}", BASE.encode())
    body = body.replace(b"</channel></rss>", b"<item><title>\xd8\xae\xd8\xa8\xd8\xb1 &nbsp; <link>")  # truncated, undefined entity
    listing = parse_listing(Fetched(f"{BASE}/feeds/rss.xml", 200, "application/rss+xml", None, body), FeedConfig(url="x"), 100)
    assert len(listing.items) >= 11 and listing.notices and "not well-formed" in listing.notices[0]


def test_example_feeds_file_loads():
    feeds = load_feeds(FIXTURES.parents[2] / "docs" / "feeds.example.toml")
    assert [f.kind for f in feeds] == ["auto", "sitemap", "section"] and all(f.outlet for f in feeds)
