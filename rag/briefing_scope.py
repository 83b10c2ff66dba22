"""What a briefing is about: `--about TEXT [--place P] [--actor A] [--outlet O]`, and which reports that keeps.

A scope has up to four facets; a report is kept when it meets every facet given:

- **about** (free text, English or Arabic): met by a gazetteer match, a lexical match or meaning.
  Gazetteer: the places, groups and forces the text names, widened to their *areas* (a country
  holds the places of its governorates, read from rag/data/geo/syria_admin1.geojson; a place
  named like its governorate holds that governorate's places; an entry holds its children by
  `parent`), matched with every alias in the report's title and lead (first chunk), homonyms
  checked by their context (rag.briefing_rules.find_names: «تدمر» "destroys" is no Palmyra). Lexical:
  the text's own Arabic words, and for named places their adjective (سوريا -> السوري, السورية,
  السوريين), as words with clitics (rag.arabic.word_pattern), all of them in the title or lead.
  Meaning: the e5 cosine of the report's lead vector (stored at ingest) with the about text
  embedded as a query, >= semantic_keep alone, or >= semantic_named (settings.briefing) when a scope name also occurs
  anywhere in the report. Why both: names alone miss reports about a theme without a name
  («الكيماوي»), meaning alone keeps the region's other wars, since e5 cosines of one region's
  news bunch (0.78-0.90). Thresholds read on the dev weeks (eval/README.md); not tuned on test.
- **place** / **actor**: the gazetteer entry (and its area) named in the title or lead; text
  that names no entry is matched lexically as above.
- **outlet**: the report's outlet, or one of its spellings in rag/data/outlets.json, contains the
  text (case and Arabic letter forms folded).

The scope and what it kept are stated at the top of the briefing (`Scope.describe`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import arabic
from .briefing_rules import find_names
from .resources import data_path
from .settings import BriefingSettings


@dataclass
class Scope:
    """The subject of a briefing; empty facets are not applied."""

    about: str = ""
    place: str = ""
    actor: str = ""
    outlet: str = ""

    def __post_init__(self):
        for name in ("about", "place", "actor", "outlet"):
            setattr(self, name, " ".join(str(getattr(self, name) or "").split()))

    def empty(self) -> bool:
        """True when no facet is given (the briefing covers every report of the period)."""
        return not (self.about or self.place or self.actor or self.outlet)

    def describe(self) -> str:
        """'about «Syria», place «Palmyra»' (or 'every report' when empty)."""
        parts = [f"{k} «{v}»" for k, v in asdict(self).items() if v]
        return ", ".join(parts) or "every report of the period (no scope given)"


@dataclass
class Facet:
    """One facet's matchers: gazetteer entry ids (with areas), lexical patterns (all must match), query text."""

    name: str
    text: str
    ids: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern, ...] = ()
    semantic: bool = False


@dataclass
class ScopeResult:
    """Which reports a scope kept, why, and the entity ids that count as the scope's actors and places."""

    scope: Scope
    kept: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # article id -> how it met the 'about' facet
    total: int = 0
    ids: frozenset[str] = frozenset()

    def to_dict(self) -> dict:
        """The scope as stated at the top of the briefing (JSON key `scope`)."""
        how: dict[str, int] = {}
        for r in self.reasons.values():
            how[r] = how.get(r, 0) + 1
        return {**asdict(self.scope), "description": self.scope.describe(), "kept": len(self.kept),
                "of": self.total, "kept_by": how, "names": sorted(self.ids)}


