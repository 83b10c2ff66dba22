"""Gazetteer: the places, armed groups, forces and operations of the Syrian Badia conflict.

The data is ``rag/data/gazetteer.json``: ``{"version": 1, "entries": [...], "not_names_ar": [...], "include": [...]}``;
``include`` names files beside it whose ``entries`` join the hand-written ones (``places-geonames.json``: the
towns and villages of Syria and Iraq from GeoNames, made by ``scripts/build_places.py``).
An entry has an ``id`` (``place:sukhnah``; the prefix is its ``type``: place, group, force or
operation), canonical ``ar`` and ``en`` names, ``aliases_ar`` and ``aliases_en``; places add
``lat``, ``lon`` and ``admin`` (governorate), actors ``kind``, ``backer`` and ``parent`` (an id), forces
``state`` (the state whose forces they are, in English: a bare «روسيا» names Russia, not its forces);
``note`` is free text. Users extend the file (or point ``RAG_GAZETTEER`` at their own copy);
loading checks it and names the file and the entry of any mistake.

Arabic matching works on :func:`rag.arabic.normalize`'d whole words and reports offsets into the
original text. Tatweel and filter-dodging dots (``داعـ.ـش``) are ignored; the first word may carry
attached prefixes (و ف, then ب ك ل: ``بالسخنة``, ``للسخنة``, ``ولواء``) and the words may be
separated by spaces, hyphens or quote marks (``لواء “الباقر”``). Mentions include the prefixes.
A name that is also an ordinary word is marked ``"ambiguous": true``: its names then match only
after a cue word (a place word, a direction or a preposition: ``مدينة الطبقة``, ``في دوما``),
unless they start with one; the mention leaves the cue out. An entry marked ``"partial": true`` (the
GeoNames places) may lack spellings the news uses: finding it proves a mention, missing it proves
nothing (rag.answering.extractive.missing_names does not refuse on it). ``not_names_ar`` lists phrases
that contain a name but do not mean it (``وزارة الدفاع الوطني``): they shadow the name and are
never reported.

English matching folds case, accents and common transliteration variation (q/k, o/u, doubled
letters, ei/ay, a final -ah/-eh), makes the article (al-, el-, as-, ...) optional and ignores the
spaces, hyphens and apostrophes between words: ``Deir ez-Zor``, ``Deir al-Zour`` and ``Deir
Ezzor`` all match. Names of five consonants or more may also differ in their vowels
(``Fatimiyun`` ~ ``Fatemiyoun``). Two-character aliases (``IS``, ``US``) match only in exactly
that case. In both scripts overlapping matches keep the longest (``لواء فاطميون`` over ``فاطميون``).
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TypeGuard

__all__ = ["DEFAULT_PATH", "ENV_VAR", "Entry", "Gazetteer", "Mention"]

from rag.arabic import normalize
from rag.resources import data_path
from rag.textmap import MARKS_AND_COMBINING, fold_with_offsets

DEFAULT_PATH = data_path("gazetteer.json")
ENV_VAR = "RAG_GAZETTEER"
TYPES = ("place", "group", "force", "operation")
_KEYS = {"id", "type", "ar", "en", "aliases_ar", "aliases_en", "lat", "lon", "admin",
         "kind", "backer", "parent", "ambiguous", "partial", "note", "state"}
_ID = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9-]*$")

_AR_WORD = re.compile(r"\w+")
_AR_SPLIT = re.compile(r"(\w+)")
_AR_GAP = re.compile(r"[\s\"'«»“”„‟‘’‹›\-]+")
_CUES = frozenset(normalize(w) for w in (
    "مدينة مدينتي بلدة قرية منطقة ريف بادية محافظة حي مخيم قضاء ناحية مطار قاعدة معبر دوار "
    "حاجز محيط أطراف مشارف شرق شرقي غرب غربي شمال شمالي جنوب جنوبي في من إلى نحو قرب بين حول "
    "داخل باتجاه على عند").split())

_EN_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u1e00-\u1eff]+")
_EN_GAP = re.compile(r"[\s\-\u2010-\u2015'’‘`ʼʿʾ.]{1,3}")
_IN_WORD = re.compile(r"['’‘`ʼʿʾ]")
_ARTICLES = frozenset("al el ul il as ash ad ar at az ez es ed er et an en ath adh".split())
_SKELETON_MIN = 5  # consonants: shorter skeletons meet English words (Palmer ~ Palmyra)
_MAX_EN_TOKENS = 8


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry (see the module docstring for the fields)."""

    id: str
    type: str
    ar: str
    en: str
    aliases_ar: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    admin: str | None = None
    kind: str | None = None
    backer: str | None = None
    parent: str | None = None
    ambiguous: bool = False
    partial: bool = False  # its Arabic names may miss spellings the news uses (built, not written by hand)
    state: str | None = None  # a force's state in English ("Russia"): what a bare state name («روسيا») names


