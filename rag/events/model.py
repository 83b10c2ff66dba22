"""The event record, its dict form, and how renderers write its actors and place."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..citation import Citation
from ..dates import parse_record_date
from ..gazetteer import Entry
from .lexicon import TYPES

EXTRACTIVE = "extractive"
ROLES = ("actor", "target", "supporter")
ROLE_LABELS = (("target", "against"), ("supporter", "backed by"))  # how renderers introduce non-actor roles


@dataclass
class Event:
    """One cited event: who did what (type), where and when, with verbatim figures."""

    date: str | None
    date_precision: str
    type: str
    actors: list[dict]
    location: dict | None
    figures: dict[str, str]
    citation: Citation
    date_source: str = "unknown"  # sentence, relative, article or unknown
    places: list[str] = field(default_factory=list)  # every place id the quote names
    operation: dict | None = None
    trigger: str = ""
    mode: str = EXTRACTIVE
    refers_to: str | None = None  # id of the earlier event of the article this sentence refers back to
    site: str | None = None  # a named site the gazetteer does not know, as the article writes it (rag.events.sites)

    @property
    def id(self) -> str:
        """Stable id: article, quote span and type."""
        return f"{self.citation.article_id}:{self.citation.start}-{self.citation.end}:{self.type}"

    @property
    def start_date(self) -> datetime.date | None:  # `date` here would be the field
        """First day the event's date covers (None when unknown)."""
        return date_span(self.date, self.date_precision)[0]

    @property
    def end_date(self) -> datetime.date | None:
        """Last day the event's date covers (None when unknown)."""
        return date_span(self.date, self.date_precision)[1]

    def to_dict(self) -> dict:
        """JSON-ready dict (the shape `rag events --json` prints)."""
        return {
            "id": self.id, "date": self.date, "date_precision": self.date_precision, "date_source": self.date_source,
            "type": self.type, "type_label": TYPES.get(self.type, self.type), "actors": [dict(a) for a in self.actors],
            "location": dict(self.location) if self.location else None, "places": list(self.places),
            "figures": dict(self.figures), "operation": dict(self.operation) if self.operation else None,
            "trigger": self.trigger, "mode": self.mode, "refers_to": self.refers_to, "site": self.site,
            "citation": self.citation.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        """An Event back from its to_dict() form (pure); a stored row of older code has no site."""
        fields = {k: v for k, v in d.items() if k not in ("id", "type_label", "citation")}
        return cls(citation=Citation(**d["citation"]), **fields)


def date_span(iso: str | None, precision: str) -> tuple[date | None, date | None]:
    """First and last day an event date of a precision covers, (None, None) when unknown."""
    if not iso or precision == "unknown":
        return None, None
    info = parse_record_date(iso)
    return info.start, info.end


def actor_dict(entry: Entry, role: str) -> dict:
    """An event's actor: gazetteer id, English and Arabic names, role."""
    return {"id": entry.id, "name_en": entry.en, "name_ar": entry.ar, "role": role}


def place_dict(entry: Entry) -> dict:
    """An event's location: gazetteer id, names, coordinates and governorate."""
    return {"id": entry.id, "name_en": entry.en, "name_ar": entry.ar, "lat": entry.lat, "lon": entry.lon,
            "admin": entry.admin}


def actors_line(d: dict, name: Callable[[dict], str], label: Callable[[str], str] = lambda text: f"{text}:") -> str:
    """An event dict's actors for display: the doers, then 'against:' the targets and 'backed by:' the supporters.

    `name(actor dict)` and `label(text)` format the parts (plain text, or HTML in the UI); '—' when there are none.
    """
    by_role: dict[str, list[str]] = {}
    for a in d.get("actors") or []:
        by_role.setdefault(a.get("role", "actor"), []).append(name(a))
    parts = [", ".join(by_role.get("actor", [])),
             *(f"{label(text)} {', '.join(by_role[role])}" for role, text in ROLE_LABELS if role in by_role)]
    return "; ".join(p for p in parts if p) or "—"


def place_line(d: dict, name: Callable[[dict], str], admin: Callable[[str], str] = lambda text: text,
               empty: str = "—", site: Callable[[str], str] = lambda text: f"«{text}»") -> str:
    """An event dict's place for display: a site the gazetteer does not know as written («تل الحارة»), then the
    gazetteer place's name and its governorate when that says more; `empty` when unplaced."""
    loc = d.get("location") or {}
    named = site(d["site"]) if d.get("site") else ""
    if not loc:
        return named or empty
    governorate = loc.get("admin")
    where = name(loc) + (f", {admin(governorate)}" if governorate and governorate != loc.get("name_en") else "")
    return f"{named}, {where}" if named else where
