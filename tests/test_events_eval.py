"""Scoring events against the hand annotation of the seeds (eval/events_seeds.jsonl): figures fitted on those reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.events import fold
from rag.events_eval import evaluate
from rag.gazetteer import Gazetteer
from rag.resources import data_path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "events_seeds.jsonl"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_precision_and_recall_against_the_annotation(seed_agent):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {a["id"]: seed_agent.article_text(a["id"]) for a in seed_agent.articles()}
    r = evaluate(seed_agent.events(), gold, texts)
    print("\nevents on the seeds: " + ", ".join(f"{k}={r[k]}" for k in (
        "gold", "predicted", "matched", "precision", "recall", "f1", "actor_precision", "actor_recall",
        "role_accuracy", "location_accuracy", "figure_recall", "date_accuracy")))
    assert r["gold"] == len(gold) >= 40
    # fitted figures (the rules were first written on these reports); since sentences that refer back to an
    # earlier event are linked rather than counted, the seeds' "ongoing campaign" mentions no longer count
    assert r["precision"] >= 0.75 and r["recall"] >= 0.78
    assert r["actor_precision"] >= 0.75 and r["actor_recall"] >= 0.8
    assert r["location_accuracy"] >= 0.75 and r["figure_recall"] >= 0.9 and r["date_accuracy"] >= 0.85


def test_annotation_rows_are_well_formed(gaz):
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        assert r["type"] in {"reinforcement", "clash", "airstrike", "explosive", "withdrawal", "campaign", "seizure", "killing"}
        assert all(gaz.get(a) for a in r["actors"]) and set(r["roles"]) == set(r["actors"])
        assert r["location"] is None or gaz.get(r["location"]).type == "place"
        sample = (data_path("sample", f"{r['article_id']}.txt")).read_text(encoding="utf-8")
        assert fold(r["sentence"])[0] in fold(sample)[0]
        for v in r["figures"].values():
            assert v in r["sentence"] + " ".join(r.get("context", []))
