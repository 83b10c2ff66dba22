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

The package, lowest first: `checkout` (where eval/ is; time and commit), `datasets` (sets, corpora,
questions), `metrics` (pure scoring), `gate` (floors and calibration), `runner` (the eval index and
asking), `reports` (results file, table, `rag eval`). Every name below is importable from `rag.evaluation`.
`rag eval --set briefings` is rag/briefing_eval.py (dispatched by rag/cli.py).
"""

from __future__ import annotations

from .checkout import CACHE_DIR, EVAL_DIR, REPO, RESULTS_DIR, SAMPLE, THRESHOLDS, XQUAD, commit, now, shown
from .datasets import (
    ANSWER_EDGES,
    CANDIDATES,
    CORPORA,
    INDEX_OF,
    INGEST_CODE,
    MODES,
    NEWS,
    QUESTIONS,
    RETRIEVE_K,
    SETS,
    SetUnavailable,
    load_questions,
    paragraph_id,
    read_jsonl,
    spread,
    xquad_items,
)
from .gate import calibrate, check, flatten, load_floors
from .metrics import (
    abstention_scores,
    alce_scores,
    citation_resolves,
    facts_present,
    failure,
    gold_rank,
    match_key,
    mean,
    mean_reciprocal_rank,
    missing_facts,
    percentile,
    recall_at_k,
    summarize,
    summarize_xquad,
    unique_in_order,
)
from .reports import XQUAD_COLUMNS, fmt, format_report, format_table, main, results_json, write_results
from .runner import ask_one, corpus_paths, fingerprint, index_name, open_index, run

__all__ = [
    "ANSWER_EDGES", "CACHE_DIR", "CANDIDATES", "CORPORA", "EVAL_DIR", "INDEX_OF", "INGEST_CODE", "MODES", "NEWS", "QUESTIONS", "REPO",
    "RESULTS_DIR", "RETRIEVE_K", "SAMPLE", "SETS", "THRESHOLDS", "XQUAD", "XQUAD_COLUMNS", "SetUnavailable", "abstention_scores",
    "alce_scores", "ask_one", "calibrate", "check", "citation_resolves", "commit", "corpus_paths", "facts_present", "failure",
    "fingerprint", "flatten", "fmt", "format_report", "format_table", "gold_rank", "index_name", "load_floors", "load_questions",
    "main", "match_key", "mean", "mean_reciprocal_rank", "missing_facts", "now", "open_index", "paragraph_id", "percentile",
    "read_jsonl", "recall_at_k", "results_json", "run", "shown", "spread", "summarize", "summarize_xquad", "unique_in_order",
    "write_results", "xquad_items",
]
