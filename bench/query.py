"""Retrieval benchmark: latency and memory at 1k/10k/100k chunks of ant-news, and XQuAD R@1/R@5/MRR.

    python bench/query.py                 # XQuAD (dense, BM25, hybrid; ar and en questions) + 1k and 10k chunks
    python bench/query.py --sizes 1000 10000 100000 --queries 200

Needs ../shared (the ant-news corpus and XQuAD); says so and exits 0 when absent.
Indexes are built once into bench/cache/ (git-ignored) and reused: the ant-news
index of N chunks holds the first articles of ant-news.jsonl.gz in file order
until N chunks are reached, embedded with the bundled e5-small-q4 at the default
chunk size. Results: printed, and written to bench/results/query.json.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag.agent import Agent  # noqa: E402
from rag.embeddings import embed_query  # noqa: E402
from rag.ingest.chunking import chunk_article  # noqa: E402
from rag.ingest.loaders import RawDoc  # noqa: E402
from rag.ingest.pipeline import build_article  # noqa: E402
from rag.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
ANT = SHARED / "corpus" / "ant-news.jsonl.gz"
XQUAD = SHARED / "benchmarks" / "xquad-ar.jsonl"
CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results"


def machine() -> dict:
    """The machine the figures were measured on."""
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import os

    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "platform": platform.platform()}


def agent_for(index: Path) -> Agent:
    """An extractive agent over an index folder."""
    settings = Settings.load()
    settings.store.index_dir = index
    return Agent(settings, llm=None)


def xquad_corpus(path: Path = XQUAD) -> tuple[Path, list[dict]]:
    """The 240 XQuAD paragraphs as a JSONL corpus file (id = hash of the paragraph) and the questions."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    out = CACHE / "xquad-paragraphs.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    seen = {}
    for r in rows:
        pid = "xq-" + hashlib.sha1(r["context"].encode()).hexdigest()[:12]
        seen.setdefault(pid, {"id": pid, "title": r.get("title", ""), "text": r["context"]})
        r["paragraph_id"] = pid
    out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in seen.values()), encoding="utf-8")
    return out, rows


def rank_metrics(ranks: list[int | None]) -> dict:
    """R@1, R@5 and MRR from 1-based ranks of the gold article (None = not retrieved)."""
    n = len(ranks)
    return {
        "n": n,
        "R@1": round(sum(1 for r in ranks if r == 1) / n, 3),
        "R@5": round(sum(1 for r in ranks if r and r <= 5) / n, 3),
        "MRR": round(sum(1 / r for r in ranks if r) / n, 3),
    }


def article_rank(hits, gold: str) -> int | None:
    """1-based rank of the gold article among the hits' articles, deduplicated in order."""
    order = list(dict.fromkeys(h.chunk.article_id for h in hits))
    return order.index(gold) + 1 if gold in order else None


def bench_xquad(limit: int | None) -> dict:
    """Dense, BM25 and hybrid retrieval on XQuAD, Arabic and English questions separately."""
    corpus, rows = xquad_corpus()
    agent = agent_for(CACHE / "xquad-index")
    agent.ingest([corpus], progress=False)
    out: dict = {}
    for lang, dataset in (("ar", "xquad"), ("en", "xquad-en-q-ar-ctx")):
        questions = [r for r in rows if r["dataset"] == dataset][: limit or None]
        ranks: dict[str, list] = {"dense": [], "bm25": [], "hybrid": []}
        started = time.perf_counter()
        for r in questions:
            vector = embed_query(agent.embedder, r["question"])
            for mode in ranks:
                hits = agent.retriever.retrieve(r["question"], k=10, mode=mode, query_vector=vector)
                ranks[mode].append(article_rank(hits, r["paragraph_id"]))
        out[lang] = {mode: rank_metrics(v) for mode, v in ranks.items()}
        out[lang]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"XQuAD {lang}: " + "  ".join(f"{m}: R@1 {v['R@1']:.3f} R@5 {v['R@5']:.3f} MRR {v['MRR']:.3f}" for m, v in out[lang].items() if m != "seconds"), flush=True)
    return out


def ant_subset(n_chunks: int) -> Path:
    """A JSONL file of the first ant-news articles that together make about n_chunks chunks."""
    out = CACHE / f"ant-{n_chunks}.jsonl"
    if out.exists():
        return out
    settings = Settings.load()
    total, lines = 0, []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            article = build_article(RawDoc(r["id"], r["text"], "bench", r.get("title", ""), r.get("source", ""), r.get("url", ""), r.get("date", ""), "record"))
            total += len(chunk_article(article, settings.chunk.size, settings.chunk.overlap))
            lines.append(line)
            if total >= n_chunks:
                break
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(lines), encoding="utf-8")
    return out


def bench_scale(n_chunks: int, queries: list[str]) -> dict:
    """Retrieval latency (p50/p95, hybrid, warm) and process peak memory over an index of n_chunks."""
    subset = ant_subset(n_chunks)
    agent = agent_for(CACHE / f"ant-{n_chunks}-index")
    t0 = time.perf_counter()
    report = agent.ingest([subset], progress=True)
    build = time.perf_counter() - t0
    agent.retriever.retrieve(queries[0])  # builds the BM25 index once
    times = []
    for q in queries:
        t = time.perf_counter()
        agent.retriever.retrieve(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    result = {
        "chunks": agent.store.count(),
        "articles": len(agent.articles()),
        "ingest_seconds_this_run": round(build, 1),
        "embedded_this_run": report.chunks,
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"{n_chunks} chunks: {result}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=100, help="questions timed per size")
    parser.add_argument("--xquad-limit", type=int, default=None, help="questions per language (default: all 1,190)")
    parser.add_argument("--skip-xquad", action="store_true")
    args = parser.parse_args()
    if not ANT.exists() or not XQUAD.exists():
        print(f"skipped: needs {ANT} and {XQUAD} (the shared corpus beside the repo)")
        return 0
    results: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "embedder": "e5-small-q4"}
    if not args.skip_xquad:
        results["xquad"] = bench_xquad(args.xquad_limit)
    rows = [json.loads(line) for line in XQUAD.open(encoding="utf-8")]
    random.Random(7).shuffle(rows)
    queries = [r["question"] for r in rows[: args.queries]]
    results["scale"] = {str(n): bench_scale(n, queries) for n in args.sizes}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "query.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS / 'query.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
