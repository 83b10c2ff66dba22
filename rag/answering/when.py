"""A day the sources never give: the question asks on what date something happened and the reports give no day.

"On what exact date did Turkey put Salih Muslim on its wanted list?" is not answered by a sentence that says
Turkey put him on the list "in February": the sentence is about the right act and carries a date, but not the
one asked for, and the nearest-sentence answer would offer it as if it did. A day is given when a sentence
writes one (`rag.dates.find_dates` at day precision: «7 فبراير 2018», «التاسع من نيسان 2018») or says it
relative to its report's date («أمس», «يوم الأحد», «في السابع من شباط الماضي»: `rag.dates.resolve_relative`
at day precision).

`asks_day` reads a question that asks for the day itself: "on what date", "what date", "which day", "exact
date", «في أي تاريخ», «ما تاريخ», «في أي يوم». A bare "when" / «متى» is not one: a month or a year answers it
(«متى اعتقل ...» — «في ديسمبر 2001»), and a report's own date is often the only "when" it gives.
`day_missing` judges the sentence closest to the question (see its docstring for when its neighbours count):
the sources do not give the day when it does not. Lenient where it is unsure (a weekday in an undated report
counts as a day), since a wrong refusal of an answerable question costs more than one more cited non-answer.

Pure functions. Measured on eval dev and dev-extra (eval/README.md, "Dates the sources do not give").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from .. import arabic
from ..dates import DateInfo, find_dates, parse_record_date, resolve_relative

_ASKS_EN = re.compile(r"\b(?:(?:on|at)\s+)?(?:what|which)\s+(?:exact\s+|precise\s+)?(?:date|day)\b|\bexact\s+date\b"
                      r"|\bdate\s+(?:of|on\s+which)\b", re.I)
_ASKS_AR = re.compile(r"(?:^|\s)(?:(?:في|ب)\s*)?اي\s+(?:تاريخ|يوم)(?:\s|$)|(?:^|\s)ما\s+(?:هو\s+)?(?:تاريخ|اليوم\s+الذي)(?:\s|$)"
                      r"|(?:^|\s)(?:التاريخ|اليوم)\s+(?:المحدد|بالتحديد)(?:\s|$)")
_CLAUSE = re.compile(r"[,،;؛:.!?؟()\"«»\n]+")
_NO_DATE = DateInfo(date(2000, 1, 3), "day", "inferred")  # an undated report: only whether a day is said matters


class _Source(Protocol):
    @property
    def date(self) -> str: ...


class _Evidence(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def similarity(self) -> float: ...

    @property
    def source(self) -> _Source: ...


E = TypeVar("E", bound=_Evidence)


def asks_day(question: str) -> bool:
    """Whether a question asks for the day something happened ("on what date", «في أي تاريخ»), not only "when"."""
    return bool(_ASKS_EN.search(question) or _ASKS_AR.search(arabic.normalize(question)))


def _anchor(report_date: str) -> DateInfo:
    anchor = parse_record_date(report_date) if report_date else _NO_DATE
    return anchor if anchor.precision == "day" else _NO_DATE


def date_precision(text: str, report_date: str = "") -> str:
    """The finest date a text gives: 'day', 'month', 'year' (written, or said relative to its report's date:
    «أمس», «الأسبوع الماضي», «في وقت سابق من فبراير الجاري»), or 'unknown' when it gives none."""
    rank = {"unknown": 0, "year": 1, "month": 2, "day": 3}
    found = [info.precision for info, _, _ in find_dates(text)]
    anchor = _anchor(report_date)
    found += [resolve_relative(part, anchor).precision for part in _CLAUSE.split(text) if part.strip()]
    return max(found, key=lambda p: rank[p], default="unknown")


def gives_day(text: str, report_date: str = "") -> bool:
    """Whether a text gives a day: a written date at day precision, or one said relative to its report's date."""
    return date_precision(text, report_date) == "day"


def day_missing(question: str, evidence: Sequence[E], around: Callable[[E], str]) -> E | None:
    """For a question asking for a day: the sentence closest to it when it does not give the day; None when the
    question asks no day or the day is given.

    The closest sentence tells the act asked about (its neighbours often tell others, with their own days: a
    meeting «الإثنين» next to a signing «الأسبوع الماضي»), so it alone is judged when it dates the act coarser
    than a day («في وقت سابق من فبراير»); when it gives no date at all, `around(sentence)` (it and its
    neighbours) is judged, as a report may date the act in the sentence before (its lede).
    """
    if not evidence or not asks_day(question):
        return None
    closest = max(evidence, key=lambda e: e.similarity)
    own = date_precision(closest.text, closest.source.date)
    if own == "day" or (own == "unknown" and gives_day(around(closest), closest.source.date)):
        return None
    return closest
