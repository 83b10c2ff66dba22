"""Answers, citations, articles, events and status as HTML for the Gradio app (pure functions, no Gradio).

Every piece of text is escaped; the markup is made here and nowhere else. Direction is
decided per line and per passage from the script that dominates it, so an Arabic line
that opens with "SY24" still reads right to left and an English line stays left to right.
Citation marks `[n]` become links `<a class="rag-cite" href="#rag-src-T-K">` to source
card K of answer T; the app's page script opens that card instead of following the link.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable, Sequence

from ..answering.citations import CITE_MARK
from ..events import TYPES, actors_line, place_line

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_WORD = re.compile(r"\w+")
NO_SOURCE = "[no source]"
CONTEXT_CHARS = 600  # most characters of a paragraph shown on each side of a quote


def esc(text: object) -> str:
    """HTML-escaped text (quotes too, so it is safe in attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


def text_dir(text: str) -> str:
    """'rtl' when Arabic letters outnumber Latin ones, 'ltr' when Latin ones do, else 'auto'."""
    arabic, latin = len(_ARABIC.findall(text or "")), len(_LATIN.findall(text or ""))
    if not arabic and not latin:
        return "auto"
    return "rtl" if arabic >= latin else "ltr"


def card_id(turn: int, k: int) -> str:
    """The element id of source card k of answer turn."""
    return f"rag-src-{turn}-{k}"


def date_label(date: str | None, precision: str = "unknown") -> str:
    """'2021-02-25' (with its precision when coarser than a day), or 'date unknown'."""
    if not date:
        return "date unknown"
    if precision and precision not in ("day", "unknown"):
        return f"{date} ({precision} precision)"
    return str(date)


def mode_badge(mode: str) -> str:
    """A badge naming what wrote an answer: 'extractive' or the LLM's name."""
    kind = "llm" if mode.startswith("llm:") else "extractive"
    label = mode.split(":", 1)[1] if kind == "llm" else "extractive"
    tip = "written by the LLM; see the support badge for the check of its citations" if kind == "llm" else "sentences quoted verbatim from the sources; no LLM"
    return f'<span class="rag-badge rag-badge-{kind}" title="{esc(tip)}">{"LLM: " if kind == "llm" else ""}{esc(label)}</span>'


def support_badge(support: dict | None) -> str:
    """'checked' only when the support check ran and every cited claim is supported; else what it found ('' if it did not run)."""
    if not support or not support.get("checked"):
        return ""
    bad, unresolved = support.get("claims_unsupported", 0), support.get("unresolved", 0)
    if not bad and not unresolved and not support.get("claims_uncited", 0):
        tip = "every claim is supported by the source it cites: numbers, names and negation agree, and it says the same"
        return f'<span class="rag-badge rag-badge-checked" title="{esc(tip)}">checked</span>'
    parts = [f"{bad} unsupported" if bad else "", f"{unresolved} unresolved" if unresolved else "",
             f"{support['claims_uncited']} uncited" if support.get("claims_uncited") else ""]
    label = ", ".join(p for p in parts if p) + f" of {support.get('claims', 0)} claim(s)"
    return f'<span class="rag-badge rag-badge-unchecked" title="some claims are not supported by the sources they cite">{esc(label)}</span>'


# -- answers --------------------------------------------------------------------


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _pick(line: str, n: int, citations: Sequence) -> int | None:
    """Index of the citation numbered n that the line quotes (or overlaps most)."""
    candidates = [(k, c) for k, c in enumerate(citations) if c.n == n]
    if not candidates:
        return None
    flat = " ".join(line.split())
    for k, c in candidates:
        if " ".join(c.quote.split()) and " ".join(c.quote.split()) in flat:
            return k
    words = _tokens(line)
    return max(candidates, key=lambda kc: len(words & _tokens(kc[1].quote)))[0]


def _cite_links(line: str, turn: int, citations: Sequence) -> str:
    """Escape a line and turn its [n] marks into links to source cards."""
    out, pos = [], 0
    for m in CITE_MARK.finditer(line):
        out.append(esc(line[pos : m.start()]))
        links = []
        for raw in re.split(r"\s*[,،]\s*", m.group(1)):
            n = int(raw.translate(_DIGITS))
            k = _pick(line, n, citations)
            if k is None:
                links.append(f'<span class="rag-cite-dead" title="no such source">[{n}]</span>')
                continue
            c = citations[k]
            tip = f"{c.source or 'outlet unknown'} · {date_label(c.date, c.date_precision)}"
            support = getattr(c, "support", None) or {}
            if support.get("status") == "unsupported":  # the source does not say the claim: marked, still linked to check
                tip = f"not supported: {support.get('why') or 'the source does not say this'} · {tip}"
                links.append(f'<a class="rag-cite rag-cite-unsupported" href="#{card_id(turn, k)}" title="{esc(tip)}">[{n}]</a>')
                continue
            links.append(f'<a class="rag-cite" href="#{card_id(turn, k)}" title="{esc(tip)}">[{n}]</a>')
        out.append("".join(links))
        pos = m.end()
    out.append(esc(line[pos:]))
    html = "".join(out).replace(esc(NO_SOURCE), f'<span class="rag-nosource">{esc(NO_SOURCE)}</span>')
    return _UNSUPPORTED_NOTE.sub(lambda m: f'<span class="rag-unsupported">{m.group()}</span>', html)


_UNSUPPORTED_NOTE = re.compile(r"\[unsupported: [^\]]*\]")  # rag.answering.citations.support_note, escaped


def _lines_html(text: str, render_line: Callable[[str], str]) -> str:
    """Lines as <p>, '- ' lines as list items, each with its own direction."""
    parts: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            parts.append('<ul class="rag-list">' + "".join(items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        if not line.strip():
            close_list()
            continue
        if line.lstrip().startswith("- "):
            body = line.lstrip()[2:]
            items.append(f'<li dir="{text_dir(body)}">{render_line(body)}</li>')
        else:
            close_list()
            parts.append(f'<p dir="{text_dir(line)}">{render_line(line)}</p>')
    close_list()
    return "".join(parts)


def streaming_html(partial: str) -> str:
    """The answer as written so far (plain, escaped), while it streams in."""
    body = _lines_html(partial, esc) or '<p class="rag-muted">searching the sources…</p>'
    return f'<div class="rag-msg rag-streaming">{body}</div>'


STOPPED_NOTE = "Stopped: this answer was not finished, so nothing in it was checked against the sources."


def stopped(messages: Sequence[dict]) -> list[dict]:
    """The chat with an answer still being written (stop button, reload) marked as stopped (pure)."""
    messages = list(messages or [])
    last = messages[-1] if messages else None
    if isinstance(last, dict) and "rag-streaming" in str(last.get("content", "")):
        body = str(last["content"]).replace("rag-streaming", "rag-stopped", 1)
        note = f'<p class="rag-stopped-note" dir="ltr">{esc(STOPPED_NOTE)}</p>'
        messages[-1] = {**last, "content": body[: body.rfind("</div>")] + note + "</div>"}
    return messages


def question_html(question: str) -> str:
    """A user's question, in its own direction."""
    return f'<div class="rag-msg" dir="{text_dir(question)}">{esc(question)}</div>'


def answer_html(answer, turn: int) -> str:
    """A finished Answer: mode badge, period, text with citation links, warnings; abstentions as such."""
    meta = [mode_badge(answer.mode)]
    if answer.llm_error:  # as prominent as the mode badge: the LLM did not write this answer
        meta.append(f'<span class="rag-badge rag-badge-fallback" title="{esc(answer.llm_error)}">LLM failed: extractive answer</span>')
    about = getattr(answer.gathered, "about", "")
    if about:  # a follow-up: what it carried from the earlier turns, or how the LLM read it
        meta.append(f'<span class="rag-about" dir="auto">{esc(about)}</span>')
    if getattr(answer, "support", None) and not answer.abstained:
        meta.append(support_badge(answer.support))
    if answer.period:
        meta.append(f'<span class="rag-period">period: {esc(answer.period)}</span>')
    if answer.citations:
        meta.append(f'<span class="rag-count">{len(answer.citations)} citation(s), click [n] to check</span>')
    head = '<div class="rag-meta" dir="ltr">' + " ".join(meta) + "</div>"
    if answer.abstained:
        why = f'<div class="rag-why" dir="ltr">why: {esc(answer.abstain_reason)}</div>' if answer.abstain_reason else ""
        body = f'<div class="rag-abstain" dir="{text_dir(answer.text)}">{esc(answer.text)}</div>{why}'
    else:
        body = _lines_html(answer.text, lambda line: _cite_links(line, turn, answer.citations))
    notes = "".join(f'<li dir="auto">{esc(w)}</li>' for w in answer.warnings)
    notes = f'<ul class="rag-warnings">{notes}</ul>' if notes else ""
    # The chat sanitises data-* attributes away and renders Markdown, where a blank line ends an HTML block:
    # the plain text rides in a hidden element, its newlines as <br> (the page script reads them back).
    plain = esc(plain_text(answer)).replace("\n", "<br>")
    copy = (f'<div class="rag-actions" dir="ltr"><a class="rag-copy" href="#copy" role="button">Copy answer and sources</a>'
            f'<span class="rag-plain">{plain}</span></div>')
    return f'<div class="rag-msg rag-answer" id="rag-answer-{turn}">{head}{body}{notes}{copy}</div>'


def plain_text(answer) -> str:
    """The answer as plain text for the clipboard: its text with [n] marks, then the numbered sources (pure)."""
    lines = [answer.text.strip()]
    if answer.llm_error:
        lines.append(f"(LLM failed: {answer.llm_error}; this is the extractive answer)")
    seen, sources = set(), []
    for c in answer.citations:
        if c.n in seen:
            continue
        seen.add(c.n)
        sources.append(f"[{c.n}] {c.title or c.article_id} — {c.source or 'outlet unknown'}, "
                       f"{date_label(c.date, c.date_precision)} ({c.article_id}){' ' + c.url if c.url else ''}\n    «{c.quote}»")
    if sources:
        lines += ["", "Sources:", *sources]
    return "\n".join(lines)


def error_html(message: str) -> str:
    """A failure of the app itself (bad filter, broken index): shown as an error."""
    return f'<div class="rag-msg rag-error" dir="auto">⚠ {esc(message)}</div>'


# -- sources --------------------------------------------------------------------


def _trim(text: str, keep: int, at_end: bool) -> str:
    """The last (or first) `keep` characters of text, cut at a space, with an ellipsis."""
    if len(text) <= keep:
        return text
    if at_end:
        cut = text[-keep:]
        space = cut.find(" ")
        return "… " + (cut[space + 1 :] if 0 <= space < 40 else cut)
    cut = text[:keep]
    space = cut.rfind(" ")
    return (cut[:space] if space > keep - 40 else cut) + " …"


def passage_html(article_text: str | None, start: int, end: int, quote: str, context: int = CONTEXT_CHARS) -> str:
    """The paragraph(s) holding text[start:end], the quote in <mark>, laid out in the passage's direction."""
    text = article_text or ""
    if not (0 <= start <= end <= len(text)) or text[start:end] != quote:
        found = text.find(quote) if quote else -1
        if found < 0:
            note = '<div class="rag-muted" dir="ltr">the article text is not in the index any more; the quote as cited:</div>'
            return f'{note}<blockquote class="rag-passage" dir="{text_dir(quote)}"><mark>{esc(quote)}</mark></blockquote>'
        start, end = found, found + len(quote)
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before = _trim(text[para_start:start], context, at_end=True)
    after = _trim(text[end:para_end], context, at_end=False)
    inner = esc(before) + "<mark>" + esc(text[start:end]).replace("\n", "<br>") + "</mark>" + esc(after)
    return f'<blockquote class="rag-passage" dir="{text_dir(text[para_start:para_end])}">{inner}</blockquote>'


def source_card(citation, k: int, turn: int, article_text: str | None, open_: bool = False, title: str = "") -> str:
    """One citation as a collapsible card: title (or the given one), outlet, date, the passage with the quote highlighted."""
    c = citation
    title = c.title or title
    meta = [f'<span class="rag-outlet">{esc(c.source or "outlet unknown")}</span>',
            f'<span class="rag-date{" rag-undated" if not c.date else ""}">{esc(date_label(c.date, c.date_precision))}</span>']
    if c.also_in:
        meta.append(f"<span>also in: {esc(', '.join(c.also_in))}</span>")
    if c.url:
        meta.append(f'<a href="{esc(c.url)}" target="_blank" rel="noopener noreferrer">original</a>')
    where = f'<div class="rag-offsets" dir="ltr">{esc(c.article_id)} · characters {c.start}–{c.end}</div>'
    return (
        f'<details class="rag-source" id="{card_id(turn, k)}"{" open" if open_ else ""}>'
        f'<summary dir="{text_dir(title)}"><span class="rag-n">[{c.n}]</span> <span class="rag-title">{esc(title or c.article_id)}</span></summary>'
        f'<div class="rag-src-meta" dir="ltr">{" · ".join(meta)}</div>'
        f"{passage_html(article_text, c.start, c.end, c.quote)}{where}</details>"
    )


def sources_html(answer, turn: int, article_text: Callable[[str], str | None]) -> str:
    """The source cards of one answer (empty when it cites nothing)."""
    texts: dict[str, str | None] = {}
    titles = {c.article_id: c.title for c in reversed(answer.citations) if c.title}  # a gist line's citation may carry none
    cards = []
    for k, c in enumerate(answer.citations):
        if c.article_id not in texts:
            texts[c.article_id] = article_text(c.article_id)
        cards.append(source_card(c, k, turn, texts[c.article_id], title=titles.get(c.article_id, "")))
    if not cards:
        return ""
    question = f'<div class="rag-turn-head" dir="{text_dir(answer.question)}">{esc(answer.question)}</div>'
    return question + "".join(cards)


def panel_html(turns: Sequence[str]) -> str:
    """The sources panel: the latest answer's cards, older ones kept (hidden) for their links."""
    if not any(turns):
        return '<div id="rag-panel" class="rag-panel"><p class="rag-muted">Sources appear here. Click a citation [n] in an answer to see its passage highlighted in the article.</p></div>'
    last = len(turns) - 1  # the latest answer, even when it cites nothing: older cards must not pass for its sources
    sections = "".join(
        f'<section class="rag-turn{" rag-old" if i != last else ""}" id="rag-turn-{i}">{t}</section>'
        for i, t in enumerate(turns) if t
    )
    if not turns[last]:
        sections += '<p class="rag-muted" id="rag-no-sources">The latest answer cites no source.</p>'
    return f'<div id="rag-panel" class="rag-panel">{sections}</div>'


# -- corpus and status -------------------------------------------------------------


def articles_html(rows: Sequence[dict]) -> str:
    """The indexed articles as a table: title, outlet, date, precision, chunks; undated ones marked."""
    if not rows:
        return '<p class="rag-muted">The index is empty: upload files above.</p>'
    undated = sum(1 for r in rows if not r.get("date"))
    body = []
    for r in sorted(rows, key=lambda r: (r.get("date") or "", r["id"]), reverse=True):
        dated = bool(r.get("date"))
        date = esc(r["date"]) if dated else '<span class="rag-undated-badge">undated</span>'
        title = r.get("title") or r["id"]
        link = f' <a href="{esc(r["url"])}" target="_blank" rel="noopener noreferrer">↗</a>' if r.get("url") else ""
        body.append(
            f'<tr class="{"" if dated else "rag-undated"}" data-id="{esc(r["id"])}">'
            f'<td dir="{text_dir(title)}" class="rag-title">{esc(title)}{link}</td>'
            f'<td>{esc(r.get("source") or "unknown")}</td><td>{date}</td>'
            f'<td>{esc(r.get("date_precision", "unknown"))}{"" if not dated else " · " + esc(r.get("date_source", ""))}</td>'
            f'<td class="rag-num">{int(r.get("chunks") or 0)}</td><td class="rag-id">{esc(r["id"])}</td></tr>'
        )
    head = "<tr><th>Title</th><th>Outlet</th><th>Date</th><th>Precision · from</th><th>Chunks</th><th>ID</th></tr>"
    summary = f'<p class="rag-muted">{len(rows)} article(s), {undated} undated (left out of date-filtered searches).</p>'
    return f'{summary}<div class="rag-table-wrap"><table class="rag-table" id="rag-articles-table">{head}{"".join(body)}</table></div>'


def ingest_progress_html(snap: dict, rename: Callable[[str], str] = lambda s: s) -> str:
    """An upload being indexed in the background: records read, articles indexed so far, time, current record."""
    where = f" · now: {esc(rename(snap['origin']))}" if snap.get("origin") else ""
    return (f'<div class="rag-report rag-progress" id="rag-ingest-progress"><p class="rag-muted" dir="ltr">'
            f'Indexing in the background (questions are answered meanwhile): <b class="rag-read">{int(snap.get("read", 0))}</b> record(s) read, '
            f'<b class="rag-indexed">{int(snap.get("indexed", 0))}</b> article(s) indexed · {snap.get("seconds", 0):.0f} s{where}</p></div>')


def ingest_report_html(report, errors: Iterable[str] = (), rename: Callable[[str], str] = lambda s: s) -> str:
    """What an upload did: counts, then every refused file, line or member with its reason."""
    errors = list(errors)
    parts = []
    if report is not None:
        errors += [f"{rename(e.origin)}: {e.reason}" for e in report.failed]
    if report is not None and (report.articles or report.skipped or getattr(report, "replaced", 0)):
        parts.append(
            f'<p class="rag-ok">Ingested {report.articles} article(s), {report.chunks} chunk(s); '
            f"{report.skipped} unchanged; {getattr(report, 'replaced', 0)} replaced; {len(errors)} error(s).</p>"
        )
    elif not errors:
        parts.append('<p class="rag-muted">Nothing to ingest: choose files first.</p>')
    else:
        parts.append(f'<p class="rag-bad">Nothing ingested; {len(errors)} error(s).</p>')
    if errors:
        items = "".join(f'<li dir="auto">{esc(e)}</li>' for e in errors)
        parts.append(f'<ul class="rag-errors" id="rag-ingest-errors">{items}</ul>')
    return f'<div class="rag-report">{"".join(parts)}</div>'


def status_html(stats: dict, reachable: str | None) -> str:
    """Index size, embedder, answer mode and whether the LLM endpoint answers."""
    llm = stats.get("llm")
    if not llm:
        llm_line = "none configured: answers are extractive (quoted verbatim from the sources)"
    else:
        llm_line = f"{llm} at {stats.get('llm_base_url') or 'the default OpenAI endpoint'}"
        if reachable:
            llm_line += f" · {reachable}"
    rows = [
        ("Index", f"{stats.get('where', '?')} ({stats.get('mode', '?')})"),
        ("Articles", f"{stats.get('articles', 0)} ({stats.get('undated_articles', 0)} undated)"),
        ("Chunks", str(stats.get("chunks", 0))),
        ("Embedder", f"{stats.get('embedder', '?')} ({stats.get('dim', '?')} dimensions)"),
        ("LLM", llm_line),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table class="rag-table rag-status" id="rag-status-table">{body}</table>'


def status_line(stats: dict, llm_failed: str = "") -> str:
    """A one-line summary for the page header; after an LLM failure it says the answers are extractive, as a badge.

    llm_failed is the error of the latest answer the LLM failed to write ('' when it wrote it, or none was asked):
    the header must not keep naming the LLM while the answers shown are the extractive fallback (issue 20).
    """
    llm = stats.get("llm")
    if llm and llm_failed:
        tip = f"{llm} failed on the latest answer: {llm_failed}; answers are extractive until it answers again"
        answers = f'<span class="rag-badge rag-badge-fallback" id="rag-llm-failed" title="{esc(tip)}">extractive: the LLM failed</span>'
    else:
        answers = esc(llm or "extractive (no LLM)")
    return (f'<div class="rag-statusline" dir="ltr">{stats.get("articles", 0)} articles · {stats.get("chunks", 0)} chunks · '
            f'{stats.get("undated_articles", 0)} undated · embedder {esc(stats.get("embedder", "?"))} · answers: {answers}</div>')


def briefing_body(rendered_html: str) -> str:
    """The body of a rendered briefing page, without its <style> and <script>, to show inside the app."""
    text = rendered_html
    m = re.search(r"<body[^>]*>(.*)</body>", text, flags=re.S | re.I)
    if m:
        text = m.group(1)
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "", text, flags=re.S | re.I)
    return f'<div class="rag-briefing" dir="auto">{text}</div>'


# -- events ----------------------------------------------------------------------


def _event_dict(event) -> dict:
    return event.to_dict() if hasattr(event, "to_dict") else dict(event)


def _name_html(x: dict) -> str:
    """'Liwa al-Baqir' with its Arabic form isolated right to left."""
    en, ar = esc(x.get("name_en") or x.get("id", "")), x.get("name_ar") or ""
    return f'{en} <bdi dir="rtl" lang="ar" class="rag-ar">{esc(ar)}</bdi>' if ar and ar != x.get("name_en") else en


def event_actors_html(d: dict) -> str:
    """The actors, then 'against:' the targets and 'backed by:' the supporters."""
    return actors_line(d, _name_html, lambda text: f'<span class="rag-muted">{text}:</span>')


def event_place_html(d: dict) -> str:
    return place_line(d, _name_html, lambda text: f'<span class="rag-muted">{esc(text)}</span>', '<span class="rag-muted">—</span>',
                      lambda text: f'<span dir="rtl">«{esc(text)}»</span>')


def event_citation_html(d: dict, k: int, article_text: str | None) -> str:
    """The event's source as a card that opens on click: outlet and date, then the passage with the quote marked."""
    c = d.get("citation") or {}
    head = f'{esc(c.get("source") or "outlet unknown")} · {esc(date_label(c.get("date"), c.get("date_precision", "unknown")))}'
    title = c.get("title") or c.get("article_id", "")
    return (f'<details class="rag-source rag-ev-cite" id="rag-ev-src-{k}"><summary dir="ltr">{head}</summary><div class="rag-src-meta" dir="{text_dir(title)}">{esc(title)}</div>'
            f'{passage_html(article_text, int(c.get("start", 0)), int(c.get("end", 0)), c.get("quote", ""))}'
            f'<div class="rag-offsets" dir="ltr">{esc(c.get("article_id", ""))} · characters {c.get("start")}–{c.get("end")}</div></details>')


def _png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


MAX_EVENT_ROWS = 300  # table rows shown (each carries its passage); the map and timeline count every event


def events_html(events: Iterable, article_text: Callable[[str], str | None], *, summary: str = "",
                map_png: bytes | None = None, timeline_png: bytes | None = None, max_rows: int = MAX_EVENT_ROWS) -> str:
    """The Events tab: a summary line, the map and timeline (inline PNGs), and the table with a source card per event."""
    rows = [_event_dict(e) for e in events]
    head = f'<p class="rag-muted rag-ev-summary" dir="ltr">{esc(summary)}</p>' if summary else ""
    if len(rows) > max_rows:
        head += (f'<p class="rag-warnings" dir="ltr">The table shows the first {max_rows} of {len(rows)} events (by date); '
                 "narrow the period, actor, place or type to see the others. The map and timeline count them all.</p>")
    if not rows:
        return f'<div class="rag-events">{head}<p class="rag-muted" id="rag-events-empty">No event matches these filters.</p></div>'
    pics = "".join(f'<figure class="rag-ev-{name}"><img class="rag-ev-{name}" src="{_png_uri(png)}" alt="{esc(alt)}"></figure>'
                   for name, png, alt in (("map", map_png, "Map of the events by place"),
                                          ("timeline", timeline_png, "Timeline of the events by type")) if png)
    texts: dict[str, str | None] = {}
    body = []
    for k, d in enumerate(rows[:max_rows]):
        aid = (d.get("citation") or {}).get("article_id", "")
        if aid not in texts:
            texts[aid] = article_text(aid) if aid else None
        figures = "; ".join(f'{esc(kind)}: <bdi dir="rtl" lang="ar">{esc(v)}</bdi>' for kind, v in (d.get("figures") or {}).items())
        body.append(
            f'<tr data-type="{esc(d.get("type", ""))}" data-id="{esc(d.get("id", ""))}">'
            f'<td class="rag-ev-date">{esc(date_label(d.get("date"), d.get("date_precision", "unknown")))}</td>'
            f'<td class="rag-ev-type">{esc(TYPES.get(d.get("type", ""), d.get("type", "")))}</td>'
            f'<td class="rag-ev-actors">{event_actors_html(d)}</td><td class="rag-ev-place">{event_place_html(d)}</td>'
            f'<td class="rag-ev-figures">{figures or "—"}</td><td class="rag-ev-source">{event_citation_html(d, k, texts[aid])}</td></tr>')
    table = ('<table class="rag-table rag-ev-table" id="rag-events-table"><tr><th>Date</th><th>Type</th><th>Actors</th>'
             f'<th>Place</th><th>Figures</th><th>Source (click to see the quote)</th></tr>{"".join(body)}</table>')
    return f'<div class="rag-events">{head}<div class="rag-ev-pics">{pics}</div><div class="rag-table-wrap">{table}</div></div>'
