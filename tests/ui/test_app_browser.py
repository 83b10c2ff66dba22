"""The app in a real browser: Debian's Chromium driven by Playwright (no browser download).

Screenshots go to each test's tmp_path; with RAGUI_SCREENSHOTS_DIR set (see scripts/screenshots.py)
the ones shown in the README are also copied there: chat.png, chat-follow-up.png, corpus.png, briefing.png,
events.png and events-phone.png (the Events tab 320 px wide).
"""

from __future__ import annotations

import json
import os
import re
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


def _open(context, url: str):
    """A page on the app, with its console errors collected in `page.js_errors` (a page script that does not parse
    disables citation links and the copy button silently: on 2026-12-04 a '\\n' in PAGE_JS did just that)."""
    pg = context.new_page()
    pg.js_errors = []
    pg.on("console", lambda m: pg.js_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
    pg.set_default_timeout(60_000)
    pg.bring_to_front()  # a page left in the background after another test's bring_to_front gets no animation frames
    pg.goto(url)
    pg.wait_for_selector("#rag-question textarea")
    pg.wait_for_selector("#rag-statusline .rag-statusline")  # the page's load events have filled it in
    assert not [e for e in pg.js_errors if "custom JS" in e or "SyntaxError" in e], pg.js_errors
    return pg


@pytest.fixture
def page(browser, served_app):
    """A fresh page on the app, 1400x1000."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    yield _open(context, served_app.url)
    context.close()


def test_chat_answer_with_checkable_rtl_citation(page, tmp_path):
    page.fill("#rag-question textarea", QUESTION)
    page.click("#rag-ask")
    page.wait_for_selector("#rag-chat .rag-answer a.rag-cite", timeout=ANSWER_TIMEOUT)
    answer = page.locator("#rag-chat .rag-answer").last
    assert answer.locator(".rag-badge").first.inner_text() == "extractive"  # the support check may add its own badge
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
    assert mark.count() == 1 and mark.is_visible()
    assert mark.evaluate("e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }")  # in view
    assert page.url.rstrip("/") == page.url.split("#")[0].rstrip("/")  # the link did not navigate
    quote = mark.inner_text()
    assert any("\u0600" <= ch <= "\u06ff" for ch in quote), quote
    assert "السخنة" in quote, quote  # the first line answers about Sukhnah, and so does the passage it cites
    assert mark.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert card.locator(".rag-passage").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert card.locator(".rag-src-meta .rag-outlet").inner_text()  # the outlet, as detected in the text
    title = card.locator(".rag-title").inner_text()
    assert title and title not in card.locator(".rag-offsets").inner_text(), title  # the article's title, not its id
    page.locator("#rag-chat .rag-msg").first.evaluate("e => e.scrollIntoView({block: 'nearest'})")  # the question on top
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
    shot = tmp_path / "corpus.png"
    page.screenshot(path=str(shot), full_page=True)
    _keep(shot, "corpus.png")


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


# -- issue 20: conversation, corpus management, rough edges ---------------------------------------

FOLLOW_UP = "When did that happen?"
SUKHNAH_REPORT = "000_81d095f2c667699f"


def _answers(page):
    return page.locator("#rag-chat .rag-answer")


def _ask(page, question: str, n: int) -> None:
    """Ask and wait for the n-th finished answer (or error) in the chat."""
    page.fill("#rag-question textarea", question)
    page.click("#rag-ask")
    page.wait_for_function(f"document.querySelectorAll('#rag-chat .rag-answer, #rag-chat .rag-error').length >= {n}",
                           timeout=ANSWER_TIMEOUT)


def test_follow_up_copy_reload_abstain_and_clear(browser, served_app, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_app.url.rstrip("/"))
    page = _open(context, served_app.url)
    _ask(page, QUESTION, 1)
    _ask(page, FOLLOW_UP, 2)  # a follow-up: the chat passes the conversation to the agent
    second = _answers(page).nth(1)
    assert second.locator(".rag-about").inner_text().startswith("about: Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah")
    first_cite = second.locator("a.rag-cite").first
    card = page.locator("#" + first_cite.get_attribute("href").lstrip("#"))
    assert SUKHNAH_REPORT in card.locator(".rag-offsets").text_content()

    # plain text with [n] and the sources, not the HTML: read back from the browser's clipboard (the page is in front)
    page.evaluate("navigator.clipboard.writeText('nothing copied yet')")
    second.locator("a.rag-copy").click()
    page.wait_for_function("document.querySelectorAll('#rag-chat a.rag-copy')[1].textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied != "nothing copied yet" and "<" not in copied, copied[:500]
    assert copied.replace("\n", "").startswith(second.locator(".rag-plain").text_content()[:60]), copied[:500]
    assert re.search(r" \[1\]\n", copied) and "\n\nSources:\n[1] " in copied, copied[:500]
    assert SUKHNAH_REPORT in copied and "«" in copied

    page.reload()  # the chat survives a reload (browser storage), and so does the conversation
    page.wait_for_selector("#rag-chat .rag-answer >> nth=1")
    assert page.locator("#rag-sources .rag-turn:not(.rag-old) .rag-source").count() > 0
    _ask(page, "And how many fighters did they send?", 3)
    third = _answers(page).nth(2)
    assert "about:" in third.locator(".rag-about").inner_text()
    third.locator("a.rag-cite").first.click()  # its first source, opened
    page.locator("#rag-chat .rag-msg").nth(4).evaluate("e => e.scrollIntoView({block: 'nearest'})")  # the follow-up on top
    shot = tmp_path / "chat-follow-up.png"
    page.screenshot(path=str(shot))
    _keep(shot, "chat-follow-up.png")

    _ask(page, "Which militias reinforced Qamishli?", 4)  # abstains (no source names Qamishli): no old cards shown
    page.wait_for_selector("#rag-sources #rag-no-sources")
    assert page.locator("#rag-sources .rag-turn:not(.rag-old)").count() == 0

    page.locator("#rag-chat button[aria-label*='clear' i], #rag-chat button[title*='clear' i]").first.click()  # the trash icon
    page.wait_for_function("document.querySelectorAll('#rag-chat .rag-answer').length === 0")
    page.wait_for_function("document.querySelectorAll('#rag-sources .rag-source').length === 0", timeout=10_000)  # the server's reply
    stored = page.evaluate("localStorage.getItem('rag-chat')")  # the browser's copy of the cleared chat
    _ask(page, QUESTION, 1)  # the old exchange does not come back
    assert _answers(page).count() == 1 and page.locator("#rag-chat .rag-msg").count() == 2
    assert not _answers(page).first.locator(".rag-about").count()  # a new conversation carries nothing
    page.wait_for_function(f"localStorage.getItem('rag-chat') !== {json.dumps(stored)}")  # the new exchange is saved
    page.reload()  # the browser's copy was cleared too: only the new exchange comes back
    page.wait_for_selector("#rag-chat .rag-answer")
    assert _answers(page).count() == 1 and page.locator("#rag-chat .rag-msg").count() == 2
    assert page.locator("#rag-sources .rag-turn").count() == 1
    context.close()


def test_default_week_has_reports_and_markdown_download_carries_its_images(page, tmp_path):
    import zipfile
    from datetime import date

    page.get_by_role("tab", name="Corpus").click()  # the newest report dated to the day, as the Corpus tab lists them
    page.wait_for_selector("#rag-articles-table")
    rows = page.locator("#rag-articles-table tr[data-id]").evaluate_all(
        "rows => rows.map((r) => [r.cells[2].textContent, r.cells[3].textContent])")
    newest = max(date.fromisoformat(d) for d, precision in rows if precision.startswith("day"))
    page.get_by_role("tab", name="Briefing").click()
    week = page.locator("#rag-week input")
    page.wait_for_function("document.querySelector('#rag-week input').value !== ''")
    label = week.input_value()  # the latest week with dated reports (2022-W09 once the upload test has run)
    assert re.fullmatch(r"\d{4}-W\d\d \(([1-9]\d*) dated articles?\)", label), label
    year, week_no, _ = newest.isocalendar()
    assert label.startswith(f"{year}-W{week_no:02d} "), (label, newest)
    page.click("#rag-brief-btn")
    page.wait_for_selector("#rag-brief-md", state="visible", timeout=ANSWER_TIMEOUT)
    with page.expect_download() as got:
        page.click("#rag-brief-md")
    path = tmp_path / "briefing.zip"
    got.value.save_as(path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        md = next(n for n in names if n.endswith(".md"))
        text = z.read(md).decode("utf-8")
    pictures = [n for n in names if n.endswith(".png")]
    assert pictures, names
    for name in pictures:
        assert f"]({name})" in text or f'src="{name}"' in text, (name, text[:500])


def _tab(page, name: str) -> None:
    """Open a tab as a user would: on a phone Gradio moves the tabs that do not fit into its "More tabs" menu."""
    tab = page.get_by_role("tab", name=name)
    if tab.count():
        tab.click()
        return
    page.click("button[aria-label='More tabs']")
    page.locator(".overflow-dropdown button", has_text=name).click()


def _platform_fonts(context, page, selector: str) -> set[str]:
    """The fonts Chromium really drew the element's text with (PostScript names, by DevTools' CSS.getPlatformFontsForNode)."""
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return {f["postScriptName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


@pytest.mark.parametrize("width", [320, 400])
def test_narrow_screen_events_table_scrolls_and_one_font_family(browser, served_app, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = _open(context, served_app.url)
    family = page.evaluate("getComputedStyle(document.querySelector('.gradio-container h2')).fontFamily")
    assert family.startswith('"DejaVu Sans"'), family
    # every glyph of the bold heading, capitals included, drawn in DejaVu Sans Bold: no thin fallback face
    assert _platform_fonts(context, page, ".gradio-container h2") == {"DejaVuSans-Bold"}
    assert _platform_fonts(context, page, "#rag-statusline .rag-statusline") == {"DejaVuSans"}
    _tab(page, "Events")
    page.wait_for_selector("#rag-events-table", timeout=ANSWER_TIMEOUT)
    wrap = page.locator("#rag-events .rag-table-wrap")
    sizes = wrap.evaluate("e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX, e.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto", sizes  # wider than the screen, and it scrolls
    assert sizes[3] <= width + 1, sizes  # the box itself stays on the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # the page does not scroll sideways
    quote_cell = page.locator("#rag-events-table td.rag-ev-source").first
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    assert wrap.evaluate("e => e.scrollLeft") > 0
    box = quote_cell.bounding_box()  # scrolled into reach: the source (quote) column is on the screen
    assert box["x"] < width and box["x"] + box["width"] > 0, box
    passage_family = page.locator("#rag-events .rag-ev-actors bdi").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert passage_family == family  # Arabic names in the same family as the Latin text
    assert _platform_fonts(context, page, "#rag-events .rag-ev-actors bdi") == {"DejaVuSans"}
    if width == 320:  # the map, the timeline and the table scrolled to its source column
        page.locator("#rag-events .rag-ev-pics").evaluate("e => e.scrollIntoView({block: 'start'})")
        shot = tmp_path / "events-phone.png"
        page.screenshot(path=str(shot))
        _keep(shot, "events-phone.png")
    context.close()


def test_llm_fallback_is_a_badge_and_the_header_stops_saying_llm(browser, served_app_slow_llm):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = _open(context, served_app_slow_llm.url)
    header = page.locator("#rag-statusline")
    assert "answers: llm:slow-model" in header.inner_text()  # configured: the LLM is what answers (runs before the stop test)
    _ask(page, QUESTION, 1)
    answer = _answers(page).first
    mode, fallback = answer.locator(".rag-badge").first, answer.locator(".rag-badge-fallback")
    assert mode.inner_text() == "extractive" and fallback.inner_text() == "LLM failed: extractive answer"
    assert "did not answer within 10 s" in fallback.get_attribute("title")  # what failed
    style = "e => { const s = getComputedStyle(e); return [s.fontSize, s.fontWeight, s.display, s.visibility]; }"
    assert fallback.evaluate(style) == mode.evaluate(style)  # as prominent as the mode badge
    assert answer.locator("a.rag-cite").count() > 0  # the extractive answer, with its citations
    page.wait_for_selector("#rag-statusline #rag-llm-failed")
    text = header.inner_text()
    assert "llm:" not in text and "answers: extractive: the LLM failed" in text, text
    assert header.locator("#rag-llm-failed").evaluate(style)[:2] == mode.evaluate(style)[:2]
    page.reload()  # a new page asks the server: the header still says the LLM failed
    page.wait_for_selector("#rag-statusline #rag-llm-failed")
    context.close()


def test_stop_button_stops_an_answer_and_the_chat_goes_on(browser, served_app_slow_llm):
    """The slow LLM keeps the answer "searching the sources…" for 10 s: Stop ends it, and the chat goes on."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = _open(context, served_app_slow_llm.url)
    page.fill("#rag-question textarea", "Which forces did Russia send to Palmyra?")
    page.click("#rag-ask")
    page.wait_for_selector("#rag-chat .rag-streaming")
    page.click("#rag-stop")
    page.wait_for_selector("#rag-chat .rag-stopped .rag-stopped-note")
    assert page.locator("#rag-chat .rag-streaming").count() == 0
    assert "Which forces did Russia send to Palmyra?" in page.locator("#rag-chat .rag-msg").first.inner_text()
    _ask(page, QUESTION, 1)  # the LLM is still slow: the extractive fallback, with its citations
    assert _answers(page).first.locator("a.rag-cite").count() > 0
    # the stopped answer stays stopped: the cancelled thread's late answer does not overwrite it (seen on 2026-12-05),
    # and Ask works after Stop (with trigger_mode "once" the cancelled event kept it disabled)
    assert page.locator("#rag-chat .rag-stopped").count() == 1 and page.locator("#rag-chat .rag-msg").count() == 4
    assert QUESTION in page.locator("#rag-chat .rag-msg").nth(2).inner_text()
    context.close()


