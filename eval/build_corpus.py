"""Build the small ANT evaluation corpus and check the grounded Q/A sets.

    python eval/build_corpus.py [SOURCE.jsonl.gz] [--out PATH]   # write eval/corpus/ant-eval.jsonl
    python eval/build_corpus.py --check                           # check eval/sets/*.jsonl

The corpus is a fixed selection (ARTICLE_IDS) of 2018 `middleEast` articles from the
ANT corpus (Chouigui et al., 2017): the articles the questions in eval/sets/ant.jsonl
are about, plus distractors, with two busy weeks (2018-W15 and 2018-W19) nearly
whole in conflict news so that retrieval and weekly briefings face realistic
competition. Article copyright stays with the outlets. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
REPO = EVAL_DIR.parent
DEFAULT_SOURCE = Path(__file__).resolve().parents[1].parent / "shared/corpus/ant-news.jsonl.gz"
DEFAULT_OUT = EVAL_DIR / "corpus" / "ant-eval.jsonl"
SETS_DIR = EVAL_DIR / "sets"
SAMPLE_DIR = REPO / "rag" / "data" / "sample"
FIELDS = ("id", "title", "date", "source", "text", "url", "category")

ARTICLE_IDS: tuple[str, ...] = (
    # --- 2018-W15 (9-15 April): T4 strike, Douma, the 14 April US/UK/French strikes, Yemen, Iraq.
    "ant-SK-middleEast-875-20180409",  # Observatory: 14 killed at T4 (Tiyas), 8 missiles downed
    "ant-SK-middleEast-851-20180409",  # SANA: missiles hit T4 (distractor, no toll)
    "ant-CN-middleEast-531-20180409",  # Pentagon denies T-4 strike (distractor)
    "ant-BB-middleEast-316-20180409",  # Syria: Israeli F-15s fired from over Lebanon
    "ant-SK-middleEast-871-20180409",  # Diyala operation against ISIS sleeper cells
    "ant-SK-middleEast-877-20180409",  # Yemen: Saada, Nihm, Zalzal mountains
    "ant-SK-middleEast-881-20180409",  # Fars: names of 3 Iranians killed at T4
    "ant-SK-middleEast-887-20180409",  # first Douma convoy to Jarablus, 25 buses
    "ant-BB-middleEast-319-20180409",  # Bahraini women mechanics (off-topic distractor)
    "ant-SK-middleEast-892-20180410",  # Tasnim: Iranian toll at T4 rises to 7
    "ant-SK-middleEast-906-20180410",  # Yemen: Midi, Hajjah
    "ant-SK-middleEast-916-20180410",  # Russian veto: 12 for, Russia and Bolivia against
    "ant-SK-middleEast-929-20180411",  # Hezbollah leaves T4; repeats the veto vote
    "ant-BB-middleEast-329-20180411",  # WHO: 500 patients with toxic exposure in Douma
    "ant-SK-middleEast-990-20180412",  # Saudi air defence intercepts Houthi missile towards Jazan
    "ant-SK-middleEast-1006-20180413",  # Houthi shell kills journalist in al-Bayda
    "ant-SK-middleEast-1021-20180414",  # strikes begin, explosions in Damascus (distractor)
    "ant-SK-middleEast-1017-20180414",  # the "50 minute" strike: targets, Tornado / Storm Shadow
    "ant-SK-middleEast-1033-20180414",  # Damascus: 13 missiles downed near al-Kiswah
    "ant-BB-middleEast-345-20180414",  # four RAF Tornados with Storm Shadow
    "ant-CN-middleEast-617-20180414",  # Syrian army: 110 missiles
    "ant-SK-middleEast-1025-20180414",  # Observatory: targets were empty; "about 110" in words
    "ant-FR-middleEast-294-20180414",  # explosion south of Aleppo where Fatemiyoun are based
    "ant-FR-middleEast-283-20180415",  # child killed when a Douma convoy is shot at
    # --- 2018-W19 (7-13 May): Israel-Iran exchange, Iraqi election, Yemen west coast.
    "ant-SK-middleEast-1477-20180507",  # 45 Palestinians killed in Syria in April
    "ant-SK-middleEast-1478-20180507",  # ISIS kills candidate Farouk Zarzour al-Jubouri
    "ant-SK-middleEast-1491-20180507",  # Russian Ka-52 crash, 2 pilots killed
    "ant-SK-middleEast-1519-20180508",  # 9 killed at arms depot in al-Kiswah ...
    "ant-SK-middleEast-1547-20180508",  # ... the same article again (duplicate in the source)
    "ant-SK-middleEast-1520-20180509",  # SDF resumes operations against ISIS
    "ant-SK-middleEast-1525-20180509",  # Iraqi intelligence on Baghdadi's whereabouts
    "ant-SK-middleEast-1537-20180509",  # ISIS retakes points in al-Hajar al-Aswad
    "ant-SK-middleEast-1562-20180510",  # Israeli army: Quds Force targets (distractor)
    "ant-CN-middleEast-865-20180510",  # Quds Force fired 20 rockets at the Golan
    "ant-CN-middleEast-869-20180510",  # Russian MoD: 28 jets, 60 missiles
    "ant-SK-middleEast-1579-20180510",  # Yemen: AQAP stronghold in Abyan falls
    "ant-SK-middleEast-1611-20180512",  # Observatory: 27 killed incl. 11 Iranians
    "ant-SK-middleEast-1623-20180512",  # Kirkuk election-day bomb
    "ant-SK-middleEast-1635-20180513",  # Houthi commander Abu al-Baqir al-Junaidi killed
    "ant-SK-middleEast-1645-20180513",  # al-Hima port taken (Tareq Saleh)
    "ant-SK-middleEast-1655-20180513",  # Idlib bombing toll rises to 28
    # --- elsewhere in 2018: the desert war against ISIS, Wagner, Sweida, Hodeidah.
    "ant-BB-middleEast-20-20180214",  # Russians (Wagner) killed in US strikes, 7 February
    "ant-SK-middleEast-1117-20180418",  # 18 regime troops killed near al-Mayadin
    "ant-SK-middleEast-1335-20180429",  # Iran's foreign militias (Fatemiyoun, Zainabiyoun ...)
    "ant-SK-middleEast-1982-20180527",  # ISIS attack SW of al-Mayadin: 35 killed incl. 9 Russians
    "ant-BB-middleEast-541-20180527",  # same attack, BBC: 4 Russians killed
    "ant-SK-middleEast-2244-20180608",  # ISIS enters al-Bukamal after 10 suicide attacks
    "ant-SK-middleEast-2399-20180615",  # 128 Houthis killed south of Hodeidah
    "ant-BB-middleEast-635-20180619",  # coalition forces enter Hodeidah airport
    "ant-BB-middleEast-659-20180623",  # Iraqi jets kill 45 ISIS members in Hajin
    "ant-BB-middleEast-785-20180725",  # Sweida attacks: 215 killed
    "ant-BB-middleEast-849-20180805",  # ISIS executes first Sweida hostage; 36 abducted
)


# ---------------------------------------------------------------- build


def build(source: Path, out: Path) -> int:
    """Copy the ARTICLE_IDS articles from the ANT dump to `out`, sorted by id."""
    if not source.is_file():
        print(
            f"error: ANT source not found: {source}\n"
            "Pass its path as the first argument, e.g. "
            "python eval/build_corpus.py ../shared/corpus/ant-news.jsonl.gz\n"
            f"(the committed {DEFAULT_OUT.relative_to(REPO)} is enough to run the eval).",
            file=sys.stderr,
        )
        return 2
    wanted = set(ARTICLE_IDS)
    if len(wanted) != len(ARTICLE_IDS):
        dupes = [i for i, n in Counter(ARTICLE_IDS).items() if n > 1]
        print(f"error: ARTICLE_IDS lists ids twice: {dupes}", file=sys.stderr)
        return 1
    found: dict[str, dict] = {}
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("id") in wanted:
                found[row["id"]] = {k: row.get(k) for k in FIELDS}
    missing = sorted(wanted - found.keys())
    if missing:
        print(f"error: {len(missing)} ids not in {source}: {missing}", file=sys.stderr)
        return 1
    wrong = sorted(i for i, r in found.items() if r["category"] != "middleEast")
    if wrong:
        print(f"error: not category middleEast: {wrong}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = [found[i] for i in sorted(found)]
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    weeks = Counter(iso_week(r["date"]) for r in rows)
    sources = Counter(r["source"] for r in rows)
    dates = sorted(r["date"][:10] for r in rows)
    print(f"wrote {len(rows)} articles to {out} ({out.stat().st_size:,} bytes)")
    print(f"  dates {dates[0]} .. {dates[-1]}; by source: {dict(sources)}")
    print("  by ISO week: " + ", ".join(f"{w}: {n}" for w, n in sorted(weeks.items())))
    return 0


def iso_week(date: str) -> str:
    """ISO week ("2018-W15") of the calendar date as written in an ISO timestamp (zone ignored)."""
    year, week, _ = dt.date.fromisoformat(date[:10]).isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------- check


def normalize(text: str) -> str:
    """Light matching key: filter-dodge and tatweel out, alef / ta marbuta / alef maqsura folded, lower case."""
    text = text.replace("ـ.ـ", "").replace("ـ", "")
    for src, dst in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي")):
        text = text.replace(src, dst)
    return text.lower()


def load_jsonl(path: Path) -> list[dict]:
    """Rows of a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_texts() -> dict[str, dict[str, str]]:
    """Article texts by corpus name: 'seeds' (rag/data/sample, stem = id) and 'ant' (title + text)."""
    seeds = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))}
    ant = {}
    if DEFAULT_OUT.is_file():
        ant = {r["id"]: f"{r['title']}\n{r['text']}" for r in load_jsonl(DEFAULT_OUT)}
    return {"seeds": seeds, "ant": ant}


