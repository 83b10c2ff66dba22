"""The `rag` command: a thin shell over Agent (argparse; one function per subcommand)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .resources import data_path

SAMPLE = data_path("sample")
DEMO_QUESTION = "Which militias reinforced Sukhnah?"


def _agent(args, create: bool = False):
    from .agent import Agent
    from .settings import Settings

    config = getattr(args, "config", None)
    if config and not Path(config).is_file():  # an explicit --config must exist: ignoring it would run on defaults unseen
        raise FileNotFoundError(f"--config {config}: no such file; give the path of a rag.toml (or leave --config out)")
    settings = Settings.load(config)
    if getattr(args, "index", None):
        settings.store.index_dir = Path(args.index)
    return Agent(settings, create=create)


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_ingest(args) -> int:
    agent = _agent(args, create=True)
    urls = [p for p in args.paths if p.startswith(("http://", "https://"))]
    paths = [p for p in args.paths if p not in urls]
    reports = []
    if paths:
        reports.append(agent.ingest(paths, sync=args.sync, allow_empty=args.allow_empty, progress=not args.quiet))
        print(reports[-1].summary())
    if urls:  # article pages, or feeds and sitemaps whose articles are read (rag.web)
        web = agent.ingest_web(urls, progress=not args.quiet)
        print(web.summary())
        reports.append(web.ingest)
    return 1 if all(r.failed and not (r.articles or r.skipped) for r in reports) else 0


def cmd_watch(args) -> int:
    """Index what the feeds in a feeds.toml gave since the last run; once, or every --every."""
    from .web.watch import parse_every, watch

    every = parse_every(args.every) if args.every else None
    agent = _agent(args, create=True)
    return watch(args.feeds, agent.store, agent.settings, every=every, progress=not args.quiet)


def cmd_articles(args) -> int:
    rows = _agent(args).articles()
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        date = f"{r['date']} ({r['date_precision']}, {r['date_source']})" if r["date"] else "date unknown"
        print(f"{r['id']}\t{r['source'] or '-'}\t{date}\t{r['chunks']} chunks\t{r['title'][:70]}")
    return 0


def cmd_stats(args) -> int:
    _print_json(_agent(args).stats())
    return 0


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        _print_json(answer.to_dict())
        return
    print(f"[mode: {answer.mode}]" + (f"  [period: {answer.period}]" if answer.period else ""))
    print(answer.text)
    if answer.abstained and answer.abstain_reason:
        print(f"\n(why: {answer.abstain_reason})")
    if answer.citations:
        print("\nCitations:")
        for c in answer.citations:
            print(f"  [{c.n}] {c.article_id} · {c.source or '-'} · {c.date or 'date unknown'} · chars {c.start}-{c.end}")
            print(f"      «{c.quote}»")
            if c.support:  # the support check: does the source say the claim?
                why = f": {c.support['why']}" if c.support.get("why") and c.support["status"] != "supported" else ""
                print(f"      support: {c.support['status']}{why}")
    for w in answer.warnings:
        print(f"warning: {w}", file=sys.stderr)


def cmd_ask(args) -> int:
    agent = _agent(args)
    answer = agent.ask(args.question, since=args.since, until=args.until, sources=args.source or None, k=args.k)
    _print_answer(answer, args.json)
    return 0


def cmd_chat(args) -> int:
    """A terminal conversation: each question sees the earlier turns, so follow-ups ("When did that happen?") work."""
    agent = _agent(args)
    history: list[tuple[str, str]] = []
    tty = sys.stdin.isatty()
    print("Ask about the indexed reports; follow-ups see the earlier turns. /new starts over, /quit (or Ctrl-D) ends.",
          file=sys.stderr)
    while True:
        try:
            line = input("you> " if tty else "")
        except EOFError:
            break
        question = line.strip()
        if not question:
            continue
        if question in ("/quit", "/exit"):
            break
        if question in ("/new", "/clear"):
            history = []
            print("(new conversation)\n")
            continue
        try:
            answer = agent.ask(question, since=args.since, until=args.until, sources=args.source or None, history=history)
        except ValueError as exc:  # a bad date filter: say so and keep the conversation
            print(f"error: {exc}", file=sys.stderr)
            continue
        about = getattr(answer.gathered, "about", "")
        if not tty:
            print(f"Q: {question}")
        if about:
            print(f"({about})")
        _print_answer(answer, args.json)
        print()
        history.append((question, answer.text))
    return 0


def cmd_remove(args) -> int:
    """Delete articles from the index by id."""
    removed = _agent(args).remove(args.ids)
    print(f"removed {len(removed)} article(s): {', '.join(removed)}")
    return 0


def cmd_demo(args) -> int:
    """Ingest the bundled sample corpus and answer the demo question."""
    agent = _agent(args, create=True)
    print(f"Ingesting the sample corpus ({SAMPLE}) into {agent.store.where} ...", file=sys.stderr)
    print(agent.ingest([SAMPLE], progress=True).summary(), file=sys.stderr)
    question = args.question or DEMO_QUESTION
    print(f"\nQ: {question}\n")
    _print_answer(agent.ask(question), args.json)
    return 0


def cmd_brief(args) -> int:
    from .briefing import render_briefing

    agent = _agent(args)
    briefing = agent.brief(week=args.week, since=args.since, until=args.until, mode=args.mode, about=args.about or "",
                           place=args.place or "", actor=args.actor or "", outlet=args.outlet or "", top=args.top, lang=args.lang)
    ext = {"md": "md", "html": "html", "json": "json"}[args.format]
    out = Path(args.out) if args.out else Path("briefings") / f"{briefing.name}.{ext}"
    if out.is_dir():  # --out an existing folder: the briefing goes inside it under its own name
        out = out / f"{briefing.name}.{ext}"
    blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise FileNotFoundError(f"cannot write {out}: {blocker} is a file, not a folder; give --out a path in a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        text = render_briefing(briefing, args.format, path=out)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FileNotFoundError(f"cannot write {out} ({exc.strerror or exc}); give --out a path you can write") from exc
    print(text if args.format == "json" or args.print else f"wrote {out}")
    return 0


def cmd_eval(args) -> int:
    if getattr(args, "set", "") == "briefings":  # key developments of weekly briefings: their own evaluation
        from .briefing_eval import main as briefing_main

        return briefing_main(args)
    from .evaluation import main as eval_main

    return eval_main(args)


def cmd_events(args) -> int:
    agent = _agent(args)
    rows = [e.to_dict() for e in agent.events(since=args.since, until=args.until, actor=args.actor, place=args.place, type=args.type, mode=args.mode)]
    from .events import all_events

    for w in all_events(agent, mode=args.mode)[1]:
        print(f"warning: {w}", file=sys.stderr)
    if args.csv:
        from .events import to_csv

        sys.stdout.write(to_csv(rows))
    else:
        _print_json(rows)
    return 0


def cmd_serve(args) -> int:
    from .ui.serve import main as serve

    serve(["--port", str(args.port)] + [f"--{k}={v}" for k in ("index", "config") if (v := getattr(args, k, None))])
    return 0


def _add_global_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    """--index and --config, accepted before and after the subcommand (`rag --index I ask Q` = `rag ask Q --index I`)."""
    parser.add_argument("--index", default=default, help="index folder (default: RAG_INDEX_DIR or ./index)")
    parser.add_argument("--config", default=default, help="settings file (default: RAG_CONFIG or ./rag.toml)")


def _version() -> str:
    import rag

    return str(rag.__version__)


def _k_arg(text: str) -> int:
    """--k: a whole number from 1 to 100 (argparse reports anything else)."""
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= k <= 100:
        raise argparse.ArgumentTypeError(f"{k} is out of range: use 1 to 100 (passages the answer reads; default 8)")
    return k


def _port_arg(text: str) -> int:
    """--port: a TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is out of range: a port is 1 to 65535")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Questions and briefings over Arabic conflict news, with checkable citations.")
    parser.add_argument("--version", action="version", version=f"rag {_version()}")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index files and folders (.txt .md .html .json .jsonl[.gz] .zip) and article or feed URLs")
    p.add_argument("paths", nargs="+")
    p.add_argument("--sync", action="store_true", help="remove indexed articles whose files, under the paths given, are gone")
    p.add_argument("--allow-empty", action="store_true", help="let --sync remove every indexed article (empty the index)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("watch", help="index new articles from the feeds, sitemaps and section pages in a feeds.toml")
    p.add_argument("feeds", help="feeds file (see docs/feeds.example.toml)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="one pass, then exit (the default; for cron and systemd timers)")
    when.add_argument("--every", help="keep running, one pass every interval: 30m, 1h, 1d")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("articles", help="list indexed articles")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("stats", help="index size, embedder, LLM")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--source", action="append", help="restrict to an outlet (repeatable)")
    p.add_argument("--k", type=_k_arg, help="passages the answer reads, 1-100 (default 8)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal: follow-up questions see the earlier turns")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--source", action="append", help="restrict to an outlet (repeatable)")
    p.add_argument("--json", action="store_true", help="each answer as JSON")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("remove", help="delete articles from the index by id (see `rag articles`)")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("demo", help="ingest the bundled sample corpus and answer a question")
    p.add_argument("question", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("brief", help="write a dated briefing")
    p.add_argument("--week", help="ISO week, e.g. 2021-W08 (default: the last complete week)")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--format", choices=["md", "html", "json"], default="md")
    p.add_argument("--out")
    p.add_argument("--print", action="store_true", help="print the briefing as well as writing it")
    p.add_argument("--mode", choices=["extractive", "llm"], help="extractive (no LLM) or llm (default: llm when configured)")
    p.add_argument("--about", help="what the briefing is about, e.g. \"Syria\" or «البادية» (names, words and meaning)")
    p.add_argument("--place", help="only reports naming this place (or a place inside it)")
    p.add_argument("--actor", help="only reports naming this group or force")
    p.add_argument("--outlet", help="only reports of this outlet")
    p.add_argument("--top", type=int, default=8, help="key developments shown first (default 8)")
    p.add_argument("--lang", choices=["en", "ar"], default="en", help="language of the briefing's own labels (quotes stay as written)")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("eval", help="run the grounded evaluation")
    p.add_argument("--set", default="seeds", help="seeds, ant, all, xquad, dev, dev-extra, dev-more, test, test-extra, offtopic, followup (eval/README.md), "
                   "or briefings (key developments of weekly briefings)")
    p.add_argument("--mode", choices=["extractive", "llm"], default="extractive")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, help="ask only the first N questions")
    p.add_argument("--check", action="store_true", help="exit 1 when a metric is under its floor in eval/thresholds.toml")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("events", help="structured events (who did what, where, when)")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--actor")
    p.add_argument("--place")
    p.add_argument("--type")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    p.add_argument("--csv", action="store_true")
    p.add_argument("--mode", choices=["extractive", "llm"], help="default: llm when one is configured")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("serve", help="start the Gradio app on 127.0.0.1")
    p.add_argument("--port", type=_port_arg, default=7860, help="1-65535 (default 7860)")
    p.set_defaults(func=cmd_serve)

    # After the subcommand too; SUPPRESS keeps a value given before it when none is given after.
    for subparser in sub.choices.values():
        _add_global_options(subparser, default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from .embeddings import EmbedderError
    from .ingest.loaders import InputError
    from .store import StoreError

    try:
        return args.func(args)
    except BrokenPipeError:
        # the reader went away (`rag ... | head -1`): not an error of ours; stop writing quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (StoreError, InputError, ValueError, FileNotFoundError, EmbedderError) as exc:
        print(f"rag {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; run the same command again to finish (finished articles are kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
