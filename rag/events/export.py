"""Events as CSV (`rag events --csv`); JSON is each event's ``to_dict()``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .model import Event

CSV_COLUMNS = ["date", "date_precision", "type", "actors", "targets", "supporters", "actors_ar", "location",
               "location_ar", "lat", "lon", "admin", "figures", "article_id", "source", "chunk_id", "start", "end", "quote"]


def to_csv(rows: Iterable[Event | dict]) -> str:
    """Events (or their dicts) as CSV text, one row per event, Arabic kept as UTF-8."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        d = row.to_dict() if isinstance(row, Event) else row
        loc, cite = d.get("location") or {}, d.get("citation") or {}

        def names(role: str, lang: str = "name_en", d: dict = d) -> str:
            return "; ".join(a[lang] for a in d.get("actors", []) if a.get("role") == role)

        writer.writerow({
            "date": d.get("date") or "", "date_precision": d.get("date_precision", ""), "type": d.get("type", ""),
            "actors": names("actor"), "targets": names("target"), "supporters": names("supporter"),
            "actors_ar": "; ".join(a["name_ar"] for a in d.get("actors", [])),
            "location": loc.get("name_en", ""), "location_ar": loc.get("name_ar", ""),
            "lat": "" if loc.get("lat") is None else loc["lat"], "lon": "" if loc.get("lon") is None else loc["lon"],
            "admin": loc.get("admin") or "", "figures": "; ".join(f"{k}: {v}" for k, v in (d.get("figures") or {}).items()),
            "article_id": cite.get("article_id", ""), "source": cite.get("source", ""), "chunk_id": cite.get("chunk_id", ""),
            "start": cite.get("start", ""), "end": cite.get("end", ""), "quote": cite.get("quote", ""),
        })
    return buf.getvalue()
