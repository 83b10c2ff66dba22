"""The event record: date spans from date and precision."""

from __future__ import annotations

from rag.events import Event


def test_event_dates_and_spans():
    from rag.answering.citations import Citation

    c = Citation(1, "a#0", "a", "t", "s", "", "q", 0, 1)
    assert Event("2021-02", "month", "clash", [], None, {}, c).end_date.isoformat() == "2021-02-28"
    assert Event(None, "unknown", "clash", [], None, {}, c).start_date is None
