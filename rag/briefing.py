"""Briefings: dated, cited summaries of a period, with undated reports flagged.

    briefing = build_briefing(agent, week="2021-W08")      # or since=..., until=...
    render_briefing(briefing, "md" | "html" | "json")

Rules chosen:

- Period: an ISO week (Monday..Sunday) or since/until, both inclusive (since alone runs to the
  newest dated article; until alone is the 7 days ending then). With none: the last complete ISO
  week on or before the newest dated article (its own week when it is a Sunday, else the week before).
- Selection by date precision: a date whose whole span (day, month or year) lies in the period is
  in; a month-only date is also in when the whole period lies within that month. Any other coarse
  date overlapping the period is listed in `excluded` with the reason; unknown dates never enter and
  are listed in `undated` (ids, titles, outlets), so nothing is hidden.
- Clustering: one vector per article, its lead chunk's stored embedding, centred on a background
  mean (the period's leads when there are 50 or more, else up to 2,000 of the index's chunks):
  e5 cosines bunch together (0.81-0.94 on one week) and centring spreads them. Similarity = centred
  cosine + 0.05 x IDF-weighted Jaccard of the gazetteer places and groups named in title and lead;
  average-linkage agglomeration while the best pair is >= 0.35. Calibrated by reading the clusters of
  ANT 2018-W15 (348 middleEast articles, 4 outlets): at 0.35, 152 items, 44 of them from several
  outlets, no mixed stories among the largest; at 0.30 unrelated stories start to merge, at 0.45
  same-event reports from different outlets stay apart. See bench/brief.py.
- Extractive mode: per item, the lead sentence of its most central article, then up to two more
  early sentences from other articles, preferring figures and other outlets and skipping
  near-repeats; every sentence is verbatim and cited to its chunk, and also to other articles' lead
  chunks that say the same (token overlap); every outlet of the item is cited at least once.
- LLM mode (an LLM is configured and mode is not "extractive"): each item's prose is written through
  prompts/briefing.md from that item's chunks (formatted as untrusted data) and verified as answers
  are; any failure falls back to the extractive briefing with a warning. The headline is composed
  from counts and item titles in both modes; `mode` says which wrote the items.
- Sources are chunks numbered [1]..[k] in order of first citation; every [n] resolves to one and
  every quote is the article's text at [start:end]. Figures are number phrases found verbatim in
  the cited quotes.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import numpy as np

from . import arabic
from .answering.answer import EXTRACTIVE
from .answering.chain import LANGUAGE_NAME, format_sources
from .answering.citations import NOT_IN_SOURCES, Citation, Source, citation_from, parse_citations, quote_for, verify
from .answering.safety import looks_like_instruction
from .dates import find_dates, iso_week, parse_user_date, week_of
from .documents import Chunk
from .ingest.chunking import sentence_spans

THRESHOLD = 0.35  # average-linkage cut on centred lead cosine (+ gazetteer bonus); see the docstring
ENTITY_WEIGHT = 0.05
MIN_BACKGROUND = 50  # period leads needed to centre on the period itself
MAX_SENTENCES, MAX_WITH_OUTLETS = 3, 5
CORROBORATE = 0.4  # share of a sentence's tokens another article's lead must hold to be cited for it
LANGUAGE = "ar"
_MARK = re.compile(r"\[(\d+)\]")
_NUM = r"(?<![\d:./٫,])[0-9٠-٩]+(?:[.,٫][0-9٠-٩]+)?"
_WORD = r"[\u0621-\u0652\u0640]{2,}"
_FIGURE = re.compile(
    rf"(?:(?:أكثر|اكثر|أقل|اقل) من\s+|(?:نحو|حوالي|حوالى|قرابة|زهاء)\s+|ما (?:لا )?(?:يقل|يزيد) (?:عن|على)\s+)?"
    rf"(?:{_NUM}\s+(?:(?:ألف|آلاف|مليون|ملايين)\s+)?(?:من\s+)?{_WORD}|(?:عشرات|مئات|آلاف)\s+(?:من\s+)?{_WORD})")
_NOT_UNITS = {arabic.normalize(w) for w in "عام العام سنة السنة سنوات ساعة دقيقة في من الى إلى على عن".split()}
MODE_NOTE = {"extractive": "every sentence is quoted verbatim from the cited source (no LLM)",
             "llm": "written by {mode} from the numbered sources; citations verified, figures quoted verbatim"}


@dataclass
class BriefingItem:
    """One story or theme of the period: its dates, verbatim or LLM text with [n] marks, and who/where/figures."""

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

    def to_dict(self) -> dict:
        """The JSON shape of an item."""
        return {**asdict(self), "citations": [c.to_dict() for c in self.citations]}


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

    def to_dict(self) -> dict:
        """period{start,end}, mode, headline, items[...], undated[...], excluded, sources, warnings, counts."""
        return {
            "name": self.name, "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "mode": self.mode, "headline": self.headline, "items": [i.to_dict() for i in self.items],
            "undated": self.undated, "excluded": self.excluded, "sources": [asdict(s) for s in self.sources],
            "warnings": self.warnings,
            "counts": {"items": len(self.items), "articles": self.articles, "outlets": len(_outlets(self.items)),
                       "undated": len(self.undated), "excluded": len(self.excluded)},
        }


@dataclass
class _Article:
    id: str
    meta: dict
    chunks: list[Chunk]
    entities: list = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.meta.get("text", "")

    @property
    def outlet(self) -> str:
        return self.meta.get("source") or "outlet unknown"


# -- period and selection (pure) -------------------------------------------------


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
    """(ids in the period, undated rows, excluded rows with the reason) by date precision."""
    lo, hi = start.toordinal(), end.toordinal()
    chosen, undated, excluded = [], [], []
    for aid, m in sorted(rows.items()):
        a, b, prec = int(m.get("date_start", -1)), int(m.get("date_end", -1)), m.get("date_precision", "unknown")
        info = {"id": aid, "title": m.get("title", ""), "source": m.get("source", "")}
        if prec == "unknown" or a < 0:
            undated.append(info)
        elif b < lo or a > hi:
            continue
        elif (lo <= a and b <= hi) or (prec == "month" and a <= lo and hi <= b):
            chosen.append(aid)
        else:
            excluded.append({**info, "date": m.get("date", ""), "date_precision": prec, "reason":
                             f"dated only to the {prec} {m.get('date', '')}, which the period {start}..{end} neither "
                             f"contains nor lies within: the report cannot be placed in this period"})
    return chosen, undated, excluded


# -- clustering (pure) ---------------------------------------------------------------


def similarity(vectors: np.ndarray, background: np.ndarray, entities: list[set[str]]) -> np.ndarray:
    """Centred cosine of lead vectors plus ENTITY_WEIGHT x IDF-weighted Jaccard of shared places/groups."""
    v = vectors - background
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    sim = v @ v.T
    df = Counter(e for s in entities for e in s)
    idf = {e: math.log(1 + len(entities) / n) for e, n in df.items()}
    for i, a in enumerate(entities):
        for j in range(i + 1, len(entities)):
            union = a | entities[j]
            if a & entities[j]:
                bonus = ENTITY_WEIGHT * sum(idf[e] for e in a & entities[j]) / sum(idf[e] for e in union)
                sim[i, j] += bonus
                sim[j, i] += bonus
    return sim


def agglomerate(sim: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Average-linkage clusters (lists of row indices) merged while the best pair is >= threshold."""
    s = np.array(sim, dtype=np.float64)
    n = len(s)
    if n == 0:
        return []
    np.fill_diagonal(s, -np.inf)
    size, members = np.ones(n), {i: [i] for i in range(n)}
    best = s.argmax(axis=1)
    value = s[np.arange(n), best]
    while True:
        i = int(value.argmax())
        j = int(best[i])
        if value[i] < threshold:
            break
        merged = (s[i] * size[i] + s[j] * size[j]) / (size[i] + size[j])
        s[i], s[:, i] = merged, merged
        s[j], s[:, j] = -np.inf, -np.inf
        s[i, i] = -np.inf
        size[i] += size[j]
        members[i] += members.pop(j)
        value[j] = -np.inf
        stale = [k for k in range(n) if k == i or (value[k] > -np.inf and best[k] in (i, j))]
        for k in stale:  # an average never exceeds the larger of the two, so only these can change
            best[k] = s[k].argmax()
            value[k] = s[k, best[k]]
    return sorted(members.values(), key=lambda m: (-len(m), min(m)))