RECORDS = 40


def test_upload_is_indexed_in_the_background_while_a_question_is_answered_then_removed(page, tmp_path):
    import json

    para = ("وقالت مصادر محلية إن قوات النظام دفعت بتعزيزات جديدة إلى محيط مدينة تدمر في ريف حمص الشرقي، "
            "وسط استمرار هجمات خلايا تنظيم داعش على مواقعها في عمق البادية السورية خلال الأيام الماضية. ")
    jsonl = tmp_path / "badia_batch.jsonl"
    jsonl.write_text("".join(json.dumps({"id": f"bg-{i:02d}", "title": f"تقرير البادية رقم {i}", "date": "2022-03-07",
                                         "source": "Test outlet", "text": f"تقرير {i}. " + para * 6}, ensure_ascii=False) + "\n"
                             for i in range(RECORDS)), encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    page.wait_for_selector("#rag-articles-table")
    page.set_input_files("#rag-upload input[type=file]", [str(jsonl)])
    page.wait_for_selector("#rag-upload td.filename[aria-label='badia_batch.jsonl']")
    page.click("#rag-ingest-btn")
    page.wait_for_selector("#rag-ingest-progress")
    page.get_by_role("tab", name="Chat").click()
    _ask(page, QUESTION, 1)  # answered while the upload is being indexed
    page.get_by_role("tab", name="Corpus").click()
    assert page.locator("#rag-ingest-progress").count() == 1, "the upload finished before the answer: nothing shown"
    # counts records as they go (articles reach the index in batches, so "indexed" may jump at the end)
    page.wait_for_function("Number((document.querySelector('#rag-ingest-progress .rag-read') || {}).textContent || 0) > 0"
                           " || !!document.querySelector('#rag-ingest-report .rag-ok')", timeout=ANSWER_TIMEOUT)
    page.wait_for_selector("#rag-ingest-report .rag-ok", timeout=ANSWER_TIMEOUT)
    assert f"Ingested {RECORDS} article(s)" in page.locator("#rag-ingest-report").inner_text()
    page.locator("#rag-articles-table tr[data-id='bg-07']").wait_for()

    page.click("#rag-remove-pick input")  # remove one of them with the Corpus tab's button
    page.keyboard.type("bg-07")
    page.locator("li[role=option]", has_text="(bg-07)").click()
    page.keyboard.press("Escape")
    page.click("#rag-remove-btn")
    page.wait_for_selector("#rag-removed")
    assert "Removed 1 article(s): bg-07" in page.locator("#rag-removed").inner_text()
    page.wait_for_function("!document.querySelector(\"#rag-articles-table tr[data-id='bg-07']\")")
    assert page.locator("#rag-articles-table tr[data-id='bg-08']").count() == 1
