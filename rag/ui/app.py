"""The Gradio app: Chat, Briefing, Events, Corpus and Status tabs over one Agent (public Agent API only).

    demo = build_app(agent)
    launch(demo, agent, port=7860)

The page script (`PAGE_JS`) opens a source card when a citation link `[n]` is clicked;
everything else is plain Gradio events. Every queued event that touches the agent (chat, briefing,
events, removal) shares one concurrency slot ("agent"): a chat turn and the turn after it never overlap.
The answer is also an HTTP API endpoint, `/ask` (JSON of `rag ask --json`), served outside Gradio's
queue (`queue=False`: a plain POST to /gradio_api/run/ask, run on the server's thread pool; `Agent.ask`
is thread-safe, tests/test_load.py asks from 20 threads): through the queue, one ask at a time, 20 API
clients waited 2.7 s at p95 at 10k chunks, Gradio's queueing and streaming (~0.13 s a request) serialised
with each ~0.07 s ask (bench/load.py, 2026-12-05).

The Events tab shows `agent.events(...)` (extracted without an LLM, as in briefings) for a period
(an ISO week, or From/Until; "all dates" keeps undated events too), an actor, a place and a type:
a map and a timeline (PNGs inline) and a table whose source cells open on the quoted passage.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import gradio as gr

from ..dates import iso_week, week_of
from ..events import EXTRACTIVE, TYPES
from . import render as R
from .downloads import markdown_zip
from .jobs import IngestJob, give_way
from .status import latest_dated_week, probe_llm, week_choices
from .uploads import ALLOWED_SUFFIXES, DEFAULT_MAX_MB, safe_name, stage_uploads

log = logging.getLogger(__name__)
AGENT = "agent"  # the concurrency id shared by every queued event that uses the agent: one at a time
EXAMPLES = ["Which militias reinforced Sukhnah?", "ما هي الميليشيات التي أرسلت تعزيزات إلى السخنة؟"]
MAX_TURNS = 3  # earlier exchanges a follow-up is read against (the condense prompt and the carried names)
ALL_DATES = "all"  # the Events tab's period when no week or dates are chosen: every event, undated ones too
TYPE_CHOICES = [("any type", "")] + [(label, key) for key, label in TYPES.items()]

PAGE_JS = r"""
() => {
  // A citation link [n] opens its source card in the panel instead of navigating.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.rag-cite');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById((link.getAttribute('href') || '').replace(/^#/, ''));
    if (!card) return;
    document.querySelectorAll('.rag-source.rag-active').forEach((c) => c.classList.remove('rag-active'));
    document.querySelectorAll('.rag-source[open]').forEach((c) => { if (c !== card) c.open = false; });
    card.classList.add('rag-active');
    card.open = true;
    card.scrollIntoView({block: 'nearest'});
  }, true);
  // "Copy answer and sources": the answer as plain text with its [n] marks and the numbered sources, not the HTML.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.rag-copy');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const src = link.closest('.rag-answer') && link.closest('.rag-answer').querySelector('.rag-plain');
    const text = src ? Array.from(src.childNodes).map((n) => (n.nodeName === 'BR' ? '\n' : n.textContent)).join('') : '';
    const done = () => { link.dataset.copied = '1'; link.textContent = 'Copied'; setTimeout(() => { link.textContent = 'Copy answer and sources'; }, 1500); };
    const fallback = () => {  // no clipboard API (plain http on another host): a selected textarea and execCommand
      const area = document.createElement('textarea');
      area.value = text; document.body.appendChild(area); area.select();
      try { document.execCommand('copy'); } finally { area.remove(); }
      done();
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
  }, true);
  // Typed questions take the direction of what is typed (Arabic right to left).
  document.addEventListener('focusin', (event) => {
    if (event.target.closest && event.target.closest('.rag-dir-auto')) event.target.setAttribute('dir', 'auto');
  });
}
"""

# One font family for Latin and Arabic, with its bold weight, on the whole page (issue 20: capitals fell back to a thin
# font inside bold headings). DejaVu Sans ships with Debian and covers both scripts; the others are the same idea elsewhere.
FONT = '"DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Segoe UI", Tahoma, sans-serif'
CSS = """
.gradio-container, .gradio-container * { --font: FONT_STACK; }
body, .gradio-container, .gradio-container .prose, .gradio-container button, .gradio-container input,
.gradio-container textarea, .gradio-container h1, .gradio-container h2, .gradio-container h3 { font-family: FONT_STACK; }
.rag-badge-fallback { background: #fde68a; color: #7c2d12; border: 1px solid #d97706; }
.rag-about { color: #1a3f7a; font-size: 0.85em; font-style: italic; }
.rag-actions { margin-top: 0.4em; font-size: 0.85em; }
a.rag-copy { color: #1a56db; text-decoration: none; cursor: pointer; }
.rag-plain { display: none; }
.rag-stopped-note { color: #8a5a00; font-size: 0.85em; }
.rag-table-wrap { max-width: 100%; overflow-x: auto; -webkit-overflow-scrolling: touch; }
.rag-remove-row { align-items: end; }
.rag-msg p, .rag-msg li { margin: 0.25em 0; unicode-bidi: isolate; }
.rag-msg [dir=rtl], .rag-passage[dir=rtl], .rag-title[dir=rtl], .rag-briefing [dir=rtl] {
  line-height: 1.8; }
.rag-list { padding-inline-start: 1.2em; margin: 0.3em 0; }
.rag-meta { font-size: 0.85em; margin-bottom: 0.4em; display: flex; gap: 0.5em; flex-wrap: wrap; align-items: center; }
.rag-badge { border-radius: 999px; padding: 0.05em 0.65em; font-weight: 600; font-size: 0.75rem; }  /* rem: one size in the chat and the header */
.rag-badge-extractive { background: #e0ecff; color: #1a3f7a; }
.rag-badge-llm { background: #e6f6e6; color: #1d5a1d; }
.rag-period, .rag-count, .rag-muted, .rag-why, .rag-offsets { color: #666; font-size: 0.85em; }
.rag-abstain { background: #f3f4f6; border-inline-start: 4px solid #9ca3af; padding: 0.4em 0.7em; font-style: italic; }
.rag-error { background: #fdecec; border-inline-start: 4px solid #d33; padding: 0.4em 0.7em; }
.rag-warnings { color: #8a5a00; font-size: 0.85em; }
a.rag-cite { text-decoration: none; font-weight: 600; color: #1a56db; padding: 0 0.1em; cursor: pointer; unicode-bidi: isolate; }
a.rag-cite:hover { text-decoration: underline; }
.rag-nosource { color: #b45309; font-size: 0.85em; }
.rag-unsupported, .rag-cite-unsupported { color: #b91c1c; font-size: 0.85em; }
.rag-cite-unsupported { text-decoration: line-through; }
.rag-badge-checked { background: #dcfce7; color: #166534; }
.rag-badge-unchecked { background: #fee2e2; color: #991b1b; }
.rag-panel { max-height: 80vh; overflow-y: auto; }
.rag-turn.rag-old > .rag-turn-head, .rag-turn.rag-old > .rag-source:not(.rag-active) { display: none; }
.rag-turn-head { font-weight: 600; margin: 0.2em 0 0.4em; }
.rag-source { border: 1px solid #d1d5db; border-radius: 8px; padding: 0.4em 0.7em; margin-bottom: 0.5em; }
.rag-source.rag-active { border-color: #1a56db; box-shadow: 0 0 0 2px #c3d5fb; }
.rag-source summary { cursor: pointer; }
.rag-n { font-weight: 700; color: #1a56db; }
.rag-src-meta { font-size: 0.85em; color: #444; margin: 0.3em 0; }
.rag-undated, .rag-undated-badge { color: #b45309; }
.rag-undated-badge { border: 1px solid #f59e0b; border-radius: 4px; padding: 0 0.3em; font-size: 0.85em; }
.rag-passage { margin: 0.3em 0; padding: 0.5em 0.8em; background: #fafafa; border-inline-start: 3px solid #1a56db; white-space: normal; }
.rag-passage mark { background: #fde68a; color: #111; padding: 0.05em 0.1em; }
.rag-table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
.rag-table th, .rag-table td { border-bottom: 1px solid #e5e7eb; padding: 0.3em 0.5em; text-align: start; vertical-align: top; }
.rag-table td.rag-title { max-width: 32em; }
.rag-table .rag-id { font-family: monospace; font-size: 0.8em; color: #666; }
.rag-errors { color: #b91c1c; }
.rag-ok { color: #166534; }
.rag-bad { color: #b91c1c; }
.rag-statusline { font-size: 0.85em; color: #555; }
.rag-briefing { line-height: 1.7; }
#rag-briefing .rag-briefing blockquote { border-left: 0; border-right: 0; border-inline-start: 3px solid #1a56db;
  padding-inline-start: 0.8em; margin-inline-start: 0.5em; }
.rag-briefing figure img { max-width: 100%; height: auto; }
.rag-ev-pics { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; margin: 0.5em 0; }
.rag-ev-pics figure { margin: 0; flex: 1 1 420px; max-width: 880px; }
.rag-ev-pics img { width: 100%; height: auto; border: 1px solid #e5e7eb; border-radius: 6px; }
.rag-ev-table { min-width: 60em; }  /* on a phone the table scrolls sideways instead of squeezing each column to a word */
.rag-ev-table td.rag-ev-actors { min-width: 16em; }
.rag-ev-table td.rag-ev-place { min-width: 8em; }
.rag-ev-table td.rag-ev-source { min-width: 16em; max-width: 30em; }
.rag-ev-cite { margin: 0; padding: 0.2em 0.5em; }
""".replace("FONT_STACK", FONT)


def build_app(agent, *, upload_dir: Path, download_dir: Path, max_upload_mb: float = DEFAULT_MAX_MB) -> gr.Blocks:
    """The Blocks of the app over one agent; uploads are copied under upload_dir, briefings written to download_dir."""
    upload_dir, download_dir = Path(upload_dir), Path(download_dir)

    # -- chat ----------------------------------------------------------------------

    llm_failed = {"error": ""}  # the latest answer's LLM error, for the header (server-wide: the LLM is down for everyone)

    def header():
        return R.status_line(agent.stats(), llm_failed["error"])

    stops: Counter[str] = Counter()  # Stop presses per browser session

    def respond(question, since, until, outlets, history, turns, convo, request: gr.Request = None):
        """Stream one answer into the chat. Stop cancels the event, but the thread blocked in the agent (an LLM call)
        runs on and would write its answer over the stopped one: so nothing is yielded once Stop was pressed."""
        session = getattr(request, "session_hash", None) or ""
        pressed = stops[session]
        question = (question or "").strip()
        convo = list(convo or [])
        keep = gr.update()  # the header, until the answer says whether the LLM wrote it
        if not question:
            yield gr.update(), history, history, turns, gr.update(), convo, keep
            return
        earlier = [(q, a) for q, a in convo][-MAX_TURNS:]  # the conversation: a follow-up is read against it
        history = history + [{"role": "user", "content": R.question_html(question)},
                             {"role": "assistant", "content": R.streaming_html("")}]
        yield "", history, history, turns, gr.update(), convo, keep
        pieces: list[str] = []
        answer = None
        try:
            for item in agent.stream(question, since=since or None, until=until or None, sources=outlets or None, history=earlier):
                if stops[session] != pressed:  # stopped: the chat shows the stopped answer, leave it so
                    return
                if isinstance(item, str):
                    pieces.append(item)
                    history = history[:-1] + [{"role": "assistant", "content": R.streaming_html("".join(pieces))}]
                    yield "", history, history, turns, gr.update(), convo, keep
                else:
                    answer = item
        except ValueError as exc:  # a bad date in the filters, an empty question
            history = history[:-1] + [{"role": "assistant", "content": R.error_html(str(exc))}]
            yield "", history, history, turns, gr.update(), convo, keep
            return
        except Exception as exc:  # the index or the embedder failed: say so in the chat, keep the app up
            log.exception("answering failed")
            history = history[:-1] + [{"role": "assistant", "content": R.error_html(f"answering failed: {exc.__class__.__name__}: {exc}")}]
            yield "", history, history, turns, gr.update(), convo, keep
            return
        if stops[session] != pressed:
            return
        if answer is None:  # Agent.stream ends with its Answer: one that does not is a bug in the agent
            raise RuntimeError("Agent.stream ended without an Answer (rag/agent.py)")
        if answer.llm_error:  # the header stops naming the LLM as what answers...
            llm_failed["error"] = answer.llm_error
        elif answer.mode != EXTRACTIVE:  # ...until the LLM writes an answer again
            llm_failed["error"] = ""
        turn = len(turns)
        history = history[:-1] + [{"role": "assistant", "content": R.answer_html(answer, turn)}]
        turns = turns + [R.sources_html(answer, turn, agent.article_text)]
        yield "", history, history, turns, R.panel_html(turns), convo + [[question, answer.text]], header()

    def save(history, turns, convo):
        """What the browser keeps across a reload (localStorage)."""
        return {"messages": history, "turns": turns, "convo": convo}

    def restore(saved):
        saved = saved if isinstance(saved, dict) else {}
        history, turns, convo = saved.get("messages") or [], saved.get("turns") or [], saved.get("convo") or []
        history = R.stopped(history)  # an answer cut by the reload is marked, not left "searching"
        return history, history, turns, R.panel_html(turns), convo

    def stop(history, turns, convo, request: gr.Request = None):
        stops[getattr(request, "session_hash", None) or ""] += 1
        history = R.stopped(history or [])
        return history, history, turns, convo, save(history, turns, convo)

    def clear_chat():
        return [], [], [], R.panel_html([]), [], save([], [], [])

    def ask(question: str, since: str = "", until: str = "", sources: list[str] | None = None) -> dict:
        """Answer a question with verified citations: the JSON of `rag ask --json`."""
        return agent.ask(question, since=since or None, until=until or None, sources=sources or None).to_dict()

    # -- briefing ------------------------------------------------------------------

    def brief(week, about="", place="", actor="", outlet="", top=8, lang="en"):
        week = (week or "").strip()
        try:
            from ..briefing import render_briefing
        except ImportError:
            return '<p class="rag-bad">Briefings are not available in this build (rag.briefing is missing).</p>', gr.update(visible=False), gr.update(visible=False)
        try:
            b = agent.brief(week=week or None, about=(about or "").strip(), place=(place or "").strip(),
                            actor=(actor or "").strip(), outlet=(outlet or "").strip(), top=int(top or 8),
                            lang=lang or "en")
        except ValueError as exc:  # a week that does not parse
            return f'<p class="rag-bad">{R.esc(exc)}</p>', gr.update(visible=False), gr.update(visible=False)
        except Exception as exc:  # keep the app up and say what broke
            log.exception("briefing failed")
            return (f'<p class="rag-bad">briefing failed: {R.esc(exc.__class__.__name__)}: {R.esc(exc)}</p>',
                    gr.update(visible=False), gr.update(visible=False))
        download_dir.mkdir(parents=True, exist_ok=True)
        stem = safe_name(b.name)
        md, page = download_dir / f"{stem}.md", download_dir / f"{stem}.html"
        md.write_text(render_briefing(b, "md", path=md), encoding="utf-8")  # map and timeline PNGs beside it
        html_page = render_briefing(b, "html")
        page.write_text(html_page, encoding="utf-8")
        head = f'<div class="rag-meta" dir="ltr">{R.mode_badge(b.mode)} <span class="rag-period">{R.esc(b.start)} to {R.esc(b.end)}</span></div>'
        bundle = markdown_zip(md)  # the .md with the map and timeline it links
        return (head + R.briefing_body(html_page), gr.update(value=str(bundle), visible=True),
                gr.update(value=str(page), visible=True))

    # -- events ----------------------------------------------------------------------

    def show_events(week, since, until, actor, place, etype):
        week = "" if week in (None, ALL_DATES) else str(week).strip()
        since, until = (since or "").strip(), (until or "").strip()
        filters = dict(actor=(actor or "").strip() or None, place=(place or "").strip() or None, type=etype or None)
        try:
            if week and (since or until):
                raise ValueError("choose a week or From/Until, not both (set the week back to 'all dates')")
            start, end = iso_week(week) if week else (since or None, until or None)
            period = week or (f"{start or '…'} to {end or '…'}" if start or end else "")
            everything = agent.events(mode=EXTRACTIVE)
            events = agent.events(since=start, until=end, mode=EXTRACTIVE, **filters)
            undated = sum(1 for e in agent.events(mode=EXTRACTIVE, **filters) if e.start_date is None) if start or end else 0
            pictures = {}
            if events:
                from ..maps import render_map, render_timeline

                title = f"Events, {period or 'all dates'}"
                pictures = {"map_png": render_map(events, title=title), "timeline_png": render_timeline(events, title=title)}
        except ValueError as exc:  # a bad week, date or type
            return f'<p class="rag-bad">{R.esc(exc)}</p>', gr.update(), gr.update(), gr.update()
        except Exception as exc:  # keep the app up and say what broke
            log.exception("events failed")
            return (f'<p class="rag-bad">events failed: {R.esc(exc.__class__.__name__)}: {R.esc(exc)}</p>',
                    gr.update(), gr.update(), gr.update())
        named = {k: TYPES.get(v, v) if k == "type" else getattr(agent.gazetteer.get(v), "en", v) for k, v in filters.items() if v}
        summary = _events_summary(len(events), len(everything), period, named, undated)
        return (R.events_html(events, agent.article_text, summary=summary, **pictures),
                gr.update(choices=_event_weeks(everything)), gr.update(choices=_named(everything, "actors")),
                gr.update(choices=_named(everything, "location")))

    # -- corpus and status -----------------------------------------------------------

    job = IngestJob()  # uploads are indexed in a thread: questions are answered meanwhile (rag/ui/jobs.py)
    give_way(agent.embedder)  # and a question's embedding goes before the upload's next batch
    unchanged = (gr.update(),) * 4  # articles, outlets, week, statusline

    def count_indexed() -> int:
        return agent.store.article_count()  # one number from Chroma, cheap enough to poll every second

    def ingest(files):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
        if job.running:
            return ('<p class="rag-bad">An upload is still being indexed: wait for it to finish, then ingest again.</p>',
                    gr.update(), gr.Timer(active=True)) + unchanged
        batch = stage_uploads(paths, upload_dir, max_upload_mb)
        if not batch.paths:
            return (R.ingest_report_html(None, batch.errors, batch.display), None, gr.Timer(active=False)) + refresh()
        job.start(lambda step: agent.ingest(batch.paths, progress=step), count_indexed=count_indexed, batch=batch)
        return (R.ingest_progress_html(job.snapshot(), batch.display), None, gr.Timer(active=True)) + unchanged

    def poll_ingest():
        snap = job.snapshot()
        batch = snap.get("batch")
        if snap["running"] or batch is None:
            return (R.ingest_progress_html(snap, batch.display) if batch else gr.update(), gr.Timer(active=snap["running"])) + unchanged
        if snap["error"] is not None:
            log.error("ingest failed: %s", snap["error"])
            html = R.error_html(f"ingest failed: {snap['error'].__class__.__name__}: {snap['error']}; "
                                "articles finished before it are kept, ingest the files again to finish")
        else:
            html = R.ingest_report_html(snap["report"], batch.errors, batch.display)
        job.reset()  # shown once
        return (html, gr.Timer(active=False)) + refresh()

    def remove(ids):
        ids = [i for i in (ids or []) if i]
        if job.running:
            return ('<p class="rag-bad">An upload is being indexed: remove articles when it has finished.</p>', gr.update()) + unchanged
        try:
            removed = agent.remove(ids)
        except ValueError as exc:
            return (f'<p class="rag-bad">{R.esc(exc)}</p>', gr.update()) + unchanged
        return (f'<p class="rag-ok" id="rag-removed">Removed {len(removed)} article(s): {R.esc(", ".join(removed))}.</p>',
                gr.update(value=[])) + refresh()

    def removable():
        return gr.update(choices=[(f"{r['title'][:70] or r['id']} ({r['id']})", r["id"]) for r in agent.articles()], value=[])

    def add_web(url, progress=gr.Progress()):
        """Fetch an article URL, or a feed/sitemap URL's articles, into the index (rag.web rules: robots.txt, limits)."""
        url = (url or "").strip()
        if not url.startswith(("http://", "https://")):
            return ('<p class="rag-bad">Give a full address starting with http:// or https://.</p>', gr.update()) + refresh()
        progress((0, None), desc=f"fetching {url}")
        try:
            web = agent.ingest_web([url])
        except ValueError as exc:  # e.g. a broken web-state.json: the message says what to do
            return (f'<p class="rag-bad">{R.esc(exc)}</p>', gr.update()) + refresh()
        lines = "".join(f'<p class="rag-muted" dir="auto">{R.esc(f.line())}</p>' for f in web.feeds)
        if web.feeds and not any(f.error for f in web.feeds):
            lines += ('<p class="rag-muted">To keep following this feed, add it to a feeds.toml and run '
                      f'<code>rag watch feeds.toml --every 1h</code> (<code>[[feed]] url = "{R.esc(url)}"</code>).</p>')
        return (lines + R.ingest_report_html(web.ingest), "") + refresh()

    def refresh():
        rows = agent.articles()
        outlets = sorted({r["source"] for r in rows if r.get("source")})
        week = latest_dated_week(rows)  # a week with reports, not an empty "latest complete" one
        return (R.articles_html(rows), gr.update(choices=outlets),
                gr.update(choices=week_choices(rows, week), value=week), header())

    def status():
        stats = agent.stats()
        return R.status_html(stats, probe_llm(stats.get("llm_base_url"))), header()

    # -- layout ----------------------------------------------------------------------

    with gr.Blocks(title="Arabic conflict news: questions and briefings", analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        gr.Markdown("## Questions and weekly briefings over Arabic conflict news\nEvery answer cites its sources; click a citation **[n]** to check the exact passage.")
        statusline = gr.HTML(elem_id="rag-statusline", js_on_load=None)
        turns = gr.State([])
        history = gr.State([])
        convo = gr.State([])  # [[question, answer text], ...]: what agent.stream(history=...) reads
        saved = gr.BrowserState({"messages": [], "turns": [], "convo": []}, storage_key="rag-chat")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(elem_id="rag-chat", height="72vh", min_height=420, label="Answers", sanitize_html=True,
                                          latex_delimiters=[], feedback_options=None, group_consecutive_messages=False,
                                          buttons=[], placeholder="Ask about the reports in the index, in Arabic or English.")
                        with gr.Row():
                            question = gr.Textbox(elem_id="rag-question", elem_classes=["rag-dir-auto"], show_label=False, scale=5,
                                                  placeholder="Ask a question (Arabic or English)…", lines=1, max_lines=4, autofocus=True)
                            ask_btn = gr.Button("Ask", variant="primary", elem_id="rag-ask", scale=1, min_width=80)
                            stop_btn = gr.Button("Stop", variant="stop", elem_id="rag-stop", scale=1, min_width=70)
                        with gr.Accordion("Filters: dates and outlets", open=False):
                            with gr.Row():
                                since = gr.Textbox(label="From", placeholder="2021-02-01, 2021-02 or 2021", elem_id="rag-since")
                                until = gr.Textbox(label="Until", placeholder="2021-02-28", elem_id="rag-until")
                                outlets = gr.Dropdown(label="Outlets", multiselect=True, choices=[], elem_id="rag-outlets",
                                                      info="none chosen = all outlets")
                            gr.Markdown("With a date range, articles of unknown date are left out (the answer says how many).")
                        gr.Examples(EXAMPLES, inputs=[question], label="Examples")
                        clear_btn = gr.Button("Clear chat", size="sm", variant="secondary", elem_id="rag-clear")
                    with gr.Column(scale=2):
                        gr.Markdown("### Sources")
                        panel = gr.HTML(R.panel_html([]), elem_id="rag-sources", js_on_load=None)
            with gr.Tab("Briefing", id="briefing"):
                with gr.Row():
                    week = gr.Dropdown(label="ISO week", choices=[], allow_custom_value=True, elem_id="rag-week", scale=3,
                                       info="default: the latest week with dated reports; type any week as 2021-W08")
                    brief_btn = gr.Button("Generate briefing", variant="primary", elem_id="rag-brief-btn", scale=1)
                with gr.Row():  # the scope: only reports on this subject are briefed (rag.briefing_scope)
                    br_about = gr.Textbox(label="About", placeholder="Syria, البادية, chemical weapons", elem_id="rag-brief-about", scale=3)
                    br_place = gr.Textbox(label="Place", placeholder="Palmyra", elem_id="rag-brief-place", scale=1)
                    br_actor = gr.Textbox(label="Actor", placeholder="ISIS", elem_id="rag-brief-actor", scale=1)
                    br_outlet = gr.Textbox(label="Outlet", elem_id="rag-brief-outlet", scale=1)
                    br_top = gr.Number(label="Key developments", value=8, minimum=1, maximum=30, precision=0, elem_id="rag-brief-top", scale=1)
                    br_lang = gr.Radio(["en", "ar"], value="en", label="Labels", elem_id="rag-brief-lang", scale=1)
                with gr.Row():
                    md_btn = gr.DownloadButton("Download Markdown (zip with images)", visible=False, elem_id="rag-brief-md", size="sm")
                    html_btn = gr.DownloadButton("Download HTML", visible=False, elem_id="rag-brief-html", size="sm")
                briefing = gr.HTML(elem_id="rag-briefing", js_on_load=None)
            with gr.Tab("Events", id="events") as events_tab:
                with gr.Row():
                    ev_week = gr.Dropdown(label="Period: ISO week", choices=[("all dates (undated events too)", ALL_DATES)], value=ALL_DATES,
                                          allow_custom_value=True, elem_id="rag-ev-week", scale=2,
                                          info="or keep 'all dates' and give From/Until; a dated view leaves undated events out")
                    ev_since = gr.Textbox(label="From", placeholder="2021-02-01, 2021-02 or 2021", elem_id="rag-ev-since", scale=1)
                    ev_until = gr.Textbox(label="Until", placeholder="2021-02-28", elem_id="rag-ev-until", scale=1)
                with gr.Row():
                    ev_actor = gr.Dropdown(label="Actor", choices=[], value=None, allow_custom_value=True, elem_id="rag-ev-actor",
                                           info="a group or force (English or Arabic); empty = any")
                    ev_place = gr.Dropdown(label="Place", choices=[], value=None, allow_custom_value=True, elem_id="rag-ev-place",
                                           info="a town, area or governorate; empty = any")
                    ev_type = gr.Dropdown(label="Type", choices=TYPE_CHOICES, value="", elem_id="rag-ev-type")
                    ev_btn = gr.Button("Show events", variant="primary", elem_id="rag-ev-btn", min_width=120)
                events_out = gr.HTML(elem_id="rag-events", js_on_load=None)
            with gr.Tab("Corpus", id="corpus"):
                gr.Markdown(f"Upload articles ({' '.join(ALLOWED_SUFFIXES)}, up to {max_upload_mb:g} MB each). "
                            "A JSON or JSONL record may carry id, title, date, source, text and url; plain files give their first line as title.")
                files = gr.File(label="Files", file_count="multiple", file_types=list(ALLOWED_SUFFIXES), elem_id="rag-upload")
                ingest_btn = gr.Button("Ingest", variant="primary", elem_id="rag-ingest-btn")
                with gr.Row():
                    web_url = gr.Textbox(label="Or a web address: an article page, an RSS/Atom feed or a sitemap", placeholder="https://…",
                                         elem_id="rag-web-url", scale=5, max_lines=1)
                    web_btn = gr.Button("Add URL", elem_id="rag-web-btn", scale=1, min_width=100)
                report = gr.HTML(elem_id="rag-ingest-report", js_on_load=None)
                ingest_timer = gr.Timer(1.0, active=False)
                gr.Markdown("### Indexed articles")
                with gr.Row(elem_classes=["rag-remove-row"]):
                    remove_pick = gr.Dropdown(label="Remove articles from the index", multiselect=True, choices=[], value=[],
                                              elem_id="rag-remove-pick", scale=4,
                                              info="their chunks, sentence vectors and events go too; ingest the file again to bring one back")
                    remove_btn = gr.Button("Remove", variant="stop", elem_id="rag-remove-btn", scale=1, min_width=100)
                articles = gr.HTML(elem_id="rag-articles", js_on_load=None)
            with gr.Tab("Status", id="status") as status_tab:
                status_table = gr.HTML(elem_id="rag-status", js_on_load=None)
                status_btn = gr.Button("Refresh", size="sm", elem_id="rag-status-btn")

        chat_io = dict(inputs=[question, since, until, outlets, history, turns, convo], outputs=[question, chat, history, turns, panel, convo, statusline],
                       show_progress_on=[chat, panel], concurrency_id=AGENT, concurrency_limit=1,
                       trigger_mode="multiple")  # "once" would ignore Ask after Stop: the cancelled event stays pending
        persist = dict(fn=save, inputs=[history, turns, convo], outputs=[saved], api_visibility="private")
        asked = [ask_btn.click(respond, api_visibility="private", **chat_io).then(**persist),
                 question.submit(respond, api_visibility="private", **chat_io).then(**persist)]
        stop_btn.click(stop, [history, turns, convo], [chat, history, turns, convo, saved], cancels=asked, api_visibility="private")
        clear_io = dict(fn=clear_chat, inputs=None, outputs=[chat, history, turns, panel, convo, saved], api_visibility="private")
        clear_btn.click(**clear_io)
        chat.clear(**clear_io)  # the chat's own trash icon clears the conversation and the Sources panel too
        demo.load(restore, [saved], [chat, history, turns, panel, convo], api_visibility="private")
        brief_btn.click(brief, [week, br_about, br_place, br_actor, br_outlet, br_top, br_lang], [briefing, md_btn, html_btn], concurrency_id=AGENT, concurrency_limit=1, api_name="brief")
        events_io = dict(inputs=[ev_week, ev_since, ev_until, ev_actor, ev_place, ev_type], outputs=[events_out, ev_week, ev_actor, ev_place],
                         concurrency_id=AGENT, concurrency_limit=1, api_visibility="private")
        ev_btn.click(show_events, **events_io)
        events_tab.select(show_events, **events_io)
        ingest_btn.click(ingest, [files], [report, files, ingest_timer, articles, outlets, week, statusline],
                         concurrency_id="ingest", concurrency_limit=1, api_visibility="private")
        ingest_timer.tick(poll_ingest, None, [report, ingest_timer, articles, outlets, week, statusline],
                          concurrency_id="poll", concurrency_limit=None, show_progress="hidden", api_visibility="private")
        remove_btn.click(remove, [remove_pick], [report, remove_pick, articles, outlets, week, statusline],
                         concurrency_id=AGENT, concurrency_limit=1, api_visibility="private")
        articles.change(removable, None, [remove_pick], api_visibility="private")
        web_io = dict(inputs=[web_url], outputs=[report, web_url, articles, outlets, week, statusline],
                      concurrency_id=AGENT, concurrency_limit=1, api_visibility="private")
        web_btn.click(add_web, **web_io)
        web_url.submit(add_web, **web_io)
        status_btn.click(status, None, [status_table, statusline], api_visibility="private")
        status_tab.select(status, None, [status_table, statusline], api_visibility="private")
        demo.load(refresh, None, [articles, outlets, week, statusline], api_visibility="private")
        demo.load(status, None, [status_table, statusline], api_visibility="private")
        gr.api(ask, api_name="ask", queue=False)  # a plain HTTP call, no queue: see the module docstring
    return demo


def _events_summary(shown: int, total: int, period: str, filters: dict, undated: int) -> str:
    """'3 of 49 event(s) in 2021-W08, type reinforcement; 2 undated event(s) left out of this dated view. ...'"""
    return (f"{shown} of {total} event(s)" + (f" in {period}" if period else ", all dates")
            + "".join(f", {k}: {v}" for k, v in filters.items())
            + (f"; {undated} undated event(s) left out of this dated view" if undated else "")
            + ". Extracted from the reports without an LLM; each cites the sentence it came from (click its source).")


def _event_weeks(events) -> list[tuple[str, str]]:
    """'all dates', then the ISO weeks holding day-dated events, newest first, with their counts."""
    weeks = Counter(week_of(e.start_date) for e in events if e.start_date and e.date_precision == "day")
    return [("all dates (undated events too)", ALL_DATES)] + [(f"{w} ({n} event{'s' * (n != 1)})", w) for w, n in sorted(weeks.items(), reverse=True)]


def _named(events, key: str) -> list[tuple[str, str]]:
    """(English name (Arabic), gazetteer id) of the actors or places of the events, by name."""
    found: dict[str, str] = {}
    for e in events:
        for x in (e.actors if key == "actors" else [e.location] if e.location else []):
            found.setdefault(x["id"], f"{x['name_en']} ({x['name_ar']})" if x.get("name_ar") else x["name_en"])
    return sorted(((label, i) for i, label in found.items()), key=lambda c: c[0].lower())


def launch(demo: gr.Blocks, *, host: str = "127.0.0.1", port: int | None = None, allowed: list[Path] | None = None,
           max_upload_mb: float = DEFAULT_MAX_MB, block: bool = True):
    """Serve the app on host:port with the page script, styles and the upload size limit."""
    demo.queue(default_concurrency_limit=1)
    return demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, js=PAGE_JS, css=CSS,
                       allowed_paths=[str(p) for p in allowed or []], max_file_size=f"{max_upload_mb:g}mb",
                       footer_links=["api"], quiet=not block)
