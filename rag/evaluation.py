"""Grounded evaluation: ask the Q/A sets of eval/ and score retrieval, answers, citations, abstention and latency.

    from rag.evaluation import run, calibrate
    report = run("seeds")          # builds or reuses the index in eval/.cache/seeds-e5-small-q4/
    report["metrics"]["recall_at_5"], report["calibration"]["threshold"]

    rag eval --set seeds|ant|all|xquad [--mode extractive|llm] [--limit N] [--json] [--check]

Sets: `seeds` (rag/data/sample/ with eval/sets/seeds.jsonl), `ant` (eval/corpus/ant-eval.jsonl
with eval/sets/ant.jsonl), `all` (both corpora in one index, both sets) and `xquad`
(../shared/benchmarks/xquad-ar.jsonl: its 240 paragraphs indexed as articles, Arabic and
English questions scored apart; `--limit N` asks N of each language, spread over the file).

Definitions (the pure functions below compute them from per-question records):
- retrieval: article-level recall@1, recall@5 and MRR over the top 10 hits of
  `agent.retriever.retrieve`, deduplicated by article in rank order; answerable questions only;
- key-fact accuracy: an answerable question passes when the answer text holds at least one
  variant of every key fact, compared by `match_key`; an abstention fails;
- citations: a citation resolves when its quote is exactly the article's text at its
  offsets and its chunk was one of the answer's sources (must be 1.0); citation support
  (after ALCE, Gao et al. 2023) is the share of answered, answerable questions whose cited
  quotes together hold every key fact; citations per answer counts answered questions only;
  ALCE citation recall and precision are judged by the support check (`alce_scores`);
- abstention: precision and recall of "not in the sources" on the unanswerable questions,
  and false abstentions on the answerable ones;
- latency: p50 and p95 of `agent.ask`, per question, in seconds.

Each record also keeps the best evidence similarity (`best_similarity`, computed as
`Agent.stream` does) and, in extractive mode, whether the answer would have passed had it
not abstained, so `calibrate` can recommend `answer.min_support`. `main` writes
eval/results/<date>-<set>-<mode>.json and, with `--check`, compares the metrics with the
floors in eval/thresholds.toml.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import re
import shutil
import sys
import time
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from . import arabic
from .resources import data_path

REPO = Path(__file__).resolve().parents[1]
EVAL_DIR = REPO / "eval"
SAMPLE = data_path("sample")
XQUAD = REPO.parent / "shared" / "benchmarks" / "xquad-ar.jsonl"
THRESHOLDS = EVAL_DIR / "thresholds.toml"
RESULTS_DIR = EVAL_DIR / "results"
CACHE_DIR = EVAL_DIR / ".cache"
SETS = ("seeds", "ant", "all", "xquad", "dev", "test", "offtopic", "followup")
MODES = ("extractive", "llm")
RETRIEVE_K = 10
CANDIDATES = 25  # candidate sentences per answerable question kept in a record to fit the select model
NEWS = (EVAL_DIR / "corpus" / "news.jsonl",)  # the dev/test corpus (eval/build_news.py): one index, three sets
CORPORA = {"seeds": (SAMPLE,), "ant": (EVAL_DIR / "corpus" / "ant-eval.jsonl",), "dev": NEWS, "test": NEWS, "offtopic": NEWS, "followup": NEWS}
# Sets asked over one shared index: the index is named after the corpus, not the set.
INDEX_OF = {"dev": "news", "test": "news", "offtopic": "news", "followup": "news"}
QUESTIONS = {name: EVAL_DIR / "sets" / f"{name}.jsonl" for name in ("seeds", "ant", "dev", "test", "offtopic", "followup")}
# Code whose changes alter what ingest stores; part of the cache fingerprint, so a change re-ingests
# (incrementally: only articles whose cleaned text or metadata changed are re-embedded).
INGEST_CODE = ("ingest/*.py", "dates.py", "documents.py", "arabic.py")
# Stripped from the ends of XQuAD gold answers (as SQuAD's scorer drops punctuation): "نعمة،" is the fact نعمة.
ANSWER_EDGES = " .,،؛:!?؟\"'«»“”"
XQUAD_COLUMNS = ("questions", "recall_at_1", "recall_at_5", "mrr", "answer_contains", "abstention_rate",
                 "citation_resolve_rate", "latency_p50_s", "latency_p95_s")


class SetUnavailable(FileNotFoundError):
    """A set's data is absent on this machine (XQuAD needs ../shared)."""