# -- text helpers (pure) -----------------------------------------------------------------


def find_figures(text: str) -> list[str]:
    """Number phrases as written ('أكثر من 400 عنصر', '12 غارة'), dates and years left out."""
    dated = [(s, e) for _, s, e in find_dates(text)]
    out = []
    for m in _FIGURE.finditer(text):
        unit = arabic.normalize(m.group().split()[-1])
        if unit in _NOT_UNITS or any(s < m.end() and m.start() < e for s, e in dated):
            continue
        if m.group() not in out:
            out.append(m.group())
    return out


def _candidates(art: _Article, limit: int = 8) -> list[tuple[int, int]]:
    """Early sentences fit to quote: 6-60 words, not the title, inside one chunk, not addressed to a model."""
    title = " ".join(arabic.normalize(art.meta.get("title", "")).split())
    out = []
    for s, e in sentence_spans(art.text):
        piece = art.text[s:e]
        key = " ".join(arabic.normalize(piece).strip(" .:،-").split())
        if (6 <= arabic.word_count(piece) <= 60 and key not in title
                and not looks_like_instruction(piece) and _chunk_of(art, s, e)):
            out.append((s, e))
            if len(out) >= limit:
                break
    return out


def _chunk_of(art: _Article, s: int, e: int) -> Chunk | None:
    return next((c for c in art.chunks if c.start <= s and e <= c.end), None)


