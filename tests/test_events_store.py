"""rag/events_store.py: events stored at ingest, and stored anew by the next ingest when older code made them."""

from __future__ import annotations

import json

import pytest

import rag.events_store as es
from tests.conftest import SAMPLE
from tests.hash_embedder import hash_agent


def test_the_next_ingest_stores_events_made_by_older_code_anew(tmp_path, monkeypatch):
    agent = hash_agent(tmp_path / "index")
    agent.ingest([SAMPLE], progress=False)
    assert es.stale_articles(agent.store, agent.gazetteer) == []
    rows = agent.store.derived_of(es.KIND)
    fresh = {e.citation.quote for e in es.events_of(agent.store, rows, agent.gazetteer)}
    assert fresh

    # rows as an older events code or gazetteer left them: another fingerprint (and no events)
    agent.store.put_derived(es.KIND, list(rows), [json.dumps({"gaz": 1, "events": []}) for _ in rows], list(rows))
    assert sorted(es.stale_articles(agent.store, agent.gazetteer)) == sorted(rows)

    agent.ingest([SAMPLE], progress=False)  # nothing new to index: still refreshes the stale rows
    assert es.stale_articles(agent.store, agent.gazetteer) == []

    def no_extraction(*args, **kwargs):
        raise AssertionError("events must be read from the index, not extracted again")

    monkeypatch.setattr(es, "extract_events", no_extraction)
    assert {e.citation.quote for e in es.events_of(agent.store, rows, agent.gazetteer)} == fresh


def test_stale_rows_are_extracted_at_read_until_then(tmp_path):
    agent = hash_agent(tmp_path / "index")
    agent.ingest([SAMPLE], progress=False)
    rows = agent.store.derived_of(es.KIND)
    expected = {e.citation.quote for e in es.events_of(agent.store, rows, agent.gazetteer)}
    agent.store.put_derived(es.KIND, list(rows), [json.dumps({"gaz": 1, "events": []}) for _ in rows], list(rows))
    assert {e.citation.quote for e in es.events_of(agent.store, rows, agent.gazetteer)} == expected


@pytest.mark.parametrize("fp", [0, 123, 4294967295])
def test_a_row_is_read_as_fresh_by_its_prefix_only_under_its_fingerprint(fp):
    row = json.dumps({"gaz": fp, "events": [{"x": 1}]}, ensure_ascii=False)
    assert es._current(row, fp)
    assert not es._current(row, fp + 1)
    assert not es._current(json.dumps({"gaz": fp * 10 + 1, "events": []}), fp)  # 1231 is not 123
