"""The gate: the floors of eval/thresholds.toml checked against a run's metrics, and the calibration of min_support.

Pure apart from reading the floors file: `rag eval --check` fails naming every metric under its floor;
`calibrate` says which abstention threshold would have served a run best (it changes nothing itself).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

from .checkout import THRESHOLDS
from .metrics import abstention_scores, mean

# -- calibration (pure) -------------------------------------------------------------


def _would_abstain(record: dict, threshold: float) -> bool:
    best = record.get("best_similarity")
    return best is None or bool(record.get("missing_names")) or bool(record.get("type_missing")) or best < threshold


def _score_threshold(records: Sequence[dict], threshold: float) -> dict:
    abst = abstention_scores((r["answerable"], _would_abstain(r, threshold)) for r in records)
    # An answerable question counts as right when it is answered and its answer would pass
    # (unknown in LLM mode: then answering at all counts).
    right = [not _would_abstain(r, threshold) and r.get("would_pass", True) is not False for r in records if r["answerable"]]
    accuracy = mean(right)
    f1 = abst["abstention_f1"] or 0.0
    return {
        "threshold": threshold,
        "objective": f1 + (accuracy or 0.0),
        "abstention_f1": abst["abstention_f1"],
        "abstention_precision": abst["abstention_precision"],
        "abstention_recall": abst["abstention_recall"],
        "answerable_accuracy": accuracy,
    }


def calibrate(results, current: float | None = None) -> dict:
    """The `min_support` threshold on best_similarity that maximises abstention F1 + answerable accuracy.

    `results` is a list of per-question records (or a report holding them as "records");
    each needs `answerable`, `best_similarity` (None when nothing was retrieved) and may
    carry `missing_names` and `type_missing` (the name and count rules abstain whatever the
    threshold; the count rule is evaluated at the current threshold) and `would_pass`.
    The outcome is constant between two consecutive similarities, so the recommended value
    is the middle of the best interval (the widest one on a tie), rounded to 3 decimals.
    """
    records = results["records"] if isinstance(results, dict) else list(results)
    records = [r for r in records if "best_similarity" in r]
    sims = sorted({round(r["best_similarity"], 6) for r in records if r["best_similarity"] is not None})
    if not records or not sims:
        return {"threshold": None, "reason": "no records with a best_similarity"}
    # Interval i is (edges[i], edges[i+1]]: any threshold in it abstains on exactly the sims below edges[i+1].
    edges = [0.0, *sims, 1.0] if sims[-1] < 1.0 else [0.0, *sims, sims[-1] + 0.01]
    best: tuple[tuple[float, float], float, float, dict] | None = None  # ((objective, width), lo, hi, scores)
    for lo, hi in zip(edges, edges[1:]):
        if hi <= lo:
            continue
        scored = _score_threshold(records, hi)
        key = (round(scored["objective"], 9), hi - lo)
        if best is None or key > best[0]:
            best = (key, lo, hi, scored)
    if best is None:  # cannot happen: edges end above the highest similarity
        return {"threshold": None, "reason": "no interval between the similarities"}
    _, lo, hi, scored = best
    out = {**scored, "threshold": round((lo + hi) / 2, 3), "interval": [round(lo, 4), round(hi, 4)], "questions": len(records)}
    if current is not None:
        out["current"] = _score_threshold(records, current)
    return out


# -- the gate (pure) ----------------------------------------------------------------


def flatten(tree: dict, prefix: str = "") -> dict:
    """Nested dicts to dotted keys: {"ar": {"mrr": 1}} -> {"ar.mrr": 1}."""
    out = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        else:
            out[name] = value
    return out


def check(metrics: dict, floors: dict, where: str = "eval/thresholds.toml") -> list[str]:
    """One message per metric under its floor (or not measured, or unknown); empty when the gate passes."""
    values = flatten(metrics)
    problems = []
    for name, floor in sorted(flatten(floors).items()):
        if name not in values:
            problems.append(f"{name}: no such metric (floor {floor:g} in {where}); known: {', '.join(sorted(values))}")
        elif values[name] is None:
            problems.append(f"{name} was not measured (floor {floor:g} in {where})")
        elif values[name] < floor:
            problems.append(f"{name} = {values[name]:.3f} is under its floor {floor:g} ({where})")
    return problems


def load_floors(set_name: str, path: Path = THRESHOLDS) -> dict:
    """The floors of one set from the thresholds file ({} when the set has none)."""
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh).get(set_name, {})