def _jaccard(a: str, b: str) -> float:
    x, y = set(arabic.tokens(a)), set(arabic.tokens(b))
    return len(x & y) / max(1, len(x | y))


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


# -- building --------------------------------------------------------------------------------


def build_briefing(agent, week: str | None = None, since=None, until=None, mode: str | None = None) -> Briefing:
    """The briefing of a week or period over the agent's index (see the module docstring for the rules)."""
    name, start, end = resolve_period(week, since, until, agent.newest_date())
    rows = agent.store.articles(with_text=True)
    ids, undated, excluded = select_articles(rows, start, end)
    arts = _load(agent, {i: rows[i] for i in ids})
    clusters = _cluster(agent, arts)
    b = Briefing(name, start, end, EXTRACTIVE, "", undated=undated, excluded=excluded, articles=len(arts))
    coarse = sum(1 for a in arts if a.meta.get("date_precision") != "day")
    if coarse:
        b.warnings.append(f"{coarse} report(s) dated only to the month are included: the whole period lies in that month")
    if undated:
        b.warnings.append(f"{len(undated)} report(s) with unknown dates are in no dated briefing; they are listed at the end")
    numbers = _Numbers()
    if agent.llm is not None and mode != EXTRACTIVE:
        from . import llm as llm_mod

        try:
            b.items = [_llm_item(agent, c, numbers, b) for c in clusters]
            b.mode = llm_mod.label(agent.settings.llm)
        except Exception as exc:  # every LLM fault falls back to the extractive briefing
            b.warnings.append(f"LLM failed: {llm_mod.describe_error(exc, agent.settings.llm)}; "
                              "this is the extractive briefing instead")
            numbers = _Numbers()
    elif mode not in (None, EXTRACTIVE):
        b.warnings.append(f"mode {mode!r} asked but no LLM is configured; this is the extractive briefing")
    if b.mode == EXTRACTIVE:
        b.items = [_extractive_item(c, numbers) for c in clusters]
    b.headline = _headline(b, numbers.sources, rows)
    b.sources = _renumber(b, numbers.sources)
    _check(b)
    return b


