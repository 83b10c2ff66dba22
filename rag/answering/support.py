"""The support check: does the cited source say what the claim says? In English, Arabic and across them.

A citation that resolves is not yet a citation that supports. For each (claim, cited source)
the check looks at every sentence of the source and every pair of adjacent sentences (a claim
may join two), and a window supports the claim when all of these hold:

- **numbers agree**: every count in the claim (digits in either script, number words, "more
  than" / "at least" / «أكثر من», see `rag.numbers`) is allowed by a count in the window;
- **names agree**: every place, group or force the claim names (gazetteer ids, so «السخنة» and
  "Sukhnah" meet) is named in the window or the report's title, or is an ancestor of one named
  there; countries are context ("Homs, Syria") and not required;
- **polarity agrees**: a negation («لم», «لا», "not", "denied" ...) in one and not the other is a
  mismatch;
- **similarity clears the floor**: e5 cosine between the claim (as a query) and the window (as
  a passage; a sentence counts as close as its closest run of one or two clauses, because a short
  claim says one clause of a long sentence) is at least the floor (settings answer.support_floor, 0.826),
  calibrated on the dev half of eval/support/ (see its README), and within answer.support_margin of the
  closest window of the source.

A pair of sentences is used only for what neither supports alone (summing two vectors lifts the
similarity), and a pair's polarity is that of its sentence closest to the claim.

A claim that repeats one or more whole sentences of the source verbatim is supported by
construction (that is how extractive answers cite). The outcome is `supported` (with the
supporting span), `unsupported` with why ("number 600 vs more than 400", "Palmyra is not
named in the source") or `unresolved` when the claim has nothing to check or the similarity
could not be computed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

import numpy as np

from .. import arabic
from ..gazetteer import Gazetteer
from ..numbers import Quantity, compatible, find_quantities
from ..settings import AnswerSettings
from ..splitting import sentence_spans

SUPPORTED, UNSUPPORTED, UNRESOLVED = "supported", "unsupported", "unresolved"
OUTCOMES = (SUPPORTED, UNSUPPORTED, UNRESOLVED)
# Countries and the whole desert: answers add them as context ("in Homs, Syria"), sources rarely repeat them.
CONTEXT_IDS = frozenset({"place:syria", "place:iraq", "place:jordan", "place:lebanon", "place:badia"})

_NEG_EN = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|denied|denies|deny)\b|n't\b", re.I)
# Normalised Arabic (rag.arabic.normalize). «لا يزال» (still) and «ما لا يقل عن» (at least) are not negations.
_NEG_AR = re.compile(r"(?<!\w)(?:[وف]?(?:لم|لن|لا|ليس|ليست|ليسوا|عدم|بدون|نفي|نفت|ينفي|تنفي|نفوا)|من دون)(?!\w)")
_NOT_NEG = re.compile(r"(?:ما )?لا (?:يزال|تزال|يزالون|يقل|تقل)|لا سيما|no longer than|not only|no fewer than|no less than|not less than|no more than", re.I)


_CLAUSE_BREAK = re.compile(r"[،,؛;:]\s+")
MIN_CLAUSE_WORDS = 4


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of one or two clauses (split at commas and semicolons) of a sentence with more than one clause."""
    cuts = [start] + [m.end() for m in _CLAUSE_BREAK.finditer(text, start, end)] + [end]
    parts = [(a, b) for a, b in zip(cuts, cuts[1:]) if len(text[a:b].split()) >= 1]
    if len(parts) < 2:
        return []
    runs = [(parts[i][0], parts[j][1]) for i in range(len(parts)) for j in (i, i + 1) if j < len(parts)]
    return [(a, b) for a, b in runs if (a, b) != (start, end) and len(text[a:b].split()) >= MIN_CLAUSE_WORDS]


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors (rag.embeddings.Embedder is one)."""

    def embed_batch(self, texts: Sequence[str], *, is_query: bool = False) -> np.ndarray:
        """Vectors for texts, shape (len(texts), dim)."""
        ...


@dataclass
class Support:
    """The outcome of checking one claim against one cited source."""

    status: str  # supported, unsupported or unresolved
    why: str = ""  # for unsupported and unresolved: what disagrees, for people
    similarity: float | None = None  # of the best window that passed the rules (or of the closest one)
    start: int | None = None  # the supporting (or closest) window, offsets into the source's text
    end: int | None = None

    def to_dict(self) -> dict:
        """The JSON shape: status, why, similarity."""
        d = asdict(self)
        d.pop("start"), d.pop("end")
        if d["similarity"] is not None:
            d["similarity"] = round(d["similarity"], 4)
        return d


def negated(text: str) -> bool:
    """Whether a text says something did not happen (English or Arabic negation word)."""
    norm = _NOT_NEG.sub(" ", arabic.normalize(text))
    return bool(_NEG_EN.search(norm) or _NEG_AR.search(norm))


def content_key(text: str) -> str:
    """A matching key for verbatim comparison: normalised, punctuation and citation marks dropped, spaces collapsed."""
    text = re.sub(r"\[[^\]]*\]", " ", text)
    return " ".join(arabic.tokens(text, stem=False, drop_stopwords=False))


def _why_numbers(claim_q: list[Quantity], window_q: list[Quantity]) -> str:
    for q in claim_q:
        if q.value == 2 and q.bound == "exact" and q.low is None:
            continue  # Arabic writes two as a dual noun (ثكنتين, مقاتلين روسيين), with no number to compare
        if not any(compatible(q, s) for s in window_q):
            if window_q:
                near = min(window_q, key=lambda s: abs(s.value - q.value))
                return f"number {q.describe()} vs {near.describe()}"
            return f"number {q.describe()} is not in the source"
    return ""


class SupportCheck:
    """Checks claims against cited sources (see the module docstring); one instance caches passage vectors."""

    def __init__(self, encoder: Encoder, gazetteer: Gazetteer | None = None, floor: float | None = None, margin: float | None = None,
                 cache_size: int = 4096):
        """`floor` and `margin` default to the settings' answer.support_floor and answer.support_margin (rag/settings.py)."""
        self.encoder = encoder
        self.gazetteer = gazetteer or Gazetteer.load()
        if floor is None or margin is None:
            tuned = AnswerSettings()
            floor = tuned.support_floor if floor is None else floor
            margin = tuned.support_margin if margin is None else margin
        self.floor: float = floor
        self.margin: float = margin
        self._vectors: dict[str, np.ndarray] = {}
        self._cache_size = cache_size

    # -- features (pure given the gazetteer) ----------------------------------------

    def names(self, text: str) -> dict[str, str]:
        """Gazetteer ids a text names, with their English labels."""
        return {m.entry.id: m.entry.en for m in self.gazetteer.find(text)}

    def _with_ancestors(self, ids) -> set[str]:
        """The ids, their parents (groups) and their governorates (places: "Palmyra (Homs)" names Homs too)."""
        if getattr(self, "_admin_ids", None) is None:
            self._admin_ids = {e.en: e.id for e in self.gazetteer.entries if e.type == "place"}
        out = set(ids)
        for i in list(ids):
            seen, entry = 0, self.gazetteer.get(i)
            if entry is not None and entry.admin and entry.admin in self._admin_ids:
                out.add(self._admin_ids[entry.admin])
            while entry is not None and entry.parent and seen < 10:
                out.add(entry.parent)
                entry, seen = self.gazetteer.get(entry.parent), seen + 1
        return out

    def _loosely_named(self, entry_id: str, text: str) -> bool:
        """Whether some name of the entry occurs in text by light stems, each word a prefix of the other.

        The gazetteer matches exact forms (and needs a cue word for ambiguous names such as دوما);
        a claim's name is accepted on looser evidence (الحوثية for الحوثيون, مطار تيفور for مطار
        التيفور, 9 مقاتلين روس for "Russians"), because a wrong name is still caught when none of
        its forms is there at all.
        """
        entry = self.gazetteer.get(entry_id)
        if entry is None:
            return False
        words = set(arabic.tokens(text))
        for form in (entry.ar, *entry.aliases_ar, entry.en, *entry.aliases_en):
            need = arabic.tokens(form)
            if need and all(any(len(w) >= 3 and len(n) >= 3 and (w.startswith(n) or n.startswith(w)) for w in words) for n in need):
                return True
        return False

    def rule_problem(self, claim: str, window: str, title: str = "", *, claim_features=None, polarity_of: str | None = None) -> str:
        """Why the rules reject a window as support for a claim ('' when numbers, names and polarity agree).

        Polarity is read from `polarity_of` (the window's sentence closest to the claim) when given:
        a pair of sentences may hold an unrelated negation («بيد أن الشركة لم تعلق»).
        """
        claim_q, claim_ids, claim_neg = claim_features or self.features(claim)
        why = _why_numbers(claim_q, find_quantities(window))
        if why:
            return why
        there = self._with_ancestors(set(self.names(window)) | set(self.names(title)))
        missing = [label for i, label in claim_ids.items()
                   if i not in there and i not in CONTEXT_IDS and not self._loosely_named(i, window + "\n" + title)]
        if missing:
            return f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not named in the source"
        if claim_neg != negated(window if polarity_of is None else polarity_of):
            return "negation: the claim says it did not happen, the source says it did" if claim_neg else \
                "negation: the source says it did not happen, the claim says it did"
        return ""

    def features(self, claim: str) -> tuple[list[Quantity], dict[str, str], bool]:
        """A claim's counts, named ids and polarity."""
        return find_quantities(claim), self.names(claim), negated(claim)

    def check_rules(self, claim: str, text: str, title: str = "") -> Support:
        """Numbers, names and polarity only, against the whole text: for lines built from a quote, not paraphrased.

        Extractive answers' English gist lines ("Deployment ... by Wagner in Palmyra (Homs)") are written
        from the event extracted from their quote; a similarity to a template means nothing, the facts do.
        """
        why = self.rule_problem(claim, text, title)
        return Support(UNSUPPORTED, why) if why else Support(SUPPORTED, "built from the quoted sentence: numbers and names agree")

    # -- similarity -------------------------------------------------------------------

    def _passages(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            if len(self._vectors) + len(todo) > self._cache_size:
                self._vectors.clear()
            for t, v in zip(todo, self.encoder.embed_batch(todo, is_query=False)):
                self._vectors[t] = np.asarray(v, dtype=np.float32)
        return np.vstack([self._vectors[t] for t in texts])

    # -- the check --------------------------------------------------------------------

    def check(self, claim: str, text: str, title: str = "") -> Support:
        """Whether `text` (a cited source: a chunk, or a sentence with its neighbours) supports `claim`."""
        spans = sentence_spans(text) or [(0, len(text))]
        key = content_key(claim)
        if not key:
            return Support(UNRESOLVED, "the claim has no words to check")
        windows = [(i, i) for i in range(len(spans))] + [(i, i + 1) for i in range(len(spans) - 1)]
        # Verbatim: the claim is one or more whole sentences of the source (extractive answers, by construction).
        for a in range(len(spans)):
            for b in range(a, min(a + 4, len(spans))):
                if content_key(text[spans[a][0]:spans[b][1]]) == key:
                    return Support(SUPPORTED, "quoted verbatim", 1.0, spans[a][0], spans[b][1])
        feats = self.features(claim)
        try:
            query = np.asarray(self.encoder.embed_batch([claim], is_query=True)[0], dtype=np.float32)
            sent = self._passages([text[s:e] for s, e in spans])
            clause_spans = [_clauses(text, s, e) for s, e in spans]
            flat = [text[a:b] for cs in clause_spans for a, b in cs]
            clause_vecs = self._passages(flat) if flat else np.zeros((0, sent.shape[1]), dtype=np.float32)
        except Exception as exc:  # an embedder failure must not pass a claim, nor fail the answer
            return Support(UNRESOLVED, f"similarity could not be computed ({type(exc).__name__})")
        # A pair's vector is the normalised sum of its sentences' (cheaper than embedding every pair).
        vecs = [sent[a] if a == b else (sent[a] + sent[b]) / max(1e-9, float(np.linalg.norm(sent[a] + sent[b]))) for a, b in windows]
        sims = [float(v @ query) for v in vecs]
        # A short claim says one clause of a long sentence: a sentence is as close as its closest clause run.
        pos = 0
        for i, cs in enumerate(clause_spans):
            if cs:
                sims[i] = max(sims[i], float(np.max(clause_vecs[pos:pos + len(cs)] @ query)))
            pos += len(cs)
        problems = []
        for a, b in windows:
            closest = a if sims[a] >= sims[b] else b  # singles come first in `windows`: sims[i] is sentence i's
            problems.append(self.rule_problem(claim, text[spans[a][0]:spans[b][1]], title, claim_features=feats,
                                              polarity_of=text[spans[closest][0]:spans[closest][1]]))
        # A pair is support only for what neither of its sentences supports alone (a claim joining two facts):
        # summing two vectors lifts the similarity, so a pair must not outrank a single sentence that passes.
        n = len(spans)
        usable = [k < n or (problems[windows[k][0]] and problems[windows[k][1]]) for k in range(len(windows))]
        top = max(sims)
        passing = [k for k, p in enumerate(problems) if not p and usable[k] and sims[k] >= top - self.margin]
        if passing:
            k = max(passing, key=lambda k: sims[k])
            a, b = windows[k]
            if sims[k] >= self.floor:
                return Support(SUPPORTED, "", sims[k], spans[a][0], spans[b][1])
            return Support(UNSUPPORTED, f"the source does not say this (similarity {sims[k]:.2f} < {self.floor:.2f})",
                           sims[k], spans[a][0], spans[b][1])
        # The closest window tells why (a pair too: "600 vs 400" when the 400 is in the next sentence);
        # the quote shown is its closest sentence.
        k = max(range(len(windows)), key=lambda k: sims[k])
        a, b = windows[k]
        why = problems[k] or next((p for p in problems if p), "") or "the source does not say this"
        if not problems[k]:
            why = f"the closest sentences of the source disagree: {why}"
        best = a if sims[a] >= sims[b] else b
        return Support(UNSUPPORTED, why, sims[k], spans[best][0], spans[best][1])
