"""Structured events: who did what, where and when, each cited to the sentence it came from.

An :class:`Event` is one act of one type (reinforcement, clash, airstrike, explosive, withdrawal,
campaign, seizure, killing) with its actors and their roles, the most specific place named, the
figures quoted verbatim (``{"fighters": "أكثر من 400 عنصر"}``), its date and precision, and a
:class:`~rag.answering.citations.Citation` whose quote is ``article_text[start:end]``.

Extractive mode (:func:`extract_events`, pure: text + gazetteer) reads one sentence at a time:

* types from trigger words matched on :func:`rag.arabic.normalize`'d text with the attached
  prefixes و ف ب ك ل ال لل and the feminine, plural and pronoun-suffixed forms (عززت, تعزيزات,
  بتعزيزاتها, الغارات, انسحاباً); a trigger under a negation (لم, لن, ليس, عدم) or in a habitual
  clause with no date (لا يزال, يواصل, بشكل متكرر) is not an event;
* actors from gazetteer groups and forces (plus التنظيم = ISIS once the article named it,
  النظام = regime forces, روسي/روسية = Russian forces), their role from the words before them
  (ضد, مواقع, مقتل -> target; المدعومة من, التابعة ل, بمساندة -> supporter; else actor); a name
  right after سيطرة ("areas held by") is context, not a participant;
* the location: the most specific place in the event's part of the sentence (a town over a
  governorate over a region), the origin of a movement (من ... إلى) last;
* figures: a number (digits or Arabic-Indic, with أكثر من / نحو / ما لا يقل عن, or عشرات)
  followed by a unit (عنصر, غارة, آلية, ...), killed/wounded when a killing word precedes;
* the date: a date written in the sentence, else a relative one (أمس, 18 من شهر آب من العام
  الحالي) resolved against the article's date, else the article's date; a relative date with
  no known article date leaves the event's date unknown;
* a sentence that only continues the previous event of its type (وتضم التعزيزات أكثر من 400
  عنصر, هذه التعزيزات, حيث استهدف بأكثر من 12 غارة) adds its figures or a more specific place
  to that event, whose quote then spans both sentences, instead of making a new one.

LLM mode (:func:`llm_events`): the chunks of one article are sent with ``prompts/events.md``;
the JSON reply is validated with pydantic, each event's quote must be a verbatim span of the
chunk it cites and its actors, place and figures must appear in that quote, else they are
dropped. Any failure falls back to the extractive events of that article.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable, Literal, Sequence

from pydantic import BaseModel, Field, ValidationError

from .answering.citations import Citation
from .arabic import normalize
from .dates import UNKNOWN, DateInfo, find_dates, parse_record_date, resolve_relative
from .documents import Article, Chunk
from .gazetteer import Entry, Gazetteer
from .ingest.chunking import sentence_spans

__all__ = [
    "CSV_COLUMNS", "EXTRACTIVE", "FIGURE_KINDS", "ROLES", "TYPES", "TYPES_AR", "Event", "EventsLLMError", "all_events",
    "check_llm_events", "evaluate", "extract_events", "filter_events", "find_figures", "find_triggers", "fold",
    "format_chunks", "llm_events", "parse_llm_reply", "query_events", "sort_events", "to_csv", "types_block",
]

EXTRACTIVE = "extractive"
TYPES: dict[str, str] = {
    "reinforcement": "deployment or reinforcement",
    "clash": "armed clash",
    "airstrike": "air or drone strike",
    "explosive": "explosive or landmine",
    "withdrawal": "withdrawal",
    "campaign": "campaign announced",
    "seizure": "seizure or capture",
    "killing": "killing",
}
TYPES_AR: dict[str, str] = {
    "reinforcement": "تعزيزات وانتشار", "clash": "اشتباك أو هجوم", "airstrike": "غارة جوية أو بمسيّرة",
    "explosive": "عبوة ناسفة أو لغم", "withdrawal": "انسحاب", "campaign": "إعلان حملة عسكرية",
    "seizure": "سيطرة أو أسر", "killing": "قتل",
}
ROLES = ("actor", "target", "supporter")
FIGURE_KINDS = ("fighters", "vehicles", "strikes", "attacks", "killed", "wounded", "people")
# Figures an event of a type can carry (a sentence's numbers go to the events they describe).
_FIGURES_FOR = {
    "reinforcement": {"fighters", "vehicles"},
    "withdrawal": {"fighters", "vehicles"},
    "clash": {"fighters", "vehicles", "attacks", "killed", "wounded", "people"},
    "airstrike": {"strikes", "killed", "wounded"},
    "explosive": {"killed", "wounded", "vehicles"},
    "campaign": {"fighters", "vehicles", "strikes", "people"},
    "seizure": {"fighters", "vehicles", "people"},
    "killing": {"killed", "wounded", "people"},
}
_TYPE_WORDS = {  # what users may type for a type filter
    "reinforcement": "reinforcement reinforcements deployment deploy reinforce تعزيزات تعزيز انتشار",
    "clash": "clash clashes armedclash attack attacks fighting اشتباك اشتباكات هجوم هجمات",
    "airstrike": "airstrike airstrikes strike strikes airraid drone dronestrike airordronestrike غارة غارات قصف",
    "explosive": "explosive explosives ied landmine mine mines bomb explosion explosiveorlandmine عبوة لغم ألغام انفجار",
    "withdrawal": "withdrawal withdraw retreat انسحاب",
    "campaign": "campaign campaigns operation offensive sweep campaignannounced حملة عملية تمشيط",
    "seizure": "seizure capture seize arrest arrests seizureorcapture سيطرة استيلاء اعتقال",
    "killing": "killing killings killed assassination death deaths مقتل قتل اغتيال",
}

# -- folding ---------------------------------------------------------------------------------

_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+|(?<=\u0640)\\.|\\.(?=\u0640)")


def fold(text: str) -> tuple[str, list[int]]:
    """Normalised text for matching and, per character, its index in the original (pure)."""
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in [*_DROP.finditer(text), None]:
        end = m.start() if m else len(text)
        run = normalize(text[pos:end])
        if len(run) == end - pos:
            parts.append(run)
            index.extend(range(pos, end))
        else:  # a character that NFKC expands or merges: map one by one
            for i in range(pos, end):
                piece = normalize(text[i])
                parts.append(piece)
                index.extend([i] * len(piece))
        pos = m.end() if m else end
    return "".join(parts), index


# -- trigger lexicon (on folded text) -------------------------------------------------------------

_LETTERS = str.maketrans("أإآٱةىیئؤک", "ااااهيييوك")


def _ar(text: str) -> str:
    """Arabic letters folded as normalize() does, leaving regex syntax (case) alone."""
    return text.translate(_LETTERS)


_P = r"(?:[وف]?(?:[بكل]?ال|لل|[بكل])|[وف])?"  # و ف + ب ك ل + ال, or لل
_S = r"(?:هما|ها|هم|ه|نا|كم)?"  # attached pronouns
_V = r"[وف]?(?:س)?"  # before a verb: و ف and the future س
_W = r"(?:\S+\s+)"  # one word and its space

_LEXICON: dict[str, list[str]] = {
    "reinforcement": [
        rf"{_P}تعزيز(?:ات)?{_S}", rf"{_V}[يتن]?عزز(?:ت|وا|ون|ان)?{_S}",
        rf"{_P}(?:رتل|رتلا|رتلان|رتلين|ارتال){_S}",
        rf"{_P}استقدام{_S}", rf"{_V}(?:است|يست|تست|نست)قدم(?:ت|وا|ون|ان)?{_S}",
        rf"{_P}حشود{_S}", rf"{_V}(?:حشد|حشدت|حشدوا|يحشد|تحشد){_S}",
        rf"{_V}(?:نشر|نشرت|نشروا|ينشر|تنشر)\s+{_W}{{0,2}}(?:قوات|عناصر|مقاتلين|جنود|جنودا)",
        rf"{_P}(?:وصول|دخول)\s+{_W}?(?:قوات|مقاتلين)", rf"{_V}(?:وصلت|دخلت)\s+(?:ال)?قوات",
    ],
    "clash": [
        rf"{_P}اشتباك(?:ات)?{_S}", rf"{_V}(?:ا|ي|ت)شتبك(?:ت|وا|ون|ان)?",
        rf"{_P}(?:هجوم|هجوما|هجمات|هجمه|هجمتين){_S}", rf"{_V}(?:هاجم|هاجمت|هاجموا|يهاجم|تهاجم|يهاجمون){_S}",
        rf"{_P}(?:مواجهات|مواجهه|معارك|معركه){_S}", rf"{_P}(?:كمين|كمينا|كمائن){_S}",
        rf"{_P}اقتحام{_S}", rf"{_V}(?:اقتحم|اقتحمت|اقتحموا|يقتحم|تقتحم){_S}",
        rf"{_P}(?:تبادل\s+)?اطلاق\s+(?:ال)?نار",
    ],
    "airstrike": [
        rf"{_P}(?:غاره|غارات|غارتين|غارتان){_S}", rf"{_P}(?:ضربه|ضربات)\s+(?:ال)?جويه",
        rf"{_P}(?:طائره|طائرات)\s+(?:ال)?(?:مسيره|مسيرات|مسير|درون)", rf"{_P}(?:مسيرات|درون)",
    ],
    "explosive": [
        rf"{_P}(?:عبوه|عبوات)\s+(?:ال)?ناسف(?:ه)?", rf"{_P}(?:لغم|لغما|الغام){_S}", rf"{_P}ناسف(?:ه)?",
        rf"{_P}(?:انفجار|انفجارات|تفجير|تفجيرات){_S}", rf"{_V}(?:انفجر|انفجرت|تنفجر|ينفجر|فجرت|فجروا|يفجر|تفجر){_S}",
        rf"{_P}(?:مفخخه|مفخخات|انتحاري|انتحاريه){_S}",
    ],
    "withdrawal": [
        rf"{_P}(?:انسحاب|انسحابا){_S}", rf"{_V}(?:انسحب|انسحبت|انسحبوا|ينسحب|تنسحب|ينسحبون){_S}",
        rf"{_P}(?:منسحب|منسحبه|منسحبين|منسحبون)", rf"{_P}سحب{_S}", rf"{_V}(?:سحبت|سحبوا|يسحب|تسحب){_S}",
        rf"{_P}اخلاء\s+(?:ال)?(?:مواقع|نقاط|قاعده|مقرات)", rf"{_P}اعاده\s+(?:ال)?تموضع",
    ],
    "campaign": [
        rf"{_P}(?:حمله|حملات){_S}", rf"{_P}حملت(?:ها|هم)",
        rf"{_P}(?:عمليه|عمليات)\s+(?:ال)?(?:عسكريه|تمشيط|امنيه|بريه|واسعه|مشتركه)",
        rf"{_P}تمشيط{_S}", rf"{_P}(?:استعدادات|تحضيرات){_S}",
    ],
    "seizure": [
        rf"{_P}سيطر(?:ه|ت|وا)?{_S}",  # not يسيطر/تسيطر: the present says who holds a place, not who took it
        rf"{_V}(?:استولي|استولت|استولوا|يستولي|تستولي)", rf"{_P}استيلاء{_S}",
        rf"{_P}(?:اعتقال|اعتقالات){_S}", rf"{_V}(?:اعتقل|اعتقلت|اعتقلوا|يعتقل|تعتقل){_S}",
        rf"{_P}(?:اختطاف|خطف){_S}", rf"{_V}(?:اختطف|اختطفت|اختطفوا|خطفت|يختطف){_S}",
    ],
    "killing": [
        rf"{_P}مقتل{_S}", rf"{_P}(?:قتلي|قتيل|قتيلا|قتيلان|قتيلين)", rf"{_P}قتل(?:ت|وا)?{_S}",
        rf"{_V}(?:يقتل|تقتل|يقتلون){_S}", rf"{_P}(?:اغتيال|اغتيالات){_S}",
        rf"{_V}(?:اغتال|اغتالت|اغتالوا|يغتال|تغتال){_S}", rf"{_P}مصرع{_S}",
        rf"{_P}(?:اعدام|اعدامات){_S}", rf"{_V}(?:اعدم|اعدمت|اعدموا)", rf"{_P}تصفيه{_S}",
        rf"(?:لقي|لقيت|لقوا)\s+{_W}?حتف",
    ],
}
# Shelling (قصف) is an airstrike with an air word in the sentence, else a clash; a bare
# "targeting" (استهداف) counts only when the sentence has no other trigger.
_SHELLING = rf"{_P}(?:قصف|قصفا){_S}|{_V}(?:قصفت|قصفوا|يقصف|تقصف){_S}"
_TARGETING = rf"{_P}استهداف{_S}|{_V}(?:استهدف|استهدفت|استهدفوا|يستهدف|تستهدف|يستهدفون|مستهدفا|مستهدفه){_S}"
_AIR = re.compile(_ar(r"طيران|سلاح\s+الجو|مقاتلات|مروحي|طائر|جوي|درون|مسيرات|غار(?:ه|ات)"))


def _words(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<![^\W_])(?:{_ar(pattern)})(?![^\W_])")


_TRIGGERS = {t: _words("|".join(ps)) for t, ps in _LEXICON.items()}
_SHELLING_RE, _TARGETING_RE = _words(_SHELLING), _words(_TARGETING)
_TOKEN = re.compile(r"[^\W_]+")
_CLAUSE_END = re.compile(r"[،,؛;:.!?؟()]")
_PREFIX = re.compile(r"^(?:[وف](?=\w{2}))?(?:(?:[بكل]?ال|لل)(?=\w{2})|[بكل](?=\w{3}))?")
_NEGATION = {"لم", "لن", "ليس", "ليست", "عدم", "دون", "بدون", "لما"}
_STILL = {"يزال", "تزال", "زال", "زالت", "يزالون"}
_HABIT = {"يواصل", "تواصل", "يواصلون", "واصل", "واصلت", "باستمرار"}
_HABIT_ADJ = {"متكرر", "مستمر", "متواصل", "دوري", "يومي"}
_NOT_SEIZED = {"مناطق", "منطقه", "تحت", "خطوط", "خاضعه", "نفوذ", "مواقع", "مساحه", "مساحات"}
_DEMONSTRATIVES = {_ar(w) for w in ("هذه", "هذا", "تلك", "ذلك", "هذان", "هاتين", "هذين", "هؤلاء")}
_CONTINUE_OPENERS = {"حيث", "وتضم", "وتشمل", "وتتالف", "وتتكون", "وضمت", "وشملت", "وبلغ", "وبلغت"}
_JUDGING = {"قلل", "قللت", "يقلل", "تقلل", "حد"}  # "played down", "limit" (الحد من الهجمات)
_INTENT = {_ar(w) for w in ("تهدف", "يهدف", "تسعى", "يسعى", "بهدف", "المقرر", "مقرر", "نية", "تعتزم", "يعتزم")}
_NOT_MOVING = {"مواقع", "استهداف", "ضد", "تطال", "علي"}  # "positions and convoys of" are targets, not arrivals
_DATE_WORDS = re.compile(r"(?<![^\W_])(?:[وف]?(?:ب|ل)?(?:امس|اليوم|البارحه|اخرها|تاريخ|بتاريخ))(?![^\W_])")


def _bare(word: str) -> str:
    """A folded word without its attached prefixes (و ف ب ك ل ال لل)."""
    return _PREFIX.sub("", word)


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that names an event type, with offsets into the folded sentence."""

    type: str
    start: int
    end: int
    text: str