def _load(agent, rows: dict[str, dict]) -> list[_Article]:
    """Selected articles with their chunks (text, offsets, stored vectors) and gazetteer names."""
    arts = {i: _Article(i, m, []) for i, m in rows.items()}
    ids = sorted(arts)
    for k in range(0, len(ids), 500):
        page = agent.store.chunks.get(where={"article_id": {"$in": ids[k:k + 500]}},
                                      include=["documents", "metadatas", "embeddings"])
        for cid, doc, meta, vec in zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"]):
            chunk = Chunk(cid, meta["article_id"], doc or "", int(meta.get("start", 0)), int(meta.get("end", 0)), dict(meta))
            chunk.meta["vector"] = np.asarray(vec, dtype=np.float32)
            arts[chunk.article_id].chunks.append(chunk)
    out = []
    for a in arts.values():
        if not a.chunks:
            continue
        a.chunks.sort(key=lambda c: c.start)
        a.entities = agent.gazetteer.find_arabic(a.meta.get("title", "") + "\n" + a.chunks[0].text)
        a.spans = _candidates(a)
        out.append(a)
    return sorted(out, key=lambda a: (int(a.meta.get("date_start", 0)), a.id))


def _cluster(agent, arts: list[_Article]) -> list[list[_Article]]:
    """Same-story articles grouped, each group ordered by centrality (most central first)."""
    if len(arts) < 2:
        return [arts] if arts else []
    vectors = np.stack([a.chunks[0].meta["vector"] for a in arts])
    if len(arts) >= MIN_BACKGROUND:
        background = vectors.mean(axis=0)
    else:
        page = agent.store.chunks.get(limit=2000, include=["embeddings"])
        background = np.vstack([np.asarray(page["embeddings"], dtype=np.float32), vectors]).mean(axis=0)
    ents = [{m.entry.id for m in a.entities if m.entry.type in ("place", "group")} for a in arts]
    sim = similarity(vectors, background, ents)
    out = []
    for members in agglomerate(sim):
        centrality = sim[np.ix_(members, members)].clip(-1, 2).sum(axis=1)
        out.append([arts[members[k]] for k in np.argsort(-centrality, kind="stable")])
    return out


def _meta(cluster: list[_Article], text: str, citations: list[Citation]) -> BriefingItem:
    """An item's dates, outlets, places, actors and figures around its text."""
    dates = sorted({a.meta.get("date", "") for a in cluster})
    names = Counter(m.entry for a in cluster for m in a.entities)
    ordered = [e for e, _ in names.most_common()]
    figures = list(dict.fromkeys(f for c in citations for f in find_figures(c.quote)))
    return BriefingItem(
        date=dates[0], dates=dates, title=cluster[0].meta.get("title", ""), text=text, citations=citations,
        outlets=sorted({a.outlet for a in cluster}), article_ids=[a.id for a in cluster],
        places=[e.en for e in ordered if e.type == "place"][:8],
        actors=[e.en for e in ordered if e.type in ("group", "force")][:8], figures=figures[:10])


