"""Briefings: scoped, ranked, dated and cited summaries of a period, with undated reports flagged.

    briefing = build_briefing(agent, week="2018-W15", about="Syria", top=8)   # or since=..., until=...
    render_briefing(briefing, "md" | "html" | "json", path=None)   # rendering: rag.briefing_render

Reading order: the scope and how many reports it kept; the key developments (the `top` items by
importance, rag.briefing_rank), each with date, outlets, a one-line summary (a verbatim sentence in
extractive mode), who and where from its own sentences, and citations; then sections by place or
actor, then the rest one line each; what changed against the previous period; events, map and
timeline; undated reports; sources.

Modules: rag.briefing_scope (what a scope keeps), rag.briefing_rank (importance, who/where,
sections, what changed), rag.briefing_rules (period, selection, clustering, figures: pure),
rag.briefing_render (md, html, json), rag.briefing_eval (the key-development evaluation).

Rules chosen:

- Scope (rag.briefing_scope): only the period's reports on the subject are clustered and ranked;
  the same scope is applied to the previous period for novelty and "what changed".
- Period: an ISO week (Monday..Sunday) or since/until, inclusive (since alone runs to the newest
  dated article, until alone is the 7 days ending then). None given: the last complete ISO week on
  or before the newest dated article (its own week when that is a Sunday, else the week before).
- Selection by date precision: a report whose date span (day, month, year) lies in the period is
  in; a month-only date also when the whole period lies within that month (with a warning). Other
  coarse dates overlapping the period go to `excluded` with the reason; unknown dates never enter a
  dated briefing and are listed in `undated`, so nothing is hidden.
- Clustering: each article's lead-chunk embedding (stored, no re-embedding), centred on a background
  mean (the period's leads when 50 or more, else up to 2,000 index chunks) since e5 cosines bunch
  (0.81-0.94 within a week); similarity = centred cosine + 0.05 x IDF-weighted Jaccard of gazetteer
  places and groups in title and lead; average linkage, merged while >= 0.35. Calibrated by reading
  the clusters of ANT 2018-W15 (348 middleEast reports, 4 outlets): at 0.35, 152 items, 46 from
  several outlets, each one story or theme; at 0.30 unrelated stories merge (Jerusalem embassy +
  Iran deal, Somalia + a stadium bomb); at 0.45 multi-outlet items fall to 35 as one event's reports
  split. Held out: 2018-W16, 239 reports -> 103 items, 27 from several outlets.
- Extractive mode: per item, the lead sentence of the most central article, then up to two early
  sentences preferring figures, other outlets and new content (token Jaccard < 0.45). Each is
  verbatim and cited to its chunk, and to other articles' leads stating the same (IDF-weighted token
  overlap >= 0.5, read on the same week); an outlet still uncited adds its lead sentence.
- LLM mode (an LLM configured, mode not "extractive"): each key item's prose is written through
  prompts/briefing.md from the item's chunks (delimited as untrusted data) and verified as answers
  are; any failure gives the extractive briefing with a warning. Ranking is done on the extractive
  items first, so both modes choose the same key developments; `mode` says which wrote them.
- Beyond the key section an item keeps one sentence (its first, cited): a briefing read in five
  minutes, with everything else one click away in the sources.
- Sources are chunks numbered [1]..[k] by first citation; every [n] resolves, every quote is the
  article's display text at [start:end]; figures are number phrases found verbatim in the quotes.
- Events: those of the scoped reports' sentences dated in the period, as stored at ingest
  (rag.events_store: read, not re-extracted; no LLM), each cited [n] to a numbered source (rules
  in rag.briefing_render).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from . import arabic
from . import briefing_rank as rank_mod
from . import briefing_scope as scope_mod
from .answering.answer import EXTRACTIVE
from .answering.chain import LANGUAGE_NAME, format_sources
from .answering.citations import NOT_IN_SOURCES, Citation, Source, parse_citations, quote_for, verify
from .answering.numbering import order_of_use, renumber_marks
from .briefing_render import attach_events, event_rows, render_briefing  # noqa: F401  (render_briefing re-exported)
from .briefing_reports import Article as _Article
from .briefing_reports import SourceNumbers as _Numbers
from .briefing_reports import candidates as _candidates
from .briefing_rules import agglomerate, default_week, find_figures, find_names, homonym_checked, resolve_period, select_articles, similarity  # noqa: F401
from .briefing_scope import Scope
from .dates import week_of
from .embeddings import embed_query
from .events import Event, filter_events, sort_events
from .events.gist import gist_line
from .events_store import events_of
from .settings import BriefingSettings
from .splitting import sentence_spans

LANGUAGE = "ar"  # the language LLM-written items are asked for (that of the sources)
TOP = 8  # key developments shown first
LABELS = ("en", "ar")  # languages of the briefing's own labels (quotes stay in the sources' language)
@dataclass
class BriefingItem:
    """One story or theme of the period: dates, text with [n] marks, who, where and the figures reported."""

    date: str
    dates: list[str]
    title: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    place_ids: list[str] = field(default_factory=list)
    actor_ids: list[str] = field(default_factory=list)
    importance: float = 0.0
    why: dict = field(default_factory=dict)  # the parts of the importance score (rag.briefing_rank)
    gist: dict = field(default_factory=dict)  # English line of its first event: text, article_id, start, end (rag.events.gist)

    @property
    def summary(self) -> str:
        """The one-line summary: the item's first sentence with its citation marks."""
        return self.text.split("\n", 1)[0]


