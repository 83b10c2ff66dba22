"""Counts in English and Arabic text, as values: digits in either script, number words, and their bounds (pure).

    find_quantities("أكثر من 400 عنصر")  -> [Quantity(400, "more", ...)]
    find_quantities("more than four hundred fighters") -> [Quantity(400, "more", ...)]
    compatible(claim_quantity, source_quantity) -> True when the source allows the claim

This is the one place that says what a number looks like. Detection (no values): `has_number` (is there
a count in a sentence, not a date, year or unit's name: the extractive count check), `has_digit` (a
written number, not only «عشرات»), and the patterns the figure detectors build on: `NUMBER` for folded
text (`rag.events` figures and gists) and `NUMBER_AS_WRITTEN` for the original text (briefing figures).
Values: the support check must compare numbers across scripts and languages, so `find_quantities`
reads them. Dates (found by `rag.dates.find_dates`), years,
clock times and ordinals ("25th") are not counts and are left out: a claim may add the date of
the report, and "the 25th Division" is a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import arabic
from .dates import find_dates
from .textmap import fold_with_offsets

# -- detection: is there a number, and where -----------------------------------------------------------------
# A number in folded text (rag.textmap: Arabic-Indic digits are ASCII there), with a decimal part.
NUMBER = r"\d+(?:[.,]\d+)?"
# A number as written: either script, Arabic decimal comma; not a piece of a time, date, range or decimal.
NUMBER_AS_WRITTEN = r"(?<![\d:./٫,\-])[0-9٠-٩]+(?:[.,٫][0-9٠-٩]+)?"
_COUNT_WORDS = (
    "واحد|اثنان|اثنين|ثلاث|ثلاثة|أربع|أربعة|خمس|خمسة|ست|ستة|سبع|سبعة|ثمان|ثماني|ثمانية|تسع|تسعة|عشر|عشرة|عشرين|عشرون|"
    "ثلاثين|ثلاثون|أربعين|أربعون|خمسين|خمسون|ستين|سبعين|ثمانين|تسعين|مئة|مائة|مئتي|مئتين|ألف|ألفين|آلاف|عشرات|مئات"
)
_ANY_NUMBER = re.compile(r"[0-9٠-٩]+|(?<!\w)[وبل]?(?:" + _COUNT_WORDS + r")(?!\w)")
_ANY_YEAR = re.compile(r"(?<![0-9٠-٩])(?:19|20|١٩|٢٠)[0-9٠-٩]{2}(?![0-9٠-٩])")
_UNIT_NAME = re.compile(r"(?:الفرقة|الفرقه|اللواء|الفيلق|الكتيبة|الكتيبه|الفوج|فرقة|لواء|فيلق)\s*[\"“”«»]?\s*[0-9٠-٩]+")


def has_number(sentence: str) -> bool:
    """Whether a sentence gives a number, in digits or Arabic words, that is not a date, a year or a unit's name (pure).

    Loose on purpose (any digit run or count word counts): it decides whether a count question has a
    candidate answer at all, and `find_quantities` reads the values when they must agree.
    """
    for _, a, b in sorted(find_dates(sentence), key=lambda d: -d[1]):
        sentence = sentence[:a] + " " + sentence[b:]
    return bool(_ANY_NUMBER.search(_UNIT_NAME.sub(" ", _ANY_YEAR.sub(" ", sentence))))


def has_digit(text: str) -> bool:
    """True when a figure's text holds a written number (not only عشرات, مئات) (pure)."""
    return re.search(r"\d", fold_with_offsets(text)[0]) is not None


# -- values ------------------------------------------------------------------------------------------------------
MORE, LESS, ABOUT, EXACT = "more", "less", "about", "exact"
BOUND_SLACK = 1.5  # "more than 400" agrees with a source's 450 or 600, not with 601
ABOUT_TOLERANCE = 0.15  # "about 400" allows 340..460: the loosest reading outlets give «نحو»
# Vague plurals: "dozens" (عشرات) is 20..99 in both languages, "hundreds" 200..999, "thousands" 2000..9999.
VAGUE = {10: (20, 99), 100: (200, 999), 1000: (2000, 9999)}


