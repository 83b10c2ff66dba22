"""Figures: numbers with a unit (fighters, strikes, vehicles, killed, wounded, ...) quoted verbatim."""

from __future__ import annotations

import re

from ..numbers import NUMBER, has_digit
from .lexicon import QUANTIFIERS, UNIT_OF, cue
from .text import TOKEN, bare, fold, fold_letters, to_original

KILL_CUES, WOUND_CUES = cue("kill_cues"), cue("wound_cues")
FIGURE = re.compile(fold_letters(
    rf"(?<![^\W_])[وفب]?(?:(?P<q>{QUANTIFIERS})\s+)?(?:(?P<n>{NUMBER})\s*(?:من\s+(?:ال)?)?|(?P<w>عشرات|مئات|الاف)\s+(?:ال)?)"
    rf"(?P<u>{'|'.join(sorted(UNIT_OF, key=len, reverse=True))})(?![^\W_])"))


def find_figures(sentence: str) -> dict[str, str]:
    """Numbers with a unit in a sentence, verbatim, by kind (fighters, strikes, killed, ...) (pure)."""
    folded, index = fold(sentence)
    out: dict[str, str] = {}
    for m in FIGURE.finditer(folded):
        kind = UNIT_OF[m["u"]]
        if kind in ("fighters", "people"):  # the nearest killing or wounding word before the number decides
            for w in reversed([bare(w) for w in TOKEN.findall(folded[:m.start()])[-8:]]):
                if w in KILL_CUES or w in WOUND_CUES:
                    kind = "killed" if w in KILL_CUES else "wounded"
                    break
        start = m.start("q") if m["q"] else m.start("n") if m["n"] else m.start("w")
        a, b = to_original(sentence, index, start, m.end())
        text = sentence[a:b]
        if kind not in out or (m["n"] and not has_digit(out[kind])):
            out[kind] = text
    return out
