"""Cleaning of article text (pure): boilerplate lines out, filter-dodging spellings undone.

The cleaned text is what users read and what quotes point into; it differs from
the file only by dropped boilerplate lines, a dropped repeated title and undone
dodges (`فشـ.ـل` -> `فشل`). Letter variants and diacritics are kept: they are
folded only for matching (rag.arabic.normalize).
"""

from __future__ import annotations

import re

from ..arabic import normalize

# A dot (or similar) wrapped in tatweel inside a word, used to slip past keyword
# filters: فشـ.ـل, هجـ.ـمـ.ـات, مقـ.ـاتلي. At least one tatweel must touch the dot.
_DODGE = re.compile(r"(?<=[\u0621-\u064a])(?:\u0640+[.\u00b7\u2022\u200c]\u0640*|\u0640*[.\u00b7\u2022\u200c]\u0640+)(?=[\u0621-\u064a])")

# Whole lines that are site furniture, compared after normalisation.
_BOILERPLATE = {
    normalize(s)
    for s in (
        "مقالات ذات صلة", "زر الذهاب إلى الأعلى", "الأكثر قراءة", "الأكثر مشاهدة", "اقرأ أيضا", "اقرأ أيضاً",
        "شارك", "شارك هذا المقال", "مشاركة", "تابعونا", "تابعنا على", "أخبار ذات صلة", "مواضيع ذات صلة",
        "العودة إلى الأعلى", "إلى الأعلى", "اشترك في النشرة", "اشترك", "التعليقات", "أضف تعليق",
        "facebook", "whatsapp", "telegram", "twitter", "x", "linkedin", "email", "print", "طباعة",
        "back to top", "related articles", "most read", "share", "read more",
    )
}
_SHARE_ROW = re.compile(r"^(?:facebook|whatsapp|telegram|twitter|linkedin|messenger|pinterest|email|x)(?:[\s|،,]+(?:facebook|whatsapp|telegram|twitter|linkedin|messenger|pinterest|email|x))+$", re.I)
_BULLET = re.compile(r"^[\s•·\-–*]+")


def undo_dodges(text: str) -> str:
    """Remove the tatweel-and-dot insertions that break words for keyword filters."""
    return _DODGE.sub("", text)


def is_boilerplate(line: str) -> bool:
    """True for share buttons, 'related articles', 'back to top' and similar lines."""
    key = normalize(_BULLET.sub("", line)).strip(" :|")
    return key in _BOILERPLATE or bool(_SHARE_ROW.match(key))


def clean_text(text: str, title: str | None = None) -> str:
    """Cleaned display text: dodges undone, boilerplate and repeated title lines dropped, blank runs squeezed."""
    text = undo_dodges(text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", ""))
    lines = [line.rstrip() for line in text.split("\n")]
    title_key = normalize(undo_dodges(title)).strip() if title else None
    out: list[str] = []
    seen_title = False
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        if is_boilerplate(line):
            continue
        if title_key and normalize(line).strip() == title_key:
            if seen_title:
                continue
            seen_title = True
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def first_line(text: str) -> str:
    """The first non-empty line, markdown heading marks removed: the title of a plain-text article."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip().lstrip("#").strip()
    return ""
