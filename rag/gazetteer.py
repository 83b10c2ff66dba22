"""Gazetteer: the places, armed groups, forces and operations of the Syrian Badia conflict.

The data lives in ``data/gazetteer.json`` (``{"version": 1, "entries": [...]}``), one entry per
thing: ``id`` (``place:sukhnah``; the prefix is the ``type``: place, group, force or operation),
the canonical ``ar`` and ``en`` names, ``aliases_ar`` / ``aliases_en``, for places ``lat``/``lon``/
``admin``, for actors ``kind``/``backer``/``parent`` (an id), and a free ``note``. Users extend it
by adding entries or aliases to that file, or point ``RAG_GAZETTEER`` at their own copy. Loading
checks it and names the file and the entry of any mistake.

Matching (tables are built once, at load):

* Arabic: on :func:`rag.arabic.normalize`'d words (tatweel and filter-dodging dots ``داعـ.ـش``
  dropped), whole words only, offsets into the original text. The first word may carry the
  attached prefixes و ف + ب ك ل (``بالسخنة``, ``والسخنة``, ``للسخنة``, ``ولواء``); words may be
  separated by spaces, quote marks or hyphens (``لواء “الباقر”``). A name that is also a common
  word (``الباب`` "the door") is marked ``"ambiguous": true`` and then matches alone only after a
  place word (``مدينة الباب``, ``ريف الباب``); its multi-word aliases match as usual.
* English: words are folded (case, accents, q/k, doubled letters, ou/u, ei/ay, a final -ah/-eh),
  the article (al-, el-, as-, ad-, ...) is optional and spaces, hyphens and apostrophes between
  words are ignored, so ``Deir ez-Zor``, ``Deir al-Zour`` and ``Deir Ezzor`` meet. Names of four
  consonants or more also match on their consonant skeleton (``Sokhne`` ~ ``Sukhnah``). Aliases
  of two characters (``IS``, ``US``) match only with exactly that case, three-letter ones only as
  written (``SDF``, ``sdf``).

Overlaps keep the longest match (``لواء فاطميون`` over ``فاطميون``).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Iterable

from rag.arabic import normalize

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "gazetteer.json"
ENV_VAR = "RAG_GAZETTEER"
TYPES = ("place", "group", "force", "operation")
_KEYS = {"id", "type", "ar", "en", "aliases_ar", "aliases_en", "lat", "lon", "admin",
         "kind", "backer", "parent", "ambiguous", "note"}
_ID = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9-]*$")

# Arabic: attached prefixes, separators allowed between the words of a name, place words.
_CONJ, _PREP = ("", "و", "ف"), ("", "ب", "ك")
_AR_WORD = re.compile(r"\w+")
_AR_SPLIT = re.compile(r"(\w+)")
_AR_GAP = re.compile(r"[\s\"'«»“”„‟‘’‹›\-]+")
_PLACE_CUES = tuple(normalize(w) for w in (
    "مدينة مدينتي بلدة قرية منطقة ريف بادية محافظة حي مخيم قضاء ناحية مطار قاعدة معبر سد "
    "دوار حاجز محيط أطراف").split())
_DROPPED = re.compile("[\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
_SKIPPED = re.compile(_DROPPED.pattern + "+|(?<=\u0640)\\.|\\.(?=\u0640)")

# English: word tokens, separators inside a name, optional articles.
_EN_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u1e00-\u1eff]+")
_EN_GAP = re.compile(r"[\s\-\u2010-\u2015'’‘`ʼʿʾ.]{1,3}")
_ARTICLES = frozenset("al el ul il as ash ad ar at az ez es ed er et an en ath adh".split())
_SKELETON_MIN = 4
_MAX_EN_TOKENS = 8


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry; see the module docstring for the fields."""

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

    @property
    def arabic_names(self) -> tuple[str, ...]:
        """The canonical Arabic name followed by its aliases."""
        return (self.ar, *self.aliases_ar)

    @property
    def english_names(self) -> tuple[str, ...]:
        """The canonical English name followed by its aliases."""
        return (self.en, *self.aliases_en)


@dataclass(frozen=True)
class Mention:
    """A name found in a text; ``start``/``end`` index the original text."""

    entry: Entry
    start: int
    end: int
    text: str


def _ar_words(name: str) -> tuple[str, ...]:
    return tuple(_AR_WORD.findall(normalize(name)))


def _ar_first_forms(word: str) -> set[str]:
    """Spellings of a name's first word with attached prefixes: السخنه -> والسخنه, للسخنه ..."""
    if word.startswith("ال"):
        forms = {c + p + word for c in _CONJ for p in _PREP}
        return forms | {c + "لل" + word[2:] for c in _CONJ}
    return {c + p + word for c in _CONJ for p in (*_PREP, "ل")}


def _fold(word: str) -> str:
    """Lower-case ASCII letters and digits of a Latin word, accents removed."""
    word = unicodedata.normalize("NFKD", word)
    return "".join(c for c in word.lower() if c.isascii() and c.isalnum())


