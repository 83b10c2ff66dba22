"""Querying an index's events: filters, ordering, the cache on the index version."""

from __future__ import annotations

import pytest


def test_filters(seed_agent):
    every = seed_agent.events()
    assert [e.type for e in seed_agent.events(actor="Fatemiyoun")] == ["reinforcement"]
    assert seed_agent.events(actor="فاطميون") and seed_agent.events(actor="group:fatemiyoun")
    sokhne = seed_agent.events(place="Sokhne")
    assert sokhne and all("place:sukhnah" in e.places for e in sokhne)
    homs = seed_agent.events(place="Homs")  # the governorate holds Sukhnah and Palmyra
    assert {(e.location or {}).get("id") for e in homs} >= {"place:sukhnah", "place:palmyra"}
    strikes = seed_agent.events(type="air strike")
    assert strikes and all(e.type == "airstrike" for e in strikes)
    assert seed_agent.events(type="غارات") == strikes
    dated = seed_agent.events(since="2021-01-01")
    assert dated and all(e.start_date and e.end_date.year >= 2021 for e in dated)
    window = seed_agent.events(since="2020-10-01", until="2020-10-31")
    assert window and all(e.date == "2020-10-22" for e in window)
    both = seed_agent.events(actor="ISIS", type="airstrike")
    assert both and all(any(a["id"] == "group:isis" for a in e.actors) for e in both)
    assert len(every) == len(seed_agent.events())
    keys = [(e.start_date is None, e.start_date) for e in every]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    with pytest.raises(ValueError, match="unknown event type"):
        seed_agent.events(type="picnic")


def test_events_are_cached_per_store_state(seed_agent, monkeypatch):
    seed_agent.events()
    calls = []
    real = seed_agent.store.all_chunks
    monkeypatch.setattr(seed_agent.store, "all_chunks", lambda: calls.append(1) or real())
    seed_agent.events(type="clash")
    assert not calls
