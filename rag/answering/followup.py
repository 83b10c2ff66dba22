"""Follow-up questions made standalone before retrieval, without an LLM (pure: gazetteer and regexes only).

    s = standalone("When did that happen?", [("Which militias reinforced Sukhnah?", answer_text)], gazetteer)
    s.search   # 'When did Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, reinforcement happen?'
    s.note     # 'about: Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, deployment or reinforcement'

A chat turn such as "When did that happen?" names nothing to search for, so retrieval on it alone
finds whatever is most similar to "when" (issue 20). The topic of a conversation is what its turns
name, read with `question_facets` (places, actors, operations, event types) and the key terms
(`rag.terms`), plus the period a question names (`rag.dates.question_period`):

- The topic after a turn is what its standalone question named, plus what the answer supplied for
  what the question asked: the actors of the answer's first cited line naming one when it asked who,
  which or for a kind of actor (only militias when it asked "which militias"), its places when it asked where. The first
  line is the best evidence in both modes; later lines often name other, unrelated groups.
- A follow-up naming no place, actor or operation carries the whole topic. One that names some is
  a new question unless it is elliptical ("and Palmyra?", "what about ...", "وماذا عن") or refers
  back ("they", "there", "that", "هناك", "ذلك"): then it carries the kinds it does not name itself
  (a new place replaces the places; the actors, event type and period stay).
- What is carried goes into the question in its own language (English or Arabic names from the
  gazetteer), in place of the word pointing back ("that", "ذلك") or before the question mark, for
  retrieval and the answer's checks, and is said to the user as `note`.

Turns are resolved in order, so a third turn carries what the second one carried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ..dates import question_period
from ..events import TYPES
from ..gazetteer import Gazetteer
from ..terms import Terms
from .citations import CITE_MARK
from .events_hint import question_facets

MAX_FROM_ANSWER = 3  # actors or places taken from an answer's line: more would mostly be noise
# Search words of each event type, as the event-type readers (rag.answering.events_hint) recognise them.
TYPE_WORDS = {
    "en": {"reinforcement": "reinforcement", "clash": "clashes", "airstrike": "airstrikes", "explosive": "explosion",
           "withdrawal": "withdrawal", "campaign": "campaign", "seizure": "seizure", "killing": "killing"},
    "ar": {"reinforcement": "تعزيزات", "clash": "اشتباكات", "airstrike": "غارة", "explosive": "انفجار عبوة",
           "withdrawal": "انسحاب", "campaign": "حملة عسكرية", "seizure": "سيطرة", "killing": "مقتل"},
}
_ELLIPTICAL = re.compile(
    r"^\s*(?:and|what\s+about|how\s+about|and\s+what\s+about|also|same\s+for)\b|^\s*(?:و?ماذا\s+عن|وماذا|و)(?=\S)|^\s*و\s",
    re.I)
_REFERENCE = re.compile(
    r"\b(?:they|them|their|theirs|there|that|this|those|these|it|its|he|him|his|she|her|same|then|again|also|too)\b"
    r"|(?:^|\s)(?:هناك|هنالك|ذلك|تلك|هذا|هذه|هؤلاء|هم|هو|هي|نفس|أيضا|أيضاً)(?:\s|$|[؟?.,،])|\S(?:هم|ها)(?:\s|$|[؟?.,،])")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_POINTER = re.compile(r"\b(that|this|it|they|them|there|these|those)\b|(?:^|\s)(ذلك|تلك|هذا|هذه|هناك|هنالك|هؤلاء|هم)(?=\s|$|[؟?.,،])", re.I)


@dataclass(frozen=True)
class Topic:
    """What a conversation is about: gazetteer ids of places, actors, operations; event types; key terms; a period."""

    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # key-term labels (rag.terms)
    period: str = ""  # the period phrase as the user wrote it ("in February 2021")

    def __bool__(self) -> bool:
        return any((self.places, self.actors, self.operations, self.types, self.terms, self.period))


@dataclass(frozen=True)
class Standalone:
    """A question made standalone: what to search for, and what was carried from earlier turns."""

    question: str  # as typed
    search: str  # the question plus what was carried, to retrieve and answer with
    topic: Topic  # the whole topic of this turn (its own names and the carried ones)
    carried: Topic = field(default_factory=Topic)  # only what came from earlier turns
    carried_labels: tuple[str, ...] = ()  # the carried names, types, terms and period as shown to the user

    @property
    def note(self) -> str:
        """'about: Liwa al-Baqir, Fatemiyoun, Sukhnah' (what the search carried), or ''."""
        return "about: " + ", ".join(self.carried_labels) if self.carried_labels else ""


def language(text: str) -> str:
    """'ar' when the text has Arabic letters and no more Latin ones, else 'en' (pure)."""
    ar, latin = len(_ARABIC.findall(text)), len(re.findall(r"[A-Za-z]", text))
    return "ar" if ar and ar >= latin else "en"


def own_topic(question: str, gazetteer: Gazetteer, terms: Terms | None = None, anchor: date | None = None) -> Topic:
    """What one question names by itself (pure)."""
    f = question_facets(question, gazetteer)
    found = question_period(question, anchor)
    return Topic(_ordered(f.places, question, gazetteer), _ordered(f.actors, question, gazetteer),
                 _ordered(f.operations, question, gazetteer), tuple(sorted(f.types)),
                 tuple(t.label for t in terms.find(question)) if terms else (), found.matched if found else "")


def answer_names(question: str, answer: str, gazetteer: Gazetteer) -> Topic:
    """What an answer supplied for what its question asked: actors for who/which, places for where (pure)."""
    if not answer:
        return Topic()
    f = question_facets(question, gazetteer)
    kinds: frozenset[str] = getattr(f, "actor_kinds", frozenset())  # "which militias", «ما هي الميليشيات»: the militias, not every force
    wants_actors, wants_places = "who" in f.aspects or bool(kinds), "where" in f.aspects
    if not (wants_actors or wants_places):
        return Topic()
    for line in (ln for ln in answer.splitlines() if CITE_MARK.search(ln)):
        mentions = gazetteer.find_arabic(line) + gazetteer.find_english(line)
        mentions.sort(key=lambda m: m.start)
        actors = _unique(m.entry for m in mentions if m.entry.type in ("group", "force"))
        if kinds and any(_of_kind(e, kinds) for e in actors):
            actors = [e for e in actors if _of_kind(e, kinds)]
        places = _unique(m.entry for m in mentions if m.entry.type == "place")
        got = Topic(actors=tuple(e.id for e in actors[:MAX_FROM_ANSWER]) if wants_actors else (),
                    places=tuple(e.id for e in places[:MAX_FROM_ANSWER]) if wants_places else ())
        if got:
            return got
    return Topic()


def resolve(question: str, topic: Topic, gazetteer: Gazetteer, terms: Terms | None = None,
            anchor: date | None = None) -> Standalone:
    """One question made standalone against the conversation's topic so far (pure)."""
    own = own_topic(question, gazetteer, terms, anchor)
    names_own = bool(own.places or own.actors or own.operations)
    if not topic or (names_own and not (_ELLIPTICAL.search(question) or _REFERENCE.search(question))):
        return Standalone(question, question, own)
    carried = Topic(
        places=() if own.places else topic.places,
        actors=() if (own.actors or own.operations) else topic.actors,
        operations=() if (own.operations or own.actors) else topic.operations,
        types=() if own.types else topic.types,
        terms=() if own.terms else topic.terms,
        period="" if own.period else topic.period,
    )
    if not carried:
        return Standalone(question, question, own)
    merged = Topic(own.places or carried.places, own.actors or carried.actors, own.operations or carried.operations,
                   own.types or carried.types, own.terms or carried.terms, own.period or carried.period)
    lang = language(question)
    words = _words(carried, gazetteer, terms, lang)
    labels = _words(carried, gazetteer, terms, "en", labels=True)
    search = _insert(question, ("، " if lang == "ar" else ", ").join(words))
    return Standalone(question, search, merged, carried, tuple(labels))


