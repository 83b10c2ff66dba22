"""Structured events: who did what, where and when, each cited to the sentence it came from.

An :class:`Event` is one act of one type with its actors and their roles, the most specific place
named, the figures quoted verbatim (``{"fighters": "أكثر من 400 عنصر"}``), its date and precision,
and a :class:`~rag.answering.citations.Citation` whose quote is ``article_text[start:end]``.

The package, bottom up:

* ``text``: folding for matching with a map back to original offsets, word helpers;
* ``lexicon``: the types, triggers, cue words and units, loaded from ``rag/data/events/*.json``;
* ``triggers``, ``mentions``, ``figures``: what act, who and where, which numbers, in one sentence;
* ``model``: the :class:`Event` record and how renderers write its actors and place;
* ``extract``: extractive events of articles (pure: text + gazetteer);
* ``llm``: the LLM mode, its reply checked against the quotes;
* ``filters``, ``query``: filtering and ordering, and every event of an index (cached on its version);
* ``export``: CSV;
* ``gist``: one English line per event for English answers and briefings.

Scoring against hand annotation is evaluation, in :mod:`rag.events_eval`.
"""

from .export import CSV_COLUMNS, to_csv
from .extract import extract_events
from .figures import find_figures
from .filters import filter_events, sort_events, type_id
from .gist import gist_line
from .lexicon import EXTRACTION_VERSION, FIGURE_KINDS, TYPES, TYPES_AR
from .llm import EventsLLMError, check_llm_events, format_chunks, llm_events, parse_llm_reply, types_block
from .model import EXTRACTIVE, ROLE_LABELS, ROLES, Event, actors_line, place_line
from .query import EventIndex, all_events, query_events
from .text import fold
from .triggers import Trigger, find_triggers

__all__ = [
    "CSV_COLUMNS", "EXTRACTION_VERSION", "EXTRACTIVE", "FIGURE_KINDS", "ROLES", "ROLE_LABELS", "TYPES", "TYPES_AR", "Event", "EventIndex",
    "EventsLLMError", "Trigger", "actors_line", "all_events", "check_llm_events", "extract_events", "filter_events",
    "find_figures", "find_triggers", "fold", "format_chunks", "gist_line", "llm_events", "parse_llm_reply", "place_line",
    "query_events", "sort_events", "to_csv", "type_id", "types_block",
]