@dataclass
class Briefing:
    """A briefing of one period; `mode` says what wrote the items ('extractive' or 'llm:<model>')."""

    name: str
    start: date
    end: date
    mode: str
    headline: str
    items: list[BriefingItem] = field(default_factory=list)
    undated: list[dict] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles: int = 0
    events: list[Event] = field(default_factory=list)  # the period's events, by date
    event_sources: dict[str, int] = field(default_factory=dict)  # event id -> its source's number
    scope: dict = field(default_factory=dict)  # ScopeResult.to_dict(): the scope and how many reports it kept
    top: int = TOP
    lang: str = "en"
    sections: list[tuple[str, list[BriefingItem]]] = field(default_factory=list)  # (place or actor, items)
    rest: list[BriefingItem] = field(default_factory=list)  # neither key nor in a section: one line each
    changes: dict = field(default_factory=dict)  # rag.briefing_rank.changes() against the previous period
    # (event ids, pictures) drawn by rag.briefing_render for these events: not part of the briefing's value
    pictures_cache: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> list[BriefingItem]:
        """The key developments: the top items by importance."""
        return self.items[:self.top]

    def to_dict(self) -> dict:
        """name, period, mode, headline, scope, key, sections, rest, changes, events, undated, excluded, sources,
        warnings, counts; events are Event.to_dict() with citation.n, their source's number."""
        counts = {"items": len(self.items), "articles": self.articles, "outlets": len(_outlets(self.items)),
                  "undated": len(self.undated), "excluded": len(self.excluded)}
        item = lambda i: {**asdict(i), "summary": i.summary}  # noqa: E731
        line = lambda i: {"title": i.title, "date": i.date, "outlets": i.outlets, "reports": len(i.article_ids),  # noqa: E731
                          "article_ids": i.article_ids, "summary": i.summary,
                          "citations": [c.n for c in i.citations[:1]]}
        events = [{**d, "citation": {**d["citation"], "n": n}} for d, n in event_rows(self)]
        return {"name": self.name, "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
                "mode": self.mode, "lang": self.lang, "headline": self.headline, "scope": self.scope,
                "key": [item(i) for i in self.key],
                "sections": [{"name": n, "items": [item(i) for i in its]} for n, its in self.sections],
                "rest": [line(i) for i in self.rest], "changes": self.changes, "events": events,
                "undated": self.undated, "excluded": self.excluded, "sources": [asdict(s) for s in self.sources],
                "warnings": self.warnings, "counts": counts}


@lru_cache(maxsize=16384)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(arabic.tokens(text))


def _outlets(items: list[BriefingItem]) -> list[str]:
    return sorted({o for i in items for o in i.outlets})


# -- building -----------------------------------------------------------------------------------