# -- matching (pure) ---------------------------------------------------------------


def match_key(text: str) -> str:
    """Matching form of a text: filter-dodges and tatweel out, rag.arabic.normalize, spaces collapsed."""
    text = text.replace("ـ.ـ", "").replace(arabic.TATWEEL, "")
    return " ".join(arabic.normalize(text).split())


def _variant_pattern(variant: str) -> re.Pattern | None:
    key = match_key(variant)
    if not key:
        return None
    # A number must not match inside a longer one: "14" is not in "140" (words may take clitics, numbers not).
    head = r"(?<!\d)" if key[0].isdigit() else ""
    tail = r"(?!\d)" if key[-1].isdigit() else ""
    return re.compile(head + re.escape(key) + tail)


def missing_facts(text: str, key_facts: Sequence[Sequence[str]]) -> list[list[str]]:
    """The facts (each a list of accepted variants) none of whose variants the text contains."""
    key = match_key(text)
    out = []
    for fact in key_facts:
        patterns = [p for p in map(_variant_pattern, fact) if p is not None]
        if not any(p.search(key) for p in patterns):
            out.append(list(fact))
    return out


def facts_present(text: str, key_facts: Sequence[Sequence[str]]) -> bool:
    """True when the text holds at least one variant of every fact."""
    return not missing_facts(text, key_facts)


# -- metrics (pure) -----------------------------------------------------------------


def unique_in_order(ids: Iterable[str]) -> list[str]:
    """Ids deduplicated, first occurrence kept (hits -> ranked articles)."""
    return list(dict.fromkeys(ids))


def gold_rank(retrieved: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold article among the retrieved ones, or None."""
    gold = set(gold)
    return next((i for i, aid in enumerate(retrieved, 1) if aid in gold), None)


def recall_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of questions whose first gold article ranks k or better."""
    return mean([r is not None and r <= k for r in ranks])


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float | None:
    """Mean of 1/rank of the first gold article (0 when it was not retrieved)."""
    return mean([1.0 / r if r else 0.0 for r in ranks])


def mean(values: Iterable) -> float | None:
    """Arithmetic mean (booleans count 0/1); None for no values."""
    values = [float(v) for v in values if v is not None]
    return sum(values) / len(values) if values else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile with linear interpolation between ranks (numpy's default); None for no values."""
    xs = sorted(float(v) for v in values if v is not None)
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def abstention_scores(pairs: Iterable[tuple[bool, bool]]) -> dict:
    """Abstention precision, recall and F1 on unanswerable questions, and false abstentions, from (answerable, abstained)."""
    pairs = list(pairs)
    right = sum(1 for answerable, abstained in pairs if abstained and not answerable)
    wrong = sum(1 for answerable, abstained in pairs if abstained and answerable)
    unanswerable = sum(1 for answerable, _ in pairs if not answerable)
    answerable = len(pairs) - unanswerable
    precision = right / (right + wrong) if right + wrong else None
    recall = right / unanswerable if unanswerable else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if unanswerable else None)
    return {
        "abstention_precision": precision,
        "abstention_recall": recall,
        "abstention_f1": f1,
        "false_abstentions": wrong,
        "false_abstention_rate": wrong / answerable if answerable else None,
    }


def citation_resolves(citation, article_text: str | None, source_chunk_ids: Iterable[str]) -> bool:
    """True when the quote is exactly article_text[start:end] and the chunk was one of the answer's sources."""
    if article_text is None or not 0 <= citation.start < citation.end <= len(article_text):
        return False
    return article_text[citation.start : citation.end] == citation.quote and citation.chunk_id in set(source_chunk_ids)


def alce_scores(answered: Sequence[dict]) -> dict:
    """ALCE-style citation recall and precision (Gao et al. 2023), judged by the support check, over answered questions.

    Recall: the share of answer sentences (claims) that at least one of their citations supports
    (an uncited sentence counts as unsupported). Precision: the share of (claim, citation) pairs
    whose source supports the claim. ALCE judges with an NLI model; here the judge is
    rag.answering.support (its own precision and recall are measured on eval/support/).
    """
    claims = sum(r.get("support", {}).get("claims", 0) for r in answered)
    pairs = sum(sum(r.get("support", {}).get(k, 0) for k in ("supported", "unsupported", "unresolved")) for r in answered)
    return {
        "alce_citation_recall": sum(r.get("support", {}).get("claims_supported", 0) for r in answered) / claims if claims else None,
        "alce_citation_precision": sum(r.get("support", {}).get("supported", 0) for r in answered) / pairs if pairs else None,
        "unsupported_claims": sum(r.get("support", {}).get("claims_unsupported", 0) for r in answered),
    }


def summarize(records: Sequence[dict]) -> dict:
    """Set metrics from per-question records (see the module docstring for each definition)."""
    answerable = [r for r in records if r["answerable"]]
    answered = [r for r in records if not r["abstained"]]
    ranks = [r["gold_rank"] for r in answerable]
    cited = sum(r["citations"] for r in records)
    resolved = sum(r["citations_resolved"] for r in records)
    gold_cited = [r for r in answerable if not r["abstained"] and r["citations"]]
    latencies = [r["latency_s"] for r in records]
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(records) - len(answerable),
        "recall_at_1": recall_at_k(ranks, 1),
        "recall_at_5": recall_at_k(ranks, 5),
        "mrr": mean_reciprocal_rank(ranks),
        "key_fact_accuracy": mean(r["passed"] for r in answerable),
        "citation_resolve_rate": resolved / cited if cited else None,
        "citation_support": mean(r["supported"] for r in answerable if not r["abstained"]),
        "citation_gold_precision": (sum(r["citations_gold"] for r in gold_cited) / sum(r["citations"] for r in gold_cited)) if gold_cited else None,
        "citations_per_answer": mean(r["citations"] for r in answered),
        **alce_scores(answered),
        **abstention_scores((r["answerable"], r["abstained"]) for r in records),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
    }


