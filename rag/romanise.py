"""A likely Latin spelling of an Arabic name the gazetteer does not know: «كمروك» -> "Kamrouk".

An English gist line names a site the gazetteer does not know as the article writes it («قرية كمروك»,
rag.events.sites); an English reader cannot read or search that. `arabic-name-romanizer` (MIT, offline: a
dictionary of attested spellings from Wikidata, then a small ONNX model on CPU, shipped in its wheel) gives the
spelling the name most likely has in Latin letters, with the Syrian convention (``country="SY"``: «داقوق» ->
"Daqouq", not the Maghrebi "Dagoug"). It is a likely spelling, not a gazetteer name: lines show it beside the
Arabic, marked as romanised. Loading takes about half a second, once per process; a name then takes well under a
millisecond from the dictionary, a few from the model.

When the package cannot be imported (an install without it), no name is romanised and lines keep the Arabic alone.
"""

from __future__ import annotations

import functools
import re

_ARABIC = re.compile(r"^[\u0621-\u064a\s]+$")


@functools.cache
def _transliterate():
    try:
        from arabic_name_romanizer import transliterate
    except ImportError:  # pragma: no cover - a pinned dependency; an install without it keeps the Arabic
        return None
    return transliterate


@functools.lru_cache(maxsize=4096)
def romanise(name: str, country: str = "SY") -> str | None:
    """The likely Latin spelling of an Arabic name, or None (not Arabic letters only, or the package absent)."""
    name = name.strip()
    if not name or not _ARABIC.match(name):
        return None
    transliterate = _transliterate()
    if transliterate is None:
        return None
    text = str(transliterate(name, country=country)).strip()
    return text or None
