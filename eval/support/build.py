"""Build eval/support/pairs.jsonl, the labelled (claim, cited sentence) set of the support check, from claims.jsonl.

    python eval/support/build.py           # check claims.jsonl and (re)write pairs.jsonl
    python eval/support/build.py --check   # check claims.jsonl and the committed pairs.jsonl; exits 1 on a problem

pairs.jsonl is committed and frozen: the swaps draw on the gazetteer, which grows, so a rebuild may pick
other names; --check therefore checks the committed pairs (every cited sentence verbatim in its article,
labels and halves valid, every claim of claims.jsonl present) rather than comparing with a fresh build.

claims.jsonl is hand-written, one line per answerable pair of eval/sets/seeds.jsonl and ant.jsonl:
the gold sentence(s) `cite`, copied from the article and checked here to occur verbatim in it and to
hold every key fact of the pair; a faithful English (`en`) and Arabic (`ar`) paraphrase; and a
negated claim (`negated`, in `negated_lang`). From them this script derives, deterministically:

- `paraphrase` (supported): `en` and `ar`, each cited to `cite`;
- `negation` (unsupported): `negated`, cited to `cite`;
- `number` (unsupported): a faithful claim with its first count changed (x1.5, at least +1);
- `swap` (unsupported): a faithful claim with its first place or group replaced by another gazetteer
  entry of the same type that the cited passage does not name;
- `wrong_source` (unsupported): a faithful claim cited to the sentence of another article of the
  same half that shares most words with `cite` and whose passage does not hold the key facts.

Halves are by article (every pair of an article in the same half), balanced by pair count, in the
order of the articles' SHA-1; `dev` calibrates the floor, `test` is held out. Standard library and rag only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from rag import arabic  # noqa: E402
from rag.evaluation import facts_present, match_key, read_jsonl  # noqa: E402
from rag.gazetteer import Gazetteer  # noqa: E402
from rag.ingest.chunking import sentence_spans  # noqa: E402
from rag.numbers import find_quantities  # noqa: E402
from rag.resources import data_path  # noqa: E402

CLAIMS = HERE / "claims.jsonl"
PAIRS = HERE / "pairs.jsonl"
SETS = [REPO / "eval" / "sets" / "seeds.jsonl", REPO / "eval" / "sets" / "ant.jsonl"]
ANT = REPO / "eval" / "corpus" / "ant-eval.jsonl"
KINDS = ("paraphrase", "negation", "number", "swap", "wrong_source")
CONTEXT = 2  # sentences either side of the cited span: the passage the check sees (about a chunk)
CONTEXT_IDS = {"place:syria", "place:iraq", "place:jordan", "place:lebanon", "place:badia"}


def articles() -> dict[str, dict]:
    """Article id -> {title, text}: the sample reports (title = first line) and the ANT eval corpus."""
    out = {}
    for f in sorted(data_path("sample").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        out[f.stem] = {"title": text.strip().splitlines()[0], "text": text}
    for row in read_jsonl(ANT):
        out[row["id"]] = {"title": row["title"], "text": row["text"]}
    return out


def passage(text: str, cite: str) -> tuple[int, int]:
    """Offsets of the cited span widened by CONTEXT sentences either side (what a chunk would hold)."""
    start = text.index(cite)
    end = start + len(cite)
    spans = sentence_spans(text)
    first = next(i for i, (s, e) in enumerate(spans) if e > start)
    last = max(i for i, (s, e) in enumerate(spans) if s < end)
    lo, hi = max(0, first - CONTEXT), min(len(spans) - 1, last + CONTEXT)
    return spans[lo][0], spans[hi][1]


def check_claims(claims: list[dict], arts: dict, items: dict) -> list[str]:
    """Problems with the hand-written claims: unknown pairs, cites not verbatim or missing a key fact, wrong language."""
    problems = []
    for i, c in enumerate(claims, 1):
        where = f"{CLAIMS.name}:{i} ({c.get('item')})"
        item = items.get(c["item"])
        if item is None:
            problems.append(f"{where}: no answerable pair with this id in eval/sets")
            continue
        if c["article_id"] not in item["gold_article_ids"]:
            problems.append(f"{where}: {c['article_id']} is not a gold article of the pair")
        text = arts.get(c["article_id"], {}).get("text", "")
        if c["cite"] not in text:
            problems.append(f"{where}: cite does not occur verbatim in {c['article_id']}")
        elif not facts_present(c["cite"], item["key_facts"]):
            problems.append(f"{where}: cite lacks a key fact of the pair")
        if arabic.is_arabic(c["en"]) or not arabic.is_arabic(c["ar"]):
            problems.append(f"{where}: 'en' must be English and 'ar' Arabic")
        if arabic.is_arabic(c["negated"]) != (c["negated_lang"] == "ar"):
            problems.append(f"{where}: 'negated' is not in negated_lang {c['negated_lang']}")
    return problems


def check_pairs(pairs: list[dict], claims: list[dict], arts: dict) -> list[str]:
    """Problems with the committed pairs: a cite not verbatim in its article, a bad label, kind or half, a lost claim."""
    problems = []
    halves = split(claims)
    for i, p in enumerate(pairs, 1):
        where = f"{PAIRS.name}:{i} ({p.get('id')})"
        if p["cite"] not in arts.get(p["article_id"], {}).get("text", ""):
            problems.append(f"{where}: cite does not occur verbatim in {p['article_id']}")
        if (p["label"] == "supported") != (p["kind"] == "paraphrase") or p["kind"] not in KINDS:
            problems.append(f"{where}: kind {p['kind']!r} with label {p['label']!r}")
        if p["split"] != halves.get(next((c["article_id"] for c in claims if c["item"] == p["item"]), ""), p["split"]):
            problems.append(f"{where}: half {p['split']} is not its article's")
    have = {(p["item"], p["claim"]) for p in pairs}
    for c in claims:
        for lang in ("en", "ar"):
            if (c["item"], c[lang]) not in have:
                problems.append(f"{CLAIMS.name}: the {lang} claim of {c['item']} is not in {PAIRS.name}: rebuild it")
    return problems


def split(claims: list[dict]) -> dict[str, str]:
    """Article id -> 'dev' or 'test': articles in SHA-1 order, each to the half with fewer claims so far."""
    counts: dict[str, int] = {}
    for c in claims:
        counts[c["article_id"]] = counts.get(c["article_id"], 0) + 1
    halves, sizes = {}, {"dev": 0, "test": 0}
    for aid in sorted(counts, key=lambda a: (-counts[a], hashlib.sha1(a.encode()).hexdigest())):
        half = "dev" if sizes["dev"] <= sizes["test"] else "test"
        halves[aid], sizes[half] = half, sizes[half] + counts[aid]
    return halves


def change_number(claim: str) -> tuple[str, str] | None:
    """The claim with its first count (not 2: duals) multiplied by 1.5 (at least +1), and why; None without one."""
    for q in find_quantities(claim):
        if q.low is not None or q.value == 2:
            continue
        digits = [i for i, ch in enumerate(q.text) if ch.isdigit()]
        if digits:  # keep the bound and scale words ("more than", "million"): replace only the digits
            a, b = digits[0], digits[-1] + 1
            old = int(q.text[a:b].replace(",", ""))
            new = old + max(1, round(old * 0.5))
            text = q.text[:a] + str(new) + q.text[b:]
        else:
            old = int(q.value)
            new = old + max(1, round(old * 0.5))
            text = str(new)
        return claim[: q.start] + text + claim[q.end :], f"number {new} vs {old}"
    return None


def swap_name(claim: str, lang: str, window: str, title: str, gaz: Gazetteer) -> tuple[str, str] | None:
    """The claim with its first place or group replaced by another of the same type not named in the passage."""
    present = {m.entry.id for m in gaz.find(window + "\n" + title)}
    for m in gaz.find(claim):
        e = m.entry
        if e.id in CONTEXT_IDS:
            continue
        if e.type == "operation":
            continue
        kind = "place" if e.type == "place" else "actor"
        pool = sorted((x for x in gaz.entries if x.type != "operation" and ("place" if x.type == "place" else "actor") == kind
                       and x.id not in present and x.id not in CONTEXT_IDS and x.id != e.id and x.parent != e.id
                       and e.parent != x.id and not getattr(x, "ambiguous", False)),
                      key=lambda x: hashlib.sha1((claim + x.id).encode()).hexdigest())
        if not pool:
            continue
        new = pool[0]
        name = new.ar if lang == "ar" else new.en
        text = m.text
        clitic = text[0] if lang == "ar" and text[:1] in "وبلف" and not any(
            match_key(text).startswith(match_key(n)) for n in (e.ar, *e.aliases_ar)) else ""
        return claim[: m.start] + clitic + name + claim[m.end :], f"{e.en} replaced by {new.en}"
    return None


def wrong_source(c: dict, item: dict, arts: dict, halves: dict, claims: list[dict]) -> tuple[str, str] | None:
    """(article id, sentence) of another article of the same half that shares most words with the cite,
    whose passage lacks the pair's key facts."""
    want = set(arabic.tokens(c["cite"] + " " + c["ar"]))
    best = None
    same_half = sorted({x["article_id"] for x in claims if halves[x["article_id"]] == halves[c["article_id"]]})
    for aid in same_half:
        if aid in item["gold_article_ids"]:
            continue
        text = arts[aid]["text"]
        for s, e in sentence_spans(text):
            sentence = text[s:e]
            if len(sentence) < 40:
                continue
            a, b = passage(text, sentence)
            if facts_present(arts[aid]["title"] + "\n" + text[a:b], item["key_facts"]):
                continue
            score = len(want & set(arabic.tokens(sentence)))
            if best is None or score > best[0]:
                best = (score, aid, sentence)
    return (best[1], best[2]) if best else None


