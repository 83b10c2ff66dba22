"""The runner: build or reuse a set's eval index, ask its questions through `Agent.ask`, and score each into a record."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from .checkout import CACHE_DIR, REPO, XQUAD, commit, now, shown
from .datasets import CANDIDATES, CORPORA, INDEX_OF, INGEST_CODE, MODES, SETS, load_questions, xquad_items
from .gate import calibrate
from .metrics import citation_resolves, facts_present, failure, gold_rank, missing_facts, summarize, summarize_xquad, unique_in_order

# -- the eval index ---------------------------------------------------------------------


def _files(paths: Iterable[Path]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p])
    return out


def fingerprint(paths: Iterable[Path], settings) -> str:
    """Hash of the corpus files, the chunking settings and the ingest code: unchanged means reuse the index."""
    h = hashlib.sha256()
    for f in _files(paths):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    h.update(json.dumps(settings.chunk.model_dump(), sort_keys=True).encode())
    for pattern in INGEST_CODE:
        for f in sorted((REPO / "rag").glob(pattern)):
            h.update(f.read_bytes())
    return h.hexdigest()


def index_name(set_name: str, embedder: str) -> str:
    """Folder name of a set's eval index: <set>-<embedder>, made filesystem-safe."""
    return f"{set_name}-{re.sub(r'[^A-Za-z0-9._-]+', '_', embedder)}"


def corpus_paths(set_name: str, cache_dir: Path, xquad_path: Path = XQUAD) -> list[Path]:
    """The files a set's index is built from (XQuAD's paragraphs are written to the cache first)."""
    if set_name == "xquad":
        articles, _ = xquad_items(xquad_path)
        out = cache_dir / "xquad-paragraphs.jsonl"
        text = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles)
        if not out.is_file() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        return [out]
    if set_name == "all":
        return [*CORPORA["seeds"], *CORPORA["ant"]]
    return list(CORPORA[set_name])


def open_index(set_name: str, settings, *, cache_dir: Path = CACHE_DIR, index_dir: Path | None = None,
               progress: bool = True, xquad_path: Path = XQUAD):
    """An extractive Agent over the set's eval index, built or refreshed unless its fingerprint is unchanged."""
    from ..agent import Agent

    paths = corpus_paths(set_name, Path(cache_dir), xquad_path)
    index_dir = Path(index_dir) if index_dir else Path(cache_dir) / index_name(INDEX_OF.get(set_name, set_name), settings.embed.embedder)
    stamp = index_dir.parent / f"{index_dir.name}.json"
    wanted = fingerprint(paths, settings)
    recorded = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else {}
    if recorded.get("chunk") != settings.chunk.model_dump() and index_dir.exists():
        shutil.rmtree(index_dir)  # unchanged articles would keep their old chunks: start over
    settings.store.index_dir = index_dir
    settings.store.chroma_url = None
    agent = Agent(settings, llm=None)
    info = {"dir": shown(index_dir), "reused": recorded.get("fingerprint") == wanted and index_dir.exists()}
    if not info["reused"]:
        report = agent.ingest(paths, sync=True, progress=progress)
        for err in report.failed:
            print(f"rag eval: ingest: {err}", file=sys.stderr)
        info["ingest"] = report.summary().splitlines()[0]
        stamp.write_text(json.dumps({"fingerprint": wanted, "chunk": settings.chunk.model_dump(),
                                     "built": now()}, indent=2) + "\n", encoding="utf-8")
    else:
        # the stored events of a reused index are the ones an older gazetteer or events code extracted: stored anew,
        # as `rag ingest` does, so asks read them instead of extracting per ask (and latency is a user's)
        from ..events_store import refresh_stale

        refresh_stale(agent.store, agent.gazetteer, settings.events)
    info.update(articles=agent.store.article_count(), chunks=agent.store.count())
    return agent, info


# -- asking ---------------------------------------------------------------------------------


