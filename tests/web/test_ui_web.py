"""The app's Corpus tab adds an article URL and a feed URL (Chromium through Playwright, the fixture site on 127.0.0.1)."""

from __future__ import annotations

import pytest

from rag.web.extract import article_id
from tests.ui.conftest import served_app  # noqa: F401 - fixtures shared with the app's browser tests
from tests.ui.test_app_browser import ANSWER_TIMEOUT, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_corpus_tab_adds_an_article_url_and_a_feed(page, site, tmp_path):  # noqa: F811
    page.get_by_role("tab", name="Corpus").click()
    page.wait_for_selector("#rag-articles-table")
    url = f"{site.base}/news/ghouta-aid.html"
    page.fill("#rag-web-url input", url)
    page.click("#rag-web-btn")
    page.wait_for_selector("#rag-ingest-report .rag-ok", timeout=ANSWER_TIMEOUT)
    assert "Ingested 1 article(s)" in page.locator("#rag-ingest-report").inner_text()
    row = page.locator(f"#rag-articles-table tr[data-id='{article_id(url)}']")
    row.wait_for()
    cells = row.locator("td").all_inner_texts()
    assert "الغوطة الشرقية" in cells[0] and cells[1] == "BBC Arabic" and cells[2] == "2018-03-15", cells

    page.fill("#rag-web-url input", f"{site.base}/feeds/atom.xml")
    page.click("#rag-web-btn")
    page.wait_for_function("document.querySelector('#rag-ingest-report').innerText.includes('rag watch feeds.toml')", timeout=ANSWER_TIMEOUT)
    report = page.locator("#rag-ingest-report").inner_text()
    assert "Ingested 1 article(s)" in report and "1 unchanged" in report, report  # the Ghouta page again: not modified
    page.locator(f"#rag-articles-table tr[data-id='{article_id(site.base + '/news/train-collision.html')}']").wait_for()

    page.fill("#rag-web-url input", f"{site.base}/fault/404")
    page.click("#rag-web-btn")
    page.wait_for_selector("#rag-ingest-errors", timeout=ANSWER_TIMEOUT)
    assert page.locator("#rag-ingest-errors li").all_inner_texts() == [f"{site.base}/fault/404: HTTP 404 Not Found: the page is gone or the address is wrong"]
    page.screenshot(path=str(tmp_path / "corpus-web.png"), full_page=True)
