"""Dates in Arabic and English news text, records and questions (pure functions, standard library only).

Rules chosen:

- A date keeps its precision (day, month, year) and where it came from (record, text, inferred);
  a missing day or month is never filled in, and today's date is never used.
- Matching runs on a folded copy of the text (``rag.textmap.fold_chars``: normalize per character), with
  a map back to the original indices, so spans returned by ``find_dates`` slice the original text.
- Month names: Levantine (كانون الثاني ... كانون الأول, also تشرين1/تشرين 1, كانون2 ...), Egyptian/Gulf
  (يناير ... ديسمبر), Maghreb (جانفي فيفري ... أوت) and English names and abbreviations; attached
  prefixes و ف ب ل, and a second name after a slash or in brackets (شباط/فبراير 2021).
- Absolute dates need a year (1900-2099): day-month-year, month-day-year, month-year, ISO
  ``2020-10-22``, day-first ``22/10/2020``, ``22-10-2020``, ``22.10.2020``, and year-only after
  عام/العام/سنة/year or in/since/during/until/before/after/منذ/خلال. A day and month without a year
  (18 من شهر آب من العام الحالي) is not absolute; invalid days (31 شباط) are not dates; a weekday
  next to a date is ignored, even when it contradicts it.
- Publication date (``find_publication_date``): the first day-precision date that lies either in
  the header (the first 300 characters, or one of the first 4 non-empty lines after the title
  that come before the first long (>120 characters) line; repeated title lines are skipped, and
  without a title the first line is taken as title), or in the first paragraph (up to the first
  long line) right after اليوم / صباح اليوم / مساء اليوم / today, with an optional weekday. A date
  right after أمس/غدا/yesterday is an event date and is skipped. Month-only and year-only dates
  refer to past events and are never publication dates.
- Relative expressions resolve only against a known anchor of sufficient precision; a span wider
  than a day (last week, the past 3 days) is reported at the finest precision covering all of it.
  A bare month (أيار) is its latest occurrence not after the anchor; "أيار الماضي" the latest one
  before the anchor's month; "أيار الجاري" the anchor's year; "من العام الماضي" the year before.
- Questions: "last week" is the previous ISO week, "this week" the anchor's ISO week; "before X"
  ends the day before X starts, "after X" starts the day after X ends (so "after 2019" is since
  2020-01-01), "until X" includes X. A month without a year, a bare year or a day-month only count
  when a period word governs them (in, since, منذ, في, خلال ...); "today"/"اليوم" is not a filter
  (it usually means "currently"). Relative periods with no anchor give None.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from itertools import takewhile
from typing import Literal

from rag.arabic import normalize
from rag.date_names import MONTH_RE as _MON
from rag.date_names import MONTHS as _MONTHS
from rag.date_names import ORDINAL_DAY_RE as _ORD
from rag.date_names import ORDINAL_DAYS as _ORDINALS
from rag.date_names import WEEKDAY_RE as _WD
from rag.date_names import WEEKDAYS as _WEEKDAYS
from rag.textmap import fold_chars

Precision = Literal["day", "month", "year", "unknown"]
DateSource = Literal["record", "text", "inferred", "unknown", "meta", "json-ld", "url", "feed", "sitemap"]  # the last five: web pages (rag.web)
_RANK = {"unknown": 0, "year": 1, "month": 2, "day": 3}


@dataclass(frozen=True)
class DateInfo:
    """A date with its precision and provenance."""

    value: date | None
    precision: Precision
    source: DateSource

    def iso(self) -> str | None:
        """ISO form at the date's precision: 2021-02-25, 2021-02, 2021, or None."""
        v = self.value
        if v is None or self.precision == "unknown":
            return None
        return {"day": v.isoformat(), "month": f"{v.year:04d}-{v.month:02d}", "year": f"{v.year:04d}"}[self.precision]

    @property
    def start(self) -> date | None:
        """First day covered."""
        return self.value if self.precision != "unknown" else None

    @property
    def end(self) -> date | None:
        """Last day covered."""
        v = self.value
        if v is None or self.precision == "unknown":
            return None
        if self.precision == "month":
            return _month_end(v.year, v.month)
        return date(v.year, 12, 31) if self.precision == "year" else v


UNKNOWN = DateInfo(None, "unknown", "unknown")