class _Memo:
    """Wraps an embedder and, while on, remembers each batch's vectors: the runner's second look is free."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.cache: dict = {}

    def embed_batch(self, texts, *, is_query: bool = False):
        """The inner embedder's vectors, remembered per batch."""
        key = (tuple(texts), is_query)
        if key not in self.cache:
            self.cache[key] = self.inner.embed_batch(texts, is_query=is_query)
        return self.cache[key]


@contextmanager
def _memoised(agent) -> Iterator[_Memo]:
    memo = _Memo(agent.embedder)
    saved = agent.embedder, agent.store.embedder
    agent.embedder = agent.store.embedder = memo
    try:
        yield memo
    finally:
        agent.embedder, agent.store.embedder = saved


def ask_one(agent, item: dict, mode: str, memo: _Memo, texts: dict) -> dict:
    """Ask one question, time it, and score it into a record."""
    from ..answering import calibrated as cal
    from ..answering import extractive as ex

    question = item["question"]
    history: list[tuple[str, str]] = []  # a follow-up set row (eval/build_followup.py): its earlier turns are answered first, unscored
    for earlier in item.get("history", []):
        history.append((earlier, agent.ask(earlier, mode="extractive" if mode == "extractive" else None, history=list(history)).text))
    memo.cache.clear()  # latency is measured cold: no vector of an earlier question is reused
    started = time.perf_counter()
    answer = agent.ask(question, mode="extractive" if mode == "extractive" else None, history=history or None)
    latency = time.perf_counter() - started
    got = answer.gathered  # what the answer was made from (filters, sources, evidence, rules): one pass
    period = got.period
    # retrieval is scored on the retrieval the answer used: its numbered sources, in order
    retrieved = unique_in_order(src.article_id for src in answer.sources)
    gold = item.get("gold_article_ids", [])
    facts = item.get("key_facts", [])
    source_ids = [s.chunk_id for s in answer.sources]
    for c in answer.citations:
        if c.article_id not in texts:
            texts[c.article_id] = agent.article_text(c.article_id)
    answered = item["answerable"] and not answer.abstained
    missing = missing_facts(answer.text, facts) if item["answerable"] and not answer.abstained else [list(f) for f in facts]
    would_pass = None
    if mode == "extractive" and item["answerable"]:
        chosen = cal.choose(got.scored, agent.calibration.select, got.info, agent.settings.answer.max_sentences) if got.scored else []
        would_pass = facts_present(ex.compose(question, chosen)[0], facts) if chosen else False
    record = {
        "id": item["id"],
        "set": item.get("set", item.get("dataset", "")),
        "question": question,
        "lang": item["lang"],
        "answerable": item["answerable"],
        "gold_article_ids": gold,
        "key_facts": facts,
        "retrieved": retrieved,
        "gold_rank": gold_rank(retrieved, gold) if gold else None,
        "gold_in_sources": any(s.article_id in set(gold) for s in answer.sources) if gold else None,
        "period": period,
        "history": item.get("history", []),
        "about": getattr(got, "about", ""),  # what a follow-up carried, or how the LLM read it
        "abstained": answer.abstained,
        "abstain_reason": answer.abstain_reason,
        "passed": (not answer.abstained and not missing) if item["answerable"] else None,
        "missing_facts": missing if item["answerable"] else [],
        "would_pass": would_pass,
        "supported": facts_present("\n".join(c.quote for c in answer.citations), facts) if answered else None,
        "citations": len(answer.citations),
        "citations_resolved": sum(citation_resolves(c, texts[c.article_id], source_ids) for c in answer.citations),
        "citations_gold": sum(c.article_id in set(gold) for c in answer.citations),
        "best_similarity": None if got.best_similarity is None else round(got.best_similarity, 6),
        "missing_names": got.missing_names,
        "type_missing": got.type_missing,
        "answerable_p": None if got.answerable is None else round(got.answerable, 4),
        "features": {k: round(v, 5) for k, v in (got.features or {}).items()},
        # the select model's training rows: each top candidate's features and whether it holds a key fact
        "candidates": [[{k: round(v, 5) for k, v in f.items()}, any(facts_present(ev.text, [fact]) for fact in facts)]
                       for ev, f in zip(got.scored.evidence[:CANDIDATES], got.scored.features[:CANDIDATES])]
                      if got.scored else [],
        "latency_s": round(latency, 4),
        "mode": answer.mode,
        "llm_error": answer.llm_error,
        "support": answer.support,  # the support check's counts (claims, citations supported / unsupported / unresolved)
        "unsupported": [{"claim": x.text, "why": v.get("why", "")} for x in answer.sentences for v in x.support.values()
                        if v.get("status") == "unsupported"],
        "answer": answer.text,
    }
    record["failure"] = failure(record)
    return record