def _extractive_item(cluster: list[_Article], numbers: _Numbers) -> BriefingItem:
    """Lead sentences of the cluster, verbatim, each cited to its chunk and to corroborating leads."""
    pool = [(a, s, e, rank) for rank, a in enumerate(cluster) for s, e in a.spans]
    if not pool:  # nothing quotable: cite the lead chunk's opening as is
        a = cluster[0]
        c = a.chunks[0]
        pool = [(a, c.start, c.start + min(len(c.text), 300), 0)]
    chosen = [pool[0]]

    def score(p):
        a, s, e, rank = p
        return (0.6 * bool(find_figures(a.text[s:e])) + 0.4 * (a.outlet not in {x[0].outlet for x in chosen})
                + 0.3 * ((s, e) in a.spans[:2]) - 0.05 * rank)

    for p in sorted(pool[1:], key=score, reverse=True):
        if len(chosen) >= MAX_SENTENCES:
            break
        if all(_jaccard(p[0].text[p[1]:p[2]], x[0].text[x[1]:x[2]]) < 0.45 for x in chosen) and score(p) > 0.2:
            chosen.append(p)
    lines: list[tuple[tuple, list[Citation]]] = []
    for a, s, e, _ in chosen:
        lines.append(((a, s, e), [citation_from(numbers.source(_chunk_of(a, s, e), a), s - _chunk_of(a, s, e).start,
                                                e - _chunk_of(a, s, e).start)]))
    cited = {c.article_id for _, cs in lines for c in cs}
    for (a, s, e), cites in lines:  # other outlets' leads that say the same thing
        claim = set(arabic.tokens(a.text[s:e]))
        for other in cluster:
            if other.id in cited or len(cites) > 4:
                continue
            trial = quote_for(a.text[s:e], Source(0, "", other.id, "", "", "", other.chunks[0].text, other.chunks[0].start))
            if len(claim & set(arabic.tokens(trial.quote))) >= CORROBORATE * max(1, len(claim)):
                src = numbers.source(other.chunks[0], other)
                cites.append(citation_from(src, trial.start - src.start, trial.end - src.start))
                cited.add(other.id)
    for other in cluster:  # every outlet cited at least once
        if len(lines) < MAX_WITH_OUTLETS and other.spans and other.outlet not in {
                x.source or "outlet unknown" for _, cs in lines for x in cs}:
            s, e = other.spans[0]
            c = _chunk_of(other, s, e)
            lines.append(((other, s, e), [citation_from(numbers.source(c, other), s - c.start, e - c.start)]))
    text = "\n".join(a.text[s:e] + " " + "".join(f"[{c.n}]" for c in cites) for (a, s, e), cites in lines)
    return _meta(cluster, text, [c for _, cs in lines for c in cs])


def _llm_item(agent, cluster: list[_Article], numbers: _Numbers, b: Briefing) -> BriefingItem:
    """Prose for one item written by the LLM from its chunks; raises when nothing verifiable comes back."""
    from .llm import LLMError
    from .prompts import load_prompt

    chunks = [(a, c) for a in cluster[:6] for c in a.chunks[:2]][:8]
    sources = [numbers.source(c, a) for a, c in chunks]
    reply = (load_prompt("briefing") | agent.llm).invoke({
        "period": f"{b.start.isoformat()} to {b.end.isoformat()} ({b.name})", "sources": format_sources(sources),
        "language": LANGUAGE_NAME[LANGUAGE], "not_in_sources": NOT_IN_SOURCES[LANGUAGE]})
    checked = verify(reply.content if isinstance(reply.content, str) else "", sources)
    if checked.abstained or not checked.citations:
        raise LLMError("the LLM's briefing item carried no citation that resolves to its sources (malformed output)")
    if checked.removed or checked.uncited:
        b.warnings.append(f"item «{cluster[0].meta.get('title', '')}»: {checked.removed} unresolvable citation(s) "
                          f"removed, {len(checked.uncited)} uncited sentence(s) marked [no source]")
    text = "\n".join(s.text + " " + ("".join(f"[{n}]" for n in s.cites) or "[no source]") for s in checked.sentences)
    return _meta(cluster, text, checked.citations)


