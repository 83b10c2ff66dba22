"""HTML rendering of answers, citations, articles and reports: literal inputs, no browser."""

from __future__ import annotations

import re

from rag.answering.answer import Answer
from rag.answering.citations import NOT_IN_SOURCES, Citation
from rag.ui import render as R

ARTICLE = (
    "قوات النظام وروسيا يجهزون حملة\n\n"
    "مقدمة قصيرة عن البادية.\n\n"
    "ونقلت الصحيفة أن ميليشيات لواء الباقر ولواء فاطميون جلبت تعزيزات إلى السخنة. وتضم التعزيزات 400 عنصر.\n\n"
    "بدورها، عززت القوات الروسية مواقعها بمحيط تدمر."
)
Q1 = "ونقلت الصحيفة أن ميليشيات لواء الباقر ولواء فاطميون جلبت تعزيزات إلى السخنة."
Q2 = "بدورها، عززت القوات الروسية مواقعها بمحيط تدمر."


def cite(n: int, quote: str, article: str = ARTICLE, **kw) -> Citation:
    start = article.index(quote)
    fields = dict(n=n, chunk_id=f"a1#{n}", article_id="a1", title="قوات النظام وروسيا يجهزون حملة", source="Radio Alkul",
                  date="", quote=quote, start=start, end=start + len(quote))
    fields.update(kw)
    return Citation(**fields)


def answer(text: str, citations: list[Citation], **kw) -> Answer:
    return Answer("Which militias reinforced Sukhnah?", text, kw.pop("mode", "extractive"), kw.pop("abstained", False),
                  citations=citations, **kw)


def test_direction_follows_the_dominant_script():
    assert R.text_dir("ونقلت الصحيفة عن مصادرها") == "rtl"
    assert R.text_dir("SY24: ونقلت الصحيفة عن مصادرها") == "rtl"  # opens with Latin, still Arabic
    assert R.text_dir("Extractive answer (no LLM): ونقلت") == "ltr"
    assert R.text_dir("2021-02-25 · 400") == "auto"


def test_passage_marks_the_quote_inside_its_paragraph_only():
    c = cite(1, Q1)
    html = R.passage_html(ARTICLE, c.start, c.end, c.quote)
    assert f"<mark>{Q1}</mark>" in html
    assert "وتضم التعزيزات 400 عنصر." in html  # the rest of the paragraph is context
    assert "مقدمة قصيرة" not in html and "تدمر" not in html  # other paragraphs are not
    assert 'dir="rtl"' in html


def test_passage_falls_back_to_searching_the_quote_when_offsets_are_stale():
    c = cite(1, Q2)
    html = R.passage_html(ARTICLE, c.start + 5, c.end + 5, c.quote)
    assert f"<mark>{Q2}</mark>" in html
    missing = R.passage_html("another text entirely", 0, 10, Q2)
    assert "not in the index any more" in missing and f"<mark>{Q2}</mark>" in missing


def test_long_paragraphs_are_trimmed_around_the_quote():
    article = "كلمة " * 400 + Q1 + " نهاية" * 400
    start = article.index(Q1)
    html = R.passage_html(article, start, start + len(Q1), Q1, context=100)
    assert html.count("…") == 2 and len(html) < 1200 and f"<mark>{Q1}</mark>" in html


def test_citation_marks_link_to_the_card_of_the_quote_they_support():
    c1, c2 = cite(2, Q1), cite(2, Q2)
    text = f"Extractive answer (no LLM): the sentences below are quoted verbatim.\n\n- {Q1} [2]\n- {Q2} [2]"
    html = R.answer_html(answer(text, [c1, c2]), turn=3)
    assert '<li dir="rtl">' in html and '<p dir="ltr">' in html
    first, second = html.index('href="#rag-src-3-0"'), html.index('href="#rag-src-3-1"')
    assert html.index("لواء الباقر") < first < html.index("بدورها") < second
    assert 'class="rag-badge rag-badge-extractive"' in html


def test_grouped_and_unknown_marks():
    html = R.answer_html(answer("A claim [1, 2] and [7].", [cite(1, Q1), cite(2, Q2)], mode="llm:qwen"), 0)
    assert 'href="#rag-src-0-0"' in html and 'href="#rag-src-0-1"' in html
    assert "rag-cite-dead" in html and "[7]" in html
    assert "rag-badge-llm" in html and "qwen" in html