def run(set_name: str = "seeds", mode: str = "extractive", limit: int | None = None, progress: bool = True, agent=None,
        *, settings=None, cache_dir: Path = CACHE_DIR, index_dir: Path | None = None, xquad_path: Path = XQUAD) -> dict:
    """Ask a set's questions over its eval index (built or reused) and return metrics, calibration and records."""
    from tqdm import tqdm

    from .. import llm as llm_mod
    from ..settings import Settings

    if set_name not in SETS:
        raise ValueError(f"unknown eval set '{set_name}'; choose one of {', '.join(SETS)}")
    if mode not in MODES:
        raise ValueError(f"unknown mode '{mode}'; choose extractive or llm")
    started = time.perf_counter()
    questions = xquad_items(xquad_path, limit)[1] if set_name == "xquad" else load_questions(set_name, limit)
    index_info = {"dir": None, "reused": True, "given": True}
    if agent is None:
        settings = settings or Settings.load()
        agent, index_info = open_index(set_name, settings, cache_dir=cache_dir, index_dir=index_dir,
                                       progress=progress, xquad_path=xquad_path)
        if mode == "llm":
            agent.llm = llm_mod.make_chat_model(settings.llm)
    if mode == "llm" and agent.llm is None:
        raise ValueError("--mode llm needs an LLM: set RAG_LLM_BASE_URL and RAG_LLM_MODEL (or [llm] in rag.toml)")
    agent.retriever.bm25()  # built once here, not inside the first question's latency
    records: list[dict[str, Any]] = []
    texts: dict[str, str | None] = {}  # article texts by id, read once for citation checks
    with _memoised(agent) as memo, tqdm(questions, desc=f"eval {set_name}", unit="q", file=sys.stderr,
                                        disable=not progress, dynamic_ncols=True, mininterval=1.0) as bar:
        for item in bar:
            records.append(ask_one(agent, item, mode, memo, texts))
    s = agent.settings
    report: dict[str, Any] = {
        "set": set_name,
        "mode": mode,
        "date": date.today().isoformat(),
        "created": now(),
        "commit": commit(),
        "machine": {"cpus": os.cpu_count(), "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
                    "python": platform.python_version(), "platform": platform.platform()},
        "settings": {
            "embedder": s.embed.embedder,
            "retrieval": s.retrieval.model_dump(),
            "chunk": s.chunk.model_dump(),
            "min_support": s.answer.min_support,
            "max_sentences": s.answer.max_sentences,
            "llm": llm_mod.label(s.llm) if agent.llm is not None else None,
        },
        "limit": limit,
        "index": index_info,
    }
    if set_name == "xquad":
        report["metrics"] = summarize_xquad(records)
        report["calibration"] = None  # no unanswerable questions: nothing to calibrate against
    else:
        report["metrics"] = summarize(records)
        report["by_lang"] = {lang: summarize([r for r in records if r["lang"] == lang]) for lang in ("en", "ar")}
        if set_name == "all":
            report["by_set"] = {name: summarize([r for r in records if r["set"] == name]) for name in ("seeds", "ant")}
        report["calibration"] = calibrate(records, current=s.answer.min_support)
    report["failures"] = [{"id": r["id"], "failure": r["failure"]} for r in records if r["failure"]]
    if mode == "llm":
        report["llm_fallbacks"] = sum(1 for r in records if r["llm_error"])  # answers the LLM failed to write
    if set_name == "xquad":
        for r in records:  # 2,380 long answers would make a results file of megabytes: keep the failed ones
            if not r["failure"]:
                r.pop("answer")
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["records"] = records
    return report


