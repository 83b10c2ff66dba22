"""Event-type triggers in a sentence: which words name an act, and which of those are not events."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..dates import find_dates
from .lexicon import (
    AIR_WORDS,
    ARMED_TRIGGERS,
    ARMED_WORDS,
    DATE_WORDS,
    NOT_AIR,
    REMOTE_WORDS,
    SHELLING,
    STRIKES,
    TARGETING,
    TRIGGERS,
    cue,
)
from .text import CLAUSE_END, TOKEN, bare, clause_words, fold, to_original

NEGATION, STILL, HABIT, HABIT_ADJ = cue("negation"), cue("still"), cue("habit"), cue("habit_adj")
NOT_SEIZED, NOT_MOVING = cue("not_seized"), cue("not_moving")
INTENT, DEMONSTRATIVES = cue("intent"), cue("demonstratives")
HYPOTHETICAL_BEFORE, HYPOTHETICAL_AFTER = cue("hypothetical_before"), cue("hypothetical_after")
CESSATION, MODAL, ANY = cue("cessation"), cue("modal"), cue("any")
HABIT_AFTER, NOT_EXPLOSION_AFTER, BACK_NOUNS = cue("habit_after"), cue("not_explosion_after"), cue("back_nouns")
OBLIGATION_AFTER, LEAD_THREATS, MANNER_BEFORE = cue("obligation_after"), cue("lead_threats"), cue("manner_before")
TARGETING_WORDS = frozenset({"استهداف", "استهدف", "استهدفت", "يستهدف", "تستهدف", "استهدفوا"})
AGGREGATE, PLAN_NOUNS = cue("aggregate_periods"), cue("plan_nouns")
PROTEST, VERDICT, LEAD_EXPECTED = cue("protest_words"), cue("verdict_words"), cue("lead_expected")
_PRESENT = re.compile(r"^[وف]?س?[يتن]")
HARMED = cue("kill_cues") | cue("wound_cues")  # the dead or wounded named: «targeting» alone then tells an act
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
    found += [Trigger(t, m.start(), m.end(), m.group()) for t, rx in ARMED_TRIGGERS.items()
              for m in rx.finditer(folded) if armed_near(folded, m.start(), m.end())]
    found = [by_weapon(folded, t, air) for t in found]
    by_means = "airstrike" if air else "shelling" if remote else "clash"
    targeting = [Trigger(by_means, m.start(), m.end(), m.group()) for m in TARGETING.finditer(folded)]
    found = [t for t in found + (targeting if air or remote else []) if is_event(folded, t)]
    if not found and (ARMED_WORDS.search(folded) or remote or any(bare(w) in HARMED for w in TOKEN.findall(folded))):
        found = [t for t in targeting if is_event(folded, t)]
    return sorted(_taking(folded, _aims(folded, _by_the_act(_longest(found)))), key=lambda t: t.start)


def _aims(folded: str, found: list[Trigger]) -> list[Trigger]:
    """A taking named as an aim is not a taking: "to take" with the purpose ل (لاستعادة, للسيطرة; not after "was
    subjected to", تعرض ل) and a taking right after a campaign word ("حملة استعادة الرقة", "حملة التحالف لاستعادة"):
    the campaign is the event."""
    campaigns = [c for c in found if c.type == "campaign"]

    def aim(t: Trigger) -> bool:
        if t.type != "seizure":
            return False
        word = TOKEN.findall(t.text)[0].lstrip("وف")
        rest = "ال" + word[2:] if word.startswith("لل") else word[1:] if word.startswith("ل") else ""
        before = TOKEN.findall(folded[:t.start])[-2:]
        if rest and any_trigger(rest) and not any(bare(w).startswith(("تعرض", "يتعرض", "تتعرض")) for w in before):
            return True
        return any(c.end <= t.start and len(TOKEN.findall(folded[c.end:t.start])) <= 2 for c in campaigns)

    return [t for t in found if not aim(t)]


def _threatened(folded: str, t: Trigger, words: list[str]) -> bool:
    """The object of the warning, threat or denial that leads the sentence ("حذر وزير ...، الثلاثاء، واشنطن من
    استهداف", "وهددت تركيا ... بمهاجمة"), even past a comma; "حذرت صحيفة من أن آلاف المسلحين انتشروا" tells
    a fact. Dev: 1 false positive gone (a second threat sentence is caught by other rules); no event lost."""
    lead = [w for w in TOKEN.findall(folded)[:3]]
    but = {"لكن", "ولكن", "لكنه", "لكنها", "الا"} & set(TOKEN.findall(folded[:t.start]))
    if any(w in LEAD_EXPECTED or bare(w) in LEAD_EXPECTED for w in lead) and not but:
        return True  # "ومن المتوقع أن يشن النظام، مدعوما بغطاء جوي، معارك": expected, not done ("... لكن" is)
    if not any(w in LEAD_THREATS or bare(w) in LEAD_THREATS for w in lead[:2]):
        return False
    return words[-1:] == ["من"] or re.match(r"^[وف]?ب", t.text) is not None


def _taking(folded: str, found: list[Trigger]) -> list[Trigger]:
    """Taking a place is typed by the taking (ACLED: territory regained or overtaken): a clash in the same
    clause as a seizure ("اقتحمت ... وتمكنت من السيطرة"), or any act "in" or "amid" which it happened ("في
    هجوم", "وسط قصف", "في معارك") is the manner of the seizure, not an event of its own; armed men entering
    a place "in an attack" took it. Dev, rule left out: 1 event fewer, 10 false positives more."""
    entry = [t for t in found if t.type == "reinforcement" and TOKEN.findall(t.text)[0].lstrip("وف") in ("دخلت", "دخلوا")]
    manner = [t for t in found if t.type in ACTS and any(w in MANNER_BEFORE or bare(w) in MANNER_BEFORE
                                                         for w in clause_words(folded, t.start, 1))]
    if entry and any(t.type == "clash" for t in manner):
        found = [replace(t, type="seizure") if t in entry else t for t in found]
    seizures = [t for t in found if t.type == "seizure"]
    if not seizures:
        return found
    def same_clause(t: Trigger) -> bool:
        return any(not CLAUSE_END.search(folded[min(t.end, z.end):max(t.start, z.start)]) for z in seizures)
    kept = [t for t in found if not (t.type in ACTS and (t in manner or (t.type == "clash" and same_clause(t))))]
    if len(kept) < len(found):  # the dead of that fighting are the seizure's toll
        kept = [t for t in kept if t.type != "killing"]
    return kept


def armed_near(folded: str, start: int, end: int, n: int = 8) -> bool:
    """True when armed men (forces, fighters, a faction) are named within n words either side of [start, end):
    "دخلت" or "خروج" is an act of armed men, not of buses or a hospital "out of service". The armed triggers
    (lexicon.json `armed_triggers`) find 9 dev events for 1 false positive."""
    before, after = TOKEN.findall(folded[:start])[-n:], TOKEN.findall(folded[end:])[:n]
    return bool(ARMED_WORDS.search(" ".join(before + after)))


def clause_at(folded: str, t: Trigger) -> str:
    """The comma-separated clause of a folded sentence that holds a trigger."""
    a = max((m.end() for m in CLAUSE_END.finditer(folded[:t.start])), default=0)
    cut = CLAUSE_END.search(folded, t.end)
    return folded[a:cut.start() if cut else len(folded)]


def words_after(folded: str, t: Trigger, n: int) -> list[str]:
    """Up to n folded words after a trigger, not crossing punctuation."""
    tail = folded[t.end:]
    cut = CLAUSE_END.search(tail)
    return TOKEN.findall(tail[:cut.start()] if cut else tail)[:n]


def by_weapon(folded: str, t: Trigger, air: bool) -> Trigger:
    """A ground attack (هجوم) whose next words name a remote weapon is typed by it: "هجوم لقوات النظام بغاز
    الكلور" is shelling (an air strike with an air word). Dev: 1 event found, 1 false positive gone."""
    if t.type != "clash" or bare(TOKEN.findall(t.text)[-1]) not in BACK_NOUNS:
        return t
    if REMOTE_WORDS.search(" ".join(words_after(folded, t, 6))):
        return replace(t, type="airstrike" if air else "shelling")
    return t


def is_future(t: Trigger) -> bool:
    """A verb trigger in the future (سينسحب, ستقصف, سنقتل): the same verb without its س prefix is a trigger."""
    word = TOKEN.findall(t.text)[0]
    word = word[1:] if word[:1] in "وف" and len(word) > 3 else word
    if len(word) <= 3 or word[0] != "س" or word[1] not in "يتنا":
        return False
    return any(any_trigger(p + word[2:]) for p in "يت")


def any_trigger(word: str) -> bool:
    """True when a folded word is a trigger of some type on its own."""
    return any(rx.fullmatch(word) for rx in (*TRIGGERS.values(), SHELLING, STRIKES, TARGETING, *ARMED_TRIGGERS.values()))


def _longest(found: list[Trigger]) -> list[Trigger]:
    """Triggers not inside a longer one of another type (هجمات جوية is an air strike, not also a clash)."""
    return [t for t in found if not any(o is not t and o.type != t.type and o.start <= t.start and t.end <= o.end
                                        and o.end - o.start > t.end - t.start for o in found)]


def _by_the_act(found: list[Trigger]) -> list[Trigger]:
    """A campaign named by its act (حملة القصف, حملة غارات) is that act: the campaign word goes."""
    acts = [t for t in found if t.type in ACTS]
    return [t for t in found if not (t.type == "campaign" and any(0 <= a.start - t.end <= 5 for a in acts))]


CONTRAST = ("غير", "الا", "بيد")  # followed by أن (انه, انها, ...), or لكن (لكنه, لكنها, ...) alone


def after_contrast(words: list[str]) -> list[str]:
    """The bare words after the last "but" (غير أن, إلا أن, لكن) among them, else all: a habit or a span of years
    told before "but" is not the act after it ("تحاصر ... منذ سنوات غير أنها استعادت ...")."""
    cut = 0
    for i, w in enumerate(words):
        if w.startswith("لكن") and len(w) <= 6:
            cut = i + 1
        elif w in CONTRAST and i + 1 < len(words) and re.fullmatch(r"ان(?:ه|ها|هم|هما|نا)?", words[i + 1]):
            cut = i + 2
    return words[cut:]


_PRONOUN = re.compile(r"(?:هما|هم|ها|كم|نا)$")  # not ه: folded text writes ة as ه ("حالة" is not "حال" + ه)


def unsuffixed(word: str) -> str:
    """A bare word without an attached plural or feminine pronoun when three letters stay ("يمكنهم" -> "يمكن")."""
    stem = _PRONOUN.sub("", word)
    return stem if len(stem) >= 3 else word


def is_event(folded: str, t: Trigger) -> bool:
    """False for a negated, hypothetical, threatened or denied trigger, a habitual one in an undated sentence, or 'areas held by'."""
    raw = clause_words(folded, t.start, 20)
    words = [bare(w) for w in raw]
    near = words[-4:]
    either = set(raw) | set(words)  # a cue word as written or without its prefixes (بغرض, وقف)
    for i, w in enumerate(near):
        nxt = near[i + 1] if i + 1 < len(near) else ""
        if w in NEGATION or (w == "لا" and nxt not in STILL and nxt != "سيما"):
            return False
    if t.type == "seizure" and words and words[-1] in NOT_SEIZED:
        return False
    if t.type == "reinforcement" and words and (words[-1] in NOT_MOVING or words[-1].startswith("مواقع")):
        return False
    if either & INTENT or any(w in HYPOTHETICAL_BEFORE or r in HYPOTHETICAL_BEFORE or unsuffixed(w) in HYPOTHETICAL_BEFORE
                              for w, r in zip(words[-6:], raw[-6:])):
        return False
    scope = after_contrast(words)
    if any(w in AGGREGATE and any(p in ("في", "خلال", "منذ") for p in scope[max(0, i - 3):i]) for i, w in enumerate(scope)):
        return False  # "في السنوات الأخيرة", "منذ سبع سنوات": a tally over years, not one act
    after = words_after(folded, t, 4)
    if any(w in HYPOTHETICAL_AFTER or bare(w) in HYPOTHETICAL_AFTER for w in after):
        return False  # "هجوم الحكومة السورية المتوقع", "المقتل الجماعي للمدنيين المزعوم": up to 4 words after
    if any(w in HABIT_AFTER or bare(w) in HABIT_AFTER for w in after[:3]):
        return False  # "هجمات متكررة", "يوميا"; dev: 2 false positives gone, no event lost
    if t.type == "explosive" and any(w in NOT_EXPLOSION_AFTER or bare(w) in NOT_EXPLOSION_AFTER for w in after[:2]):
        return False  # "تفجر الصراع": the conflict broke out
    if is_future(t) or any(w[:1] in "و" and is_future(Trigger(t.type, 0, 0, w)) for w in after[:3]):
        return False  # "سينسحب"; "قتلنا وسنقتل" is a claim, not an act (dev: 4 false positives gone, no event lost)
    if any(w in CESSATION or bare(w) in CESSATION for w in raw[-2:]):  # وقف إطلاق النار, لإنهاء المعارك
        return False
    if _threatened(folded, t, words):
        return False
    clause = {bare(w) for w in TOKEN.findall(clause_at(folded, t))} | set(TOKEN.findall(clause_at(folded, t)))
    if clause & PROTEST:  # protests and riots are not conflict acts (eval/README.md, "Not annotated")
        return False
    if t.type == "killing" and any(w in VERDICT or r in VERDICT for w, r in zip(words[-4:], raw[-4:])):
        return False  # "حكمت ... بالإعدام": a court's sentence, not a killing
    if words[-2:-1] == ["مثل"] and words[-1] in DEMONSTRATIVES:  # "مثل هذا الهجوم": such an attack
        return False
    if t.type == "reinforcement" and any(w in TARGETING_WORDS for w in words[-8:]):
        return False  # "استهدفت ضربات جوية ... رتلا": the convoy was the target
    if any(w in OBLIGATION_AFTER or bare(w) in OBLIGATION_AFTER for w in words_after(folded, t, 10)):
        return False  # "انسحاب كل القوات ... ينبغي أن يتم": called for, not done
    if words and words[-1] in PLAN_NOUNS:  # "اتفاق لإجلاء", "خطة انسحاب": agreed or planned, not done
        return False
    if words and words[-1] in ANY:  # أي هجوم
        return False
    if words and words[-1] in MODAL and _PRESENT.match(t.text) and words[-2:-1] not in (["قبل"], ["بعد"]):
        return False  # أن تنسحب, قد تعزز: not (yet) done; قبل أن ينسحب is done
    # a habit ("repeatedly", "still") anywhere before the trigger, unless the sentence dates something
    everything = after_contrast([bare(w) for w in TOKEN.findall(folded[:t.start])])
    habitual = any(w in HABIT or w in HABIT_ADJ or w in STILL for w in everything)
    return not (habitual and not DATE_WORDS.search(folded) and not find_dates(folded))