def test_not_in_the_sources_is_shown_as_such_not_as_an_error():
    a = answer(NOT_IN_SOURCES["ar"], [], abstained=True, abstain_reason="nothing about it was retrieved")
    html = R.answer_html(a, 0)
    assert "rag-abstain" in html and "rag-error" not in html
    assert NOT_IN_SOURCES["ar"] in html and 'dir="rtl"' in html and "nothing about it was retrieved" in html


def test_everything_is_escaped():
    evil = '<script>alert(1)</script>"'
    c = cite(1, Q1, title=evil, source=evil, url='javascript:"x')
    html = R.answer_html(answer(f"{evil} [1]", [c], warnings=[evil]), 0) + R.sources_html(answer("", [c]), 0, lambda _: ARTICLE)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_source_card_shows_title_outlet_date_and_offsets():
    c = cite(1, Q1, date="2021-02", date_precision="month", also_in=["SY24"], url="https://example.org/a")
    html = R.sources_html(answer("", [c]), 4, lambda aid: ARTICLE)
    assert 'id="rag-src-4-0"' in html and "Radio Alkul" in html and "2021-02 (month precision)" in html
    assert "also in: SY24" in html and f"characters {c.start}–{c.end}" in html and "<mark>" in html
    undated = R.sources_html(answer("", [cite(1, Q1)]), 0, lambda aid: ARTICLE)
    assert "date unknown" in undated and "rag-undated" in undated
    assert R.sources_html(answer("", []), 0, lambda aid: ARTICLE) == ""


def test_panel_keeps_older_answers_hidden_for_their_links():
    html = R.panel_html(["<p>one</p>", "", "<p>three</p>"])
    assert '<section class="rag-turn rag-old" id="rag-turn-0">' in html
    assert '<section class="rag-turn" id="rag-turn-2">' in html and "rag-turn-1" not in html
    assert "Click a citation" in R.panel_html([])


def test_streaming_text_is_plain_and_escaped():
    html = R.streaming_html("- <b>جزء</b> [1]")
    assert "&lt;b&gt;" in html and "rag-cite" not in html and 'dir="rtl"' in html


def test_articles_table_marks_undated_ones():
    rows = [
        {"id": "a", "title": "عنوان", "source": "SY24", "date": None, "date_precision": "unknown", "date_source": "unknown", "chunks": 2, "url": ""},
        {"id": "b", "title": "Title", "source": "", "date": "2021-02-25", "date_precision": "day", "date_source": "text", "chunks": 1, "url": ""},
    ]
    html = R.articles_html(rows)
    assert "2 article(s), 1 undated" in html and 'class="rag-undated"' in html and "undated</span>" in html
    assert html.index("2021-02-25") < html.index("عنوان")  # newest first, undated last
    assert "index is empty" in R.articles_html([])


class _Err:
    def __init__(self, origin, reason):
        self.origin, self.reason = origin, reason


class _Report:
    articles, chunks, skipped, replaced = 1, 3, 0, 0
    failed = [_Err("/idx/uploads/x/bad.txt", "empty file")]


def test_ingest_report_names_each_failed_file_by_its_upload_name():
    html = R.ingest_report_html(_Report(), ["evil.exe: unsupported file type '.exe'"], lambda o: o.rsplit("/", 1)[-1])
    assert "Ingested 1 article(s), 3 chunk(s)" in html and "2 error(s)" in html
    assert "evil.exe: unsupported" in html and "bad.txt: empty file" in html and "/idx/uploads" not in html
    assert "Nothing ingested" in R.ingest_report_html(None, ["a: b"])


def test_status_and_briefing_body():
    stats = {"where": "/i", "mode": "local", "embedder": "e5-small-q4", "dim": 384, "articles": 5, "chunks": 23,
             "undated_articles": 3, "llm": "llm:qwen", "llm_base_url": "http://127.0.0.1:9/v1"}
    html = R.status_html(stats, "NOT reachable (ConnectError)")
    assert "5 (3 undated)" in html and "e5-small-q4" in html and "llm:qwen" in html and "NOT reachable" in html
    assert "extractive" in R.status_html({**stats, "llm": None}, None)
    page = "<html><head><style>body{color:red}</style></head><body><h1>موجز</h1><script>x()</script></body></html>"
    body = R.briefing_body(page)
    assert "<h1>موجز</h1>" in body and "<style>" not in body and "<script>" not in body


def test_ingest_report_with_only_failures_says_nothing_was_ingested():
    class Empty(_Report):
        articles, chunks = 0, 0

    html = R.ingest_report_html(Empty(), [], lambda o: o)
    assert "Nothing ingested; 1 error(s)" in html and "rag-ok" not in html


# -- issue 20 --------------------------------------------------------------------------------------


