"""Web ingest benchmark: N ant-news articles rendered as HTML pages (navigation, share buttons, related
articles, an article:published_time) behind an RSS feed on a 127.0.0.1 server, through `rag watch`'s
path (fetch, robots.txt, extraction, dating, chunking, embedding, Chroma) into a fresh local index.

    python bench/web_ingest.py            # N = 60
    python bench/web_ingest.py --pages 200

Reports pages/s and chunks/s for the whole run, fetch + extraction alone (no index) in pages/s, the raw
embedder's chunks/s on the same chunk texts in the same run (and the ratio), and the second run over the
unchanged feed (one conditional request, nothing fetched). The per-host interval is 0 here: with the
default RAG_WEB_MIN_INTERVAL of 2 s a real site's pace is set by politeness (0.5 pages/s), not by this
code. Needs ../shared; says so and exits 0 when absent. Writes bench/results/web_ingest.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from query import ANT, RESULTS, machine  # noqa: E402

from rag.embeddings import embed_documents, make_embedder  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.store import Store  # noqa: E402
from rag.web.extract import decode_html, extract_page  # noqa: E402
from rag.web.feeds import FeedConfig  # noqa: E402
from rag.web.fetch import Fetcher  # noqa: E402
from rag.web.watch import watch_once  # noqa: E402
from tests.fixtures.web.build import page, rss  # noqa: E402
from tests.web.site_server import SiteServer  # noqa: E402


def build_site(root: Path, n: int) -> list[str]:
    """The first n ant-news articles as pages under root/news/, an RSS feed of them, and a robots.txt; returns the page paths."""
    records = []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("text", "").strip() and r.get("title", "").strip():
                records.append(r)
            if len(records) >= n:
                break
    paths = []
    for i, r in enumerate(records):
        path = f"news/{i:05d}.html"
        others = [(f"news/{j:05d}.html", records[j]["title"]) for j in (i - 1, i - 2, i - 3) if j >= 0]
        out = root / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(page(r, path, "meta", others))
        paths.append(path)
    (root / "feeds").mkdir(exist_ok=True)
    (root / "feeds" / "rss.xml").write_text(rss([(p, r["title"], "") for p, r in zip(paths, records)]), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    return paths


def bench(n: int) -> dict:
    """Serve n pages, watch the feed into an empty index, time each stage."""
    work = Path(tempfile.mkdtemp(prefix="web-bench-"))
    try:
        paths = build_site(work / "site", n)
        settings = Settings.load("/nonexistent.toml")
        settings.store.index_dir = work / "index"
        settings.store.chroma_url = None
        settings.web.min_interval = 0.0
        settings.web.max_items = n
        embedder = make_embedder(settings.embed.embedder)
        embed_documents(embedder, ["تمهيد"], 1)  # load the model before any timing
        with SiteServer(work / "site") as site:
            feed = FeedConfig(url=f"{site.base}/feeds/rss.xml", outlet="BBC Arabic")
            # Fetch + extraction alone (warm-up included: trafilatura's first call loads its tables).
            t0 = time.perf_counter()
            with Fetcher(settings.web) as fetcher:
                for p in paths:
                    got = fetcher.get(f"{site.base}/{p}")
                    extract_page(decode_html(got.body, got.charset), got.url)
            fetch_extract = time.perf_counter() - t0
            store = Store(settings.store, embedder)
            t1 = time.perf_counter()
            report = watch_once([feed], store, settings)
            seconds = time.perf_counter() - t1
            texts = [c.text for c in store.all_chunks()]
            t2 = time.perf_counter()
            embed_documents(embedder, texts, settings.embed.embed_batch)
            raw = time.perf_counter() - t2
            site.clear()
            t3 = time.perf_counter()
            again = watch_once([feed], store, settings)
            second = time.perf_counter() - t3
            second_requests = len(site.requested())
        result = {
            "pages": n,
            "articles": report.ingest.articles,
            "chunks": report.ingest.chunks,
            "failed": len(report.ingest.failed),
            "seconds": round(seconds, 1),
            "pages_per_s": round(report.ingest.articles / seconds, 2),
            "chunks_per_s": round(report.ingest.chunks / seconds, 2),
            "fetch_and_extract_pages_per_s": round(n / fetch_extract, 2),
            "raw_embedder_chunks_per_s": round(len(texts) / raw, 2),
            "ingest_to_embedder_ratio": round((report.ingest.chunks / seconds) / (len(texts) / raw), 3),
            "second_run_seconds": round(second, 2),
            "second_run_requests": second_requests,
            "second_run_articles": again.ingest.articles,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    if not ANT.exists():
        print(f"skipped: needs {ANT} (the shared corpus beside the repo)")
        return 0
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "embedder": "e5-small-q4",
               "load_average_at_start": [round(x, 1) for x in os.getloadavg()], "min_interval_s": 0.0, "run": bench(args.pages)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web_ingest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS / 'web_ingest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