def _light(key: str) -> str:
    """Fold common transliteration variation: Qaryatain ~ Karyatayn, Sukhnah ~ Sukhna."""
    key = key.replace("ph", "f").replace("ck", "k").replace("q", "k")
    key = key.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    key = re.sub(r"(.)\1+", r"\1", key)
    key = re.sub(r"[ae][iy]", "ay", key)
    return re.sub(r"[ae]h?$", "a", key) if len(key) > 4 else key


def _skeleton(light: str) -> str:
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw]", "", light))


def _en_tokens(name: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _EN_WORD.finditer(name)]


def _core(tokens: list[tuple[str, int, int]], text: str) -> list[tuple[str, int, int, bool, int]]:
    """Tokens minus articles: (word, start, end, joins the previous one, start counting its article)."""
    out: list[tuple[str, int, int, bool, int]] = []
    chained, article = False, None  # all gaps fine since the last kept token; a pending article
    for i, (word, start, end) in enumerate(tokens):
        gap = text[tokens[i - 1][2]:start] if i else ""
        gap_ok = bool(_EN_GAP.fullmatch(gap))
        chained = chained and gap_ok
        if word.lower() in _ARTICLES and i + 1 < len(tokens):
            article = (word.lower(), start)
            continue
        # the article belongs to the name when written onto it (al-Sukhna) or when it is al/el
        attached = article is not None and gap_ok and (not gap.isspace() or article[0] in ("al", "el"))
        out.append((word, start, end, bool(out) and chained, article[1] if attached else start))
        chained, article = True, None
    return out