PAIR_FIELDS = (("id", str), ("question", str), ("lang", str), ("answerable", bool),
               ("gold_article_ids", list), ("key_facts", list), ("note", str))


def field_errors(row: dict, fields: tuple[tuple[str, type], ...]) -> list[str]:
    """The fields of a row that are missing or of the wrong type."""
    return [f"field {key!r} missing or not {kind.__name__}" for key, kind in fields if not isinstance(row.get(key), kind)]


def pair_errors(row: dict, texts: dict[str, str], gold_check: Callable[[str], list[str]] | None = None) -> list[str]:
    """What every Q/A set checks once the fields are right: language, dates, gold articles holding each
    key fact (and `gold_check` of each gold id), and terms that must never all meet in one article."""
    errs = []
    if row["lang"] not in ("en", "ar"):
        errs.append(f"lang {row['lang']!r} is not 'en' or 'ar'")
    for key in ("since", "until"):
        if key in row:
            try:
                dt.date.fromisoformat(row[key])
            except (TypeError, ValueError):
                errs.append(f"{key} {row[key]!r} is not an ISO date")
    gold = row["gold_article_ids"]
    if not row["answerable"]:
        if gold or row["key_facts"]:
            errs.append("unanswerable pair must have empty gold_article_ids and key_facts")
    else:
        if not gold or not row["key_facts"]:
            errs.append("answerable pair needs gold_article_ids and key_facts")
        for doc_id in gold:
            if doc_id not in texts:
                errs.append(f"gold article {doc_id} not in the corpus")
                continue
            errs += gold_check(doc_id) if gold_check else []
            body = normalize(texts[doc_id])
            for fact in row["key_facts"]:
                if not isinstance(fact, list) or not fact or not all(isinstance(v, str) and v for v in fact):
                    errs.append(f"key fact {fact!r} must be a non-empty list of strings")
                elif not any(normalize(v) in body for v in fact):
                    errs.append(f"no variant of fact {fact} found in {doc_id}")
    # Optional: groups of terms that must never all occur in one article of the corpus.
    groups = row.get("must_not_cooccur")
    if groups:
        for doc_id, text in texts.items():
            body = normalize(text)
            if all(any(normalize(v) in body for v in group) for group in groups):
                errs.append(f"must_not_cooccur {groups} all found in {doc_id}")
    return errs


