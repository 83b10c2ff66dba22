"""Extractive events (pure: text + gazetteer), one sentence at a time.

* types from the trigger lexicon (:mod:`rag.events.triggers`), negated and habitual triggers left out;
* actors from gazetteer groups and forces and the generic actor words, their role from the words
  before them (:mod:`rag.events.mentions`); a name right after "areas held by" is context;
* the location: the most specific place in the event's part of the sentence (a town over a
  governorate over a region), the origin of a movement (من ... إلى) last;
* figures: numbers with a unit (:mod:`rag.events.figures`), those the event's type carries;
* the date: a date written in the sentence, else a relative one resolved against the article's
  date, else the article's date; a relative date with no known article date leaves it unknown;
* a sentence that only continues the previous event of its type adds its figures or a more
  specific place to that event, whose quote then spans both sentences, instead of making a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from ..citation import Citation
from ..dates import UNKNOWN, DateInfo, find_dates, parse_record_date, resolve_relative
from ..documents import Article, Chunk
from ..gazetteer import Entry, Gazetteer
from ..numbers import has_digit
from ..settings import EventSettings
from ..splitting import sentence_spans
from .figures import find_figures
from .lexicon import AIR_DOERS, AIR_WORDS, FIGURES_FOR, GROUND_WORDS, NOT_AIR, REMOTE_WORDS, cue
from .mentions import Mention, find_mentions, level, level_of, role_of
from .model import Event, actor_dict, place_dict
from .sites import find_sites
from .text import CLAUSE_END, TOKEN, bare, clause_words, fold, to_original
from .triggers import ACTS, Trigger, folded_triggers, is_event

DEMONSTRATIVES, CONTINUE_OPENERS = cue("demonstratives"), cue("continue_openers")
NEW_EVENT, BACK_NOUNS = cue("new_event"), cue("back_nouns")
# Named groups that report or rescue, never a party to an act (dev: the White Helmets, twice, as the source).
NOT_PARTIES = frozenset({"civil defence"})
CIVILIANS, FIGHTERS = cue("civilian_victims"), cue("fighter_victims")
REMOTE_NOUNS = frozenset({"قصف", "قصفا", "ضربه", "ضربات", "غاره", "غارات"})  # "the bombardment": an air or ground strike
_PRESENT_VERB = re.compile(r"^[وف]?[يت]")


@dataclass
class Sentence:
    """One sentence of an article, with its folded form and the names it holds."""

    chunk: Chunk
    start: int  # article offsets
    end: int
    text: str
    folded: str
    index: list[int]
    mentions: list[Mention] = field(default_factory=list)


def extract_events(source: str | Article | Iterable[Chunk], gazetteer: Gazetteer | None = None,
                   tuning: EventSettings | None = None) -> list[Event]:
    """Events of a text, an Article or the chunks of any articles, one or more per sentence (pure)."""
    gaz = gazetteer or Gazetteer.load()
    tuning = tuning or EventSettings()
    out: list[Event] = []
    for chunks in by_article(as_chunks(source)).values():
        out.extend(article_events(chunks, gaz, tuning))
    return out


def as_chunks(source: str | Article | Iterable[Chunk]) -> list[Chunk]:
    """A text or an Article as one chunk; chunks as they are."""
    if isinstance(source, str):
        return [Chunk("text#000", "text", source, 0, len(source), {})]
    if isinstance(source, Article):
        return [Chunk(f"{source.id}#000", source.id, source.text, 0, len(source.text), source.metadata())]
    return list(source)


def by_article(chunks: Iterable[Chunk]) -> dict[str, list[Chunk]]:
    """Chunks grouped by article (sorted by id), each article's in text order."""
    out: dict[str, list[Chunk]] = {}
    for c in chunks:
        out.setdefault(c.article_id, []).append(c)
    return {a: sorted(cs, key=lambda c: (c.start, -c.end)) for a, cs in sorted(out.items())}


def sentences_of(chunks: list[Chunk]) -> list[Sentence]:
    """The article's sentences once each, in order, with the first chunk that holds each."""
    out, covered = [], -1
    for c in chunks:
        for s, e in sentence_spans(c.text):
            if c.start + s < covered:
                continue
            folded, index = fold(c.text[s:e])
            out.append(Sentence(c, c.start + s, c.start + e, c.text[s:e], folded, index))
            covered = c.start + e
    return out


def headline_end(chunks: list[Chunk]) -> int:
    """End of the title line at the top of the article (its events are told again in the body), else 0."""
    if not chunks:
        return 0
    first = chunks[0]
    title = (first.meta.get("title", "") or "").strip()
    if not title or first.start != 0 or not first.text.startswith(title):
        return 0
    return len(title)