def _resolve(found: Iterable[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions, then order by position."""
    kept: list[Mention] = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


class Gazetteer:
    """Named places, groups, forces and operations, with matchers for Arabic and English text."""

    def __init__(self, entries: Iterable[Entry], source: str = "<entries>"):
        self.entries: list[Entry] = list(entries)
        self.source = source
        self._by_id = {e.id: e for e in self.entries}
        self._ar: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self._en_exact: dict[str, Entry] = {}
        self._en_lower: dict[str, Entry] = {}
        self._en_light: dict[str, Entry] = {}
        self._en_skeleton: dict[str, Entry | None] = {}
        for entry in self.entries:
            self._index_arabic(entry)
            self._index_english(entry)

    def _claim(self, table: dict, key, entry: Entry, name: str) -> None:
        other = table.setdefault(key, entry)
        if other is not entry:
            raise ValueError(f"{self.source}: {entry.id} name {name!r} is already a name of {other.id}")

    def _index_arabic(self, entry: Entry) -> None:
        seen: dict[tuple[str, ...], Entry] = {}
        for name in entry.arabic_names:
            words = _ar_words(name)
            forms = [words]
            if entry.ambiguous and len(words) == 1:
                forms = [(cue, *words) for cue in _PLACE_CUES]
            for form in forms:
                if not form or form in seen:
                    continue
                seen[form] = entry
                for first in _ar_first_forms(form[0]):
                    rows = self._ar.setdefault(first, [])
                    if any(rest == form[1:] and e is not entry for rest, e in rows):
                        raise ValueError(f"{self.source}: {entry.id} Arabic name {name!r} is also another entry's")
                    rows.append((form[1:], entry))
                    rows.sort(key=lambda row: -len(row[0]))

    def _index_english(self, entry: Entry) -> None:
        for name in entry.english_names:
            core = _core(_en_tokens(name), name)
            raw = "".join(word for word, *_ in core)
            key = _fold(raw)
            if not key:
                continue
            if len(key) <= 2:
                self._claim(self._en_exact, raw, entry, name)
            elif len(key) == 3:
                self._claim(self._en_lower, key, entry, name)
            else:
                light = _light(key)
                self._claim(self._en_light, light, entry, name)
                skeleton = _skeleton(light)
                if len(skeleton) >= _SKELETON_MIN and self._en_skeleton.get(skeleton, entry) is not entry:
                    self._en_skeleton[skeleton] = None  # shared by two entries: not safe to use
                elif len(skeleton) >= _SKELETON_MIN:
                    self._en_skeleton[skeleton] = entry

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Gazetteer":
        """Read a gazetteer file (default: $RAG_GAZETTEER, else data/gazetteer.json)."""
        path = Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ValueError(f"{path}: expected an object with an 'entries' list")
        if data.get("version", 1) != 1:
            raise ValueError(f"{path}: unsupported version {data.get('version')!r}")
        entries, ids = [], set()
        for i, raw in enumerate(data["entries"]):
            entry = _parse_entry(raw, f"{path}: entry {i}")
            if entry.id in ids:
                raise ValueError(f"{path}: entry {i}: duplicate id {entry.id!r}")
            ids.add(entry.id)
            entries.append(entry)
        for entry in entries:
            if entry.parent is not None and entry.parent not in ids:
                raise ValueError(f"{path}: entry {entry.id!r}: unknown parent {entry.parent!r}")
        return cls(entries, source=str(path))

    def get(self, id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._by_id.get(id)

    def find_arabic(self, text: str) -> list[Mention]:
        """Names in Arabic text, longest match first, offsets into the original text."""
        norm, offsets = _normalize_with_offsets(text)
        parts = _AR_SPLIT.split(norm)  # gap, word, gap, word, ..., gap
        bounds = list(accumulate(map(len, parts), initial=0))
        found = []
        for i, word in enumerate(parts[1::2]):
            k = 2 * i + 1
            for rest, entry in self._ar.get(word, ()):
                last = k + 2 * len(rest)
                if last >= len(parts) or any(
                    parts[k + 2 * n + 2] != w or not _AR_GAP.fullmatch(parts[k + 2 * n + 1])
                    for n, w in enumerate(rest)
                ):
                    continue
                a, b = bounds[k], bounds[last + 1]
                if offsets:
                    a, b = offsets[a], offsets[b - 1] + 1
                found.append(Mention(entry, a, b, text[a:b]))
        return _resolve(found)

    def find_english(self, text: str) -> list[Mention]:
        """Transliterated names in English text, whole words only."""
        core = _core(_en_tokens(text), text)
        found = []
        for i in range(len(core)):
            raw = ""
            for j in range(i, min(i + _MAX_EN_TOKENS, len(core))):
                if j > i and not core[j][3]:
                    break
                raw += core[j][0]
                entry = self._match_english(raw)
                if entry is not None:
                    start = core[i][4]
                    found.append(Mention(entry, start, core[j][2], text[start:core[j][2]]))
        return _resolve(found)

    def _match_english(self, raw: str) -> Entry | None:
        key = _fold(raw)
        if len(key) <= 2:
            return self._en_exact.get(raw)
        if len(key) == 3:
            return self._en_lower.get(key)
        light = _light(key)
        entry = self._en_light.get(light)
        skeleton = _skeleton(light)
        if entry is None and len(skeleton) >= _SKELETON_MIN:
            entry = self._en_skeleton.get(skeleton)
        return entry

    def find(self, text: str) -> list[Mention]:
        """Arabic and English mentions together, ordered by position."""
        return _resolve(self.find_arabic(text) + self.find_english(text))

    def expand_query(self, question: str) -> list[str]:
        """Arabic names (canonical and aliases) of every entry the question names, for BM25."""
        out: list[str] = []
        for mention in self.find(question):
            out.extend(n for n in mention.entry.arabic_names if n not in out)
        return out


def _normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Normalised text and, unless it is aligned with the original, each character's source index."""
    norm = normalize(text)
    if len(norm) == len(text) and not _DROPPED.search(text):
        return norm, None
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    # Only dropped characters (diacritics, tatweel, a dot hidden between tatweels as in فشـ.ـل)
    # break the alignment; the runs between them are normalised whole.
    for match in _SKIPPED.finditer(text):
        _append_run(text, pos, match.start(), parts, offsets)
        pos = match.end()
    _append_run(text, pos, len(text), parts, offsets)
    return "".join(parts), offsets


def _append_run(text: str, start: int, end: int, parts: list[str], offsets: list[int]) -> None:
    run = normalize(text[start:end])
    if len(run) == end - start:
        parts.append(run)
        offsets.extend(range(start, end))
        return
    for i in range(start, end):  # a character that expands (… -> ...): map piece by piece
        piece = normalize(text[i])
        parts.append(piece)
        offsets.extend([i] * len(piece))


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
        raise ValueError(f"{where}: type must be one of {TYPES} and id look like '{raw['type']}:some-name'")
    aliases = {}
    for key in ("aliases_ar", "aliases_en"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
            raise ValueError(f"{where}: {key!r} must be a list of non-empty strings")
        aliases[key] = tuple(value)
    if not _ar_words(raw["ar"]) or not all(_ar_words(a) for a in aliases["aliases_ar"]):
        raise ValueError(f"{where}: an Arabic name has no letters")
    lat, lon = raw.get("lat"), raw.get("lon")
    if (lat is None) != (lon is None) or any(
        v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))) for v in (lat, lon)
    ) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)):
        raise ValueError(f"{where}: bad coordinates lat={lat!r} lon={lon!r}")
    for key in ("admin", "kind", "backer", "parent", "note"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ValueError(f"{where}: {key!r} must be a string")
    if not isinstance(raw.get("ambiguous", False), bool):
        raise ValueError(f"{where}: 'ambiguous' must be true or false")
    return Entry(
        id=raw["id"], type=raw["type"], ar=raw["ar"], en=raw["en"], **aliases,
        lat=None if lat is None else float(lat), lon=None if lon is None else float(lon),
        admin=raw.get("admin"), kind=raw.get("kind"), backer=raw.get("backer"),
        parent=raw.get("parent"), ambiguous=raw.get("ambiguous", False),
    )
