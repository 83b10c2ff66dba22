"""Article pages to records: main text and metadata with trafilatura, the publication date with htmldate.

Decisions:

- Main text: trafilatura with `favor_precision` (navigation, share buttons and related-article blocks
  left out), no comments, no tables. A page where it finds no main text is reported, never indexed as
  menu text.
- Encoding: the HTTP charset, else the page's own `<meta charset>`, else the file rules of
  rag.ingest.loaders.decode (UTF-8, UTF-16, Windows-1256 detection).
- Publication date, first found wins, each with its `date_source`: the page's meta tags
  (`article:published_time`, `datePublished` microdata ...: "meta"), JSON-LD `datePublished`
  ("json-ld"), a date in the address such as /2021/02/25/ ("url"), the date the feed or sitemap gave
  ("feed", "sitemap"), then the text rules of rag.dates ("text", applied by the pipeline). htmldate's
  header, JSON and URL steps are used one by one so the source is known; its free-text guessing is
  not used, because rag.dates never invents a date and never takes today's.
- Outlet: the feed's configured outlet, else the site's declared name (og:site_name, mapped to a
  known outlet when it is one), else an outlet named in the text (by-line rules of rag.ingest.metadata),
  else the host name without www.
- Article id: `web-` + host + 12 hex digits of the normalised URL (courlan: lower-case host, no
  fragment, tracking parameters dropped), so the same article reached through a feed with
  `?utm_source=rss` and typed by hand is one article.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import trafilatura
from courlan import normalize_url
from htmldate.core import examine_header
from htmldate.extractors import extract_url_date, json_search
from htmldate.utils import Extractor, load_html
from htmldate.validators import get_max_date, get_min_date

from ..ingest.loaders import InputError, RawDoc, decode
from ..ingest.metadata import canonical_outlet, detect_outlet

HTML_TYPES = {"text/html", "application/xhtml+xml"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


class ExtractError(ValueError):
    """A page that fetched but gives no article (no main text, not HTML, undecodable)."""


@dataclass
class Page:
    """What an article page says about itself."""

    url: str
    title: str
    text: str
    date: str = ""  # ISO day, or '' when the page gives none
    date_source: str = ""  # meta | json-ld | url | ''
    sitename: str = ""
    host: str = ""


def canonical_url(url: str) -> str:
    """The URL an article is known by: normalised, without fragment or tracking parameters."""
    try:
        return normalize_url(url, strict=True)
    except ValueError:
        return url


def article_id(url: str) -> str:
    """Stable, readable id of the article at url ('web-example.org-3f2a9c0d1b7e')."""
    key = canonical_url(url)
    host = _host(key)
    return f"web-{host}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


def decode_html(body: bytes, charset: str | None = None, origin: str = "") -> str:
    """Text of an HTML page: declared HTTP charset, else <meta charset>, else detected (UTF-8/16, Windows-1256)."""
    for declared in (charset, _meta_charset(body)):
        if declared:
            try:
                return body.decode(declared)
            except (LookupError, UnicodeDecodeError):
                continue  # a wrong declaration is common; fall through to detection
    try:
        return decode(body, origin)
    except InputError as exc:
        raise ExtractError(str(exc)) from None


def page_date(html: str, url: str) -> tuple[str, str]:
    """(ISO day, source) of a page's publication date from its metadata or address, or ('', '')."""
    tree = load_html(html)
    if tree is None:
        return "", ""
    options = Extractor(False, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")
    for source, find in (("meta", lambda: examine_header(tree, options)),
                         ("json-ld", lambda: json_search(tree, options)),
                         ("url", lambda: extract_url_date(url, options))):
        try:
            found = find()
        except (ValueError, TypeError):  # htmldate on malformed markup: treat as no date
            found = None
        if found:
            return found, source
    return "", ""


def extract_page(html: str, url: str) -> Page:
    """Main text, title, date and site name of an article page; ExtractError when it has no main text."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip()
    if doc is None or isinstance(doc, dict) or not text:  # None: trafilatura found no article
        raise ExtractError("no main text found (a menu, index or empty page?); not indexed")
    day, source = page_date(html, url)
    return Page(
        url=url,
        title=(doc.title or "").strip(),
        text=text,
        date=day,
        date_source=source,
        sitename=_declared_name(doc.sitename, url),
        host=_host(url),
    )


def to_record(page: Page, *, outlet: str = "", feed_date: str = "", feed_date_source: str = "feed") -> RawDoc:
    """A pipeline record for a page; the outlet and date rules are in the module docstring."""
    day, source = (page.date, page.date_source) if page.date else (feed_date, feed_date_source if feed_date else "")
    name = outlet.strip() or (canonical_outlet(page.sitename) if page.sitename else "") or detect_outlet(page.text) or page.host
    return RawDoc(
        id=article_id(page.url),
        text=page.text,
        origin=page.url,
        title=page.title,
        source=name,
        url=canonical_url(page.url),
        date=day,
        kind="html",
        date_source=source,
    )


def feed_day(value: str | None) -> str:
    """ISO day of a feed or sitemap date as the publisher wrote it (RFC 822 or ISO 8601), in its own time zone."""
    if not value or not value.strip():
        return ""
    value = value.strip()
    for parse in (parsedate_to_datetime, lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))):
        try:
            moment = parse(value)
        except (TypeError, ValueError, IndexError):
            continue
        if isinstance(moment, (datetime, date)) and 1900 <= moment.year <= 2099:
            return moment.date().isoformat() if isinstance(moment, datetime) else moment.isoformat()
    return ""


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _declared_name(sitename: str | None, url: str) -> str:
    """The site's own name, or '' when trafilatura only echoed the host name back."""
    name = (sitename or "").strip()
    netloc = urlsplit(url).netloc.lower()
    return "" if name.lower() in {netloc, _host(url), netloc.removeprefix("www.")} else name


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
