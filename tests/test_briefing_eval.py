"""Scoring of briefing key sections (rag.briefing_eval), pure, and the hand-made set's own check."""

from __future__ import annotations

import subprocess
import sys

from rag import briefing_eval as be


def test_matching_is_one_to_one_by_shared_reports():
    items = [["a", "b", "c", "x"], ["d"], ["z"]]
    devs = [["a"], ["b", "c"], ["d", "e"]]
    assert be.match(items, devs) == {1: 0, 2: 1}  # the big item recalls one story (the one it shares most with)
    assert be.match([], devs) == {} and be.match(items, []) == {}


def test_score_case_counts_recall_precision_and_who_where():
    case = {"id": "w", "week": "2018-W15", "split": "test", "on_scope": ["m"], "off_scope": ["off"],
            "key": [{"summary": "strike", "articles": ["a", "b"], "where": ["place:t4"], "who": []},
                    {"summary": "veto", "articles": ["c"], "where": [], "who": ["force:russian-forces"]},
                    {"summary": "missed", "articles": ["q"], "where": [], "who": []}]}
    key = [{"article_ids": ["b", "a"], "place_ids": ["place:t4", "place:homs"], "actor_ids": [], "title": "1"},
           {"article_ids": ["c"], "place_ids": [], "actor_ids": [], "title": "2"},
           {"article_ids": ["off"], "place_ids": [], "actor_ids": [], "title": "3"},
           {"article_ids": ["m"], "place_ids": [], "actor_ids": [], "title": "4"}]
    r = be.score_case(case, key)
    assert (r["recalled"], r["developments"], r["on_scope"], r["key_items"]) == (2, 3, 3, 4)
    assert r["who_where_right"] == 1 and r["off_scope_in_key"] == 1 and r["missed"] == ["missed"]
    assert r["wrong_who_where"][0]["development"] == "veto" and r["off_scope_items"] == ["3"]
    s = be.summarize([r, {**r, "recalled": 3}])
    assert s == {"weeks": 2, "developments": 6, "recall": round(5 / 6, 4), "precision": 0.75,
                 "who_where": round(2 / 5, 4), "off_scope_in_key": 2}
    assert be.summarize([])["recall"] is None


def test_the_set_passes_its_own_check():
    done = subprocess.run([sys.executable, "eval/build_briefing_keys.py", "--check"], capture_output=True, text=True,
                          cwd=be.ev.REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 fault(s)" in done.stdout and "10 weeks (5 dev, 5 test)" in done.stdout