@dataclass(frozen=True)
class Quantity:
    """A count found in text: its value, how it is bounded, and where it is (offsets into the text)."""

    value: float
    bound: str  # exact, more ("more than", "at least", «أكثر من»), less, about
    start: int
    end: int
    text: str
    low: float | None = None  # a vague plural's range ("dozens": 20..99)
    high: float | None = None

    def describe(self) -> str:
        """The value as people write it, with its bound: 'more than 400', 'dozens'."""
        if self.low is not None:
            return self.text
        v = int(self.value) if self.value == int(self.value) else self.value
        return {MORE: f"more than {v}", LESS: f"less than {v}", ABOUT: f"about {v}"}.get(self.bound, str(v))


_EN_UNITS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_VAGUE = {"dozens": 10, "hundreds": 100, "thousands": 1000}

# Arabic number words, normalised (rag.arabic.normalize: ة->ه, ى->ي, hamza seats folded).
# "one" (واحد, أحد) is left out: it mostly means "one of" / "a", not a count.
_AR_UNITS = {
    "اثنان": 2, "اثنين": 2, "اثنتين": 2, "اثنتان": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5,
    "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
    "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "اربعين": 40, "اربعون": 40, "خمسين": 50, "خمسون": 50,
    "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70, "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90,
    "مئه": 100, "مائه": 100, "مئتين": 200, "مئتان": 200, "مئتي": 200, "مائتين": 200, "مائتي": 200, "مائتان": 200,
    "ثلاثمئه": 300, "ثلاثمائه": 300, "اربعمئه": 400, "اربعمائه": 400, "خمسمئه": 500, "خمسمائه": 500,
    "ستمئه": 600, "ستمائه": 600, "سبعمئه": 700, "سبعمائه": 700, "ثمانمئه": 800, "ثمانمائه": 800, "تسعمئه": 900,
    "تسعمائه": 900, "الف": 1000, "الفين": 2000, "الفان": 2000,
}
_AR_SCALES = {"مئه": 100, "مائه": 100, "الف": 1000, "الاف": 1000, "مليون": 1_000_000, "ملايين": 1_000_000}
_AR_VAGUE = {"عشرات": 10, "مئات": 100, "الاف": 1000}
_AR_TEENS = {"عشر", "عشره"}  # ثلاثة عشر = 13
# The tables are written as Arabic is spelled; keys are compared in rag.arabic.normalize's form (مئة -> ميه).
_AR_UNITS, _AR_SCALES, _AR_VAGUE = ({arabic.normalize(k): v for k, v in table.items()} for table in (_AR_UNITS, _AR_SCALES, _AR_VAGUE))

_QUALIFIERS = [
    (MORE, r"more than|over|upwards of|in excess of|at least|no fewer than|no less than|not less than|as many as"),
    (LESS, r"less than|fewer than|under|up to|at most|no more than"),
    (ABOUT, r"about|around|nearly|almost|some|approximately|roughly|close to|an estimated|estimated"),
    (MORE, r"اكثر من|ازيد من|ما يزيد عن|ما يزيد علي|يزيد عن|يزيد علي|ما لا يقل عن|ما لا يقل علي|لا يقل عن|ما يربو علي|يربو علي"),
    (LESS, r"اقل من|ما يقل عن|دون"),
    (ABOUT, r"نحو|حوالي|قرابه|زهاء|ما يقارب|يقارب|ما يناهز|يناهز|تقريبا"),
]
_QUAL_BEFORE = re.compile(r"(?:^|(?<=[\s(«\"]))(?:[وب])?(" + "|".join(f"(?:{p})" for _, p in _QUALIFIERS) + r")\s+$", re.I)
_QUAL_KIND = [(kind, re.compile(rf"^(?:[وب])?(?:{p})$", re.I)) for kind, p in _QUALIFIERS]
_AT_LEAST_AFTER = re.compile(r"^\s*(?:\S+\s+){0,2}?(?:علي الاقل|at least)\b", re.I)

