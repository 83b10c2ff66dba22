"""Event-type triggers in a sentence: which words name an act, and which of those are not events."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..dates import find_dates
from .lexicon import AIR_WORDS, DATE_WORDS, NOT_AIR, REMOTE_WORDS, SHELLING, STRIKES, TARGETING, TRIGGERS, cue
from .text import TOKEN, bare, clause_words, fold, to_original

NEGATION, STILL, HABIT, HABIT_ADJ = cue("negation"), cue("still"), cue("habit"), cue("habit_adj")
NOT_SEIZED, NOT_MOVING = cue("not_seized"), cue("not_moving")
INTENT = cue("intent")
HYPOTHETICAL_BEFORE, HYPOTHETICAL_AFTER = cue("hypothetical_before"), cue("hypothetical_after")
CESSATION, MODAL, ANY = cue("cessation"), cue("modal"), cue("any")
_PRESENT = re.compile(r"^[وف]?س?[يتن]")
ACTS = ("airstrike", "shelling", "explosive", "clash")  # what was done; a killing beside one is its toll


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that names an event type, with offsets into the folded sentence."""

    type: str
    start: int
    end: int
    text: str


def find_triggers(sentence: str) -> list[Trigger]:
    """Event-type triggers in one sentence (original text), negated and habitual ones left out (pure)."""
    folded, index = fold(sentence)
    out = []
    for t in folded_triggers(folded):
        a, b = to_original(sentence, index, t.start, t.end)
        out.append(replace(t, start=a, end=b, text=sentence[a:b]))
    return out


def folded_triggers(folded: str) -> list[Trigger]:
    """Triggers on folded text, offsets into it; strong ones first, then shelling and targeting."""
    air = bool(AIR_WORDS.search(NOT_AIR.sub(" ", folded)))  # an air base or air defence is not an air strike
    remote = bool(REMOTE_WORDS.search(folded))
    # an air word makes any remote attack an air strike (missiles fired by aircraft)
    found = [Trigger("airstrike" if t == "shelling" and air else t, m.start(), m.end(), m.group())
             for t, rx in TRIGGERS.items() for m in rx.finditer(folded)]
    found += [Trigger("airstrike" if air else "shelling", m.start(), m.end(), m.group()) for m in SHELLING.finditer(folded)]
    found += [Trigger("shelling" if remote and not air else "airstrike", m.start(), m.end(), m.group())
              for m in STRIKES.finditer(folded)]
    by_means = "airstrike" if air else "shelling" if remote else "clash"
    targeting = [Trigger(by_means, m.start(), m.end(), m.group()) for m in TARGETING.finditer(folded)]
    found = [t for t in found + (targeting if air or remote else []) if is_event(folded, t)]
    if not found:
        found = [t for t in targeting if is_event(folded, t)]
    return sorted(_by_the_act(_longest(found)), key=lambda t: t.start)


def _longest(found: list[Trigger]) -> list[Trigger]:
    """Triggers not inside a longer one of another type (هجمات جوية is an air strike, not also a clash)."""
    return [t for t in found if not any(o is not t and o.type != t.type and o.start <= t.start and t.end <= o.end
                                        and o.end - o.start > t.end - t.start for o in found)]


def _by_the_act(found: list[Trigger]) -> list[Trigger]:
    """A campaign named by its act (حملة القصف, حملة غارات) is that act: the campaign word goes."""
    acts = [t for t in found if t.type in ACTS]
    return [t for t in found if not (t.type == "campaign" and any(0 <= a.start - t.end <= 5 for a in acts))]


def is_event(folded: str, t: Trigger) -> bool:
    """False for a negated, hypothetical, threatened or denied trigger, a habitual one in an undated sentence, or 'areas held by'."""
    words = [bare(w) for w in clause_words(folded, t.start, 20)]
    near = words[-4:]
    for i, w in enumerate(near):
        nxt = near[i + 1] if i + 1 < len(near) else ""
        if w in NEGATION or (w == "لا" and nxt not in STILL and nxt != "سيما"):
            return False
    if t.type == "seizure" and words and words[-1] in NOT_SEIZED:
        return False
    if t.type == "reinforcement" and words and (words[-1] in NOT_MOVING or words[-1].startswith("مواقع")):
        return False
    if any(w in INTENT for w in words) or any(w in HYPOTHETICAL_BEFORE for w in words[-6:]):
        return False
    after = TOKEN.findall(folded[t.end:])[:2]
    if any(w in HYPOTHETICAL_AFTER or bare(w) in HYPOTHETICAL_AFTER for w in after):
        return False
    if any(w in CESSATION for w in words[-2:]):  # وقف إطلاق النار, لإنهاء المعارك
        return False
    if words and words[-1] in ANY:  # أي هجوم
        return False
    if words and words[-1] in MODAL and _PRESENT.match(t.text) and words[-2:-1] not in (["قبل"], ["بعد"]):
        return False  # أن تنسحب, قد تعزز: not (yet) done; قبل أن ينسحب is done
    # a habit ("repeatedly", "still") anywhere before the trigger, unless the sentence dates something
    everything = [bare(w) for w in TOKEN.findall(folded[:t.start])]
    habitual = any(w in HABIT or w in HABIT_ADJ or w in STILL for w in everything)
    return not (habitual and not DATE_WORDS.search(folded) and not find_dates(folded))