def summarize_xquad(records: Sequence[dict]) -> dict:
    """XQuAD metrics per question language: retrieval, answer-contains rate, abstentions, citations, latency."""
    out = {}
    for lang in ("ar", "en"):
        rows = [r for r in records if r["lang"] == lang]
        if not rows:
            continue
        m = summarize(rows)
        out[lang] = {
            "questions": m["questions"],
            "recall_at_1": m["recall_at_1"],
            "recall_at_5": m["recall_at_5"],
            "mrr": m["mrr"],
            "answer_contains": m["key_fact_accuracy"],
            "abstention_rate": m["false_abstention_rate"],
            "citation_resolve_rate": m["citation_resolve_rate"],
            "citation_support": m["citation_support"],
            "citations_per_answer": m["citations_per_answer"],
            "latency_p50_s": m["latency_p50_s"],
            "latency_p95_s": m["latency_p95_s"],
        }
    return out


def failure(record: dict) -> str | None:
    """Why a question failed, for people: retrieval miss, false abstention, missing fact, answered unanswerable."""
    if not record["answerable"]:
        return None if record["abstained"] else "answered an unanswerable question"
    if record["passed"]:
        return None
    parts = []
    if not record.get("gold_in_sources", True):
        parts.append("retrieval miss (no gold article among the answer's sources)")
    if record["abstained"]:
        parts.append(f"false abstention ({record.get('abstain_reason') or 'no reason given'})")
    elif record.get("missing_facts"):
        parts.append("answer missing fact(s) " + " ".join("[" + " | ".join(f) + "]" for f in record["missing_facts"]))
    return "; ".join(parts) or "failed"


# -- calibration (pure) -------------------------------------------------------------


def _would_abstain(record: dict, threshold: float) -> bool:
    best = record.get("best_similarity")
    return best is None or bool(record.get("missing_names")) or bool(record.get("type_missing")) or best < threshold


