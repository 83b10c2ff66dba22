"""Feeds to article URLs: RSS and Atom (feedparser), sitemaps (urlset, sitemap index, Google News
sitemaps), and a section page's article links (courlan), plus the feeds.toml that lists them.

Decisions:

- A feed's kind is detected from its content unless given: feedparser recognises RSS/Atom, a root
  `urlset`/`sitemapindex` is a sitemap, an HTML page is a section page. Sitemap XML is parsed with
  entities and network access off.
- Items carry the date the feed gives (`published`, else `updated` for Atom; `news:publication_date`
  in a news sitemap), read in the publisher's own time zone so a 00:30 +03:00 story keeps its day.
  `updated`/`lastmod` is kept separately: a change there makes the watcher fetch the page again.
- A feed that is not well-formed but still yields entries is used, with a notice; one that yields
  none is a fault ("malformed feed"). Only the newest `max_items` are taken (items with no date last).
- Section pages: the links courlan finds outside `nav`, `header`, `footer`, `aside` and forms (removed
  with lxml's cleaner), on the same host, other than the page itself and its pagination, narrowed by
  the feed's `include` regex when set (recommended: menus inside the main area are not recognised).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
from courlan import extract_links
from lxml import etree
from lxml_html_clean import Cleaner

from .extract import HTML_TYPES, canonical_url, decode_html, feed_day
from .fetch import Fetched

KINDS = ("auto", "rss", "atom", "sitemap", "section")
_FURNITURE = Cleaner(kill_tags=["nav", "header", "footer", "aside", "form"], scripts=True, javascript=True, style=True, page_structure=False, links=False)


class FeedError(ValueError):
    """A feed, sitemap or section page that gives no usable list of articles."""


class FeedsFileError(ValueError):
    """A feeds.toml that cannot be used; the message names the file and the entry."""


@dataclass
class FeedConfig:
    """One watched source, as written in feeds.toml."""

    url: str
    name: str = ""
    kind: str = "auto"
    outlet: str = ""
    language: str = "ar"
    include: str = ""  # regex an article URL must match (section pages, sitemaps)
    max_items: int | None = None

    @property
    def label(self) -> str:
        """The name shown in reports."""
        return self.name or self.url


@dataclass
class FeedItem:
    """An article URL a feed gave, with the dates the feed states."""

    url: str
    title: str = ""
    published: str = ""  # ISO day or ''
    updated: str = ""  # the feed's updated/lastmod as written, to notice changed pages
    date_source: str = "feed"  # feed | sitemap


@dataclass
class Listing:
    """What one fetch of a feed gave: article items, child sitemaps to read, notices."""

    kind: str
    items: list[FeedItem] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    title: str = ""


def load_feeds(path: str | Path) -> list[FeedConfig]:
    """The feeds listed in a TOML file (`[[feed]]` tables with url, name, kind, outlet, language, include, max_items)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FeedsFileError(f"{path}: no such file; see docs/feeds.example.toml") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FeedsFileError(f"{path}: not valid TOML ({exc})") from None
    entries = data.get("feed")
    if not isinstance(entries, list) or not entries:
        raise FeedsFileError(f"{path}: no [[feed]] entries; each needs at least url = \"https://...\"")
    unknown_top = set(data) - {"feed"}
    if unknown_top:
        raise FeedsFileError(f"{path}: unknown key(s) {sorted(unknown_top)}; only [[feed]] tables are read")
    feeds, known = [], set(FeedConfig.__dataclass_fields__)
    for i, entry in enumerate(entries, 1):
        where = f"{path}: [[feed]] #{i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str) or not re.match(r"https?://", entry["url"]):
            raise FeedsFileError(f"{where}: needs url = \"http(s)://...\"")
        extra = set(entry) - known
        if extra:
            raise FeedsFileError(f"{where}: unknown key(s) {sorted(extra)}; known: {sorted(known)}")
        if entry.get("kind", "auto") not in KINDS:
            raise FeedsFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if entry.get("include"):
            try:
                re.compile(entry["include"])
            except re.error as exc:
                raise FeedsFileError(f"{where}: include is not a valid regular expression ({exc})") from None
        mx = entry.get("max_items")
        if mx is not None and (not isinstance(mx, int) or mx < 1):
            raise FeedsFileError(f"{where}: max_items must be a whole number of at least 1")
        feeds.append(FeedConfig(**{k: v for k, v in entry.items()}))
    return feeds


