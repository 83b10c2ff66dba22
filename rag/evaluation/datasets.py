"""The evaluation's sets: their questions (eval/sets/*.jsonl, XQuAD) and the corpora their indexes are built from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .checkout import EVAL_DIR, SAMPLE, XQUAD

SETS = ("seeds", "ant", "all", "xquad", "dev", "dev-extra", "dev-more", "test", "test-extra", "offtopic", "followup")
MODES = ("extractive", "llm")
RETRIEVE_K = 10
CANDIDATES = 25  # candidate sentences per answerable question kept in a record to fit the select model
NEWS = (EVAL_DIR / "corpus" / "news.jsonl",)  # the dev/test corpus (eval/build_news.py): one index, three sets
CORPORA: dict[str, tuple[Path, ...]] = {"seeds": (SAMPLE,), "ant": (EVAL_DIR / "corpus" / "ant-eval.jsonl",), "dev": NEWS, "dev-extra": NEWS, "dev-more": NEWS,
                                      "test": NEWS,
                                      "test-extra": NEWS, "offtopic": NEWS, "followup": NEWS}
# Sets asked over one shared index: the index is named after the corpus, not the set.
INDEX_OF = {"dev": "news", "dev-extra": "news", "dev-more": "news", "test": "news", "test-extra": "news", "offtopic": "news", "followup": "news"}
QUESTIONS = {name: EVAL_DIR / "sets" / f"{name}.jsonl" for name in ("seeds", "ant", "dev", "dev-extra", "dev-more", "test", "test-extra", "offtopic",
                                                                         "followup")}
# Code whose changes alter what ingest stores; part of the cache fingerprint, so a change re-ingests
# (incrementally: only articles whose cleaned text or metadata changed are re-embedded).
INGEST_CODE = ("ingest/*.py", "splitting.py", "dates.py", "documents.py", "arabic.py")
# Stripped from the ends of XQuAD gold answers (as SQuAD's scorer drops punctuation): "نعمة،" is the fact نعمة.
ANSWER_EDGES = " .,،؛:!?؟\"'«»“”"


class SetUnavailable(FileNotFoundError):
    """A set's data is absent on this machine (XQuAD needs ../shared)."""


# -- questions and corpora ----------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSONL file (blank lines skipped)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def spread(total: int, n: int | None) -> list[int]:
    """n indices spread evenly over range(total) (all of them when n is None or not smaller)."""
    if n is None or n >= total:
        return list(range(total))
    return [i * total // n for i in range(max(0, n))]


def paragraph_id(context: str) -> str:
    """The article id of an XQuAD paragraph: a hash of its text."""
    return "xq-" + hashlib.sha1(context.encode("utf-8")).hexdigest()[:12]


def xquad_items(path: Path = XQUAD, limit: int | None = None) -> tuple[list[dict], list[dict]]:
    """XQuAD as (paragraph articles, questions): `limit` questions per language, the same ones in both."""
    if not Path(path).is_file():
        raise SetUnavailable(
            f"--set xquad needs {path} (the shared benchmark beside the repo), absent on this machine; skipped"
        )
    articles: dict[str, dict] = {}
    by_lang: dict[str, list[dict]] = {"ar": [], "en": []}
    for row in read_jsonl(path):
        pid = paragraph_id(row["context"])
        # A neutral title: the extractive answer shows titles, so the paragraph's own text must not be one.
        articles.setdefault(pid, {"id": pid, "title": f"XQuAD paragraph {pid[3:]}", "text": row["context"]})
        lang = "ar" if row["dataset"] == "xquad" else "en"
        by_lang[lang].append(
            {
                "id": row["id"],
                "question": row["question"],
                "lang": lang,
                "dataset": row["dataset"],
                "answerable": True,
                "gold_article_ids": [pid],
                "key_facts": [[a.strip(ANSWER_EDGES) or a for a in row["answers"]]],
            }
        )
    questions = [q for lang in ("ar", "en") for q in (by_lang[lang][i] for i in spread(len(by_lang[lang]), limit))]
    return sorted(articles.values(), key=lambda a: a["id"]), questions


def load_questions(set_name: str, limit: int | None = None) -> list[dict]:
    """The Q/A pairs of seeds, ant or all (each tagged with its set), the first `limit` of them."""
    names = ("seeds", "ant") if set_name == "all" else (set_name,)
    rows = [{**row, "set": name} for name in names for row in read_jsonl(QUESTIONS[name])]
    return rows[:limit] if limit else rows