def build_briefing(agent, week: str | None = None, since=None, until=None, mode: str | None = None, *,
                   about: str = "", place: str = "", actor: str = "", outlet: str = "", top: int = TOP,
                   lang: str = "en", scope: Scope | None = None) -> Briefing:
    """The briefing of a week or period over the agent's index, scoped and ranked (rules in the module docstring)."""
    if top < 1:
        raise ValueError(f"--top must be 1 or more, not {top}")
    if lang not in LABELS:
        raise ValueError(f"unknown briefing language {lang!r}: use {' or '.join(LABELS)}")
    scope = scope or Scope(about, place, actor, outlet)
    newest = agent.newest_date() if not week and not until else None  # a scan of the index: only when needed
    name, start, end = resolve_period(week, since, until, newest)
    rows = agent.store.articles()
    ids, undated, excluded = select_articles(rows, start, end)
    arts = _load(agent, {i: rows[i] for i in ids})
    b = Briefing(name, start, end, EXTRACTIVE, "", undated=undated, excluded=excluded, top=top, lang=lang)
    if len(arts) < len(ids):
        b.warnings.append(f"{len(ids) - len(arts)} report(s) of the period have no chunks; run `rag ingest` again")
    query = embed_query(agent.embedder, scope.about) if scope.about else None
    chosen = scope_mod.select(scope, [_report(a) for a in arts], agent.gazetteer, query, agent.settings.briefing)
    b.scope = chosen.to_dict()
    kept = set(chosen.kept)
    arts = [a for a in arts if a.id in kept]
    for a in arts:  # quotable sentences: of the scoped reports only
        a.spans = _candidates(a)
    b.articles = len(arts)
    if coarse := sum(1 for a in arts if a.meta.get("date_precision") != "day"):
        b.warnings.append(f"{coarse} report(s) dated only to the month are in: the whole period lies in that month")
    if undated:
        b.warnings.append(f"{len(undated)} report(s) with unknown dates are in no dated briefing; listed at the end")
    before_start, before_end = start - (end - start) - timedelta(days=1), start - timedelta(days=1)
    before_ids, _, _ = select_articles(rows, before_start, before_end)
    before = _load(agent, {i: rows[i] for i in before_ids})
    keep_before = set(scope_mod.select(scope, [_report(a) for a in before], agent.gazetteer, query, agent.settings.briefing).kept)
    before = [a for a in before if a.id in keep_before]
    events_now, events_before = _events(agent, arts, start, end), _events(agent, before, before_start, before_end)
    clusters, numbers = _cluster(agent, arts), _Numbers()
    idf = _idf([a.text[s:e] for a in arts for s, e in a.spans])
    b.items = [_extractive_item(c, numbers, idf, agent.settings.briefing) for c in clusters]
    ranked = _rank(agent, b, clusters, chosen, events_now, before)
    if agent.llm is not None and mode != EXTRACTIVE:
        _llm_key(agent, b, ranked, numbers)
    elif mode not in (None, EXTRACTIVE):
        b.warnings.append(f"mode {mode!r} asked but no LLM is configured; this is the extractive briefing")
    _trim(b, agent.settings.briefing)
    b.changes = rank_mod.changes([_names(a) for a in arts], [_names(a) for a in before], events_now, events_before,
                                 agent.gazetteer, agent.settings.briefing)
    b.changes["previous_period"] = {"start": before_start.isoformat(), "end": before_end.isoformat()}
    b.headline = _headline(b, rows)
    b.sources = _renumber(b, numbers.sources)
    for label, text in [("headline", b.headline)] + [(f"item «{i.title}»", i.text) for i in b.items]:
        if bad := [n for s in parse_citations(text) for n in s.cites if n > len(b.sources)]:
            b.warnings.append(f"{label}: citation(s) {bad} do not resolve")
    attach_events(agent, b, rows, events_now)
    return b


def _load(agent, rows: dict[str, dict]) -> list[_Article]:
    """Selected articles with their chunks (text, offsets, stored vectors) and gazetteer names, by date."""
    arts, ids = {i: _Article(i, dict(m), []) for i, m in rows.items()}, sorted(rows)
    for aid, text in agent.store.article_texts(ids).items():  # texts of the period only, never the whole manifest
        arts[aid].meta["text"] = text
    for chunk, vector in agent.store.chunks_with_vectors(ids):
        arts[chunk.article_id].chunks.append(replace(chunk, meta={**chunk.meta, "vector": vector}))
    for a in arts.values():
        a.chunks.sort(key=lambda c: c.start)
        if a.chunks:
            a.entities = find_names(agent.gazetteer, a.meta.get("title", "") + "\n" + a.chunks[0].text)
    return sorted((a for a in arts.values() if a.chunks), key=lambda a: (int(a.meta.get("date_start", 0)), a.id))