def build(claims: list[dict], arts: dict, items: dict, gaz: Gazetteer) -> list[dict]:
    """Every labelled pair, in claims order (see the module docstring)."""
    halves = split(claims)
    out = []

    def add(c, kind, lang, claim, label, why, article_id=None, cite=None):
        out.append({"id": f"{c['item']}-{kind}-{lang}", "item": c["item"], "kind": kind, "lang": lang, "claim": claim,
                    "article_id": article_id or c["article_id"], "cite": cite or c["cite"], "label": label, "why": why,
                    "split": halves[c["article_id"]]})

    for c in claims:
        item = items[c["item"]]
        art = arts[c["article_id"]]
        a, b = passage(art["text"], c["cite"])
        window = art["text"][a:b]
        one = c["negated_lang"]
        other = "en" if one == "ar" else "ar"
        add(c, "paraphrase", "en", c["en"], "supported", "")
        add(c, "paraphrase", "ar", c["ar"], "supported", "")
        add(c, "negation", one, c["negated"], "unsupported", "negated")
        changed = change_number(c[other]) and (other, change_number(c[other])) or (change_number(c[one]) and (one, change_number(c[one])))
        if changed:
            lang, (claim, why) = changed
            add(c, "number", lang, claim, "unsupported", why)
        swapped = swap_name(c[one], one, window, art["title"], gaz) and (one, swap_name(c[one], one, window, art["title"], gaz)) \
            or (swap_name(c[other], other, window, art["title"], gaz) and (other, swap_name(c[other], other, window, art["title"], gaz)))
        if swapped:
            lang, (claim, why) = swapped
            add(c, "swap", lang, claim, "unsupported", why)
        wrong = wrong_source(c, item, arts, halves, claims)
        if wrong:
            add(c, "wrong_source", other, c[other], "unsupported", f"cited to {wrong[0]}, which lacks the fact", *wrong)
    return out


def main(argv=None) -> int:
    """Check claims.jsonl, then write pairs.jsonl (or, with --check, compare it with a fresh build)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="check only: claims valid and pairs.jsonl up to date")
    args = ap.parse_args(argv)
    arts = articles()
    items = {q["id"]: q for path in SETS for q in read_jsonl(path) if q["answerable"]}
    claims = read_jsonl(CLAIMS)
    problems = check_claims(claims, arts, items)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.check:
        pairs = read_jsonl(PAIRS)
        problems = check_pairs(pairs, claims, arts)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
    else:
        pairs = build(claims, arts, items, Gazetteer.load())
        PAIRS.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
    counts = {}
    for p in pairs:
        key = (p["split"], p["label"])
        counts[key] = counts.get(key, 0) + 1
    kinds = {}
    for p in pairs:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    langs = {lang: sum(p["lang"] == lang for p in pairs) for lang in ("en", "ar")}
    print(f"{len(pairs)} pairs from {len(claims)} claims: {kinds}; {langs}; "
          + ", ".join(f"{s} {l} {n}" for (s, l), n in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