# Digits may carry an Arabic clitic (و10, ل13), never a Latin letter (T4 and F15 are names).
# digits standing alone, after a one-letter clitic («ب35»), or after the article written onto them («الـ35», «للـ35»:
# "the 35", tatweel dropped by normalize)
_DIGITS = re.compile(r"(?<![\d.,:/-])(?:(?<![^\W\d_])|(?<=(?<![^\W\d_])[وبلف])|(?<=(?<![^\W\d_])ال)|(?<=(?<![^\W\d_])[وبلف]ال)"
                     r"|(?<=(?<![^\W\d_])لل)|(?<=(?<![^\W\d_])[وف]لل))(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(st|nd|rd|th)\b)?(?![\w:/]|[.,]\d)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _scan_words(norm: str):
    """(start, end, word) for each letter word of the normalised text."""
    for m in _WORD.finditer(norm):
        yield m.start(), m.end(), m.group()


def _ar_bare(word: str) -> str:
    """An Arabic word without the clitics a number word takes: و, ب, ل, ال (ولأربعة, الثلاثة)."""
    for prefix in ("وبال", "وال", "بال", "لل", "ال", "وب", "ول", "و", "ب", "ل"):
        if word.startswith(prefix) and word[len(prefix):] in _AR_UNITS | _AR_VAGUE:
            return word[len(prefix):]
    return word


def _word_value(word: str) -> tuple[str, int] | None:
    """('unit'|'scale'|'vague', value) of a number word (either language), or None."""
    w = word.lower()
    if w in _EN_VAGUE:
        return "vague", _EN_VAGUE[w]
    if "-" in w and all(p in _EN_UNITS for p in w.split("-")):
        return "unit", sum(_EN_UNITS[p] for p in w.split("-"))
    if w in _EN_UNITS:
        return "unit", _EN_UNITS[w]
    if w in _EN_SCALES:
        return "scale", _EN_SCALES[w]
    a = _ar_bare(w)
    if a in _AR_VAGUE:
        return "vague", _AR_VAGUE[a]
    if a in _AR_UNITS:
        return "unit", _AR_UNITS[a]
    if a in _AR_SCALES:
        return "scale", _AR_SCALES[a]
    return None


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|"
    "sep|sept|oct|nov|dec|" + arabic.normalize(
        "كانون الثاني|كانون الأول|تشرين الأول|تشرين الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|"
        "يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"))
# A day and a month with no year ("18 August", «18 من شهر آب», "August 18"): rag.dates needs a year, this does not.
_DAY_MONTH = re.compile(rf"(?<![\w.])\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+|من\s+)?(?:شهر\s+)?(?:{_MONTHS})(?![^\W\d_])"
                        rf"|(?<![^\W\d_])(?:{_MONTHS})\s+\d{{1,2}}(?![\w])", re.I)


def _masked(text: str) -> str:
    """The normalised text with dates blanked out (same length, so offsets hold)."""
    norm = arabic.normalize(text)
    if len(norm) != len(text):  # NFKC changed the length (ligatures): fall back to a letter-wise fold
        norm = "".join(arabic.normalize(c)[:1] or " " for c in text)
    chars = list(norm)
    for _, a, b in find_dates(text):
        chars[a:b] = " " * (b - a)
    for m in _DAY_MONTH.finditer("".join(chars)):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def find_quantities(text: str) -> list[Quantity]:
    """The counts a text gives, in order: values, bounds and spans (dates, years, times, ordinals left out)."""
    norm = _masked(text)
    found: list[tuple[int, int, float, float | None, float | None]] = []  # start, end, value, low, high
    for m in _DIGITS.finditer(norm):
        raw, ordinal = m.group(1), m.group(2)
        if ordinal or (_YEAR.match(raw) and not _followed_by_scale(norm, m.end())):
            continue
        value = float(raw.replace(",", ""))
        end = m.end(1)
        scale = _next_scale(norm, end)
        if scale:
            value, end = value * scale[0], scale[1]
        found.append((m.start(1), end, value, None, None))
    words = list(_scan_words(norm))
    i = 0
    while i < len(words):
        start, end, word = words[i]
        kind = _word_value(word)
        if kind is None or any(a <= start < b for a, b, *_ in found):
            i += 1
            continue
        if kind[0] == "vague":
            lo, hi = VAGUE[kind[1]]
            found.append((start, end, (lo + hi) / 2, lo, hi))
            i += 1
            continue
        total = current = 0
        j = i
        while j < len(words):  # a run of number words: "four hundred and twenty", «ثلاثة آلاف وخمسمئة»
            s, e, w = words[j]
            if w == "and" and j > i and j + 1 < len(words) and _word_value(words[j + 1][2]):
                j += 1
                continue
            kv = _word_value(w)
            if j > i and kv and kv[0] == "vague" and _next_scale(" " + w, 0):
                kv = ("scale", kv[1])  # ثلاثة آلاف: after a number, آلاف is a scale, not "thousands"
            gap = norm[words[j - 1][1]:s] if j > i else ""
            if kv is None or kv[0] == "vague" or (j > i and gap.strip() not in ("", "-")):
                break
            if kv[0] == "scale":
                current = max(current, 1) * kv[1]
                if kv[1] >= 1000:
                    total, current = total + current, 0
            elif _ar_bare(w) in _AR_TEENS and 0 < current < 10:
                current += 10  # ثلاثة عشر = 13
            else:
                current += kv[1]
            end = e
            j += 1
        if total + current:
            found.append((start, end, float(total + current), None, None))
        i = max(j, i + 1)
    out = []
    for start, end, value, low, high in sorted(found):
        bound = EXACT
        window_start = max(0, start - 30)
        q = _QUAL_BEFORE.search(norm[window_start:start])
        if q:
            bound = next(k for k, rx in _QUAL_KIND if rx.match(q.group(1)))
            start = window_start + q.start(1)
        elif low is None and _AT_LEAST_AFTER.match(norm[end:end + 40]):
            bound = MORE
        out.append(Quantity(value, bound, start, end, text[start:end], low, high))
    return out