def check_pair(row: dict, texts: dict[str, str]) -> list[str]:
    """Problems with one Q/A pair against the texts of its corpus (empty list when fine)."""
    return field_errors(row, PAIR_FIELDS) or pair_errors(row, texts)


def check_rows(name: str, rows: list[dict], problems: Callable[[dict], list[str]], seen: set, stats: Counter) -> int:
    """Print a FAIL line for each problem of each row of <name>.jsonl (ids must be unique across `seen`),
    count pairs, languages and (un)answerable ones into `stats`; the number of rows that failed."""
    failures = 0
    for row in rows:
        errs = problems(row)
        if row.get("id") in seen:
            errs.append("duplicate id")
        seen.add(row.get("id"))
        for err in errs:
            print(f"FAIL {name}.jsonl {row.get('id')}: {err}")
        failures += bool(errs)
        stats["pairs"] += 1
        stats[row.get("lang")] += 1
        stats["answerable" if row.get("answerable") else "unanswerable"] += 1
    return failures


def check_briefing(case: dict, texts: dict[str, dict[str, str]], dates: dict[str, str]) -> list[str]:
    """Problems with one briefing case: ids exist, and ANT dates agree with the period."""
    errs = []
    corpus = case.get("corpus")
    if corpus not in texts:
        return [f"corpus {corpus!r} is not 'seeds' or 'ant'"]
    if not case.get("week") and not (case.get("since") and case.get("until")):
        errs.append("needs 'week' or 'since' and 'until'")
    include, exclude = case.get("must_include_articles", []), case.get("must_exclude_articles", [])
    duplicates = [doc_id for group in case.get("duplicates", []) for doc_id in group]
    for doc_id in include + exclude + duplicates:
        if doc_id not in texts[corpus]:
            errs.append(f"article {doc_id} not in corpus {corpus}")
    if set(include) & set(exclude):
        errs.append(f"ids both included and excluded: {sorted(set(include) & set(exclude))}")
    if corpus == "ant" and not errs:
        for doc_id in include + exclude:
            inside = in_period(dates[doc_id], case)
            if inside != (doc_id in include):
                errs.append(f"{doc_id} dated {dates[doc_id][:10]} is {'in' if inside else 'outside'} the period")
    return errs


