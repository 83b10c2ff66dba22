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
    # earlier event are linked rather than counted, the seeds' "ongoing campaign" mentions no longer count, and
    # since issue 16 tallies over months ("خلال الأشهر الماضية") are no events (the real-news annotation rules)
    # while the seeds' annotation counts them: recall 0.81 -> 0.71 here, for events F1 0.51 -> 0.82 on real dev
    assert r["precision"] >= 0.75 and r["recall"] >= 0.7
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


def test_a_linked_prediction_never_matches_a_new_event_and_counts_only_on_a_back_reference():
    from rag.citation import Citation
    from rag.events import Event
    from rag.events_eval import evaluate_news

    def row(i, start, end, refers_to=None):
        return {"id": f"a#{i}", "article_id": "a", "start": start, "end": end, "type": "clash", "actors": [],
                "location": None, "location_alt": [], "figures": {}, "date": "2018-01-01", "date_precision": "day",
                "refers_to": refers_to}

    def event(start, end, refers_to=None):
        c = Citation(n=1, chunk_id="a#000", article_id="a", title="", source="", date="2018-01-01", quote="x" * (end - start),
                     start=start, end=end)
        return Event(date="2018-01-01", date_precision="day", type="clash", actors=[], location=None, figures={},
                     citation=c, refers_to=refers_to)

    rows = [row(0, 0, 10), row(1, 20, 30, "a#0"), row(2, 40, 50)]
    # a root linked away is missed and a false positive; a linked back-reference is not counted
    r = evaluate_news([event(0, 10), event(20, 30, "x"), event(40, 50, "x")], rows, ["a"])
    assert r["events"]["tp"] == 1 and r["events"]["gold"] == 2 and r["events"]["predicted"] == 2
    assert r["linked_back_references"] == 1 and r["missed"] == ["a#2"]
    # an unlinked back-reference counts twice (a false positive)
    r = evaluate_news([event(0, 10), event(20, 30), event(40, 50)], rows, ["a"])
    assert r["events"]["tp"] == 2 and r["events"]["predicted"] == 3


def test_roles_are_scored_on_the_actors_both_name():
    from rag.citation import Citation
    from rag.events import Event
    from rag.events_eval import evaluate_news

    def row(i, start, roles):
        return {"id": f"a#{i}", "article_id": "a", "start": start, "end": start + 10, "type": "airstrike",
                "actors": list(roles), "roles": roles, "location": None, "location_alt": [], "figures": {},
                "date": "2018-01-01", "date_precision": "day", "refers_to": None}

    def event(start, roles):
        c = Citation(n=1, chunk_id="a#000", article_id="a", title="", source="", date="2018-01-01", quote="x" * 10,
                     start=start, end=start + 10)
        return Event(date="2018-01-01", date_precision="day", type="airstrike", location=None, figures={}, citation=c,
                     actors=[{"id": i, "role": r} for i, r in roles.items()])

    rows = [row(0, 0, {"force:russian-forces": "actor", "group:isis": "target"}), row(1, 20, {"group:isis": "actor"}),
            row(2, 40, {"group:isis": "actor"})]
    events = [event(0, {"force:russian-forces": "actor", "group:isis": "target"}),  # both right
              event(20, {"group:isis": "target"}),  # the doer made the target
              event(40, {"group:isis": "actor", "force:us-forces": "actor"})]  # a party the annotator does not count
    roles = evaluate_news(events, rows, ["a"])["roles"]
    assert roles["shared_actors"] == 4 and roles["accuracy"] == 0.75
    assert roles["events_with_parties"] == 3 and roles["events_all_parties_right"] == round(1 / 3, 3)


def _row(article: str, start: int, type_: str, refers_to: str | None = None) -> dict:
    return {"article_id": article, "start": start, "type": type_, "refers_to": refers_to}


def test_two_annotations_agree_on_new_events_by_article_type_and_sentence():
    from rag.events_eval import agreement

    first = [_row("a", 0, "airstrike"), _row("a", 50, "clash"), _row("a", 90, "clash", "a#1"), _row("b", 0, "seizure")]
    second = [_row("a", 0, "airstrike"), _row("a", 50, "shelling"),  # same sentence, another type: no match
              _row("a", 90, "clash"),  # a back-reference of the first read as new: unmatched
              _row("c", 0, "seizure")]  # an article outside the scored ones: not counted
    r = agreement(first, second, ["a", "b"])
    assert (r["events"]["tp"], r["events"]["predicted"], r["events"]["gold"]) == (1, 3, 3)
    assert (r["act_sentences"]["tp"], r["act_sentences"]["predicted"], r["act_sentences"]["gold"]) == (2, 3, 3)
    assert r["same_type_share"] == 0.5
    assert agreement(first, first, ["a", "b"])["events"]["f1"] == 1.0


def test_the_helper_annotations_are_verbatim_and_consistent():
    import sys

    sys.path.insert(0, str(ROOT / "eval"))
    from events_agreement import MORE, check, second_rows

    assert check(second_rows()) == []
    more = second_rows(MORE)
    assert len({r["article_id"] for r in more}) >= 50  # the dev_more training articles with an act
    assert check(more, MORE.name, ("dev_more",)) == []
