"""The app in a real browser: Debian's Chromium driven by Playwright (no browser download).

Screenshots go to each test's tmp_path; with RAGUI_SCREENSHOTS_DIR set (see scripts/screenshots.py)
the chat, briefing and events ones are also copied there, as chat.png, briefing.png and events.png.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUESTION = "Which militias reinforced Sukhnah?"
ANSWER_TIMEOUT = 180_000  # ms: retrieval on a busy 2-core machine
GOOD = """هجوم لتنظيم داعش على حاجز قرب تدمر

المصدر: شبكة شام

الأحد 6 آذار 2022

شن عناصر من تنظيم داعش هجوماً على حاجز لقوات النظام في محيط مدينة تدمر بريف حمص الشرقي، ما أدى إلى مقتل ثلاثة عناصر.

وقالت مصادر محلية إن الهجوم استمر ساعتين قبل أن ينسحب المهاجمون نحو عمق البادية.
"""


def _keep(shot: Path, name: str) -> None:
    """Copy a screenshot to RAGUI_SCREENSHOTS_DIR when set (the docs' screenshots)."""
    dest = os.environ.get("RAGUI_SCREENSHOTS_DIR")
    if dest:
        Path(dest).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(dest) / name)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, or a skip saying how to get it."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}: run `bash scripts/install-browser.sh` (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright==1.65.2 (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser, served_app):
    """A fresh page on the app, 1400x1000."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.goto(served_app.url)
    pg.wait_for_selector("#rag-question textarea")
    pg.wait_for_selector("#rag-statusline .rag-statusline")  # the page's load events have filled it in
    yield pg
    context.close()


def test_chat_answer_with_checkable_rtl_citation(page, tmp_path):
    page.fill("#rag-question textarea", QUESTION)
    page.click("#rag-ask")
    page.wait_for_selector("#rag-chat .rag-answer a.rag-cite", timeout=ANSWER_TIMEOUT)
    answer = page.locator("#rag-chat .rag-answer").last
    assert answer.locator(".rag-badge").inner_text() == "extractive"
    assert answer.locator("[dir=rtl]").count() > 0

    one = answer.locator("a.rag-cite").first  # the first citation of the answer, whatever its number
    label = one.inner_text().strip()
    one.click()
    card = page.locator("#rag-sources .rag-source.rag-active")
    card.wait_for()
    assert card.get_attribute("open") is not None
    assert card.get_attribute("id") == one.get_attribute("href").lstrip("#")
    assert card.locator(".rag-n").inner_text() == label
    mark = card.locator(".rag-passage mark")
    assert mark.count() == 1
    assert page.url.rstrip("/") == page.url.split("#")[0].rstrip("/")  # the link did not navigate
    quote = mark.inner_text()
    assert any("\u0600" <= ch <= "\u06ff" for ch in quote), quote
    assert mark.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert card.locator(".rag-passage").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert card.locator(".rag-src-meta .rag-outlet").inner_text()  # the outlet, as detected in the text
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    _keep(shot, "chat.png")


def test_question_with_no_answer_says_not_in_the_sources(page):
    page.fill("#rag-question textarea", "What did the Tokyo stock exchange do in 1987?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#rag-chat .rag-answer", timeout=ANSWER_TIMEOUT)
    answer = page.locator("#rag-chat .rag-answer").last
    assert "Not in the sources." in answer.locator(".rag-abstain").inner_text()
    assert page.locator("#rag-chat .rag-error").count() == 0


def test_filters_restrict_dates_and_outlets(page):
    page.get_by_text("Filters: dates and outlets").click()
    since, until = page.locator("#rag-since :is(input,textarea)"), page.locator("#rag-until :is(input,textarea)")
    since.fill("2021-02-01")
    until.fill("not a date")
    page.fill("#rag-question textarea", QUESTION)
    page.click("#rag-ask")
    page.wait_for_selector("#rag-chat .rag-error", timeout=ANSWER_TIMEOUT)
    assert "invalid date 'not a date'" in page.locator("#rag-chat .rag-error").inner_text()

    since.fill("")
    until.fill("")
    page.click("#rag-outlets input")
    page.locator("li[role=option]", has_text="SY24").click()
    page.keyboard.press("Escape")
    page.fill("#rag-question textarea", QUESTION)
    page.click("#rag-ask")
    page.wait_for_selector("#rag-chat .rag-answer", timeout=ANSWER_TIMEOUT)
    cards = page.locator("#rag-sources .rag-turn:not(.rag-old) .rag-outlet")  # in closed cards: read textContent
    outlets = cards.evaluate_all("els => els.map((e) => e.textContent)")
    assert outlets and set(outlets) == {"SY24"}, outlets


def test_briefing_for_2021_w08(page, tmp_path):
    try:
        import rag.briefing  # noqa: F401
    except ImportError:
        pytest.skip("rag.briefing is not in this build yet (briefings are another issue)")
    page.get_by_role("tab", name="Briefing").click()
    week = page.locator("#rag-week input")
    week.fill("2021-W08")
    week.press("Enter")
    page.click("#rag-brief-btn")
    page.wait_for_selector("#rag-briefing .rag-briefing, #rag-briefing .rag-bad", timeout=ANSWER_TIMEOUT)
    text = page.locator("#rag-briefing").inner_text()
    assert page.locator("#rag-briefing .rag-bad").count() == 0, text
    assert "درعا" in text or "Daraa" in text, text[:2000]
    assert page.locator("#rag-brief-md").is_visible() and page.locator("#rag-brief-html").is_visible()
    shot = tmp_path / "briefing.png"
    page.screenshot(path=str(shot), full_page=True)
    _keep(shot, "briefing.png")


def test_events_tab_shows_the_sukhnah_reinforcement_with_its_quote_and_the_map(page, tmp_path):
    page.get_by_role("tab", name="Events").click()
    page.wait_for_selector("#rag-events #rag-events-table, #rag-events .rag-bad", timeout=ANSWER_TIMEOUT)
    assert page.locator("#rag-events .rag-bad").count() == 0, page.locator("#rag-events").inner_text()
    assert "all dates" in page.locator("#rag-events .rag-ev-summary").inner_text()  # undated reports' events too

    def sukhnah_row():
        rows = page.locator("#rag-events-table tr[data-type=reinforcement]", has_text="Liwa al-Baqir")
        return rows.filter(has=page.locator("td.rag-ev-place", has_text="Sukhnah"))

    row = sukhnah_row()
    assert row.count() == 1
    actors = row.locator("td.rag-ev-actors").inner_text()
    assert "Liwa al-Baqir" in actors and "Fatemiyoun" in actors and "لواء الباقر" in actors, actors
    assert "أكثر من 400 عنصر" in row.locator("td.rag-ev-figures").inner_text()
    assert "Radio Alkul" in row.locator("td.rag-ev-source summary").inner_text()
    for name in ("map", "timeline"):  # inline PNGs that the browser decoded
        img = page.locator(f"#rag-events img.rag-ev-{name}")
        assert img.is_visible() and img.evaluate("e => e.complete && e.naturalWidth") > 300
        assert img.get_attribute("src").startswith("data:image/png;base64,")

    page.click("#rag-ev-type input")  # only reinforcements: the table shrinks, the row stays
    page.locator("li[role=option]", has_text="deployment or reinforcement").click()
    page.keyboard.press("Escape")
    page.click("#rag-ev-btn")
    page.wait_for_selector("#rag-events .rag-ev-summary:has-text('type: deployment or reinforcement')", timeout=ANSWER_TIMEOUT)
    types = page.locator("#rag-events-table tr[data-type]").evaluate_all("rows => rows.map((r) => r.dataset.type)")
    assert types and set(types) == {"reinforcement"}, types
    row = sukhnah_row()
    row.locator("td.rag-ev-source summary").click()  # the source opens on the quoted passage, as in the chat
    mark = row.locator(".rag-ev-cite .rag-passage mark")
    mark.wait_for()
    quote = mark.inner_text()
    assert "الباقر" in quote and "فاطميون" in quote and "السخنة" in quote, quote
    assert mark.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "000_81d095f2c667699f" in row.locator(".rag-ev-cite .rag-offsets").inner_text()
    shot = tmp_path / "events.png"
    page.screenshot(path=str(shot), full_page=True)
    _keep(shot, "events.png")


def test_upload_good_file_is_listed(page, served_app, tmp_path):
    good = tmp_path / "tadmur_checkpoint.txt"
    good.write_text(GOOD, encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    page.wait_for_selector("#rag-articles-table")
    page.set_input_files("#rag-upload input[type=file]", [str(good)])
    page.wait_for_selector("#rag-upload td.filename[aria-label='tadmur_checkpoint.txt']")
    page.click("#rag-ingest-btn")
    page.wait_for_selector("#rag-ingest-report .rag-ok", timeout=ANSWER_TIMEOUT)
    assert "Ingested 1 article(s)" in page.locator("#rag-ingest-report").inner_text()
    row = page.locator("#rag-articles-table tr[data-id='tadmur_checkpoint']")
    row.wait_for()
    cells = row.locator("td").all_inner_texts()
    assert "تدمر" in cells[0] and cells[1] == "Sham Network" and cells[2] == "2022-03-06", cells
    assert list(served_app.index.glob("uploads/*/tadmur_checkpoint.txt"))
    page.screenshot(path=str(tmp_path / "corpus.png"), full_page=True)


def test_upload_bad_files_show_their_errors(page, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    page.get_by_role("tab", name="Corpus").click()
    page.wait_for_selector("#rag-articles-table")
    page.set_input_files("#rag-upload input[type=file]", [str(empty), str(binary)])
    page.wait_for_selector("#rag-upload td.filename[aria-label='binary.txt']")
    page.click("#rag-ingest-btn")
    page.wait_for_selector("#rag-ingest-errors", timeout=ANSWER_TIMEOUT)
    errors = page.locator("#rag-ingest-errors li").all_inner_texts()
    assert "empty.txt: empty file" in errors
    assert any(e.startswith("binary.txt: binary file") for e in errors), errors
    assert "Nothing ingested" in page.locator("#rag-ingest-report").inner_text()
    page.screenshot(path=str(tmp_path / "upload-errors.png"), full_page=True)


def test_status_tab_shows_index_embedder_and_llm(page):
    page.get_by_role("tab", name="Status").click()
    table = page.locator("#rag-status-table")
    table.wait_for()
    text = table.inner_text()
    assert "e5-small-q4" in text and "Articles" in text and "none configured" in text
