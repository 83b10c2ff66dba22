"""English gist of events: one line per event, built only from what its sentence says and the gazetteer.

A line names the act (the type's English label), the doers, the targets and the backers (their
English gazetteer names), the place (English name and governorate), the date, and the figures the
sentence quotes rendered in English (``أكثر من 400 عنصر`` -> ``more than 400 fighters``). Nothing
else goes in: no actor, place or number that the event (hence its sentence) does not carry. When the
date is the report's, the line says "reported". In an answer each line ends with the citation mark of
the source that holds its sentence (:func:`with_gist`), and ``Answer.gist`` lists the lines with their
citation (:func:`gist_of`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..citation import Citation, Source
from ..numbers import NUMBER
from ..romanise import romanise
from .lexicon import TYPES
from .model import Event, place_line
from .sites import CLASS as SITE_CLASS
from .sites import find_sites
from .text import bare, fold, fold_letters, to_original

PREFIX = "In brief: "  # how a gist line starts in an answer's text (the faces and gist_of find it by this)
MAX_LINES = 3

# Qualifiers and counting words of a figure, on folded text, and their English.
_QUALIFIERS = [
    (r"ما\s+لا\s+يقل\s+(?:عن|علي)", "at least"), (r"ما\s+(?:يزيد|يربو)\s+(?:عن|علي)|يزيد\s+عن|اكثر\s+من|ازيد\s+من", "more than"),
    (r"اقل\s+من", "fewer than"), (r"نحو|حوالي|قرابه|زهاء|ما\s+يقارب|ما\s+يناهز", "about"),
]
_COUNT_WORDS = {"عشرات": "dozens of", "مئات": "hundreds of", "الاف": "thousands of"}
# The unit word decides the English noun; the figure's kind adds "killed" / "wounded".
_NOUNS = [
    (r"^(?:مدني|مدنيا|مدنيين|مدنيون)$", "civilians"), (r"^(?:طفل|طفلا|اطفال)$", "children"),
    (r"^(?:جندي|جنديا|جنود|عسكري|عسكريا|عسكريين)$", "soldiers"), (r"^(?:مسلح|مسلحا|مسلحين|مسلحون)$", "gunmen"),
    (r"^(?:عنصر|عنصرا|عناصر|مقاتل|مقاتلا|مقاتلين|مقاتلي)$", "fighters"),
    (r"^(?:قتيل|قتيلا|قتلي)$", "dead"), (r"^(?:جريح|جريحا|جرحي|مصاب|مصابا|مصابين)$", "wounded"),
    (r"^(?:غاره|غارات|ضربه|ضربات)$", "strikes"), (r"^(?:قذيفه|قذائف|قذيفتين)$", "shells"),
    (r"^(?:صاروخ|صواريخ|صاروخا|صاروخين)$", "rockets or missiles"), (r"^(?:هجوم|هجوما|هجمات|هجمه)$", "attacks"),
    (r"^(?:اليه|اليات|عربه|عربات|مدرعه|مدرعات|دبابه|دبابات|سياره|سيارات|شاحنه|شاحنات|ناقله|ناقلات)$", "vehicles"),
]
_KIND_NOUN = {"fighters": "fighters", "people": "people", "killed": "people", "wounded": "people", "strikes": "strikes",
              "shells": "shells", "vehicles": "vehicles", "attacks": "attacks"}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def english_figure(kind: str, text: str) -> str:
    """A quoted figure in English: ``("fighters", "أكثر من 400 عنصر")`` -> ``more than 400 fighters`` (pure)."""
    folded = fold(text)[0].translate(_DIGITS)
    qualifier = next((en for rx, en in _QUALIFIERS if re.search(rf"(?<![^\W_])(?:{rx})(?![^\W_])", folded)), "")
    number = re.search(NUMBER, folded)
    count = number.group().replace(",", ".") if number else next((en for w, en in _COUNT_WORDS.items() if w in folded), "")
    unit = folded.split()[-1] if folded.split() else ""
    unit = re.sub(r"^(?:[وفب]?(?:ال)?)", "", unit) if not re.match(r"^(?:ال)", unit) else unit[2:]
    noun = next((en for rx, en in _NOUNS if re.match(rx, unit)), _KIND_NOUN.get(kind, kind))
    if kind == "killed" and noun not in ("dead",):
        noun = f"{noun} killed"
    elif kind == "wounded" and noun != "wounded":
        noun = f"{noun} wounded"
    return " ".join(p for p in (qualifier, count, noun) if p)


def _date_en(event: Event) -> str:
    """The event's date in English words, 'reported ...' when it is the report's date; '' when unknown."""
    if not event.date or event.date_precision == "unknown":
        return ""
    parts = event.date.split("-")
    try:
        if event.date_precision == "day" and len(parts) == 3:
            words = f"{int(parts[2])} {calendar.month_name[int(parts[1])]} {parts[0]}"
        elif event.date_precision == "month" and len(parts) >= 2:
            words = f"{calendar.month_name[int(parts[1])]} {parts[0]}"
        else:
            words = parts[0]
    except (ValueError, IndexError):
        return ""
    return f"reported {words}" if event.date_source == "article" else words


def _names(actors: list[dict]) -> str:
    names = [a["name_en"] for a in actors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def site_en(text: str) -> str:
    """A site the gazetteer does not know, for an English line: as written, and the likely Latin spelling of its
    name (rag.romanise; the class word «قرية», «بلدة» left out): ``«قرية كمروك» (romanised: Kamrouk)`` (pure but for
    the romaniser's cache). The Arabic stays: the romanised form is a likely spelling, not a gazetteer name."""
    words = text.split()
    first = fold_letters(words[0]) if words else ""
    is_class = any(k in SITE_CLASS for k in (first, first.lstrip("وف"), bare(first)))  # «بلدة»: its ب is no prefix
    name = " ".join(words[1:]) if len(words) > 1 and is_class else text
    latin = romanise(name)
    return f"«{text}» (romanised: {latin})" if latin else f"«{text}»"


def gist_line(event: Event | dict) -> str:
    """One English line for an event (no citation mark): act, who, where, when, figures (pure).

    Every name is the English gazetteer name of an actor or place the event's sentence names; every
    number is one of the sentence's figures.
    """
    e = event if isinstance(event, Event) else Event.from_dict(event)
    label = TYPES.get(e.type, e.type)
    line = label[:1].upper() + label[1:]
    by_role = {role: [a for a in e.actors if a.get("role", "actor") == role] for role in ("actor", "target", "supporter")}
    if by_role["actor"]:
        line += f" by {_names(by_role['actor'])}"
    if by_role["target"]:
        line += f" against {_names(by_role['target'])}"
    if by_role["supporter"]:
        line += f" backed by {_names(by_role['supporter'])}"
    # a site as the article writes it, then the gazetteer place: "at «تل الحارة» (romanised: Tal al-Hara) in Golan
    # Heights (Quneitra)"
    where = place_line(e.to_dict(), lambda loc: loc["name_en"], lambda gov: f"({gov})", empty="", site=lambda _: "")
    where = where.replace(", (", " (")
    if e.site:
        line += f" at {site_en(e.site)}" + (f" in {where}" if where else "")
    elif where:
        line += f" in {where}"
    when = _date_en(e)
    if when:
        line += f", {when}"
    figures = [english_figure(k, v) for k, v in e.figures.items()]
    if figures:
        line += ": " + "; ".join(figures)
    return line + "."


def _holder(e: Event | Names, sources: Sequence[Source]) -> Source | None:
    """The numbered source whose text holds the event's quote at its offsets."""
    c = e.citation
    for s in sources:
        if s.article_id == c.article_id and s.start <= c.start and c.end <= s.start + len(s.text) \
                and s.text[c.start - s.start:c.end - s.start] == c.quote:
            return s
    return None


def sentence_claim(line: str) -> str:
    """A gist line without the governorates the gazetteer adds in brackets ("Hamouriyah (Rif Dimashq)"): what its
    sentence must support (pure). The governorate is the gazetteer's knowledge of the place the sentence names."""
    return re.sub(r"\s*\([^()]*\)", "", line)


@dataclass(frozen=True)
class Names:
    """A quoted sentence no event glosses, and the gazetteer names it carries (a gist line of names, no act)."""

    citation: Citation
    actors: tuple[str, ...]
    places: tuple[str, ...]
    ids: frozenset[str] = frozenset()  # the gazetteer ids (and sites, as written) it names

    def line(self) -> str:
        """``Named in this passage: Faylaq al-Rahman and Hayat Tahrir al-Sham; place: Hamouriyah (Rif Dimashq).``,
        ``Places named in this passage: Daquq (Kirkuk), Kirkuk.``"""
        places = ", ".join(self.places)
        if not self.actors:
            return f"{'Places' if len(self.places) > 1 else 'Place'} named in this passage: {places}."
        line = "Named in this passage: " + _names([{"name_en": a} for a in self.actors])
        return line + (f"; {'places' if len(self.places) > 1 else 'place'}: {places}." if places else ".")


# the words that make a state's name its armed force («القوات الروسية», «الطيران الإسرائيلي»; not «روسيا», «إسرائيل»)
_ARMED = re.compile(r"قوات|القوات|جيش|الجيش|طيران|الطيران|سلاح|مقاتلات|المقاتلات|طائرات|الطائرات|حرس|الحرس")


def names_in(citation: Citation, gazetteer: Any, leave_out: Iterable[str] = ()) -> Names | None:
    """The names of the armed actors (or their states) and places a quote names, in order, but those in `leave_out`
    (gazetteer ids, sites as written: what the question or an earlier line already names); None when none is left
    (pure over the gazetteer). Actors and places the gazetteer knows are given by their English names, a place with
    its governorate when that says more ("Hamouriyah (Rif Dimashq)"); an ambiguous name is left out, as the events
    leave it. A force named by its state alone («روسيا», «النظام السوري») is given as the state ("Russia", "the
    Syrian government": a helper judged 3 of 40 names lines of dev wrong for reading a state as its army). A named
    site the gazetteer does not know («قرية كمروك», rag.events.sites) is given as written, with the likely Latin
    spelling of its name beside it (:func:`site_en`), as the event lines give it."""
    quote, leave = citation.quote, set(leave_out)
    actors: list[str] = []
    places: list[tuple[int, str]] = []
    known, ids = [], set()
    for m in gazetteer.find(quote):
        e = m.entry
        known.append((m.start, m.end))
        if e.ambiguous or e.id in leave or e.id in ids or e.type not in ("group", "force", "place"):
            continue  # (a force and its state named both: once, as first named)
        ids.add(e.id)
        if e.type == "force" and not _ARMED.search(quote[m.start:m.end]):
            if e.state:  # «الحدود مع إسرائيل», «اتفاق مع روسيا»: the state is named, not its forces
                actors.append(e.state)
        elif e.type != "place":
            actors.append(e.en)
        else:
            places.append((m.start, f"{e.en} ({e.admin})" if e.admin and e.admin != e.en else e.en))
    folded, index = fold(quote)
    for site in find_sites(folded, []):
        a, b = to_original(quote, index, site.start, site.end)
        if not any(s < b and a < e for s, e in known) and quote[a:b] not in leave:
            places.append((a, site_en(quote[a:b])))
            ids.add(quote[a:b])
    names = list(dict.fromkeys(name for _, name in sorted(places)))
    actors = list(dict.fromkeys(actors))
    return Names(citation, tuple(actors), tuple(names), frozenset(ids)) if actors or names else None


def _named_by(item: Event | Names) -> set[str]:
    """The gazetteer ids (and sites) a gist item names."""
    if isinstance(item, Names):
        return set(item.ids)
    ids = {a["id"] for a in item.actors if a.get("id")} | set(item.places)
    return ids | ({item.location["id"]} if item.location and item.location.get("id") else set()) | \
        ({item.site} if item.site else set())


def best_first(citations: Sequence[Citation], ranked: Sequence[tuple[str, int, int]]) -> list[Citation]:
    """The citations in the order the evidence was ranked, best first (pure): `ranked` lists the chosen sentences as
    (article id, start, end) in article offsets. The answer shows its quotes by report and date, not by rank; the
    gist glosses the best evidence first. A citation of no ranked sentence goes last."""
    rank = {span: i for i, span in enumerate(ranked)}
    return sorted(citations, key=lambda c: rank.get((c.article_id, c.start, c.end), len(rank)))


def glossed(citations: Sequence[Citation], events: Iterable[Event], matched: Iterable[Event] = (),
            types: Iterable[str] = (), gazetteer: Any = None, asked: Iterable[str] = ()) -> list[Event | Names]:
    """What to gloss in English, best first (pure): one item for each quote, the quotes taken in the order of
    `citations` (pass them best first: :func:`best_first`); then the quotes' other events; then the matched events no
    quote tells.

    First the acts matched to the question (its type, place or doers: rag.answering.events_hint) that a quote tells,
    the best match first, one for each quote; then the other quotes that tell an act of a type the question names
    ("captured", "strikes"), in their order; then the other quotes, each with the names it carries that neither the
    question nor an earlier line gives (:func:`names_in`, when a gazetteer is given): the English reader still learns who and where a quote names, and an act the
    question did not lead to (often a statement read as an act) is not glossed as one. An event is told by a quote
    when its sentence overlaps the quote's span in the same report.
    Chosen on the English who/where questions of dev and gist-dev and on the sample question "Which militias
    reinforced Sukhnah?" (eval/README.md, "English gist"): the order before it (the matched events the answer quotes,
    then quoted events of a type the question names, then the other matched events) named the answer in 19 of 30.
    """
    events, matched, types = list(events), list(matched), set(types)
    quotes: list[Citation] = []
    for c in citations:
        if all((c.article_id, c.start, c.end) != (q.article_id, q.start, q.end) for q in quotes):
            quotes.append(c)

    def told(c: Citation) -> list[Event]:
        """The events of the question's matches or types a quote tells, matched first, each once."""
        found = [e for e in events + matched if e.citation.article_id == c.article_id
                 and e.citation.start < c.end and c.start < e.citation.end and (e in matched or e.type in types)]
        found = [e for i, e in enumerate(found) if e not in found[:i]]  # an event both matched and of the sources
        return sorted(found, key=lambda e: e not in matched)

    items: dict[int, Event | Names] = {}  # quote index -> its line's item
    said = set(asked)  # what the question and the lines before name: a names line gives only what is new
    order: list[int] = []
    told_by = {i: told(c) for i, c in enumerate(quotes)}
    for e in matched:  # first the acts matched to the question that a quote tells, the best match first
        i = next((i for i in told_by if i not in items and e in told_by[i]), None)
        if i is not None and e not in items.values():
            items[i] = e
            order.append(i)
            said |= _named_by(e)
    for i in told_by:  # then the quotes that tell an act of a type the question names
        first = next((e for e in told_by[i] if e not in items.values()), None)
        if i not in items and first is not None:
            items[i] = first
            order.append(i)
            said |= _named_by(first)
    for i, c in enumerate(quotes):  # then the others: the names they carry
        if i in items or gazetteer is None:
            continue
        names = names_in(c, gazetteer, said)
        if names is not None:
            items[i] = names
            order.append(i)
            said |= _named_by(names)
    out: list[Event | Names] = [items[i] for i in order]
    out += [e for i in told_by for e in told_by[i] if e not in out]
    return out + [e for e in matched if e not in out]


def with_gist(answer: Any, events: Iterable[Event | Names], limit: int = MAX_LINES,
              check: Callable[[str, str], bool] = lambda line, quote: True) -> Any:
    """The answer with English gist lines first, each cited ``[n]`` to the source holding its event's sentence.

    Only events whose sentence is in a numbered source are used; repeats of a line are left out, and so is a line
    `check(line, quote)` rejects (the agent's rules check: a number or a name its sentence does not give). The events' citations join the answer's, so every face numbers them alike.
    """
    lines: list[tuple[str, int]] = []
    gist: list[dict] = []
    citations = list(answer.citations)
    for e in events:
        if len(lines) >= limit:  # a sentence referring back may name the place more closely: kept, repeats dropped
            break
        src = _holder(e, answer.sources)
        text = e.line() if isinstance(e, Names) else gist_line(e)
        if src is None or any(text == t for t, _ in lines) or not check(text, e.citation.quote):
            continue
        lines.append((text, src.n))
        c = e.citation
        gist.append({"text": text, "n": src.n, "quote": c.quote, "chunk_id": src.chunk_id, "article_id": c.article_id,
                     "start": c.start, "end": c.end, "event_id": None if isinstance(e, Names) else e.id,
                     "kind": "names" if isinstance(e, Names) else "event"})
        if not any(c.n == src.n and c.start == e.citation.start and c.end == e.citation.end for c in citations):
            citations.append(replace(e.citation, n=src.n, chunk_id=src.chunk_id))
    if not lines:
        return answer
    head = "\n".join(f"{PREFIX}{text} [{n}]" for text, n in lines)
    return replace(answer, text=f"{head}\n{answer.text}" if answer.text else head, citations=citations, gist=gist)


def gist_of(answer: Any) -> list[dict]:
    """The answer's gist entries with the citation numbers its text now carries (after renumbering)."""
    out = []
    for g in getattr(answer, "gist", None) or []:
        cite = next((c for c in answer.citations if c.article_id == g["article_id"] and c.start == g["start"]
                     and c.end == g["end"]), None)
        out.append({**g, "n": cite.n if cite else g["n"]})
    return out
