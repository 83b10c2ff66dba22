"""Refit the calibrated selection and abstention models from a `dev` evaluation run.

    rag eval --set dev --json > /dev/null; rag eval --set offtopic > /dev/null   # writes eval/results/<date>-dev-extractive.json ...
    python eval/calibrate.py eval/results/<date>-dev-extractive.json [eval/results/<date>-offtopic-extractive.json] [--write]

Fits three logistic models (scikit-learn, standardised features, balanced classes) on the records'
features (see rag/answering/calibrated.py for what each feature is):
- select: one row per candidate sentence of an answerable question; positive when the sentence holds
  a key fact. Threshold: the one that maximises the share of questions whose quoted sentences hold a
  key fact, less 0.01 per quoted sentence (answers stay short).
- answerable: one row per dev question; positive when the question is answerable. Off-topic questions are
  the topic model's (below), so they no longer join this model as negatives: with them in (2026-12-04),
  it learnt what tells a recipe question from a news question, not what tells a detail no report gives
  from one a report gives, and refused two more answerable questions of `ant` for nothing gained on dev.
  Threshold: the one that maximises abstention F1 + answerable accuracy (an answerable question counts
  as right when it is answered and its answer would pass) with at most 2% false abstentions
  (MAX_FALSE_ABSTENTIONS). The cap was 5% (issue 12's limit) until 2026-12-05: at 5% the dev-fitted
  threshold refused 3 answerable dev questions to catch 2 more unanswerable ones, and 10 of the 42
  follow-up conversations' answerable last turns (eval/sets/followup.jsonl, never fitted on), against
  1 at 2%. A wrongly answered unanswerable question still shows verbatim quotes the reader can check;
  a wrongly refused answerable one hides the answer.
- topic: one row per question; positive for every dev question (answerable or not, they are about the
  corpus), negative for the even half of the off-topic run (required for this model). Threshold: the
  middle of the thresholds that refuse the most of that half while refusing at most 2% of the dev
  questions (a wrongly refused on-topic question is worse than an answered off-topic one, which still
  cites its sources). Until 2026-12-05 it was the lowest such threshold; that one let one held-out
  off-topic question through (off-12, p 0.078 against 0.07), so the odd half's figure at the middle
  threshold was seen once and is no longer blind (README).
Prints the fit and the dev figures at the chosen thresholds; --write replaces rag/data/calibration.json.
Never fit on `test` (the script refuses a results file whose set is test or test-extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rag.answering.calibrated import QUESTION_FEATURES, SENTENCE_FEATURES, TOPIC_FEATURES  # noqa: E402

OUT = REPO / "rag" / "data" / "calibration.json"
MAX_SENTENCES = 6


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit((x - means) / scales, y)
    return model.coef_[0], float(model.intercept_[0]), means, scales


def _prob(x, w, b, means, scales):
    return 1.0 / (1.0 + np.exp(-(((x - means) / scales) @ w + b)))


def _model(features, w, b: float, t: float, means, scales, show: bool = True) -> dict:
    """One fitted model as calibration.json stores it (rag/answering/calibrated.py: Logistic.from_dict); prints its weights."""
    if show:
        for name, weight in zip(features, w):
            print(f"  {name:>16} {weight:+.3f}")
    return {"features": list(features), "weights": w.round(4).tolist(), "bias": round(b, 4), "threshold": round(t, 3),
            "means": means.round(5).tolist(), "scales": scales.round(5).tolist()}


def fit_select(records: list[dict]) -> dict:
    rows = [(c[0], c[1]) for r in records if r["answerable"] for c in r.get("candidates", [])]
    x = np.array([[f[k] for k in SENTENCE_FEATURES] for f, _ in rows], dtype=float)
    y = np.array([bool(lab) for _, lab in rows])
    w, b, means, scales = _fit(x, y)
    questions = [np.array([[f[k] for k in SENTENCE_FEATURES] for f, _ in r["candidates"]], dtype=float) for r in records
                 if r["answerable"] and r.get("candidates")]
    labels = [np.array([bool(lab) for _, lab in r["candidates"]]) for r in records if r["answerable"] and r.get("candidates")]
    best = None
    for t in np.linspace(0.05, 0.95, 91):
        hits, sizes = [], []
        for qx, qy in zip(questions, labels):
            p = _prob(qx, w, b, means, scales)
            order = np.argsort(-p, kind="stable")
            chosen = [order[0]] + [i for i in order[1:] if p[i] >= t]
            chosen = chosen[:MAX_SENTENCES]
            hits.append(bool(qy[chosen].any()))
            sizes.append(len(chosen))
        objective = float(np.mean(hits)) - 0.01 * float(np.mean(sizes))
        if best is None or objective > best[0] + 1e-9:
            best = (objective, float(t), float(np.mean(hits)), float(np.mean(sizes)))
    _, t, hit, size = best
    print(f"select: {len(rows)} candidate rows, {int(y.sum())} positive; threshold {t:.2f}: "
          f"a key-fact sentence among the quoted in {hit:.3f} of questions, {size:.1f} sentences each")
    return _model(SENTENCE_FEATURES, w, b, t, means, scales, show=False)


def _with_select(r: dict, select: dict) -> dict:
    """The record's question features with `select` recomputed by the newly fitted select model.

    The answerable model reads the best select score, so it must be fitted on the scores the new
    select model gives, not on the ones of the model the run used (read from the stored candidates).
    """
    feats = dict(r["features"])
    if r.get("candidates"):
        x = np.array([[f[k] for k in SENTENCE_FEATURES] for f, _ in r["candidates"]], dtype=float)
        feats["select"] = float(_prob(x, np.array(select["weights"]), select["bias"], np.array(select["means"]),
                                      np.array(select["scales"])).max())
    return feats


def fit_answerable(records: list[dict], select: dict) -> dict:
    rows = [r for r in records if r.get("features") and "best_similarity" in r["features"]]
    rows = [{**r, "features": _with_select(r, select)} for r in rows]
    x = np.array([[r["features"][k] for k in QUESTION_FEATURES] for r in rows], dtype=float)
    y = np.array([bool(r["answerable"]) for r in rows])
    w, b, means, scales = _fit(x, y)
    p = _prob(x, w, b, means, scales)
    hard = np.array([bool(r.get("missing_names")) or bool(r.get("type_missing")) for r in rows])  # abstain whatever p
    passes = np.array([r.get("would_pass") is not False for r in rows])
    best = None
    for t in np.linspace(0.05, 0.95, 91):
        abstain = hard | (p < t)
        una = ~y
        tp = int((abstain & una).sum())
        precision = tp / abstain.sum() if abstain.sum() else 1.0
        recall = tp / una.sum() if una.sum() else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        false_abst = float((abstain & y).sum() / y.sum())
        accuracy = float((~abstain & y & passes).sum() / y.sum())
        objective = f1 + accuracy - (10.0 if false_abst > MAX_FALSE_ABSTENTIONS else 0.0)
        if best is None or objective > best[0] + 1e-9:
            best = (objective, float(t), precision, recall, false_abst, accuracy)
    _, t, precision, recall, fa, acc = best
    print(f"answerable: {len(rows)} questions ({int((~y).sum())} unanswerable); threshold {t:.2f}: abstention P {precision:.3f} R {recall:.3f}, false abstentions {fa:.3f}, "
          f"answered-and-right {acc:.3f}")
    return _model(QUESTION_FEATURES, w, b, t, means, scales)


MAX_TOPIC_REFUSED = 0.02
MAX_FALSE_ABSTENTIONS = 0.02


def fit_topic(records: list[dict], offtopic: list[dict]) -> dict | None:
    """The off-topic model (see the module docstring); None without off-topic records."""
    usable = lambda r: all(k in r.get("features", {}) for k in TOPIC_FEATURES)  # noqa: E731 - refused before search: no features
    on = [r for r in records if usable(r)]
    off = [r for i, r in enumerate(offtopic) if i % 2 == 0 and usable(r)]
    if not on or not off:
        return None
    x = np.array([[r["features"][k] for k in TOPIC_FEATURES] for r in on + off], dtype=float)
    y = np.array([True] * len(on) + [False] * len(off))
    w, b, means, scales = _fit(x, y)
    p = _prob(x, w, b, means, scales)
    grid = [round(float(t), 3) for t in np.linspace(0.05, 0.95, 91)]
    rows = [(t, float((p[~y] < t).mean()), float((p[y] < t).mean())) for t in grid]
    feasible = [r for r in rows if r[2] <= MAX_TOPIC_REFUSED] or rows[:1]
    most = max(r[1] for r in feasible)
    # the middle of the thresholds that do as well: the lowest sits right on the highest-scoring fitted
    # off-topic question, so an unseen one scoring a little above it would pass (a maximum-margin choice)
    ties = [r for r in feasible if r[1] >= most - 1e-9]
    t, refused_off, refused_on = ties[len(ties) // 2]
    print(f"topic: {len(on)} dev questions, {len(off)} off-topic (even half); threshold {t:.2f}: off-topic refused "
          f"{refused_off:.3f}, dev questions refused {refused_on:.3f}")
    return _model(TOPIC_FEATURES, w, b, t, means, scales)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="results JSON of a dev run (and optionally an offtopic run)")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    parser.add_argument("--keep-select", action="store_true",
                        help="keep the select model of the current calibration file (refit answerable and topic only)")
    args = parser.parse_args()
    dev, offtopic, used = [], [], []
    for path in args.results:
        report = json.loads(path.read_text(encoding="utf-8"))
        if report["set"].startswith("test"):  # test and test-extra: reported, never fitted on
            print(f"{path}: refusing to fit on the {report['set']} set", file=sys.stderr)
            return 2
        (offtopic if report["set"] == "offtopic" else dev).extend(report["records"])
        used.append(f"{report['set']} ({path.name}, commit {str(report.get('commit'))[:10]})")
    out = {
        "about": "Weights of the calibrated evidence selection and abstention models (rag/answering/calibrated.py). "
                 "Written by eval/calibrate.py; do not edit by hand.",
        "fitted_on": f"{date.today().isoformat()}: " + "; ".join(used) + " (off-topic: even positions only)",
        "select": json.loads(OUT.read_text(encoding="utf-8"))["select"] if args.keep_select else fit_select(dev),
    }
    out["answerable"] = fit_answerable(dev, out["select"])
    topic = fit_topic(dev, offtopic)
    if topic is not None:
        out["topic"] = topic
    if args.write:
        OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