def _orig(text: str, index: list[int], a: int, b: int) -> tuple[int, int]:
    """Original offsets of folded [a, b), with the marks that follow the last letter (عنصراً)."""
    start, end = index[a], index[b - 1] + 1
    while end < len(text) and _DROP.match(text, end) and text[end] != ".":
        end += 1
    return start, end


def find_triggers(sentence: str) -> list[Trigger]:
    """Event-type triggers in one sentence (original text), negated and habitual ones left out (pure)."""
    folded, index = fold(sentence)
    out = []
    for t in _folded_triggers(folded):
        a, b = _orig(sentence, index, t.start, t.end)
        out.append(replace(t, start=a, end=b, text=sentence[a:b]))
    return out


def _folded_triggers(folded: str) -> list[Trigger]:
    """Triggers on folded text, offsets into it; strong ones first, then shelling and targeting."""
    found = [Trigger(t, m.start(), m.end(), m.group()) for t, rx in _TRIGGERS.items() for m in rx.finditer(folded)]
    air = bool(_AIR.search(folded))
    found += [Trigger("airstrike" if air else "clash", m.start(), m.end(), m.group()) for m in _SHELLING_RE.finditer(folded)]
    targeting = [Trigger("airstrike" if air else "clash", m.start(), m.end(), m.group()) for m in _TARGETING_RE.finditer(folded)]
    found = [t for t in found + (targeting if air else []) if _is_event(folded, t)]
    if not found:
        found = [t for t in targeting if _is_event(folded, t)]
    return sorted(found, key=lambda t: t.start)


