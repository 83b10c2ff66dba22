"""Ingest benchmark: the first N articles of ant-news (N = 500 and 2,000) into a fresh local index.

    python bench/ingest.py              # N = 500 and 2000
    python bench/ingest.py --sizes 500

Reports articles/s, chunks/s, peak RSS, the raw embedder's throughput on the same
chunks in the same run (an even sample of up to 1,000 of them; and the ratio of the two), and the time to re-ingest the
unchanged corpus (nothing is embedded). Needs ../shared; says so and exits 0
when absent. Writes bench/results/ingest.json.

Since sentence vectors, events and the lexical index are made at ingest (rag/indexing.py):
`embedding_seconds` is the time inside the one embedding pass (chunks and their
sentences), `beyond_embedding_ratio` = (ingest time - embedding time) / embedding time
(the issue's target: at most 0.10), with the store writes, event extraction and
lexical rebuild timed apart; `index_bytes_per_chunk` is the index folder's size
(Chroma and the saved lexical index) over the chunk count.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from query import ANT, CACHE, RESULTS, agent_for, machine  # noqa: E402

from rag.embeddings import embed_documents  # noqa: E402

RAW_SAMPLE = 1000  # chunks re-embedded by the embedder alone, evenly spread over the ingested ones


def first_articles(n: int) -> Path:
    """A JSONL file of the first n ant-news articles."""
    out = CACHE / f"ant-first-{n}.jsonl"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(ANT, "rt", encoding="utf-8") as fh, out.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(fh):
                if i >= n:
                    break
                dst.write(line)
    return out


def bench(n: int) -> dict:
    """Ingest n articles into an empty index, time it, then time the embedder alone on the same chunks."""
    corpus = first_articles(n)
    index = CACHE / f"ingest-bench-{n}"
    shutil.rmtree(index, ignore_errors=True)
    agent = agent_for(index)
    from rag.indexing import TIMES

    for name in ("embed", "store", "events", "lexical"):
        setattr(TIMES, name, 0.0)
    TIMES.texts_embedded = 0
    t0 = time.perf_counter()
    report = agent.ingest([corpus], progress=True)
    seconds = time.perf_counter() - t0
    parts = {"embedding_seconds": round(TIMES.embed, 1), "texts_embedded": TIMES.texts_embedded,
             "store_seconds": round(TIMES.store, 1), "events_seconds": round(TIMES.events, 1),
             "lexical_rebuild_seconds": round(TIMES.lexical, 1),
             "beyond_embedding_ratio": round((seconds - TIMES.embed) / max(TIMES.embed, 1e-9), 3),
             "index_bytes_per_chunk": round(sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / max(1, report.chunks))}
    texts = [c.text for c in agent.store.all_chunks()]
    texts = texts[:: max(1, len(texts) // RAW_SAMPLE)][:RAW_SAMPLE]  # an even sample keeps the ratio honest and the run short
    t1 = time.perf_counter()
    embed_documents(agent.embedder, texts, agent.settings.embed.embed_batch)
    raw = time.perf_counter() - t1
    t2 = time.perf_counter()
    again = agent.ingest([corpus], progress=False)
    reingest = time.perf_counter() - t2
    result = {
        "articles": report.articles,
        "chunks": report.chunks,
        "failed": len(report.failed),
        "seconds": round(seconds, 1),
        "articles_per_s": round(report.articles / seconds, 2),
        "chunks_per_s": round(report.chunks / seconds, 2),
        "raw_embedder_chunks_per_s": round(len(texts) / raw, 2),
        "raw_embedder_sample_chunks": len(texts),
        "ingest_to_embedder_ratio": round((report.chunks / seconds) / (len(texts) / raw), 3),
        **parts,
        "reingest_seconds": round(reingest, 2),
        "reingest_skipped": again.skipped,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    shutil.rmtree(index, ignore_errors=True)
    print(f"N={n}: {result}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 2000])
    parser.add_argument("--out", default="ingest.json", help="file name under bench/results/")
    args = parser.parse_args()
    if not ANT.exists():
        print(f"skipped: needs {ANT} (the shared corpus beside the repo)")
        return 0
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "embedder": "e5-small-q4", "runs": {}}
    for n in args.sizes:
        results["runs"][str(n)] = bench(n)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS / args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
