"""Retrieval benchmark: latency and memory at 1k/10k/100k chunks of ant-news, and XQuAD R@1/R@5/MRR.

    python bench/query.py                 # XQuAD (dense, BM25, hybrid; ar and en questions) + 1k and 10k chunks
    python bench/query.py --skip-xquad --sizes 1000 10000 --queries 200
    python bench/query.py --build-only --sizes 1000 10000 100000 --chunk-size 40   # ~1 h here; resumable
    python bench/query.py --skip-xquad --sizes 1000 10000 100000 --chunk-size 40

Needs ../shared (the ant-news corpus and XQuAD); says so and exits 0 when absent.
Indexes are built once into bench/cache/ (git-ignored) and reused: the ant-news
index of N chunks holds the first articles of ant-news.jsonl.gz in file order
until N chunks are reached, embedded with the bundled e5-small-q4 at the default
chunk size (120 words, overlap 30) or at --chunk-size S (overlap S/4; cached as
ant-N-cS). Why a smaller size at 100k: the whole corpus makes only ~86k chunks
at 120 words, and embeds at ~8 chunks/s on 2 cores (about 3 h); at 40 words the
first ~12k articles make 100k chunks. Each size is timed in its own process so
its peak RSS is its own. Results: printed, and merged into bench/results/query.json
(keys "N" at the default size, "N@Sw" at chunk size S).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import platform
import random
import resource
import shutil
import statistics
import subprocess
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


def scale_name(n_chunks: int, chunk_size: int | None) -> str:
    """Cache name of a scale index: ant-N (default chunk size) or ant-N-cS."""
    return f"ant-{n_chunks}" + (f"-c{chunk_size}" if chunk_size else "")


def scale_settings(chunk_size: int | None) -> Settings:
    settings = Settings.load()
    if chunk_size:
        settings.chunk.size, settings.chunk.overlap = chunk_size, chunk_size // 4
    return settings


def ant_subset(n_chunks: int, chunk_size: int | None = None) -> Path:
    """A JSONL file of the first ant-news articles that together make about n_chunks chunks."""
    out = CACHE / f"{scale_name(n_chunks, chunk_size)}.jsonl"
    if out.exists():
        return out
    settings = scale_settings(chunk_size)
    total, lines = 0, []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            article = build_article(RawDoc(r["id"], r["text"], "bench", r.get("title", ""), r.get("source", ""), r.get("url", ""), r.get("date", ""), "record"))
            total += len(chunk_article(article, settings.chunk.size, settings.chunk.overlap))
            lines.append(line)
            if total >= n_chunks:
                break
    if total < n_chunks:
        print(f"note: the whole corpus makes {total} chunks at chunk size {settings.chunk.size}, fewer than {n_chunks}", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(lines), encoding="utf-8")
    return out


def scale_agent(n_chunks: int, chunk_size: int | None) -> tuple[Agent, Path]:
    settings = scale_settings(chunk_size)
    settings.store.index_dir = CACHE / f"{scale_name(n_chunks, chunk_size)}-index"
    return Agent(settings, llm=None), ant_subset(n_chunks, chunk_size)


def build_scale(n_chunks: int, chunk_size: int | None, start_from: int | None = None) -> dict:
    """Build (or finish building) the cached index of n_chunks; resumable, since ingest skips what is indexed.

    With `start_from`, a new index starts as a copy of that smaller cached index (its articles
    are the first ones of this one, so ingest embeds only the rest).
    """
    target = CACHE / f"{scale_name(n_chunks, chunk_size)}-index"
    smaller = CACHE / f"{scale_name(start_from, chunk_size)}-index" if start_from else None
    if smaller is not None and smaller.exists() and not target.exists():
        shutil.copytree(smaller, target)
    agent, subset = scale_agent(n_chunks, chunk_size)
    t0 = time.perf_counter()
    report = agent.ingest([subset], progress=True)
    return {"ingest_seconds_this_run": round(time.perf_counter() - t0, 1), "embedded_this_run": report.chunks}


def bench_scale(n_chunks: int, chunk_size: int | None, queries: list[str]) -> dict:
    """Retrieval latency (hybrid, warm: p50/p95 over the questions) and peak memory over an index of n_chunks.

    Runs in its own process (see main) so the peak RSS is this size's alone.
    """
    agent, _ = scale_agent(n_chunks, chunk_size)
    built = build_scale(n_chunks, chunk_size) if agent.store.count() == 0 else {"embedded_this_run": 0}
    t0 = time.perf_counter()
    agent.retriever.retrieve(queries[0])  # builds the BM25 index once
    first = time.perf_counter() - t0
    times = []
    for q in queries:
        t = time.perf_counter()
        agent.retriever.retrieve(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "chunks": agent.store.count(),
        "articles": len(agent.articles()),
        "chunk_size_words": agent.settings.chunk.size,
        "chunk_overlap_words": agent.settings.chunk.overlap,
        "embedded_this_run": built["embedded_this_run"],
        "first_query_seconds_incl_bm25_build": round(first, 1),
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def scale_key(n_chunks: int, chunk_size: int | None) -> str:
    return str(n_chunks) + (f"@{chunk_size}w" if chunk_size else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--chunk-size", type=int, default=None, help="words per chunk for the scale indexes (default: the settings' size)")
    parser.add_argument("--queries", type=int, default=100, help="questions timed per size")
    parser.add_argument("--xquad-limit", type=int, default=None, help="questions per language (default: all 1,190)")
    parser.add_argument("--skip-xquad", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="build the scale indexes into bench/cache and stop")
    parser.add_argument("--measure-one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not ANT.exists() or not XQUAD.exists():
        print(f"skipped: needs {ANT} and {XQUAD} (the shared corpus beside the repo)")
        return 0
    rows = [json.loads(line) for line in XQUAD.open(encoding="utf-8")]
    random.Random(7).shuffle(rows)
    queries = [r["question"] for r in rows[: args.queries]]
    if args.measure_one is not None:  # child process: one size, result as the last line of stdout
        print(json.dumps(bench_scale(args.measure_one, args.chunk_size, queries)))
        return 0
    if args.build_only:
        previous = None
        for n in sorted(args.sizes):
            print(f"{n} chunks: {build_scale(n, args.chunk_size, previous)}", flush=True)
            previous = n
        return 0
    out = RESULTS / "query.json"
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    results.update({"machine": machine(), "date": time.strftime("%Y-%m-%d"), "embedder": "e5-small-q4"})
    if not args.skip_xquad:
        results["xquad"] = bench_xquad(args.xquad_limit)
    results.setdefault("scale", {})
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--measure-one", str(n), "--queries", str(args.queries)]
        cmd += ["--chunk-size", str(args.chunk_size)] if args.chunk_size else []
        child = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        result["date"] = time.strftime("%Y-%m-%d")
        results["scale"][scale_key(n, args.chunk_size)] = result
        print(f"{n} chunks: {result}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
