"""Briefings: period and precision rules, clustering, citations that resolve, and the three renderings.

Seed tests run on the real seed index with the real embedder; the ANT test ingests one real week
of ../shared/corpus/ant-news.jsonl.gz (middleEast) and is marked slow; LLM mode runs against the
shared localhost OpenAI fake when tests/fake_openai.py is present.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from datetime import date, datetime

import numpy as np
import pytest

from rag.briefing import Briefing, agglomerate, build_briefing, default_week, find_figures, render_briefing, resolve_period, select_articles
from tests.conftest import ANT, need_shared

CONVOY = "004_5d361efb3b7ab3f6"
OCT_2020 = "001_cd46ce12425e3a53"
UNDATED = {"000_81d095f2c667699f", "002_ed01a1c225440037", "003_2b7e810d896de9c5"}
MARK = re.compile(r"\[(\d+)\]")


def assert_resolves(agent, b: Briefing) -> None:
    """Every [n] names a source; every citation quotes the article text at [start:end] and its source's chunk."""
    numbers = [s.n for s in b.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    for text in [b.headline] + [i.text for i in b.items]:
        assert {int(n) for n in MARK.findall(text)} <= set(numbers)
    by_n = {s.n: s for s in b.sources}
    texts: dict[str, str] = {}
    for item in b.items:
        assert item.citations, item.title
        assert {c.n for c in item.citations} == {int(n) for n in MARK.findall(item.text)}
        for c in item.citations:
            text = texts.setdefault(c.article_id, agent.article_text(c.article_id))
            assert text[c.start:c.end] == c.quote
            src = by_n[c.n]
            assert (src.chunk_id, src.article_id) == (c.chunk_id, c.article_id)
            assert src.start <= c.start and c.end <= src.start + len(src.text)
            assert c.article_id in item.article_ids
    assert not [w for w in b.warnings if "do not resolve" in w]


# -- pure rules ----------------------------------------------------------------------------------


def _row(date_, precision, start, end, title="t"):
    return {"date": date_, "date_precision": precision, "title": title, "source": "X",
            "date_start": start.toordinal() if start else -1, "date_end": end.toordinal() if end else -1}


def test_selection_by_date_precision():
    rows = {
        "day-in": _row("2021-02-25", "day", date(2021, 2, 25), date(2021, 2, 25)),
        "day-out": _row("2021-03-02", "day", date(2021, 3, 2), date(2021, 3, 2)),
        "month-holds-week": _row("2021-02", "month", date(2021, 2, 1), date(2021, 2, 28)),
        "month-straddles": _row("2021-03", "month", date(2021, 3, 1), date(2021, 3, 31)),
        "year": _row("2021", "year", date(2021, 1, 1), date(2021, 12, 31)),
        "unknown": _row("", "unknown", None, None),
    }
    ids, undated, excluded = select_articles(rows, date(2021, 2, 22), date(2021, 2, 28))
    assert ids == ["day-in", "month-holds-week"]
    assert [u["id"] for u in undated] == ["unknown"]
    assert {x["id"] for x in excluded} == {"year"}
    ids, _, excluded = select_articles(rows, date(2021, 2, 25), date(2021, 3, 3))  # a week across two months
    assert ids == ["day-in", "day-out"]
    assert {x["id"] for x in excluded} == {"month-holds-week", "month-straddles", "year"}
    assert all("month" in x["reason"] or "year" in x["reason"] for x in excluded)
    ids, _, excluded = select_articles(rows, date(2021, 2, 1), date(2021, 3, 31))  # months inside the period
    assert set(ids) == {"day-in", "day-out", "month-holds-week", "month-straddles"} and [x["id"] for x in excluded] == ["year"]


def test_periods():
    assert resolve_period("2021-W08") == ("2021-W08", date(2021, 2, 22), date(2021, 2, 28))
    assert resolve_period(since="2021-02-01", until="2021-02-28") == ("2021-02-01_2021-02-28", date(2021, 2, 1), date(2021, 2, 28))
    assert resolve_period(since="2021-02", until="2021-02")[1:] == (date(2021, 2, 1), date(2021, 2, 28))
    assert resolve_period(until="2021-02-28")[1:] == (date(2021, 2, 22), date(2021, 2, 28))
    assert resolve_period(newest=date(2021, 2, 25))[0] == "2021-W07"  # Thursday: its week is not complete
    assert default_week(date(2021, 2, 28)) == "2021-W08"  # Sunday: its own week is complete
    assert default_week(date(2021, 3, 1)) == "2021-W08"
    for bad in [dict(week="2021-W08", since="2021-02-01"), dict(since="2021-03-01", until="2021-02-01"),
                dict(week="2021-W60")]:
        with pytest.raises(ValueError):
            resolve_period(**bad)
    with pytest.raises(ValueError, match="no dated article"):
        resolve_period(newest=None)


def test_figures_are_verbatim_and_skip_dates():
    text = ("أرسلت روسيا أكثر من 400 عنصر إلى البادية، ونفذت 12 غارة، وقتل 30 عنصراً من التنظيم "
            "يوم 25 شباط 2021، وفي عام 2020 قتل عشرات المقاتلين منذ 3 سنوات في الساعة 5:32 مساء.")
    found = find_figures(text)
    assert {"أكثر من 400 عنصر", "12 غارة", "30 عنصراً", "عشرات المقاتلين"} <= set(found)
    assert all(f in text for f in found)
    assert not [f for f in found if re.search("شباط|2021|2020|سنوات|مساء", f)]


def test_agglomerate_merges_above_threshold_only():
    sim = np.array([[1, .9, .1, .0], [.9, 1, .2, .1], [.1, .2, 1, .5], [.0, .1, .5, 1]])
    assert agglomerate(sim, 0.6) == [[0, 1], [2], [3]]
    assert agglomerate(sim, 0.4) == [[0, 1], [2, 3]]
    assert agglomerate(sim, 0.95) == [[0], [1], [2], [3]]
    assert agglomerate(np.zeros((0, 0))) == []


# -- the seeds -----------------------------------------------------------------------------------


def test_2021_w08_holds_the_daraa_convoy_and_nothing_else(seed_agent):
    b = build_briefing(seed_agent, week="2021-W08")
    assert (b.name, b.start, b.end, b.mode) == ("2021-W08", date(2021, 2, 22), date(2021, 2, 28), "extractive")
    convoy = [i for i in b.items if CONVOY in i.article_ids]
    assert len(convoy) == 1 and any(c.article_id == CONVOY for c in convoy[0].citations)
    assert "درعا" in convoy[0].text and convoy[0].date == "2021-02-25"
    assert {"Daraa"} <= set(convoy[0].places) and "Fifth Corps" in convoy[0].actors
    for item in b.items:
        assert all(d.startswith("2021-02") for d in item.dates)
        assert not set(item.article_ids) & (UNDATED | {OCT_2020})
    assert {u["id"] for u in b.undated} == UNDATED
    assert_resolves(seed_agent, b)
    assert any("no LLM is configured" in w for w in build_briefing(seed_agent, week="2021-W08", mode="llm").warnings)


def test_the_briefing_reads_the_events_stored_at_ingest(seed_agent, monkeypatch):
    from rag.events import extract

    expected = [e.to_dict() for e in build_briefing(seed_agent, week="2021-W08").events]

    def refuse(*args, **kwargs):
        raise AssertionError("events were extracted again: a briefing reads those stored at ingest")

    monkeypatch.setattr(extract, "article_events", refuse)  # every extraction runs through it
    b = build_briefing(seed_agent, week="2021-W08")
    assert b.events and [e.to_dict() for e in b.events] == expected


def test_2020_w43_holds_the_22_october_report(seed_agent):
    b = build_briefing(seed_agent, week="2020-W43")
    assert [i.article_ids for i in b.items] == [[OCT_2020]]
    assert b.items[0].date == "2020-10-22" and b.items[0].citations[0].article_id == OCT_2020
    assert {u["id"] for u in b.undated} == UNDATED
    assert_resolves(seed_agent, b)


def test_a_long_period_keeps_stories_apart_and_undated_out(seed_agent):
    b = build_briefing(seed_agent, since="2020-01-01", until="2022-12-31")
    assert b.name == "2020-01-01_2022-12-31"
    assert sorted(i for item in b.items for i in item.article_ids) == [OCT_2020, CONVOY]
    assert len(b.items) == 2  # an ISIS offensive in October 2020 and a convoy in February 2021
    assert {u["id"] for u in b.undated} == UNDATED
    assert_resolves(seed_agent, b)


def test_default_period_is_the_last_complete_week_before_the_newest_article(seed_agent):
    newest = seed_agent.newest_date()
    assert newest == date(2021, 2, 25)
    b = build_briefing(seed_agent)
    assert b.name == default_week(newest) == "2021-W07"
    assert b.items == [] and "2021-02-25" in b.headline and "2021-W08" in b.headline
    assert {u["id"] for u in b.undated} == UNDATED


def test_scope_keeps_the_subject_and_says_how_many(seed_agent):
    both = dict(since="2020-01-01", until="2022-12-31")
    b = build_briefing(seed_agent, about="الفيلق الخامس", **both)
    assert [i.article_ids for i in b.items] == [[CONVOY]]
    assert b.scope["kept"] == 1 and b.scope["of"] == 2 and b.scope["kept_by"] == {"gazetteer": 1}
    assert "Fifth Corps" in b.items[0].actors and "group:fifth-corps" in b.items[0].actor_ids
    isis = build_briefing(seed_agent, actor="ISIS", **both)
    assert [i.article_ids for i in isis.items] == [[OCT_2020]] or OCT_2020 in isis.items[0].article_ids
    assert build_briefing(seed_agent, outlet="أوطان", **both).scope["kept"] == 1
    none = build_briefing(seed_agent, about="Yemen", place="Sanaa", **both)
    assert none.items == [] and "None of the 2 dated report(s)" in none.headline and none.scope["kept"] == 0
    assert_resolves(seed_agent, b)
    with pytest.raises(ValueError, match="--top"):
        build_briefing(seed_agent, top=0, **both)


def test_key_section_is_the_top_n_and_the_rest_is_one_line(seed_agent):
    b = build_briefing(seed_agent, since="2020-01-01", until="2022-12-31", top=1)
    assert len(b.key) == 1 and len(b.items) == 2 and b.items[0].importance >= b.items[1].importance
    tail = b.items[1]
    assert tail in b.rest or any(tail in items for _, items in b.sections)
    assert len(tail.text.splitlines()) == 1 and tail.citations
    md = render_briefing(b)
    assert md.index("## Key developments (1)") < md.index("## Everything else (1)") < md.index("## Sources")
    assert_resolves(seed_agent, b)


def test_renderings(seed_agent):
    b = build_briefing(seed_agent, week="2021-W08")
    md = render_briefing(b)
    assert md.startswith("# Briefing 2021-W08") and "Mode: extractive" in md
    assert "Scope: every report of the period (no scope given): 1 of 1" in md
    assert "## Key developments (1)" in md and "importance " in md
    assert "who: " in md and "where: " in md and "## What changed since 2021-02-15 to 2021-02-21" in md
    assert "## Undated reports in the corpus (3)" in md and all(u in md for u in UNDATED)
    assert "## Sources" in md and "> توجهت" in md

    page = render_briefing(b, "html")
    assert page.startswith("<!doctype html>") and 'dir="rtl" lang="ar"' in page and 'dir="auto"' in page
    assert "@media print" in page and "<style>" in page and "Mode: extractive" in page
    assert not re.search(r"<script|<link|@import|@font-face|url\(", page, re.I)
    assert "http" not in page  # the seeds have no URLs: nothing in the page reaches out
    for n in {int(n) for n in MARK.findall(b.items[0].text)}:
        assert f'href="#src-{n}"' in page and f'id="src-{n}"' in page

    data = json.loads(render_briefing(b, "json"))
    assert {"scope", "key", "sections", "rest", "events", "changes", "undated"} <= set(data)
    assert {"name", "period", "mode", "headline", "excluded", "sources", "warnings"} <= set(data)
    assert data["period"] == {"start": "2021-02-22", "end": "2021-02-28"} and data["mode"] == "extractive"
    assert data["scope"]["kept"] == 1 and data["scope"]["of"] == 1
    assert {"new_places", "new_actors", "gone_places", "gone_actors", "events_by_type"} <= set(data["changes"])
    item = data["key"][0]
    assert {"date", "dates", "title", "text", "summary", "citations", "outlets", "article_ids", "places", "actors",
            "place_ids", "actor_ids", "importance", "why", "figures"} <= set(item)
    assert item["summary"] == item["text"].splitlines()[0]
    assert {"n", "article_id", "quote", "start", "end", "source", "date"} <= set(item["citations"][0])
    assert {u["id"] for u in data["undated"]} == UNDATED and {"title", "source"} <= set(data["undated"][0])
    with pytest.raises(ValueError):
        render_briefing(b, "pdf")


def test_rendering_is_pure_escapes_markup_and_lists_exclusions():
    from rag.answering.citations import Citation, Source
    from rag.briefing import BriefingItem

    hostile = 'هجوم <script>alert(1)</script> على "السخنة" | 12 غارة'
    src = Source(1, "a#000", "a", hostile, "Outlet <b>", "2021-02", hostile, 0)
    cite = Citation(1, "a#000", "a", hostile, "Outlet <b>", "2021-02", hostile, 0, len(hostile))
    item = BriefingItem("2021-02", ["2021-02"], hostile, hostile + " [1]", [cite], ["Outlet <b>"], ["a"],
                        figures=["12 غارة"])
    b = Briefing("2021-W08", date(2021, 2, 22), date(2021, 2, 28), "llm:m", "1 item(s). [1]", [item],
                 undated=[{"id": "u", "title": "بلا تاريخ", "source": ""}],
                 excluded=[{"id": "x", "title": "شهر آذار", "source": "S", "reason": "dated only to the month 2021-03"}],
                 sources=[src], warnings=["a note"], articles=1)
    page = render_briefing(b, "html")
    assert "<script" not in page and "&lt;script&gt;" in page and "<b>" not in page
    assert "Mode: llm:m" in page and "prose written by the LLM" in page and 'href="#src-1"' in page
    md = render_briefing(b)
    assert "## Left out: dates too coarse for this period (1)" in md and "dated only to the month" in md
    assert f"### 1. {hostile}" in md and "## Notes" in md and "«12 غارة»" in md
    assert json.loads(render_briefing(b, "json"))["counts"] == {"items": 1, "articles": 1, "outlets": 1, "undated": 1,
                                                              "excluded": 1}


# -- LLM mode (against the shared localhost OpenAI fake) -----------------------------------------------


def _llm_agent(seed_agent, server):
    from rag.agent import Agent

    settings = seed_agent.settings.model_copy(deep=True)
    settings.llm.base_url, settings.llm.model, settings.llm.max_retries, settings.llm.timeout = server.base_url, "fake-model", 0, 10
    return Agent(settings, store=seed_agent.store)


def test_llm_mode_writes_cited_prose_and_falls_back_when_it_fails(seed_agent):
    fake = pytest.importorskip("tests.fake_openai", reason="tests/fake_openai.py (the shared OpenAI fake) is absent")

    def grounded(body):
        prompt = "\n".join(m["content"] for m in body["messages"])
        n = next(n for n, text in re.findall(r'<source n="(\d+)"[^>]*>(.*?)</source>', prompt, re.S) if "درعا" in text)
        return fake.Reply(f"توجهت أرتال عسكرية من محافظة درعا نحو البادية السورية [{n}].")

    with fake.FakeOpenAI(grounded) as server:
        agent = _llm_agent(seed_agent, server)
        b = build_briefing(agent, week="2021-W08")
        assert "<source n=" in server.prompt_text() and "2021-W08" in server.prompt_text()
    assert b.mode == "llm:fake-model" and not [w for w in b.warnings if "LLM" in w or "item" in w]
    assert b.items[0].text.startswith("توجهت أرتال عسكرية") and b.items[0].citations[0].article_id == CONVOY
    assert_resolves(agent, b)
    assert "Mode: llm:fake-model" in render_briefing(b) and "llm:fake-model" in render_briefing(b, "html")
    assert build_briefing(agent, week="2021-W08", mode="extractive").mode == "extractive"

    for reply in (fake.Reply("لا شيء هنا بلا مصادر."), fake.Reply(status=500, content="boom")):
        with fake.FakeOpenAI([reply]) as server:
            agent = _llm_agent(seed_agent, server)
            b = build_briefing(agent, week="2021-W08")
        assert b.mode == "extractive" and any(w.startswith("LLM failed") for w in b.warnings)
        assert any(CONVOY in i.article_ids for i in b.items)
        assert_resolves(agent, b)


# -- a real week of ANT news -------------------------------------------------------------------------------

WEEK = "2018-W16"  # 239 middleEast reports from 4 outlets; the threshold was calibrated on 2018-W15


@pytest.mark.slow
@pytest.mark.shared
def test_ant_week_merges_one_story_from_several_outlets(tmp_path):
    need_shared(ANT)
    from rag.agent import Agent
    from rag.settings import Settings

    data = tmp_path / "week.jsonl.gz"
    with gzip.open(ANT, "rt", encoding="utf-8") as src, gzip.open(data, "wt", encoding="utf-8") as out:
        for line in src:
            r = json.loads(line)
            y, w, _ = datetime.fromisoformat(r["date"]).isocalendar()
            if r.get("category") == "middleEast" and f"{y}-W{w:02d}" == WEEK:
                out.write(line)
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = tmp_path / "index"
    agent = Agent(settings, llm=None)
    report = agent.ingest([data], progress=False)
    assert report.articles > 150 and not report.failed

    b = build_briefing(agent, week=WEEK)
    assert b.articles == report.articles and sum(len(i.article_ids) for i in b.items) == b.articles
    assert len(b.items) < b.articles and sum(len(i.outlets) >= 2 for i in b.items) >= 10
    titles = {aid: m["title"] for aid, m in agent.store.articles().items()}
    sudan = [i for i in b.items if any("غندور" in titles[a] for a in i.article_ids)]
    assert len(sudan) == 1, "every report of the Sudanese foreign minister's dismissal is one item"
    assert len(sudan[0].outlets) >= 2 and all(re.search("غندور|السودان", titles[a]) for a in sudan[0].article_ids)
    assert_resolves(agent, b)
    assert all(set(i.outlets) == {c.source for c in i.citations} for i in b.key)  # key items cite every outlet
    assert all(len(i.text.splitlines()) == 1 and i.citations for i in b.items[b.top:])  # the others: one cited line
    shutil.rmtree(tmp_path / "index", ignore_errors=True)
