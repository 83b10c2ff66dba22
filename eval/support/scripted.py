"""`rag eval --mode llm` against a scripted localhost OpenAI-protocol server, and the verifier's gate on it.

    python eval/support/scripted.py [--set seeds] [--check]

Starts tests/fake_openai.py's server (a real HTTP server on 127.0.0.1 speaking the chat-completions
protocol) with `ScriptedAnswers`: each question gets a faithful, wrong-number, wrong-source, uncited
or injected reply (fixed by a hash of the question). Runs the set in LLM mode through
`rag.evaluation.run` (the same metrics as extractive mode, plus ALCE citation recall and precision),
then scores the verifier per reply kind:

- faithful_kept: share of faithful replies answered in LLM mode with no claim marked unsupported (gate: 1.0);
- faulty_caught: share of wrong-number, wrong-source and injected replies caught, i.e. a claim marked
  unsupported or the reply replaced by the extractive answer because its claims are unsupported;
- uncited replies must fall back to the extractive answer ("no citation").

Writes eval/results/<date>-<set>-llm-scripted.json; `--check` gates on [support.scripted] in eval/thresholds.toml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from rag.evaluation import check as gate  # noqa: E402
from rag.evaluation import format_report, load_floors, run, write_results
from tests.fake_openai import FakeOpenAI, ScriptedAnswers  # noqa: E402

FAULTY = ("wrong_number", "wrong_source", "injected")


def caught(record: dict) -> bool:
    """Whether the verifier caught a faulty reply: a claim marked unsupported, or a fallback because claims were."""
    return bool(record.get("support", {}).get("claims_unsupported")) or "not supported" in (record.get("llm_error") or "")


def verifier_scores(records: list[dict], kinds: dict[str, str]) -> dict:
    """Per reply kind: questions, and for the gate faithful_kept and faulty_caught (pure)."""
    by_kind: dict[str, list[dict]] = {}
    for r in records:
        if r["question"] in kinds:
            by_kind.setdefault(kinds[r["question"]], []).append(r)
    faithful = by_kind.get("faithful", [])
    faulty = [r for k in FAULTY for r in by_kind.get(k, [])]
    uncited = by_kind.get("uncited", [])
    return {
        "replies": {k: len(v) for k, v in sorted(by_kind.items())},
        "faithful_kept": (sum(1 for r in faithful if not r["llm_error"] and not r.get("support", {}).get("claims_unsupported"))
                          / len(faithful)) if faithful else None,
        "faithful_marked_unsupported": [r["id"] for r in faithful if r.get("support", {}).get("claims_unsupported") or r["llm_error"]],
        "faulty_caught": sum(map(caught, faulty)) / len(faulty) if faulty else None,
        "faulty_caught_by_kind": {k: (sum(map(caught, by_kind[k])) / len(by_kind[k])) for k in FAULTY if by_kind.get(k)},
        "faulty_missed": [{"id": r["id"], "kind": kinds[r["question"]], "answer": r["answer"]} for r in faulty if not caught(r)],
        "uncited_fell_back": (sum(1 for r in uncited if "no citation" in (r["llm_error"] or "")) / len(uncited)) if uncited else None,
    }


def main(argv=None) -> int:
    """Run the set against the scripted server, print the eval table and the verifier's figures, gate with --check."""
    from rag.settings import Settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="seeds", choices=("seeds", "ant", "all"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--check", action="store_true", help="gate on [support.scripted] in eval/thresholds.toml")
    args = ap.parse_args(argv)
    script = ScriptedAnswers()
    with FakeOpenAI(script, model="scripted") as server:
        settings = Settings.load()
        settings.llm.base_url, settings.llm.model, settings.llm.api_key = server.base_url, "scripted", "sk-scripted-local"
        settings.llm.max_retries = 0
        report = run(args.set, "llm", args.limit, progress=False, settings=settings)
    kinds = {entry.question: entry.kind for entry in script.log}
    report["verifier"] = verifier_scores(report["records"], kinds)
    report["mode"] = "llm-scripted"
    path = write_results(report)
    print(format_report(report, path))
    v = report["verifier"]
    print(f"\nverifier on scripted replies {v['replies']}: faithful kept {v['faithful_kept']}, "
          f"faulty caught {v['faulty_caught']} {v['faulty_caught_by_kind']}, uncited fell back {v['uncited_fell_back']}")
    for m in v["faulty_missed"]:
        print(f"  missed {m['kind']} {m['id']}: {m['answer'][:160]}")
    if not args.check:
        return 0
    floors = load_floors("support").get("scripted", {})
    metrics = {k: v[k] for k in ("faithful_kept", "faulty_caught", "uncited_fell_back")}
    problems = gate(metrics, floors, "[support.scripted] in eval/thresholds.toml")
    for p in problems:
        print(f"scripted --check: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