def article_events(chunks: list[Chunk], gaz: Gazetteer, tuning: EventSettings | None = None) -> list[Event]:
    """Events of one article's chunks; an indefinite mention links only to an event told at most settings.events.near sentences before."""
    near = (tuning or EventSettings()).near
    sentences = sentences_of(chunks)
    isis = False
    for s in sentences:
        s.mentions = find_mentions(s.text, s.folded, s.index, gaz, isis)
        isis = isis or any(m.entry.id == "group:isis" for m in s.mentions)
    meta = chunks[0].meta if chunks else {}
    anchor = parse_record_date(meta.get("date")) if meta.get("date") else UNKNOWN
    headline = headline_end(chunks)
    found = {i: sentence_triggers(s) for i, s in enumerate(sentences) if s.end > headline}
    air = [i for i, ts in found.items() if any(t.type == "airstrike" for t in ts)]
    if air:
        said = any(AIR_WORDS.search(NOT_AIR.sub(" ", sentences[i].folded)) for i in air)
        found = {i: [as_air(sentences[i], t, said) for t in ts] for i, ts in found.items()}
    events: list[tuple[int, Event]] = []  # (sentence number, event)
    for i, triggers in found.items():
        s = sentences[i]
        firsts: dict[str, Trigger] = {}
        for t in triggers:
            firsts.setdefault(t.type, t)
        if "killing" in firsts and {a for a in ACTS if a in firsts} == {"clash"} and on_civilians(s):
            del firsts["clash"]  # an attack that kills a family at home: violence against civilians (ACLED)
        if "killing" in firsts and any(a in firsts for a in ACTS):
            del firsts["killing"]  # typed by the act, ACLED-style: the deaths are the act's figures
        order = sorted(firsts.values(), key=lambda t: t.start)
        for k, t in enumerate(order):
            window = (order[k - 1].end if k else 0, order[k + 1].start if k + 1 < len(order) else len(s.folded))
            event = make_event(s, t, window, triggers, anchor)
            if from_the_air(s, event):
                event.type = "airstrike"
            told = back_noun_act(s, t, event, [e for _, e in events if e.refers_to is None])
            if told is not None:
                event.type = told.type
            if continues(s, t, event, i, events, chunks):
                continue
            event.refers_to = refers_back(s, t, event, [e for _, e in events], {e.id for j, e in events if i - j <= near})
            if any(j == i and e.type == event.type and e.refers_to == event.refers_to for j, e in events):
                continue  # the same act named twice in one sentence ("واستهدف الهجوم")
            events.append((i, event))
    return [e for _, e in events]


def sentence_triggers(s: Sentence) -> list[Trigger]:
    """A sentence's triggers that are not inside a name, and its named operations."""
    named = [m for m in s.mentions if m.entry.type != "operation"]
    return [t for t in folded_triggers(s.folded) if not inside_name(s.folded, t, named)] + operation_triggers(s)


def as_air(s: Sentence, t: Trigger, said: bool) -> Trigger:
    """Shelling in an article that reports air strikes is that bombardment, typed airstrike before any link is
    made: bare قصف (no weapon word in its sentence), and missiles (no artillery, mortar, shell or chemical
    word) when an air word says the strikes came from the air (`said`). Dev, rule left out: 4 events and
    6 false positives more."""
    if t.type == "shelling" and not (REMOTE_WORDS if not said else GROUND_WORDS).search(s.folded):
        return replace(t, type="airstrike")
    return t


def from_the_air(s: Sentence, event: Event) -> bool:
    """A missile attack by a force that strikes only from aircraft, drones or ships (lexicon.json "air_doers": the
    Israeli army, the US-led coalition and its members) with no ground weapon named is an air strike."""
    return (event.type == "shelling" and not GROUND_WORDS.search(s.folded)
            and any(a["role"] == "actor" and a["id"] in AIR_DOERS for a in event.actors))