def _headline(b: Briefing, sources: list[Source], rows: dict) -> str:
    """Counts of the period, then the three most reported items' titles with a citation each."""
    if not b.items:
        newest = max((m.get("date", "") for m in rows.values() if m.get("date")), default="")
        return (f"No dated report in the index falls in {b.start} to {b.end}"
                + (f"; the newest dated report is of {newest} ({week_of(parse_user_date(newest))})." if newest else "."))
    outlets = _outlets(b.items)
    lines = [f"{len(b.items)} item(s) from {b.articles} dated report(s) by {len(outlets)} outlet(s) "
             f"({', '.join(outlets)}), {b.start} to {b.end}."]
    for item in b.items[:3]:
        first = _MARK.search(item.text)
        lines.append(f"«{item.title}» ({item.date}; {len(item.article_ids)} report(s), {', '.join(item.outlets)}) "
                     + (first.group() if first else ""))
    return "\n".join(lines)


def _renumber(b: Briefing, sources: list[Source]) -> list[Source]:
    """Keep the cited sources only, numbered 1..k in order of first appearance; marks and citations follow."""
    order: dict[int, int] = {}
    for text in [b.headline] + [i.text for i in b.items]:
        for m in _MARK.finditer(text):
            order.setdefault(int(m.group(1)), len(order) + 1)
    sub = lambda t: _MARK.sub(lambda m: f"[{order.get(int(m.group(1)), m.group(1))}]", t)  # noqa: E731
    b.headline = sub(b.headline)
    for item in b.items:
        item.text = sub(item.text)
        for c in item.citations:
            c.n = order.get(c.n, c.n)
    kept = sorted((s for s in sources if s.n in order), key=lambda s: order[s.n])
    for s in kept:
        s.n = order[s.n]
    return kept


def _check(b: Briefing) -> None:
    """Every [n] resolves and every item sentence is cited; anything else becomes a warning."""
    for label, text in [("headline", b.headline)] + [(f"item «{i.title}»", i.text) for i in b.items]:
        checked = verify(text, b.sources)
        if checked.removed:
            b.warnings.append(f"{label}: {checked.removed} citation(s) do not resolve")
        if label != "headline" and checked.uncited:
            b.warnings.append(f"{label}: {len(checked.uncited)} sentence(s) without a citation")


# -- rendering (pure) ---------------------------------------------------------------------------


def render_briefing(briefing: Briefing, fmt: str = "md") -> str:
    """The briefing as Markdown (default), self-contained HTML or JSON."""
    if fmt == "json":
        return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "html":
        return _html(briefing)
    if fmt != "md":
        raise ValueError(f"unknown briefing format {fmt!r}: use md, html or json")
    return _markdown(briefing)


def _mode_note(b: Briefing) -> str:
    return MODE_NOTE["extractive" if b.mode == EXTRACTIVE else "llm"].format(mode=b.mode)


def _attribution(marks: list[int], by_n: dict[int, Source]) -> str:
    seen = dict.fromkeys(f"{by_n[n].source or 'outlet unknown'}, {by_n[n].date or 'date unknown'}" for n in marks if n in by_n)
    return "; ".join(seen)


def _table_rows(b: Briefing) -> list[tuple[str, str, str, int, str]]:
    rows = []
    for item in b.items:
        marks = dict.fromkeys(f"[{n}]" for n in _MARK.findall(item.text))
        rows.append((", ".join(item.dates), item.title, ", ".join(item.outlets), len(item.article_ids), "".join(marks)))
    return sorted(rows, key=lambda r: r[0])