_B = r"(?<![^\W_])"          # a word starts here
_E = r"(?![^\W\d_])"         # no letter follows
_YEAR = r"(?:19|20)\d\d(?!\d)"
_PFX = r"(?:[وف]?[بل]|[وف])?"  # attached Arabic prefixes


def _mon(group: str) -> str:
    """Month name in a named group, optionally followed by a second name (آذار/مارس, شباط (فبراير))."""
    return rf"{_PFX}(?P<{group}>{_MON}){_E}(?:\s*[/(]\s*(?:{_MON}){_E}\s*\)?)?"


_TO_YEAR = r"\s*[-.,/،]?\s*(?:(?:من\s+)?(?:ال)?(?:عام|سنه)\s*)?"
_DATE_RE = re.compile("|".join([
    rf"(?<!\d)(?P<iy>{_YEAR})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})(?!\d)",
    rf"(?<![\d.])(?P<nd>\d{{1,2}})(?P<sep>[-/.])(?P<nm>\d{{1,2}})(?P=sep)(?P<ny>{_YEAR})",
    rf"(?<!\d)(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*[-./]?\s*(?:(?:of|من)\s+)?(?:شهر\s+)?{_mon('m1')}"
    rf"(?:{_TO_YEAR}(?P<y1>{_YEAR}))?",
    rf"{_B}[وف]?(?P<od>{_ORD})\s+(?:من\s+)?(?:شهر\s+)?{_mon('m4')}(?:{_TO_YEAR}(?P<y7>{_YEAR}))?",
    rf"{_B}{_mon('m2')}\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s*,?\s*(?P<y2>{_YEAR}))?",
    rf"{_B}{_mon('m3')}(?:{_TO_YEAR}(?P<y3>{_YEAR}))?",
    rf"{_B}(?:[وف]?(?:[بل]|لل)|[وف])?(?P<yk>(?:ال)?(?:عام|سنه)|year)\s*(?P<y4>{_YEAR})",
    rf"{_B}(?:in|since|during|until|before|after|منذ|خلال)\s+(?P<y5>{_YEAR})",
    rf"(?<![\d.,])(?P<y6>{_YEAR})",
]))


def _month_end(y: int, m: int) -> date:
    """Last day of a month."""
    return date(y, m, calendar.monthrange(y, m)[1])


def _make(y: int | None, m: int | None, d: int | None, source: DateSource) -> DateInfo | None:
    """DateInfo from parts, None when they are not a real date."""
    try:
        if y is None:
            return None
        if m is None:
            return DateInfo(date(y, 1, 1), "year", source)
        return DateInfo(date(y, m, d or 1), "day" if d else "month", source)
    except ValueError:
        return None


def _numbers(m: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """Year, month and day groups of a numeric date match (None where absent)."""
    y, mo, d = (int(x) if x else None for x in m.groups())
    return y, mo, d


def _bounds(info: DateInfo | None) -> tuple[date, date] | None:
    """(first day, last day) a known date covers; None for no date."""
    if info is None or info.start is None or info.end is None:
        return None
    return info.start, info.end


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    loose: bool  # no year, or a bare year: only usable when a question's period word governs it


def _hits(folded: str) -> list[_Hit]:
    """Every date-like expression in folded text, strict and loose, with valid parts only."""
    hits = []
    for m in _DATE_RE.finditer(folded):
        g = {k: v for k, v in m.groupdict().items() if v is not None and k != "sep"}
        ys = [g[k] for k in ("iy", "ny", "y1", "y2", "y3", "y4", "y5", "y6", "y7") if k in g]
        name = g.get("m1") or g.get("m2") or g.get("m3") or g.get("m4")
        mo = _MONTHS[re.sub(r"\s+", "", name)] if name else int(g.get("im") or g.get("nm") or 0) or None
        day = g.get("id") or g.get("nd") or g.get("d1") or g.get("d2") or (
            str(_ORDINALS[re.sub(r"\s+", " ", g["od"])]) if "od" in g else None)
        y, d = (int(ys[0]) if ys else None), (int(day) if day else None)
        if (mo is not None and not 1 <= mo <= 12) or _make(y or 2000, mo, d, "text") is None:
            continue
        hits.append(_Hit(min(m.start(k) for k in g), m.end(), y, mo, d, y is None or "y6" in g))
    return hits


def find_dates(text: str) -> list[tuple[DateInfo, int, int]]:
    """Absolute dates in a text with (start, end) offsets into the original text."""
    return list(_find_dates(text))


@lru_cache(maxsize=16384)
def _find_dates(text: str) -> tuple[tuple[DateInfo, int, int], ...]:
    # pure and asked of the same sentences by several readers in one ask (numbers, answer kinds, events):
    # cached by text; DateInfo is frozen, so sharing the tuples is safe
    folded, index = fold_chars(text)
    out = []
    for h in _hits(folded):
        if not h.loose and (info := _make(h.year, h.month, h.day, "text")) is not None:  # _hits kept real dates only
            out.append((info, index[h.start], index[h.end - 1] + 1))
    return tuple(out)


def parse_record_date(value: str | None) -> DateInfo:
    """A record's own date field (ISO 8601, optionally with time and zone) at its precision."""
    if not value or not value.strip():
        return UNKNOWN
    m = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?"
                     r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?)?)?",
                     fold_chars(value.strip())[0])
    if m:
        return _make(*_numbers(m), "record") or UNKNOWN
    found = find_dates(value)
    return DateInfo(found[0][0].value, found[0][0].precision, "record") if found else UNKNOWN