def _next_scale(norm: str, pos: int) -> tuple[int, int] | None:
    """A scale word right after a number ("3 thousand", «3 آلاف»): (factor, end), or None."""
    m = re.match(r"\s+([^\W\d_]+)", norm[pos:])
    if not m:
        return None
    w = m.group(1).lower()
    factor = _EN_SCALES.get(w) or _AR_SCALES.get(w) or _AR_SCALES.get(_ar_bare(w))
    return (factor, pos + m.end()) if factor and factor >= 1000 else None


def _followed_by_scale(norm: str, pos: int) -> bool:
    return _next_scale(norm, pos) is not None


def _range(q: Quantity) -> tuple[float, float]:
    """The values a quantity allows: [low, high]."""
    if q.low is not None and q.high is not None:  # a vague plural: both ends set together
        return q.low, q.high
    v = q.value
    if q.bound == MORE:
        return v, float("inf")
    if q.bound == LESS:
        return 0.0, v
    if q.bound == ABOUT:
        return v * (1 - ABOUT_TOLERANCE), v * (1 + ABOUT_TOLERANCE)
    return v, v


def compatible(claim: Quantity, source: Quantity) -> bool:
    """Whether the source's quantity allows the claim's.

    The same value agrees whatever the bounds, except opposite ones (more vs less): models drop
    «أكثر من» when they paraphrase, and that is not a different fact. Otherwise the claim must
    be no more precise than the source: "more than 400" or "dozens" over a source's 450 agrees,
    "about 400" agrees with 390 (either side "about": within 15%), but "more than 600" over
    "more than 400" and "450" over "more than 400" do not.
    """
    vague = claim.low is not None or source.low is not None
    if not vague and claim.value == source.value:
        return {claim.bound, source.bound} != {MORE, LESS}
    c_lo, c_hi = _range(claim)
    s_lo, s_hi = _range(source)
    overlap = c_lo <= s_hi and s_lo <= c_hi
    if ABOUT in (claim.bound, source.bound) and not vague:
        return overlap
    if claim.bound in (MORE, LESS) and source.bound == EXACT and claim.low is None and source.low is None:
        # the source's figure lies in the claim's range, and near its bound: "more than 18" is not how anyone reports 45
        return c_lo <= source.value <= c_hi and max(source.value, claim.value) <= BOUND_SLACK * min(source.value, claim.value)
    if claim.low is not None:
        return s_lo >= c_lo and s_hi <= c_hi if source.low is None else overlap
    return False  # a bound or a figure over a vague source ("more than 18" over «عشرات») says more than it