@lru_cache(maxsize=4)
def country_governorates(path: str | None = None) -> dict[str, frozenset[str]]:
    """{country: its governorates' English names} from the shipped outlines (Syria's)."""
    data = json.loads(Path(path or data_path("geo", "syria_admin1.geojson")).read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for f in data.get("features", []):
        p = f.get("properties", {})
        if p.get("country") and p.get("name_en"):
            out.setdefault(p["country"], set()).add(p["name_en"])
    return {k: frozenset(v) for k, v in out.items()}


def area(entry, gazetteer) -> set[str]:
    """The entry's id and those of the entries inside it (see the module docstring)."""
    out = {entry.id}
    governorates = country_governorates().get(entry.en, frozenset())
    for e in gazetteer.entries:
        inside = entry.type == "place" and e.type == "place" and e.admin and (
            e.admin in governorates or (entry.admin and entry.admin == entry.en and e.admin == entry.admin))
        if e.parent == entry.id or inside:
            out.add(e.id)
    return out


def _adjective(name: str) -> str | None:
    """The adjective of a country-like place name: سوريا -> سوري, العراق -> عراقي, لبنان -> لبناني (None if irregular)."""
    words = arabic.normalize(name).split()
    if len(words) != 1:
        return None
    w = re.sub(r"^ال", "", words[0])
    if w.endswith("يا"):  # سوريا -> سوري, تركيا -> تركي
        w = w[:-1]
    elif w.endswith(("ا", "ه", "ي")):  # حماه -> حموي: irregular, left to the gazetteer's own names
        return None
    else:
        w += "ي"
    return w if len(w) >= 4 else None


def facet(name: str, text: str, gazetteer) -> Facet:
    """The matchers of one facet's text."""
    mentions = gazetteer.find(text)
    ids: set[str] = set()
    forms: list[str] = []
    for m in mentions:
        ids |= area(m.entry, gazetteer)
        if m.entry.type == "place" and (adj := _adjective(m.entry.ar)):
            forms.append(adj)
    chars = list(text)  # the words no gazetteer name covers are matched as words
    for m in mentions:
        chars[m.start:m.end] = " " * (m.end - m.start)
    uncovered = "".join(chars)
    words = [w for w in arabic.tokens(uncovered, stem=False) if arabic.is_arabic(w) and len(w) >= 3]
    patterns = [re.compile("|".join(arabic.word_pattern(f) for f in forms))] if forms else []
    patterns += [re.compile(arabic.word_pattern(w)) for w in words]
    return Facet(name, text, frozenset(ids), tuple(patterns), semantic=name == "about")


def _normalized_outlet(text: str) -> str:
    return " ".join(arabic.normalize(text).lower().split())


def outlet_matches(asked: str, outlet: str) -> bool:
    """Whether an outlet is the one asked for: the text inside its name or one of its known spellings
    (rag/data/outlets.json: «أوطان» finds Awtan Post)."""
    from .ingest.metadata import OUTLETS

    want = _normalized_outlet(asked)
    names = [outlet, *OUTLETS.get(outlet, ())]
    return any(want in _normalized_outlet(n) for n in names)


def select(scope: Scope, reports: list[dict], gazetteer, query_vector: np.ndarray | None = None,
           tuning: BriefingSettings | None = None) -> ScopeResult:
    """The reports a scope keeps (see the module docstring).

    Each report is a dict: id, title, lead (its first chunk's text), text, outlet, entities (gazetteer
    entry ids found in title and lead), vector (the lead chunk's stored vector, or None).
    """
    result = ScopeResult(scope, total=len(reports))
    tuning = tuning or BriefingSettings()
    facets = [facet(n, getattr(scope, n), gazetteer) for n in ("about", "place", "actor") if getattr(scope, n)]
    result.ids = frozenset(i for f in facets for i in f.ids)
    for r in reports:
        if scope.outlet and not outlet_matches(scope.outlet, r.get("outlet", "")):
            continue
        how = "outlet" if scope.outlet else "all"
        ok = True
        for f in facets:
            met = _meets(f, r, query_vector, gazetteer, tuning)
            if met is None:
                ok = False
                break
            if f.name == "about":
                how = met
        if ok:
            result.kept.append(r["id"])
            result.reasons[r["id"]] = how
    return result


def _meets(f: Facet, r: dict, query_vector: np.ndarray | None, gazetteer, tuning: BriefingSettings) -> str | None:
    """How a report meets a facet ('gazetteer', 'words', 'meaning'), or None when it does not."""
    head = arabic.normalize(r.get("title", "") + "\n" + r.get("lead", ""))
    if f.ids & set(r.get("entities", ())):
        return "gazetteer"
    if f.patterns and all(p.search(head) for p in f.patterns):
        return "words"
    if f.semantic and query_vector is not None and r.get("vector") is not None:
        v = np.asarray(r["vector"], dtype=np.float32)
        cos = float(v @ query_vector / max(np.linalg.norm(v) * np.linalg.norm(query_vector), 1e-12))
        if cos >= tuning.semantic_keep:
            return "meaning"
        body = arabic.normalize(r.get("text", ""))
        if cos >= tuning.semantic_named and (f.ids & {m.entry.id for m in find_names(gazetteer, r.get("text", ""))}
                                      or any(p.search(body) for p in f.patterns)):
            return "meaning"
    return None
