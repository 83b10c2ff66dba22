"""Filtering and ordering events: by date window, type, actor and place (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..arabic import normalize
from ..gazetteer import Gazetteer
from .lexicon import TYPE_WORDS, TYPES
from .mentions import level
from .model import Event
from .text import fold


def sort_events(events: Iterable[Event]) -> list[Event]:
    """By date (unknown last), then article and position."""
    return sorted(events, key=lambda e: (e.start_date is None, e.start_date or date.max, e.citation.article_id,
                                         e.citation.start, list(TYPES).index(e.type) if e.type in TYPES else 99))


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-/]+", "", normalize(text))


def type_id(value: str) -> str | None:
    """The type id a user's or an LLM's type text names (id, English or Arabic word), else None."""
    key = _squash(value)
    for t, words in TYPE_WORDS.items():
        if key == t or key in {_squash(w) for w in words}:
            return t
    return None


def entries_named(query: str, gaz: Gazetteer, types: tuple[str, ...]) -> set[str]:
    """Ids of the entries a user's filter text names (id, any name or alias, either language)."""
    q = query.strip()
    if gaz.get(q) is not None:
        return {q}
    ids = {m.entry.id for m in gaz.find(q) if m.entry.type in types}
    if ids:
        return ids
    key = fold(q)[0].replace("-", " ").strip()
    for e in gaz.entries:
        if e.type in types and any(key and key == fold(n)[0].replace("-", " ").strip()
                                   for n in (e.ar, e.en, *e.aliases_ar, *e.aliases_en)):
            ids.add(e.id)
    return ids


def filter_events(events: Iterable[Event], gaz: Gazetteer, since: date | None = None, until: date | None = None,
                  actor: str | None = None, place: str | None = None, type: str | None = None) -> list[Event]:
    """Events within [since, until] (unknown dates left out when either is set), of a type, actor and place."""
    out = list(events)
    if type:
        etype = type_id(type)
        if etype is None:
            raise ValueError(f"unknown event type {type!r}; use one of: {', '.join(TYPES)}")
        out = [e for e in out if e.type == etype]
    if since or until:
        out = [e for e in out if e.start_date and e.end_date and (not since or e.end_date >= since)
               and (not until or e.start_date <= until)]
    if actor:
        ids = entries_named(actor, gaz, ("group", "force"))
        key = fold(actor)[0].strip()
        out = [e for e in out if any(a["id"] in ids or (not ids and key in fold(a["name_en"] + " " + a["name_ar"])[0])
                                     for a in e.actors)]
    if place:
        ids = entries_named(place, gaz, ("place",))
        governorates = set()
        for i in ids:
            entry = gaz.get(i)
            if entry is not None and entry.admin and level(entry) == 1:
                governorates.add(normalize(entry.admin))
        key = fold(place)[0].strip()

        def at(e: Event) -> bool:
            loc = e.location or {}
            if ids:
                return loc.get("id") in ids or bool(ids & set(e.places)) or normalize(loc.get("admin") or "") in governorates
            return bool(loc) and key in fold(f"{loc['name_en']} {loc['name_ar']} {loc.get('admin') or ''}")[0]

        out = [e for e in out if at(e)]
    return out
