"""Build and check the briefing key-development set (eval/sets/briefing-keys.jsonl) and its corpus.

    python eval/build_briefing_keys.py            # write eval/corpus/briefing-keys.jsonl.gz from ../shared
    python eval/build_briefing_keys.py --check    # check the set against that corpus (and the seeds); exit 1 on a fault

The corpus holds, for each ANT week of the set, the articles the set names (key developments,
other on-scope reports, off-scope reports) plus DISTRACTORS articles of other categories (sport,
economy, culture, technology, international news) taken in sha1(id) order among those that do not
name Syria (سوري), so an index of a few hundred reports reproduces a week's mix cheaply (ingest
costs about 0.3 s per article; see eval/README.md). The check verifies, for every case: each id is
in the corpus and dated in the case's week; every key development's `quote` occurs verbatim in the
title or text of its first article; who/where ids exist in the gazetteer; no article is listed
twice; the split agrees with the dev/test weeks of eval/corpus/news-split.json when it lists the
week. Python standard library plus rag.gazetteer.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ANT = ROOT.parent / "shared" / "corpus" / "ant-news.jsonl.gz"
SET = ROOT / "eval" / "sets" / "briefing-keys.jsonl"
CORPUS = ROOT / "eval" / "corpus" / "briefing-keys.jsonl.gz"
SPLIT = ROOT / "eval" / "corpus" / "news-split.json"
SAMPLE = ROOT / "rag" / "data" / "sample"
DISTRACTORS = 2  # other-category reports a week
PER_DEVELOPMENT, ON_SCOPE, OFF_SCOPE = 3, 3, 8  # reports a week indexed of each list (the first ones)
FIELDS = ("id", "title", "date", "source", "text", "url", "category")


def load_set(path: Path = SET) -> list[dict]:
    """The cases, one JSON object a line; errors name the line."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON ({exc})") from None
    return out


def week_of(iso: str) -> str:
    y, w, _ = datetime.fromisoformat(iso).isocalendar()
    return f"{y}-W{w:02d}"


def listed(case: dict) -> list[str]:
    """Every article id a case names: key developments', other on-scope and off-scope."""
    return [a for k in case["key"] for a in k["articles"]] + case.get("on_scope", []) + case.get("off_scope", [])


def indexed(case: dict) -> list[str]:
    """The ids of a case that go into the corpus: the first of each list (ingest time is the CI budget)."""
    return ([a for k in case["key"] for a in k["articles"][:PER_DEVELOPMENT]] + case.get("on_scope", [])[:ON_SCOPE]
            + case.get("off_scope", [])[:OFF_SCOPE])


def build(cases: list[dict], ant: Path = ANT) -> int:
    """Write the corpus file: the named articles and each week's distractors."""
    weeks = {c["week"]: c for c in cases if c["corpus"] == "ant"}
    wanted = {a for c in weeks.values() for a in indexed(c)}
    every = {a for c in weeks.values() for a in listed(c)}
    found, others = {}, {w: [] for w in weeks}
    with gzip.open(ant, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            try:
                week = week_of(r["date"])
            except (KeyError, ValueError):
                continue
            if r["id"] in wanted:
                found[r["id"]] = {k: r.get(k, "") for k in FIELDS}
            elif r["id"] in every:
                continue  # listed but not indexed: the check still verifies it from the dump when present
            elif week in weeks and r.get("category") != "middleEast" and "سوري" not in r["title"] + r["text"]:
                others[week].append({k: r.get(k, "") for k in FIELDS})
    if missing := sorted(wanted - set(found)):
        raise SystemExit(f"{ant}: {len(missing)} listed article(s) not found, e.g. {missing[:3]}")
    rows = list(found.values())
    for pool in others.values():
        rows += sorted(pool, key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())[:DISTRACTORS]
    rows.sort(key=lambda r: r["id"])
    CORPUS.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(CORPUS, "wt", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {CORPUS.relative_to(ROOT)}: {len(rows)} articles ({len(found)} listed, "
          f"{len(rows) - len(found)} distractors) for {len(weeks)} weeks")
    return 0


def check(cases: list[dict]) -> int:
    """Print every fault of the set; 0 when there is none."""
    from rag.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        corpus = {r["id"]: r for r in map(json.loads, fh)}
    for p in sorted(SAMPLE.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        corpus[p.stem] = {"id": p.stem, "title": text.splitlines()[0], "text": text, "date": ""}
    split = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.is_file() else {}
    faults, ids_seen = [], set()
    for c in cases:
        where = f"{SET.name} {c.get('id')}"
        for k in ("id", "corpus", "week", "split", "scope", "key"):
            if k not in c:
                faults.append(f"{where}: missing {k!r}")
        if c.get("split") not in ("dev", "test"):
            faults.append(f"{where}: split must be dev or test")
        for name in ("dev", "test"):
            if c["week"] in split.get(f"{name}_weeks", []) and c["split"] != name:
                faults.append(f"{where}: {c['week']} is a {name} week in {SPLIT.name}")
        if c["id"] in ids_seen:
            faults.append(f"{where}: duplicate id")
        ids_seen.add(c["id"])
        names = listed(c)
        if dup := sorted({a for a in names if names.count(a) > 1}):
            faults.append(f"{where}: listed twice: {dup}")
        for a in names:
            if a not in corpus:
                if a in indexed(c):
                    faults.append(f"{where}: {a} is not in {CORPUS.name} (run the build)")
            elif c["corpus"] == "ant" and week_of(corpus[a]["date"]) != c["week"]:
                faults.append(f"{where}: {a} is dated {corpus[a]['date']}, not in {c['week']}")
        for k in c["key"]:
            first = corpus.get(k["articles"][0])
            if first and k["quote"] not in first["title"] + "\n" + first["text"]:
                faults.append(f"{where}: quote «{k['quote']}» is not verbatim in {k['articles'][0]}")
            for i in k.get("where", []) + k.get("who", []):
                if gaz.get(i) is None:
                    faults.append(f"{where}: {i!r} is not a gazetteer id")
    for f in faults:
        print(f"FAIL {f}")
    keys = sum(len(c["key"]) for c in cases)
    print(f"{SET.name}: {len(cases)} weeks ({sum(c['split'] == 'dev' for c in cases)} dev, "
          f"{sum(c['split'] == 'test' for c in cases)} test), {keys} key developments, "
          f"{sum(len(c.get('off_scope', [])) for c in cases)} off-scope reports; {len(faults)} fault(s)")
    return 1 if faults else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("ant", nargs="?", default=str(ANT), help="the ANT dump (default ../shared/corpus/ant-news.jsonl.gz)")
    args = parser.parse_args(argv)
    cases = load_set()
    return check(cases) if args.check else build(cases, Path(args.ant))


if __name__ == "__main__":
    sys.exit(main())
