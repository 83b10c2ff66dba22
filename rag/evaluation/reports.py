"""Reports of a run: the results file (eval/results/<date>-<set>-<mode>.json), the table for people, and `rag eval`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .checkout import RESULTS_DIR, THRESHOLDS
from .datasets import SetUnavailable
from .gate import check, load_floors
from .runner import run

XQUAD_COLUMNS = ("questions", "recall_at_1", "recall_at_5", "mrr", "answer_contains", "abstention_rate",
                 "citation_resolve_rate", "latency_p50_s", "latency_p95_s")


# -- output -------------------------------------------------------------------------------------


def write_results(report: dict, results_dir: Path | None = None) -> Path:
    """Write the report to <results_dir>/<date>-<set>-<mode>.json (atomically) and return the path."""
    results_dir = Path(results_dir or RESULTS_DIR)
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{report['date']}-{report['set']}-{report['mode']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(results_json(report), encoding="utf-8")
    tmp.replace(path)
    return path


def results_json(report: dict) -> str:
    """The report as JSON: metrics indented, one record a line (small files, readable diffs)."""
    head = json.dumps({k: v for k, v in report.items() if k != "records"}, ensure_ascii=False, indent=1, default=str)
    rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False, default=str) for r in report.get("records", []))
    return head[:-2] + ',\n "records": [\n' + rows + "\n ]\n}\n"


def fmt(value: object) -> str:
    """A metric for the table: '–' for none, whole numbers as such, else three decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool) or isinstance(value, int):
        return str(int(value))
    return f"{value:.3f}"


def format_table(report: dict) -> str:
    """The metrics as a Markdown table (overall and by question language; XQuAD by language)."""
    if report["set"] == "xquad":
        langs = [c for c in ("ar", "en") if c in report["metrics"]]
        head = "| metric | " + " | ".join(f"{c} questions" for c in langs) + " |"
        rows = [f"| {name} | " + " | ".join(fmt(report["metrics"][c].get(name)) for c in langs) + " |" for name in XQUAD_COLUMNS]
    else:
        cols = [("all", report["metrics"])] + [(lang, m) for lang, m in report.get("by_lang", {}).items() if m["questions"]]
        cols += [(name, m) for name, m in report.get("by_set", {}).items()]
        head = "| metric | " + " | ".join(c for c, _ in cols) + " |"
        names = [k for k in report["metrics"] if k != "abstention_f1"]
        rows = [f"| {name} | " + " | ".join(fmt(m.get(name)) for _, m in cols) + " |" for name in names]
    sep = "|" + "---|" * (head.count("|") - 1)
    return "\n".join([head, sep, *rows])


def format_report(report: dict, results_path: Path | None = None) -> str:
    """Table, calibration and failures, for people."""
    title = (f"rag eval · set {report['set']} · mode {report['mode']} · {report['date']} · "
             f"{len(report['records'])} question(s) · {report['seconds']:.0f} s · {report['machine']['cpus']} cores")
    lines = [title, "", format_table(report)]
    cal = report.get("calibration")
    if cal and cal.get("threshold") is not None:
        now = cal.get("current", {})
        lines += ["", f"calibration: min_support is {report['settings']['min_support']:.3f} "
                      f"(abstention F1 {fmt(now.get('abstention_f1'))}, answerable accuracy {fmt(now.get('answerable_accuracy'))}); "
                      f"best {cal['threshold']:.3f} (any value in {cal['interval']}: abstention F1 "
                      f"{fmt(cal['abstention_f1'])}, answerable accuracy {fmt(cal['answerable_accuracy'])})"]
        width = cal["interval"][1] - cal["interval"][0]
        if width < 0.01:
            lines.append(f"  caution: that interval is {width:.4f} wide, a single question's similarity; "
                         "check it on another set (e.g. XQuAD English) before moving min_support")
    if report["failures"]:
        lines += ["", f"failures ({len(report['failures'])}):"]
        lines += [f"  {f['id']}: {f['failure']}" for f in report["failures"]]
    if results_path:
        lines += ["", f"wrote {results_path}"]
    return "\n".join(lines)


def main(args) -> int:
    """`rag eval`: run a set, write the results file, print a table (or JSON), and gate on --check."""
    from ..settings import Settings

    settings = Settings.load(getattr(args, "config", None))
    set_name, mode = getattr(args, "set", "seeds"), getattr(args, "mode", "extractive")
    try:
        report = run(set_name, mode, getattr(args, "limit", None), progress=True, settings=settings,
                     index_dir=Path(args.index) if getattr(args, "index", None) else None)
    except SetUnavailable as exc:
        print(f"rag eval: {exc}", file=sys.stderr)
        return 0
    path = write_results(report)
    problems = []
    if getattr(args, "check", False):
        floors = load_floors(set_name)
        if not floors:
            print(f"rag eval: no floors for [{set_name}] in {THRESHOLDS}; nothing to check", file=sys.stderr)
        problems = check(report["metrics"], floors, f"[{set_name}] in eval/thresholds.toml")
        if getattr(args, "limit", None):
            print("rag eval: --check with --limit compares a partial run with floors set on the whole set", file=sys.stderr)
    if getattr(args, "json", False):
        summary = {k: v for k, v in report.items() if k != "records"}
        summary["results_file"] = str(path)
        if getattr(args, "check", False):
            summary["check"] = {"passed": not problems, "problems": problems}
        print(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    else:
        print(format_report(report, path))
    for problem in problems:
        print(f"rag eval --check: {problem}", file=sys.stderr)
    if getattr(args, "check", False) and not problems:
        print(f"rag eval --check: every metric of [{set_name}] is at or above its floor", file=sys.stderr)
    return 1 if problems else 0