def test_copy_text_is_plain_with_marks_and_numbered_sources():
    a = answer(f"- {Q1} [1]\n- {Q2} [2]", [cite(1, Q1), cite(2, Q2, date="2021-02-25", date_precision="day")])
    text = R.plain_text(a)
    assert text == (f"- {Q1} [1]\n- {Q2} [2]\n\nSources:\n"
                    f"[1] قوات النظام وروسيا يجهزون حملة — Radio Alkul, date unknown (a1)\n    «{Q1}»\n"
                    f"[2] قوات النظام وروسيا يجهزون حملة — Radio Alkul, 2021-02-25 (a1)\n    «{Q2}»")
    html = R.answer_html(a, 0)
    assert 'class="rag-copy"' in html and f'<span class="rag-plain">{R.esc(text).replace(chr(10), "<br>")}</span>' in html
    assert "\n" not in html  # a blank line would end the HTML block in the chat's Markdown


def test_llm_fallback_is_a_badge_and_a_follow_up_says_what_it_carried():
    a = answer(f"- {Q1} [1]", [cite(1, Q1)], llm_error="timed out after 10 s")

    class Got:
        about = "about: Liwa al-Baqir, Sukhnah"

    a.gathered = Got()
    html = R.answer_html(a, 0)
    assert '<span class="rag-badge rag-badge-fallback" title="timed out after 10 s">LLM failed: extractive answer</span>' in html
    assert '<span class="rag-about" dir="auto">about: Liwa al-Baqir, Sukhnah</span>' in html
    assert "LLM failed: timed out after 10 s" in R.plain_text(a)


def test_panel_of_an_answer_without_sources_hides_the_older_cards():
    html = R.panel_html(["<details>old</details>", ""])
    assert 'class="rag-turn rag-old" id="rag-turn-0"' in html and 'id="rag-no-sources"' in html
    assert 'class="rag-turn" id' not in html


def test_stopped_marks_only_an_unfinished_answer():
    streaming = [{"role": "user", "content": "q"}, {"role": "assistant", "content": R.streaming_html("half an ans")}]
    out = R.stopped(streaming)
    assert "rag-stopped" in out[-1]["content"] and "rag-streaming" not in out[-1]["content"]
    assert R.STOPPED_NOTE in out[-1]["content"] and "half an ans" in out[-1]["content"]
    done = [{"role": "assistant", "content": '<div class="rag-msg rag-answer">x</div>'}]
    assert R.stopped(done) == done and R.stopped([]) == []


def test_ingest_progress_counts_records_read_and_articles_indexed():
    html = R.ingest_progress_html({"read": 12, "indexed": 9, "seconds": 5.4, "origin": "/up/x.jsonl:12"},
                                  lambda o: o.replace("/up/", ""))
    assert '<b class="rag-read">12</b> record(s) read, <b class="rag-indexed">9</b> article(s) indexed · 5 s · now: x.jsonl:12' in html


def test_header_stops_naming_the_llm_after_a_fallback():
    stats = {"articles": 5, "chunks": 23, "undated_articles": 3, "embedder": "e5-small-q4", "llm": "llm:qwen"}
    assert "answers: llm:qwen</div>" in R.status_line(stats)
    down = R.status_line(stats, "the LLM at http://127.0.0.1:9/v1 could not be reached")
    shown = re.sub(r"<[^>]+>", "", re.sub(r' title="[^"]*"', "", down))  # what the page shows, tooltips aside
    assert "llm:" not in shown and "answers: extractive: the LLM failed" in shown
    assert 'class="rag-badge rag-badge-fallback"' in down and "127.0.0.1:9" in down  # the error, in its tooltip
    assert "extractive (no LLM)" in R.status_line({**stats, "llm": None}, "ignored: no LLM configured")


def test_a_card_without_a_title_takes_its_articles_title_from_another_citation():
    """A gist line's citation may carry no title: its card names the article, not its id."""
    untitled = cite(1, Q1, title="")
    html = R.sources_html(answer(f"In brief: a claim. [1]\n- {Q1} [1]", [untitled, cite(1, Q1)]), 0, lambda _: ARTICLE)
    first = html[html.index('id="rag-src-0-0"'):html.index('id="rag-src-0-1"')]
    assert '<span class="rag-title">قوات النظام وروسيا يجهزون حملة</span>' in first and 'dir="rtl"' in first
    alone = R.sources_html(answer("In brief: a claim. [1]", [untitled]), 0, lambda _: ARTICLE)
    assert '<span class="rag-title">a1</span>' in alone  # no title anywhere: the id, as before