def _markdown(b: Briefing) -> str:
    by_n = {s.n: s for s in b.sources}
    cell = lambda t: str(t).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    out = [f"# Briefing {b.name} ({b.start} to {b.end})", "", f"*Mode: {b.mode}: {_mode_note(b)}.*", "",
           "## Headline", ""] + [f"{line}  " for line in b.headline.splitlines()] + ["", "## Items", ""]
    for k, item in enumerate(b.items, 1):
        meta = [", ".join(item.dates), ", ".join(item.outlets), f"{len(item.article_ids)} report(s)"]
        meta += [f"where: {', '.join(item.places)}"] * bool(item.places) + [f"who: {', '.join(item.actors)}"] * bool(item.actors)
        out += [f"### {k}. {item.title}", "", f"*{' · '.join(meta)}*", ""]
        for s in parse_citations(item.text):
            out.append(f"- {s.text} {''.join(f'[{n}]' for n in s.cites) or '[no source]'} ({_attribution(s.cites, by_n)})")
        if item.figures:
            out += ["", "Figures reported: " + "; ".join(f"«{f}»" for f in item.figures)]
        out.append("")
    out += ["## Items by date", "", "| Date | Item | Outlets | Reports | Sources |", "|---|---|---|---|---|"]
    out += [f"| {' | '.join(cell(x) for x in row)} |" for row in _table_rows(b)] or ["| - | no dated report in this period | | | |"]
    out += ["", f"## Undated reports in the corpus ({len(b.undated)})", "",
            "Their dates are unknown, so they are in no dated briefing." if b.undated else "None."]
    out += [f"- `{u['id']}` {u['source'] or 'outlet unknown'}: {u['title']}" for u in b.undated]
    if b.excluded:
        out += ["", f"## Left out: dates too coarse for this period ({len(b.excluded)})", ""]
        out += [f"- `{x['id']}` {x['source'] or 'outlet unknown'}: {x['title']} ({x['reason']})" for x in b.excluded]
    if b.warnings:
        out += ["", "## Notes", ""] + [f"- {w}" for w in b.warnings]
    out += ["", "## Sources", ""]
    quotes = _quotes(b)
    for s in b.sources:
        out.append(f"{s.n}. **{s.source or 'outlet unknown'}**, {s.date or 'date unknown'}, «{s.title}» (`{s.article_id}`)"
                   + (f" {s.url}" if s.url else ""))
        out += [f"   > {q.quote} (chars {q.start}-{q.end})" for q in quotes.get(s.n, [])]
    return "\n".join(out).rstrip() + "\n"


def _quotes(b: Briefing) -> dict[int, list[Citation]]:
    out: dict[int, dict[tuple, Citation]] = {}
    for item in b.items:
        for c in item.citations:
            out.setdefault(c.n, {}).setdefault((c.start, c.end), c)
    return {n: sorted(cs.values(), key=lambda c: c.start) for n, cs in out.items()}


_CSS = """body{font-family:"Noto Naskh Arabic","Amiri","Segoe UI",Tahoma,Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.7;color:#111}h1,h2,h3{line-height:1.3}.mode{background:#f3f3f3;border-left:4px solid #888;
padding:.4rem .8rem}.meta{color:#555;font-size:.9em}a.cite{text-decoration:none;font-size:.85em;vertical-align:super}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-inline-start:3px solid #bbb;color:#333}[dir=rtl]{text-align:right}
.item{border-top:1px solid #ddd;padding-top:.5rem}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}
.item,tr,li{break-inside:avoid}h2{break-after:avoid}}"""


def _dir(text: str) -> str:
    return ' dir="rtl" lang="ar"' if arabic.is_arabic(text) else ' dir="auto"'


def _cited_html(text: str) -> str:
    return _MARK.sub(lambda m: f'<a class="cite" href="#src-{m.group(1)}">[{m.group(1)}]</a>', html.escape(text))


