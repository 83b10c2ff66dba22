"""Score extractive events on the annotated real news (eval/events_news.jsonl), dev and test side by side.

    python eval/events_news_eval.py            # prints the table, writes eval/results/events_news.json
    python eval/events_news_eval.py --show dev # also lists missed gold events and false positives of dev
                                               # (or dev_extra; never test)

Articles are read from eval/corpus/news.jsonl (events_extra.jsonl, events_more.jsonl) and extracted as one chunk each, with their title and
date (the same text the Q/A eval ingests). Tune on dev only; test is held out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rag.documents import Chunk  # noqa: E402
from rag.embeddings import make_embedder  # noqa: E402
from rag.events import extract_events  # noqa: E402
from rag.events.eventness import keep_acts_of  # noqa: E402
from rag.events_eval import evaluate_news  # noqa: E402
from rag.gazetteer import Gazetteer  # noqa: E402
from rag.sentences import embed_with_sentences  # noqa: E402

FIELDS = ("events", "actors", "places", "figures", "dates")
SPLITS = ("dev", "dev_extra", "test")  # dev_extra: 24 dev articles added 2026-12-05 (eval/README.md)
# dev_more: 64 dev articles annotated by helpers for event sentences and types only (eval/events_news_more.jsonl):
# scored on events alone, printed under the table
MORE_SPLIT, MORE_ROWS = "dev_more", HERE / "events_news_more.jsonl"


def resolve_new(rows: list[dict], gaz: Gazetteer) -> list[dict]:
    """Rows whose `new:<name>` places and actors the gazetteer now knows carry its id.

    The annotators wrote `new:` for what the gazetteer of the day did not know ('new:taftanaz'); a gazetteer
    grown since (scripts/build_places.py) that finds «تفتناز» is right, not wrong. The name is read by the
    gazetteer's own English matcher, and only a match of the whole name counts."""

    def fix(value):
        if not isinstance(value, str) or not value.startswith("new:"):
            return value
        name = value[4:].replace("-", " ")
        found = gaz.find_english(name)
        return found[0].entry.id if len(found) == 1 and found[0].start == 0 and found[0].end == len(name) else value

    out = []
    for r in rows:
        r = dict(r)
        r["location"] = fix(r.get("location"))
        r["location_alt"] = [fix(v) for v in r.get("location_alt", [])]
        r["actors"] = [fix(v) for v in r.get("actors", [])]
        out.append(r)
    return out


def article_chunks(ids: list[str]) -> list[Chunk]:
    """The annotated articles as one chunk each, with title, date and outlet (the text the Q/A eval ingests)."""
    articles = {a["id"]: a for name in ("news.jsonl", "events_extra.jsonl", "events_more.jsonl")
                for a in map(json.loads, (HERE / "corpus" / name).open(encoding="utf-8"))}
    return [Chunk(f"{i}#000", i, articles[i]["text"], 0, len(articles[i]["text"]),
                  {"title": articles[i]["title"], "date": articles[i]["date"][:10], "source": articles[i]["source"]})
            for i in ids]


def run(show: str | None = None, eventness: bool = True) -> dict:
    """Both splits' scores (and the table printed). The eventness model (rag/events/eventness.py) applies as at
    ingest: the articles' sentences are embedded with the bundled e5 (about 25 s)."""
    gaz = Gazetteer.load()
    rows = resolve_new([json.loads(line) for line in (HERE / "events_news.jsonl").open(encoding="utf-8")], gaz)
    listing = json.loads((HERE / "events_news_articles.json").read_text(encoding="utf-8"))
    embedder = make_embedder("e5-small-q4") if eventness else None
    results = {}
    more_rows = [json.loads(line) for line in MORE_ROWS.open(encoding="utf-8")]
    for split in (*SPLITS, MORE_SPLIT):
        chunks = article_chunks(listing[split])
        events = extract_events(chunks, gaz)
        if embedder is not None:
            events = keep_acts_of(events, chunks, embed_with_sentences(embedder, chunks)[1], embedder.name)
        results[split] = evaluate_news(events, more_rows if split == MORE_SPLIT else rows, listing[split])
    print(f"{'':8}" + "".join(f"{s + ' (P / R / F1)':>26}" for s in SPLITS))
    for f in FIELDS:
        cells = [f"{results[s][f]['precision']:.2f} / {results[s][f]['recall']:.2f} / {results[s][f]['f1']:.2f}" for s in SPLITS]
        print(f"{f:8}" + "".join(f"{c:>26}" for c in cells))
    cells = [f"{results[s]['roles']['accuracy']:.2f} / {results[s]['roles']['events_all_parties_right']:.2f}" for s in SPLITS]
    print(f"{'roles':8}" + "".join(f"{c:>26}" for c in cells) + "   (role accuracy / events with every party right)")
    m = results[MORE_SPLIT]["events"]
    print(f"{'events':8}{MORE_SPLIT + ' (helper annotation, events only): '}{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}")
    for s in (*SPLITS, MORE_SPLIT):
        r = results[s]
        print(f"{s}: {r['articles']} articles, {r['events']['gold']} gold events, {r['events']['predicted']} predicted, "
              f"{r['linked_back_references']} back-references linked")
    if show:
        r = results[show]
        print("\nmissed:", *r["missed"], sep="\n  ")
        print("\nfalse positives:", *r["false_positives"], sep="\n  ")
    out = HERE / "results" / "events_news.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", choices=("dev", "dev_extra", "dev_more"), help="list a dev split's misses and false positives")
    ap.add_argument("--rules-only", action="store_true", help="score the trigger rules without the eventness model")
    args = ap.parse_args()
    run(args.show, eventness=not args.rules_only)