def refers_back(s: Sentence, t: Trigger, event: Event, earlier: list[Event], near: AbstractSet[str] = frozenset()) -> str | None:
    """The id of the earlier event a sentence refers back to ("the attack", "these strikes"), else None.

    Never when the sentence dates its event otherwise (a new date is a new event) or calls it another or a
    new one (أخرى, جديدة). A toll with no doer ("the dead") is the latest act's. A definite bare attack noun
    ("the attack", "the bombardment") is the latest act told (a strike noun: the latest air strike or
    shelling), whatever the type its word alone would give: dev, 5 such sentences, all back-references.
    Otherwise a definite or demonstrative trigger refers back to the latest event of its type, and an
    indefinite one to the latest event of its type with the same place (or a place that holds it, or
    none), told at most settings.events.near sentences before, and the same doers (or none): news tells one act again in
    several sentences (dev: 61 back-references beside 74 events). Measured on dev by leaving each rule out:
    the indefinite links remove 10 false positives and lose no event; the bare-noun rule adds 1 event and
    removes 7 false positives. (The sample reports, long analyses, lose recall to these links: README.)
    """
    roots = [e for e in earlier if e.refers_to is None]
    if new_event_word(s, t):
        return None
    if event.type == "killing" and not event.actors and not _PRESENT_VERB.match(t.text):
        acts = [e for e in roots if e.type in ACTS]
        if acts and event.date_source != "sentence":  # a toll ("the dead", "the killing of") of the act told before
            event.type = acts[-1].type
            return acts[-1].id
    told = back_noun_act(s, t, event, roots)
    if told is not None:
        event.type = told.type
        return told.id
    definite_word = bool(re.match(r"^(?:[وف]?(?:[بكل]?ال|لل))", t.text))
    roots = [e for e in roots if e.type == event.type and same_date(event, e)]
    if not roots:
        return None
    before = clause_words(s.folded, t.start, 1)
    if definite_word or bool(before and before[-1] in DEMONSTRATIVES):
        return roots[-1].id
    same = [e for e in roots if e.id in near and same_place(e.location, event.location) and same_doers(e, event)]
    return same[-1].id if same else None


def back_noun_act(s: Sentence, t: Trigger, event: Event, roots: list[Event]) -> Event | None:
    """The act a definite bare attack noun refers to ("الهجوم", "القصف"): the latest act told (a strike noun:
    the latest air strike or shelling; "the attack" may be a killing's), else None."""
    words = TOKEN.findall(t.text)
    if len(words) != 1 or not re.match(r"^(?:[وف]?(?:[بكل]?ال|لل))", t.text) or bare(words[0]) not in BACK_NOUNS:
        return None
    kinds = ("airstrike", "shelling") if bare(words[0]) in REMOTE_NOUNS else (*ACTS, "killing")
    acts = [e for e in roots if e.type in kinds and same_date(event, e)]
    return acts[-1] if acts else None


def on_civilians(s: Sentence) -> bool:
    """The sentence's victims are civilians (a family, a home, civilians), no fighters or soldiers.
    Dev: 1 sentence (a family killed at home), typed killing as annotated."""
    words = {bare(w) for w in TOKEN.findall(s.folded)} | set(TOKEN.findall(s.folded))
    return bool(words & CIVILIANS) and not words & FIGHTERS


def new_event_word(s: Sentence, t: Trigger) -> bool:
    """"another", "a new wave of", "renewed" next to a trigger: a new act, not the one told before.
    Dev: 1 event kept as new (a new wave of shelling), 1 false link gone."""
    near = clause_words(s.folded, t.start, 3) + TOKEN.findall(s.folded[t.end:])[:2]
    return any(w in NEW_EVENT or bare(w) in NEW_EVENT for w in near)


def same_date(new: Event, old: Event) -> bool:
    """False when the sentence dates its event (written or relative) to a time the earlier event's date
    does not overlap: "in June" is not the strike of last weekend."""
    dated = ("sentence", "relative")
    (new_start, new_end), (old_start, old_end) = (new.start_date, new.end_date), (old.start_date, old.end_date)
    if new.date_source not in dated or new_start is None or new_end is None or old_start is None or old_end is None:
        return True  # a span's ends are both known or both unknown (date_span)
    if new.date_source == "relative" and old.date_source not in dated:
        # "on Tuesday evening" refines the report's date of the event told before; "on 18 August" does not
        return 0 <= (old_start - new_start).days <= 3 and new.date_precision == "day"
    return new_start <= old_end and old_start <= new_end


def same_place(a: dict | None, b: dict | None) -> bool:
    """Places that can be one event's: either unknown, equal, a country or region, or a town and its governorate."""
    if a is None or b is None or a["id"] == b["id"]:
        return True
    if 0 in (level_of(a), level_of(b)):  # a country or region may hold the other ("in Syria" ... "in Idlib")
        return True  # (session 7: returning False here lost links on both dev sets: dev F1 0.816 -> 0.821, dev_extra 0.524 -> 0.535)
    if level_of(a) == level_of(b):
        return False
    return bool(a.get("admin")) and a.get("admin") == b.get("admin")


