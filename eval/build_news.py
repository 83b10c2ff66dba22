"""Build the dev/test news corpus (eval/corpus/news.jsonl) and check the dev/test/offtopic sets.

    python eval/build_news.py [SOURCE.jsonl.gz]   # write eval/corpus/news.jsonl and news-split.json
    python eval/build_news.py --check             # check eval/sets/{dev,test,offtopic}.jsonl; 1 on failure

The corpus is a deterministic extract of the ANT corpus (Chouigui et al., 2017): twelve
ISO weeks of 2018, six for `dev` and six for `test`, none shared with the weeks of the
small `ant` set (2018-W15, W19). From each week it takes the Syria / Iraq conflict
articles of category `middleEast` with the highest keyword score (CONFLICT_TARGET per
week), plus distractors: other `middleEast` news and a few articles of other
categories. The split is by article through its week, so no fact a `test` question asks
about can be tuned on through a `dev` article of the same report. Articles of
eval/corpus/ant-eval.jsonl are left out. Article copyright stays with the outlets.
Standard library only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(EVAL_DIR))
# One checker for every Q/A set: the fields, facts and row loop of eval/build_corpus.py, and its light folding.
from build_corpus import PAIR_FIELDS, check_rows, cli, field_errors, iso_week, load_jsonl, normalize, pair_errors, verdict  # noqa: E402

REPO = EVAL_DIR.parent
DEFAULT_SOURCE = REPO.parent / "shared/corpus/ant-news.jsonl.gz"
OUT = EVAL_DIR / "corpus" / "news.jsonl"
SPLIT_OUT = EVAL_DIR / "corpus" / "news-split.json"
ANT_EVAL = EVAL_DIR / "corpus" / "ant-eval.jsonl"
SETS_DIR = EVAL_DIR / "sets"
FIELDS = ("id", "title", "date", "source", "text", "url", "category")

DEV_WEEKS = ("2018-W08", "2018-W11", "2018-W16", "2018-W22", "2018-W29", "2018-W36")
TEST_WEEKS = ("2018-W09", "2018-W13", "2018-W20", "2018-W27", "2018-W33", "2018-W40")
CONFLICT_TARGET = 22   # Syria / Iraq conflict articles per week
DISTRACT_ME = 4        # other middleEast articles per week
DISTRACT_OTHER = 1     # articles of other categories per week
MAX_TEXT = 4000        # longer articles are skipped: keeps the committed file small and readable
MIN_TEXT = 300         # shorter ones hold too little to ask about

# Where: the article must name Syria or Iraq or one of their places (title or text).
PLACES = (
    "سوريا", "سورية", "السوري", "العراق", "العراقي", "دمشق", "حلب", "ادلب", "الغوطه", "دوما", "عفرين",
    "منبج", "الرقه", "دير الزور", "البوكمال", "الميادين", "درعا", "حمص", "حماه", "تدمر", "القنيطره",
    "السويداء", "اللاذقيه", "الموصل", "كركوك", "الانبار", "تلعفر", "بغداد", "ديالي", "صلاح الدين",
    "الحسكه", "القامشلي", "جرابلس", "الباب", "حميميم", "التنف", "هجين", "الفرات",
)
# What: fighting and its actors.
CONFLICT = (
    "داعش", "تنظيم الدوله", "الدوله الاسلاميه", "ميليشي", "مليشي", "الحشد الشعبي", "حزب الله",
    "الحرس الثوري", "فيلق القدس", "الايراني", "الروسي", "روسيا", "التركي", "تركيا", "الاكراد",
    "الكردي", "وحدات حمايه الشعب", "سوريا الديمقراطيه", "قسد", "غارات", "غاره", "قصف", "قتلي",
    "مقتل", "قتل", "هجوم", "اشتباكات", "معارك", "المعارضه المسلحه", "الجيش السوري", "الجيش الحر",
    "فصائل", "جبهه النصره", "تحرير الشام", "التحالف الدولي", "صواريخ", "ضربه", "ضربات", "انتحاري",
    "مسلحين", "مسلحو", "المرصد السوري", "النظام السوري", "القوات الحكوميه", "عمليه عسكريه",
)
# Off the Syria / Iraq conflict although in the region: a title with these is not a conflict pick.
ELSEWHERE = (
    "اليمن", "الحوثي", "غزه", "الفلسطيني", "القدس المحتله", "الضفه", "ليبيا", "مصر", "السعوديه",
    "لبنان", "الاردن", "قطر", "البحرين", "الكويت", "الامارات", "تونس", "الجزائر", "المغرب", "السودان",
)
# Titles read and dropped after the keyword pass: not about the conflict (elections, economy,
# culture, refugees abroad) although the keywords score them high. Ids, deterministic.
DROP: frozenset[str] = frozenset({
    "ant-CN-middleEast-1235-20180816",  # Saudi prince on the Houthis
    "ant-CN-middleEast-1240-20180817",  # a cleric and the Turkish lira
    "ant-CN-middleEast-1249-20180818",  # a Bahraini journalist on the Turkish lira
    "ant-SK-middleEast-1786-20180518",  # Ramadan crescent in northern Syria
    "ant-SK-middleEast-1663-20180514",  # Iraqi election results (politics, not the conflict)
    "ant-SK-middleEast-1664-20180514",  # Iraqi election results
    "ant-SK-middleEast-1790-20180518",  # Iraqi election results
    "ant-BB-middleEast-499-20180514",  # Iraqi election results
    "ant-BB-middleEast-501-20180514",  # Kurdistan post-election dispute
    "ant-BB-middleEast-521-20180520",  # Sadr on the new Iraqi government
    "ant-BB-middleEast-1050-20181002",  # Iraqi prime minister designate
})


def _count(terms: tuple[str, ...], text: str) -> int:
    """How many of `terms` occur in normalised `text` (each counted once)."""
    return sum(1 for t in terms if normalize(t) in text)


def conflict_score(row: dict) -> int:
    """Keyword score of a Syria / Iraq conflict article: title terms weigh three times text terms."""
    title, text = normalize(row["title"]), normalize(row["text"])
    places_t, places_x = _count(PLACES, title), _count(PLACES, text)
    if not (places_t or places_x >= 2):
        return 0
    if _count(ELSEWHERE, title):
        return 0
    return 3 * (places_t + _count(CONFLICT, title)) + min(places_x, 4) + min(_count(CONFLICT, text), 10)


def stable_key(doc_id: str) -> str:
    """A deterministic pseudo-random order for distractors (sha1 of the id)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()


