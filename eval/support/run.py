"""Run the support check over eval/support/pairs.jsonl: precision and recall of catching unsupported claims, per half.

    python eval/support/run.py              # figures at the shipped floor (answer.support_floor, rag/settings.py), both halves
    python eval/support/run.py --check      # also gate on [support.test] in eval/thresholds.toml; exits 1 under a floor

Each pair's claim is checked against the cited sentence with CONTEXT sentences either side
(about a chunk, as an answer's source), the article's title beside it. "Caught" means the check
did not say `supported` (unsupported or unresolved). Precision = caught unsupported / caught;
recall = caught unsupported / unsupported. The similarity floor is calibrated on the dev half only
(the value maximising F1 there, middle of its interval) and reported beside the shipped one;
the test half is never used to choose it. Writes eval/results/<date>-support.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from eval.support.build import PAIRS, articles, passage  # noqa: E402
from rag.answering.support import SUPPORTED, SupportCheck  # noqa: E402
from rag.evaluation import check as gate  # noqa: E402
from rag.evaluation import load_floors, read_jsonl  # noqa: E402
from rag.settings import AnswerSettings  # noqa: E402

RESULTS = REPO / "eval" / "results"
FLOOR = AnswerSettings().support_floor  # the shipped floor (answer.support_floor in rag/settings.py)


def scores(rows: list[dict], floor: float) -> dict:
    """Precision, recall and F1 of catching unsupported claims at a floor, from per-pair outcomes (pure)."""
    tp = fp = fn = tn = 0
    for r in rows:
        caught = r["status"] != SUPPORTED or (r["similarity"] is not None and r["similarity"] < floor)
        bad = r["label"] != SUPPORTED
        tp += caught and bad
        fp += caught and not bad
        fn += (not caught) and bad
        tn += (not caught) and not bad
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {"pairs": len(rows), "unsupported": tp + fn, "caught": tp + fp, "precision": precision, "recall": recall,
            "f1": f1, "false_alarms": fp, "missed": fn, "supported_kept": tn}


def calibrate(rows: list[dict]) -> dict:
    """The floor that maximises F1 of catching on these rows: the middle of the best interval between similarities."""
    sims = sorted({round(r["similarity"], 6) for r in rows if r["status"] == SUPPORTED and r["similarity"] is not None and r["similarity"] < 1})
    edges = [0.0, *sims, 1.0]
    best = None
    for lo, hi in zip(edges, edges[1:]):
        s = scores(rows, (lo + hi) / 2)  # the outcome is constant inside the interval (its edges are rounded)
        key = (round(s["f1"], 9), hi - lo)
        if best is None or key > best[0]:
            best = (key, lo, hi, s)
    _, lo, hi, s = best
    return {"floor": round((lo + hi) / 2, 3), "interval": [round(lo, 4), round(hi, 4)], **s}


def run(pairs: list[dict], checker: SupportCheck) -> list[dict]:
    """Check every pair with the floor off (0): the rules decide, the similarity is kept for any floor later."""
    arts = articles()
    out = []
    for p in pairs:
        art = arts[p["article_id"]]
        a, b = passage(art["text"], p["cite"])
        got = checker.check(p["claim"], art["text"][a:b], art["title"])
        out.append({**p, "status": got.status, "why_found": got.why, "similarity": got.similarity})
    return out


def breakdown(rows: list[dict], floor: float) -> dict:
    """Per kind: how many pairs the check calls supported at the floor (paraphrases should be all, the rest none)."""
    out = {}
    for kind in sorted({r["kind"] for r in rows}):
        sub = [r for r in rows if r["kind"] == kind]
        kept = sum(1 for r in sub if r["status"] == SUPPORTED and (r["similarity"] is None or r["similarity"] >= floor))
        out[kind] = {"pairs": len(sub), "called_supported": kept}
    return out


def main(argv=None) -> int:
    """Run both halves, calibrate on dev, print the figures, write JSON, and gate with --check."""
    from rag.embeddings import make_embedder

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="gate on [support.test] and [support.dev] in eval/thresholds.toml")
    ap.add_argument("--out", type=Path, default=None, help="results file (default eval/results/<date>-support.json)")
    ap.add_argument("--half", choices=("dev", "test", "both"), default="both", help="check one half only (dev while designing rules)")
    ap.add_argument("--margin", type=float, default=None, help="override answer.support_margin (rag/settings.py)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    pairs = [p for p in read_jsonl(PAIRS) if args.half in ("both", p["split"])]
    checker = SupportCheck(make_embedder("e5-small-q4"), floor=0.0)
    if args.margin is not None:
        checker.margin = args.margin
    rows = run(pairs, checker)
    dev = [r for r in rows if r["split"] == "dev"]
    test = [r for r in rows if r["split"] == "test"]
    cal = calibrate(dev) if dev else {}
    report = {
        "date": date.today().isoformat(),
        "floor": FLOOR,
        "calibrated_on_dev": cal,
        "metrics": {"dev": scores(dev, FLOOR), "test": scores(test, FLOOR)},
        "by_lang": {h: {lang: scores([r for r in rs if r["lang"] == lang], FLOOR) for lang in ("en", "ar")}
                    for h, rs in (("dev", dev), ("test", test))},
        "by_kind": {"dev": breakdown(dev, FLOOR), "test": breakdown(test, FLOOR)},
        "seconds": round(time.perf_counter() - started, 1),
        "records": [{k: r[k] for k in ("id", "split", "kind", "lang", "label", "status", "why_found", "similarity")} for r in rows],
        "errors": [{k: r[k] for k in ("id", "split", "label", "status", "why_found", "similarity", "claim")}
                   for r in rows if (r["label"] == SUPPORTED) != (r["status"] == SUPPORTED and (r["similarity"] or 0) >= FLOOR)],
    }
    out = args.out or RESULTS / f"{report['date']}-support{'' if args.half == 'both' else '-' + args.half}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for half in ("dev", "test"):
        m = report["metrics"][half]
        if not m["pairs"]:
            continue
        print(f"{half:4}: {m['pairs']} pairs, {m['unsupported']} unsupported; caught {m['caught']}: "
              f"precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f} "
              f"({m['false_alarms']} false alarms, {m['missed']} missed)  by kind: {report['by_kind'][half]}")
    if cal:
        print(f"floor {FLOOR} (shipped); calibrated on dev: {cal['floor']} (interval {cal['interval']}, dev F1 {cal['f1']:.3f})")
    print(f"wrote {out} in {report['seconds']} s")
    problems = []
    if args.check:
        for half in ("dev", "test"):
            problems += gate(report["metrics"][half], load_floors("support").get(half, {}), f"[support.{half}] in eval/thresholds.toml")
        for p in problems:
            print(f"support --check: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
