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

Also measured in the same run: one query embedding (the median over the questions), so
every p95 is printed as a ratio to it too; and (unless `--no-http`) the same levels through
the app's HTTP API, `/ask`, twice: via gradio_client ("http") and as a plain POST to
/gradio_api/run/ask with urllib ("http-plain"); the app runs as a subprocess on the Chroma
server copy and serves `/ask` outside Gradio's queue (rag/ui/app.py). Both kinds of client
run in this process, on the same cores as the app.
`--synthetic`: the index of bench/query.py --synthetic (hash chunk and sentence vectors,
real e5 query embedding): the real code path's latency, meaningless answers; used
because embedding 10k default-size chunks and their sentences takes hours on a busy
2-core machine.
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

import query  # noqa: E402
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
    agent = query.scale_agent(n_chunks, None)[0] if query.SYNTHETIC else agent_for(CACHE / f"ant-{n_chunks}-index")
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
        for name in ("chunks", "manifest", "sentences", "events", "meta"):
            source, target = _collection(local.store, name), _collection(store, name)
            for offset in range(0, source.count(), 1000):
                page = source.get(include=include, limit=1000, offset=offset)
                target.upsert(ids=page["ids"], embeddings=page["embeddings"], documents=page["documents"], metadatas=page["metadatas"])
        print(f"copied the index to the server in {time.perf_counter() - started:.0f} s", flush=True)
    agent = Agent(settings, store=store, llm=None)
    from rag.events_store import refresh_stale  # events stored by older code: stored anew, as `rag ingest` does

    if refreshed := refresh_stale(store, agent.gazetteer, settings.events):
        print(f"stored the events of {refreshed} articles anew on the server copy", flush=True)
    return agent


def _collection(store: Store, name: str):
    """A collection of the index by role: chunks, manifest, a derived kind, or the version row."""
    if name in ("chunks", "manifest"):
        return getattr(store, name)
    if name == "meta":
        from rag import version

        return version._collection(store)
    return store.derived(name)


def one_embedding_ms(agent: Agent, questions: list[str]) -> float:
    """The median time of embedding one question (the unit of every ratio)."""
    from rag.embeddings import embed_query

    times = []
    for q in questions:
        t = time.perf_counter()
        embed_query(agent.embedder, q)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def app_process(server: ChromaServer, collection: str, index_dir: Path, port: int):
    """The app (`python app.py`) on the Chroma server copy, as a subprocess; with --synthetic, on the synthetic embedder."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    env.update(RAG_CHROMA_URL=server.url, RAG_COLLECTION=collection, RAG_INDEX_DIR=str(index_dir),
               GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False", PYTHONUNBUFFERED="1")
    launch = ("import runpy, sys; sys.path.insert(0, %r); sys.argv = ['app.py', '--port', '%d']; " % (str(ROOT / "bench"), port))
    if query.SYNTHETIC:  # bench only: the app's embedder is the synthetic one the index was built with
        env["RAG_EMBEDDER"] = query.SyntheticEmbedder.name
        launch += "import query, rag.embeddings as e; e._CACHE[query.SyntheticEmbedder.name] = query.SyntheticEmbedder(); "
    launch += "runpy.run_path(%r, run_name='__main__')" % str(ROOT / "app.py")
    log = open(CACHE / "load-app.log", "wb")
    return subprocess.Popen([sys.executable, "-c", launch], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def run_http_level(url: str, questions: list[str], clients: int, asks: int) -> dict:
    """asks questions through `clients` concurrent gradio_client clients of the app's /ask endpoint."""
    from gradio_client import Client

    pool_clients = [Client(url, verbose=False, analytics_enabled=False, download_files=False) for _ in range(clients)]

    def one(i: int):
        q = questions[i % len(questions)]
        started = time.perf_counter()
        try:
            result = pool_clients[i % clients].predict(question=q, api_name="/ask")
            return time.perf_counter() - started, bool(result.get("abstained") or result.get("citations")), None
        except Exception as exc:  # noqa: BLE001 - counted and shown
            return time.perf_counter() - started, False, f"{exc.__class__.__name__}: {exc}"

    return _summarise(one, clients, asks)


