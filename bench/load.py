"""Load benchmark: concurrent asks (1, 5, 20 clients) over 10k chunks of ant-news, local and server mode side by side.

    python bench/load.py                         # 1, 5, 20 clients; 40 asks per level and mode
    python bench/load.py --clients 1 5 20 --asks 60

Each level sends `--asks` questions (the 38 of eval/sets/ant.jsonl, cycled) through a pool of
that many client threads sharing one extractive Agent (a fresh one per level, so each starts
with the same cold sentence cache), and reports per-ask latency p50/p95, throughput and errors;
an ask counts as answered when it is cited or abstains. The same index
is served twice: the local folder bench/cache/ant-10000-index (built by bench/query.py's
helpers, reused) and a `chroma run` server over bench/cache/chroma-server-10000 holding a copy
of it (vectors copied, not re-embedded). Needs ../shared; says so and exits 0 when absent.
Results: printed, and written to bench/results/load.json with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from query import ANT, CACHE, RESULTS, agent_for, ant_subset, machine  # noqa: E402

from rag.agent import Agent  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.store import Store  # noqa: E402
from tests.chroma_server import ChromaServer  # noqa: E402

QUESTIONS = ROOT / "eval" / "sets" / "ant.jsonl"
WARM_UP = "ما آخر الأخبار؟"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank quantile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def local_agent(n_chunks: int) -> Agent:
    """The cached local index of n_chunks ant-news chunks (built on first use, then only checked)."""
    agent = agent_for(CACHE / f"ant-{n_chunks}-index")
    report = agent.ingest([ant_subset(n_chunks)], progress=True)
    if report.articles:
        print(f"built the local index: {report.summary()}", flush=True)
    return agent


def server_agent(local: Agent, server: ChromaServer) -> Agent:
    """An Agent on the server whose collections hold a copy of the local index (copied when they differ)."""
    settings = Settings.load()
    settings.store.chroma_url = server.url
    settings.store.collection = local.settings.store.collection
    store = Store(settings.store, local.embedder)
    if store.count() != local.store.count() or store.manifest.count() != local.store.manifest.count():
        started = time.perf_counter()
        include = ["embeddings", "documents", "metadatas"]
        for name in ("chunks", "manifest"):
            source, target = getattr(local.store, name), getattr(store, name)
            for offset in range(0, source.count(), 1000):
                page = source.get(include=include, limit=1000, offset=offset)
                target.upsert(ids=page["ids"], embeddings=page["embeddings"], documents=page["documents"], metadatas=page["metadatas"])
        print(f"copied the index to the server in {time.perf_counter() - started:.0f} s", flush=True)
    return Agent(settings, store=store, llm=None)


def run_level(agent: Agent, questions: list[str], clients: int, asks: int) -> dict:
    """asks questions through `clients` concurrent threads: latency percentiles, throughput, errors."""

    def one(i: int):
        q = questions[i % len(questions)]
        started = time.perf_counter()
        try:
            answer = agent.ask(q)
            ok = bool(answer.abstained or answer.citations)
            return time.perf_counter() - started, ok, None
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            return time.perf_counter() - started, False, f"{exc.__class__.__name__}: {exc}"

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        done = list(pool.map(one, range(asks)))
    wall = time.perf_counter() - started
    latencies = [t for t, _, _ in done]
    errors = [e for _, _, e in done if e]
    return {
        "clients": clients,
        "asks": asks,
        "answered": sum(1 for _, ok, _ in done if ok),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "p50_s": round(statistics.median(latencies), 2),
        "p95_s": round(percentile(latencies, 0.95), 2),
        "max_s": round(max(latencies), 2),
        "throughput_per_s": round(asks / wall, 2),
        "wall_s": round(wall, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=10000, help="index size in chunks (default 10000)")
    parser.add_argument("--clients", type=int, nargs="*", default=[1, 5, 20])
    parser.add_argument("--asks", type=int, default=40, help="asks per level and mode (at least the client count)")
    args = parser.parse_args()
    if not ANT.exists():
        print(f"skipped: needs {ANT} (the shared corpus beside the repo)")
        return 0
    questions = [json.loads(line)["question"] for line in QUESTIONS.open(encoding="utf-8")]
    local = local_agent(args.chunks)
    server = ChromaServer(CACHE / f"chroma-server-{args.chunks}", log=CACHE / f"chroma-server-{args.chunks}.log").start()
    results: dict = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "embedder": local.embedder.name,
        "chunks": local.store.count(),
        "articles": local.store.manifest.count(),
        "questions": f"{len(questions)} questions of {QUESTIONS.relative_to(ROOT)}, cycled",
        "mode": "extractive (no LLM)",
        "modes": {},
    }
    try:
        stores = {"local": local, "server": server_agent(local, server)}
        for mode, base in stores.items():
            results["modes"][mode] = {}
            for clients in args.clients:
                # A fresh Agent per level: every level starts with the same cold sentence cache.
                agent = Agent(base.settings, store=base.store, llm=None)
                started = time.perf_counter()
                agent.ask(WARM_UP)  # BM25 over every chunk built, not timed
                print(f"{mode}: warm-up ask {time.perf_counter() - started:.1f} s", flush=True)
                row = run_level(agent, questions, clients, max(args.asks, clients))
                results["modes"][mode][str(clients)] = row
                print(f"{mode:6} {clients:3} clients: p50 {row['p50_s']:6.2f} s  p95 {row['p95_s']:6.2f} s  "
                      f"{row['throughput_per_s']:5.2f} asks/s  answered {row['answered']}/{row['asks']}  errors {row['errors']}", flush=True)
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        server.stop()
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print("\nclients | local p50 / p95 (s) | server p50 / p95 (s) | errors local / server")
    for clients in args.clients:
        lo, sv = results["modes"]["local"][str(clients)], results["modes"]["server"][str(clients)]
        print(f"{clients:7} | {lo['p50_s']:6.2f} / {lo['p95_s']:6.2f}     | {sv['p50_s']:6.2f} / {sv['p95_s']:6.2f}      | {lo['errors']} / {sv['errors']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS / 'load.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
