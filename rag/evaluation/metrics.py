"""Pure metrics of the evaluation: key-fact matching, retrieval ranks, abstention, citations, per-set summaries and failures.

Every function takes literal data (per-question records, as rag/evaluation/runner.py writes them) and
returns numbers, so each definition in the package docstring is testable on its own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from .. import arabic

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