def same_doers(a: Event, b: Event) -> bool:
    """Events whose doers (actors in the actor role) are shared, or one of which names none."""
    ids_a = {x["id"] for x in a.actors if x["role"] == "actor"}
    ids_b = {x["id"] for x in b.actors if x["role"] == "actor"}
    return not ids_a or not ids_b or bool(ids_a & ids_b)


def operation_triggers(s: Sentence) -> list[Trigger]:
    """A named operation after عملية (عملية "الصحراء البيضاء") announces a campaign."""
    out = []
    for m in s.mentions:
        if m.entry.type != "operation":
            continue
        prev = [bare(w) for w in TOKEN.findall(s.folded[:m.fstart])[-1:]]
        name = s.folded[m.fstart:m.fend]
        if prev == ["عمليه"] or name.startswith("عمليه") or re.match(r"[وفب]?(?:ال)?عمليه", name):
            t = Trigger("campaign", m.fstart, m.fend, name)
            if is_event(s.folded, t):
                out.append(t)
    return out


def inside_name(folded: str, t: Trigger, mentions: list[Mention]) -> bool:
    """A trigger inside a name (الحشد الشعبي, a unit named with a trigger word: add it to the gazetteer)."""
    return any(m.fstart < t.end and t.start < m.fend for m in mentions)


def citation_of(s: Sentence) -> Citation:
    """The citation of a whole sentence (its quote is the article text at its offsets)."""
    c = s.chunk
    a, b = s.start - c.start, s.end - c.start
    return Citation(
        n=1, chunk_id=c.id, article_id=c.article_id, title=c.meta.get("title", ""), source=c.meta.get("source", ""),
        date=c.meta.get("date", ""), quote=c.text[a:b], start=s.start, end=s.end, url=c.meta.get("url", ""),
        date_precision=c.meta.get("date_precision", "unknown"),
    )


def make_event(s: Sentence, t: Trigger, window: tuple[int, int], triggers: list[Trigger], anchor: DateInfo) -> Event:
    """The event a trigger names, from the part of the sentence `window` gives it (folded offsets)."""
    participants = [m for m in s.mentions if m.entry.type in ("group", "force") and not m.context
                    and m.entry.kind not in NOT_PARTIES]
    inside = [m for m in participants if window[0] <= m.fstart < window[1]]
    if inside and all(role_of(s.folded, m, t.type) != "actor" for m in inside):
        # the doer was named before this part of the sentence ("... بعد استقدامها تعزيزات")
        ids = {m.entry.id for m in inside}
        doers = [m for m in participants
                 if m.fstart < window[0] and m.entry.id not in ids and role_of(s.folded, m, t.type) == "actor"]
        inside = doers[-1:] + inside
    actors, seen = [], set()
    for m in inside or participants:
        if m.entry.id not in seen:
            seen.add(m.entry.id)
            actors.append(actor_dict(m.entry, role_of(s.folded, m, t.type)))
    places = [m for m in s.mentions if m.entry.type == "place" and not m.context]
    location = choose_place(s, places, t, window[1])
    site = choose_site(s, t, window)  # even beside a gazetteer place: «بلدة زملكا» in the Eastern Ghouta
    operation = next((m.entry for m in s.mentions if m.entry.type == "operation"), None)
    figures = {k: v for k, v in find_figures(s.text).items() if k in FIGURES_FOR[t.type]}
    when, how = event_date(s, t, window, triggers, anchor)
    return Event(
        date=when.iso(), date_precision=when.precision if when.iso() else "unknown", type=t.type, actors=actors,
        location=place_dict(location) if location else None, figures=figures, citation=citation_of(s),
        date_source=how, places=list(dict.fromkeys(m.entry.id for m in places)),
        operation={"id": operation.id, "name_en": operation.en, "name_ar": operation.ar}
        if operation is not None and t.type in ("campaign", "clash") else None,
        trigger=s.text[slice(*to_original(s.text, s.index, t.start, t.end))], site=site,
    )


def choose_site(s: Sentence, t: Trigger, window: tuple[int, int]) -> str | None:
    """The named site of the event's part of the sentence the gazetteer does not know (rag.events.sites), as written:
    the first one after the trigger, else the nearest before it; None when the sentence names none."""
    found = [x for x in find_sites(s.folded, [(m.fstart, m.fend) for m in s.mentions]) if window[0] <= x.start < window[1]]
    after = [x for x in found if x.start >= t.end]
    pick = after[0] if after else (found[-1] if found else None)
    return s.text[slice(*to_original(s.text, s.index, pick.start, pick.end))] if pick else None