def _report(a: _Article) -> dict:
    """What the scope reads of a report: title, lead, text, outlet, gazetteer ids of title and lead, lead vector."""
    return {"id": a.id, "title": a.meta.get("title", ""), "lead": a.chunks[0].text, "text": a.text, "outlet": a.outlet,
            "entities": {m.entry.id for m in a.entities}, "vector": a.chunks[0].meta.get("vector")}


def _names(a: _Article) -> set[str]:
    return {m.entry.id for m in a.entities if m.entry.type in ("place", "group", "force")}


def _events(agent, arts: list[_Article], start: date, end: date) -> list:
    """Events of these reports' sentences dated in start..end: those stored at ingest (rag.events_store), extracted
    from the chunks only for a report with no usable stored row (an older index, another gazetteer)."""
    found = [homonym_checked(e, agent.gazetteer) for e in events_of(agent.store, [a.id for a in arts], agent.gazetteer,
                                                                         agent.settings.events)]
    return sort_events(filter_events(found, agent.gazetteer, since=start, until=end))


def _cluster(agent, arts: list[_Article]) -> list[list[_Article]]:
    """Same-story articles grouped, each group ordered most central first."""
    if len(arts) < 2:
        return [arts] if arts else []
    vectors = np.stack([a.chunks[0].meta["vector"] for a in arts])
    tuning = agent.settings.briefing
    sim = similarity(vectors, _background(agent, vectors), [{m.entry.id for m in a.entities
                                                             if m.entry.type in ("place", "group")} for a in arts],
                     tuning.entity_weight)
    out = []
    for members in agglomerate(sim, tuning.cluster_threshold):
        centrality = sim[np.ix_(members, members)].clip(-1, 2).sum(axis=1)
        out.append([arts[members[k]] for k in np.argsort(-centrality, kind="stable")])
    return out


def _background(agent, vectors: np.ndarray) -> np.ndarray:
    """The mean the lead vectors are centred on: the period's own when min_background or more, else with index chunks."""
    if len(vectors) >= agent.settings.briefing.min_background:
        return vectors.mean(axis=0)
    return np.vstack([agent.store.sample_vectors(2000), vectors]).mean(axis=0)


def _rank(agent, b: Briefing, clusters: list[list[_Article]], chosen, events: list,
          before: list[_Article]) -> list[list[_Article]]:
    """Score the items (rag.briefing_rank), set who/where from their own sentences, order them; the clusters in order."""
    vectors = {a.id: a.chunks[0].meta["vector"] for c in clusters for a in c}
    prev = np.stack([a.chunks[0].meta["vector"] for a in before]) if before else None
    background = _background(agent, np.stack(list(vectors.values()))) if vectors else None
    by_article: dict[str, list] = {}
    for e in events:
        by_article.setdefault(e.citation.article_id, []).append(e)
    patterns = scope_mod.facet("about", b.scope.get("about", ""), agent.gazetteer).patterns if b.scope.get("about") else ()
    for item, cluster in zip(b.items, clusters):
        new = True
        if prev is not None:
            v, p = np.stack([vectors[a.id] for a in cluster]) - background, prev - background
            v, p = (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12) for x in (v, p))
            new = float((v @ p.T).max()) < agent.settings.briefing.cluster_threshold
        titled = sum(1 for a in cluster if chosen.ids & {m.entry.id for m in find_names(agent.gazetteer, a.meta.get("title", ""))}
                     or (patterns and all(p.search(arabic.normalize(a.meta.get("title", ""))) for p in patterns)))
        item_events = [e for a in cluster for e in by_article.get(a.id, [])]
        _who_where(agent, item, item_events)
        item.importance, item.why = rank_mod.importance(len(cluster), len(item.outlets), item_events, new,
                                                        titled / len(cluster),
                                                        bool(chosen.ids & set(item.place_ids + item.actor_ids)),
                                                        agent.settings.briefing)
    order = sorted(range(len(b.items)), key=lambda k: (-b.items[k].importance, b.items[k].date, k))
    b.items = [b.items[k] for k in order]
    return [clusters[k] for k in order]


def _who_where(agent, item: BriefingItem, events: list) -> None:
    """Set the item's places and actors from its heading and quoted sentences and the events in them."""
    own = [e for e in events if any(c.article_id == e.citation.article_id and c.start < e.citation.end
                                    and e.citation.start < c.end for c in item.citations)]
    places, actors = rank_mod.who_where([item.title] + [c.quote for c in item.citations], agent.gazetteer, own)
    item.places, item.actors = [p.en for p in places], [a.en for a in actors]
    item.place_ids, item.actor_ids = [p.id for p in places], [a.id for a in actors]
    first = next((e for e in own if not e.refers_to), None)
    item.gist = {"text": gist_line(first), "article_id": first.citation.article_id, "start": first.citation.start,
                 "end": first.citation.end} if first else {}