def standalone(question: str, history: Sequence[tuple[str, str]], gazetteer: Gazetteer, terms: Terms | None = None,
               anchor: date | None = None) -> Standalone:
    """The last question of a conversation made standalone; history is [(question, answer), ...], oldest first (pure)."""
    topic = Topic()
    for q, a in history:
        if not (q or "").strip():
            continue
        s = resolve(q, topic, gazetteer, terms, anchor)
        supplied = answer_names(s.search, a or "", gazetteer)
        topic = replace(s.topic, actors=_merge(s.topic.actors, supplied.actors), places=_merge(s.topic.places, supplied.places))
    return resolve(question, topic, gazetteer, terms, anchor)


def history_text(history: Sequence[tuple[str, str]], max_turns: int = 3, max_chars: int = 1200) -> str:
    """The last turns as plain text for the condense prompt: 'User: ...' / 'Assistant: ...' (pure)."""
    lines = []
    for q, a in list(history)[-max_turns:]:
        a = re.sub(r"\s*\[(?:\d+(?:[,،]\s*\d+)*|no source)\]", "", a or "").strip()  # citation marks mean nothing here
        lines += [f"User: {q.strip()}", f"Assistant: {a[:max_chars]}"]
    return "\n".join(lines)


# -- helpers ----------------------------------------------------------------------