_LINE = re.compile(r"[^\n]+")
_TODAY_BEFORE = re.compile(rf"{_B}(?:اليوم|today)(?:\s*[,،]?\s*(?:{_WD}))?\s*[,،]?\s*$")
_OTHER_DAY_BEFORE = re.compile(rf"{_B}(?:امس|البارحه|غدا|yesterday|tomorrow)(?:\s+(?:{_WD}))?\s*[,،]?\s*$")


def find_publication_date(text: str, title: str | None = None) -> DateInfo:
    """Publication date of an article from its header or an 'اليوم + weekday' date in its first paragraph."""
    lines = [m.span() for m in _LINE.finditer(text) if m.group().strip()]
    key = lambda span: normalize(text[span[0]:span[1]]).strip()  # noqa: E731
    title_key = normalize(title).strip() if title else (key(lines[0]) if lines else "")
    body = [s for s in lines if key(s) != title_key]
    header = list(takewhile(lambda span: span[1] - span[0] <= 120, body[:4]))
    opening_end = next((e for s, e in body if e - s > 80), body[0][1] if body else 0)
    for info, s, _ in find_dates(text):
        if info.precision != "day":
            continue
        before = fold_chars(text[max(0, s - 40):s])[0]
        if _OTHER_DAY_BEFORE.search(before):
            continue
        if s < 300 or any(a <= s < b for a, b in header) or (s < opening_end and _TODAY_BEFORE.search(before)):
            return info
    return UNKNOWN


# Relative expressions: (regex on folded text, anchor precision needed, span function, usable in questions)
_QUAL = {"past": "الماضي|الماضيه|المنصرم|الفائت|السابق|last", "current": "الجاري|الجاريه|الحالي|الحاليه|this",
         "next": "المقبل|القادم|next"}
_QUAL_OF = {normalize(w): k for k, ws in _QUAL.items() for w in ws.split("|")}
_Q = "|".join(_QUAL_OF)
_UNITS = {"يوم": (1, 1), "يوما": (1, 1), "يومين": (2, 1), "ايام": (None, 1), "day": (1, 1), "days": (None, 1),
          "اسبوع": (1, 7), "اسبوعا": (1, 7), "اسبوعين": (2, 7), "اسابيع": (None, 7), "week": (1, 7),
          "weeks": (None, 7)}
_NUMS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


def _days(g: dict) -> int | None:
    """Length in days of '3 أيام', 'يومين', 'two weeks'; None for a vague plural ('أيام')."""
    n, unit = _UNITS[g["u"]]
    if g["n"]:
        n = int(g["n"]) if g["n"].isdigit() else _NUMS[g["n"]]
    return n * unit if n else None


def _shift(anchor: date, days: int) -> tuple[date, date]:
    """A single day at an offset from the anchor."""
    return anchor + timedelta(days), anchor + timedelta(days)


def _ago(a: date, g: dict) -> tuple[date, date] | None:
    """'قبل 3 أيام', 'قبل يومين', '2 weeks ago': the single day that far back."""
    n = _days(g)
    return _shift(a, -n) if n else None


def _last_n(a: date, g: dict) -> tuple[date, date] | None:
    """'خلال الـ 3 أيام الماضية', 'اليومين الماضيين', 'past 3 days': from that far back to the anchor."""
    n = _days(g)
    return (a - timedelta(n), a) if n else None


