"""A name the sources never give: the question asks who (or which village) and the reports say only "an official".

"What was the name of the Hezbollah commander killed near al-Qusayr?" is not answered by «ما أسفر عن سقوط
قتلى، بينهم أحد قادة الجماعة»: the sentence is about the right strike and says there was a commander, and
the nearest-sentence answer would offer it as if it named him. Arabic news introduces a named person with
the definite noun and the name («المتحدث باسم الرئاسة، إبراهيم كالين», «السفير الروسي، فاسيلي نيبينزيا») or
the name first («أبو نبوت، وهو قائد عسكري»), and an unnamed one with an indefinite noun: «مسؤول كردي»,
«ضابط كبير في الجيش», «أحد قادة الجماعة», «قرية في ريف دير الزور الشرقي».

`asked_noun` reads what the question asks the name of (the nouns, their English patterns and Arabic
forms, are data: rag/data/unnamed.json): "the name of the Hezbollah commander", "who is the Syrian
official", «ما اسم القائد», «من هو المسؤول», "near which village". `unnamed` judges the first of the three
sentences closest to the question that mentions that noun, with the sentence before and after it: the
sources do not name it when every mention there is indefinite and no word names anyone («يدعى»,
«المدعو»). A mention is indefinite when the noun has no «ال» (a و ب ل ف clitic at most) and is followed by
nothing, punctuation, a listed word (a preposition, a describing adjective, a verb of saying) or a nisba
adjective («كردي», «روسية»: ending ي, ية, يين, يون, يا; no «ال»; not a place the gazetteer knows:
«مبعوث سوريا» names the country he speaks for, not his kind) or a listed nationality plural («ضباط روس»);
or when a prepositional phrase follows («مسؤول بالبحرية», «متحدثة باسم يونيسيف», «ضابط برتبة عقيد») and
no comma comes within six words (after one a name may follow); or when a plural follows «أحد» / «إحدى»
(«أحد قادة»). A word before the noun that puts the name first («وهو», «بصفته») makes it named. The phrase
rule was checked on a random sample of the ANT dump (rag/data/unnamed.json, "about").

Pure functions; the gazetteer is passed in. Measured on eval dev and dev-extra (eval/README.md).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .. import arabic
from ..resources import data_file

_TOKEN = re.compile(r"[\u0621-\u064a]+|[^\s\u0621-\u064a]")  # Arabic words; any other character is a token of its own
_NISBA = re.compile(r"(?:ي|يه|يين|يون|يا)$")
_PLURAL_AFTER = ("احد", "احدي")
# a name question: "what is the name of", "who is", «ما اسم», «من هو»; "which village", «في أي قرية» ask for a site's
# ("which" and «أي» only where the question starts: "to which journalist", «في أي قرية»; elsewhere they join clauses)
_ASKS_EN = re.compile(r"\b(?:what\s+(?:was|is|were|are)\s+the\s+names?|names?\s+of\s+the|who\s+(?:is|was|were|are)|identit(?:y|ies)\s+of)\b"
                      r"|^\W*(?:\w+\s+)?(?:which|whose)\b", re.I)
_ASKS_AR = re.compile(r"(?:(?:^|\s)(?:ما\s+(?:هو\s+|هي\s+)?(?:اسم|اسماء|هويه)|من\s+(?:هو|هي|هم))|^\W*(?:(?:في|قرب|من)\s+)?اي)\s+([\u0621-\u064a]+)")
_NEAR_EN = 4  # the noun follows the ask closely: "the name of the (Hezbollah) commander", "which (Turkish) official"


class _Sentence(Protocol):
    @property
    def text(self) -> str: ...


S = TypeVar("S", bound=_Sentence)


@dataclass(frozen=True)
class _Lexicon:
    nouns: tuple[tuple[re.Pattern, frozenset[str]], ...]  # English pattern, Arabic forms (normalised)
    forms: frozenset[str]
    after: frozenset[str]
    named_by: frozenset[str]
    before: frozenset[str]
    demonyms: frozenset[str]
    phrases: frozenset[str]


@functools.cache
def _lexicon() -> _Lexicon:
    raw = json.loads(data_file("unnamed.json").read_text(encoding="utf-8"))
    nouns = tuple((re.compile(rf"\b(?:{n['en']})\b", re.I), frozenset(arabic.normalize(f) for f in n["ar"])) for n in raw["nouns"])
    fold = lambda words: frozenset(arabic.normalize(w) for w in words)  # noqa: E731
    return _Lexicon(nouns, frozenset().union(*(f for _, f in nouns)), fold(raw["after"]), fold(raw["named_by"]), fold(raw["before"]),
                    fold(raw["demonyms"]), fold(raw["phrases"]))


def _noun(word: str, forms: frozenset[str]) -> tuple[bool, bool]:
    """(whether a normalised word is one of the forms, with a و/ف and a ب/ل clitic or «ال» at most; whether with «ال»)."""
    for w in (word, word[1:] if word[:1] in ("و", "ف") else ""):
        if not w:
            continue
        if w in forms:
            return True, False
        for article in ("ال", "بال", "لل"):
            if w.startswith(article) and w[len(article):] in forms:
                return True, True
        if w[:1] in ("ب", "ل") and w[1:] in forms:
            return True, False
    return False, False


def asked_noun(question: str) -> frozenset[str] | None:
    """The Arabic forms of what a name question asks the name of, or None when it asks no name of a listed noun."""
    lex = _lexicon()
    if not arabic.is_arabic(question):
        m = _ASKS_EN.search(question)
        if not m:
            return None
        rest = " ".join(question[m.end():].split()[:_NEAR_EN])
        found = [(hit.start(), forms) for pattern, forms in lex.nouns if (hit := pattern.search(rest))]
        return min(found, key=lambda t: t[0])[1] if found else None
    m = _ASKS_AR.search(arabic.normalize(question))
    if not m:
        return None
    return next((forms for _, forms in lex.nouns if _noun(m.group(1), forms)[0]), None)


def _mentions(text: str, forms: frozenset[str], is_place: Callable[[str], bool]) -> list[bool]:
    """For each mention of the noun in a text: whether it is indefinite (unnamed)."""
    lex = _lexicon()
    words = _TOKEN.findall(arabic.normalize(text))
    out = []
    for i, w in enumerate(words):
        hit, definite = _noun(w, forms)
        if not hit:
            continue
        prev = words[i - 1] if i else ""
        if prev in lex.before:
            out.append(False)
            continue
        if prev in _PLURAL_AFTER:
            out.append(True)
            continue
        if definite:
            out.append(False)
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        nisba = bool(nxt) and not nxt.startswith("ال") and bool(_NISBA.search(nxt)) and len(nxt) > 3 and not is_place(nxt)
        described = nxt in lex.after or nxt in lex.demonyms or nisba
        if nxt.startswith("بال") or nxt in lex.phrases:
            # a prepositional phrase describes the noun («مسؤول بالبحرية», «متحدثة باسم يونيسيف»); a name may
            # follow it after a comma («متحدثة باسم النيابة العامة، وينكي …»)
            described = not any(t in ("،", ",") for t in words[i + 2 : i + 8])
        out.append(not nxt or not nxt[0].isalpha() or nxt.startswith("و") or described)
    return out


def unnamed(question: str, closest: Sequence[S], context: Callable[[S], str], is_place: Callable[[str], bool]) -> S | None:
    """The evidence that shows the asked-for name is not given, or None (pure but for its callables).

    `closest`: the sentences closest to the question, best first (three are read); `context(ev)`: a
    sentence with its neighbours; `is_place(word)`: whether the gazetteer reads a word as a place."""
    forms = asked_noun(question)
    if forms is None:
        return None
    lex = _lexicon()
    for ev in list(closest)[:3]:
        if not _mentions(ev.text, forms, is_place):
            continue
        around = context(ev)
        marks = _mentions(around, forms, is_place)
        named_by = any(w in lex.named_by for w in _TOKEN.findall(arabic.normalize(around)))
        return ev if marks and all(marks) and not named_by else None
    return None
