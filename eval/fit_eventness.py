"""Refit the eventness model (rag/events/eventness.py) on annotated real news: which sentences tell a new act.

    python eval/fit_eventness.py --train dev              # fit on dev, print the fit and dev_extra's score with it
    python eval/fit_eventness.py --train dev,dev_extra --write   # fit on both, write rag/data/events/eventness.json
    python eval/fit_eventness.py --train dev,dev_more            # dev_more: the helper-annotated training articles

One row per sentence of the training articles (eval/events_news_articles.json), its vector from the bundled e5
(one chunk per article, as eval/events_news_eval.py extracts them); positive when the sentence overlaps an annotated
new event (eval/events_news.jsonl, and eval/events_news_more.jsonl for `dev_more`; `refers_to` null), negative otherwise (no act, or an act told again). A logistic
regression (scikit-learn, balanced classes, C below) is fitted. The threshold is chosen on the training articles
without their own fit: out-of-fold scores (5 folds by article) are applied to the events the rules extract from
them, and the threshold with the best events F1 (eval/README.md, "Events on real news") is kept, the lowest of equals.
Splits not trained on are scored with the final fit. Never fits on test (refused).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rag.embeddings import make_embedder  # noqa: E402
from rag.events import extract_events  # noqa: E402
from rag.events.eventness import EventnessModel, keep_acts, sentence_scores  # noqa: E402
from rag.events_eval import evaluate_news  # noqa: E402
from rag.gazetteer import Gazetteer  # noqa: E402
from rag.sentences import embed_with_sentences  # noqa: E402

from events_news_eval import article_chunks, resolve_new  # noqa: E402

OUT = HERE.parent / "rag" / "data" / "events" / "eventness.json"
MORE = HERE / "events_news_more.jsonl"
SPLITS = ("dev", "dev_extra", "dev_more")
EMBEDDER = "e5-small-q4"
C = 1.0
THRESHOLDS = [round(0.30 + 0.02 * i, 2) for i in range(16)]  # 0.30 .. 0.60


def _fit(x: np.ndarray, y: np.ndarray, c: float = C) -> EventnessModel:
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)
    return EventnessModel(EMBEDDER, m.coef_[0].astype(np.float64), float(m.intercept_[0]), 0.5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default="dev", help="splits to fit on, comma-separated (dev, dev_extra, dev_more; never test)")
    ap.add_argument("--C", type=float, default=C, help=f"inverse regularisation of the logistic fit (default {C})")
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(HERE.parent)}")
    args = ap.parse_args(argv)
    train = args.train.split(",")
    if "test" in train:
        print("error: never fit on test", file=sys.stderr)
        return 2
    if set(train) - set(SPLITS):
        print(f"error: unknown split in {args.train!r}; the splits are {', '.join(SPLITS)}", file=sys.stderr)
        return 2
    gaz = Gazetteer.load()
    rows = resolve_new([json.loads(line) for path in (HERE / "events_news.jsonl", MORE)
                        for line in path.open(encoding="utf-8")], gaz)
    listing = json.loads((HERE / "events_news_articles.json").read_text(encoding="utf-8"))
    embedder = make_embedder(EMBEDDER)
    new_events = [r for r in rows if r["refers_to"] is None]

    def split_data(split: str):
        chunks = article_chunks(listing[split])
        _, sentences = embed_with_sentences(embedder, chunks)
        xs, ys, groups = [], [], []
        for c, (spans, vectors) in zip(chunks, sentences):
            for (a, b), v in zip(spans, vectors):
                xs.append(v)
                ys.append(int(any(r["article_id"] == c.article_id and c.start + a < r["end"] and r["start"] < c.start + b
                                  for r in new_events)))
                groups.append(c.article_id)
        return chunks, sentences, np.array(xs), np.array(ys), groups

    data = {s: split_data(s) for s in SPLITS}
    chunks = [c for s in train for c in data[s][0]]
    sentences = [x for s in train for x in data[s][1]]
    x = np.vstack([data[s][2] for s in train])
    y = np.concatenate([data[s][3] for s in train])
    groups = [g for s in train for g in data[s][4]]
    events = extract_events(chunks, gaz)
    ids = [c.article_id for c in chunks]

    # out-of-fold scores: each article's sentences scored by a fit on the other folds
    articles = sorted(set(groups))
    fold_of = {a: i % 5 for i, a in enumerate(articles)}
    oof = np.zeros(len(y))
    for k in range(5):
        held = np.array([fold_of[g] == k for g in groups])
        oof[held] = _fit(x[~held], y[~held], args.C).scores(x[held])
    scored, pos = {}, 0
    for c, (spans, _) in zip(chunks, sentences):
        scored[c.id] = ([(c.start + a, c.start + b) for a, b in spans], oof[pos: pos + len(spans)])
        pos += len(spans)
    base = evaluate_news(events, rows, ids)["events"]
    curve = {th: evaluate_news(keep_acts(events, scored, th), rows, ids)["events"] for th in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda th: (curve[th]["f1"], -th))
    print(f"train {'+'.join(train)}: {len(articles)} articles, {len(y)} sentences ({int(y.sum())} telling a new act)")
    print(f"  events without the model: P {base['precision']:.3f} R {base['recall']:.3f} F1 {base['f1']:.3f}")
    for th in THRESHOLDS:
        r = curve[th]
        print(f"  out-of-fold threshold {th:.2f}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"
              + ("   <- chosen" if th == best else ""))
    final = _fit(x, y, args.C)
    model = EventnessModel(EMBEDDER, final.weights, final.bias, best)
    for split in SPLITS:
        if split in train:
            continue
        cs, sents = data[split][0], data[split][1]
        evs = extract_events(cs, gaz)
        split_ids = [c.article_id for c in cs]
        before = evaluate_news(evs, rows, split_ids)["events"]
        after = evaluate_news(keep_acts(evs, sentence_scores(cs, sents, model), best), rows, split_ids)["events"]
        print(f"{split} (not fitted on): F1 {before['f1']:.3f} -> {after['f1']:.3f} "
              f"(P {before['precision']:.3f} -> {after['precision']:.3f}, R {before['recall']:.3f} -> {after['recall']:.3f})")
    if args.write:
        OUT.write_text(json.dumps({
            "about": "Logistic model over e5 sentence vectors: does a sentence tell a new act (rag/events/eventness.py). "
                     "Refit with python eval/fit_eventness.py; weights apply to the named embedder only.",
            "embedder": EMBEDDER, "fitted_on": train, "fitted": date.today().isoformat(), "C": args.C,
            "threshold": best, "out_of_fold_f1": {f"{th:.2f}": curve[th]["f1"] for th in THRESHOLDS},
            "bias": round(model.bias, 6), "weights": [round(float(w), 6) for w in model.weights],
        }, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