def _insert(question: str, phrase: str) -> str:
    """The question with its first word pointing back replaced by the carried phrase, else the phrase put before
    its final question mark: "When did that happen?" -> "When did Liwa al-Baqir, Sukhnah happen?". Inline, the
    names sit where the question's meaning needs them; appended in brackets, the question's own words ("did that
    happen") weigh as much as the names and draw generic sentences."""
    q = question.rstrip()
    m = _POINTER.search(q)
    if m:
        g = m.lastindex or 0
        return q[: m.start(g)] + phrase + q[m.end(g):]
    end = len(q) - len(q.rstrip("?؟.!"))
    return f"{q[:len(q) - end]} {phrase}{q[len(q) - end:]}" if end else f"{q} {phrase}"


def _of_kind(entry, kinds) -> bool:
    return any(k in (entry.kind or "") for k in kinds)


def _unique(entries) -> list:
    seen, out = set(), []
    for e in entries:
        if e.id not in seen:
            seen.add(e.id)
            out.append(e)
    return out


def _merge(first: tuple[str, ...], then: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(first + then))


def _ordered(ids, text: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    """Ids in the order the text names them (stable labels and search words)."""
    pos: dict[str, int] = {}
    for m in gazetteer.find_english(text) + gazetteer.find_arabic(text):
        pos.setdefault(m.entry.id, m.start)
    return tuple(sorted(ids, key=lambda i: (pos.get(i, 1 << 30), i)))


def _words(t: Topic, gazetteer: Gazetteer, terms: Terms | None, lang: str, labels: bool = False) -> list[str]:
    """The carried names in a language: gazetteer names, event-type words (labels: type names), terms, period."""
    out = []
    for i in (*t.actors, *t.operations, *t.places):
        e = gazetteer.get(i)
        if e is not None:
            out.append(e.ar if lang == "ar" else e.en)
    out += [(TYPES.get(k, k) if labels else TYPE_WORDS[lang].get(k, k)) for k in t.types]
    by_label = {x.label: x for x in (terms.terms if terms else [])}
    for label in t.terms:
        term = by_label.get(label)
        if term is not None and any(term.en.search(TYPE_WORDS["en"].get(k, k)) for k in t.types):
            continue  # the event type already says it ("reinforcements" beside "reinforcement")
        out.append(term.ar[0] if lang == "ar" and term is not None and term.ar else label)
    if t.period:
        out.append(t.period)
    return list(dict.fromkeys(out))
