"""Calibrated evidence selection and abstention: named features combined by logistic scorers fitted on `dev`.

Two small models, one data file (``rag/data/calibration.json``), refitted without editing code by
``python eval/calibrate.py RESULTS.json`` from the records of a `dev` evaluation run:

- **select**: how likely a candidate sentence holds the answer. Features of the sentence against the
  question: its e5 similarity and its gap to the best candidate's (a near-paraphrase of the question
  is not always the sentence that answers), the question's named places, groups and terms it carries,
  the share of the question's words it shares, whether it carries the kind of answer the question asks
  for (a number for "how many", a date for "when", a place for "where", a group or person for "who",
  see `answer_kinds`), and its chunk's retrieval rank. The extractive answer quotes the best of these,
  and the sentence next to the best when that one carries the asked-for kind and the best does not.
- **answerable**: how likely the evidence answers the question at all. Features of the question's
  evidence as a whole: the best similarity, the similarity profile (best minus the mean of the top ten:
  a peak is a match, a flat profile is noise), coverage of the question's named things and of its
  words by the best sentences, the missing-detail check (one of the best sentences, close to the
  question, carries the asked-for kind and names what the question names, as the count rule does for
  numbers), the best select score, the question's language (English questions meet Arabic text at
  lower similarities) and how many places, groups and terms it names (off-topic questions name none). The answer
  abstains under the model's fitted threshold, and says which features were weakest.

- **topic**: whether the question is about what the index holds at all, asked before the evidence is
  weighed, so an off-topic question ("a recipe for chocolate cake", `asdfghjkl`, an injection string)
  is refused before any citation is shown. Its features are measured against the index itself: the
  *lift* of the best sentence over the question's mean similarity to a background sample of the
  index's chunks (e5 similarities of unrelated texts sit around 0.7-0.8, so the raw similarity says
  little; how far the best match stands above the index's background says whether anything is
  about the question), the share of the question's words found in the index's own vocabulary (the
  BM25 vocabulary), whether it names places, groups or terms the gazetteer knows, and its language.
  An index that holds recipes lifts a recipe question and knows its words; measured on dev and the
  off-topic set (eval/README.md), see `topic_features`.

Pure functions on `Evidence` lists; no embedding calls (the similarities are the ones retrieval computed).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import arabic
from ..dates import find_dates
from ..gazetteer import Gazetteer
from ..resources import data_file
from .extractive import Evidence, Named, has_type

SENTENCE_FEATURES = ("similarity", "gap", "named", "overlap", "kind", "kind_absent", "rank")
QUESTION_FEATURES = ("best_similarity", "peak", "named_coverage", "word_coverage", "kind_found", "select", "english", "named_count")
TOPIC_FEATURES = ("lift", "vocab", "entities", "named_count", "english", "word_coverage")

# Words that date an event without a full date: weekdays, "yesterday", "today", month names (Levantine and Egyptian).
_WHEN_WORDS = re.compile(
    r"(?<!\w)(?:[وفب]?(?:ال)?(?:اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت|احد)|امس|اليوم|الليله|فجر|مساء|صباح"
    r"|كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين|يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس"
    r"|سبتمبر|اكتوبر|نوفمبر|ديسمبر)(?!\w)"
)
_PLACE_TYPES = frozenset({"place"})
_ACTOR_TYPES = frozenset({"group", "force", "operation"})
# A person named by role in Arabic news: «القيادي فلان», «المدعو فلان», «العميد فلان».
_PERSON = re.compile(r"(?<!\w)(?:ال)?(?:قيادي|مدعو|عميد|عقيد|لواء|نقيب|رائد|قائد|متحدث|وزير|رئيس|الشيخ|امير|والي)\s+\S+")


@dataclass(frozen=True)
class Logistic:
    """A logistic scorer over named features, with the decision threshold fitted with it."""

    features: tuple[str, ...]
    weights: tuple[float, ...]  # on standardised features: (x - mean) / scale
    bias: float
    threshold: float
    means: tuple[float, ...] = ()
    scales: tuple[float, ...] = ()

    def contributions(self, x: dict[str, float]) -> dict[str, float]:
        """Each feature's part of the log-odds, against a dev-average question (negative: pulls towards 'no')."""
        means = self.means or (0.0,) * len(self.features)
        scales = self.scales or (1.0,) * len(self.features)
        return {f: w * (float(x[f]) - m) / (s or 1.0) for f, w, m, s in zip(self.features, self.weights, means, scales)}

    def score(self, x: dict[str, float]) -> float:
        """P(positive | features)."""
        z = self.bias + sum(self.contributions(x).values())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def from_dict(cls, raw: dict, expected: Sequence[str], where: str) -> Logistic:
        """Read one model; features must be exactly the ones this module computes."""
        feats = tuple(raw.get("features", ()))
        if feats != tuple(expected) or len(raw.get("weights", ())) != len(feats):
            raise ValueError(f"{where}: features {list(feats)} do not match {list(expected)}; refit with eval/calibrate.py")
        floats = lambda key: tuple(float(v) for v in raw.get(key, ()))  # noqa: E731
        return cls(feats, floats("weights"), float(raw["bias"]), float(raw["threshold"]), floats("means"), floats("scales"))


