"""Extractive answers: the best evidence sentences, verbatim, each cited; and the abstention rule.

Works with no LLM. Candidate sentences come from every retrieved chunk and are
scored across languages (e5 similarity between the question and each sentence)
plus the question's named places, groups and key terms found in the sentence.
The answer quotes the best few, grouped by article and ordered by date, with the
outlet and date shown, and says plainly that it is extractive.

Hard abstention rules: "not in the sources" when something the question names (a
place, a group, a key term such as "drones") appears in none of the retrieved chunks,
or when a count question finds no sentence with a number about what it names
(`answer_type_missing`). Which sentence answers, and whether the evidence answers at
all, is judged by the calibrated models of rag.answering.calibrated (fitted on eval
`dev`), which re-score these candidates.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

import numpy as np

from .. import arabic
from ..dates import find_dates
from ..documents import Chunk
from ..embeddings import Embedder, embed_query
from ..gazetteer import Gazetteer
from ..numbers import has_number
from ..resources import data_file
from ..safety import looks_like_instruction
from ..sentences import SentenceVectors
from ..settings import AnswerSettings
from ..splitting import sentence_spans
from ..terms import Terms
from .citations import NOT_IN_SOURCES, Source, citation_from
from .counts import asked_count, gives_count
from .counts import label as count_label
from .unnamed import unnamed
from .when import day_missing

HEADER = {
    "en": "Extractive answer (no LLM): the sentences below are quoted verbatim from the sources.",
    "ar": "إجابة استخلاصية (دون نموذج لغوي): الجمل التالية مقتبسة حرفياً من المصادر.",
}


@dataclass
class Evidence:
    """A candidate sentence of a source, with its score."""

    source: Source
    start: int  # offsets into source.text
    end: int
    score: float
    similarity: float

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]


def language(question: str) -> str:
    """'ar' for Arabic questions, else 'en'."""
    return "ar" if arabic.is_arabic(question) else "en"


@dataclass(frozen=True)
class Named:
    """Something a question names: a gazetteer entry (matched by id) or a key term, with its forms as words."""

    label: str
    forms: tuple[str, ...]
    entry_id: str | None = None
    pattern: re.Pattern | None = None  # the forms as words (Arabic with clitics and endings), on normalised text
    needles: tuple[str, ...] | None = None  # substrings one of which every match contains (None: no pre-check)
    place: bool = False  # a gazetteer place below a country (a count must be about it: answer_type_missing)

    def __post_init__(self) -> None:
        if self.pattern is None:
            object.__setattr__(self, "pattern", _words(tuple(self.forms)))
            object.__setattr__(self, "needles", _needles(tuple(self.forms)))

    def in_text(self, text: str) -> bool:
        """Whether a text names it as a word, not as a substring of another word."""
        folded = arabic.normalize(text)
        if self.needles is not None and not any(n in folded for n in self.needles):
            return False  # none of the forms' literal parts is there: the pattern cannot match (an ask's most common case)
        return bool(self.pattern and self.pattern.search(folded))


@functools.lru_cache(maxsize=4096)
def _words(forms: tuple[str, ...]) -> re.Pattern:
    """The forms as one word pattern (compiled once per set of forms: a question's names recur ask after ask)."""
    arabic_forms = [arabic.word_pattern(f) for f in forms if arabic.is_arabic(f)]
    latin = [r"\b" + re.escape(arabic.normalize(f)) + r"\b" for f in forms if not arabic.is_arabic(f)]
    return re.compile("|".join(arabic_forms + latin) or r"(?!x)x")


def _needles(forms: tuple[str, ...]) -> tuple[str, ...]:
    """For `_words(forms)`: the literal each alternative requires (rag.arabic.word_literal; a Latin form itself)."""
    return tuple(arabic.word_literal(f) if arabic.is_arabic(f) else arabic.normalize(f) for f in forms)


def named_in_question(question: str, gazetteer: Gazetteer, terms: Terms) -> list[Named]:
    """The places, groups and key terms a question names."""
    out: dict[str, Named] = {}
    for m in gazetteer.find_english(question) + gazetteer.find_arabic(question):
        e = m.entry
        forms = tuple(f for f in (e.ar, *e.aliases_ar, e.en, *e.aliases_en) if len(f) >= 3)
        out.setdefault(e.id, Named(e.en, forms, e.id, _words(forms), _needles(forms), e.type == "place" and bool(e.admin)))
    for term in terms.find(question):
        out.setdefault(term.label, Named(term.label, term.ar, None, term.ar_words))
    return list(out.values())


def missing_names(named: list[Named], sources: list[Source], gazetteer: Gazetteer) -> list[str]:
    """Labels of the places and groups the question names that no source mentions (a hard abstention).

    Gazetteer entries only, found by id or, for a name that is also an ordinary word (``ambiguous`` in
    the gazetteer, e.g. «صلاح الدين», matched in text only after a cue such as «محافظة»), by any of
    its forms as a word: the question has already said which it means. Key terms ("drones",
    "commander", "convoys") no longer abstain on their own: on `dev` (2026-12-04) the term half of this
    rule refused two answerable questions and caught no unanswerable one (a term's English label names
    a concept the sources state in other words); their absence is left to the calibrated answerable
    model's word coverage. The ambiguous-name fallback mends one more false refusal on dev (Salahuddin).
    An entry built from GeoNames (``partial``: its Arabic names may miss the spelling a report uses, «جزيرة
    أرواد» or another) never refuses on its own: not finding it proves nothing.
    """
    texts = [s.title + "\n" + s.text for s in sources]
    found_ids = {m.entry.id for t in texts for m in gazetteer.find(t)}
    haystack = " ".join(texts)
    return [item.label for item in named
            if item.entry_id is not None and item.entry_id not in found_ids and not item.in_text(haystack)
            and not getattr(gazetteer.get(item.entry_id), "partial", False)]


def score_sentences(question: str, sources: list[Source], embedder: Embedder, named, sentences: SentenceVectors | None = None,
                    query_vector: np.ndarray | None = None) -> list[Evidence]:
    """Every usable sentence of the sources, scored against the question (pass `query_vector` if already embedded)."""
    sentences = sentences or SentenceVectors(embedder)
    q = embed_query(embedder, question) if query_vector is None else query_vector
    q_tokens = set(arabic.tokens(question))
    wants = answer_type(question)
    seen: set[tuple[str, int]] = set()
    out = []
    chunks = [Chunk(s.chunk_id, s.article_id, s.text, s.start, s.start + len(s.text)) for s in sources]
    for source, (spans, vectors) in zip(sources, sentences.get(chunks)):
        sims = vectors @ q if len(vectors) else []
        for (s, e), sim in zip(spans, sims):
            text = source.text[s:e]
            key = (source.article_id, source.start + s)
            if key in seen or arabic.word_count(text) < 4 or looks_like_instruction(text):
                continue
            seen.add(key)
            score = support_score(float(sim), named, q_tokens, text) + 0.01 / source.n
            if wants and has_type(text, wants):
                score += 0.02
            out.append(Evidence(source, s, e, score, float(sim)))
    return sorted(out, key=lambda ev: -ev.score)


_HOW_MANY = re.compile(r"\b(?:how many|how much|number of|كم|عدد)\b|^كم", re.I)


def answer_type(question: str) -> str | None:
    """The kind of answer a question asks for: 'number', or None when it is not recognised."""
    return "number" if _HOW_MANY.search(question) else None




def has_type(sentence: str, kind: str) -> bool:
    """Whether a sentence carries the kind of answer asked for: a number that is not a date or a unit's name."""
    return kind == "number" and has_number(sentence)


def answer_type_missing(question: str, evidence: list[Evidence], named, settings: AnswerSettings, gazetteer: Gazetteer | None = None) -> str:
    """Why no candidate sentence can answer a count question, or '' when one can.

    A count question ("how many", "كم") is answerable only by a sentence that is similar enough to the
    question (`min_support`) and gives a number of what the question counts (`rag.answering.counts`: a toll
    needs a word of killing and a number of persons, "how many missiles" a number of missiles; dates, unit
    names such as «الفرقة 25» and the question's own numbers do not count), about what the question names.
    When the question names a place below a country, that place must be named in the sentence, the sentence
    next to it on either side, or its report's title (a report's lede names the place and the next sentence
    gives the toll); otherwise any place, group or key term the question names, in the sentence or the title.
    A sentence that names a place of its own (below a country, not one the question names) is about that
    place: then only the sentence itself can name the asked place, not its neighbours or its title (three
    missiles "targeting the Dumayr base" next to a sentence about Shayrat count no missiles at Shayrat).
    Measured on eval `dev` (eval/README.md): the place and the counted kind each refused unanswerable dev
    questions that a toll or a missile count of another attack used to answer, and no answerable one.
    """
    if answer_type(question) is None:
        return ""
    ask = asked_count(question)
    places = [n for n in named if n.place]
    asked = {n.entry_id for n in places}
    # the asked places' governorates are no other place («مصياف في ريف حماة»)
    asked |= {g.id for n in places if gazetteer is not None and (g := gazetteer.governorate_of(n.entry_id or "")) is not None}
    actors = {n.entry_id for n in named if n.entry_id and not n.place and not n.entry_id.startswith("place:")}
    foreign = None
    if gazetteer is not None and actors:  # a number of another group's men is not the one asked for
        foreign = lambda words: any(m.entry.type in ("group", "force") and m.entry.id not in actors  # noqa: E731
                                    for m in gazetteer.find_arabic(words))
    for ev in evidence:
        if ev.similarity < settings.min_support or not gives_count(ask, ev.text, foreign):
            continue
        own = gazetteer is not None and places and any(
            m.entry.type == "place" and m.entry.admin and m.entry.id not in asked for m in gazetteer.find_arabic(ev.text))
        around = ev.text if own else (neighbourhood(ev) if places else ev.text) + "\n" + ev.source.title
        if not named or any(n.in_text(around) for n in (places or named)):
            return ""
    about = f" about {', '.join(n.label for n in (places or named))}" if named else ""
    what = "toll" if ask.toll else f"number of {count_label(ask.kind)}" if ask.kind else "number"
    return f"no source sentence{about} gives the {what} asked for"


def neighbourhood(ev: Evidence) -> str:
    """The evidence sentence with the sentence before and after it in its chunk."""
    spans = sentence_spans(ev.source.text)
    inside = [i for i, (a, b) in enumerate(spans) if a < ev.end and b > ev.start]
    if not inside:
        return ev.text
    first, last = max(0, inside[0] - 1), min(len(spans) - 1, inside[-1] + 1)
    return ev.source.text[spans[first][0]: spans[last][1]]


def support_score(similarity: float, named, question_tokens: set[str], sentence: str) -> float:
    """How well a sentence supports a question or claim: e5 similarity, plus named things and shared words it carries."""
    names = sum(1 for item in named if item.in_text(sentence))
    overlap = len(question_tokens & arabic.token_set(sentence)) / max(1, len(question_tokens))
    return similarity + 0.03 * names + 0.05 * overlap


def select(evidence: list[Evidence], settings: AnswerSettings, margin: float = 0.05) -> list[Evidence]:
    """The best sentence and those close to it, at most `max_sentences`."""
    if not evidence:
        return []
    best = evidence[0].score
    return [ev for ev in evidence if ev.score >= best - margin][: settings.max_sentences]


@dataclass(frozen=True)
class Abstention:
    """Why the sources cannot answer ('' when they can), with the rules' findings for calibration."""

    reason: str
    missing_names: list[str]  # named things no source mentions
    type_missing: str  # why a count question has no sentence giving the number, or ''


@functools.cache
def _withheld_patterns() -> tuple[tuple[str, tuple[re.Pattern, ...], tuple[re.Pattern, ...]], ...]:
    """(kind, patterns of a question asking for it, patterns of a sentence saying it is not known) per kind of detail,
    from rag/data/withheld.json; Arabic patterns match normalised text, English ones any case."""
    raw = json.loads(data_file("withheld.json").read_text(encoding="utf-8"))
    out = []
    for kind, spec in raw["kinds"].items():
        asks = tuple(re.compile(p) for p in spec["asks"]["ar"]) + tuple(re.compile(p, re.I) for p in spec["asks"]["en"])
        unknown = tuple(re.compile(p) for p in spec["unknown"]["ar"]) + tuple(re.compile(p, re.I) for p in spec["unknown"]["en"])
        out.append((kind, asks, unknown))
    return tuple(out)


def detail_withheld(question: str, evidence: list[Evidence], top: int = 3) -> tuple[str, Evidence] | None:
    """For a question asking for a detail (a name or identity, a date, a reason, a number): the kind and the first of
    the `top` sentences closest to the question that says that detail was withheld or is unknown
    (rag/data/withheld.json); None otherwise (pure).

    A report that quotes "an official who asked not to be named", or an operation "whose date has not been
    set", does not give what the question asks for, however close the sentence is: the answer says so and
    quotes it, instead of offering the sentence as the answer. A number or a date counts as withheld only when no
    other of those sentences gives one (another outlet may have given the toll one report says is unknown).
    """
    folded = arabic.normalize(question)
    kinds = [(kind, unknown) for kind, asks, unknown in _withheld_patterns()
             if any(p.search(folded) or p.search(question) for p in asks)]
    if not kinds:
        return None
    closest = sorted(evidence, key=lambda e: -e.similarity)[:top]  # closest to the question, whatever else scored
    for ev in closest:
        text = arabic.normalize(ev.text)
        for kind, unknown in kinds:
            # one report not giving a count or a date does not withhold it when another close sentence gives one
            if any(p.search(text) or p.search(ev.text) for p in unknown) and not any(
                    _gives(kind, other.text) for other in closest if other is not ev):
                return kind, ev
    return None


def _gives(kind: str, text: str) -> bool:
    """Whether a sentence states a detail of this kind that can be checked by form: a number, a date."""
    if kind == "number":
        return has_number(text)
    if kind == "date":
        return bool(find_dates(text))
    return False


def abstention(question: str, sources: list[Source], evidence: list[Evidence], named, settings: AnswerSettings, gazetteer: Gazetteer) -> Abstention:
    """The hard abstention rules in order: nothing retrieved, a named thing missing, nothing close, a detail the
    sources say is withheld or unknown, a name they never give, a day they never give, no number for a count."""
    if not sources or not evidence:
        return Abstention("nothing was retrieved", [], "")
    missing = missing_names(named, sources, gazetteer)
    type_missing = answer_type_missing(question, evidence, named, settings, gazetteer)
    # How close the evidence is to the question is mostly the calibrated model's to judge (rag.answering.calibrated):
    # one similarity floor cannot tell answerable from not at scale (GUIDE.md). `min_support` stays as a floor
    # under which nothing is close at all: no answerable question of seeds, ant, dev or test has its best
    # sentence under 0.75 (eval results of 2026-12-04), so it refuses only questions far from every report.
    best = max(ev.similarity for ev in evidence)
    if missing:
        reason = "the sources never mention " + ", ".join(missing)
    elif best < settings.min_support:
        reason = f"no source sentence is close to the question (best similarity {best:.3f} < {settings.min_support:.3f})"
    elif (withheld := detail_withheld(question, evidence)) is not None:
        kind, ev = withheld
        reason = f"the sources do not give the {kind}: [{ev.source.n}] says «{ev.text.strip()}»"
    elif (plain := unnamed(question, sorted(evidence, key=lambda e: -e.similarity), neighbourhood,
                           lambda word: any(m.entry.type == "place" for m in gazetteer.find_arabic(word)))) is not None:
        reason = f"the sources do not give the name: [{plain.source.n}] says «{plain.text.strip()}»"
    elif (undated := day_missing(question, evidence, neighbourhood)) is not None:
        reason = f"the sources do not give the day: the closest, [{undated.source.n}], says «{undated.text.strip()}»"
    else:
        reason = type_missing
    return Abstention(reason, missing, type_missing)


def compose(question: str, chosen: list[Evidence]) -> tuple[str, list]:
    """Answer text grouped by article (dated first, oldest to newest), each quote followed by its [n]."""
    lang = language(question)
    groups: dict[str, list[Evidence]] = {}
    for ev in chosen:
        groups.setdefault(ev.source.article_id, []).append(ev)
    order = sorted(groups.values(), key=lambda evs: (evs[0].source.date == "", evs[0].source.date, -max(e.score for e in evs)))
    lines = [HEADER[lang], ""]
    citations = []
    for evs in order:
        src = evs[0].source
        date = src.date or ("date unknown" if lang == "en" else "تاريخ غير معروف")
        outlet = src.source or ("outlet unknown" if lang == "en" else "مصدر غير معروف")
        also = f" (also: {', '.join(src.also_in)})" if src.also_in else ""
        lines.append(f"{outlet}{also} · {date} · «{src.title}»")
        for ev in sorted(evs, key=lambda e: e.source.start + e.start):
            lines.append(f"- {ev.text} [{ev.source.n}]")
            citations.append(citation_from(ev.source, ev.start, ev.end))
        lines.append("")
    return "\n".join(lines).strip(), citations


def not_in_sources(question: str) -> str:
    """The shared 'not in the sources' sentence in the question's language."""
    return NOT_IN_SOURCES[language(question)]


def best_similarity(evidence: list[Evidence]) -> float:
    """Highest question-sentence similarity among the candidates (for calibration)."""
    return max((ev.similarity for ev in evidence), default=float(np.nan))
