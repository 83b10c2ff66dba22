"""Briefings rendered as Markdown, self-contained printable HTML or JSON (see rag.briefing for the content).

    render_briefing(briefing, "md" | "html" | "json", path=None)
    attach_events(agent, briefing, rows)   # build_briefing's last step: the period's events and their [n]

Events: those dated in the period (`agent.events(since=start, until=end)`, from any report of the
index, extracted without an LLM in both modes, since an LLM pass over every article of the index
is no part of a weekly briefing). Each cites its sentence as [n]: its chunk's number when the
items already cite that chunk, else the chunk is added as source k+1, k+2, ... after the items'
sources (in table order), so every [n] resolves; `briefing.event_sources` maps event id -> n.
An event whose chunk left the index shows its own citation instead: outlet, date and «quote».

Both text renderers lay out the same blocks: headline, items with their [n] citations, the items
by date, the period's events (a table of date, type, actors, place, figures and the event's [n],
then a map and a timeline), undated and left-out reports, notes and the numbered sources with
the exact quotes cited (items' and events' alike).

Pictures: the map and the timeline are PNGs drawn offline by :mod:`rag.maps` (drawn once per
briefing and events). HTML holds them inline as data: URIs, so the page stays self-contained.
Markdown links them as files written next to the .md (``<stem>.map.png``,
``<stem>.timeline.png``) when ``path`` (the .md's path) is given; without one they are left
out with a note saying so. JSON carries the events as ``Event.to_dict()`` with ``citation.n``
set to the briefing's source number.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import quote as url_quote

from . import arabic
from .answering.answer import EXTRACTIVE
from .answering.citations import Citation, parse_citations
from .citation import source_from
from .events import TYPES, actors_line, place_line

# One block of the rendered document: (kind, *fields). The fields' number and types depend on the kind ("h1" has a
# string, "li" three strings, "table" a header and rows, "src" a source and its quotes), so only the kind is typed.
Block: TypeAlias = tuple[Any, ...]

MODE_NOTE = {"extractive": "every sentence is quoted verbatim from the cited source (no LLM)",
             "llm": "prose written by the LLM from the numbered sources; citations verified, figures verbatim"}
EVENTS_NOTE = ("One row per event: who did what, where and when, extracted from one sentence of a report "
               "(gazetteer names, verb patterns, figures verbatim; no LLM); [n] is that sentence, quoted under Sources.")
PICTURES_OMITTED = ("Map and timeline of the events: not included, as this Markdown has no output file to write them "
                    "beside (they are written as PNG files next to the .md when it is saved to a path; the HTML briefing "
                    "holds them inline).")
EVENT_COLUMNS = ("Date", "Type", "Actors", "Place", "Figures", "Source")
_MARK = re.compile(r"\[(\d+)\]")


def render_briefing(briefing, fmt: str = "md", path: str | Path | None = None) -> str:
    """The briefing as Markdown (default), self-contained printable HTML, or JSON.

    `path` is where the Markdown will be saved: the map and timeline PNGs are written beside it.
    """
    if fmt == "json":
        return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2)
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown briefing format {fmt!r}: use md, html or json")
    blocks = _blocks(briefing)
    return _markdown(blocks, Path(path) if path else None) if fmt == "md" else _html(blocks)


# -- events --------------------------------------------------------------------------------------


def attach_events(agent, b, rows: dict[str, dict], events=None) -> None:
    """Set b.events (given, else the period's from the whole index, extractive) and b.event_sources, adding the
    events' chunks as numbered sources."""
    try:
        b.events = list(events if events is not None else agent.events(since=b.start, until=b.end, mode=EXTRACTIVE))
    except Exception as exc:  # events are an addition: a fault there never costs the briefing
        b.warnings.append(f"events could not be extracted ({exc.__class__.__name__}: {exc}); the briefing has none")
        return
    by_chunk = {s.chunk_id: s for s in b.sources}
    wanted = list(dict.fromkeys(e.citation.chunk_id for e in b.events if e.citation.chunk_id not in by_chunk))
    for c in agent.store.get_chunks(wanted):
        by_chunk[c.id] = source_from(c, len(b.sources) + 1, rows.get(c.article_id) or c.meta)
        b.sources.append(by_chunk[c.id])
    b.event_sources = {e.id: by_chunk[e.citation.chunk_id].n for e in b.events if e.citation.chunk_id in by_chunk}
    if lost := len(b.events) - len(b.event_sources):
        b.warnings.append(f"{lost} event(s) cite a chunk no longer in the index: shown with their own quote")


def event_rows(b) -> list[tuple[dict, int | None]]:
    """The briefing's events as dicts (Event.to_dict() shape), each with its source number (None if it has none)."""
    numbers = getattr(b, "event_sources", {}) or {}
    rows = [e.to_dict() if hasattr(e, "to_dict") else dict(e) for e in getattr(b, "events", []) or []]
    return [(r, numbers.get(r.get("id"))) for r in rows]


def _date(d: dict) -> str:
    if not d.get("date"):
        return "date unknown"
    precision = d.get("date_precision", "")
    return d["date"] + (f" ({precision})" if precision and precision not in ("day", "unknown") else "")


def _name(x: dict) -> str:
    """An English name with its Arabic form: 'Liwa al-Baqir «لواء الباقر»'."""
    en, ar = x.get("name_en") or x.get("id", ""), x.get("name_ar") or ""
    return f"{en} «{ar}»" if ar and ar != en else en


def actors_text(d: dict) -> str:
    """Who: the actors, then 'against:' the targets and 'backed by:' the supporters."""
    return actors_line(d, _name)


def place_text(d: dict) -> str:
    return place_line(d, _name)


def figures_text(d: dict) -> str:
    return "; ".join(f"{k}: «{v}»" for k, v in (d.get("figures") or {}).items()) or "—"


def source_text(d: dict, n: int | None) -> str:
    """'[n] outlet, date'; with no numbered source, the event's own citation: outlet, date and «quote»."""
    c = d.get("citation") or {}
    where = f"{c.get('source') or 'outlet unknown'}, {c.get('date') or 'date unknown'}"
    return f"[{n}] {where}" if n else f"{where}: «{' '.join(str(c.get('quote', '')).split())}»"


def _pictures(b) -> dict[str, tuple[str, bytes]]:
    """{'map': (alt, png), 'timeline': (alt, png)} of the briefing's events, drawn once per briefing and events."""
    rows = [r for r, _ in event_rows(b)]
    key = tuple(r.get("id") for r in rows)
    cached = b.pictures_cache
    if cached and cached[0] == key:
        return cached[1]
    from .maps import render_map, render_timeline  # matplotlib: only when pictures are drawn

    title = f"Events of {b.name} ({b.start} to {b.end})"
    out = {"map": (f"Map of the {len(rows)} event(s) of {b.start} to {b.end} by place", render_map(rows, title=title)),
           "timeline": (f"Timeline of the {len(rows)} event(s) of {b.start} to {b.end} by type",
                        render_timeline(rows, title=title))}
    b.pictures_cache = (key, out)
    return out


# -- blocks ------------------------------------------------------------------------------------

LABELS = {  # the briefing's own words; quotes, titles and names stay as written
    "en": {"briefing": "Briefing", "to": "to", "scope": "Scope", "of": "of", "kept": "report(s) of the period kept",
           "by_gazetteer": "by gazetteer names", "by_words": "by words", "by_meaning": "by meaning", "by_all": "all",
           "by_outlet": "by outlet", "key": "Key developments", "reports": "report(s)", "importance": "importance",
           "who": "who", "where": "where", "no_who_where": "who and where: none named in this item's own sentences",
           "no_who": "who: none named", "no_where": "where: none named", "figures": "Figures reported",
           "sections": "By place or actor", "rest": "Everything else", "changes": "What changed since",
           "new_places": "New places", "new_actors": "New actors", "gone_places": "Places active last week, not this one",
           "gone_actors": "Actors active last week, not this one", "none": "none",
           "events_by_type": ("Event type", "This week", "Last week", "Change")},
    "ar": {"briefing": "موجز", "to": "إلى", "scope": "النطاق", "of": "من", "kept": "تقريرا من تقارير الفترة",
           "by_gazetteer": "بأسماء المعجم", "by_words": "بالكلمات", "by_meaning": "بالمعنى", "by_all": "الكل",
           "by_outlet": "بالوسيلة", "key": "أبرز التطورات", "reports": "تقرير", "importance": "الأهمية",
           "who": "من", "where": "أين", "no_who_where": "من وأين: لم تذكر جمل هذا البند أي اسم",
           "no_who": "من: لا أحد مذكور", "no_where": "أين: لا مكان مذكور", "figures": "الأرقام المذكورة",
           "sections": "حسب المكان أو الطرف", "rest": "بقية التقارير", "changes": "ما تغير منذ",
           "new_places": "أماكن جديدة", "new_actors": "أطراف جديدة", "gone_places": "أماكن نشطة الأسبوع الماضي لا هذا الأسبوع",
           "gone_actors": "أطراف نشطة الأسبوع الماضي لا هذا الأسبوع", "none": "لا شيء",
           "events_by_type": ("نوع الحدث", "هذا الأسبوع", "الأسبوع الماضي", "الفرق")},
}


def _item_meta(item, t: dict) -> list[str]:
    """Date(s), outlets, reports and the importance with its parts."""
    from .briefing_rank import explain

    why = explain(getattr(item, "why", {}) or {})
    return [", ".join(item.dates), ", ".join(item.outlets), f"{len(item.article_ids)} {t['reports']}"] + (
        [f"{t['importance']} {item.importance:g} ({why})"] if why else [])


def _who_where(item, t: dict) -> str:
    """'who: ... · where: ...' from the item's own sentences, or that they name none."""
    if not item.places and not item.actors:
        return t["no_who_where"]
    who = f"{t['who']}: {', '.join(item.actors)}" if item.actors else t["no_who"]
    where = f"{t['where']}: {', '.join(item.places)}" if item.places else t["no_where"]
    return f"{who} · {where}"


def _changes_blocks(c: dict, t: dict) -> list[Block]:
    """New and gone places and actors, and events by type, against the previous period."""
    prev = c.get("previous_period", {})
    out: list[Block] = [("h2", f"{t['changes']} {prev.get('start', '')} {t['to']} {prev.get('end', '')}")]
    name = lambda d: f"{d['name_en']} «{d['name_ar']}» ({d['reports_this_week'] or d['reports_last_week']})"  # noqa: E731
    for key in ("new_places", "new_actors", "gone_places", "gone_actors"):
        out.append(("li", f"{t[key]}: ", ", ".join(name(d) for d in c.get(key, [])[:12]) or t["none"], ""))
    if rows := c.get("events_by_type"):
        out.append(("table", t["events_by_type"], [(TYPES.get(r["type"], r["type"]), str(r["this_week"]),
                                                    str(r["last_week"]), f"{r['change']:+d}") for r in rows]))
    return out



def _blocks(b) -> list[Block]:
    """The document both renderers lay out: (kind, ...) blocks in reading order."""
    by_n = {s.n: s for s in b.sources}
    t = LABELS.get(getattr(b, "lang", "en"), LABELS["en"])
    note = MODE_NOTE["extractive" if b.mode == EXTRACTIVE else "llm"]
    out: list[Block] = [("h1", f"{t['briefing']} {b.name} ({b.start} {t['to']} {b.end})")]
    if scope := getattr(b, "scope", None):
        how = ", ".join(f"{t.get('by_' + k, k)} {n}" for k, n in scope.get("kept_by", {}).items())
        out.append(("p", f"{t['scope']}: {scope.get('description', '')}: {scope.get('kept', 0)} {t['of']} "
                         f"{scope.get('of', 0)} {t['kept']}" + (f" ({how})" if how else "") + "."))
    out += [("note", f"Mode: {b.mode}: {note}.")] + [("p", line) for line in b.headline.splitlines()]
    key = list(getattr(b, "key", b.items))
    out.append(("h2", f"{t['key']} ({len(key)})"))
    for k, item in enumerate(key, 1):
        out += [("h3", f"{k}. {item.title}"), ("note", " · ".join(_item_meta(item, t)))]
        for s in parse_citations(item.text):
            attribution = dict.fromkeys(f"{by_n[n].source or 'outlet unknown'}, {by_n[n].date or 'date unknown'}"
                                        for n in s.cites if n in by_n)
            out.append(("li", "", s.text + " " + ("".join(f"[{n}]" for n in s.cites) or "[no source]"),
                        "; ".join(attribution)))
        out.append(("note", _who_where(item, t)))
        if getattr(b, "lang", "en") == "en" and (g := getattr(item, "gist", None)):  # cited to its event's sentence
            marks = "".join(dict.fromkeys(f"[{c.n}]" for c in item.citations if c.article_id == g["article_id"]
                                          and c.start < g["end"] and g["start"] < c.end))
            out.append(("note", f"In brief: {g['text']} {marks}".rstrip()))
        if item.figures:
            out.append(("note", f"{t['figures']}: " + "; ".join(f"«{f}»" for f in item.figures)))
    if sections := getattr(b, "sections", []):
        out.append(("h2", t["sections"]))
        for name, items in sections:
            out.append(("h3", f"{name} ({len(items)})"))
            out += [("li", f"{', '.join(i.dates)} · {', '.join(i.outlets)}: ", i.summary, i.title) for i in items]
    if rest := getattr(b, "rest", []):
        out.append(("h2", f"{t['rest']} ({len(rest)})"))
        out += [("li", f"{i.date} · {', '.join(i.outlets)}: ", f"«{i.title}» " + "".join(
            dict.fromkeys(m.group() for m in _MARK.finditer(i.text))), "") for i in rest]
    if changes := getattr(b, "changes", None):
        out += _changes_blocks(changes, t)
    events = event_rows(b)
    out.append(("h2", f"Events of the period ({len(events)})"))
    if events:
        out += [("note", EVENTS_NOTE), ("table", EVENT_COLUMNS, [
            (_date(d), TYPES.get(d.get("type", ""), d.get("type", "")), actors_text(d), place_text(d), figures_text(d),
             source_text(d, n)) for d, n in events]), ("pictures", b)]
    else:
        out.append(("p", f"No event dated in {b.start} to {b.end} was found in the reports."))
    out += [("h2", f"Undated reports in the corpus ({len(b.undated)})"),
            ("p", "Their dates are unknown, so they are in no dated briefing." if b.undated else "None.")]
    out += [("li", f"{u['id']} · {u['source'] or 'outlet unknown'}: ", u["title"], "") for u in b.undated]
    if b.excluded:
        out.append(("h2", f"Left out: dates too coarse for this period ({len(b.excluded)})"))
        out += [("li", f"{x['id']} · {x['source'] or 'outlet unknown'}: ", x["title"], x["reason"]) for x in b.excluded]
    if b.warnings:
        out += [("h2", "Notes")] + [("li", w, "", "") for w in b.warnings]
    quotes: dict[int, dict[tuple, Citation]] = {}
    for c in (c for i in b.items for c in i.citations):
        quotes.setdefault(c.n, {}).setdefault((c.start, c.end), c)
    for d, n in events:
        if n:
            c = Citation(**d["citation"])
            quotes.setdefault(n, {}).setdefault((c.start, c.end), c)
    out.append(("h2", "Sources"))
    out += [("src", s, sorted(quotes.get(s.n, {}).values(), key=lambda c: c.start)) for s in b.sources]
    return out


# -- Markdown ----------------------------------------------------------------------------------


def _markdown(blocks: list[Block], path: Path | None = None) -> str:
    cell = lambda t: str(t).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    out: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2", "h3"):
            out += ["", "#" * int(kind[1]) + " " + rest[0], ""]
        elif kind == "note":
            out += [f"*{rest[0]}*", ""]
        elif kind == "p":
            out.append(rest[0] + "  ")
        elif kind == "li":
            out.append(f"- {rest[0]}{rest[1]}" + (f" ({rest[2]})" if rest[2] else ""))
        elif kind == "table":
            out += ["", "| " + " | ".join(rest[0]) + " |", "|" + "---|" * len(rest[0])]  # a table after a list
            out += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rest[1]] + [""]
        elif kind == "pictures":
            out += _markdown_pictures(rest[0], path)
        else:
            s, quotes = rest
            out.append(f"{s.n}. **{s.source or 'outlet unknown'}**, {s.date or 'date unknown'}, «{s.title}» "
                       f"(`{s.article_id}`)" + (f" <{s.url}>" if s.url else ""))
            out += [f"   > {' '.join(q.quote.split())} (chars {q.start}-{q.end})" for q in quotes]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _markdown_pictures(b, path: Path | None) -> list[str]:
    """Image links to the map and timeline PNGs written beside the .md, or a note that they are left out."""
    if path is None:
        return [f"*{PICTURES_OMITTED}*", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (alt, png) in _pictures(b).items():
        target = path.with_name(f"{path.stem}.{name}.png")
        target.write_bytes(png)
        out += [f"![{alt}]({url_quote(target.name)})", ""]
    return out


# -- HTML ----------------------------------------------------------------------------------------

_CSS = """body{font-family:"Noto Naskh Arabic",Amiri,"Segoe UI",Tahoma,Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;line-height:1.7;color:#111}h1,h2,h3{line-height:1.3}h3{border-top:1px solid #ddd;padding-top:.6rem}
.note{color:#555;font-size:.92em}li .note{white-space:nowrap}a.cite{text-decoration:none;font-size:.8em;vertical-align:super}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-inline-start:3px solid #bbb}[dir=rtl]{text-align:right}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}figcaption{color:#555;font-size:.9em}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}
li,tr,blockquote,figure{break-inside:avoid}h2,h3{break-after:avoid}}"""


_DIR = {True: ' dir="rtl" lang="ar"', False: ' dir="auto"'}


def _span(text: str, cited: bool = False) -> str:
    """Escaped text isolated in its direction (rtl + lang=ar when Arabic, else auto, «quotes» inside rtl); [n] anchors."""
    arabic_text = arabic.is_arabic(re.sub("«[^»]*»", "", text))  # quoted titles and figures are isolated
    body = re.sub("«([^»]*)»", lambda m: f"«<bdi{_DIR[arabic.is_arabic(m.group(1))]}>{m.group(1)}</bdi>»", html.escape(text))
    if cited:
        body = _MARK.sub(lambda m: f'<a class="cite" href="#src-{m.group(1)}">[{m.group(1)}]</a>', body)
    return f"<bdi{_DIR[arabic_text]}>{body}</bdi>"


def _html_pictures(b) -> str:
    from .maps import data_uri

    return "".join(f'<figure class="{name}"><img src="{data_uri(png)}" alt="{html.escape(alt, quote=True)}">'
                   f"<figcaption>{html.escape(alt)}</figcaption></figure>" for name, (alt, png) in _pictures(b).items())


def _html(blocks: list[Block]) -> str:
    title = html.escape(blocks[0][1])
    out = ['<!doctype html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title><style>{_CSS}</style></head><body>"]
    open_list = ""
    for kind, *rest in blocks:
        want = {"li": "ul", "src": "ol"}.get(kind, "")
        if open_list != want:
            out += [f"</{open_list}>"] * bool(open_list) + [f"<{want}>"] * bool(want)
            open_list = want
        if kind in ("h1", "h2", "h3"):
            out.append(f"<{kind}{_DIR[arabic.is_arabic(rest[0])]}>{html.escape(rest[0])}</{kind}>")
        elif kind in ("note", "p"):
            out.append(f'<p class="{kind}">{_span(rest[0], cited=True)}</p>')
        elif kind == "li":
            out.append(f"<li{_DIR[arabic.is_arabic(rest[0] or rest[1])]}>{_span(rest[0]) if rest[0] else ''}"
                       f"{_span(rest[1], cited=True) if rest[1] else ''}"
                       + (f' <span class="note">{_span(f"({rest[2]})")}</span>' if rest[2] else "") + "</li>")
        elif kind == "table":
            out.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in rest[0]) + "</tr></thead><tbody>")
            out += ["<tr>" + "".join(f"<td>{_span(x, cited=True)}</td>" for x in row) + "</tr>" for row in rest[1]]
            out.append("</tbody></table>")
        elif kind == "pictures":
            out.append(_html_pictures(rest[0]))
        else:
            s, quotes = rest
            link = f' <a href="{html.escape(s.url)}" rel="noreferrer">original</a>' if s.url.startswith("http") else ""
            out.append(f'<li id="src-{s.n}" value="{s.n}"><strong>{html.escape(s.source or "outlet unknown")}</strong>, '
                       f'{html.escape(s.date or "date unknown")}, «{_span(s.title)}» <code>{html.escape(s.article_id)}</code>{link}'
                       + "".join(f'<blockquote{_DIR[arabic.is_arabic(q.quote)]}>{html.escape(q.quote)}</blockquote>'
                                 f'<span class="note">chars {q.start}-{q.end}</span>' for q in quotes) + "</li>")
    out += [f"</{open_list}>"] * bool(open_list) + ["</body></html>"]
    return "\n".join(out) + "\n"