@dataclass(frozen=True)
class Calibration:
    """The select and answerable models, as fitted on `dev` (see the module docstring)."""

    select: Logistic
    answerable: Logistic
    topic: Logistic | None = None  # None in a calibration file written before the topic model: no topic check
    fitted_on: str = ""

    @classmethod
    def load(cls, path: str | Path | None = None) -> Calibration:
        """Read the shipped ``calibration.json`` (or `path`); a malformed file raises ValueError naming it."""
        where = str(path or "rag/data/calibration.json")
        try:
            text = Path(path).read_text(encoding="utf-8") if path else data_file("calibration.json").read_text(encoding="utf-8")
            raw = json.loads(text)
            return cls(
                Logistic.from_dict(raw["select"], SENTENCE_FEATURES, where + " [select]"),
                Logistic.from_dict(raw["answerable"], QUESTION_FEATURES, where + " [answerable]"),
                Logistic.from_dict(raw["topic"], TOPIC_FEATURES, where + " [topic]") if "topic" in raw else None,
                str(raw.get("fitted_on", "")),
            )
        except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{where}: cannot load the calibration ({exc}); refit with eval/calibrate.py") from exc


@dataclass(frozen=True)
class QuestionInfo:
    """What the features need to know of a question, computed once per ask."""

    kinds: frozenset[str]  # what it asks for: number, date, place, actor
    named: tuple[Named, ...]
    named_ids: frozenset[str]
    words: frozenset[str]  # its content words, normalised and lightly stemmed
    english: bool


def question_info(question: str, named: Sequence[Named], aspects: frozenset[str]) -> QuestionInfo:
    """The asked-for kinds (from the question's aspects: count, when, where, who), named things and words."""
    kinds = {k for a, k in (("count", "number"), ("when", "date"), ("where", "place"), ("who", "actor")) if a in aspects}
    return QuestionInfo(
        frozenset(kinds),
        tuple(named),
        frozenset(n.entry_id for n in named if n.entry_id),
        frozenset(t for t in arabic.tokens(question) if len(t) > 1),
        not arabic.is_arabic(question),
    )


def answer_kinds(text: str, gazetteer: Gazetteer, exclude_ids: frozenset[str] = frozenset()) -> frozenset[str]:
    """The kinds of answer a sentence carries: a number, a date, a place or an actor not already named."""
    found = set()
    if has_type(text, "number"):
        found.add("number")
    if find_dates(text) or _WHEN_WORDS.search(arabic.normalize(text)):
        found.add("date")
    for m in gazetteer.find_arabic(text):
        if m.entry.id in exclude_ids:
            continue
        if m.entry.type in _PLACE_TYPES:
            found.add("place")
        elif m.entry.type in _ACTOR_TYPES:
            found.add("actor")
    if "actor" not in found and _PERSON.search(arabic.normalize(text)):
        found.add("actor")
    return frozenset(found)


def sentence_features(info: QuestionInfo, ev: Evidence, best_similarity: float, kinds: frozenset[str]) -> dict[str, float]:
    """The select model's features of one candidate sentence."""
    text = ev.text
    named = sum(1 for n in info.named if n.in_text(text)) / len(info.named) if info.named else 0.0
    words = arabic.token_set(text)
    overlap = len(info.words & words) / len(info.words) if info.words and not info.english else 0.0
    asked = bool(info.kinds)
    has = bool(info.kinds & kinds)
    return {
        "similarity": ev.similarity,
        "gap": ev.similarity - best_similarity,
        "named": named,
        "overlap": overlap,
        "kind": 1.0 if has else 0.0,
        "kind_absent": 1.0 if asked and not has else 0.0,
        "rank": 1.0 / max(1, ev.source.n),
    }


@dataclass
class Scored:
    """Candidates re-scored by the select model (best first), with their features and kinds."""

    evidence: list[Evidence]
    features: list[dict[str, float]]
    kinds: list[frozenset[str]]


def rescore(info: QuestionInfo, evidence: list[Evidence], model: Logistic, gazetteer: Gazetteer) -> Scored:
    """Each candidate's select probability becomes its score; best first (ties keep the earlier order)."""
    if not evidence:
        return Scored([], [], [])
    best = max(ev.similarity for ev in evidence)
    rows = []
    for i, ev in enumerate(evidence):
        kinds = answer_kinds(ev.text, gazetteer, info.named_ids)
        feats = sentence_features(info, ev, best, kinds)
        ev.score = model.score(feats)
        rows.append((-ev.score, i, ev, feats, kinds))
    rows.sort(key=lambda r: (r[0], r[1]))
    return Scored([r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows])


