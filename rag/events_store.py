"""Events stored at ingest, one row per article, so asks, briefings and the events view read them instead of re-extracting.

Extraction is rag.events.extract_events over an article's chunks, run once when the
article is ingested (its chunks are in hand then). The row (collection
`<collection>-events`, see Store.derived; id and metadata = the article id) is JSON:
`gaz`, a fingerprint of the gazetteer that extracted them, and `events`, each
`Event.to_dict()`. A reader whose gazetteer differs (another file, an edited one),
or an article with no row (an index built before events were stored), gets the
events extracted from its chunks instead, as before; every `rag ingest` (even one
that adds nothing) stores such rows anew (`refresh_stale`), so after an upgrade of the
events code or the gazetteer one ingest run makes asks cheap again. LLM-extracted events are not
stored: they depend on the configured model and are made when asked (rag.events.all_events).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence

from .documents import Chunk
from .events import EXTRACTION_VERSION, Event, extract_events, sort_events
from .events.eventness import keep_acts_of, load_model, model_digest
from .gazetteer import Gazetteer
from .sentences import SentenceVectors
from .settings import EventSettings

KIND = "events"
_FINGERPRINTS: dict[int, tuple[Gazetteer, int]] = {}


def fingerprint(gazetteer: Gazetteer) -> int:
    """CRC-32 of the gazetteer's entries and the events lexicon and rules (computed once per gazetteer object)."""
    held = _FINGERPRINTS.get(id(gazetteer))
    if held is None or held[0] is not gazetteer:
        # a refit eventness model makes rows stale too
        held = (gazetteer, zlib.crc32(f"{gazetteer.entries!r}{EXTRACTION_VERSION}{model_digest()}".encode()))
        _FINGERPRINTS[id(gazetteer)] = held
    return held[1]


def from_dict(d: dict) -> Event:
    """An Event back from its to_dict() form (pure)."""
    return Event.from_dict(d)


def extract_acts(store, chunks: Sequence[Chunk], gazetteer: Gazetteer, tuning: EventSettings | None = None,
                 sentences: Sequence | None = None) -> list[Event]:
    """The events of these chunks' articles that the eventness model keeps (rag/events/eventness.py), scored on the
    chunks' sentence vectors: `sentences` when given (ingest has them in hand), else the stored ones. An index of
    another embedder than the model's keeps every event, and its sentence vectors are not read for nothing."""
    events = extract_events(chunks, gazetteer, tuning)
    if not events or not load_model().fits(store.embedder.name, store.embedder.dim):
        return events
    if sentences is None:
        sentences = SentenceVectors(store.embedder, store).get(list(chunks))
    return keep_acts_of(events, chunks, sentences, store.embedder.name)


def store_events(store, chunks: Sequence[Chunk], gazetteer: Gazetteer, tuning: EventSettings | None = None,
                 sentences: Sequence | None = None) -> int:
    """Extract the events of these chunks' articles (all of each article's chunks must be given) and store them; how many."""
    by_article: dict[str, list[dict]] = {c.article_id: [] for c in chunks}
    events = extract_acts(store, chunks, gazetteer, tuning, sentences)
    for e in events:
        by_article[e.citation.article_id].append(e.to_dict())
    fp = fingerprint(gazetteer)
    ids = list(by_article)
    store.put_derived(KIND, ids, [json.dumps({"gaz": fp, "events": by_article[a]}, ensure_ascii=False) for a in ids], ids)
    return len(events)


def _current(row: str, fp: int) -> bool:
    """Whether a stored row was made under fingerprint `fp`: read from how it begins (json.dumps writes `gaz` first),
    without parsing it. The one freshness test: stale_articles and every read use it."""
    return row.startswith(f'{{"gaz": {fp},')


def stale_articles(store, gazetteer: Gazetteer) -> list[str]:
    """Ids of indexed articles whose events row is missing or was made by another gazetteer or events code."""
    fp, rows = fingerprint(gazetteer), store.derived_of(KIND)
    return sorted(a for a in store.articles() if not _current(rows.get(a, ""), fp))


def refresh_stale(store, gazetteer: Gazetteer, tuning: EventSettings | None = None, batch: int = 100) -> int:
    """Extract and store again the events of every stale article (see stale_articles); how many articles."""
    stale = stale_articles(store, gazetteer)
    with store.writing():
        for i in range(0, len(stale), batch):
            store_events(store, store.chunks_of(stale[i : i + batch]), gazetteer, tuning)
    return len(stale)


def _decode(rows: dict[str, str], gazetteer: Gazetteer) -> dict[str, list[dict]]:
    fp = fingerprint(gazetteer)
    return {article_id: json.loads(doc)["events"] for article_id, doc in rows.items() if _current(doc, fp)}


def events_of(store, article_ids: Iterable[str], gazetteer: Gazetteer, tuning: EventSettings | None = None) -> list[Event]:
    """The events of these articles: stored ones, else extracted from their chunks (see the module docstring)."""
    ids = list(dict.fromkeys(article_ids))
    found = _decode(store.get_derived(KIND, ids), gazetteer)
    events = [from_dict(d) for a in ids if a in found for d in found[a]]
    missing = [a for a in ids if a not in found]
    if missing:
        events += extract_acts(store, store.chunks_of(missing), gazetteer, tuning)
    return events


def all_stored(store, gazetteer: Gazetteer) -> list[Event] | None:
    """Every stored event of the index, sorted; None when some article has no usable row (then extract instead)."""
    found = _decode(store.derived_of(KIND), gazetteer)
    if set(found) != set(store.articles()):
        return None
    return sort_events(from_dict(d) for rows in found.values() for d in rows)
