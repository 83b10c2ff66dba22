"""How far two annotators agree on the real-news events, by the measure the system is scored with.

    python eval/events_agreement.py            # prints the table, writes eval/results/events_agreement.json
    python eval/events_agreement.py --check    # only checks the second annotation against the article texts

`events_news.jsonl` is the first annotation (eval/README.md, "Events on real news"); `events_news_second.jsonl` is
a second one, made blind (from the articles and the guideline alone, never the first annotation or the system's
output) on the test articles and the 24 dev_extra articles. Agreement is scored as the system is
(`rag.events_eval.evaluate_news`): a new event (no back-reference) of one annotation matches a new event of the
other of the same article and type on the same sentence, once each; precision and recall read the first
annotation as the reference (F1 is symmetric). Also printed: the sentences both call a new act whatever the type
(the "is there an act" agreement), and among those the share of the same type. The system's events are scored
against both annotations, so its figure can be read against what two people reach.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rag.events_eval import agreement, evaluate_news  # noqa: E402

SPLITS = ("dev_extra", "test")
SECOND = HERE / "events_news_second.jsonl"
MORE = HERE / "events_news_more.jsonl"  # the helper annotation of the dev_more articles (eventness training)


def second_rows(path: Path = SECOND) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def check(rows: list[dict], name: str = SECOND.name, splits: tuple[str, ...] = SPLITS) -> list[str]:
    """Problems of a helper annotation (the second one, or dev_more's): a sentence not verbatim at its offsets, an
    article outside its split, a type outside the typology, a back-reference to no row of its article."""
    from events_news_eval import article_chunks  # noqa: E402

    from rag.events import TYPES

    listing = json.loads((HERE / "events_news_articles.json").read_text(encoding="utf-8"))
    texts = {c.article_id: c.text for split in splits for c in article_chunks(listing[split])}
    ids = {r["id"] for r in rows}
    problems = []
    for r in rows:
        where = f"{name}: {r['id']}"
        if r["article_id"] not in listing.get(r["split"], []):
            problems.append(f"{where}: article not in split {r['split']!r}")
        elif texts[r["article_id"]][r["start"]:r["end"]] != r["sentence"]:
            problems.append(f"{where}: the sentence is not the article's text at {r['start']}:{r['end']}")
        if r["type"] not in TYPES:
            problems.append(f"{where}: unknown type {r['type']!r}")
        if r["refers_to"] is not None and (r["refers_to"] not in ids or not r["refers_to"].startswith(r["article_id"] + "#")):
            problems.append(f"{where}: refers to {r['refers_to']!r}, no row of its article")
    return problems


def run() -> dict:
    from events_news_eval import article_chunks, resolve_new  # noqa: E402

    from rag.embeddings import make_embedder
    from rag.events import extract_events
    from rag.events.eventness import keep_acts_of
    from rag.gazetteer import Gazetteer
    from rag.sentences import embed_with_sentences

    gaz = Gazetteer.load()
    first = resolve_new([json.loads(line) for line in (HERE / "events_news.jsonl").open(encoding="utf-8")], gaz)
    second = second_rows()
    listing = json.loads((HERE / "events_news_articles.json").read_text(encoding="utf-8"))
    embedder = make_embedder("e5-small-q4")
    out = {}
    for split in SPLITS:
        ids = listing[split]
        chunks = article_chunks(ids)
        events = keep_acts_of(extract_events(chunks, gaz), chunks, embed_with_sentences(embedder, chunks)[1], embedder.name)
        out[split] = {
            "annotators": agreement(first, second, ids),
            "system_vs_first": evaluate_news(events, first, ids)["events"],
            "system_vs_second": evaluate_news(events, second, ids)["events"],
        }
    print(f"{'':34}" + "".join(f"{s + ' (P / R / F1)':>26}" for s in SPLITS))

    def cell(r: dict) -> str:
        return f"{r['precision']:.2f} / {r['recall']:.2f} / {r['f1']:.2f}"

    for label, get in (("second annotator vs first: events", lambda r: r["annotators"]["events"]),
                       ("  sentences with an act", lambda r: r["annotators"]["act_sentences"]),
                       ("system vs first annotator", lambda r: r["system_vs_first"]),
                       ("system vs second annotator", lambda r: r["system_vs_second"])):
        print(f"{label:34}" + "".join(f"{cell(get(out[s])):>26}" for s in SPLITS))
    print(f"{'  same type where both see an act':34}" + "".join(f"{out[s]['annotators']['same_type_share']!s:>26}" for s in SPLITS))
    path = HERE / "results" / "events_agreement.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        found = []
        for path, splits in ((SECOND, SPLITS), (MORE, ("dev_more",))):
            problems = check(second_rows(path), path.name, splits)
            print("\n".join(problems) or f"{path.name}: {len(second_rows(path))} rows, all verbatim and consistent")
            found += problems
        sys.exit(1 if found else 0)
    run()