def detect_kind(fetched: Fetched) -> str:
    """'rss', 'atom', 'sitemap' or 'section' from a response's content."""
    head = fetched.body[:2048].lstrip().lower()
    if fetched.content_type in HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        return "section"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<feed" in head:
        return "atom"
    return "rss"


def parse_listing(fetched: Fetched, config: FeedConfig, max_items: int) -> Listing:
    """The article URLs a fetched feed, sitemap or section page gives (newest first, at most max_items)."""
    kind = config.kind if config.kind != "auto" else detect_kind(fetched)
    if kind == "sitemap":
        listing = _sitemap(fetched)
    elif kind == "section":
        listing = _section(fetched, config)
    else:
        listing = _feed(fetched)
    if config.include:
        pattern = re.compile(config.include)
        listing.items = [it for it in listing.items if pattern.search(it.url)]
    seen, unique = set(), []
    for it in listing.items:
        key = canonical_url(it.url)
        if key not in seen:
            seen.add(key)
            unique.append(it)
    unique.sort(key=lambda it: it.published or it.updated[:10] or "", reverse=True)  # stable: undated keep feed order, last
    listing.items = unique[: config.max_items or max_items]
    return listing


def _feed(fetched: Fetched) -> Listing:
    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url, "content-type": fetched.content_type or "application/xml"})
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        if parsed.get("bozo") and why is not None:
            raise FeedError(f"malformed feed ({why.__class__.__name__}: {why}); nothing taken from it")
        if not parsed.get("version"):
            raise FeedError("not an RSS or Atom feed (nor a sitemap or HTML page); check the address")
        return Listing(kind=parsed.get("version") or "rss", title=parsed.feed.get("title", ""))
    listing = Listing(kind="atom" if str(parsed.get("version", "")).startswith("atom") else "rss", title=parsed.feed.get("title", ""))
    if parsed.get("bozo"):
        listing.notices.append(f"feed is not well-formed ({parsed.get('bozo_exception')}); used the {len(entries)} entries it still gave")
    for entry in entries:
        link = entry.get("link") or ""
        if not re.match(r"https?://", link):
            link = urljoin(fetched.url, link) if link else ""
        if not link:
            continue
        published = feed_day(entry.get("published")) or (feed_day(dict.get(entry, "updated")) if listing.kind == "atom" else "")
        listing.items.append(FeedItem(link, title=entry.get("title", ""), published=published, updated=dict.get(entry, "updated", "") or ""))
    if not listing.items and parsed.get("bozo"):
        why = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed ({why.__class__.__name__}: {why}); no article links in it")
    return listing


def _sitemap(fetched: Fetched) -> Listing:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False, huge_tree=False)
    try:
        root = etree.fromstring(fetched.body, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap ({exc}); nothing taken from it") from None
    tag = etree.QName(root).localname
    listing = Listing(kind="sitemap")

    def text(node, name: str) -> str:
        found = node.xpath(f".//*[local-name()='{name}']/text()")
        return found[0].strip() if found else ""

    if tag == "sitemapindex":
        listing.children = [text(s, "loc") for s in root.xpath("./*[local-name()='sitemap']") if text(s, "loc")]
        return listing
    if tag != "urlset":
        raise FeedError(f"not a sitemap (root element <{tag}>, expected <urlset> or <sitemapindex>)")
    for node in root.xpath("./*[local-name()='url']"):
        loc = text(node, "loc")
        if loc:
            news = feed_day(text(node, "publication_date"))
            listing.items.append(FeedItem(loc, title=text(node, "title"), published=news, updated=text(node, "lastmod"), date_source="sitemap"))
    return listing


def _section(fetched: Fetched, config: FeedConfig) -> Listing:
    html = decode_html(fetched.body, fetched.charset, fetched.url)
    try:  # menus, headers, footers and sidebars hold site links, not the section's stories
        body = _FURNITURE.clean_html(html)
    except (ValueError, etree.ParserError):
        body = html
    links = extract_links(body, url=fetched.url, external_bool=False, no_filter=True)
    here = urlsplit(fetched.url)
    items = []
    for link in sorted(links):
        there = urlsplit(link)
        if there.netloc == here.netloc and there.path.rstrip("/") != here.path.rstrip("/") and there.path not in ("", "/"):
            items.append(FeedItem(link, date_source="feed"))  # same site, not this page or its other pages
    return Listing(kind="section", items=items)