def select(source: Path) -> tuple[list[dict], dict]:
    """Pick the articles of the twelve weeks; returns rows sorted by id and the split record."""
    weeks = set(DEV_WEEKS) | set(TEST_WEEKS)
    exclude = {r["id"] for r in load_jsonl(ANT_EVAL)} if ANT_EVAL.is_file() else set()
    by_week: dict[str, list[dict]] = {w: [] for w in weeks}
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not row.get("date") or row["id"] in exclude or row["id"] in DROP:
                continue
            week = iso_week(row["date"])
            if week in weeks and MIN_TEXT <= len(row.get("text") or "") <= MAX_TEXT:
                by_week[week].append({k: row.get(k) for k in FIELDS})
    chosen: list[dict] = []
    seen_text: set[str] = set()
    picks: dict[str, dict[str, list[str]]] = {}

    def take(rows: list[dict], n: int) -> list[str]:
        out = []
        for row in rows:
            key = normalize(row["text"]).strip()
            if len(out) == n:
                break
            if key in seen_text:  # the source repeats some articles verbatim; keep one copy
                continue
            seen_text.add(key)
            chosen.append(row)
            out.append(row["id"])
        return out

    for week in sorted(weeks):
        rows = sorted(by_week[week], key=lambda r: r["id"])
        me = [r for r in rows if r["category"] == "middleEast"]
        scored = sorted(((conflict_score(r), r) for r in me), key=lambda p: (-p[0], p[1]["id"]))
        conflict = take([r for s, r in scored if s > 0], CONFLICT_TARGET)
        others_me = sorted((r for s, r in scored if s == 0), key=lambda r: stable_key(r["id"]))
        other_cat = sorted((r for r in rows if r["category"] != "middleEast"), key=lambda r: stable_key(r["id"]))
        picks[week] = {
            "conflict": conflict,
            "distractors_middleEast": take(others_me, DISTRACT_ME),
            "distractors_other": take(other_cat, DISTRACT_OTHER),
        }
    chosen.sort(key=lambda r: r["id"])
    split = {
        "how": ("By article through its ISO week (calendar date of `date`): an article is dev if its "
                "week is a dev week, else test. Per week: the CONFLICT_TARGET middleEast articles with the "
                "highest conflict_score (Syria/Iraq place + conflict keywords, title weighted x3, region "
                "titles elsewhere scored 0; ties by id; verbatim duplicates kept once; text length "
                f"{MIN_TEXT}-{MAX_TEXT} chars; DROP ids read and removed), then {DISTRACT_ME} other "
                f"middleEast and {DISTRACT_OTHER} other-category distractors in sha1(id) order. "
                "Articles of eval/corpus/ant-eval.jsonl excluded. Built by eval/build_news.py."),
        "dev_weeks": list(DEV_WEEKS),
        "test_weeks": list(TEST_WEEKS),
        "weeks": picks,
        "dev": sorted(r["id"] for r in chosen if iso_week(r["date"]) in DEV_WEEKS),
        "test": sorted(r["id"] for r in chosen if iso_week(r["date"]) in TEST_WEEKS),
    }
    return chosen, split


def build(source: Path) -> int:
    """Write eval/corpus/news.jsonl and news-split.json from the ANT dump."""
    if not source.is_file():
        print(f"error: ANT source not found: {source}\n"
              "Pass its path, e.g. python eval/build_news.py ../shared/corpus/ant-news.jsonl.gz\n"
              f"(the committed {OUT.relative_to(REPO)} is enough to run the eval).", file=sys.stderr)
        return 2
    rows, split = select(source)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    SPLIT_OUT.write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} articles to {OUT} ({OUT.stat().st_size:,} bytes): "
          f"dev {len(split['dev'])}, test {len(split['test'])}")
    for week, p in sorted(split["weeks"].items()):
        print(f"  {week}: conflict {len(p['conflict'])}, distractors {len(p['distractors_middleEast'])}"
              f" + {len(p['distractors_other'])}")
    return 0