def _score_threshold(records: Sequence[dict], threshold: float) -> dict:
    abst = abstention_scores((r["answerable"], _would_abstain(r, threshold)) for r in records)
    # An answerable question counts as right when it is answered and its answer would pass
    # (unknown in LLM mode: then answering at all counts).
    right = [not _would_abstain(r, threshold) and r.get("would_pass", True) is not False for r in records if r["answerable"]]
    accuracy = mean(right)
    f1 = abst["abstention_f1"] or 0.0
    return {
        "threshold": threshold,
        "objective": f1 + (accuracy or 0.0),
        "abstention_f1": abst["abstention_f1"],
        "abstention_precision": abst["abstention_precision"],
        "abstention_recall": abst["abstention_recall"],
        "answerable_accuracy": accuracy,
    }


def calibrate(results, current: float | None = None) -> dict:
    """The `min_support` threshold on best_similarity that maximises abstention F1 + answerable accuracy.

    `results` is a list of per-question records (or a report holding them as "records");
    each needs `answerable`, `best_similarity` (None when nothing was retrieved) and may
    carry `missing_names` and `type_missing` (the name and count rules abstain whatever the
    threshold; the count rule is evaluated at the current threshold) and `would_pass`.
    The outcome is constant between two consecutive similarities, so the recommended value
    is the middle of the best interval (the widest one on a tie), rounded to 3 decimals.
    """
    records = results["records"] if isinstance(results, dict) else list(results)
    records = [r for r in records if "best_similarity" in r]
    sims = sorted({round(r["best_similarity"], 6) for r in records if r["best_similarity"] is not None})
    if not records or not sims:
        return {"threshold": None, "reason": "no records with a best_similarity"}
    # Interval i is (edges[i], edges[i+1]]: any threshold in it abstains on exactly the sims below edges[i+1].
    edges = [0.0, *sims, 1.0] if sims[-1] < 1.0 else [0.0, *sims, sims[-1] + 0.01]
    best = None
    for lo, hi in zip(edges, edges[1:]):
        if hi <= lo:
            continue
        scored = _score_threshold(records, hi)
        key = (round(scored["objective"], 9), hi - lo)
        if best is None or key > best[0]:
            best = (key, lo, hi, scored)
    _, lo, hi, scored = best
    out = {**scored, "threshold": round((lo + hi) / 2, 3), "interval": [round(lo, 4), round(hi, 4)], "questions": len(records)}
    if current is not None:
        out["current"] = _score_threshold(records, current)
    return out


# -- the gate (pure) ----------------------------------------------------------------


def flatten(tree: dict, prefix: str = "") -> dict:
    """Nested dicts to dotted keys: {"ar": {"mrr": 1}} -> {"ar.mrr": 1}."""
    out = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def check(metrics: dict, floors: dict, where: str = "eval/thresholds.toml") -> list[str]:
    """One message per metric under its floor (or not measured, or unknown); empty when the gate passes."""
    values = flatten(metrics)
    problems = []
    for name, floor in sorted(flatten(floors).items()):
        if name not in values:
            problems.append(f"{name}: no such metric (floor {floor:g} in {where}); known: {', '.join(sorted(values))}")
        elif values[name] is None:
            problems.append(f"{name} was not measured (floor {floor:g} in {where})")
        elif values[name] < floor:
            problems.append(f"{name} = {values[name]:.3f} is under its floor {floor:g} ({where})")
    return problems


def load_floors(set_name: str, path: Path = THRESHOLDS) -> dict:
    """The floors of one set from the thresholds file ({} when the set has none)."""
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh).get(set_name, {})


