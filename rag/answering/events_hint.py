"""Event-backed evidence for who/where/when questions (pure: no embedder, no LLM; chunks only through `chunks`).

    hint = event_evidence(question, agent.events(), sources, evidence, agent.gazetteer, agent.store.get_chunks, filters)
    sources, evidence = hint.sources, hint.evidence      # then select / compose / verify as before

A question that asks who, where, when, which or how many (English or Arabic) and names a place,
an actor or an operation is matched against the structured events (rag.events): an event matches
when its place (its location, a place its sentence names, or, for a governorate, an event in it)
is one the question names, its actors (any role) include one it names, its operation is the one
named, and its type is one it names (English verb and noun forms, Arabic triggers as rag.events
reads them); every facet the question names must match, and events of reports the question's
filters (dates, outlets) keep out of retrieval stay out. The best few (more facets matched, then
what the question asks for: a place, a date, a doer, figures; a doer of the kind it names, "which militias")
become candidate sentences: each event's citation quote, verbatim.

Sources: the event's chunk is used when it is already a numbered source (or another numbered
chunk of the same article holds the quote); else it is added as the next numbered source, read
through `chunks` (e.g. Store.get_chunks), or, without one, a source holding the quote alone (its
article offset kept). Either way `source.text[ev.start:ev.end]` is the event's quote, so every
citation the answer makes still resolves to a numbered source.

Scores: an event's sentence scores just above the best retrieved one (+event_bonus, plus a little
per facet matched), so the extractive selection quotes it first while keeping the retrieved
sentences within its margin; unless its own similarity to the question (a retrieved sentence's, else
`similarity_of`) is more than event_sim_gap under the best retrieved sentence's (a Houthi offensive in Saada is not the answer
to who was killed in al-Bayda): then it keeps its retrieved score plus event_bonus; its similarity is that of the same sentence among the retrieved
ones, else the lowest retrieved similarity (so event evidence never lifts the abstention
threshold check). Retrieved candidates inside an event's quote are replaced by it; a quote that
runs across paragraphs gives one candidate per line (the extractive answer is one quote a line).
The numbers (event_bonus, event_per_facet, event_sim_gap, max_events) are AnswerSettings (rag/settings.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .. import arabic
from ..citation import Source, source_from
from ..dates import parse_record_date
from ..documents import Chunk
from ..events import find_triggers
from ..gazetteer import Gazetteer
from ..settings import AnswerSettings
from .extractive import Evidence

_ASPECTS_EN = {
    "who": r"\bwho(?:m|se)?\b|\bwhich\b|\bwhat\s+(?:groups?|militias?|forces?|units?|factions?)\b",
    "where": r"\bwhere\b|\bwhich\s+(?:places?|towns?|areas?|villages?|cities|city|regions?)\b",
    "when": r"\bwhen\b|\bwhat\s+(?:date|day|time)\b",
    "count": r"\bhow\s+(?:many|much)\b|\bnumber\s+of\b",
    "what": r"\bwhat\b",
}
_ASPECTS_AR = {
    "who": r"^\s*من\s|(?:^|\s)من\s+(?:هم|هي|هو|الذي|التي|الذين)(?:\s|$)|(?:^|\s)(?:اي|ايه)\s",
    "where": r"(?:^|\s)(?:اين|وين)(?:\s|$)",
    "when": r"(?:^|\s)متي(?:\s|$)",
    "count": r"^\s*كم\s|(?:^|\s)(?:كم|عدد)\s",
    "what": r"^\s*(?:ما|ماذا|هل)\s|(?:^|\s)ماذا(?:\s|$)",
}
_ATTACK = ("clash", "airstrike", "shelling", "explosive")
_TYPES_EN: list[tuple[str, tuple[str, ...]]] = [
    (r"reinforc\w*|deploy\w*|redeploy\w*|convoys?|mobili[sz]\w*|build-?ups?|troops?\s+(?:arrived|moved)|"
     r"(?:sent|send|sends|sending|brought|bring|brings|moved|dispatched)\s+(?:\w+\s+){0,2}"
     r"(?:troops|fighters|forces|reinforcements|militiamen|soldiers|units)", ("reinforcement",)),
    (r"clash\w*|fight\w*|ambush\w*|battles?|skirmish\w*|storm(?:ed|ing)?|gunfight\w*", ("clash",)),
    (r"attack\w*|assault\w*|raid(?:s|ed|ing)?|target\w*", _ATTACK),
    (r"air\s*strikes?|airstrik\w*|air\s*raids?|bomb(?:ed|ing|ings|ard\w*)|drones?|warplanes?|jets?|strikes?|struck|"
     r"air\s*force", ("airstrike",)),
    (r"shell(?:ed|ing|s)?|artillery|mortars?|rockets?|missiles?", ("shelling", "airstrike", "clash")),
    (r"explosi\w*|ieds?|landmines?|mines?|car\s*bombs?|blasts?|detonat\w*|bombs?", ("explosive",)),
    (r"withdr[ae]w\w*|retreat\w*|pull(?:ed|s|ing)?\s+(?:out|back)|evacuat\w*", ("withdrawal",)),
    (r"campaigns?|operations?|offensives?|sweeps?|combing|crackdowns?", ("campaign",)),
    (r"seiz\w*|captur\w*|(?:took|take|takes|taking)\s+(?:control|over)|arrest\w*|kidnap\w*|abduct\w*|detain\w*",
     ("seizure",)),
    (r"kill\w*|dead|deaths?|died|assassinat\w*|execut\w*|casualt\w*", ("killing",)),
]
_TYPES_EN_RE = [(re.compile(rf"\b(?:{p})\b", re.I), types) for p, types in _TYPES_EN]
# Arabic forms rag.events' triggers leave to context: deployment verbs and bare shelling / attack words.
_TYPES_AR_RE = [(re.compile(p), types) for p, types in [
    (r"(?:^|\s)[وف]?(?:ان?تشر\w*|نشر\w*|[يت]نتشر\w*|الانتشار)", ("reinforcement",)),
    (r"(?:^|\s)[وف]?(?:ال)?قصف\w*", ("airstrike", "clash")),
    (r"(?:^|\s)[وف]?(?:ال)?(?:هجوم|هجمات|هاجم\w*|استهداف|استهدف\w*)", _ATTACK),
]]
# Kinds of actor a question may ask for, matched against the gazetteer's `kind` of an event's doers
# (any group kind, not one group): "which militias", "which rebel factions", «أي فصائل».
_ACTOR_KINDS = {
    "militia": re.compile(r"\bmilitia\w*|ميليشي|مليشي", re.I),
    "rebel": re.compile(r"\brebel\w*|\bopposition\b|فصائل|المعارض|الثوار", re.I),
    "jihadist": re.compile(r"\bjihadist\w*|جهادي", re.I),
    "armed forces": re.compile(r"\barm(?:y|ies)\b|\btroops\b|الجيش|جيش", re.I),
}


@dataclass(frozen=True)
class Facets:
    """What a question names: gazetteer places and actors (ids), event types, and what it asks (who, where, ...)."""

    places: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()
    operations: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    aspects: frozenset[str] = frozenset()
    actor_kinds: frozenset[str] = frozenset()  # kinds of actor the question asks for (_ACTOR_KINDS)


@dataclass
class EventHint:
    """The numbered sources (event chunks appended when new), the evidence with the events' quotes merged in."""

    sources: list[Source]
    evidence: list[Evidence]
    events: list = field(default_factory=list)  # the matched events, best first
    added: list[Source] = field(default_factory=list)  # sources added for them
    facets: Facets = field(default_factory=Facets)


