"""Which items of a briefing come first, who and where each one is, and what changed since the week before.

Importance of an item (a cluster of same-story reports), the sum of five parts, each shown with
the item (`why`) so a reader can check the order:

- **coverage** = log2(1 + reports) + 0.5 x (outlets - 1): a story several outlets carry is one
  the week was about; the log keeps one outlet's ten follow-ups from outranking three outlets.
- **casualties** = 1.0 when an event of the item's reports gives killed or wounded figures, or is
  a killing: deaths are what an analyst reads first.
- **territory** = 0.75 when an event of the item is a seizure or a withdrawal: control changed.
- **novelty** = 0.5 when no report of the previous week would have joined the item (their lead
  similarity stays under the clustering threshold): a new story over a running one of equal size.
- **focus** = 1.0 x the share of the item's reports whose title names the scope (its gazetteer
  names and areas, or its words), plus 0.5 when the item's own sentences name a place or actor
  of the scope: of two equal stories, the one about the subject asked for.

Weights were set by reading the dev weeks' briefings (eval/README.md), never the test weeks.

Who and where: from the item's own text only, its heading (the lead report's title) and the
sentences it quotes, through the gazetteer, plus the actors and place of the events extracted
from those same sentences; never from the other reports of its cluster. Places are listed most
specific first (a town before its country); an item naming none says so. Names that are also
ordinary words or other places («تدمر» "destroys", the West Bank «دوما») pass their context rules
first (rag.briefing_rules.find_names, with the counts behind them).

What changed: places and actors named in the scoped reports' titles and leads this week and in
none of the previous week's (new), or named last week and not this one (gone; at least
settings.briefing.change_min_reports reports last week, so one passing mention is no change), and the count of
events by type this week against the previous one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from .briefing_rules import find_names
from .settings import BriefingSettings

CASUALTY_FIGURES = frozenset({"killed", "wounded"})
TERRITORY_TYPES = frozenset({"seizure", "withdrawal"})
MAX_SECTIONS = 8


def importance(reports: int, outlets: int, events: list, new: bool, focus_share: float, names_scope: bool,
               tuning: BriefingSettings | None = None) -> tuple[float, dict]:
    """(score, parts) of an item; `events` are Event objects (or dicts) of the item's reports; weights: settings.briefing."""
    weights = (tuning or BriefingSettings()).weights
    kinds = [(_get(e, "type"), set((_get(e, "figures") or {}).keys())) for e in events]
    parts = {
        "coverage": math.log2(1 + reports) + 0.5 * max(outlets - 1, 0),
        "casualties": weights["casualties"] * any(t == "killing" or f & CASUALTY_FIGURES for t, f in kinds),
        "territory": weights["territory"] * any(t in TERRITORY_TYPES for t, _ in kinds),
        "novelty": weights["novelty"] * bool(new),
        "focus": weights["focus"] * focus_share + weights["focus_named"] * bool(names_scope),
    }
    parts = {k: round(float(v), 3) for k, v in parts.items()}
    return round(sum(parts.values()), 3), parts


def explain(parts: dict) -> str:
    """'coverage 2.58 + casualties 1 + novelty 0.5' (the parts that count)."""
    return " + ".join(f"{k} {v:g}" for k, v in parts.items() if v)


def _get(e, key):
    return e.get(key) if isinstance(e, dict) else getattr(e, key, None)


def who_where(texts: list[str], gazetteer, events: Sequence = ()) -> tuple[list, list]:
    """(places, actors) as gazetteer entries named in these texts or by these events, most specific place first."""
    counts: Counter = Counter()
    for t in texts:
        counts.update(m.entry.id for m in find_names(gazetteer, t))
    for e in events:
        for a in _get(e, "actors") or []:
            counts[a["id"]] += 1
        if loc := _get(e, "location"):
            counts[loc["id"]] += 1
    entries = [gazetteer.get(i) for i, _ in counts.most_common()]
    entries = [e for e in entries if e is not None]
    places = sorted((e for e in entries if e.type == "place"), key=lambda e: (e.admin is None, -counts[e.id]))
    actors = [e for e in entries if e.type in ("group", "force")]
    return places, actors


def changes(this_week: list[set[str]], last_week: list[set[str]], events_now: list, events_before: list,
            gazetteer, tuning: BriefingSettings | None = None) -> dict:
    """New and gone places/actors (by reports naming them) and event counts by type, this week vs the previous."""
    now, before = Counter(i for s in this_week for i in s), Counter(i for s in last_week for i in s)

    def named(ids) -> list[dict]:
        out = []
        for i in ids:
            if (e := gazetteer.get(i)) is not None:
                out.append({"id": e.id, "type": e.type, "name_en": e.en, "name_ar": e.ar,
                            "reports_this_week": now.get(i, 0), "reports_last_week": before.get(i, 0)})
        return sorted(out, key=lambda d: (-d["reports_this_week"] - d["reports_last_week"], d["id"]))

    new = named(i for i in now if i not in before)
    gone = named(i for i, n in before.items() if i not in now and n >= (tuning or BriefingSettings()).change_min_reports)
    types_now = Counter(_get(e, "type") for e in events_now)
    types_before = Counter(_get(e, "type") for e in events_before)
    by_type = [{"type": t, "this_week": types_now.get(t, 0), "last_week": types_before.get(t, 0),
                "change": types_now.get(t, 0) - types_before.get(t, 0)}
               for t in sorted(set(types_now) | set(types_before), key=lambda t: -types_now.get(t, 0))]
    return {"reports_this_week": len(this_week), "reports_last_week": len(last_week),
            "new_places": [d for d in new if d["type"] == "place"],
            "new_actors": [d for d in new if d["type"] != "place"],
            "gone_places": [d for d in gone if d["type"] == "place"],
            "gone_actors": [d for d in gone if d["type"] != "place"],
            "events_by_type": by_type}


def sections(items: list, key_of, tuning: BriefingSettings | None = None) -> tuple[list[tuple[str, list]], list]:
    """Items grouped by their main place (else main actor): (sections with >= section_min_items items, the rest).

    `key_of(item)` gives the item's grouping name or None; sections are ordered by their best item.
    """
    min_items = (tuning or BriefingSettings()).section_min_items
    groups: dict[str, list] = {}
    for item in items:
        if (k := key_of(item)) is not None:
            groups.setdefault(k, []).append(item)
    ordered = sorted(((k, v) for k, v in groups.items() if len(v) >= min_items),
                     key=lambda kv: items.index(kv[1][0]))[:MAX_SECTIONS]
    inside = {id(i) for _, v in ordered for i in v}
    return ordered, [i for i in items if id(i) not in inside]
