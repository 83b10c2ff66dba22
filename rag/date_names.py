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

# Day of the month as an Arabic ordinal word, as reports write it («في التاسع من نيسان», «الحادي والعشرين من
# آذار»): folded ordinal -> day. The units in their masculine form (the day, اليوم, is masculine), each also with the
# feminine ending some writers use; tens as «العشرين», «الثلاثين»; compounds «الحادي عشر», «الحادي والعشرين».
_UNITS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
_TEEN_UNITS = ["الحادي"] + _UNITS[1:]


def _ordinals() -> dict[str, int]:
    out: dict[str, int] = {}
    for i, word in enumerate(_UNITS, 1):
        out[word] = i
    out["العاشر"] = 10
    for i, word in enumerate(_TEEN_UNITS, 11):
        out[f"{word} عشر"] = i
    out["العشرين"], out["الثلاثين"] = 20, 30
    for i, word in enumerate(_TEEN_UNITS, 21):
        out[f"{word} والعشرين"] = i
    out["الحادي والثلاثين"] = 31
    folded = {normalize(k): v for k, v in out.items()}
    folded.update({k + "ه": v for k, v in folded.items() if " " not in k and k not in ("العشرين", "الثلاثين")})
    return folded


ORDINAL_DAYS = _ordinals()
# any folded ordinal day, longest first, spaces flexible
ORDINAL_DAY_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(ORDINAL_DAYS, key=len, reverse=True))