def _clause_words(folded: str, pos: int, n: int) -> list[str]:
    """Up to n folded words before pos, nearest last, not crossing punctuation."""
    head = folded[:pos]
    cut = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    return _TOKEN.findall(head[cut:])[-n:]


def _is_event(folded: str, t: Trigger) -> bool:
    """False for a negated trigger, a habitual one in an undated sentence, or 'areas held by'."""
    bare = [_bare(w) for w in _clause_words(folded, t.start, 20)]
    for i, w in enumerate(bare[-4:]):
        nxt = bare[-4:][i + 1] if i + 1 < len(bare[-4:]) else ""
        if w in _NEGATION or (w == "لا" and nxt not in _STILL and nxt != "سيما"):
            return False
    if t.type == "seizure" and bare and bare[-1] in _NOT_SEIZED:
        return False
    if t.type == "reinforcement" and bare and (bare[-1] in _NOT_MOVING or bare[-1].startswith("مواقع")):
        return False
    if any(w in _JUDGING or w in _INTENT for w in bare):
        return False
    # a habit ("repeatedly", "still") anywhere before the trigger, unless the sentence dates something
    everything = [_bare(w) for w in _TOKEN.findall(folded[:t.start])]
    habitual = any(w in _HABIT or w in _HABIT_ADJ or (w in _STILL) for w in everything)
    return not (habitual and not _DATE_WORDS.search(folded) and not find_dates(folded))


# -- entities and roles ---------------------------------------------------------------------------

_TARGET_CUES = {"ضد", "استهداف", "استهدف", "استهدفت", "يستهدف", "تستهدف", "مستهدفا", "مستهدفه", "مواقع", "موقع",
                "نقاط", "نقطه", "تحركات", "ثكنات", "مقرات", "مقر", "خلايا", "تطال", "انتشار", "مناطق", "قصف",
                "مقتل", "قتلي", "مصرع", "اغتيال", "تدمير", "اعطاب", "حساب"}
_ATTACK_NOUNS = {"هجوم", "هجوما", "هجمات", "هجماته", "هجماتها", "غارات", "غاره", "ضربات", "كمين", "قصف", "اعتداء"}
_VICTIM_CUES = {_ar(w) for w in ("عنصرا", "عنصر", "عناصر", "ضابط", "ضباط", "جنود", "جندي", "قائد", "قادة", "قتل")}
_SUPPORT_CUES = {"مدعوم", "مدعومه", "دعم", "مسانده", "مسنوده", "اسناد", "تابع", "تابعه", "تابعين", "تابعتين",
                 "موالي", "مواليه", "موالين", "برفقه", "بالتعاون", "تعاون", "تدعمها", "يدعمها", "داعم", "داعمه", "غطاء",
                 "بمشارکه", "مشاركه"}
_CONTEXT_CUES = {"سيطره", "سيطرتها", "سيطرته", "سيطرتهم", "لمنصه", "منصه", "شبكه", "صحيفه", "وكاله", "قناه"}
# Words that name a known actor without a gazetteer name: (folded regex, entry id, needs a prior name)
_GENERIC = [
    (r"(?:[وف]?(?:[بكل]?ال|لل))تنظيم", "group:isis", True),
    (r"(?:[وف]?(?:[بكل]?ال|لل))نظام", "force:regime-forces", False),
    (r"(?:[وف]?(?:[بكل]?ال|لل))?(?:روسي|روسيه|روس)", "force:russian-forces", False),
    (r"(?:[وف]?(?:[بكل]?ال|لل))?(?:ايراني|ايرانيه)", "force:iranian-forces", False),
    (r"(?:[وف]?(?:[بكل]?ال|لل))?(?:امريكي|امريكيه|اميركي|اميركيه)", "force:us-forces", False),
    (r"(?:[وف]?(?:[بكل]?ال|لل))?(?:تركي|تركيه)", "force:turkish-forces", False),
]
_GENERIC_RE = [(_words(p), eid, prior) for p, eid, prior in _GENERIC]


@dataclass(frozen=True)
class _Found:
    entry: Entry
    start: int  # in the original sentence
    end: int
    fstart: int  # in the folded sentence
    fend: int
    context: bool  # 'areas held by X', a media outlet: not a participant