def _week(a: date, weeks: int) -> tuple[date, date]:
    """ISO week (Monday..Sunday) `weeks` away from the anchor's."""
    monday = a - timedelta(a.weekday()) + timedelta(7 * weeks)
    return monday, monday + timedelta(6)


def _month(a: date, months: int) -> tuple[date, date]:
    """Calendar month `months` away from the anchor's."""
    y, m = divmod(a.year * 12 + a.month - 1 + months, 12)
    return date(y, m + 1, 1), _month_end(y, m + 1)


def _named_month(a: date, g: dict) -> tuple[date, date] | None:
    """'أيار الماضي', 'مطلع شهر أيار الجاري', '18 من شهر آب من العام الحالي', 'last May', bare 'أيار'."""
    mon, q = _MONTHS[re.sub(r"\s+", "", g["mon"])], _QUAL_OF.get(g["q"] or "")
    if g.get("yr") and q:
        y = a.year + {"past": -1, "current": 0, "next": 1}[q]
    elif q == "current":
        y = a.year
    elif q == "past":
        y = a.year if mon < a.month else a.year - 1
    elif q == "next":
        y = a.year if mon > a.month else a.year + 1
    else:
        y = a.year if mon <= a.month else a.year - 1
    day = int(g["d"]) if g.get("d") else _ORDINALS[re.sub(r"\s+", " ", g["od"])] if g.get("od") else None
    return _bounds(_make(y, mon, day, "inferred"))


def _weekday(a: date, g: dict) -> tuple[date, date]:
    """'يوم الأربعاء' (latest on or before the anchor), 'الأربعاء الماضي', 'next Wednesday'."""
    wd, q = _WEEKDAYS[g["wd"]], _QUAL_OF.get(g["q"] or g["q2"] or "")
    if q == "next":
        return _shift(a, (wd - a.weekday()) % 7 or 7)
    back = (a.weekday() - wd) % 7
    return _shift(a, -(back or (7 if q == "past" else 0)))


_AR_MONTH = (rf"(?:(?:(?P<d>\d{{1,2}})|(?P<od>{_ORD}))\s+(?:من\s+)?)?(?:(?:مطلع|اوائل|بدايه|منتصف|اواسط|اواخر|نهايه|اخر)\s+)?"
             rf"(?:{_PFX}شهر\s+)?{_PFX}(?P<mon>{_MON}){_E}(?:\s+من)?(?:\s+(?P<yr>(?:ال)?(?:عام|سنه)))?")