# -- questions and corpora ----------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSONL file (blank lines skipped)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def spread(total: int, n: int | None) -> list[int]:
    """n indices spread evenly over range(total) (all of them when n is None or not smaller)."""
    if n is None or n >= total:
        return list(range(total))
    return [i * total // n for i in range(max(0, n))]


def paragraph_id(context: str) -> str:
    """The article id of an XQuAD paragraph: a hash of its text."""
    return "xq-" + hashlib.sha1(context.encode("utf-8")).hexdigest()[:12]


def xquad_items(path: Path = XQUAD, limit: int | None = None) -> tuple[list[dict], list[dict]]:
    """XQuAD as (paragraph articles, questions): `limit` questions per language, the same ones in both."""
    if not Path(path).is_file():
        raise SetUnavailable(
            f"--set xquad needs {path} (the shared benchmark beside the repo), absent on this machine; skipped"
        )
    articles: dict[str, dict] = {}
    by_lang: dict[str, list[dict]] = {"ar": [], "en": []}
    for row in read_jsonl(path):
        pid = paragraph_id(row["context"])
        # A neutral title: the extractive answer shows titles, so the paragraph's own text must not be one.
        articles.setdefault(pid, {"id": pid, "title": f"XQuAD paragraph {pid[3:]}", "text": row["context"]})
        lang = "ar" if row["dataset"] == "xquad" else "en"
        by_lang[lang].append(
            {
                "id": row["id"],
                "question": row["question"],
                "lang": lang,
                "dataset": row["dataset"],
                "answerable": True,
                "gold_article_ids": [pid],
                "key_facts": [[a.strip(ANSWER_EDGES) or a for a in row["answers"]]],
            }
        )
    questions = [q for lang in ("ar", "en") for q in (by_lang[lang][i] for i in spread(len(by_lang[lang]), limit))]
    return sorted(articles.values(), key=lambda a: a["id"]), questions


def load_questions(set_name: str, limit: int | None = None) -> list[dict]:
    """The Q/A pairs of seeds, ant or all (each tagged with its set), the first `limit` of them."""
    names = ("seeds", "ant") if set_name == "all" else (set_name,)
    rows = [{**row, "set": name} for name in names for row in read_jsonl(QUESTIONS[name])]
    return rows[:limit] if limit else rows


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
    from .agent import Agent

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
    info = {"dir": _shown(index_dir), "reused": recorded.get("fingerprint") == wanted and index_dir.exists()}
    if not info["reused"]:
        report = agent.ingest(paths, sync=True, progress=progress)
        for err in report.failed:
            print(f"rag eval: ingest: {err}", file=sys.stderr)
        info["ingest"] = report.summary().splitlines()[0]
        stamp.write_text(json.dumps({"fingerprint": wanted, "chunk": settings.chunk.model_dump(),
                                     "built": _now()}, indent=2) + "\n", encoding="utf-8")
    info.update(articles=agent.store.manifest.count(), chunks=agent.store.count())
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
    from .answering import calibrated as cal
    from .answering import extractive as ex

    question = item["question"]
    history = []  # a follow-up set row (eval/build_followup.py): its earlier turns are answered first, unscored
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

    from . import llm as llm_mod
    from .settings import Settings

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
    records, texts = [], {}
    with _memoised(agent) as memo, tqdm(questions, desc=f"eval {set_name}", unit="q", file=sys.stderr,
                                        disable=not progress, dynamic_ncols=True, mininterval=1.0) as bar:
        for item in bar:
            records.append(ask_one(agent, item, mode, memo, texts))
    s = agent.settings
    report = {
        "set": set_name,
        "mode": mode,
        "date": date.today().isoformat(),
        "created": _now(),
        "commit": _commit(),
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


# -- output -------------------------------------------------------------------------------------


def write_results(report: dict, results_dir: Path | None = None) -> Path:
    """Write the report to <results_dir>/<date>-<set>-<mode>.json (atomically) and return the path."""
    results_dir = Path(results_dir or RESULTS_DIR)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{report['date']}-{report['set']}-{report['mode']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(results_json(report), encoding="utf-8")
    tmp.replace(path)
    return path


def results_json(report: dict) -> str:
    """The report as JSON: metrics indented, one record a line (small files, readable diffs)."""
    head = json.dumps({k: v for k, v in report.items() if k != "records"}, ensure_ascii=False, indent=1, default=str)
    rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False, default=str) for r in report.get("records", []))
    return head[:-2] + ',\n "records": [\n' + rows + "\n ]\n}\n"


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or isinstance(value, int):
        return str(int(value))
    return f"{value:.3f}"


def format_table(report: dict) -> str:
    """The metrics as a Markdown table (overall and by question language; XQuAD by language)."""
    if report["set"] == "xquad":
        cols = [c for c in ("ar", "en") if c in report["metrics"]]
        head = "| metric | " + " | ".join(f"{c} questions" for c in cols) + " |"
        rows = [f"| {name} | " + " | ".join(_fmt(report["metrics"][c].get(name)) for c in cols) + " |" for name in XQUAD_COLUMNS]
    else:
        cols = [("all", report["metrics"])] + [(lang, m) for lang, m in report.get("by_lang", {}).items() if m["questions"]]
        cols += [(name, m) for name, m in report.get("by_set", {}).items()]
        head = "| metric | " + " | ".join(c for c, _ in cols) + " |"
        names = [k for k in report["metrics"] if k != "abstention_f1"]
        rows = [f"| {name} | " + " | ".join(_fmt(m.get(name)) for _, m in cols) + " |" for name in names]
    sep = "|" + "---|" * (head.count("|") - 1)
    return "\n".join([head, sep, *rows])


def format_report(report: dict, results_path: Path | None = None) -> str:
    """Table, calibration and failures, for people."""
    title = (f"rag eval · set {report['set']} · mode {report['mode']} · {report['date']} · "
             f"{len(report['records'])} question(s) · {report['seconds']:.0f} s · {report['machine']['cpus']} cores")
    lines = [title, "", format_table(report)]
    cal = report.get("calibration")
    if cal and cal.get("threshold") is not None:
        now = cal.get("current", {})
        lines += ["", f"calibration: min_support is {report['settings']['min_support']:.3f} "
                      f"(abstention F1 {_fmt(now.get('abstention_f1'))}, answerable accuracy {_fmt(now.get('answerable_accuracy'))}); "
                      f"best {cal['threshold']:.3f} (any value in {cal['interval']}: abstention F1 "
                      f"{_fmt(cal['abstention_f1'])}, answerable accuracy {_fmt(cal['answerable_accuracy'])})"]
        width = cal["interval"][1] - cal["interval"][0]
        if width < 0.01:
            lines.append(f"  caution: that interval is {width:.4f} wide, a single question's similarity; "
                         "check it on another set (e.g. XQuAD English) before moving min_support")
    if report["failures"]:
        lines += ["", f"failures ({len(report['failures'])}):"]
        lines += [f"  {f['id']}: {f['failure']}" for f in report["failures"]]
    if results_path:
        lines += ["", f"wrote {results_path}"]
    return "\n".join(lines)


def main(args) -> int:
    """`rag eval`: run a set, write the results file, print a table (or JSON), and gate on --check."""
    from .settings import Settings

    if getattr(args, "set", "") == "briefings":  # key developments of weekly briefings: rag.briefing_eval
        from .briefing_eval import main as briefing_main

        return briefing_main(args)

    settings = Settings.load(getattr(args, "config", None))
    set_name, mode = getattr(args, "set", "seeds"), getattr(args, "mode", "extractive")
    try:
        report = run(set_name, mode, getattr(args, "limit", None), progress=True, settings=settings,
                     index_dir=Path(args.index) if getattr(args, "index", None) else None)
    except SetUnavailable as exc:
        print(f"rag eval: {exc}", file=sys.stderr)
        return 0
    path = write_results(report)
    problems = []
    if getattr(args, "check", False):
        floors = load_floors(set_name)
        if not floors:
            print(f"rag eval: no floors for [{set_name}] in {THRESHOLDS}; nothing to check", file=sys.stderr)
        problems = check(report["metrics"], floors, f"[{set_name}] in eval/thresholds.toml")
        if getattr(args, "limit", None):
            print("rag eval: --check with --limit compares a partial run with floors set on the whole set", file=sys.stderr)
    if getattr(args, "json", False):
        summary = {k: v for k, v in report.items() if k != "records"}
        summary["results_file"] = str(path)
        if getattr(args, "check", False):
            summary["check"] = {"passed": not problems, "problems": problems}
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        print(format_report(report, path))
    for problem in problems:
        print(f"rag eval --check: {problem}", file=sys.stderr)
    if getattr(args, "check", False) and not problems:
        print(f"rag eval --check: every metric of [{set_name}] is at or above its floor", file=sys.stderr)
    return 1 if problems else 0


def _shown(path: Path) -> str:
    """A path relative to the repository when inside it (results files travel between machines)."""
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _commit() -> str | None:
    """The checked-out commit, read from .git without running git (None outside a checkout)."""
    try:
        head = (REPO / ".git" / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        loose = REPO / ".git" / ref
        if loose.is_file():
            return loose.read_text().strip()
        for line in (REPO / ".git" / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None