def _mentions(sentence: str, folded: str, index: list[int], gaz: Gazetteer, isis_named: bool) -> list[_Found]:
    """Gazetteer names and generic actor words in a sentence, in order."""
    back = {orig: i for i, orig in reversed(list(enumerate(index)))}
    found = []
    for m in gaz.find_arabic(sentence):
        found.append((m.entry, m.start, m.end, back.get(m.start, 0)))
    taken = [(s, e) for _, s, e, _ in found]
    ends = {orig: i + 1 for i, orig in enumerate(index)}
    for rx, eid, prior in _GENERIC_RE:
        entry = gaz.get(eid)
        if entry is None or (prior and not isis_named):
            continue
        for m in rx.finditer(folded):
            s, e = index[m.start()], index[m.end() - 1] + 1
            if all(e <= a or s >= b for a, b in taken):
                found.append((entry, s, e, m.start()))
                taken.append((s, e))
    out = []
    for entry, s, e, fs in sorted(found, key=lambda f: f[1]):
        prev = [_bare(w) for w in _clause_words(folded, fs, 1)]
        out.append(_Found(entry, s, e, fs, ends.get(e - 1, fs), bool(prev) and prev[-1] in _CONTEXT_CUES))
    return out


def _role(folded: str, f: _Found, etype: str) -> str:
    """actor, target or supporter, from the words before the mention."""
    words = _clause_words(folded, f.fstart, 8)
    bare = [_bare(w) for w in words[-5:]]
    if bare[-2:] == ["من", "قبل"] or (bare and bare[-1] in ("بواسطه", "يد")):
        return "actor"
    if "علي" in bare and any(_bare(w) in _ATTACK_NOUNS for w in words):
        return "target"
    killed = etype == "killing" or any(w in _KILL_CUES for w in bare)
    if any(w in _TARGET_CUES for w in bare) or (killed and any(w in _VICTIM_CUES for w in bare[-3:])):
        return "target"
    if any(w in _SUPPORT_CUES for w in bare):
        return "supporter"
    return "actor"


def _level(entry: Entry) -> int:
    """How specific a place is: 0 region or country, 1 governorate (or its capital), 2 town or site."""
    if not entry.admin:
        return 0
    return 1 if normalize(entry.en) == normalize(entry.admin) else 2


# -- figures ---------------------------------------------------------------------------------

_UNITS = {
    "fighters": "عنصر عنصرا عناصر مقاتل مقاتلا مقاتلين مقاتلي جندي جنديا جنود عسكري عسكريا عسكريين مسلح مسلحا "
                "مسلحين مسلحون",
    "people": "شخص شخصا اشخاص مدني مدنيا مدنيين",
    "killed": "قتيل قتيلا قتلي",
    "wounded": "جريح جريحا جرحي مصاب مصابا مصابين",
    "strikes": "غاره غارات ضربه ضربات",
    "vehicles": "اليه اليات عربه عربات مدرعه مدرعات دبابه دبابات سياره سيارات شاحنه شاحنات ناقله ناقلات",
    "attacks": "هجوم هجوما هجمات هجمه",
}
_UNIT_OF = {w: k for k, ws in _UNITS.items() for w in ws.split()}
_QUAL = (r"(?:اكثر|اقل|ازيد)\s+من|نحو|حوالي|قرابه|زهاء|ما\s+(?:لا\s+)?(?:يقل|يزيد)\s+(?:عن|علي)|ما\s+يقارب|"
         r"ما\s+يناهز|اكثر\s+من|يزيد\s+عن")
_FIGURE = re.compile(_ar(
    rf"(?<![^\W_])[وفب]?(?:(?P<q>{_QUAL})\s+)?(?:(?P<n>\d+(?:[.,]\d+)?)\s*(?:من\s+(?:ال)?)?|(?P<w>عشرات|مئات|الاف)\s+(?:ال)?)"
    rf"(?P<u>{'|'.join(sorted(_UNIT_OF, key=len, reverse=True))})(?![^\W_])"))
_KILL_CUES = {"مقتل", "قتلي", "قتل", "مصرع", "حصيله", "حتف", "اعدام", "تصفيه"}
_WOUND_CUES = {"اصابه", "جرح", "جرحي", "اصابات", "اصيب"}


def find_figures(sentence: str) -> dict[str, str]:
    """Numbers with a unit in a sentence, verbatim, by kind (fighters, strikes, killed, ...) (pure)."""
    folded, index = fold(sentence)
    out: dict[str, str] = {}
    for m in _FIGURE.finditer(folded):
        kind = _UNIT_OF[m["u"]]
        if kind in ("fighters", "people"):  # the nearest killing or wounding word before the number decides
            for w in reversed([_bare(w) for w in _TOKEN.findall(folded[:m.start()])[-8:]]):
                if w in _KILL_CUES or w in _WOUND_CUES:
                    kind = "killed" if w in _KILL_CUES else "wounded"
                    break
        start = m.start("q") if m["q"] else m.start("n") if m["n"] else m.start("w")
        a, b = _orig(sentence, index, start, m.end())
        text = sentence[a:b]
        if kind not in out or (m["n"] and not re.search(r"\d", fold(out[kind])[0])):
            out[kind] = text
    return out


# -- the event record ---------------------------------------------------------------------------


@dataclass
class Event:
    """One cited event: who did what (type), where and when, with verbatim figures."""

    date: str | None
    date_precision: str
    type: str
    actors: list[dict]
    location: dict | None
    figures: dict[str, str]
    citation: Citation
    date_source: str = "unknown"  # sentence, relative, article or unknown
    places: list[str] = field(default_factory=list)  # every place id the quote names
    operation: dict | None = None
    trigger: str = ""
    mode: str = EXTRACTIVE

    @property
    def id(self) -> str:
        """Stable id: article, quote span and type."""
        return f"{self.citation.article_id}:{self.citation.start}-{self.citation.end}:{self.type}"

    @property
    def start_date(self) -> date | None:
        """First day the event's date covers (None when unknown)."""
        return _span(self.date, self.date_precision)[0]

    @property
    def end_date(self) -> date | None:
        """Last day the event's date covers (None when unknown)."""
        return _span(self.date, self.date_precision)[1]

    def to_dict(self) -> dict:
        """JSON-ready dict (the shape `rag events --json` prints)."""
        return {
            "id": self.id, "date": self.date, "date_precision": self.date_precision, "date_source": self.date_source,
            "type": self.type, "type_label": TYPES.get(self.type, self.type), "actors": [dict(a) for a in self.actors],
            "location": dict(self.location) if self.location else None, "places": list(self.places),
            "figures": dict(self.figures), "operation": dict(self.operation) if self.operation else None,
            "trigger": self.trigger, "mode": self.mode, "citation": self.citation.to_dict(),
        }


def _span(iso: str | None, precision: str) -> tuple[date | None, date | None]:
    if not iso or precision == "unknown":
        return None, None
    info = parse_record_date(iso)
    return info.start, info.end


ROLE_LABELS = (("target", "against"), ("supporter", "backed by"))  # how renderers introduce non-actor roles