def question_features(info: QuestionInfo, scored: Scored, top: int = 3) -> dict[str, float]:
    """The answerable model's features of a question's evidence as a whole."""
    evidence = scored.evidence
    if not evidence:
        return {f: 0.0 for f in QUESTION_FEATURES} | {"english": float(info.english), "named_count": min(len(info.named), 2) / 2}
    sims = sorted((ev.similarity for ev in evidence), reverse=True)
    best_sim = sims[0]
    peak = best_sim - sum(sims[:10]) / len(sims[:10])
    best = evidence[:top]
    text = "\n".join(ev.text + "\n" + ev.source.title for ev in best)
    named_cov = sum(1 for n in info.named if n.in_text(text)) / len(info.named) if info.named else 1.0
    words = set(arabic.tokens(text))
    # an English question meets Arabic text only through what it names (gazetteer, terms): one that names
    # nothing has none of its words found, not all of them
    word_cov = len(info.words & words) / len(info.words) if info.words and not info.english else (named_cov if info.named else 0.0)
    # the missing-detail check, as the count rule does for numbers: among the best sentences, one close to the
    # question that carries the asked-for kind (a date, a place, an actor, a number) and names what it names
    kind_found = 1.0 if not info.kinds else 0.0
    for ev, kinds in zip(evidence[:top + 2], scored.kinds[:top + 2]):
        if info.kinds & kinds and ev.similarity >= best_sim - 0.03 and (
                not info.named or any(n.in_text(ev.text + "\n" + ev.source.title) for n in info.named)):
            kind_found = 1.0
            break
    return {
        "best_similarity": best_sim,
        "peak": peak,
        "named_coverage": named_cov,
        "word_coverage": word_cov,
        "kind_found": kind_found,
        "select": evidence[0].score,
        "english": float(info.english),
        "named_count": min(len(info.named), 2) / 2,
    }


def topic_features(info: QuestionInfo, best_similarity: float, background: float, vocab: float) -> dict[str, float]:
    """The topic model's own features: lift over the index's background, known words, named entries.

    It also reads `named_count`, `english` and `word_coverage` of `question_features` (the question's
    words found together in its best sentences: an off-topic question's words may each be known to
    the index, «هدف», «الدوري», but no report holds them together).

    `background` is the question's mean similarity to a sample of the index's chunks and `vocab` the
    share of its words in the index's vocabulary (both computed by the retriever, rag/retrieval.py).
    """
    return {
        "lift": best_similarity - background if best_similarity == best_similarity else 0.0,
        "vocab": vocab,
        # places and groups of the gazetteer, apart from key terms: a term can be an everyday word
        # ("children" in a question on a child's fever), an entry cannot
        "entities": min(len(info.named_ids), 2) / 2,
    }


def why_off_topic(model: Logistic, p: float) -> str:
    """The plain reason given when the topic model refuses a question."""
    return (f"the question is not about anything the indexed reports cover: nothing in them stands out as "
            f"related to it and it names no place, group or term they know (topic confidence {p:.2f} < {model.threshold:.2f})")


_WHY = {
    "best_similarity": "no source sentence is close to the question",
    "peak": "no source sentence stands out from the rest",
    "named_coverage": "the best sentences do not name what the question names",
    "word_coverage": "the best sentences share few of the question's words",
    "kind_found": "no source sentence gives the kind of answer asked for",
    "select": "no source sentence looks like an answer",
    "named_count": "the question names no place, group or term the sources know",
}


def why_not(model: Logistic, x: dict[str, float], p: float) -> str:
    """A plain reason for abstaining: the feature that pulled the score down most, in words."""
    contributions = {f: v for f, v in model.contributions(x).items() if f in _WHY}
    weakest = min(contributions, key=lambda f: contributions[f]) if contributions else "select"
    return f"the evidence does not answer the question ({_WHY[weakest]}; confidence {p:.2f} < {model.threshold:.2f})"


def choose(scored: Scored, model: Logistic, info: QuestionInfo, limit: int) -> list[Evidence]:
    """The sentences to quote: the best, every other one the select model accepts, at most `limit`.

    When the best sentence lacks the kind of answer asked for (a date, a place...) and the sentence
    next to it in the same report carries it, that neighbour is quoted too: news states the fact one
    sentence away from the sentence that matches the question.
    """
    if not scored.evidence:
        return []
    best = scored.evidence[0]
    chosen = [best] + [ev for ev in scored.evidence[1:] if ev.score >= model.threshold]
    if info.kinds and not (info.kinds & scored.kinds[0]):
        for ev, kinds in zip(scored.evidence[1:], scored.kinds[1:]):
            if ev.source.article_id == best.source.article_id and info.kinds & kinds and _adjacent(ev, best):
                if ev not in chosen[:limit]:
                    chosen.insert(1, ev)
                break
    seen: set[int] = set()
    unique = []
    for ev in chosen:  # each sentence once, by identity, in order
        if id(ev) not in seen:
            seen.add(id(ev))
            unique.append(ev)
    return unique[:limit]


def _adjacent(a: Evidence, b: Evidence, gap: int = 3) -> bool:
    """Whether two sentences of one report follow each other (at most `gap` characters apart)."""
    a0, a1 = a.source.start + a.start, a.source.start + a.end
    b0, b1 = b.source.start + b.start, b.source.start + b.end
    return 0 <= b0 - a1 <= gap or 0 <= a0 - b1 <= gap