# ---------------------------------------------------------------- check

QTYPES = ("who", "group", "where", "when", "how_many", "what", "said")


def check_news_pair(row: dict, texts: dict[str, str], split_of: dict[str, str], set_name: str) -> list[str]:
    """Problems with one dev/test pair: fields, facts in every gold article, gold in the pair's split."""
    errs = field_errors(row, PAIR_FIELDS + (("qtype", str), ("split", str)))
    if errs:
        return errs
    if row["qtype"] not in QTYPES:
        errs.append(f"qtype {row['qtype']!r} not one of {QTYPES}")
    if row["split"] != set_name:
        errs.append(f"split {row['split']!r} but the pair is in {set_name}.jsonl")
    errs += pair_errors(row, texts, lambda doc_id: [f"gold article {doc_id} is {split_of[doc_id]}, not {set_name}"]
                        if split_of[doc_id] != set_name else [])
    if not row["answerable"]:
        about = row.get("about_article_ids")
        if not isinstance(about, list) or not about:
            errs.append("unanswerable pair needs a non-empty about_article_ids list")
        else:
            # About articles may sit in either split: they only say which reports name the entity.
            errs += [f"about article {doc_id} not in the corpus" for doc_id in about if doc_id not in texts]
        if not isinstance(row.get("missing"), str) or not row["missing"].strip():
            errs.append("unanswerable pair needs 'missing' (the detail no article gives)")
    return errs


def check_offtopic(row: dict) -> list[str]:
    """Problems with one off-topic question: it must be unanswerable with no gold."""
    errs = field_errors(row, PAIR_FIELDS[:4])
    if not errs and row["answerable"]:
        errs.append("off-topic questions must have answerable false")
    if row.get("gold_article_ids") or row.get("key_facts"):
        errs.append("off-topic questions have no gold_article_ids or key_facts")
    return errs


def check() -> int:
    """Check eval/sets/dev.jsonl, test.jsonl, offtopic.jsonl and gist-dev.jsonl (dev questions for the English gist,
    eval/events_gist_eval.py) against eval/corpus/news.jsonl."""
    if not OUT.is_file() or not SPLIT_OUT.is_file():
        print(f"error: {OUT} or {SPLIT_OUT} missing: run python eval/build_news.py first", file=sys.stderr)
        return 1
    corpus = load_jsonl(OUT)
    texts = {r["id"]: f"{r['title']}\n{r['text']}" for r in corpus}
    split = json.loads(SPLIT_OUT.read_text(encoding="utf-8"))
    split_of = {i: "dev" for i in split["dev"]} | {i: "test" for i in split["test"]}
    failures = 0
    if set(split_of) != set(texts):
        print("FAIL news-split.json does not list exactly the articles of news.jsonl")
        failures += 1
    for r in corpus:
        week = iso_week(r["date"])
        want = "dev" if week in split["dev_weeks"] else "test" if week in split["test_weeks"] else None
        if split_of.get(r["id"]) != want:
            print(f"FAIL {r['id']} (week {week}) is listed as {split_of.get(r['id'])}, its week says {want}")
            failures += 1
    seen: set[str] = set()
    for name in ("dev", "dev-extra", "dev-more", "test", "test-extra", "offtopic", "gist-dev"):
        path = SETS_DIR / f"{name}.jsonl"
        if not path.is_file():
            print(f"FAIL {path.relative_to(REPO)} missing")
            failures += 1
            continue
        try:
            rows = load_jsonl(path)
        except json.JSONDecodeError as exc:
            print(f"FAIL {path.relative_to(REPO)} line {exc.lineno}: not JSON ({exc.msg})")
            failures += 1
            continue
        stats: Counter = Counter()
        # their questions are dev (test) questions
        split_name = "dev" if name in ("gist-dev", "dev-extra", "dev-more") else "test" if name == "test-extra" else name
        problems = check_offtopic if name == "offtopic" else (
            lambda row, split_name=split_name: check_news_pair(row, texts, split_of, split_name))
        failures += check_rows(name, rows, problems, seen, stats)
        if name != "offtopic":
            stats.update(f"q:{row.get('qtype')}" for row in rows)
        qtypes = ", ".join(f"{k[2:]} {v}" for k, v in sorted(stats.items()) if k.startswith("q:"))
        print(f"{name}.jsonl: {stats['pairs']} pairs, en {stats['en']} / ar {stats['ar']}, "
              f"answerable {stats['answerable']} / unanswerable {stats['unanswerable']}"
              + (f"; qtypes: {qtypes}" if qtypes else ""))
    return verdict(failures)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    args = cli(__doc__, "check the dev/test/offtopic sets instead of building").parse_args(argv)
    return check() if args.check else build(args.source)


if __name__ == "__main__":
    sys.exit(main())