def actors_line(d: dict, name, label=lambda text: f"{text}:") -> str:
    """An event dict's actors for display: the doers, then 'against:' the targets and 'backed by:' the supporters.

    `name(actor dict)` and `label(text)` format the parts (plain text, or HTML in the UI); '—' when there are none.
    """
    by_role: dict[str, list[str]] = {}
    for a in d.get("actors") or []:
        by_role.setdefault(a.get("role", "actor"), []).append(name(a))
    parts = [", ".join(by_role.get("actor", [])), *(f"{label(text)} {', '.join(by_role[role])}" for role, text in ROLE_LABELS if role in by_role)]
    return "; ".join(p for p in parts if p) or "—"


def place_line(d: dict, name, admin=lambda text: text, empty: str = "—") -> str:
    """An event dict's place for display: its name, then its governorate when that says more; `empty` when unplaced."""
    loc = d.get("location") or {}
    if not loc:
        return empty
    governorate = loc.get("admin")
    return name(loc) + (f", {admin(governorate)}" if governorate and governorate != loc.get("name_en") else "")


def _actor(entry: Entry, role: str) -> dict:
    return {"id": entry.id, "name_en": entry.en, "name_ar": entry.ar, "role": role}


def _place(entry: Entry) -> dict:
    return {"id": entry.id, "name_en": entry.en, "name_ar": entry.ar, "lat": entry.lat, "lon": entry.lon,
            "admin": entry.admin}


# -- extraction --------------------------------------------------------------------------------


@dataclass
class _Sentence:
    chunk: Chunk
    start: int  # article offsets
    end: int
    text: str
    folded: str
    index: list[int]
    mentions: list[_Found] = field(default_factory=list)


