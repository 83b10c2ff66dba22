"""LLM mode: the chunks of one article go out with ``prompts/events.md``; the JSON reply is checked.

The reply is validated with pydantic; each event's quote must be a verbatim span of the chunk it
cites, and its actors, place and figures must appear in that quote, else they are dropped. The
caller (:mod:`rag.events.query`) falls back to the extractive events of an article on any failure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ..citation import Citation
from ..dates import UNKNOWN, parse_record_date
from ..documents import Chunk
from ..gazetteer import Entry, Gazetteer
from .extract import Sentence, event_date
from .filters import type_id
from .lexicon import FIGURE_KINDS, PROMPT_EXAMPLES, TYPES
from .mentions import find_mentions
from .model import Event, actor_dict, place_dict
from .text import fold
from .triggers import Trigger


class LLMActor(BaseModel):
    """An actor as the LLM names it."""

    name: str
    role: Literal["actor", "target", "supporter"] = "actor"


class LLMEvent(BaseModel):
    """One event as the LLM returns it (checked against its quote before use)."""

    source: int
    quote: str
    type: str
    actors: list[LLMActor] = Field(default_factory=list)
    location: str | None = None
    figures: dict[str, str] = Field(default_factory=dict)


class LLMEvents(BaseModel):
    """The whole JSON reply."""

    events: list[LLMEvent] = Field(default_factory=list)


class EventsLLMError(ValueError):
    """The LLM's events reply is not the JSON the prompt asks for."""


def types_block() -> str:
    """The type list for the prompt: id, meaning and example Arabic words."""
    return "\n".join(f"- {t}: {label} ({PROMPT_EXAMPLES[t]})" for t, label in TYPES.items())


def format_chunks(chunks: Sequence[Chunk]) -> str:
    """Numbered chunks as delimited, untrusted data for the events prompt (pure)."""
    from ..safety import fence, mask_instructions  # the answer prompt's masking and fencing, shared

    blocks = []
    for n, c in enumerate(chunks, 1):
        title = (c.meta.get("title", "") or "").replace('"', "'")
        blocks.append(f'<source n="{n}" date="{c.meta.get("date") or "unknown"}" title="{title}">\n'
                      f"{fence(mask_instructions(c.text))}\n</source>")
    return "\n".join(blocks)


def parse_llm_reply(reply: str) -> LLMEvents:
    """The JSON object in an LLM reply (code fences allowed), validated; EventsLLMError otherwise (pure)."""
    text = reply.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise EventsLLMError("the LLM's reply holds no JSON object")
    try:
        return LLMEvents.model_validate(json.loads(text[start:end + 1]))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise EventsLLMError(f"the LLM's reply is not valid events JSON: {str(exc)[:200]}") from exc


def check_llm_events(parsed: LLMEvents, chunks: Sequence[Chunk], gaz: Gazetteer, mode: str) -> list[Event]:
    """LLM events whose quote is a verbatim span of the cited chunk, keeping only actors, place and figures in it (pure)."""
    out = []
    anchor = parse_record_date(chunks[0].meta.get("date")) if chunks and chunks[0].meta.get("date") else UNKNOWN
    for item in parsed.events:
        etype = type_id(item.type)
        if etype is None or not 1 <= item.source <= len(chunks):
            continue
        c = chunks[item.source - 1]
        quote = item.quote.strip().strip("«»\"“”'")
        at = c.text.find(quote) if quote else -1
        if at < 0:
            continue
        folded, index = fold(quote)
        named = {m.entry.id: m.entry for m in find_mentions(quote, folded, index, gaz, True)}
        actors, seen = [], set()
        for a in item.actors:
            entry = _named_entry(a.name, gaz, named, ("group", "force"))
            if entry is not None and entry.id not in seen:
                seen.add(entry.id)
                actors.append(actor_dict(entry, a.role))
        place = _named_entry(item.location, gaz, named, ("place",)) if item.location else None
        if not actors and place is None:
            continue
        figures = {k: v.strip() for k, v in item.figures.items()
                   if k in FIGURE_KINDS and v.strip() and fold(v.strip())[0] in folded}
        s = Sentence(c, c.start + at, c.start + at + len(quote), quote, folded, index)
        trig = Trigger(etype, 0, max(1, len(folded)), "")
        when, how = event_date(s, trig, (0, len(folded)), [trig], anchor)
        citation = Citation(
            n=1, chunk_id=c.id, article_id=c.article_id, title=c.meta.get("title", ""), source=c.meta.get("source", ""),
            date=c.meta.get("date", ""), quote=quote, start=c.start + at, end=c.start + at + len(quote),
            url=c.meta.get("url", ""), date_precision=c.meta.get("date_precision", "unknown"),
        )
        out.append(Event(
            date=when.iso(), date_precision=when.precision if when.iso() else "unknown", type=etype, actors=actors,
            location=place_dict(place) if place else None, figures=figures, citation=citation, date_source=how,
            places=[e.id for e in named.values() if e.type == "place"], mode=mode,
        ))
    return out


def _named_entry(name: str | None, gaz: Gazetteer, named: dict[str, Entry], types: tuple[str, ...]) -> Entry | None:
    """The gazetteer entry an LLM-given name (or id) stands for, when the quote itself names it."""
    if not name or not name.strip():
        return None
    entry = gaz.get(name.strip())
    if entry is None:
        found = [m.entry for m in gaz.find(name) if m.entry.type in types]
        entry = found[0] if found else None
    return entry if entry is not None and entry.type in types and entry.id in named else None


def llm_events(chunks: Sequence[Chunk], llm: Any, gaz: Gazetteer, mode: str) -> list[Event]:
    """Events of one article's chunks by the LLM, checked against their quotes; raises on failure."""
    from ..prompts import load_prompt

    message = (load_prompt("events") | llm).invoke({"sources": format_chunks(chunks), "types": types_block()})
    content = message.content if isinstance(message.content, str) else str(message.content)
    return check_llm_events(parse_llm_reply(content), chunks, gaz, mode)
