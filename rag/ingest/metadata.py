"""Article metadata from text (pure): the outlet that published it.

Dates come from rag.dates; titles from the loaders. Outlets are matched against
the known names of ``rag/data/outlets.json`` where a report names its own outlet (a source
line, a by-line, the platform speaking of itself), never where the body quotes one.
"""

from __future__ import annotations

import json
import re

from ..arabic import normalize
from ..resources import data_file


def _load_outlets() -> dict[str, tuple[str, ...]]:
    """Canonical outlet name -> the forms that name it, from the shipped data file ``rag/data/outlets.json``."""
    data = json.loads(data_file("outlets.json").read_text(encoding="utf-8"))
    return {row["name"]: tuple(row["forms"]) for row in data["outlets"]}


# Canonical outlet name -> spellings that name it in a report's by-line (Syrian, Iraqi, regional and
# international Arabic outlets; extend rag/data/outlets.json, not this module).
OUTLETS: dict[str, tuple[str, ...]] = _load_outlets()

# Lines that state the outlet: "المصدر: شبكة شام", "خاص – SY24", "راديو الكل – متابعات",
# "أوطان بوست – فريق التحرير". A by-line is short; the body is not searched this way.
_SOURCE_LINE = re.compile(r"^[\s•·\-]*(?:المصدر|المصدر الأصلي|source)\s*[:：]\s*(?P<name>.{2,60})$", re.I)
_BYLINE = re.compile(r"^[\s•·\-]*(?:خاص\s*[–\-—]\s*)?(?P<name>[^–\-—\n]{2,40}?)\s*(?:[–\-—]\s*(?:متابعات|فريق التحرير|خاص))?\s*$")


def detect_outlet(text: str) -> str:
    """The outlet named in a report's by-line or source line, or '' when none is found."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines:
        match = _SOURCE_LINE.match(line)
        if match:
            return canonical_outlet(match.group("name").strip())
    short = [line for line in lines if len(line) <= 60]
    for line in short:
        match = _BYLINE.match(line)
        if match and (name := _known(match.group("name"))):
            return name
    return _known_in(text)


def canonical_outlet(name: str) -> str:
    """Map an outlet's spelling to its canonical name; unknown names are kept as written."""
    return _known(name) or name


def _known(name: str) -> str:
    key = normalize(name).strip()
    for canonical, spellings in OUTLETS.items():
        if key == normalize(canonical) or any(key == normalize(s) for s in spellings):
            return canonical
    return ""


def _known_in(text: str) -> str:
    """An outlet that speaks in the first person of the platform ('لمنصة SY24', 'خاص – SY24')."""
    key = normalize(text)
    for canonical, spellings in OUTLETS.items():
        for spelling in spellings:
            s = normalize(spelling)
            if re.search(r"(?:خاص\s*[–\-—]\s*|لمنصه\s+|منصه\s+)" + re.escape(s.replace("منصه ", "")), key):
                return canonical
            if re.search(r"(?m)^\s*[•·\-]?\s*" + re.escape(s) + r"\s*(?:[–\-—].{0,20})?$", key):
                return canonical
    return ""