def extract_events(source: str | Article | Iterable[Chunk], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Events of a text, an Article or the chunks of any articles, one or more per sentence (pure)."""
    gaz = gazetteer or Gazetteer.load()
    out: list[Event] = []
    for chunks in _by_article(_as_chunks(source)).values():
        out.extend(_article_events(chunks, gaz))
    return out


def _as_chunks(source) -> list[Chunk]:
    if isinstance(source, str):
        return [Chunk("text#000", "text", source, 0, len(source), {})]
    if isinstance(source, Article):
        return [Chunk(f"{source.id}#000", source.id, source.text, 0, len(source.text), source.metadata())]
    return list(source)


def _by_article(chunks: Iterable[Chunk]) -> dict[str, list[Chunk]]:
    out: dict[str, list[Chunk]] = {}
    for c in chunks:
        out.setdefault(c.article_id, []).append(c)
    return {a: sorted(cs, key=lambda c: (c.start, -c.end)) for a, cs in sorted(out.items())}


def _sentences(chunks: list[Chunk]) -> list[_Sentence]:
    """The article's sentences once each, in order, with the first chunk that holds each."""
    out, covered = [], -1
    for c in chunks:
        for s, e in sentence_spans(c.text):
            if c.start + s < covered:
                continue
            folded, index = fold(c.text[s:e])
            out.append(_Sentence(c, c.start + s, c.start + e, c.text[s:e], folded, index))
            covered = c.start + e
    return out


def _headline_end(chunks: list[Chunk]) -> int:
    """End of the title line at the top of the article (its events are told again in the body), else 0."""
    first = chunks[0] if chunks else None
    title = (first.meta.get("title", "") if first else "").strip()
    if not title or first.start != 0 or not first.text.startswith(title):
        return 0
    return 0 if title.endswith(".") and len(title) > 120 else len(title)  # a lead sentence used as title


def _article_events(chunks: list[Chunk], gaz: Gazetteer) -> list[Event]:
    """Events of one article's chunks."""
    sentences = _sentences(chunks)
    isis = False
    for s in sentences:
        s.mentions = _mentions(s.text, s.folded, s.index, gaz, isis)
        isis = isis or any(m.entry.id == "group:isis" for m in s.mentions)
    meta = chunks[0].meta if chunks else {}
    anchor = parse_record_date(meta.get("date")) if meta.get("date") else UNKNOWN
    headline = _headline_end(chunks)
    events: list[tuple[int, Event]] = []  # (sentence number, event)
    for i, s in enumerate(sentences):
        if s.end <= headline:
            continue
        named = [m for m in s.mentions if m.entry.type != "operation"]
        triggers = [t for t in _folded_triggers(s.folded) if not _inside_name(s.folded, t, named)]
        triggers += _operation_triggers(s)
        firsts: dict[str, Trigger] = {}
        for t in triggers:
            firsts.setdefault(t.type, t)
        order = sorted(firsts.values(), key=lambda t: t.start)
        for k, t in enumerate(order):
            window = (order[k - 1].end if k else 0, order[k + 1].start if k + 1 < len(order) else len(s.folded))
            event = _make_event(s, t, window, triggers, anchor)
            if _continues(s, t, event, i, events, chunks):
                continue
            events.append((i, event))
    return [e for _, e in events]


def _operation_triggers(s: _Sentence) -> list[Trigger]:
    """A named operation after عملية (عملية "الصحراء البيضاء") announces a campaign."""
    out = []
    for m in s.mentions:
        if m.entry.type != "operation":
            continue
        prev = [_bare(w) for w in _TOKEN.findall(s.folded[:m.fstart])[-1:]]
        name = s.folded[m.fstart:m.fend]
        if prev == ["عمليه"] or name.startswith("عمليه") or re.match(r"[وفب]?(?:ال)?عمليه", name):
            t = Trigger("campaign", m.fstart, m.fend, name)
            if _is_event(s.folded, t):
                out.append(t)
    return out


def _inside_name(folded: str, t: Trigger, mentions: list[_Found]) -> bool:
    """A trigger inside a name (الحشد الشعبي) or a unit's suffix (الفيلق الخامس - اقتحام)."""
    for m in mentions:
        if m.fstart < t.end and t.start < m.fend:
            return True
        if m.entry.type == "group" and t.text == "اقتحام" and re.fullmatch(r"[\s\-–—\"“”]*", folded[m.fend:t.start]):
            return True
    return False


def _make_event(s: _Sentence, t: Trigger, window: tuple[int, int], triggers: list[Trigger], anchor: DateInfo) -> Event:
    participants = [m for m in s.mentions if m.entry.type in ("group", "force") and not m.context]
    inside = [m for m in participants if window[0] <= m.fstart < window[1]]
    if inside and all(_role(s.folded, m, t.type) != "actor" for m in inside):
        # the doer was named before this part of the sentence ("... بعد استقدامها تعزيزات")
        ids = {m.entry.id for m in inside}
        doers = [m for m in participants
                 if m.fstart < window[0] and m.entry.id not in ids and _role(s.folded, m, t.type) == "actor"]
        inside = doers[-1:] + inside
    actors, seen = [], set()
    for m in inside or participants:
        if m.entry.id not in seen:
            seen.add(m.entry.id)
            actors.append(_actor(m.entry, _role(s.folded, m, t.type)))
    places = [m for m in s.mentions if m.entry.type == "place" and not m.context]
    location = _choose_place(s, places, t, window[1])
    operation = next((m.entry for m in s.mentions if m.entry.type == "operation"), None)
    figures = {k: v for k, v in find_figures(s.text).items() if k in _FIGURES_FOR[t.type]}
    when, how = _event_date(s, t, window, triggers, anchor)
    c = s.chunk
    a, b = s.start - c.start, s.end - c.start
    citation = Citation(
        n=1, chunk_id=c.id, article_id=c.article_id, title=c.meta.get("title", ""), source=c.meta.get("source", ""),
        date=c.meta.get("date", ""), quote=c.text[a:b], start=s.start, end=s.end, url=c.meta.get("url", ""),
        date_precision=c.meta.get("date_precision", "unknown"),
    )
    return Event(
        date=when.iso(), date_precision=when.precision if when.iso() else "unknown", type=t.type, actors=actors,
        location=_place(location) if location else None, figures=figures, citation=citation, date_source=how,
        places=list(dict.fromkeys(m.entry.id for m in places)),
        operation={"id": operation.id, "name_en": operation.en, "name_ar": operation.ar}
        if operation is not None and t.type in ("campaign", "clash") else None,
        trigger=s.text[slice(*_orig(s.text, s.index, t.start, t.end))],
    )


def _choose_place(s: _Sentence, places: list[_Found], t: Trigger, scope_end: int) -> Entry | None:
    """The most specific place of the event's part of the sentence; a movement's origin last."""
    if not places:
        return None
    scoped = [m for m in places if t.start <= m.fstart < scope_end]
    if not scoped:
        before = [m for m in places if m.fstart < t.start]
        scoped = before[-1:] if before else places
    heading = re.search(r"(?<![^\W_])(?:الي|نحو|باتجاه|صوب)(?![^\W_])", s.folded) is not None

    def rank(m: _Found) -> tuple[int, int]:
        prev = [_bare(w) for w in _clause_words(s.folded, m.fstart, 2)]
        origin = t.type == "reinforcement" and heading and "من" in prev[-2:] and not (prev and prev[-1] in ("الي", "نحو"))
        return (-1 if origin else _level(m.entry), -m.fstart)

    return max(scoped, key=rank).entry


def _clauses(folded: str) -> list[tuple[int, int]]:
    """(start, end) of the comma-separated clauses of a folded sentence."""
    cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(folded)] + [len(folded)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _event_date(s: _Sentence, t: Trigger, window: tuple[int, int], triggers: list[Trigger],
                anchor: DateInfo) -> tuple[DateInfo, str]:
    """A date written near the trigger, else a relative one against the article date, else the article's.

    Near: in the trigger's clause, or in a clause of its part of the sentence that holds no other trigger.
    """
    own = [(a, b) for a, b in _clauses(s.folded) if a <= t.start < b]
    others = [(a, b) for a, b in _clauses(s.folded) if (a, b) not in own and a < window[1] and b > window[0]
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


def _continues(s: _Sentence, t: Trigger, event: Event, i: int, events: list[tuple[int, Event]], chunks) -> bool:
    """Fold a sentence that only continues an earlier event of its type into it; True when folded."""
    prev = next((e for j, e in reversed(events) if i - j <= 3 and e.type == event.type), None)
    if prev is None:
        return False
    words = _TOKEN.findall(s.folded)
    tpos = len(_TOKEN.findall(s.folded[:t.start]))
    definite = bool(re.match(r"^(?:[وف]?(?:[بكل]?ال|لل))", t.text))
    before = _clause_words(s.folded, t.start, 2)
    own = {a["id"] for a in event.actors if a["role"] == "actor"}
    known = {a["id"] for a in prev.actors}
    if before and before[-1] in _DEMONSTRATIVES:
        pass  # "these reinforcements"
    elif words and words[0] in _CONTINUE_OPENERS and not own - known:
        pass  # "which include", "whereby"
    elif definite and (tpos < 3 or not own):
        pass  # "the campaign", "the withdrawn vehicles"
    else:
        return False
    _absorb(prev, event, s, chunks)
    return True


def _absorb(prev: Event, new: Event, s: _Sentence, chunks: list[Chunk]) -> None:
    """Add a continuing sentence's figures (and a more specific place) to an event, widening its quote."""
    figures = {k: v for k, v in new.figures.items()
               if k not in prev.figures or (re.search(r"\d", fold(v)[0]) and not re.search(r"\d", fold(prev.figures[k])[0]))}
    better = bool(new.location) and _level_of(new.location) == 2 and (not prev.location or _level_of(prev.location) == 0)
    if not figures and not better:
        return
    c = next((c for c in chunks if c.start <= prev.citation.start and s.end <= c.end), None)
    if c is None:
        return
    prev.figures.update(figures)
    if better:
        prev.location = new.location
    prev.places = list(dict.fromkeys(prev.places + new.places))
    known = {a["id"] for a in prev.actors}
    prev.actors.extend(a for a in new.actors if a["id"] not in known)
    cite = prev.citation
    prev.citation = replace(cite, chunk_id=c.id, quote=c.text[cite.start - c.start:s.end - c.start], end=s.end)


def _level_of(place: dict) -> int:
    if not place.get("admin"):
        return 0
    return 1 if normalize(place["name_en"]) == normalize(place["admin"]) else 2


# -- LLM mode ----------------------------------------------------------------------------------


class LLMActor(BaseModel):
    """An actor as the LLM names it."""

    name: str
    role: Literal["actor", "target", "supporter"] = "actor"


class LLMEvent(BaseModel):
    """One event as the LLM returns it (checked against its quote before use)."""

    source: int
    quote: str
    type: str
    actors: list[LLMActor] = Field(default_factory=list)
    location: str | None = None
    figures: dict[str, str] = Field(default_factory=dict)


class LLMEvents(BaseModel):
    """The whole JSON reply."""

    events: list[LLMEvent] = Field(default_factory=list)


class EventsLLMError(ValueError):
    """The LLM's events reply is not the JSON the prompt asks for."""


def types_block() -> str:
    """The type list for the prompt: id, meaning and example Arabic words."""
    examples = {
        "reinforcement": "تعزيزات، رتل، أرتال، عززت، استقدام", "clash": "اشتباكات، هجوم، هجمات، كمين",
        "airstrike": "غارة، غارات، ضربة جوية، قصف جوي، طائرة مسيرة", "explosive": "عبوة ناسفة، لغم، ألغام، انفجار",
        "withdrawal": "انسحاب، سحب آليات", "campaign": "حملة عسكرية، عملية عسكرية، عملية تمشيط",
        "seizure": "سيطرة، استولى، اعتقال", "killing": "مقتل، قتلى، اغتيال",
    }
    return "\n".join(f"- {t}: {label} ({examples[t]})" for t, label in TYPES.items())


def format_chunks(chunks: Sequence[Chunk]) -> str:
    """Numbered chunks as delimited, untrusted data for the events prompt (pure)."""
    from .answering.chain import mask_instructions
    from .answering.safety import fence

    blocks = []
    for n, c in enumerate(chunks, 1):
        title = (c.meta.get("title", "") or "").replace('"', "'")
        blocks.append(f'<source n="{n}" date="{c.meta.get("date") or "unknown"}" title="{title}">\n'
                      f"{fence(mask_instructions(c.text))}\n</source>")
    return "\n".join(blocks)


def parse_llm_reply(reply: str) -> LLMEvents:
    """The JSON object in an LLM reply (code fences allowed), validated; EventsLLMError otherwise (pure)."""
    text = reply.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if fenced:
        text = fenced.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise EventsLLMError("the LLM's reply holds no JSON object")
    try:
        return LLMEvents.model_validate(json.loads(text[start:end + 1]))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise EventsLLMError(f"the LLM's reply is not valid events JSON: {str(exc)[:200]}") from exc


def check_llm_events(parsed: LLMEvents, chunks: Sequence[Chunk], gaz: Gazetteer, mode: str) -> list[Event]:
    """LLM events whose quote is a verbatim span of the cited chunk, keeping only actors, place and figures in it (pure)."""
    out = []
    anchor = parse_record_date(chunks[0].meta.get("date")) if chunks and chunks[0].meta.get("date") else UNKNOWN
    for item in parsed.events:
        etype = _type_id(item.type)
        if etype is None or not 1 <= item.source <= len(chunks):
            continue
        c = chunks[item.source - 1]
        quote = item.quote.strip().strip("«»\"“”'")
        at = c.text.find(quote) if quote else -1
        if at < 0:
            continue
        folded, index = fold(quote)
        named = {m.entry.id: m.entry for m in _mentions(quote, folded, index, gaz, True)}
        actors, seen = [], set()
        for a in item.actors:
            entry = _named_entry(a.name, gaz, named, ("group", "force"))
            if entry is not None and entry.id not in seen:
                seen.add(entry.id)
                actors.append(_actor(entry, a.role))
        place = _named_entry(item.location, gaz, named, ("place",)) if item.location else None
        if not actors and place is None:
            continue
        figures = {k: v.strip() for k, v in item.figures.items()
                   if k in FIGURE_KINDS and v.strip() and fold(v.strip())[0] in folded}
        s = _Sentence(c, c.start + at, c.start + at + len(quote), quote, folded, index)
        trig = Trigger(etype, 0, max(1, len(folded)), "")
        when, how = _event_date(s, trig, (0, len(folded)), [trig], anchor)
        citation = Citation(
            n=1, chunk_id=c.id, article_id=c.article_id, title=c.meta.get("title", ""), source=c.meta.get("source", ""),
            date=c.meta.get("date", ""), quote=quote, start=c.start + at, end=c.start + at + len(quote),
            url=c.meta.get("url", ""), date_precision=c.meta.get("date_precision", "unknown"),
        )
        out.append(Event(
            date=when.iso(), date_precision=when.precision if when.iso() else "unknown", type=etype, actors=actors,
            location=_place(place) if place else None, figures=figures, citation=citation, date_source=how,
            places=[e.id for e in named.values() if e.type == "place"], mode=mode,
        ))
    return out


def _named_entry(name: str | None, gaz: Gazetteer, named: dict[str, Entry], types: tuple[str, ...]) -> Entry | None:
    """The gazetteer entry an LLM-given name (or id) stands for, when the quote itself names it."""
    if not name or not name.strip():
        return None
    entry = gaz.get(name.strip())
    if entry is None:
        found = [m.entry for m in gaz.find(name) if m.entry.type in types]
        entry = found[0] if found else None
    return entry if entry is not None and entry.type in types and entry.id in named else None


def llm_events(chunks: Sequence[Chunk], llm, gaz: Gazetteer, mode: str) -> list[Event]:
    """Events of one article's chunks by the LLM, checked against their quotes; raises on failure."""
    from .prompts import load_prompt

    message = (load_prompt("events") | llm).invoke({"sources": format_chunks(chunks), "types": types_block()})
    content = message.content if isinstance(message.content, str) else str(message.content)
    return check_llm_events(parse_llm_reply(content), chunks, gaz, mode)


# -- querying ----------------------------------------------------------------------------------

_MAX_LLM_CHUNKS = 12


def all_events(agent, *, mode: str | None = None) -> tuple[list[Event], list[str]]:
    """Every event of the indexed chunks (cached per store state) and any LLM warnings."""
    use_llm = agent.llm is not None and mode != EXTRACTIVE
    key = (agent.store.version(), use_llm, id(agent.gazetteer))  # the index version: any write refreshes it
    cache = getattr(agent, "_events_cache", None)
    if cache and cache[0] == key:
        return cache[1], cache[2]
    if not use_llm:  # extracted once at ingest and stored (rag/events_store.py); older indexes extract here
        from .events_store import all_stored

        stored = all_stored(agent.store, agent.gazetteer)
        if stored is not None:
            agent._events_cache = (key, stored, [])
            return stored, []
    chunks = agent.store.all_chunks()
    events, warnings = [], []
    for article_id, cs in _by_article(chunks).items():
        if use_llm:
            try:
                from . import llm as llm_mod

                label = llm_mod.label(agent.settings.llm)
                found = []
                for k in range(0, len(cs), _MAX_LLM_CHUNKS):
                    found.extend(llm_events(cs[k:k + _MAX_LLM_CHUNKS], agent.llm, agent.gazetteer, label))
                events.extend(found)
                continue
            except Exception as exc:  # any LLM fault: this article's extractive events instead
                warnings.append(f"{article_id}: LLM events failed ({exc.__class__.__name__}: {str(exc)[:120]}); "
                                "extractive events used")
        events.extend(_article_events(cs, agent.gazetteer))
    events = sort_events(events)
    agent._events_cache = (key, events, warnings)
    return events, warnings


def query_events(agent, since: date | None = None, until: date | None = None, actor: str | None = None,
                 place: str | None = None, type: str | None = None, *, mode: str | None = None) -> list[Event]:
    """Events of the index matching the filters, sorted by date (unknown dates last)."""
    events, _ = all_events(agent, mode=mode)
    return filter_events(events, agent.gazetteer, since=since, until=until, actor=actor, place=place, type=type)


def sort_events(events: Iterable[Event]) -> list[Event]:
    """By date (unknown last), then article and position."""
    return sorted(events, key=lambda e: (e.start_date is None, e.start_date or date.max, e.citation.article_id,
                                         e.citation.start, list(TYPES).index(e.type) if e.type in TYPES else 99))


def _type_id(value: str) -> str | None:
    key = re.sub(r"[\s_\-/]+", "", normalize(value))
    for t, words in _TYPE_WORDS.items():
        if key == t or key in {re.sub(r"[\s_\-/]+", "", normalize(w)) for w in words.split()}:
            return t
    return None


def _entries_named(query: str, gaz: Gazetteer, types: tuple[str, ...]) -> set[str]:
    """Ids of the entries a user's filter text names (id, any name or alias, either language)."""
    q = query.strip()
    if gaz.get(q) is not None:
        return {q}
    ids = {m.entry.id for m in gaz.find(q) if m.entry.type in types}
    if ids:
        return ids
    key = fold(q)[0].replace("-", " ").strip()
    for e in gaz.entries:
        if e.type in types and any(key and key == fold(n)[0].replace("-", " ").strip()
                                   for n in (e.ar, e.en, *e.aliases_ar, *e.aliases_en)):
            ids.add(e.id)
    return ids


def filter_events(events: Iterable[Event], gaz: Gazetteer, since: date | None = None, until: date | None = None,
                  actor: str | None = None, place: str | None = None, type: str | None = None) -> list[Event]:
    """Events within [since, until] (unknown dates left out when either is set), of a type, actor and place."""
    out = list(events)
    if type:
        etype = _type_id(type)
        if etype is None:
            raise ValueError(f"unknown event type {type!r}; use one of: {', '.join(TYPES)}")
        out = [e for e in out if e.type == etype]
    if since or until:
        out = [e for e in out if e.start_date and (not since or e.end_date >= since) and (not until or e.start_date <= until)]
    if actor:
        ids = _entries_named(actor, gaz, ("group", "force"))
        key = fold(actor)[0].strip()
        out = [e for e in out if any(a["id"] in ids or (not ids and key in fold(a["name_en"] + " " + a["name_ar"])[0])
                                     for a in e.actors)]
    if place:
        ids = _entries_named(place, gaz, ("place",))
        admins = {normalize(gaz.get(i).admin) for i in ids if gaz.get(i) and gaz.get(i).admin and _level(gaz.get(i)) == 1}
        key = fold(place)[0].strip()

        def at(e: Event) -> bool:
            loc = e.location or {}
            if ids:
                return loc.get("id") in ids or bool(ids & set(e.places)) or normalize(loc.get("admin") or "") in admins
            return bool(loc) and key in fold(f"{loc['name_en']} {loc['name_ar']} {loc.get('admin') or ''}")[0]

        out = [e for e in out if at(e)]
    return out


# -- output ------------------------------------------------------------------------------------

CSV_COLUMNS = ["date", "date_precision", "type", "actors", "targets", "supporters", "actors_ar", "location",
               "location_ar", "lat", "lon", "admin", "figures", "article_id", "source", "chunk_id", "start", "end", "quote"]


def to_csv(rows: Iterable[Event | dict]) -> str:
    """Events (or their dicts) as CSV text, one row per event, Arabic kept as UTF-8."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        d = row.to_dict() if isinstance(row, Event) else row
        loc, cite = d.get("location") or {}, d.get("citation") or {}

        def names(role: str, lang: str = "name_en") -> str:
            return "; ".join(a[lang] for a in d.get("actors", []) if a.get("role") == role)

        writer.writerow({
            "date": d.get("date") or "", "date_precision": d.get("date_precision", ""), "type": d.get("type", ""),
            "actors": names("actor"), "targets": names("target"), "supporters": names("supporter"),
            "actors_ar": "; ".join(a["name_ar"] for a in d.get("actors", [])),
            "location": loc.get("name_en", ""), "location_ar": loc.get("name_ar", ""),
            "lat": "" if loc.get("lat") is None else loc["lat"], "lon": "" if loc.get("lon") is None else loc["lon"],
            "admin": loc.get("admin") or "", "figures": "; ".join(f"{k}: {v}" for k, v in (d.get("figures") or {}).items()),
            "article_id": cite.get("article_id", ""), "source": cite.get("source", ""), "chunk_id": cite.get("chunk_id", ""),
            "start": cite.get("start", ""), "end": cite.get("end", ""), "quote": cite.get("quote", ""),
        })
    return buf.getvalue()


# -- evaluation against hand annotation -----------------------------------------------------------


def _find_span(text: str, sentence: str) -> tuple[int, int] | None:
    at = text.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    folded, index = fold(text)
    key = fold(sentence)[0]
    at = folded.find(key)
    return (index[at], index[at + len(key) - 1] + 1) if at >= 0 and key else None


def _digits(value: str) -> list[str]:
    return re.findall(r"\d+", fold(value)[0])


def evaluate(events: Sequence[Event], gold: Sequence[dict], texts: dict[str, str]) -> dict:
    """Precision and recall of events against annotated rows (see eval/events_seeds.jsonl), plus field accuracy (pure).

    A predicted event matches an annotated one of the same article and type when its quote overlaps
    the annotated sentence or one of its context sentences; each annotation matches once, further
    predictions on it count as false positives. Only articles with annotations are scored.
    """
    spans = []
    for g in gold:
        text = texts.get(g["article_id"], "")
        main = _find_span(text, g["sentence"])
        if main is None:
            raise ValueError(f"{g['article_id']}: annotated sentence not in the article text: {g['sentence'][:60]!r}")
        spans.append([main] + [sp for c in g.get("context", []) if (sp := _find_span(text, c))])
    scored = [e for e in events if e.citation.article_id in {g["article_id"] for g in gold}]
    matched: dict[int, Event] = {}
    false_pos = []
    for e in sorted(scored, key=lambda e: e.citation.start):
        c = e.citation
        hits = [i for i, g in enumerate(gold) if g["article_id"] == c.article_id and g["type"] == e.type
                and i not in matched and any(c.start < b and a < c.end for a, b in spans[i])]
        main = [i for i in hits if c.start < spans[i][0][1] and spans[i][0][0] < c.end]
        if hits:
            matched[(main or hits)[0]] = e
        else:
            false_pos.append(e)
    tp, n_pred, n_gold = len(matched), len(scored), len(gold)
    p, r = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
    act_tp = act_pred = act_gold = roles_ok = roles_n = loc_ok = fig_ok = fig_n = date_ok = 0
    for i, e in matched.items():
        g = gold[i]
        pred = {a["id"]: a["role"] for a in e.actors}
        act_tp += len(set(pred) & set(g["actors"]))
        act_pred += len(pred)
        act_gold += len(g["actors"])
        for aid, role in g.get("roles", {}).items():
            if aid in pred:
                roles_n += 1
                roles_ok += pred[aid] == role
        loc_ok += (e.location or {}).get("id") == g.get("location")
        for kind, value in g.get("figures", {}).items():
            fig_n += 1
            fig_ok += _digits(e.figures.get(kind, "")) == _digits(value)
        date_ok += (e.date or None) == g.get("date")
    per_type = {}
    for t in TYPES:
        g_t = sum(1 for g in gold if g["type"] == t)
        p_t = sum(1 for e in scored if e.type == t)
        tp_t = sum(1 for i in matched if gold[i]["type"] == t)
        per_type[t] = {"gold": g_t, "predicted": p_t, "matched": tp_t}
    return {
        "gold": n_gold, "predicted": n_pred, "matched": tp,
        "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "actor_precision": round(act_tp / act_pred, 3) if act_pred else 0.0,
        "actor_recall": round(act_tp / act_gold, 3) if act_gold else 0.0,
        "role_accuracy": round(roles_ok / roles_n, 3) if roles_n else 0.0,
        "location_accuracy": round(loc_ok / tp, 3) if tp else 0.0,
        "figure_recall": round(fig_ok / fig_n, 3) if fig_n else 0.0,
        "date_accuracy": round(date_ok / tp, 3) if tp else 0.0,
        "per_type": per_type,
        "missed": [gold[i] for i in range(n_gold) if i not in matched],
        "false_positives": false_pos,
    }