def _llm_key(agent, b: Briefing, ranked: list[list[_Article]], numbers) -> None:
    """Key items rewritten by the LLM from their chunks; any fault keeps the extractive items, with a warning."""
    from . import llm as llm_mod

    saved = [(i.text, i.citations, i.places, i.actors, i.place_ids, i.actor_ids) for i in b.items[:b.top]]
    try:
        for item, cluster in zip(b.items[:b.top], ranked):
            written = _llm_item(agent, cluster, numbers, b)
            item.text, item.citations = written.text, written.citations
            _who_where(agent, item, [])
        b.mode = llm_mod.label(agent.settings.llm)
    except Exception as exc:  # every LLM fault falls back to the extractive briefing
        for item, old in zip(b.items, saved):
            item.text, item.citations, item.places, item.actors, item.place_ids, item.actor_ids = old
        b.warnings.append(f"LLM failed: {llm_mod.describe_error(exc, agent.settings.llm)}; "
                          "this is the extractive briefing instead")


def _trim(b: Briefing, tuning: BriefingSettings) -> None:
    """Beyond the key section an item is one line (its first sentence); such items go to sections or the rest."""
    for item in b.items[b.top:]:  # beyond the key section an item is one line: its first sentence
        first = parse_citations(item.text)[:1]
        if first:
            keep = set(first[0].cites)
            item.text = first[0].text + " " + "".join(f"[{n}]" for n in first[0].cites)
            item.citations = [c for c in item.citations if c.n in keep]
    grouped, rest = rank_mod.sections(b.items[b.top:], lambda i: (i.places or i.actors or [None])[0], tuning)
    b.sections = [(name, items) for name, items in grouped]
    b.rest = rest
    b.items = b.key + [i for _, items in b.sections for i in items] + b.rest  # reading order: sources number so


def _idf(sentences: list[str]) -> dict[str, float]:
    df = Counter(t for s in sentences for t in _tokens(s))
    return {t: math.log((1 + len(sentences)) / n) for t, n in df.items()}


def _item(cluster: list[_Article], text: str, citations: list[Citation]) -> BriefingItem:
    """An item around its text: dates, outlets and the figures in its quotes (who/where: set from its own sentences)."""
    dates = sorted({a.meta.get("date", "") for a in cluster})
    return BriefingItem(
        date=dates[0], dates=dates, title=cluster[0].meta.get("title", ""), text=text, citations=citations,
        outlets=sorted({a.outlet for a in cluster}), article_ids=[a.id for a in cluster],
        figures=list(dict.fromkeys(f for c in citations for f in find_figures(c.quote)))[:10])


def _extractive_item(cluster: list[_Article], numbers: _Numbers, idf: dict[str, float], tuning: BriefingSettings) -> BriefingItem:
    """Lead sentences of the cluster, verbatim, each cited to its chunk and to corroborating leads."""
    pool = [(a, s, e, rank) for rank, a in enumerate(cluster) for s, e in a.spans]
    if not pool:  # nothing quotable: quote the first sentence of the lead chunk as it is
        c = cluster[0].chunks[0]
        s, e = (sentence_spans(c.text) or [(0, len(c.text))])[0]
        pool = [(cluster[0], c.start + s, c.start + e, 0)]
    chosen = [pool[0]]

    def score(p):
        a, s, e, rank = p
        return (0.6 * bool(find_figures(a.text[s:e])) + 0.4 * (a.outlet not in {x[0].outlet for x in chosen})
                + 0.3 * ((s, e) in a.spans[:2]) - 0.05 * rank)

    for p in sorted(pool[1:], key=score, reverse=True):
        toks = _tokens(p[0].text[p[1]:p[2]])
        if len(chosen) < tuning.max_sentences and score(p) > 0.2 and all(
                len(toks & (t := _tokens(x[0].text[x[1]:x[2]]))) < tuning.near_repeat * len(toks | t) for x in chosen):
            chosen.append(p)
    lines = [((a, s, e), [numbers.cite(a, s, e)]) for a, s, e, _ in chosen]
    cited = {a.id for a, *_ in chosen}
    weight = lambda toks: sum(idf.get(t, 1.0) for t in toks)  # noqa: E731
    for (a, s, e), cites in lines:  # other articles' leads that state the same: cite them too
        claim = _tokens(a.text[s:e])
        for other in cluster:
            lead = other.chunks[0]
            if other.id in cited or len(cites) > 4:
                continue
            trial = quote_for(a.text[s:e], Source(0, lead.id, other.id, "", "", "", lead.text, lead.start),
                              lambda _, sents: [weight(claim & _tokens(x)) for x in sents])  # noqa: B023  (called at once)
            if weight(claim & _tokens(trial.quote)) >= tuning.corroborate * weight(claim):
                cites.append(numbers.cite(other, trial.start, trial.end))
                cited.add(other.id)
    for other in cluster:  # every outlet cited at least once
        if len(lines) < tuning.max_with_outlets and other.spans and other.outlet not in {
                (c.source or "outlet unknown") for _, cs in lines for c in cs}:
            lines.append(((other, *other.spans[0]), [numbers.cite(other, *other.spans[0])]))
    text = "\n".join(a.text[s:e] + " " + "".join(f"[{c.n}]" for c in cs) for (a, s, e), cs in lines)
    return _item(cluster, text, [c for _, cs in lines for c in cs])