@dataclass(frozen=True)
class Mention:
    """A name found in a text; ``text == original[start:end]``."""

    entry: Entry
    start: int
    end: int
    text: str


_NOT_A_NAME = Entry("stop:not-a-name", "stop", "-", "-")
_MISSING = object()  # not looked up yet (Gazetteer._match_english)


class Gazetteer:
    """Named places, groups, forces and operations, with matchers for Arabic and English text."""

    def __init__(self, entries: Iterable[Entry], not_names_ar: Iterable[str] = (), source: str = "<memory>"):
        self.entries: list[Entry] = list(entries)
        self.source = source
        self._by_id = {e.id: e for e in self.entries}
        # a governorate's own entry: the place named as its own governorate (Hama in Hama)
        self._governorates = {e.admin: e for e in self.entries if e.type == "place" and e.admin and e.en == e.admin}
        # first word form -> second word ("" for one-word names) -> [(rest, entry, cue words to skip)]
        self._ar: dict[str, dict[str, list[tuple[tuple[str, ...], Entry, int]]]] = {}
        self._en: dict[str, Entry] = {}  # exact (<= 2 chars), lower (3) or folded key
        self._skeletons: dict[str, list[tuple[str, Entry]]] = {}
        self._en_matches: dict[str, Entry | None] = {}  # word run -> entry (see _match_english)
        self._longest_en = 0
        for entry in self.entries:
            for name in (entry.ar, *entry.aliases_ar):
                self._add_arabic(name, entry)
            for name in (entry.en, *entry.aliases_en):
                self._add_english(name, entry)
        for phrase in not_names_ar:
            self._add_arabic(phrase, _NOT_A_NAME)
        # finding is pure once built, and an ask looks for names in the same question and sentences from
        # several readers (retrieval, named things, facets, answer kinds): memoised per gazetteer, by text
        self._found_ar = functools.lru_cache(maxsize=16384)(self._find_arabic)
        self._found_en = functools.lru_cache(maxsize=4096)(self._find_english)

    def _add_arabic(self, name: str, entry: Entry) -> None:
        words = tuple(_AR_WORD.findall(normalize(name)))
        cued = entry.ambiguous and words[0] not in _CUES  # then the mention leaves the cue out
        for form in [(c, *words) for c in _CUES] if cued else [words]:
            for first in _first_word_forms(form[0]):
                rows = self._ar.setdefault(first, {}).setdefault(form[1] if len(form) > 1 else "", [])
                other = next((e for rest, e, _ in rows if rest == form[1:]), None)
                if other is None:
                    rows.append((form[1:], entry, int(cued)))
                elif other is not entry:
                    raise ValueError(f"{self.source}: {entry.id}: {name!r} is already a name of {other.id}")

    def _add_english(self, name: str, entry: Entry) -> None:
        raw = "".join(word for word, *_ in _english_words(name))
        self._longest_en = max(self._longest_en, len(raw))
        key = _en_key(raw)
        if self._en.setdefault(key, entry) is not entry:
            raise ValueError(f"{self.source}: {entry.id}: {name!r} is already a name of {self._en[key].id}")
        skeleton = _skeleton(key)
        if len(key) > 3 and len(skeleton) >= _SKELETON_MIN:
            self._skeletons.setdefault(skeleton, []).append((key, entry))

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """Read a gazetteer file (default: $RAG_GAZETTEER, else rag/data/gazetteer.json)."""
        path = Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not valid UTF-8 JSON: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ValueError(f"{path}: expected an object with an 'entries' list")
        if data.get("version", 1) != 1:
            raise ValueError(f"{path}: unsupported version {data.get('version')!r}")
        not_names = data.get("not_names_ar", [])
        if not isinstance(not_names, list) or not all(isinstance(p, str) and _AR_WORD.search(p)
                                                      for p in not_names):
            raise ValueError(f"{path}: 'not_names_ar' must be a list of Arabic phrases")
        entries: dict[str, Entry] = {}
        for where, rows in [(path, data["entries"]), *_included(path, data)]:
            for i, raw in enumerate(rows):
                entry = _parse_entry(raw, f"{where}: entry {i}")
                if entries.setdefault(entry.id, entry) is not entry:
                    raise ValueError(f"{where}: entry {i}: duplicate id {entry.id!r}")
        for entry in entries.values():
            if entry.parent is not None and entry.parent not in entries:
                raise ValueError(f"{path}: entry {entry.id!r}: unknown parent {entry.parent!r}")
        return cls(entries.values(), not_names, source=str(path))

    def get(self, id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._by_id.get(id)

    def governorate_of(self, id: str) -> Entry | None:
        """The entry of the governorate a place lies in (Hama for Masyaf), or None."""
        entry = self._by_id.get(id)
        return self._governorates.get(entry.admin) if entry is not None and entry.admin else None

    def find_arabic(self, text: str) -> list[Mention]:
        """Names in Arabic text, longest match first, with offsets into the original text."""
        return list(self._found_ar(text))

    def find_english(self, text: str) -> list[Mention]:
        """Transliterated names in English text, whole words only."""
        return list(self._found_en(text))

    def _find_arabic(self, text: str) -> tuple[Mention, ...]:
        norm, offsets = fold_with_offsets(text, MARKS_AND_COMBINING)
        parts = _AR_SPLIT.split(norm)  # gap, word, gap, word, ..., gap
        bounds = list(accumulate(map(len, parts), initial=0))
        found = []
        for i, word in enumerate(parts[1::2]):
            if (table := self._ar.get(word)) is None:
                continue
            k = 2 * i + 1
            following = parts[k + 2] if k + 2 < len(parts) else ""
            for rest, entry, cue in (*table.get("", ()), *(table.get(following, ()) if following else ())):
                last = k + 2 * len(rest)
                if last >= len(parts) or any(
                    parts[k + 2 * n + 2] != w or not _AR_GAP.fullmatch(parts[k + 2 * n + 1])
                    for n, w in enumerate(rest)
                ):
                    continue
                a, b = bounds[k + 2 * cue], bounds[last + 1]
                a, b = offsets[a], offsets[b - 1] + 1
                found.append(Mention(entry, a, b, text[a:b]))
        return tuple(m for m in _resolve(found) if m.entry is not _NOT_A_NAME)

    def _find_english(self, text: str) -> tuple[Mention, ...]:
        words = _english_words(text)
        found = []
        for i, (_, _, _, _, start) in enumerate(words):
            raw = ""
            for j in range(i, min(i + _MAX_EN_TOKENS, len(words))):
                raw += words[j][0]
                if j > i and not words[j][3] or len(raw) > self._longest_en:
                    break
                entry = self._match_english(raw)
                if entry is not None:
                    found.append(Mention(entry, start, words[j][2], text[start:words[j][2]]))
        return tuple(_resolve(found))

    def _match_english(self, raw: str) -> Entry | None:
        """The entry an English word run names, or None (remembered per gazetteer: questions share their words)."""
        found = self._en_matches.get(raw, _MISSING)  # one read: safe beside another thread's clear()
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        if len(self._en_matches) > 65536:
            self._en_matches.clear()
        entry = self._en_matches[raw] = self._match_english_key(raw)
        return entry

    def _match_english_key(self, raw: str) -> Entry | None:
        key = _en_key(raw)
        if key in self._en or len(key) <= 3:
            return self._en.get(key)
        # Vowels may differ (Fatemiyoun ~ Fatimiyun) when the consonants, the first letter and
        # about the length agree, and no other entry has that skeleton.
        hits = {e for alias, e in self._skeletons.get(_skeleton(key), ())
                if alias[0] == key[0] and abs(len(alias) - len(key)) <= 2}
        return hits.pop() if len(hits) == 1 else None

    def find(self, text: str) -> list[Mention]:
        """Arabic and English mentions together, ordered by position."""
        return _resolve(self.find_arabic(text) + self.find_english(text))

    def expand_query(self, question: str) -> list[str]:
        """Arabic names (canonical, then aliases) of every entry the question names, for BM25."""
        out: list[str] = []
        for mention in self.find(question):
            out.extend(n for n in (mention.entry.ar, *mention.entry.aliases_ar) if n not in out)
        return out


def _included(path: Path, data: dict) -> list[tuple[Path, list]]:
    """The entries of the files an ``include`` list names, beside the gazetteer file (``places-geonames.json``)."""
    include = data.get("include", [])
    if not isinstance(include, list) or not all(isinstance(n, str) for n in include):
        raise ValueError(f"{path}: 'include' must be a list of file names")
    out = []
    for name in include:
        part = path.parent / name
        try:
            rows = json.loads(part.read_text(encoding="utf-8")).get("entries")
        except (OSError, json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
            raise ValueError(f"{path}: included file {part}: {exc}") from exc
        if not isinstance(rows, list):
            raise ValueError(f"{part}: expected an object with an 'entries' list")
        out.append((part, rows))
    return out


def _resolve(found: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions, ordered by position."""
    taken = bytearray(max((m.end for m in found), default=0))
    kept = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if not any(taken[m.start:m.end]):
            taken[m.start:m.end] = b"\1" * (m.end - m.start)
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _first_word_forms(word: str) -> set[str]:
    """The first word with attached prefixes: السخنه -> والسخنه, بالسخنه, للسخنه ..."""
    conj, prep = ("", "و", "ف"), ("", "ب", "ك")
    if word.startswith("ال"):
        return {c + p + word for c in conj for p in prep} | {c + "لل" + word[2:] for c in conj}
    return {c + p + word for c in conj for p in (*prep, "ل")}


def _english_words(text: str) -> list[tuple[str, int, int, bool, int]]:
    """Latin words minus articles: (word, start, end, joins the previous one, start with article)."""
    tokens = [(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(text)]
    out: list[tuple[str, int, int, bool, int]] = []
    chained, article = False, None  # every gap fine since the last kept word; a pending article
    for i, (word, start, end) in enumerate(tokens):
        gap = text[tokens[i - 1][2]:start] if i else ""
        gap_ok = bool(_EN_GAP.fullmatch(gap))
        chained = chained and gap_ok
        after = text[end:tokens[i + 1][1]] if i + 1 < len(tokens) else ""
        # an article stands alone or hyphenated (al-Bab); after an apostrophe it is a syllable (Ba'ath)
        in_word = _IN_WORD.fullmatch(gap) or _IN_WORD.fullmatch(after)
        if word.lower() in _ARTICLES and after and not in_word:
            article = (word.lower(), start)
            continue
        # the article is part of the mention when written onto the name (as-Sukhnah) or al/el
        attached = article if article is not None and gap_ok and (not gap.isspace() or article[0] in ("al", "el")) else None
        out.append((word, start, end, bool(out) and chained, attached[1] if attached else start))
        chained, article = True, None
    return out


def _en_key(raw: str) -> str:
    """Matching key of a name's letters: exact for two characters, lower case for three, else folded (pure; a question's
    word runs are remembered per gazetteer with what they match, `Gazetteer._match_english`)."""
    key = "".join(c for c in unicodedata.normalize("NFKD", raw) if c.isascii() and c.isalnum())
    if len(key) <= 2:
        return key
    key = key.lower()
    if len(key) == 3:
        return key
    key = key.replace("ph", "f").replace("ck", "k").replace("q", "k").replace("o", "u")
    key = re.sub(r"(.)\1+", r"\1", key.replace("ee", "i").replace("iy", "i"))
    key = re.sub(r"[ae][iy]", "ay", key)
    return re.sub(r"[ae]h?$", "a", key) if len(key) > 4 else key


def _skeleton(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw]", "", key))


def _number(value: object) -> TypeGuard[int | float]:
    """A JSON number (not a boolean)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _parse_entry(raw: object, where: str) -> Entry:
    """Check one JSON entry and build it; errors name the file and the entry."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object")
    where = f"{where} ({raw.get('id', '?')!r})"
    if unknown := set(raw) - _KEYS:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    for key in ("id", "type", "ar", "en"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{where}: missing or empty {key!r}")
    if raw["type"] not in TYPES or not _ID.match(raw["id"]) or not raw["id"].startswith(raw["type"] + ":"):
        raise ValueError(f"{where}: type must be one of {TYPES}, the id look like '{raw['type']}:a-name'")
    aliases = {}
    for key in ("aliases_ar", "aliases_en"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
            raise ValueError(f"{where}: {key!r} must be a list of non-empty strings")
        aliases[key] = tuple(value)
    if not all(_AR_WORD.search(normalize(n)) for n in (raw["ar"], *aliases["aliases_ar"])) or not all(
        _EN_WORD.search(n) for n in (raw["en"], *aliases["aliases_en"])
    ):
        raise ValueError(f"{where}: a name has no letters")
    lat, lon = raw.get("lat"), raw.get("lon")
    if (lat is not None or lon is not None) and not (_number(lat) and _number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{where}: bad coordinates lat={lat!r} lon={lon!r}")
    for key in ("admin", "kind", "backer", "parent", "note", "state"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ValueError(f"{where}: {key!r} must be a string")
    for key in ("ambiguous", "partial"):
        if not isinstance(raw.get(key, False), bool):
            raise ValueError(f"{where}: {key!r} must be true or false")
    return Entry(
        raw["id"], raw["type"], raw["ar"], raw["en"], aliases["aliases_ar"], aliases["aliases_en"],
        None if lat is None else float(lat), None if lon is None else float(lon),
        raw.get("admin"), raw.get("kind"), raw.get("backer"), raw.get("parent"), raw.get("ambiguous", False),
        raw.get("partial", False), raw.get("state"),
    )
