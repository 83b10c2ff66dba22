"""Briefing evaluation: `rag eval --set briefings [--check]` over eval/sets/briefing-keys.jsonl.

Per week of the set, the scoped extractive briefing is built (`--top` 8) over the set's own index
(eval/corpus/briefing-keys.jsonl.gz plus the sample reports, built once into
eval/.cache/briefings-<embedder>/ and reused while the files and ingest code are unchanged) and
its key section is scored against the hand-made key developments:

- **recall**: key developments matched by a key item. Matching is one-to-one: pairs (item,
  development) sharing the most articles first, so one item that swallows three stories recalls one.
- **precision**: key items on scope, i.e. whose lead report (the item's first, most central one)
  is a key development's or listed on scope; off-scope reports and other-category distractors are not.
- **who_where**: matched items whose places hold every expected place id and whose actors hold
  every expected actor id (from the item's own sentences: rag.briefing_rank.who_where).

Figures are micro-averaged per split (dev, test), plus `off_scope_in_key`, the count of key items
led by a report listed as off scope. The results go to eval/results/<date>-briefings-extractive.json;
`--check` gates them on [briefings] in eval/thresholds.toml.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from . import evaluation as ev

SET = ev.EVAL_DIR / "sets" / "briefing-keys.jsonl"
CORPUS = ev.EVAL_DIR / "corpus" / "briefing-keys.jsonl.gz"
TOP = 8


def match(items: list[list[str]], developments: list[list[str]]) -> dict[int, int]:
    """{development index: item index}, one-to-one, pairs sharing the most articles first (ties: item rank)."""
    pairs = sorted(((-len(set(a) & set(d)), i, j) for i, a in enumerate(items) for j, d in enumerate(developments)
                    if set(a) & set(d)))
    used_i, out = set(), {}
    for _, i, j in pairs:
        if i not in used_i and j not in out:
            used_i.add(i)
            out[j] = i
    return out


def score_case(case: dict, key: list[dict]) -> dict:
    """One week's counts; `key` holds the briefing's key items as {article_ids, place_ids, actor_ids, title}."""
    devs = case["key"]
    m = match([k["article_ids"] for k in key], [d["articles"] for d in devs])
    on = {a for d in devs for a in d["articles"]} | set(case.get("on_scope", []))
    off = set(case.get("off_scope", []))
    right = 0
    for j, i in m.items():
        d, k = devs[j], key[i]
        right += set(d.get("where", [])) <= set(k["place_ids"]) and set(d.get("who", [])) <= set(k["actor_ids"])
    return {"id": case["id"], "week": case["week"], "split": case["split"], "developments": len(devs),
            "recalled": len(m), "key_items": len(key), "on_scope": sum(k["article_ids"][0] in on for k in key),
            "off_scope_in_key": sum(k["article_ids"][0] in off for k in key), "who_where_right": right,
            "missed": [devs[j]["summary"] for j in range(len(devs)) if j not in m],
            "wrong_who_where": [{"development": devs[j]["summary"], "expected_where": devs[j].get("where", []),
                                 "expected_who": devs[j].get("who", []), "got_where": key[i]["place_ids"],
                                 "got_who": key[i]["actor_ids"]} for j, i in m.items()
                                if not (set(devs[j].get("where", [])) <= set(key[i]["place_ids"])
                                        and set(devs[j].get("who", [])) <= set(key[i]["actor_ids"]))],
            "off_scope_items": [k["title"] for k in key if k["article_ids"][0] not in on]}


def summarize(records: list[dict]) -> dict:
    """Micro-averaged recall, precision, who/where and off-scope count of some weeks."""
    total = lambda k: sum(r[k] for r in records)  # noqa: E731
    ratio = lambda a, b: round(total(a) / total(b), 4) if total(b) else None  # noqa: E731
    return {"weeks": len(records), "developments": total("developments"), "recall": ratio("recalled", "developments"),
            "precision": ratio("on_scope", "key_items"), "who_where": ratio("who_where_right", "recalled"),
            "off_scope_in_key": total("off_scope_in_key")}


def run(settings=None, progress: bool = True, cache_dir: Path = ev.CACHE_DIR, set_path: Path = SET,
        top: int = TOP) -> dict:
    """Brief every week of the set and score the key sections (see the module docstring)."""
    from .briefing import build_briefing
    from .settings import Settings

    if not CORPUS.is_file():
        raise ev.SetUnavailable(f"{CORPUS} is missing: run `python eval/build_briefing_keys.py` (needs ../shared)")
    settings = settings or Settings.load()
    ev.CORPORA.setdefault("briefings", (CORPUS, ev.SAMPLE))
    started = time.perf_counter()
    agent, info = ev.open_index("briefings", settings, cache_dir=cache_dir, progress=progress)
    records = []
    for case in ev.read_jsonl(set_path):
        t0 = time.perf_counter()
        b = build_briefing(agent, week=case["week"], mode="extractive", top=top, **case["scope"])
        key = [{"article_ids": i.article_ids, "place_ids": i.place_ids, "actor_ids": i.actor_ids, "title": i.title}
               for i in b.key]
        records.append({**score_case(case, key), "seconds": round(time.perf_counter() - t0, 2),
                        "scope_kept": b.scope.get("kept"), "scope_of": b.scope.get("of")})
    metrics = {split: summarize([r for r in records if r["split"] == split]) for split in ("dev", "test")}
    return {"set": "briefings", "mode": "extractive", "date": ev.now()[:10], "commit": ev.commit(), "top": top,
            "index": info, "metrics": metrics, "seconds": round(time.perf_counter() - started, 1), "records": records}


def format_report(report: dict, path: Path | None = None) -> str:
    """A table of the metrics per split, then what each week missed."""
    rows = ["metric | dev | test", "---|---|---"]
    for k in ("weeks", "developments", "recall", "precision", "who_where", "off_scope_in_key"):
        rows.append(f"{k} | {ev.fmt(report['metrics']['dev'][k])} | {ev.fmt(report['metrics']['test'][k])}")
    lines = [f"briefings (key section, top {report['top']}, extractive): {report['seconds']} s", *rows, ""]
    for r in report["records"]:
        lines.append(f"{r['id']} ({r['split']}): {r['recalled']}/{r['developments']} recalled, "
                     f"{r['on_scope']}/{r['key_items']} on scope, kept {r['scope_kept']} of {r['scope_of']}, {r['seconds']} s")
        lines += [f"  missed: {m}" for m in r["missed"]] + [f"  off scope: {t}" for t in r["off_scope_items"]]
        lines += [f"  who/where: {w['development']}: expected {w['expected_where']} {w['expected_who']}, "
                  f"got {w['got_where']} {w['got_who']}" for w in r["wrong_who_where"]]
    if path:
        lines += ["", f"wrote {path}"]
    return "\n".join(lines)


def main(args) -> int:
    """`rag eval --set briefings`: run, write the results file, print the table, gate on --check."""
    from .settings import Settings

    try:
        report = run(Settings.load(getattr(args, "config", None)))
    except ev.SetUnavailable as exc:
        print(f"rag eval: {exc}", file=sys.stderr)
        return 0
    path = ev.write_results(report)
    print(json.dumps(report["metrics"], indent=2) if getattr(args, "json", False) else format_report(report, path))
    if not getattr(args, "check", False):
        return 0
    problems = ev.check(report["metrics"], ev.load_floors("briefings"), "[briefings] in eval/thresholds.toml")
    for p in problems:
        print(f"rag eval --check: {p}", file=sys.stderr)
    if not problems:
        print("rag eval --check: every briefing metric is at or above its floor", file=sys.stderr)
    return 1 if problems else 0