_RULES = [(re.compile(rf"{_B}(?:{p})(?![^\W_])"), need, fn, in_q) for p, need, fn, in_q in [
    (rf"{_AR_MONTH}\s+(?P<q>{_Q})|(?P<q3>last|this|next)\s+(?P<mon3>{_MON})", "month",
     lambda a, g: _named_month(a, g if g["mon"] else {**g, "mon": g["mon3"], "q": g["q3"]}), True),
    (r"اول\s+(?:من\s+)?امس|قبل\s+امس|the\s+day\s+before\s+yesterday", "day", lambda a, g: _shift(a, -2), True),
    (r"امس|البارحه|yesterday", "day", lambda a, g: _shift(a, -1), True),
    (r"اليوم|today|tonight|this\s+morning|الليله", "day", lambda a, g: _shift(a, 0), False),
    (r"غدا|tomorrow", "day", lambda a, g: _shift(a, 1), False),
    (r"(?:قبل|منذ)\s+(?:(?P<n>\d+)\s+)?(?P<u>يومين|ايام|يوما|يوم|اسبوعين|اسابيع|اسبوعا|اسبوع)"
     r"|(?P<n2>\d+|a|one|two|three|four|five|six|seven|ten)\s+(?P<u2>days?|weeks?)\s+ago", "day",
     lambda a, g: _ago(a, g if g["u"] else {"n": g["n2"], "u": g["u2"]}), True),
    (r"(?:ال\s*)?(?:(?P<n>\d+)\s+)?(?P<u>يومين|ايام|اسبوعين|اسابيع)\s+(?:الماضيه|الماضيين|الاخيره|الاخيرين|الفائته)"
     r"|(?:last|past)\s+(?P<n2>\d+|two|three|four|five|six|seven|ten)\s+(?P<u2>days|weeks)", "day",
     lambda a, g: _last_n(a, g if g["u"] else {"n": g["n2"], "u": g["u2"]}), True),
    (r"(?:ال)?اسبوع\s+(?:الماضي|المنصرم|الفائت|السابق)|(?:last|previous|past)\s+week", "day",
     lambda a, g: _week(a, -1), True),
    (r"هذا\s+الاسبوع|الاسبوع\s+(?:الجاري|الحالي)|this\s+week", "day", lambda a, g: _week(a, 0), True),
    (r"الشهر\s+(?:الماضي|المنصرم|الفائت|السابق)|(?:last|previous|past)\s+month", "month",
     lambda a, g: _month(a, -1), True),
    (r"هذا\s+الشهر|الشهر\s+(?:الجاري|الحالي)|this\s+month", "month", lambda a, g: _month(a, 0), True),
    (r"(?:العام|السنه|عام)\s+(?:الماضي|الماضيه|المنصرم|الفائت|السابق)|(?:last|previous|past)\s+year", "year",
     lambda a, g: (date(a.year - 1, 1, 1), date(a.year - 1, 12, 31)), True),
    (r"هذا\s+العام|هذه\s+السنه|(?:العام|السنه)\s+(?:الجاري|الجاريه|الحالي|الحاليه)|this\s+year", "year",
     lambda a, g: (date(a.year, 1, 1), date(a.year, 12, 31)), True),
    (rf"(?:(?P<q>last|next|on)\s+)?(?:يوم\s+)?(?P<wd>{_WD})(?:\s+(?P<q2>الماضي|المقبل|القادم))?", "day",
     _weekday, False),
    (rf"{_AR_MONTH}(?P<q>)", "month", _named_month, False),
]]


def _cover(lo: date, hi: date) -> DateInfo:
    """The finest inferred DateInfo covering lo..hi."""
    if lo == hi:
        return DateInfo(lo, "day", "inferred")
    if (lo.year, lo.month) == (hi.year, hi.month):
        return DateInfo(lo.replace(day=1), "month", "inferred")
    return DateInfo(date(lo.year, 1, 1), "year", "inferred") if lo.year == hi.year else UNKNOWN


def resolve_relative(expression: str, anchor: DateInfo) -> DateInfo:
    """Resolve a relative date expression against a known anchor (source 'inferred'), else UNKNOWN."""
    if anchor.value is None or anchor.precision == "unknown":
        return UNKNOWN
    found = find_dates(expression)
    if found:
        return found[0][0]
    folded = fold_chars(expression)[0]
    for rx, need, fn, _ in _RULES:
        m = rx.search(folded)
        if m:
            span = fn(anchor.value, m.groupdict()) if _RANK[anchor.precision] >= _RANK[need] else None
            return _cover(*span) if span else UNKNOWN
    return UNKNOWN


def parse_user_date(value: str, *, end: bool = False) -> date:
    """A date typed by a user (2021-02-25, 2021-02, 2021, 25 Feb 2021, February 2021); ValueError otherwise."""
    folded = fold_chars(value.strip())[0]
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", folded)
    if m:
        info = _make(*_numbers(m), "record")
    else:
        hits = [h for h in _hits(folded) if not h.loose and (h.start, h.end) == (0, len(folded))]
        info = _make(hits[0].year, hits[0].month, hits[0].day, "record") if hits else None
    bounds = _bounds(info)
    if bounds is None:
        raise ValueError(
            f"invalid date {value!r}: expected YYYY-MM-DD, YYYY-MM, YYYY, '25 Feb 2021' or 'February 2021'")
    return bounds[1] if end else bounds[0]