def question_facets(question: str, gazetteer: Gazetteer) -> Facets:
    """Places, actors and event types a question names, and the aspects it asks for (pure)."""
    named: dict[str, set[str]] = {"place": set(), "group": set(), "force": set(), "operation": set()}
    for m in gazetteer.find_english(question) + gazetteer.find_arabic(question):
        named[m.entry.type].add(m.entry.id)
    folded = arabic.normalize(question)
    types = {t.type for t in find_triggers(question)}
    types |= {t for rx, ts in _TYPES_EN_RE if rx.search(question) for t in ts}
    types |= {t for rx, ts in _TYPES_AR_RE if rx.search(folded) for t in ts}
    aspects = {a for a, p in _ASPECTS_EN.items() if re.search(p, question, re.I)}
    aspects |= {a for a, p in _ASPECTS_AR.items() if re.search(p, folded)}  # patterns written folded
    return Facets(frozenset(named["place"]), frozenset(named["group"] | named["force"]), frozenset(named["operation"]),
                  frozenset(types), frozenset(aspects),
                  frozenset(kind for kind, rx in _ACTOR_KINDS.items() if rx.search(question)))


def _get(event, key: str):
    """A field of an Event or of its to_dict() form (no full to_dict() per event: indexes hold thousands)."""
    return event.get(key) if isinstance(event, dict) else getattr(event, key, None)


