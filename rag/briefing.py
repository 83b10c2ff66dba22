"""Briefings: dated, cited summaries of a period, with undated reports flagged.

    briefing = build_briefing(agent, week="2021-W08")      # or since=..., until=...
    render_briefing(briefing, "md" | "html" | "json", path=None)   # rendering: rag.briefing_render

Rules chosen:

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
- LLM mode (an LLM configured, mode not "extractive"): each item's prose is written through
  prompts/briefing.md from the item's chunks (delimited as untrusted data) and verified as answers
  are; any failure gives the extractive briefing with a warning. The headline (counts, top items'
  titles) is composed in both modes; `mode` says which wrote the items.
- Sources are chunks numbered [1]..[k] by first citation; every [n] resolves, every quote is the
  article's display text at [start:end]; figures are number phrases found verbatim in the quotes.
- Events: those dated in the period, each cited [n] to a numbered source (rules in rag.briefing_render).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from . import arabic
from .answering.answer import EXTRACTIVE
from .answering.chain import LANGUAGE_NAME, format_sources
from .answering.citations import NOT_IN_SOURCES, Citation, Source, citation_from, parse_citations, quote_for, verify
from .answering.safety import looks_like_instruction
from .briefing_render import attach_events, event_rows, render_briefing  # noqa: F401  (render_briefing re-exported)
from .dates import find_dates, iso_week, parse_user_date, week_of
from .documents import Chunk
from .ingest.chunking import sentence_spans

THRESHOLD, ENTITY_WEIGHT, MIN_BACKGROUND = 0.35, 0.05, 50
MAX_SENTENCES, MAX_WITH_OUTLETS, NEAR_REPEAT, CORROBORATE = 3, 5, 0.45, 0.5
LANGUAGE = "ar"  # the language LLM-written items are asked for (that of the sources)
_MARK = re.compile(r"\[(\d+)\]")
_NUM = r"(?<![\d:./٫,\-])[0-9٠-٩]+(?:[.,٫][0-9٠-٩]+)?"
_FIGURE = re.compile(
    r"(?:(?:أكثر|اكثر|أقل|اقل) من\s+|(?:نحو|حوالي|حوالى|قرابة|زهاء)\s+|ما (?:لا )?(?:يقل|يزيد) (?:عن|على)\s+)?"
    rf"(?:{_NUM}\s+(?:(?:ألف|آلاف|مليون|ملايين)\s+)?|(?:عشرات|مئات|آلاف)\s+)(?:من\s+)?[\u0621-\u0652\u0640]{{2,}}")
_NOT_UNITS = frozenset(arabic.normalize(w) for w in (
    "عام العام عاما أعوام سنة السنة سنوات شهر أشهر يوم يوما أيام ساعة ساعات دقيقة دقائق مساء صباح "
    "كانون تشرين شباط آذار نيسان أيار حزيران تموز آب أيلول يناير فبراير مارس أبريل ابريل مايو يونيو يوليو "
    "أغسطس سبتمبر أكتوبر نوفمبر ديسمبر").split())


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
    events: list = field(default_factory=list)  # rag.events.Event of the period, by date
    event_sources: dict[str, int] = field(default_factory=dict)  # event id -> its source's number

    def to_dict(self) -> dict:
        """name, period{start,end}, mode, headline, items, undated, excluded, sources, warnings, counts, events
        (Event.to_dict() with citation.n, its source's number)."""
        counts = {"items": len(self.items), "articles": self.articles, "outlets": len(_outlets(self.items)),
                  "undated": len(self.undated), "excluded": len(self.excluded)}
        skip = ("name", "start", "end", "articles", "events", "event_sources")
        plain = asdict(replace(self, events=[], event_sources={}))  # events: their own to_dict() below
        events = [{**d, "citation": {**d["citation"], "n": n}} for d, n in event_rows(self)]
        return {"name": self.name, "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
                **{k: v for k, v in plain.items() if k not in skip}, "counts": counts, "events": events}


@dataclass
class _Article:
    id: str
    meta: dict
    chunks: list[Chunk]
    entities: list = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # quotable early sentences

    text = property(lambda self: self.meta.get("text", ""))
    outlet = property(lambda self: self.meta.get("source") or "outlet unknown")

    def chunk_of(self, s: int, e: int) -> Chunk | None:
        return next((c for c in self.chunks if c.start <= s and e <= c.end), None)


# -- period, selection, clustering, figures (pure) ------------------------------------------


def default_week(newest: date | None) -> str:
    """The last complete ISO week on or before the newest dated article."""
    if newest is None:
        raise ValueError("no dated article in the index: give a week (2021-W08) or since/until")
    return week_of(newest if newest.weekday() == 6 else newest - timedelta(days=newest.weekday() + 1))


def resolve_period(week=None, since=None, until=None, newest: date | None = None) -> tuple[str, date, date]:
    """(name, start, end) of the period asked for; ValueError when it is invalid."""
    if week and (since or until):
        raise ValueError("give either a week or since/until, not both")
    if week or not (since or until):
        start, end = iso_week(week or default_week(newest))
        return week_of(start), start, end
    lo = since if isinstance(since, date) else parse_user_date(str(since)) if since else None
    hi = until if isinstance(until, date) else parse_user_date(str(until), end=True) if until else None
    hi = hi or max(newest or lo, lo)
    lo = lo or hi - timedelta(days=6)
    if lo > hi:
        raise ValueError(f"the period starts ({lo}) after it ends ({hi})")
    return f"{lo}_{hi}", lo, hi


def select_articles(rows: dict[str, dict], start: date, end: date) -> tuple[list[str], list[dict], list[dict]]:
    """(ids in the period, undated reports, excluded reports with the reason), by date precision."""
    lo, hi = start.toordinal(), end.toordinal()
    chosen, undated, excluded = [], [], []
    for aid, m in sorted(rows.items()):
        a, b, prec = int(m.get("date_start", -1)), int(m.get("date_end", -1)), m.get("date_precision", "unknown")
        info = {"id": aid, "title": m.get("title", ""), "source": m.get("source", "")}
        if prec == "unknown" or a < 0:
            undated.append(info)
        elif (lo <= a and b <= hi) or (prec == "month" and a <= lo and hi <= b):
            chosen.append(aid)
        elif a <= hi and b >= lo:
            excluded.append({**info, "date": m.get("date", ""), "date_precision": prec, "reason":
                             f"dated only to the {prec} {m.get('date', '')}, which neither lies in {start}..{end} "
                             "nor contains it: the report cannot be placed in this period"})
    return chosen, undated, excluded


def similarity(vectors: np.ndarray, background: np.ndarray, entities: list[set[str]]) -> np.ndarray:
    """Centred cosine of lead vectors plus ENTITY_WEIGHT x IDF-weighted Jaccard of shared places/groups."""
    v = vectors - background
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    names = sorted({e for s in entities for e in s})
    x = np.array([[e in s for e in names] for s in entities], dtype=np.float64).reshape(len(entities), len(names))
    w = x * np.log(1 + len(entities) / np.maximum(x.sum(axis=0), 1))  # IDF-weighted incidence
    shared = w @ x.T
    union = w.sum(axis=1)[:, None] + w.sum(axis=1)[None, :] - shared
    bonus = np.where(shared > 0, shared / np.maximum(union, 1e-12), 0.0)
    np.fill_diagonal(bonus, 0.0)
    return v @ v.T + ENTITY_WEIGHT * bonus


def agglomerate(sim: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Average-linkage clusters (row indices), merged while the best pair is >= threshold; largest first."""
    s, n = np.array(sim, dtype=np.float64), len(sim)
    if n == 0:
        return []
    np.fill_diagonal(s, -np.inf)
    size, members = np.ones(n), {i: [i] for i in range(n)}
    best = s.argmax(axis=1)
    value = s[np.arange(n), best]
    while value.max() >= threshold:
        i = int(value.argmax())
        j = int(best[i])
        s[i] = s[:, i] = (s[i] * size[i] + s[j] * size[j]) / (size[i] + size[j])
        s[j] = s[:, j] = -np.inf
        s[i, i], value[j] = -np.inf, -np.inf
        size[i] += size[j]
        members[i] += members.pop(j)
        for k in np.flatnonzero((value > -np.inf) & ((best == i) | (best == j) | (np.arange(n) == i))):
            best[k] = s[k].argmax()  # an average never exceeds the larger of two, so only these rows change
            value[k] = s[k, best[k]]
    return sorted(members.values(), key=lambda m: (-len(m), min(m)))


@lru_cache(maxsize=8192)
def find_figures(text: str) -> tuple[str, ...]:
    """Number phrases as written ('أكثر من 400 عنصر', '12 غارة', 'عشرات القتلى'); dates, times and ages left out."""
    found = [m for m in _FIGURE.finditer(text) if arabic.normalize(m.group().split()[-1]).lstrip("وبل") not in _NOT_UNITS]
    dated = [(s, e) for _, s, e in find_dates(text)] if found else []
    return tuple(dict.fromkeys(m.group() for m in found if not any(s < m.end() and m.start() < e for s, e in dated)))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(arabic.tokens(text))


def _candidates(art: _Article, limit: int = 8) -> list[tuple[int, int]]:
    """Early sentences fit to quote: 6-60 words, not part of the title, inside one chunk, not addressed to a model."""
    title = " ".join(arabic.normalize(art.meta.get("title", "")).split())
    out = []
    for s, e in sentence_spans(art.text):
        piece = art.text[s:e]
        if (6 <= arabic.word_count(piece) <= 60 and " ".join(arabic.normalize(piece).strip(" .:،-").split()) not in title
                and not looks_like_instruction(piece) and not _MARK.search(piece) and art.chunk_of(s, e)):
            out.append((s, e))
            if len(out) >= limit:
                break
    return out


def _outlets(items: list[BriefingItem]) -> list[str]:
    return sorted({o for i in items for o in i.outlets})


class _Numbers:
    """Chunks numbered as sources [1]..[k] in order of first citation."""

    def __init__(self):
        self.sources: list[Source] = []
        self._by_chunk: dict[str, Source] = {}

    def source(self, chunk: Chunk, art: _Article) -> Source:
        if chunk.id not in self._by_chunk:
            m = art.meta
            self._by_chunk[chunk.id] = Source(len(self.sources) + 1, chunk.id, art.id, m.get("title", ""),
                                              m.get("source", ""), m.get("date", ""), chunk.text, chunk.start,
                                              m.get("url", ""), m.get("date_precision", "unknown"))
            self.sources.append(self._by_chunk[chunk.id])
        return self._by_chunk[chunk.id]

    def cite(self, art: _Article, s: int, e: int) -> Citation:
        chunk = art.chunk_of(s, e)
        src = self.source(chunk, art)
        return citation_from(src, s - chunk.start, e - chunk.start)


# -- building -----------------------------------------------------------------------------------


def build_briefing(agent, week: str | None = None, since=None, until=None, mode: str | None = None) -> Briefing:
    """The briefing of a week or period over the agent's index (rules in the module docstring)."""
    name, start, end = resolve_period(week, since, until, agent.newest_date())
    rows = agent.store.articles()
    ids, undated, excluded = select_articles(rows, start, end)
    arts = _load(agent, {i: rows[i] for i in ids})
    b = Briefing(name, start, end, EXTRACTIVE, "", undated=undated, excluded=excluded, articles=len(arts))
    if len(arts) < len(ids):
        b.warnings.append(f"{len(ids) - len(arts)} report(s) of the period have no chunks; run `rag ingest` again")
    if coarse := sum(1 for a in arts if a.meta.get("date_precision") != "day"):
        b.warnings.append(f"{coarse} report(s) dated only to the month are in: the whole period lies in that month")
    if undated:
        b.warnings.append(f"{len(undated)} report(s) with unknown dates are in no dated briefing; listed at the end")
    clusters, numbers = _cluster(agent, arts), _Numbers()
    if agent.llm is not None and mode != EXTRACTIVE:
        from . import llm as llm_mod

        before = list(b.warnings)
        try:
            b.items, b.mode = [_llm_item(agent, c, numbers, b) for c in clusters], llm_mod.label(agent.settings.llm)
        except Exception as exc:  # every LLM fault falls back to the extractive briefing
            b.warnings = before + [f"LLM failed: {llm_mod.describe_error(exc, agent.settings.llm)}; "
                                   "this is the extractive briefing instead"]
            numbers = _Numbers()
    elif mode not in (None, EXTRACTIVE):
        b.warnings.append(f"mode {mode!r} asked but no LLM is configured; this is the extractive briefing")
    if b.mode == EXTRACTIVE:
        idf = _idf([a.text[s:e] for a in arts for s, e in a.spans])
        b.items = [_extractive_item(c, numbers, idf) for c in clusters]
    b.headline = _headline(b, rows)
    b.sources = _renumber(b, numbers.sources)
    for label, text in [("headline", b.headline)] + [(f"item «{i.title}»", i.text) for i in b.items]:
        if bad := [n for s in parse_citations(text) for n in s.cites if n > len(b.sources)]:
            b.warnings.append(f"{label}: citation(s) {bad} do not resolve")
    attach_events(agent, b, rows)
    return b


def _load(agent, rows: dict[str, dict]) -> list[_Article]:
    """Selected articles with their chunks (text, offsets, stored vectors) and gazetteer names, by date."""
    arts, ids = {i: _Article(i, dict(m), []) for i, m in rows.items()}, sorted(rows)
    for k in range(0, len(ids), 500):  # texts of the period only, never the whole manifest
        page = agent.store.manifest.get(ids=ids[k:k + 500], include=["documents"])
        for aid, doc in zip(page["ids"], page["documents"]):
            arts[aid].meta["text"] = doc or ""
        page = agent.store.chunks.get(where={"article_id": {"$in": ids[k:k + 500]}},
                                      include=["documents", "metadatas", "embeddings"])
        for cid, doc, meta, vec in zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"]):
            meta = {**meta, "vector": np.asarray(vec, dtype=np.float32)}
            arts[meta["article_id"]].chunks.append(Chunk(cid, meta["article_id"], doc or "", int(meta["start"]),
                                                         int(meta["end"]), meta))
    for a in arts.values():
        a.chunks.sort(key=lambda c: c.start)
        if a.chunks:
            a.entities = agent.gazetteer.find_arabic(a.meta.get("title", "") + "\n" + a.chunks[0].text)
            a.spans = _candidates(a)
    return sorted((a for a in arts.values() if a.chunks), key=lambda a: (int(a.meta.get("date_start", 0)), a.id))


def _cluster(agent, arts: list[_Article]) -> list[list[_Article]]:
    """Same-story articles grouped, each group ordered most central first."""
    if len(arts) < 2:
        return [arts] if arts else []
    vectors = np.stack([a.chunks[0].meta["vector"] for a in arts])
    if len(arts) >= MIN_BACKGROUND:
        background = vectors.mean(axis=0)
    else:
        page = agent.store.chunks.get(limit=2000, include=["embeddings"])
        background = np.vstack([np.asarray(page["embeddings"], dtype=np.float32), vectors]).mean(axis=0)
    sim = similarity(vectors, background, [{m.entry.id for m in a.entities if m.entry.type in ("place", "group")}
                                           for a in arts])
    out = []
    for members in agglomerate(sim):
        centrality = sim[np.ix_(members, members)].clip(-1, 2).sum(axis=1)
        out.append([arts[members[k]] for k in np.argsort(-centrality, kind="stable")])
    return out


def _idf(sentences: list[str]) -> dict[str, float]:
    df = Counter(t for s in sentences for t in _tokens(s))
    return {t: math.log((1 + len(sentences)) / n) for t, n in df.items()}


def _item(cluster: list[_Article], text: str, citations: list[Citation]) -> BriefingItem:
    """An item around its text: dates, outlets, places, actors and the figures in its quotes."""
    dates = sorted({a.meta.get("date", "") for a in cluster})
    ordered = [e for e, _ in Counter(m.entry for a in cluster for m in a.entities).most_common()]
    return BriefingItem(
        date=dates[0], dates=dates, title=cluster[0].meta.get("title", ""), text=text, citations=citations,
        outlets=sorted({a.outlet for a in cluster}), article_ids=[a.id for a in cluster],
        places=[e.en for e in ordered if e.type == "place"][:8],
        actors=[e.en for e in ordered if e.type in ("group", "force")][:8],
        figures=list(dict.fromkeys(f for c in citations for f in find_figures(c.quote)))[:10])


def _extractive_item(cluster: list[_Article], numbers: _Numbers, idf: dict[str, float]) -> BriefingItem:
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
        if len(chosen) < MAX_SENTENCES and score(p) > 0.2 and all(
                len(toks & (t := _tokens(x[0].text[x[1]:x[2]]))) < NEAR_REPEAT * len(toks | t) for x in chosen):
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
                              lambda _, sents: [weight(claim & _tokens(x)) for x in sents])
            if weight(claim & _tokens(trial.quote)) >= CORROBORATE * weight(claim):
                cites.append(numbers.cite(other, trial.start, trial.end))
                cited.add(other.id)
    for other in cluster:  # every outlet cited at least once
        if len(lines) < MAX_WITH_OUTLETS and other.spans and other.outlet not in {
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
    if not b.items:
        newest = max((m["date"] for m in rows.values() if m.get("date_precision") == "day"), default="")
        later = f"; the newest dated report is of {newest} ({week_of(date.fromisoformat(newest))})" if newest else ""
        return f"No dated report in the index falls in {b.start} to {b.end}{later}."
    outlets = _outlets(b.items)
    lines = [f"{len(b.items)} item(s) from {b.articles} dated report(s) by {len(outlets)} outlet(s) "
             f"({', '.join(outlets)}), {b.start} to {b.end}."]
    for item in b.items[:3]:
        mark = _MARK.search(item.text)
        lines.append(f"«{item.title}» ({item.date}; {len(item.article_ids)} report(s), {', '.join(item.outlets)})"
                     + (f" {mark.group()}" if mark else ""))
    return "\n".join(lines)


def _renumber(b: Briefing, sources: list[Source]) -> list[Source]:
    """Keep the cited sources only, numbered 1..k in order of first appearance; marks and citations follow."""
    order: dict[int, int] = {}
    for m in _MARK.finditer("\n".join([b.headline] + [i.text for i in b.items])):
        order.setdefault(int(m.group(1)), len(order) + 1)
    sub = lambda t: _MARK.sub(lambda m: f"[{order[int(m.group(1))]}]", t)  # noqa: E731
    b.headline = sub(b.headline)
    for item in b.items:
        item.text = sub(item.text)
        for c in item.citations:
            c.n = order[c.n]
    kept = sorted((s for s in sources if s.n in order), key=lambda s: order[s.n])
    for s in kept:
        s.n = order[s.n]
    return kept
