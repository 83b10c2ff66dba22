"""The event lexicon, loaded from the data files ``rag/data/events/types.json`` and ``lexicon.json``.

``types.json`` names the event types (English and Arabic labels, the figures an event of the type
carries, the words a user may type to filter on it, example words for the LLM prompt).
``lexicon.json`` holds the trigger patterns per type (regexes on :func:`rag.arabic.normalize`'d text,
with ``{PREFIX}``, ``{SUFFIX}``, ``{VERB}`` and ``{WORD}`` standing for the attached prefixes, the attached
pronouns, the prefixes of a verb and one word), the cue-word lists the rules read (``cues``), the
generic words that name a known actor, and the figure units. Edit the files, not this module.
"""

from __future__ import annotations

import json
import re
import zlib

from ..resources import data_file
from .text import fold_letters, whole_words

# The placeholders of the trigger patterns.
PLACEHOLDERS = {
    "{PREFIX}": r"(?:[وف]?(?:[بكل]?ال|لل|[بكل])|[وف])?",  # و ف + ب ك ل + ال, or لل
    "{SUFFIX}": r"(?:هما|ها|هم|ه|نا|كم|ا)?",  # attached pronouns
    "{VERB}": r"[وف]?(?:س)?",  # before a verb: و ف and the future س
    "{WORD}": r"(?:\S+\s+)",  # one word and its space
}


def _load(name: str) -> dict:
    path = data_file("events", name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RuntimeError(f"cannot read the events lexicon {path}: {exc}") from exc


def expand(pattern: str) -> str:
    """A lexicon pattern with its placeholders replaced by their regexes (pure)."""
    for name, regex in PLACEHOLDERS.items():
        pattern = pattern.replace(name, regex)
    return pattern


_TYPES = _load("types.json")
_LEXICON = _load("lexicon.json")

RULES_REVISION = 6  # bump when the extraction code changes what it outputs (stored events are then re-extracted)
# 4: rows stored at ingest are made from chunks carrying their article's title and date, as readers see them
# (before, an ingest also stored the events of the title line, which readers skip: it is told again in the body)
# 5: events carry a named site the gazetteer does not know (rag.events.sites); session 7's trigger rules
# 6: a targeting verb that opens its clause names its doer next (rag.events.mentions.role_of)
# What stored events depend on besides the gazetteer: the lexicon files and the rules' revision.
EXTRACTION_VERSION = zlib.crc32(json.dumps([_TYPES, _LEXICON, RULES_REVISION], sort_keys=True).encode("utf-8"))

TYPES: dict[str, str] = {t: d["label"] for t, d in _TYPES["types"].items()}
TYPES_AR: dict[str, str] = {t: d["label_ar"] for t, d in _TYPES["types"].items()}
FIGURE_KINDS: tuple[str, ...] = tuple(_TYPES["figure_kinds"])
FIGURES_FOR: dict[str, frozenset[str]] = {t: frozenset(d["figures"]) for t, d in _TYPES["types"].items()}
TYPE_WORDS: dict[str, tuple[str, ...]] = {t: tuple(d["filter_words"]) for t, d in _TYPES["types"].items()}
PROMPT_EXAMPLES: dict[str, str] = {t: d["prompt_examples"] for t, d in _TYPES["types"].items()}

TRIGGERS: dict[str, re.Pattern] = {t: whole_words("|".join(expand(p) for p in ps))
                                   for t, ps in _LEXICON["triggers"].items()}
# Shelling (قصف) is an airstrike with an air word in the sentence, else shelling; a bare "targeting"
# (استهداف) is an airstrike with an air word, shelling with a remote word (artillery, rockets), else a
# clash, and counts only when the sentence has no other trigger.
# Entering, deploying, leaving, evacuation: acts only when the same clause names armed men (ARMED_WORDS).
ARMED_TRIGGERS: dict[str, re.Pattern] = {t: whole_words("|".join(expand(p) for p in ps))
                                         for t, ps in _LEXICON["armed_triggers"].items() if not t.startswith("_")}
ARMED_WORDS = re.compile(fold_letters(_LEXICON["armed_words"]))
SHELLING = whole_words("|".join(expand(p) for p in _LEXICON["shelling"]))
TARGETING = whole_words("|".join(expand(p) for p in _LEXICON["targeting"]))
STRIKES = whole_words("|".join(expand(p) for p in _LEXICON["strikes"]))
AIR_WORDS = re.compile(fold_letters(_LEXICON["air_words"]))
REMOTE_WORDS = re.compile(fold_letters(_LEXICON["remote_words"]))
# Remote weapons fired from the ground only (artillery, mortars, shells, chemicals); a missile can be either.
GROUND_WORDS = re.compile(fold_letters(_LEXICON["ground_words"]))
NOT_AIR = re.compile(fold_letters(_LEXICON["not_air"]))
# Forces that strike from aircraft, drones and ships only: their missile attacks are air strikes.
AIR_DOERS = frozenset(_LEXICON["air_doers"]["ids"])
DATE_WORDS = re.compile(_LEXICON["date_words"])
CUES: dict[str, frozenset[str]] = {name: frozenset(fold_letters(w) for w in words)
                                   for name, words in _LEXICON["cues"].items()}
# Words that name a known actor without a gazetteer name: (regex, entry id, only once the article named it)
GENERIC_ACTORS: list[tuple[re.Pattern, str, bool]] = [
    (whole_words(g["pattern"]), g["id"], bool(g["after_a_name"])) for g in _LEXICON["generic_actors"]]
UNIT_OF: dict[str, str] = {fold_letters(w): kind for kind, words in _LEXICON["units"].items() for w in words}
QUANTIFIERS: str = _LEXICON["quantifiers"]


def lexicon_part(name: str) -> dict:
    """A top-level part of lexicon.json by name (KeyError naming the file when it is missing)."""
    try:
        return _LEXICON[name]
    except KeyError:
        raise KeyError(f"rag/data/events/lexicon.json has no part {name!r}") from None


def cue(name: str) -> frozenset[str]:
    """A cue-word list of lexicon.json by name (KeyError naming the file when it is missing)."""
    try:
        return CUES[name]
    except KeyError:
        raise KeyError(f"rag/data/events/lexicon.json has no cue list {name!r}") from None
