"""Every event of an index, cached on the index version, and the filtered query behind ``Agent.events``.

Extractive events were extracted once at ingest and stored (rag/events_store.py, handed in as
``stored``); an older index without them is extracted here. With an LLM configured (and mode not ``extractive``) each article's
chunks go to the LLM (rag.events.llm) in groups of settings.events.max_llm_chunks; any LLM fault gives that
article's extractive events and a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..gazetteer import Gazetteer
from ..settings import EventSettings
from .extract import article_events, by_article
from .filters import filter_events, sort_events
from .llm import llm_events
from .model import EXTRACTIVE, Event


class EventIndex:
    """The events of one store, cached until the store's index version changes (every write bumps it)."""

    def __init__(self, store: Any, stored: Callable[[Any, Gazetteer], list[Event] | None] | None = None,
                 settings: EventSettings | None = None,
                 extract: Callable[[Any, list, Gazetteer, EventSettings], list[Event]] | None = None):
        """`stored(store, gazetteer)` reads the events stored at ingest (None when some article has none);
        `extract(store, chunks, gazetteer, settings)` extracts one article's events when they are not stored (as
        ingest does: rag.events_store.extract_acts), by default the rules alone."""
        self.store = store
        self.stored = stored
        self.extract = extract or (lambda store, chunks, gaz, settings: article_events(chunks, gaz, settings))
        self.settings = settings or EventSettings()
        self._cache: tuple[tuple, list[Event], list[str]] | None = None

    def all(self, gazetteer: Gazetteer, llm: Any = None, llm_label: str = "", *,
            mode: str | None = None) -> tuple[list[Event], list[str]]:
        """Every event of the indexed chunks, sorted, and any LLM warnings."""
        use_llm = llm is not None and mode != EXTRACTIVE
        key = (self.store.version(), use_llm, llm_label if use_llm else "", id(gazetteer))
        if self._cache and self._cache[0] == key:
            return self._cache[1], self._cache[2]
        events, warnings = self._compute(gazetteer, llm if use_llm else None, llm_label)
        self._cache = (key, events, warnings)
        return events, warnings

    def _compute(self, gazetteer: Gazetteer, llm: Any, llm_label: str) -> tuple[list[Event], list[str]]:
        if llm is None and self.stored is not None:
            stored = self.stored(self.store, gazetteer)
            if stored is not None:
                return stored, []
        events: list[Event] = []
        warnings: list[str] = []
        for article_id, cs in by_article(self.store.all_chunks()).items():
            if llm is not None:
                try:
                    found = []
                    size = self.settings.max_llm_chunks
                    for k in range(0, len(cs), size):
                        found.extend(llm_events(cs[k:k + size], llm, gazetteer, llm_label))
                    events.extend(found)
                    continue
                except Exception as exc:  # any LLM fault: this article's extractive events instead
                    warnings.append(f"{article_id}: LLM events failed ({exc.__class__.__name__}: {str(exc)[:120]}); "
                                    "extractive events used")
            events.extend(self.extract(self.store, cs, gazetteer, self.settings))
        return sort_events(events), warnings


def all_events(agent: Any, *, mode: str | None = None) -> tuple[list[Event], list[str]]:
    """Every event of an agent's index (cached by its EventIndex) and any LLM warnings."""
    from .. import llm as llm_mod

    label = llm_mod.label(agent.settings.llm) if agent.llm is not None else ""
    return agent.event_index.all(agent.gazetteer, agent.llm, label, mode=mode)


def query_events(agent: Any, since: date | None = None, until: date | None = None, actor: str | None = None,
                 place: str | None = None, type: str | None = None, *, mode: str | None = None) -> list[Event]:
    """Events of the index matching the filters, sorted by date (unknown dates last)."""
    events, _ = all_events(agent, mode=mode)
    return filter_events(events, agent.gazetteer, since=since, until=until, actor=actor, place=place, type=type)