def iso_week(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week such as '2021-W08'."""
    m = re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", week.strip())
    try:
        if not m:
            raise ValueError
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise ValueError(f"invalid ISO week {week!r}: expected YYYY-Www with a week that exists in that year, "
                         "e.g. 2021-W08") from None
    return monday, monday + timedelta(6)


def week_of(d: date) -> str:
    """ISO week label of a date, e.g. '2021-W08'."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


@dataclass(frozen=True)
class Period:
    """A date filter read from a question."""

    since: date | None
    until: date | None
    matched: str
    description: str


_KW = re.compile(
    r"(?<![^\W_])(?P<kw>since|from|after|before|until|till|up\s+to|in|during|on|of|between|throughout|"
    r"منذ|ابتداء\s+من|اعتبارا\s+من|من|بعد|قبل|حتي|لغايه|في|خلال|بين|ب)\s*"
    r"(?:(?:the|month|year|of|early|late|mid|end|start|beginning|شهر|عام|العام|سنه|السنه|مطلع|بدايه|اوائل|"
    r"منتصف|اواخر|نهايه)[\s-]+)*$")
_AND = re.compile(r"\s*(?:and|to|until|till|through|-|–|و|الي|حتي|لغايه)\s*")
_KIND = {"since": "since", "from": "since", "منذ": "since", "من": "since", "ابتداء من": "since",
         "اعتبارا من": "since", "after": "after", "بعد": "after", "before": "before", "قبل": "before",
         "until": "until", "till": "until", "up to": "until", "حتي": "until", "لغايه": "until"}
_LOOSE_OK = {"since", "after", "before", "until", "till", "in", "during", "throughout", "منذ", "بعد", "قبل",
             "حتي", "لغايه", "في", "خلال"}


def _span(x: tuple, anchor: date | None, year: int | None = None) -> tuple[date, date] | None:
    """Date span of a question expression; None when it needs an anchor that is missing."""
    if isinstance(x[2], _Hit):
        h = x[2]
        y = h.year or year
        if y is None and anchor is not None:
            y = anchor.year if (h.month, h.day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
        return _bounds(_make(y, h.month, h.day, "inferred") if y else None)
    return x[2](anchor) if anchor is not None else None


def _describe(lo: date | None, hi: date | None) -> str:
    """Human description of a period."""
    if lo and hi:
        if lo == hi:
            return lo.isoformat()
        if lo.day == 1 and hi == _month_end(lo.year, lo.month):
            return f"{calendar.month_name[lo.month]} {lo.year}"
        if lo.year == hi.year and (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
            return str(lo.year)
        if lo.weekday() == 0 and hi - lo == timedelta(6):
            return f"the week {lo}..{hi}"
        return f"{lo}..{hi}"
    return f"since {lo}" if lo else f"until {hi}"


# A date expression of a question: (start, end, the date found or a rule's span of the anchor, loose)
_Expr = tuple[int, int, "_Hit | Callable[[date], tuple[date, date] | None]", bool]


def question_period(question: str, anchor: date | None) -> Period | None:
    """Date filter expressed in an English or Arabic question, or None."""
    folded, index = fold_chars(question)
    exprs: list[_Expr] = [(h.start, h.end, h, h.loose) for h in _hits(folded)]
    for rx, _, fn, in_q in _RULES:
        if in_q:
            exprs += [(m.start(), m.end(), partial(fn, g=m.groupdict()), False) for m in rx.finditer(folded)]
    exprs.sort(key=lambda x: (x[0], -x[1]))
    kept: list[_Expr] = []
    for x in exprs:
        if not kept or x[0] >= kept[-1][1]:
            kept.append(x)
    for i, x in enumerate(kept):
        kw = _KW.search(folded[:x[0]])
        word = re.sub(r"\s+", " ", kw["kw"]) if kw else None
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        lo: date | None
        hi: date | None
        if word in ("between", "from", "بين", "من") and nxt and _AND.fullmatch(folded[x[1]:nxt[0]]):
            second = _span(nxt, anchor)
            hint = nxt[2].year if isinstance(nxt[2], _Hit) else None
            if hint and isinstance(x[2], _Hit) and isinstance(nxt[2], _Hit) and x[2].year is None and (x[2].month or 0) > (nxt[2].month or 12):
                hint -= 1
            first = _span(x, anchor, hint)
            if not (first and second):
                if anchor is None:
                    return None
                continue
            lo, hi, end = first[0], second[1], nxt[1]
        else:
            if x[3] and word not in _LOOSE_OK:
                continue
            span = _span(x, anchor)
            if span is None:
                if anchor is None:
                    return None
                continue
            kind, end = _KIND.get(word or "", "in"), x[1]
            lo = {"after": span[1] + timedelta(1), "before": None, "until": None}.get(kind, span[0])
            hi = {"since": None, "after": None, "before": span[0] - timedelta(1)}.get(kind, span[1])
        start = kw.start() if kw else x[0]
        return Period(lo, hi, question[index[start]:index[end - 1] + 1], _describe(lo, hi))
    return None
