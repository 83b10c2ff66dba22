"""rag.evaluation: metric functions on literal data, the gate, and one real run over the seed corpus."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from rag import evaluation as ev
from rag.citation import Citation
from rag.evaluation import reports

# -- matching ---------------------------------------------------------------------


def test_match_key_folds_arabic_variants_dodges_and_digits():
    assert ev.match_key("فشـ.ـل") == "فشل"
    assert ev.match_key("هجـــمات") == "هجمات"
    assert ev.match_key("أحمد  إبراهيم\nآمنة") == "احمد ابراهيم امنه"
    assert ev.match_key("٤٠٠ عنصر") == "400 عنصر"
    assert ev.match_key("Liwa AL-Baqir") == "liwa al-baqir"


def test_key_facts_need_one_variant_of_every_fact():
    facts = [["الباقر", "Baqir"], ["فاطميون", "Fatemiyoun", "Fatemiyun"]]
    assert ev.facts_present("ميليشيات لواء “الباقر” العراقي ولواء “فاطميون” الأفغاني", facts)
    assert ev.facts_present("Liwa al-Baqir and the FATEMIYUN brigade", facts)
    assert ev.missing_facts("لواء الباقر وحده", facts) == [["فاطميون", "Fatemiyoun", "Fatemiyun"]]
    assert ev.facts_present("القوات الأمريكية", [["الامريكيه"]])  # hamza and ta marbuta folded
    assert ev.facts_present("anything", [])


def test_numbers_match_whole_numbers_only():
    assert ev.facts_present("وتضم التعزيزات أكثر من 400 عنصر", [["400"]])
    assert ev.facts_present("قتل ١٤ مقاتلا", [["14"]])
    assert not ev.facts_present("قتل 140 مقاتلا", [["14"]])
    assert not ev.facts_present("في عام 2014", [["14"]])
    assert ev.facts_present("بين 14 و15", [["14"]])


# -- retrieval, abstention, latency -------------------------------------------------------


def test_recall_at_k_and_mrr_on_ranks():
    ranks = [1, 3, None, 6]
    assert ev.recall_at_k(ranks, 1) == 0.25
    assert ev.recall_at_k(ranks, 5) == 0.5
    assert ev.mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 6) / 4)
    assert ev.recall_at_k([], 5) is None


def test_gold_rank_counts_articles_not_chunks():
    retrieved = ev.unique_in_order(["a", "a", "b", "a", "c"])
    assert retrieved == ["a", "b", "c"]
    assert ev.gold_rank(retrieved, ["c", "x"]) == 3
    assert ev.gold_rank(retrieved, ["x"]) is None


def test_abstention_precision_recall_and_false_abstentions():
    pairs = [(False, True), (False, False), (True, True), (True, False), (True, False)]  # (answerable, abstained)
    got = ev.abstention_scores(pairs)
    assert got["abstention_precision"] == 0.5
    assert got["abstention_recall"] == 0.5
    assert got["abstention_f1"] == 0.5
    assert got["false_abstentions"] == 1
    assert got["false_abstention_rate"] == pytest.approx(1 / 3)
    none = ev.abstention_scores([(True, False)])
    assert none["abstention_precision"] is None and none["abstention_recall"] is None


def test_percentiles_interpolate_like_numpy():
    values = [0.9, 0.1, 0.4, 2.0, 1.1]
    for q in (0, 50, 95, 100):
        assert ev.percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert ev.percentile([5.0], 95) == 5.0
    assert ev.percentile([], 50) is None


def test_citation_resolves_only_on_exact_quote_and_retrieved_chunk():
    text = "عنوان\nقتل 14 مقاتلا في مطار التيفور."
    start = text.index("قتل")
    cite = Citation(1, "a#000", "a", "t", "s", "", text[start:], start, len(text))
    assert ev.citation_resolves(cite, text, ["a#000"])
    assert not ev.citation_resolves(cite, text, ["a#001"])  # chunk not among the answer's sources
    moved = Citation(1, "a#000", "a", "t", "s", "", text[start:], start - 1, len(text) - 1)
    assert not ev.citation_resolves(moved, text, ["a#000"])
    assert not ev.citation_resolves(cite, None, ["a#000"])


def _record(**kw):
    base = dict(answerable=True, abstained=False, passed=True, gold_rank=1, citations=2, citations_resolved=2,
                citations_gold=2, supported=True, latency_s=1.0, lang="en", set="seeds")
    return {**base, **kw}


def test_summarize_literal_records():
    records = [
        _record(),
        _record(gold_rank=4, passed=False, supported=False, citations_gold=1, latency_s=3.0),
        _record(abstained=True, passed=False, gold_rank=None, citations=0, citations_resolved=0, citations_gold=0, supported=None),
        _record(answerable=False, abstained=True, passed=None, gold_rank=None, citations=0, citations_resolved=0, citations_gold=0, supported=None),
        _record(answerable=False, abstained=False, passed=None, gold_rank=None, citations=1, citations_resolved=0, citations_gold=0, supported=None),
    ]
    m = ev.summarize(records)
    assert (m["questions"], m["answerable"], m["unanswerable"]) == (5, 3, 2)
    assert m["recall_at_1"] == pytest.approx(1 / 3) and m["recall_at_5"] == pytest.approx(2 / 3)
    assert m["mrr"] == pytest.approx((1 + 0.25 + 0) / 3)
    assert m["key_fact_accuracy"] == pytest.approx(1 / 3)
    assert m["citation_resolve_rate"] == pytest.approx(4 / 5)
    assert m["citation_support"] == 0.5
    assert m["citation_gold_precision"] == 0.75
    assert m["citations_per_answer"] == pytest.approx(5 / 3)
    assert m["abstention_precision"] == 0.5 and m["abstention_recall"] == 0.5
    assert m["false_abstentions"] == 1
    assert m["latency_p50_s"] == 1.0


def test_failure_says_why():
    assert ev.failure(_record()) is None
    assert ev.failure(_record(answerable=False, abstained=False)) == "answered an unanswerable question"
    assert ev.failure(_record(answerable=False, abstained=True)) is None
    why = ev.failure(_record(passed=False, abstained=True, abstain_reason="evidence too weak", gold_in_sources=False))
    assert "retrieval miss" in why and "false abstention (evidence too weak)" in why
    assert "[400]" in ev.failure(_record(passed=False, missing_facts=[["400"]], gold_in_sources=True))


# -- calibration ----------------------------------------------------------------------


def test_calibrate_picks_the_interval_with_best_f1_plus_accuracy():
    records = [
        {"answerable": False, "best_similarity": 0.70},
        {"answerable": False, "best_similarity": 0.72},
        {"answerable": False, "best_similarity": 0.90, "missing_names": ["Turkey"]},  # abstains whatever the threshold
        {"answerable": True, "best_similarity": 0.74, "would_pass": False},
        {"answerable": True, "best_similarity": 0.78, "would_pass": True},
        {"answerable": True, "best_similarity": 0.80, "would_pass": True},
        {"answerable": True, "best_similarity": None, "would_pass": False},  # nothing retrieved: always abstains
    ]
    got = ev.calibrate(records, current=0.79)
    assert got["interval"] == [0.72, 0.74]
    assert got["threshold"] == 0.73
    assert got["abstention_recall"] == 1.0 and got["abstention_precision"] == 0.75
    assert got["answerable_accuracy"] == 0.5
    assert got["current"]["abstention_recall"] == 1.0 and got["current"]["answerable_accuracy"] == 0.25
    assert ev.calibrate({"records": records})["threshold"] == 0.73
    assert ev.calibrate([])["threshold"] is None


# -- the gate --------------------------------------------------------------------------


def test_gate_names_each_metric_under_its_floor():
    metrics = {"recall_at_5": 0.6, "citation_resolve_rate": 1.0, "key_fact_accuracy": None}
    floors = {"recall_at_5": 0.8, "citation_resolve_rate": 1.0, "key_fact_accuracy": 0.5, "recal_at_1": 0.5}
    problems = ev.check(metrics, floors, "[seeds]")
    assert len(problems) == 3
    assert any("recall_at_5 = 0.600 is under its floor 0.8" in p for p in problems)
    assert any("key_fact_accuracy was not measured" in p for p in problems)
    assert any("recal_at_1: no such metric" in p for p in problems)
    assert ev.check({"recall_at_5": 0.8}, {"recall_at_5": 0.8}) == []


def test_gate_on_nested_xquad_metrics():
    metrics = {"ar": {"recall_at_1": 0.8}, "en": {"recall_at_1": 0.5}}
    problems = ev.check(metrics, {"ar": {"recall_at_1": 0.7}, "en": {"recall_at_1": 0.6}})
    assert problems == ["en.recall_at_1 = 0.500 is under its floor 0.6 (eval/thresholds.toml)"]


def test_thresholds_file_names_real_metrics_and_demands_resolving_citations():
    names = set(ev.summarize([_record(), _record(answerable=False, abstained=True, passed=None)]))
    for set_name in ("seeds", "ant"):
        floors = ev.load_floors(set_name)
        assert floors, f"no floors for [{set_name}]"
        assert set(floors) <= names
        assert floors["citation_resolve_rate"] == 1.0
    xquad = ev.flatten(ev.load_floors("xquad"))
    assert xquad["ar.citation_resolve_rate"] == 1.0 and xquad["en.citation_resolve_rate"] == 1.0


def test_check_exits_1_on_a_planted_regression(monkeypatch, tmp_path, capsys):
    floors = ev.load_floors("seeds")
    metrics = {name: 1.0 for name in floors}
    metrics["recall_at_5"] = floors["recall_at_5"] - 0.2  # the planted regression
    report = {"set": "seeds", "mode": "extractive", "date": "2000-01-01", "seconds": 1.0, "records": [],
              "machine": {"cpus": 2}, "settings": {"min_support": 0.75}, "metrics": metrics, "calibration": None,
              "failures": []}
    monkeypatch.setattr(reports, "run", lambda *a, **k: report)  # `rag eval` (rag/evaluation/reports.py) runs and writes
    monkeypatch.setattr(reports, "RESULTS_DIR", tmp_path)
    args = SimpleNamespace(set="seeds", mode="extractive", json=False, limit=None, check=True, index=None, config=None)
    assert ev.main(args) == 1
    err = capsys.readouterr().err
    assert f"recall_at_5 = {metrics['recall_at_5']:.3f} is under its floor {floors['recall_at_5']:g}" in err
    metrics["recall_at_5"] = 1.0
    assert ev.main(args) == 0


# -- sets -------------------------------------------------------------------------------


def test_spread_is_even_and_bounded():
    idx = ev.spread(1190, 200)
    assert len(idx) == 200 == len(set(idx)) and idx[0] == 0 and idx[-1] < 1190
    assert ev.spread(3, 10) == [0, 1, 2] and ev.spread(3, None) == [0, 1, 2]


def test_xquad_items_index_paragraphs_and_split_languages(tmp_path):
    rows = []
    for n, ctx in enumerate(["فقرة أولى عن نهر الأمازون.", "فقرة ثانية عن كرة القدم."]):
        for lang, dataset, q in (("ar", "xquad", "سؤال؟"), ("en", "xquad-en-q-ar-ctx", "Question?")):
            rows.append({"id": f"xquad-{lang}-{n}", "question": q, "answers": ["نهر،"], "context": ctx, "dataset": dataset})
    path = tmp_path / "xq.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    articles, questions = ev.xquad_items(path)
    assert len(articles) == 2 and articles[0]["id"].startswith("xq-") and "فقرة" not in articles[0]["title"]
    assert [q["lang"] for q in questions] == ["ar", "ar", "en", "en"]
    assert questions[0]["gold_article_ids"] == [ev.paragraph_id(rows[0]["context"])]
    assert questions[2]["dataset"] == "xquad-en-q-ar-ctx"
    assert questions[0]["key_facts"] == [["نهر"]]  # gold answers lose edge punctuation: "نهر،" is the fact نهر
    _, limited = ev.xquad_items(path, limit=1)
    assert [q["lang"] for q in limited] == ["ar", "en"]
    with pytest.raises(ev.SetUnavailable, match="absent"):
        ev.xquad_items(tmp_path / "missing.jsonl")


def test_llm_mode_without_an_llm_is_refused():
    with pytest.raises(ValueError, match="RAG_LLM_MODEL"):
        ev.run("seeds", mode="llm", limit=1, progress=False, agent=SimpleNamespace(llm=None))


# -- one real run over the seed corpus ----------------------------------------------------


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """run('seeds', limit=6) over the real sample corpus, with its eval index in a temp cache."""
    from rag.settings import Settings

    cache = tmp_path_factory.mktemp("eval-cache")
    settings = Settings.load("/nonexistent.toml")
    settings.llm.model = None
    return ev.run("seeds", limit=6, progress=False, settings=settings, cache_dir=cache), cache


def test_real_seed_run_reports_every_metric_and_citations_resolve(seed_run):
    report, cache = seed_run
    keys = {"recall_at_1", "recall_at_5", "mrr", "key_fact_accuracy", "citation_resolve_rate", "citation_support",
            "citations_per_answer", "abstention_precision", "abstention_recall", "false_abstentions",
            "latency_p50_s", "latency_p95_s"}
    assert keys <= set(report["metrics"])
    assert len(report["records"]) == 6 and report["index"]["articles"] == 5
    assert report["metrics"]["recall_at_5"] is not None
    cited = sum(r["citations"] for r in report["records"])
    assert cited > 0 and report["metrics"]["citation_resolve_rate"] == 1.0
    for r in report["records"]:
        assert {"id", "question", "lang", "answerable", "abstained", "passed", "retrieved", "citations", "latency_s",
                "best_similarity"} <= set(r)
        assert r["best_similarity"] is None or 0.0 < r["best_similarity"] <= 1.0
    assert (cache / "seeds-e5-small-q4.json").is_file()
    json.dumps(report, ensure_ascii=False)  # the results file must be writable as JSON


def test_eval_index_is_reused_when_the_corpus_is_unchanged(seed_run):
    from rag.settings import Settings

    _, cache = seed_run
    agent, info = ev.open_index("seeds", Settings.load("/nonexistent.toml"), cache_dir=cache, progress=False)
    assert info["reused"] and info["articles"] == 5


def test_llm_mode_runs_the_llm_path(seed_run):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from rag.settings import Settings

    _, cache = seed_run
    settings = Settings.load("/nonexistent.toml")
    agent, _ = ev.open_index("seeds", settings, cache_dir=cache, progress=False)
    agent.settings.llm.model = "fake"
    # the retrieval order is not fixed here: the claim cites every source, and the support check finds the one that says it
    agent.llm = FakeListChatModel(responses=["Liwa al-Baqir and the Fatemiyoun brought more than 400 fighters to the Sukhnah area [1][2][3][4][5][6][7][8]."])
    report = ev.run("seeds", mode="llm", limit=1, progress=False, agent=agent)
    record = report["records"][0]
    assert report["mode"] == "llm" and record["mode"] == "llm:fake", record["llm_error"]
    assert record["would_pass"] is None and report["llm_fallbacks"] == 0
    if not record["abstained"]:
        assert record["passed"] and record["citations"] >= 1
        assert record["citations_resolved"] == record["citations"]


def test_results_json_round_trips_with_one_record_a_line(tmp_path):
    report = {"set": "seeds", "mode": "extractive", "date": "2000-01-02", "metrics": {"mrr": 0.5},
              "records": [{"id": "a", "question": "س؟"}, {"id": "b", "question": "q?"}]}
    text = ev.results_json(report)
    assert json.loads(text) == report
    assert '  {"id": "a", "question": "س؟"},\n' in text
    path = ev.write_results(report, tmp_path)
    assert path.name == "2000-01-02-seeds-extractive.json" and json.loads(path.read_text(encoding="utf-8")) == report


def test_alce_scores_from_support_counts():
    from rag.evaluation import alce_scores

    answered = [
        {"support": {"claims": 3, "claims_supported": 2, "claims_unsupported": 1, "supported": 2, "unsupported": 1, "unresolved": 1}},
        {"support": {"claims": 1, "claims_supported": 1, "claims_unsupported": 0, "supported": 1, "unsupported": 0, "unresolved": 0}},
        {"support": {}},  # an answer the check did not run on adds nothing
    ]
    got = alce_scores(answered)
    assert got == {"alce_citation_recall": 3 / 4, "alce_citation_precision": 3 / 5, "unsupported_claims": 1}
    assert alce_scores([]) == {"alce_citation_recall": None, "alce_citation_precision": None, "unsupported_claims": 0}