def run_plain_http_level(url: str, questions: list[str], clients: int, asks: int) -> dict:
    """asks questions through `clients` concurrent plain HTTP clients (urllib, as `curl` would): POST /gradio_api/run/ask."""
    import urllib.request

    endpoint = url.rstrip("/") + "/gradio_api/run/ask"

    def one(i: int):
        q = questions[i % len(questions)]
        started = time.perf_counter()
        try:
            body = json.dumps({"data": [q, "", "", []]}).encode("utf-8")
            request = urllib.request.Request(endpoint, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as response:
                result = json.loads(response.read())["data"][0]
            return time.perf_counter() - started, bool(result.get("abstained") or result.get("citations")), None
        except Exception as exc:  # noqa: BLE001 - counted and shown
            return time.perf_counter() - started, False, f"{exc.__class__.__name__}: {exc}"

    return _summarise(one, clients, asks)


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

    return _summarise(one, clients, asks)


def _summarise(one, clients: int, asks: int) -> dict:
    """Run one(i) for i < asks on `clients` threads: latency percentiles, throughput, errors."""
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
    parser.add_argument("--synthetic", action="store_true", help="the synthetic-vector index of bench/query.py --synthetic")
    parser.add_argument("--no-http", action="store_true", help="skip the levels through the app's HTTP API")
    args = parser.parse_args()
    if not ANT.exists():
        print(f"skipped: needs {ANT} (the shared corpus beside the repo)")
        return 0
    query.SYNTHETIC = args.synthetic
    questions = [json.loads(line)["question"] for line in QUESTIONS.open(encoding="utf-8")]
    local = local_agent(args.chunks)
    name = f"chroma-server-{args.chunks}" + ("-synthetic" if args.synthetic else "")
    server = ChromaServer(CACHE / name, log=CACHE / f"{name}.log").start()
    one = one_embedding_ms(local, questions)
    results: dict = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "embedder": local.embedder.name,
        "vectors": "synthetic (hash) chunk and sentence vectors, real e5 query embedding" if args.synthetic else local.embedder.name,
        "chunks": local.store.count(),
        "articles": local.store.manifest.count(),
        "questions": f"{len(questions)} questions of {QUESTIONS.relative_to(ROOT)}, cycled",
        "mode": "extractive (no LLM)",
        "one_query_embedding_ms": round(one, 1),
        "modes": {},
    }
    print(f"one query embedding: {one:.1f} ms (median over {len(questions)} questions)", flush=True)
    app = None
    try:
        remote = server_agent(local, server)
        stores = {"local": local, "server": remote}
        for mode, base in stores.items():
            results["modes"][mode] = {}
            for clients in args.clients:
                # A fresh Agent per level: every level starts with the same cold in-process caches.
                agent = Agent(base.settings, store=base.store, llm=None)
                started = time.perf_counter()
                agent.ask(WARM_UP)  # not timed (the server client maps or, the first time, rebuilds the lexical index)
                print(f"{mode}: warm-up ask {time.perf_counter() - started:.1f} s", flush=True)
                one = one_embedding_ms(agent, questions[:10])  # per level: the machine's load moves during a run
                row = run_level(agent, questions, clients, max(args.asks, clients))
                row["one_query_embedding_ms"] = round(one, 1)
                row["p95_to_one_embedding"] = round(row["p95_s"] * 1000 / one, 1)
                results["modes"][mode][str(clients)] = row
                _print_row(mode, clients, row)
        if not args.no_http:
            from tests.chroma_server import free_port

            port = free_port()
            app = app_process(server, remote.settings.store.collection, Path(remote.settings.store.index_dir), port)
            url = f"http://127.0.0.1:{port}/"
            _wait_for(url, app)
            run_http_level(url, questions, 1, 1)  # warm-up, not timed
            # two clients of the same endpoint: gradio_client (its own work shares these 2 cores) and a plain POST
            for mode, level in (("http", run_http_level), ("http-plain", run_plain_http_level)):
                results["modes"][mode] = {}
                for clients in args.clients:
                    one = one_embedding_ms(local, questions[:10])
                    row = level(url, questions, clients, max(args.asks, clients))
                    row["one_query_embedding_ms"] = round(one, 1)
                    row["p95_to_one_embedding"] = round(row["p95_s"] * 1000 / one, 1)
                    results["modes"][mode][str(clients)] = row
                    _print_row(mode, clients, row)
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        if app is not None:
            app.terminate()
            app.wait(timeout=30)
        server.stop()
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"\nclients | mode   | p50 / p95 (s)   | p95 / one query embedding ({one:.1f} ms) | asks/s | errors")
    for mode, rows in results["modes"].items():
        for clients, r in rows.items():
            print(f"{clients:>7} | {mode:10} | {r['p50_s']:6.2f} / {r['p95_s']:6.2f} | {r['p95_to_one_embedding']:8.1f}x"
                  f"{'':27}| {r['throughput_per_s']:6.2f} | {r['errors']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("load-synthetic.json" if args.synthetic else "load.json")
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _print_row(mode: str, clients: int, row: dict) -> None:
    print(f"{mode:6} {clients:3} clients: p50 {row['p50_s']:6.2f} s  p95 {row['p95_s']:6.2f} s ({row['p95_to_one_embedding']}x one query embedding)  "
          f"{row['throughput_per_s']:5.2f} asks/s  answered {row['answered']}/{row['asks']}  errors {row['errors']}", flush=True)


def _wait_for(url: str, proc, timeout: float = 300) -> None:
    """Until the app answers on url (raises with its log if it exits or times out)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}; see {CACHE / 'load-app.log'}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the app did not answer on {url} within {timeout} s; see {CACHE / 'load-app.log'}")


if __name__ == "__main__":
    sys.exit(main())
