"""How often the English gist names the right actors and place, on the English who/where questions of the eval sets.

    python eval/events_gist_eval.py --index DIR     # an index holding the questions' gold articles (see eval/README.md)
    python eval/events_gist_eval.py --index DIR --show gist-dev   # also print a dev split's misses (never test's)

A question counts when it is English, answerable and its answer is an event's actor or place: qtype
`where`, or qtype `who` whose key facts are armed actors of the gazetteer (groups, forces) rather than
persons (spokesmen, journalists: no event names them). It is right when every one of its key facts (each a list of
accepted spellings) is named by the answer's gist lines: a spelling appears in them (case-folded),
or the gazetteer reads the same entry in a spelling and in the gist. Writes eval/results/events_gist.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rag.agent import Agent  # noqa: E402
from rag.gazetteer import Gazetteer  # noqa: E402
from rag.settings import Settings  # noqa: E402

# gist-dev: 24 English where/who questions on dev articles, written for the gist (eval/README.md), dev material.
# dev-extra, dev-more and test-extra were written for the answers, not the gist: their English who/where questions
# measure it on questions no gist rule was chosen on (test-extra: test material, never tuned on).
SPLITS = ("dev", "gist-dev", "dev-extra", "dev-more", "test", "test-extra")
DEV_SPLITS = ("dev", "gist-dev", "dev-extra", "dev-more")


def named(fact: list[str], gist: str, gaz: Gazetteer) -> bool:
    """True when the gist names the key fact (any accepted spelling, or the same gazetteer entry)."""
    low = gist.casefold()
    if any(alt.casefold() in low for alt in fact):
        return True
    ids = {m.entry.id for alt in fact for m in (gaz.find(alt) or [])}
    return bool(ids & {m.entry.id for m in gaz.find(gist)})


def _actor(fact: list[str], gaz: Gazetteer) -> bool:
    """True when an accepted spelling of a key fact is a gazetteer group or force."""
    return any(m.entry.type in ("group", "force") for alt in fact for m in (gaz.find(alt) or []))


def run(index: Path, show: str | None = None) -> dict:
    """Per split: questions, with a gist, right; and the misses."""
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir, settings.store.chroma_url, settings.store.collection = index, None, "articles"
    settings.llm.model = None
    agent = Agent(settings, llm=None)
    out: dict = {}
    for split in SPLITS:
        rows = [json.loads(line) for line in (HERE / "sets" / f"{split}.jsonl").open(encoding="utf-8")]
        rows = [r for r in rows if r["lang"] == "en" and r["answerable"] and (r["qtype"] == "where" or (
            r["qtype"] == "who" and all(_actor(fact, agent.gazetteer) for fact in r["key_facts"])))]
        right, with_gist, misses = 0, 0, []
        for r in rows:
            answer = agent.ask(r["question"])
            gist = " ".join(g["text"] for g in answer.gist)
            with_gist += bool(gist)
            ok = bool(gist) and all(named(fact, gist, agent.gazetteer) for fact in r["key_facts"])
            right += ok
            if not ok:
                misses.append({"id": r["id"], "question": r["question"], "key_facts": r["key_facts"], "gist": gist})
        out[split] = {"questions": len(rows), "with_gist": with_gist, "right": right,
                      "share_right": round(right / len(rows), 3) if rows else 0.0, "misses": misses}
        print(f"{split}: {right}/{len(rows)} right ({out[split]['share_right']:.0%}), {with_gist} with a gist")
        if split == show:
            for m in misses:
                print(f"  {m['id']}: {m['question']}\n    facts {m['key_facts'][0][:2]}\n    gist  {m['gist'][:400]}")
    path = HERE / "results" / "events_gist.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--show", choices=DEV_SPLITS, help="print a dev split's misses")
    args = ap.parse_args()
    run(args.index, args.show)