def _cite(event) -> dict:
    c = _get(event, "citation")
    return c if isinstance(c, dict) else c.to_dict()


def _at(event, places: frozenset[str], gazetteer: Gazetteer) -> bool:
    loc = _get(event, "location") or {}
    if loc.get("id") in places or places & set(_get(event, "places") or ()):
        return True
    governorates = {e.admin for e in map(gazetteer.get, places) if e is not None and e.admin and e.en == e.admin}
    return bool(loc.get("admin")) and loc["admin"] in governorates


def _article_meta(c: dict) -> dict:
    """What a retrieval filter reads of a chunk (outlet, article date span as ordinals), from an event's citation."""
    info = parse_record_date(c["date"]) if c.get("date") else None
    ordinal = lambda d: d.toordinal() if d else -1  # noqa: E731
    return {"source": c.get("source", ""), "date_start": ordinal(info and info.start), "date_end": ordinal(info and info.end)}


def match_events(question: str, events: Iterable, gazetteer: Gazetteer, limit: int | None = None,
                 filters=None) -> list[tuple[object, float]]:
    """(event, strength) of the events matching every facet the question names, best first, one per quote (pure).

    `filters` (rag.retrieval.Filters: dates, outlets) keeps out the events of reports the retrieval may not use;
    at most `limit` (default: the settings' answer.max_events).
    """
    f = question_facets(question, gazetteer)
    if not f.aspects or not (f.places or f.actors or f.operations):
        return []
    found: list[tuple[int, object, float]] = []
    for k, e in enumerate(events):
        actors = _get(e, "actors") or []
        if (f.places and not _at(e, f.places, gazetteer)) or (f.actors and not {a["id"] for a in actors} & f.actors) or (
                f.types and _get(e, "type") not in f.types) or (
                f.operations and (_get(e, "operation") or {}).get("id") not in f.operations):
            continue
        if filters is not None and not filters.keeps(_article_meta(_cite(e))):
            continue
        doers = [a for a in actors if a.get("role") == "actor"]
        strength: float = bool(f.places) + bool(f.actors) + bool(f.operations) + bool(f.types)
        strength += 0.5 * sum((
            "where" in f.aspects and bool((_get(e, "location") or {}).get("admin")),
            "when" in f.aspects and bool(_get(e, "date")),
            "who" in f.aspects and bool(doers),
            "count" in f.aspects and bool(_get(e, "figures")),
            any(kind in (getattr(gazetteer.get(a["id"]), "kind", "") or "") for kind in f.actor_kinds for a in doers),
            (_get(e, "location") or {}).get("id") in f.places,  # the event's own place, not one its sentence names
            bool(f.actors & {a["id"] for a in doers}),  # the named actor did it (it is not the target)
        ))
        found.append((k, e, strength))
    found.sort(key=lambda x: (-x[2], x[0]))
    seen: set[tuple[str, int, int]] = set()
    out: list[tuple[object, float]] = []
    for _, e, strength in found:
        c = _cite(e)
        if (c["article_id"], c["start"], c["end"]) not in seen:
            seen.add((c["article_id"], c["start"], c["end"]))
            out.append((e, strength))
    return out[:AnswerSettings().max_events if limit is None else limit]


def _holder(c: dict, sources: Sequence[Source]) -> Source | None:
    """The numbered source holding the quote: its own chunk, else another chunk of the article that contains it."""
    own = next((s for s in sources if s.chunk_id == c["chunk_id"]), None)
    return own or next((s for s in sources if s.article_id == c["article_id"] and s.start <= c["start"]
                        and c["end"] <= s.start + len(s.text)), None)


