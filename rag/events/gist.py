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
from dataclasses import replace
from typing import Any

from ..citation import Citation, Source
from ..numbers import NUMBER
from .lexicon import TYPES
from .model import Event, place_line
from .text import fold

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
    where = place_line(e.to_dict(), lambda loc: loc["name_en"], lambda gov: f"({gov})", empty="")
    if where:  # a site as the article writes it: "at «تل الحارة» in Golan Heights (Quneitra)"
        where = where.replace(', (', ' (')
        line += f" at {where.replace('», ', '» in ', 1)}" if e.site else f" in {where}"
    when = _date_en(e)
    if when:
        line += f", {when}"
    figures = [english_figure(k, v) for k, v in e.figures.items()]
    if figures:
        line += ": " + "; ".join(figures)
    return line + "."


def _holder(e: Event, sources: Sequence[Source]) -> Source | None:
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


def glossed(citations: Sequence[Citation], events: Iterable[Event], matched: Iterable[Event] = (),
            types: Iterable[str] = ()) -> list[Event]:
    """The events to gloss in English, best first (pure):

    1. the events matched to the question whose sentence the answer quotes, in the order of its citations;
    2. the other events a quoted sentence tells, of a type the question names ("captured", "strikes"), in citation
       order: a question answered by "the forces took «تل الحارة»" gets that seizure's line even when its facets
       matched the Golan;
    3. the other matched events, in their order.
    Dev gist questions: 3 of 6 with the matched events alone; 4 with the order 1, 3, 2; 5 with this order
    (eval/README.md, "English gist").

    An event is told by a quoted sentence when its sentence overlaps a citation's span in the same report.
    """
    events, matched, types = list(events), list(matched), set(types)

    def quoted(e: Event) -> int:
        """The number of the first citation whose span the event's sentence overlaps, else -1."""
        q = e.citation
        return next((i for i, c in enumerate(citations)
                     if q.article_id == c.article_id and q.start < c.end and c.start < q.end), -1)

    order = {id(e): quoted(e) for e in events + matched}
    first = sorted((e for e in matched if order[id(e)] >= 0), key=lambda e: order[id(e)])
    second = sorted((e for e in events if order[id(e)] >= 0 and e.type in types and e not in matched),
                    key=lambda e: order[id(e)])
    third = [e for e in matched if order[id(e)] < 0]
    out: list[Event] = []
    for e in first + second + third:
        if e not in out:
            out.append(e)
    return out


def with_gist(answer: Any, events: Iterable[Event], limit: int = MAX_LINES,
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
        text = gist_line(e)
        if src is None or any(text == t for t, _ in lines) or not check(text, e.citation.quote):
            continue
        lines.append((text, src.n))
        c = e.citation
        gist.append({"text": text, "n": src.n, "quote": c.quote, "chunk_id": src.chunk_id, "article_id": c.article_id,
                     "start": c.start, "end": c.end, "event_id": e.id})
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