def _html(b: Briefing) -> str:
    esc, by_n = html.escape, {s.n: s for s in b.sources}
    out = [f'<!doctype html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>Briefing {esc(b.name)}</title><style>{_CSS}</style></head><body>",
           f'<h1 dir="auto">Briefing {esc(b.name)} ({b.start} to {b.end})</h1>',
           f'<p class="mode" dir="auto">Mode: <strong>{esc(b.mode)}</strong>: {esc(_mode_note(b))}.</p>',
           "<section><h2>Headline</h2>"]
    out += [f"<p{_dir(line)}>{_cited_html(line)}</p>" for line in b.headline.splitlines()]
    out.append("</section><section><h2>Items</h2>")
    for k, item in enumerate(b.items, 1):
        meta = [", ".join(item.dates), ", ".join(item.outlets), f"{len(item.article_ids)} report(s)"]
        meta += [f"where: {', '.join(item.places)}"] * bool(item.places) + [f"who: {', '.join(item.actors)}"] * bool(item.actors)
        out += [f'<article class="item" id="item-{k}"><h3{_dir(item.title)}>{k}. {esc(item.title)}</h3>',
                f'<p class="meta" dir="auto">{esc(" · ".join(meta))}</p><ul{_dir(item.text)}>']
        for s in parse_citations(item.text):
            marks = "".join(f'<a class="cite" href="#src-{n}">[{n}]</a>' for n in s.cites) or "[no source]"
            out.append(f'<li>{esc(s.text)} {marks} <span class="meta" dir="auto">({esc(_attribution(s.cites, by_n))})</span></li>')
        out.append("</ul>")
        if item.figures:
            out.append('<p class="meta" dir="auto">Figures reported: ' + "; ".join(
                f'<span dir="rtl" lang="ar">{esc(f)}</span>' for f in item.figures) + "</p>")
        out.append("</article>")
    out.append('</section><section><h2>Items by date</h2><table><thead><tr><th>Date</th><th>Item</th><th>Outlets</th>'
               "<th>Reports</th><th>Sources</th></tr></thead><tbody>")
    for d, title, outlets, n, marks in _table_rows(b):
        out.append(f"<tr><td>{esc(d)}</td><td{_dir(title)}>{esc(title)}</td><td>{esc(outlets)}</td><td>{n}</td>"
                   f"<td>{_cited_html(marks)}</td></tr>")
    out.append(f"</tbody></table></section><section><h2>Undated reports in the corpus ({len(b.undated)})</h2>")
    out.append("<p>Their dates are unknown, so they are in no dated briefing.</p><ul>" if b.undated else "<p>None.</p><ul>")
    out += [f"<li><code>{esc(u['id'])}</code> {esc(u['source'] or 'outlet unknown')}: <span{_dir(u['title'])}>"
            f"{esc(u['title'])}</span></li>" for u in b.undated]
    out.append("</ul></section>")
    if b.excluded:
        out.append(f"<section><h2>Left out: dates too coarse for this period ({len(b.excluded)})</h2><ul>")
        out += [f"<li><code>{esc(x['id'])}</code> <span{_dir(x['title'])}>{esc(x['title'])}</span> ({esc(x['reason'])})</li>"
                for x in b.excluded]
        out.append("</ul></section>")
    if b.warnings:
        out.append("<section><h2>Notes</h2><ul>" + "".join(f'<li dir="auto">{esc(w)}</li>' for w in b.warnings) + "</ul></section>")
    out.append('<section id="sources"><h2>Sources</h2><ol>')
    quotes = _quotes(b)
    for s in b.sources:
        link = f' <a href="{esc(s.url)}" rel="noreferrer">original</a>' if s.url.startswith(("http://", "https://")) else ""
        out.append(f'<li id="src-{s.n}" value="{s.n}"><strong>{esc(s.source or "outlet unknown")}</strong>, '
                   f'{esc(s.date or "date unknown")}, <span{_dir(s.title)}>«{esc(s.title)}»</span> '
                   f"<code>{esc(s.article_id)}</code>{link}")
        out += [f'<blockquote{_dir(q.quote)}>{esc(q.quote)}</blockquote><span class="meta">chars {q.start}-{q.end}</span>'
                for q in quotes.get(s.n, [])]
        out.append("</li>")
    out.append("</ol></section></body></html>")
    return "\n".join(out) + "\n"