def _new_source(n: int, c: dict, chunk: Chunk | None) -> Source:
    if chunk is not None and chunk.start <= c["start"] and c["end"] <= chunk.start + len(chunk.text):
        return source_from(chunk, n, {**c, **chunk.meta})  # the chunk's article fields, the citation's where missing
    return Source(n, c["chunk_id"], c["article_id"], c["title"], c["source"], c["date"], c["quote"], c["start"],
                  c.get("url", ""), c.get("date_precision", "unknown"))


def event_evidence(question: str, events: Iterable, sources: Sequence[Source], evidence: Sequence[Evidence],
                   gazetteer: Gazetteer, chunks: Callable[[list[str]], list[Chunk]] | None = None,
                   filters=None, limit: int | None = None,
                   similarity_of: Callable[[str], float] | None = None, tuning: AnswerSettings | None = None) -> EventHint:
    """The sources and evidence with the matching events' quotes added (rules in the module docstring).

    `similarity_of(quote)` (the question's similarity to a text) judges event quotes no retrieved
    sentence covers; without it they are put first on their facets alone.

    `chunks(ids)` reads chunks (Store.get_chunks) for events whose chunk is not a numbered source yet;
    `filters` (the question's rag.retrieval.Filters) keeps out events of reports the retrieval may not use.
    `tuning` (the agent's AnswerSettings; default: the settings' defaults) gives max_events and the event scores.
    """
    tuning = tuning or AnswerSettings()
    sources, evidence = list(sources), list(evidence)
    facets = question_facets(question, gazetteer)
    matched = match_events(question, events, gazetteer, tuning.max_events if limit is None else limit, filters)
    if not matched:
        return EventHint(sources, evidence, facets=facets)
    cites = [_cite(e) for e, _ in matched]
    wanted = [c["chunk_id"] for c in cites if _holder(c, sources) is None]
    fetched = {ch.id: ch for ch in (chunks(list(dict.fromkeys(wanted))) if chunks and wanted else [])}
    best = max((ev.score for ev in evidence), default=0.0)
    floor = min((ev.similarity for ev in evidence), default=0.0)
    best_similarity = max((ev.similarity for ev in evidence), default=0.0)
    added, extra, spans = [], [], []
    for (_event, strength), c in zip(matched, cites):
        src = _holder(c, sources) or _new_source(len(sources) + 1, c, fetched.get(c["chunk_id"]))
        s, e = c["start"] - src.start, c["end"] - src.start
        if src.text[s:e] != c["quote"]:  # the index changed under the events: leave this one out
            continue
        if src.n > len(sources):
            sources.append(src)
            added.append(src)
        inside = [ev for ev in evidence if ev.source.article_id == c["article_id"]
                  and c["start"] <= ev.source.start + ev.start and ev.source.start + ev.end <= c["end"]]
        similarity = max((ev.similarity for ev in inside), default=floor)
        score = best + tuning.event_bonus + tuning.event_per_facet * strength
        closeness = similarity if inside else (similarity_of(c["quote"]) if similarity_of else None)
        if closeness is not None and closeness < best_similarity - tuning.event_sim_gap:  # off the question: a nudge, not the top
            score = (max(ev.score for ev in inside) if inside else closeness) + tuning.event_bonus
        for line in re.finditer(r"[^\n]*\S[^\n]*", src.text[s:e]):  # a quote across paragraphs: one candidate a line
            a = s + line.start() + len(line.group()) - len(line.group().lstrip())
            extra.append(Evidence(src, a, s + line.start() + len(line.group().rstrip()), score, similarity))
        spans.append((c["article_id"], c["start"], c["end"]))
    kept = [ev for ev in evidence if not any(a == ev.source.article_id and s <= ev.source.start + ev.start
                                             and ev.source.start + ev.end <= e for a, s, e in spans)]
    merged = sorted(extra + kept, key=lambda ev: -ev.score)
    return EventHint(sources, merged, [e for (e, _), c in zip(matched, cites)
                                       if (c["article_id"], c["start"], c["end"]) in spans], added, facets)