def _llm_item(agent, cluster: list[_Article], numbers: _Numbers, b: Briefing) -> BriefingItem:
    """Prose for one item written by the LLM from its chunks; raises when nothing verifiable comes back."""
    from .llm import LLMError
    from .prompts import load_prompt

    sources = [numbers.source(c, a) for a, c in [(a, c) for a in cluster[:6] for c in a.chunks[:2]][:8]]
    reply = (load_prompt("briefing") | agent.llm).invoke({
        "period": f"{b.start} to {b.end} ({b.name})", "sources": format_sources(sources),
        "language": LANGUAGE_NAME[LANGUAGE], "not_in_sources": NOT_IN_SOURCES[LANGUAGE]})
    checked = verify(reply.content if isinstance(reply.content, str) else "", sources)
    if checked.abstained or not checked.citations:
        raise LLMError("the LLM's briefing item carried no citation that resolves to its sources (malformed output)")
    if checked.removed or checked.uncited:
        b.warnings.append(f"item «{cluster[0].meta.get('title', '')}»: {checked.removed} unresolvable citation(s) "
                          f"removed; {len(checked.uncited)} sentence(s) without a citation, shown as [no source]")
    text = "\n".join(f"{s.text} {''.join(f'[{n}]' for n in s.cites)}".strip() for s in checked.sentences)
    return _item(cluster, text, checked.citations)


def _headline(b: Briefing, rows: dict) -> str:
    """Counts of the period, then the three most reported items' titles, each with a citation."""
    if not b.items and b.scope.get("of"):
        return (f"None of the {b.scope['of']} dated report(s) of {b.start} to {b.end} is within the scope "
                f"({b.scope.get('description', '')}); widen it or drop --about/--place/--actor/--outlet.")
    if not b.items:
        newest = max((m["date"] for m in rows.values() if m.get("date_precision") == "day"), default="")
        later = f"; the newest dated report is of {newest} ({week_of(date.fromisoformat(newest))})" if newest else ""
        return f"No dated report in the index falls in {b.start} to {b.end}{later}."
    outlets = _outlets(b.items)
    return (f"{len(b.items)} item(s) from {b.articles} dated report(s) by {len(outlets)} outlet(s) "
            f"({', '.join(outlets)}), {b.start} to {b.end}; the {len(b.key)} most important first.")


def _renumber(b: Briefing, sources: list[Source]) -> list[Source]:
    """Keep the cited sources only, numbered 1..k in order of first appearance; marks and citations follow."""
    # The same numbering as answers (rag/answering/numbering.py).
    order = order_of_use("\n".join([b.headline] + [i.text for i in b.items]))
    sub = lambda t: renumber_marks(t, order)  # noqa: E731
    b.headline = sub(b.headline)
    for item in b.items:
        item.text = sub(item.text)
        for c in item.citations:
            c.n = order[c.n]
    kept = sorted((s for s in sources if s.n in order), key=lambda s: order[s.n])
    for s in kept:
        s.n = order[s.n]
    return kept
