"""Month and weekday names as the news writes them, folded, and the regexes that find them (pure data).

Levantine (كانون الثاني ... كانون الأول, also تشرين1/تشرين 1, كانون2), Egyptian/Gulf (يناير ... ديسمبر), Maghreb
(جانفي فيفري ... أوت) and English names and abbreviations. Keys and regexes are in `rag.arabic.normalize`'s form,
to run on text folded by `rag.textmap`; `rag.dates` reads dates with them.
"""

from __future__ import annotations

import calendar
import re

from rag.arabic import normalize

MONTH_NAMES = {
    1: "كانون الثاني|كانون ثاني|كانون2|يناير|جانفي|january|jan",
    2: "شباط|فبراير|فيفري|february|feb",
    3: "آذار|مارس|march|mar",
    4: "نيسان|أبريل|ابريل|إبريل|أفريل|افريل|april|apr",
    5: "أيار|مايو|ماي|may",
    6: "حزيران|يونيو|يونيه|جوان|june|jun",
    7: "تموز|يوليو|يوليه|جويلية|july|jul",
    8: "آب|أغسطس|اغسطس|أوت|august|aug",
    9: "أيلول|سبتمبر|september|sept|sep",
    10: "تشرين الأول|تشرين أول|تشرين1|أكتوبر|اكتوبر|october|oct",
    11: "تشرين الثاني|تشرين ثاني|تشرين2|نوفمبر|november|nov",
    12: "كانون الأول|كانون أول|كانون1|ديسمبر|december|dec",
}
# folded name without spaces -> month number
MONTHS = {normalize(n).replace(" ", ""): m for m, names in MONTH_NAMES.items() for n in names.split("|")}


def _name_re(name: str) -> str:
    """Regex for one folded month name: flexible spaces, optional space before a trailing digit."""
    if name[-1].isdigit():
        return re.escape(name[:-1]) + r"\s*" + name[-1] + r"(?!\d)"
    return re.escape(name).replace(r"\ ", r"\s+")


_FOLDED = {normalize(n) for names in MONTH_NAMES.values() for n in names.split("|")}
# any folded month name, longest first
MONTH_RE = "|".join(_name_re(n) for n in sorted(_FOLDED, key=len, reverse=True))
# folded weekday name (Arabic, English) -> Monday 0 .. Sunday 6
WEEKDAYS = {normalize(w): i for i, w in enumerate(
    "الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split())}
WEEKDAYS.update({calendar.day_name[i].lower(): i for i in range(7)})
WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
