"""What a count question counts, and whether a sentence gives that count (pure).

"How many missiles struck the base?" is not answered by a sentence that says seventy people died there, nor
"كم شخصاً قتلوا في قصف ... بأكثر من 100 صاروخ؟" by the hundred missiles the question itself names. A count
question asks for a number of some kind (`CountAsk.kind`: fighters, people, killed, wounded, strikes, shells,
aircraft, vehicles, attacks, or unknown), and a toll question ("killed", «قتلى», «ضحايا») asks for deaths. A
number in a sentence counts the kind of the noun after it ("7 صواريخ", «ثلاثين مسلحا», «عشرات الجرحى»); the
nouns are data (rag/data/counts.json). A number the question itself gives is not an answer to it.

The extractive abstention rule (`rag.answering.extractive.answer_type_missing`) asks `gives_count` of each
candidate sentence. Measured on eval dev (eval/README.md, 2026-12-05): it refuses four more of dev's nine
unanswerable count questions and none of its 26 answerable ones, nor any of ant's or the seeds'. Whose number it is
(civilians or fighters, a toll or a headcount, another armed group's men, a measure rather than a count) was
added later the same day: one more of dev's count unanswerables and two of dev-extra's refused, no answerable
question of dev, dev-extra, ant or seeds.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import arabic
from ..numbers import find_quantities, has_number
from ..resources import data_file

_HOW_MANY_EN = re.compile(r"\bhow\s+many\s+((?:[\w'’-]+\s+){0,6})", re.I)
_HOW_MANY_AR = re.compile(r"(?<!\w)كم\s+(?:عدد\s+)?(?:من\s+)?(\S+)")  # the counted noun follows «كم» at once
_WORD = re.compile(r"[^\W\d_]+")
_SKIP = frozenset({"من", "ال"})  # «30 من العناصر»: the noun is the word after «من»
_CLITICS = ("وال", "بال", "لل", "ال", "و", "ب", "ل")

# Words of killing and dying, on normalised text, as words with their clitics (not substrings: «توفير» is not
# «توفي», «معلومات» is not «مات»).
_TOLL_EN = re.compile(r"\b(?:killed|kill|dead|deaths?|death toll|casualties|died|lost their lives|fatalities)\b", re.I)
_TOLL_AR = re.compile(
    r"(?<!\w)(?:[وفبل]|ال|وال|بال|لل|فال)?(?:قتل\w*|قتيل\w*|مقتل\w*|اقتل\w*|مصرع\w*|حصيل\w*|ضحايا|قضي|قضوا|حتفهم|حتفه"
    r"|مات|ماتت|ماتوا|موت|وفاه|وفاته|وفيات|توفي|توفيت|توفوا)(?!\w)"
)


@dataclass(frozen=True)
class CountAsk:
    """What a count question asks for: the kind counted (None when its noun is not a known kind), whether it asks
    for deaths, and the numbers it gives itself (which cannot be its answer)."""

    kind: str | None
    toll: bool
    given: frozenset[float]


@functools.cache
def _lexicon() -> tuple[dict[str, str], frozenset[str], dict[str, str], frozenset[str], frozenset[str]]:
    """(noun -> kind, the kinds that count persons, kind -> English label, the kinds that are units of measure, the
    kinds only a number of their own answers) from rag/data/counts.json, Arabic nouns normalised."""
    raw = json.loads(data_file("counts.json").read_text(encoding="utf-8"))
    unit_of: dict[str, str] = {}
    labels = {kind: words["label"] for kind, words in raw["kinds"].items()}
    for kind, words in raw["kinds"].items():
        for w in words["en"]:
            unit_of[w.lower()] = kind
        for w in words["ar"]:
            unit_of[arabic.normalize(w)] = kind
    return unit_of, frozenset(raw["persons"]), labels, frozenset(raw["units"]), frozenset(raw.get("subsets", ()))


def label(kind: str) -> str:
    """A kind as a reason says it: 'missiles or shells'."""
    return _lexicon()[2][kind]


def says_toll(text: str) -> bool:
    """Whether an Arabic text speaks of killing or dying (pure)."""
    return bool(_TOLL_AR.search(arabic.normalize(text)))


def asks_toll(question: str) -> bool:
    """Whether a question asks about deaths, in either language (pure)."""
    return bool(_TOLL_EN.search(question)) or says_toll(question)


def _kind_of(word: str) -> str | None:
    """The kind a noun counts, with its clitics taken off (normalised Arabic or lower-case English)."""
    unit_of = _lexicon()[0]
    if word in unit_of:
        return unit_of[word]
    for clitic in _CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 3 and word[len(clitic):] in unit_of:
            return unit_of[word[len(clitic):]]
    return None


def asked_count(question: str) -> CountAsk:
    """What a count question counts (pure): the first known noun after "how many" (up to six words on, past
    adjectives and names: "how many Russian and Syrian aircraft") or the word right after «كم» / «كم عدد» / «كم من» (Arabic puts the counted noun there: «كم صاروخاً»; «كم استغرقت
    الضربات» asks how long, not how many strikes)."""
    folded = arabic.normalize(question)
    kind = None
    m = _HOW_MANY_EN.search(folded) or _HOW_MANY_AR.search(folded)
    if m:
        kind = next((k for w in _WORD.findall(m.group(1)) if (k := _kind_of(w))), None)
    given = frozenset(q.value for q in find_quantities(folded))
    return CountAsk(kind, asks_toll(question), given)


@dataclass(frozen=True)
class Counted:
    """One number of a sentence: the kind of the noun after it (None: not a known noun), whether a word of killing
    stands right before it or after its noun («قتل 36 شخصا», «36 قتيلا»: a toll), and the words after the noun."""

    kind: str | None
    toll: bool
    after: str


def counts_in(sentence: str, given: frozenset[float] = frozenset()) -> list[Counted]:
    """The numbers of a sentence with what each counts, numbers in `given` left out (pure).

    «ليل الاثنين» is Monday, not two (`rag.numbers.find_quantities` reads numbers; a weekday is not one)."""
    folded = arabic.normalize(sentence)
    out: list[Counted] = []
    noun_end = -1  # the end of the last number's noun: «69 بالمئة» is no second number (a hundred)
    for q in find_quantities(folded):
        if q.value in given or _WEEKDAY.fullmatch(q.text) or q.start < noun_end:
            continue
        tail = folded[q.end:q.end + 80]
        after = [w for w in _WORD.findall(tail)[:3] if w not in _SKIP]
        kind = _kind_of(after[0]) if after else None
        if after:
            noun_end = q.end + tail.find(after[0]) + len(after[0])
        before = " ".join(_WORD.findall(folded[max(0, q.start - 40):q.start])[-3:])
        toll = kind == "killed" or bool(_TOLL_AR.search(before)) or bool(_TOLL_AR.search(" ".join(_WORD.findall(tail)[1:3])))
        out.append(Counted(kind, toll, tail))
    return out


def counted(sentence: str, given: frozenset[float] = frozenset()) -> list[str | None]:
    """The kind each number of a sentence counts (None: no known noun after it), numbers in `given` left out (pure)."""
    return [c.kind for c in counts_in(sentence, given)]


_WEEKDAY = re.compile(r"[وب]?ال(?:اثنين|اثنان)")


def gives_count(ask: CountAsk, sentence: str, foreign: Callable[[str], bool] | None = None) -> bool:
    """Whether a sentence gives a number of what the question counts (pure).

    A toll needs a word of killing or dying and a number of persons or of no known kind («ارتفعت الحصيلة إلى
    127»), not only a number of missiles or of wounded. Persons are fighters, civilians (children, women) or
    people: a question counting civilians is not answered by a number of fighters («عشرات الإرهابيين»), nor one
    counting fighters by a number of civilians, children or women; a number of people (or of dead) answers either.
    One counting children or women (counts.json `subsets`) is answered only by a number of them. One counting
    strikes, missiles, aircraft, vehicles or attacks is answered by a number of that kind; one whose noun is
    unknown ("families", "experts") by any number that is not a measure (kilometres, percent, dollars, days).
    `foreign(words)`, when given, says whether the words after a number name someone other than the question
    does (another armed group): that number is someone else's.
    """
    if not has_number(sentence):
        return False
    # whose number: «مصرع 3 عناصر من قوات النظام» counts the regime's dead, not the ISIS dead asked for
    numbers = [c for c in counts_in(sentence, ask.given) if foreign is None or not foreign(" ".join(c.after.split()[:6]))]
    if not numbers:
        return False
    persons, units, subsets = _lexicon()[1], _lexicon()[3], _lexicon()[4]
    if ask.kind in subsets:  # children, women: a toll of people or civilians does not say how many of them
        return any(c.kind == ask.kind for c in numbers) and (not ask.toll or says_toll(sentence))
    other_side = {"civilians": ("fighters",), "fighters": ("civilians", *subsets)}.get(ask.kind or "", ())
    if ask.toll:
        return says_toll(sentence) and any(c.kind is None or c.kind in persons and c.kind not in other_side for c in numbers)
    if ask.kind is None:
        return any(c.kind not in units for c in numbers)
    if ask.kind in persons:
        # a headcount ("how many fighters entered") is not a toll («قتل 36 شخصا»)
        return any(c.kind in persons and c.kind != "killed" and c.kind not in other_side and not c.toll for c in numbers)
    return any(c.kind == ask.kind for c in numbers)
