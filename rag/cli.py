"""The `rag` command: a thin shell over Agent (argparse; one function per subcommand)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
DEMO_QUESTION = "Which militias reinforced Sukhnah?"


def _agent(args, create: bool = False):
    from .agent import Agent
    from .settings import Settings

    settings = Settings.load(getattr(args, "config", None))
    if getattr(args, "index", None):
        settings.store.index_dir = Path(args.index)
    return Agent(settings, create=create)


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_ingest(args) -> int:
    agent = _agent(args, create=True)
    report = agent.ingest(args.paths, sync=args.sync, progress=not args.quiet)
    print(report.summary())
    return 1 if report.failed and not (report.articles or report.skipped) else 0


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
    for w in answer.warnings:
        print(f"warning: {w}", file=sys.stderr)


def cmd_ask(args) -> int:
    agent = _agent(args)
    answer = agent.ask(args.question, since=args.since, until=args.until, sources=args.source or None, k=args.k)
    _print_answer(answer, args.json)
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
    briefing = agent.brief(week=args.week, since=args.since, until=args.until, mode=args.mode)
    ext = {"md": "md", "html": "html", "json": "json"}[args.format]
    out = Path(args.out) if args.out else Path("briefings") / f"{briefing.name}.{ext}"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = render_briefing(briefing, args.format, path=out)
    out.write_text(text, encoding="utf-8")
    print(text if args.format == "json" or args.print else f"wrote {out}")
    return 0


def cmd_eval(args) -> int:
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
    import runpy

    sys.argv = ["app.py", "--port", str(args.port)] + (["--index", args.index] if args.index else [])
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"), run_name="__main__")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Questions and briefings over Arabic conflict news, with checkable citations.")
    parser.add_argument("--index", help="index folder (default: RAG_INDEX_DIR or ./index)")
    parser.add_argument("--config", help="settings file (default: RAG_CONFIG or ./rag.toml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index files and folders (.txt .md .html .json .jsonl[.gz] .zip)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--sync", action="store_true", help="remove indexed articles whose files are gone")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

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
    p.add_argument("--k", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

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
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("eval", help="run the grounded evaluation")
    p.add_argument("--set", default="seeds", help="seeds, ant, all or xquad")
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
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from .ingest.loaders import InputError
    from .store import StoreError

    try:
        return args.func(args)
    except (StoreError, InputError, ValueError, FileNotFoundError) as exc:
        print(f"rag {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; run the same command again to finish (finished articles are kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
