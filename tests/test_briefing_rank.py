"""Importance, who/where from an item's own sentences, sections and what changed (rag.briefing_rank), pure."""

from __future__ import annotations

import math

import pytest

from rag import briefing_rank as br
from rag.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def test_importance_adds_its_parts():
    score, parts = br.importance(3, 2, [{"type": "clash", "figures": {"killed": "12 قتيلا"}}], True, 0.5, True)
    assert parts == {"coverage": round(math.log2(4) + 0.5, 3), "casualties": 1.0, "territory": 0.0, "novelty": 0.5,
                     "focus": 1.0}
    assert score == round(sum(parts.values()), 3)
    bare, _ = br.importance(3, 2, [], False, 0.0, False)
    assert bare < score
    _, seized = br.importance(1, 1, [{"type": "seizure", "figures": {}}], False, 0, False)
    assert seized["territory"] == 0.75 and seized["casualties"] == 0
    assert br.explain(seized) == "coverage 1 + territory 0.75"


def test_three_outlets_outrank_one_outlets_follow_ups():
    three, _ = br.importance(3, 3, [], False, 0, False)
    ten, _ = br.importance(10, 1, [], False, 0, False)
    assert three > ten - 0.5  # log coverage: ten follow-ups do not bury a story three outlets carried


def test_who_and_where_come_from_the_given_sentences_only(gaz):
    places, actors = br.who_where(["قوات النظام تسيطر على بلدة في ريف تدمر", "وقصف الطيران الروسي مواقع في سوريا"], gaz)
    assert [p.id for p in places][:2] == ["place:palmyra", "place:syria"]  # the town before the country
    assert {a.id for a in actors} == {"force:regime-forces", "force:russian-forces"}
    assert br.who_where(["ولي العهد يريد لأبنائه حياة طبيعية"], gaz) == ([], [])
    event = {"actors": [{"id": "group:isis"}], "location": {"id": "place:sukhnah"}}
    places, actors = br.who_where([], gaz, [event])
    assert [p.id for p in places] == ["place:sukhnah"] and [a.id for a in actors] == ["group:isis"]


def test_changes_against_the_previous_week(gaz):
    now = [{"place:douma", "force:regime-forces"}, {"place:douma"}]
    before = [{"place:afrin", "force:turkish-forces"}, {"place:afrin"}, {"force:regime-forces", "place:t4"}]
    c = br.changes(now, before, [{"type": "airstrike"}, {"type": "airstrike"}], [{"type": "clash"}], gaz)
    assert [d["id"] for d in c["new_places"]] == ["place:douma"] and c["new_places"][0]["reports_this_week"] == 2
    assert [d["id"] for d in c["gone_places"]] == ["place:afrin"]  # T4: one report last week is no change
    assert [d["id"] for d in c["gone_actors"]] == [] and c["new_actors"] == []
    assert {(r["type"], r["this_week"], r["last_week"], r["change"]) for r in c["events_by_type"]} == {
        ("airstrike", 2, 0, 2), ("clash", 0, 1, -1)}


def test_sections_group_two_or_more_items_by_their_main_name():
    items = ["a", "b", "c", "d", "e"]
    where = {"a": "Douma", "b": "Afrin", "c": "Douma", "d": None, "e": "Afrin"}
    grouped, rest = br.sections(items, where.get)
    assert grouped == [("Douma", ["a", "c"]), ("Afrin", ["b", "e"])] and rest == ["d"]
    assert br.sections(["a", "b"], lambda i: i) == ([], ["a", "b"])
