"""Retrieval benchmark: latency and memory at 1k/10k/100k chunks of ant-news, and XQuAD R@1/R@5/MRR.

    python bench/query.py                 # XQuAD (dense, BM25, hybrid; ar and en questions) + 1k and 10k chunks
    python bench/query.py --skip-xquad --sizes 1000 10000 --queries 200
    python bench/query.py --build-only --sizes 1000 10000 100000 --chunk-size 40   # ~1 h here; resumable
    python bench/query.py --skip-xquad --sizes 1000 10000 100000 --chunk-size 40
    python bench/query.py --skip-xquad --synthetic --sizes 10000             # ask/retrieval latency, synthetic vectors
    python bench/query.py --skip-xquad --synthetic --sizes 100000 --chunk-size 40

Every size prints its figures as ratios to one query embedding measured in the same
process (the median of embedding each timed question), so they hold on a noisy
machine: hybrid retrieval p95 (XQuAD questions), extractive ask p95 (60 distinct
questions of eval/sets/ant.jsonl then dev.jsonl, none asked twice, so text-keyed
caches hold only what earlier questions' evidence put there) to the embedding of
those same questions (they are longer than XQuAD's: ~25 ms against ~15 ms; the
ratio to XQuAD's embedding is printed too), and the first query after start (a fresh process:
the lexical index is memory-mapped, nothing is built), beside the absolute times.

--synthetic: the chunk and sentence vectors of the index are hash vectors (bench
only: `SyntheticEmbedder`), the query embedding is the real e5's. Latency and
memory are those of the real code path (same chunks, sentences, events, BM25,
Chroma HNSW), but rankings and answers are meaningless; it exists because embedding
10k default-size chunks and their sentences with e5 takes hours on a busy 2-core
machine. Indexes are cached as ant-N[-cS]-synthetic-index.

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


class SyntheticEmbedder:
    """Bench only: hash vectors for passages (chunks, sentences), the real bundled e5 for queries.

    Named as what it is, so an index built with it refuses the real embedder and vice versa.
    """

    name = "synthetic-hash-384"
    dim = 384

    def __init__(self):
        from rag.embeddings import make_embedder

        self.e5 = make_embedder("e5-small-q4")

    def embed_batch(self, texts, *, is_query: bool = False):
        import zlib

        import numpy as np

        if is_query:
            return self.e5.embed_batch(texts, is_query=True)
        out = np.stack([np.random.default_rng(zlib.crc32(t.encode("utf-8"))).standard_normal(self.dim) for t in texts]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


SYNTHETIC = False  # set by --synthetic


def scale_name(n_chunks: int, chunk_size: int | None) -> str:
    """Cache name of a scale index: ant-N (default chunk size) or ant-N-cS, with -synthetic for hash vectors."""
    return f"ant-{n_chunks}" + (f"-c{chunk_size}" if chunk_size else "") + ("-synthetic" if SYNTHETIC else "")


def scale_settings(chunk_size: int | None) -> Settings:
    settings = Settings.load()
    if chunk_size:
        settings.chunk.size, settings.chunk.overlap = chunk_size, chunk_size // 4
    return settings


def ant_subset(n_chunks: int, chunk_size: int | None = None) -> Path:
    """A JSONL file of the first ant-news articles that together make about n_chunks chunks."""
    out = CACHE / (f"ant-{n_chunks}" + (f"-c{chunk_size}" if chunk_size else "") + ".jsonl")
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
    embedder = SyntheticEmbedder() if SYNTHETIC else None
    return Agent(settings, embedder=embedder, llm=None), ant_subset(n_chunks, chunk_size)


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
    from rag.indexing import TIMES

    t0 = time.perf_counter()
    report = agent.ingest([subset], progress=True)
    return {"ingest_seconds_this_run": round(time.perf_counter() - t0, 1), "embedded_this_run": report.chunks,
            "embedding_seconds": round(TIMES.embed, 1), "texts_embedded": TIMES.texts_embedded,
            "store_seconds": round(TIMES.store, 1), "events_seconds": round(TIMES.events, 1),
            "lexical_rebuild_seconds": round(TIMES.lexical, 1)}


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


ASK_QUESTIONS = [ROOT / "eval" / "sets" / "ant.jsonl", ROOT / "eval" / "sets" / "dev.jsonl"]


def bench_scale(n_chunks: int, chunk_size: int | None, queries: list[str], asks: int = 60) -> dict:
    """Latency of one query embedding, hybrid retrieval and an extractive ask over an index of n_chunks, and their ratios.

    Runs in its own process (see main), so the first query is the first after start and the peak RSS is this size's alone.
    """
    started = time.perf_counter()
    agent, _ = scale_agent(n_chunks, chunk_size)
    opened = time.perf_counter() - started  # embedder, Chroma client, gazetteer: loaded before any query
    built = build_scale(n_chunks, chunk_size) if agent.store.count() == 0 else {"embedded_this_run": 0}
    from rag.events_store import refresh_stale

    t_refresh = time.perf_counter()  # as the next `rag ingest` with this code does: events made by older code stored anew
    built["events_refreshed"] = refresh_stale(agent.store, agent.gazetteer, agent.settings.events)
    built["events_refresh_seconds"] = round(time.perf_counter() - t_refresh, 1)
    if built["embedded_this_run"] or built["events_refreshed"]:  # written in this process: measure the first query from a fresh agent
        agent, _ = scale_agent(n_chunks, chunk_size)
    t0 = time.perf_counter()
    agent.retriever.retrieve(queries[0])  # the first query after start: maps the saved lexical index, builds nothing
    first = time.perf_counter() - t0
    rebuilt = agent.retriever.lexical.rebuilds
    embed_ms, retrieve_ms = [], []
    for q in queries:
        t = time.perf_counter()
        vector = embed_query(agent.embedder, q)
        embed_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        agent.retriever.retrieve(q, query_vector=vector)
        retrieve_ms.append((time.perf_counter() - t) * 1000 + embed_ms[-1])  # as `ask` runs it: embedding included
    # distinct questions, none asked before in this process (the caches keyed on text hold only what
    # earlier questions' evidence put there, as in a real session): ant's, then dev's
    questions = list(dict.fromkeys(json.loads(line)["question"] for path in ASK_QUESTIONS for line in path.open(encoding="utf-8")))
    agent.ask(questions[0])
    ask_ms, ask_embed_ms = [], []
    for q in questions[1 : asks + 1]:
        t = time.perf_counter()
        agent.ask(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
    for q in questions[1 : asks + 1]:  # the asks' own unit: these questions are longer than XQuAD's (more tokens to embed)
        t = time.perf_counter()
        embed_query(agent.embedder, q)
        ask_embed_ms.append((time.perf_counter() - t) * 1000)
    one_asked = statistics.median(ask_embed_ms)
    one = statistics.median(embed_ms)
    return {
        "chunks": agent.store.count(),
        "articles": len(agent.articles()),
        "chunk_size_words": agent.settings.chunk.size,
        "chunk_overlap_words": agent.settings.chunk.overlap,
        "vectors": "synthetic (hash) chunk and sentence vectors, real e5 query embedding" if SYNTHETIC else "e5-small-q4",
        **{k: v for k, v in built.items()},
        "open_seconds": round(opened, 2),
        "first_query_seconds": round(first, 2),
        "lexical_rebuilds_at_query_time": rebuilt,
        "query_embedding_p50_ms": round(one, 1),
        "query_embedding_p95_ms": round(quantile(embed_ms, 0.95), 1),
        "queries": len(retrieve_ms),
        "p50_ms": round(statistics.median(retrieve_ms), 1),
        "p95_ms": round(quantile(retrieve_ms, 0.95), 1),
        "retrieval_p95_to_one_embedding": round(quantile(retrieve_ms, 0.95) / one, 1),
        "asks": len(ask_ms),
        "ask_p50_ms": round(statistics.median(ask_ms), 1),
        "ask_p95_ms": round(quantile(ask_ms, 0.95), 1),
        "ask_p95_to_one_embedding": round(quantile(ask_ms, 0.95) / one, 1),
        "asked_question_embedding_p50_ms": round(one_asked, 1),
        "ask_p95_to_one_embedding_of_asked_questions": round(quantile(ask_ms, 0.95) / one_asked, 1),
        "sentences_embedded_at_ask_time": agent.retriever.sentences.embedded,
        "index_bytes_per_chunk": round(index_bytes(agent) / max(1, agent.store.count())),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def index_bytes(agent: Agent) -> int:
    """Bytes on disk of a local index folder (Chroma and the saved lexical index)."""
    root = Path(agent.settings.store.index_dir)
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def bench_lexical(n_chunks: int, chunk_size: int | None, queries: list[str], child: bool = False) -> dict:
    """The lexical half alone at n_chunks: rebuild time, then (in a fresh process) map time, first and p95 search.

    No Chroma and no vectors: what an ingest's lexical rebuild costs and what a reader pays for BM25
    (a hit's chunk text is then read from Chroma, not measured here). For sizes whose full index is out of reach.
    """
    from rag import arabic
    from rag.documents import Chunk  # noqa: F401 - chunks come from chunk_article
    from rag.gazetteer import Gazetteer
    from rag.lexical import LexicalIndex

    folder = CACHE / f"lexical-{scale_name(n_chunks, chunk_size)}"
    if not child:
        settings = scale_settings(chunk_size)
        chunks = []
        for line in ant_subset(n_chunks, chunk_size).open(encoding="utf-8"):
            r = json.loads(line)
            article = build_article(RawDoc(r["id"], r["text"], "bench", r.get("title", ""), r.get("source", ""), r.get("url", ""), r.get("date", ""), "record"))
            chunks += chunk_article(article, settings.chunk.size, settings.chunk.overlap)
        t = time.perf_counter()
        index = LexicalIndex.from_chunks(chunks, "bench")
        build = time.perf_counter() - t
        shutil.rmtree(folder, ignore_errors=True)
        index.save(folder)
        return {"chunks": len(chunks), "rebuild_seconds_from_texts": round(build, 1)}
    gaz = Gazetteer.load()
    from rag.embeddings import make_embedder

    embedder = make_embedder("e5-small-q4")
    t = time.perf_counter()
    index = LexicalIndex.load(folder, "bench")
    tokens = arabic.tokens(queries[0]) + arabic.tokens(" ".join(gaz.expand_query(queries[0])))
    index.search(tokens, 50)
    first = time.perf_counter() - t
    embed_ms, search_ms = [], []
    for q in queries:
        t = time.perf_counter()
        embed_query(embedder, q)
        embed_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        tokens = (arabic.tokens(q) if arabic.is_arabic(q) else []) + arabic.tokens(" ".join(gaz.expand_query(q)))
        index.search(tokens, 50)
        search_ms.append((time.perf_counter() - t) * 1000)
    one = statistics.median(embed_ms)
    return {"map_and_first_search_seconds": round(first, 3), "query_embedding_p50_ms": round(one, 1),
            "search_p50_ms": round(statistics.median(search_ms), 1), "search_p95_ms": round(quantile(search_ms, 0.95), 1),
            "search_p95_to_one_embedding": round(quantile(search_ms, 0.95) / one, 2),
            "folder_mb": round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6, 1),
            "reader_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


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
    parser.add_argument("--asks", type=int, default=60, help="extractive asks timed per size")
    parser.add_argument("--synthetic", action="store_true", help="hash chunk/sentence vectors, real query embedding (latency only)")
    parser.add_argument("--lexical-only", action="store_true", help="the saved BM25 index alone at each size (no Chroma, no vectors)")
    parser.add_argument("--measure-one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global SYNTHETIC
    SYNTHETIC = args.synthetic
    if not ANT.exists() or not XQUAD.exists():
        print(f"skipped: needs {ANT} and {XQUAD} (the shared corpus beside the repo)")
        return 0
    rows = [json.loads(line) for line in XQUAD.open(encoding="utf-8")]
    random.Random(7).shuffle(rows)
    queries = [r["question"] for r in rows[: args.queries]]
    if args.measure_one is not None and not args.lexical_only:  # child process: one size, result as the last line of stdout
        print(json.dumps(bench_scale(args.measure_one, args.chunk_size, queries, args.asks)))
        return 0
    if args.lexical_only and args.measure_one is None:
        results_path = RESULTS / "query.json"
        results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
        for n in args.sizes:
            row = bench_lexical(n, args.chunk_size, queries)
            cmd = [sys.executable, __file__, "--lexical-only", "--measure-one", str(n), "--queries", str(args.queries)]
            cmd += ["--chunk-size", str(args.chunk_size)] if args.chunk_size else []
            child = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
            row.update(json.loads(child.stdout.strip().splitlines()[-1]), date=time.strftime("%Y-%m-%d %H:%M"), machine=machine())
            results.setdefault("lexical", {})[scale_key(n, args.chunk_size)] = row
            print(f"lexical index at {n} chunks: {row}", flush=True)
        RESULTS.mkdir(parents=True, exist_ok=True)
        results_path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        return 0
    if args.lexical_only:
        print(json.dumps(bench_lexical(args.measure_one, args.chunk_size, queries, child=True)))
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
        cmd = [sys.executable, __file__, "--measure-one", str(n), "--queries", str(args.queries), "--asks", str(args.asks)]
        cmd += ["--chunk-size", str(args.chunk_size)] if args.chunk_size else []
        cmd += ["--synthetic"] if args.synthetic else []
        child = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        result["date"] = time.strftime("%Y-%m-%d")
        results["scale"][scale_key(n, args.chunk_size) + ("-synthetic" if args.synthetic else "")] = result
        print(f"{n} chunks: {result}", flush=True)
        print(f"  ratios to one query embedding ({result['query_embedding_p50_ms']} ms): hybrid retrieval p95 "
              f"{result['retrieval_p95_to_one_embedding']}x, extractive ask p95 {result['ask_p95_to_one_embedding_of_asked_questions']}x "
              f"to the asked questions' own embedding ({result['asked_question_embedding_p50_ms']} ms; "
              f"{result['ask_p95_to_one_embedding']}x to the XQuAD question's); "
              f"first query after start {result['first_query_seconds']} s", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
