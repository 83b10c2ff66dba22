"""Named sites the gazetteer does not know: «بلدة تفتناز», «تل الحارة», «مطار الضبعة العسكري».

News names the town, village, hill or airport of an act by a class word and a name. When the gazetteer
holds the name, it is a place mention (rag.events.mentions); when it does not, the event's place is only
the governorate or region the sentence also names, and an English reader learns less than the sentence
says. A site keeps the words as the article writes them (the quote's own text, never translated or
romanised), so a gist can say "at «تل الحارة»" next to the gazetteer's "Golan Heights (Quneitra)".

A site is a class word (town, village, city, district, camp, airport; the word lists are
`rag/data/events/lexicon.json` "sites") followed by a
name: one word when it is definite («قرية الهبيط»), else the word and the next one unless that is a
direction, an adjective of the site or a function word («كفر نبل», «أورم الكبرى»; not «زملكا داخل»). Hills, mountains, dams,
bridges and springs carry the class word in their name («تل الحارة»). A name the gazetteer reads, a
place word standing alone («البلدة», «المدينة») and a word that is not a name (a number, a
preposition) make no site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import lexicon_part
from .text import TOKEN, bare, fold_letters

_SITES = lexicon_part("sites")  # rag/data/events/lexicon.json "sites"
CLASS = frozenset(fold_letters(w) for w in _SITES["class"])  # before the name, not part of it («بلدة»)
HEAD = frozenset(fold_letters(w) for w in _SITES["head"])  # the first word of the name itself («تل»)
STOP = frozenset(fold_letters(w) for w in _SITES["stop"])  # directions, site adjectives, function words
AFTER_VERB = frozenset(fold_letters(w) for w in _SITES["after_verb"])  # «قرية يسيطر عليها»: the word was a verb
_NAME = re.compile(r"^[\u0621-\u064a]{2,}$")  # Arabic letters only: no digits, no Latin (a bare «ال» is none)


@dataclass(frozen=True)
class Site:
    """A named site in a folded sentence: folded offsets of the whole phrase (class word and name)."""

    start: int
    end: int
    kind: str  # the class or head word, folded and bare


def find_sites(folded: str, known: list[tuple[int, int]]) -> list[Site]:
    """Sites of a folded sentence whose phrase overlaps no span in `known` (the gazetteer's mentions) (pure)."""
    words = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(folded)]
    out: list[Site] = []
    for i, (a, b, w) in enumerate(words[:-1]):
        # «بلدة»: its ب is no prefix; «البلدة», «المطار» refer back to a place told before, they name none
        kind = next((k for k in (w, w.lstrip("وف"), re.sub(r"^[وف]?[بلك]?", "", w)) if k in CLASS or k in HEAD), None)
        if kind is None:
            continue
        na, nb, name = words[i + 1]
        if not _name_word(name) or folded[b:na].strip():  # punctuation between the class word and the name
            continue
        if i + 2 < len(words) and words[i + 2][2] in AFTER_VERB:  # «قرية يسيطر عليها»: a verb, not a name
            continue
        end = nb
        if not name.startswith("ال") and i + 2 < len(words):  # «كفر نبل», «أورم الكبرى»: an indefinite first word
            xa, xb, more = words[i + 2]
            if _name_word(more) and not folded[nb:xa].strip():
                end = xb
        if not any(s < end and a < e for s, e in known):
            out.append(Site(a, end, kind))
    return out


def _name_word(word: str) -> bool:
    """A word that can be (part of) a place name: Arabic letters, not a function word, a direction, a class word or
    a word joined by «و» (and)."""
    if not _NAME.match(word) or word == "ال" or word in STOP or bare(word) in STOP or bare(word) in CLASS or word[1:] in STOP:
        return False  # («بأن»: ب + أن)
    if re.search(r"(?:ها|هم|هما)$", word) and len(word) > 4:
        return False  # «هجرها»: a verb with its object pronoun
    return not (word.startswith("و") and len(word) > 3 and not word.startswith("وادي"))
