"""Event-type triggers in a sentence: which words name an act, and which of those are not events."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..dates import find_dates
from .lexicon import AIR_WORDS, DATE_WORDS, SHELLING, TARGETING, TRIGGERS, cue
from .text import TOKEN, bare, clause_words, fold, to_original

NEGATION, STILL, HABIT, HABIT_ADJ = cue("negation"), cue("still"), cue("habit"), cue("habit_adj")
NOT_SEIZED, NOT_MOVING = cue("not_seized"), cue("not_moving")
JUDGING, INTENT = cue("judging"), cue("intent")


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
    found = [Trigger(t, m.start(), m.end(), m.group()) for t, rx in TRIGGERS.items() for m in rx.finditer(folded)]
    air = bool(AIR_WORDS.search(folded))
    by_air = "airstrike" if air else "clash"
    found += [Trigger(by_air, m.start(), m.end(), m.group()) for m in SHELLING.finditer(folded)]
    targeting = [Trigger(by_air, m.start(), m.end(), m.group()) for m in TARGETING.finditer(folded)]
    found = [t for t in found + (targeting if air else []) if is_event(folded, t)]
    if not found:
        found = [t for t in targeting if is_event(folded, t)]
    return sorted(found, key=lambda t: t.start)


def is_event(folded: str, t: Trigger) -> bool:
    """False for a negated trigger, a habitual one in an undated sentence, or 'areas held by'."""
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
    if any(w in JUDGING or w in INTENT for w in words):
        return False
    # a habit ("repeatedly", "still") anywhere before the trigger, unless the sentence dates something
    everything = [bare(w) for w in TOKEN.findall(folded[:t.start])]
    habitual = any(w in HABIT or w in HABIT_ADJ or w in STILL for w in everything)
    return not (habitual and not DATE_WORDS.search(folded) and not find_dates(folded))