def choose_place(s: Sentence, places: list[Mention], t: Trigger, scope_end: int) -> Entry | None:
    """The most specific place of the event's part of the sentence; a movement's origin last."""
    if not places:
        return None
    scoped = [m for m in places if t.start <= m.fstart < scope_end]
    if not scoped:  # the place was named before the act: the most specific of those, the nearest on a tie
        before = [m for m in places if m.fstart < t.start]
        top = max((level(m.entry) for m in before), default=None)
        scoped = [m for m in before if level(m.entry) == top][-1:] if before else places
    heading = re.search(r"(?<![^\W_])(?:الي|نحو|باتجاه|صوب)(?![^\W_])", s.folded) is not None

    def rank(m: Mention) -> tuple[int, int]:
        prev = [bare(w) for w in clause_words(s.folded, m.fstart, 2)]
        origin = t.type == "reinforcement" and heading and "من" in prev[-2:] and not (prev and prev[-1] in ("الي", "نحو"))
        return (-1 if origin else level(m.entry), -m.fstart)

    return max(scoped, key=rank).entry


def clauses(folded: str) -> list[tuple[int, int]]:
    """(start, end) of the comma-separated clauses of a folded sentence."""
    cuts = [0] + [m.end() for m in CLAUSE_END.finditer(folded)] + [len(folded)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def event_date(s: Sentence, t: Trigger, window: tuple[int, int], triggers: list[Trigger],
               anchor: DateInfo) -> tuple[DateInfo, str]:
    """A date written near the trigger, else a relative one against the article date, else the article's.

    Near: in the trigger's clause, or in a clause of its part of the sentence that holds no other trigger.
    """
    own = [(a, b) for a, b in clauses(s.folded) if a <= t.start < b]
    others = [(a, b) for a, b in clauses(s.folded) if (a, b) not in own and a < window[1] and b > window[0]
              and not any(a <= o.start < b for o in triggers if o is not t)]
    for a, b in own + sorted(others, key=lambda c: abs(c[0] - t.start)):
        text = s.text[s.index[a]:s.index[b - 1] + 1]
        written = find_dates(text)
        if written:
            return written[0][0], "sentence"
        if anchor.precision != "unknown":
            rel = resolve_relative(text, anchor)
            if rel.precision != "unknown":
                return rel, "relative"
    return (anchor, "article") if anchor.precision != "unknown" else (UNKNOWN, "unknown")


def continues(s: Sentence, t: Trigger, event: Event, i: int, events: list[tuple[int, Event]],
              chunks: list[Chunk]) -> bool:
    """Fold a sentence that only continues an earlier event of its type into it; True when folded."""
    prev = next((e for j, e in reversed(events) if i - j <= 3 and e.type == event.type), None)
    if prev is None or new_event_word(s, t):
        return False
    words = TOKEN.findall(s.folded)
    tpos = len(TOKEN.findall(s.folded[:t.start]))
    definite = bool(re.match(r"^(?:[وف]?(?:[بكل]?ال|لل))", t.text))
    before = clause_words(s.folded, t.start, 2)
    own = {a["id"] for a in event.actors if a["role"] == "actor"}
    known = {a["id"] for a in prev.actors}
    if before and before[-1] in DEMONSTRATIVES:
        pass  # "these reinforcements"
    elif words and words[0] in CONTINUE_OPENERS and not own - known:
        pass  # "which include", "whereby"
    elif definite and (tpos < 3 or not own):
        pass  # "the campaign", "the withdrawn vehicles"
    else:
        return False
    absorb(prev, event, s, chunks)
    return True


def absorb(prev: Event, new: Event, s: Sentence, chunks: list[Chunk]) -> None:
    """Add a continuing sentence's figures (and a more specific place) to an event, widening its quote."""
    figures = {k: v for k, v in new.figures.items()
               if k not in prev.figures or (has_digit(v) and not has_digit(prev.figures[k]))}
    better = new.location is not None and level_of(new.location) == 2 and (prev.location is None or level_of(prev.location) == 0)
    site = new.site if new.site and not prev.site and not better else None  # "the shelling hit a convoy near «قرية كمروك»"
    if not figures and not better and not site:
        return
    c = next((c for c in chunks if c.start <= prev.citation.start and s.end <= c.end), None)
    if c is None:
        return
    prev.figures.update(figures)
    if better:
        prev.location = new.location
    if site:
        prev.site = site
    prev.places = list(dict.fromkeys(prev.places + new.places))
    known = {a["id"] for a in prev.actors}
    prev.actors.extend(a for a in new.actors if a["id"] not in known)
    cite = prev.citation
    prev.citation = replace(cite, chunk_id=c.id, quote=c.text[cite.start - c.start:s.end - c.start], end=s.end)