def in_period(date: str, case: dict) -> bool:
    """Whether the calendar date of an ISO timestamp falls in the case's week or since/until."""
    if case.get("week"):
        return iso_week(date) == case["week"]
    return case["since"] <= date[:10] <= case["until"]


def check() -> int:
    """Check every pair of eval/sets/seeds.jsonl and ant.jsonl, and briefings.jsonl; 1 on failure."""
    if not DEFAULT_OUT.is_file():
        print(f"error: {DEFAULT_OUT} missing: run python eval/build_corpus.py first", file=sys.stderr)
        return 1
    texts = load_texts()
    dates = {r["id"]: r["date"] for r in load_jsonl(DEFAULT_OUT)}
    failures = 0
    totals = Counter()
    seen_ids: set[str] = set()
    for name in ("seeds", "ant"):
        rows = load_jsonl(SETS_DIR / f"{name}.jsonl")
        stats: Counter = Counter()
        failures += check_rows(name, rows, lambda row, corpus=texts[name]: check_pair(row, corpus), seen_ids, stats)
        totals.update(stats)
        print(f"{name}.jsonl: {stats['pairs']} pairs, en {stats['en']} / ar {stats['ar']}, "
              f"unanswerable {stats['unanswerable']} ({stats['unanswerable'] / max(stats['pairs'], 1):.0%})")
    briefings = load_jsonl(SETS_DIR / "briefings.jsonl")
    for case in briefings:
        for err in check_briefing(case, texts, dates):
            print(f"FAIL briefings.jsonl {case.get('id')}: {err}")
            failures += 1
    print(f"briefings.jsonl: {len(briefings)} cases")
    n = totals["pairs"]
    print(f"all sets: {n} pairs, English {totals['en']} ({totals['en'] / n:.0%}), "
          f"unanswerable {totals['unanswerable']} ({totals['unanswerable'] / n:.0%})")
    if totals["en"] * 3 < n or totals["unanswerable"] * 5 < n:
        print("FAIL balance: need at least a third English and a fifth unanswerable")
        failures += 1
    return verdict(failures)


def verdict(failures: int) -> int:
    """The closing line of a check and its exit code (1 on any failure)."""
    print("check: OK" if not failures else f"check: {failures} failure(s)")
    return 1 if failures else 0


def cli(doc: str, check_help: str) -> argparse.ArgumentParser:
    """The arguments every builder takes: the ANT source file, and --check instead of building."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help=f"ANT jsonl.gz (default: {DEFAULT_SOURCE})")
    parser.add_argument("--check", action="store_true", help=check_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = cli(__doc__, "check eval/sets against the texts instead of building")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL")
    args = parser.parse_args(argv)
    return check() if args.check else build(args.source, args.out)


if __name__ == "__main__":
    sys.exit(main())
