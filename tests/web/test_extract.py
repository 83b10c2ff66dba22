"""Main text, dates, outlets and ids of the fixture article pages (read from disk; no network)."""

from __future__ import annotations

import pytest

from rag.web.extract import ExtractError, article_id, canonical_url, decode_html, extract_page, feed_day, page_date, to_record

from .site_server import FIXTURES

SITE = FIXTURES / "site"
BASE = "http://127.0.0.1:8000"
FURNITURE = ("أخبار ذات صلة", "فيسبوك", "واتساب", "الرئيسية", "من نحن", "جميع الحقوق محفوظة", "سياسة الخصوصية", "إعلان")


def _page(path: str):
    return extract_page(decode_html((SITE / path).read_bytes(), None), f"{BASE}/{path}")


@pytest.mark.parametrize("path, day, source", [
    ("news/ghouta-aid.html", "2018-03-15", "meta"),  # article:published_time
    ("news/tillerson.html", "2018-02-14", "json-ld"),  # JSON-LD datePublished, Windows-1256 page
    ("news/activist.html", "2018-03-01", "meta"),  # microdata itemprop=datePublished
    ("news/2018/03/13/gaza-convoy.html", "2018-03-13", "url"),
    ("news/damascus-market.html", "", ""),  # dateline in the text: left to rag.dates
    ("news/alexandria.html", "", ""),  # only the feed dates it
])
def test_page_dates_and_their_source(path, day, source):
    page = _page(path)
    assert (page.date, page.date_source) == (day, source)


@pytest.mark.parametrize("path", ["news/ghouta-aid.html", "news/tillerson.html", "news/damascus-market.html", "news/activist.html"])
def test_main_text_without_navigation_share_buttons_or_related_articles(path):
    page = _page(path)
    assert not [f for f in FURNITURE if f in page.text]
    first_body_words = {"news/ghouta-aid.html": "دخلت قافلة مساعدات تحمل أغذية", "news/tillerson.html": "قال وزير الخارحية الأمريكي ريكس تيلرسون",
                        "news/damascus-market.html": "تسببت قذيفة صاروخية", "news/activist.html": "قضت محكمة سعودية بسجن الناشط"}[path]
    assert first_body_words in page.text


def test_windows_1256_page_without_http_charset_is_decoded_from_its_meta():
    raw = (SITE / "news/tillerson.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "حزب الله" in decode_html(raw, None)
    assert "حزب الله" in decode_html(raw, "windows-1256")
    assert "حزب الله" in decode_html(raw, "utf-8")  # a wrong HTTP charset falls back to the page's own


def test_page_with_no_main_text_is_refused():
    with pytest.raises(ExtractError, match="no main text found"):
        _page("news/empty.html")


def test_outlet_rules():
    meta = _page("news/ghouta-aid.html")
    assert to_record(meta).source == "BBC Arabic"  # og:site_name بي بي سي عربي, a known outlet
    assert to_record(meta, outlet="Radio Alkul").source == "Radio Alkul"  # the feed's setting wins
    bare = _page("news/alexandria.html")
    assert to_record(bare).source == "127.0.0.1"  # nothing declared: the host
    text = extract_page("<html><body><article><p>المصدر: عنب بلدي</p><p>" + "نص الخبر الطويل " * 30 + "</p></article></body></html>",
                        "https://www.example.org/a")
    assert to_record(text).source == "Enab Baladi"  # named in the text


def test_record_dates_prefer_the_page_then_the_feed():
    assert (to_record(_page("news/ghouta-aid.html"), feed_date="2018-03-16").date, to_record(_page("news/ghouta-aid.html")).date_source) == ("2018-03-15", "meta")
    fed = to_record(_page("news/alexandria.html"), feed_date="2018-03-24")
    assert (fed.date, fed.date_source) == ("2018-03-24", "feed")
    sm = to_record(_page("news/plane-crash.html"), feed_date="2018-03-11", feed_date_source="sitemap")
    assert (sm.date, sm.date_source) == ("2018-03-11", "sitemap")
    assert to_record(_page("news/damascus-market.html")).date == ""  # the pipeline's text rules date it


@pytest.mark.parametrize("value, day", [
    ("Sat, 24 Mar 2018 00:20:49 +0300", "2018-03-24"),  # the publisher's own day, not UTC's 23rd
    ("2018-02-28T15:37:16+02:00", "2018-02-28"),
    ("2018-03-11T17:45:55Z", "2018-03-11"),
    ("2018-03-13", "2018-03-13"),
    ("yesterday", ""), ("", ""), (None, ""),
])
def test_feed_day(value, day):
    assert feed_day(value) == day


def test_ids_ignore_tracking_parameters_and_fragments():
    a = article_id("https://www.Example.org/news/1.html")
    assert a == article_id("https://www.example.org/news/1.html?utm_source=rss&utm_medium=feed#top")
    assert a.startswith("web-example.org-") and a != article_id("https://www.example.org/news/2.html")
    assert canonical_url("https://example.org/a?utm_source=x&id=3") == "https://example.org/a?id=3"


def test_page_date_ignores_dates_in_the_text_only():
    html = "<html><body><article><p>قتل 3 أشخاص يوم 12 آذار 2019 في دمشق</p></article></body></html>"
    assert page_date(html, "https://example.org/story") == ("", "")
