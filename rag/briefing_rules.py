"""Pure rules of briefings: the period, selection by date precision, lead similarity and clustering, figures.

See rag.briefing's docstring for the rules and how their constants were calibrated.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from . import arabic
from .dates import find_dates, iso_week, parse_user_date, week_of
from .numbers import NUMBER_AS_WRITTEN
from .settings import BriefingSettings

_FIGURE = re.compile(
    r"(?:(?:أكثر|اكثر|أقل|اقل) من\s+|(?:نحو|حوالي|حوالى|قرابة|زهاء)\s+|ما (?:لا )?(?:يقل|يزيد) (?:عن|على)\s+)?"
    rf"(?:{NUMBER_AS_WRITTEN}\s+(?:(?:ألف|آلاف|مليون|ملايين)\s+)?|(?:عشرات|مئات|آلاف)\s+)(?:من\s+)?[\u0621-\u0652\u0640]{{2,}}")
_NOT_UNITS = frozenset(arabic.normalize(w) for w in (
    "عام العام عاما أعوام سنة السنة سنوات شهر أشهر يوم يوما أيام ساعة ساعات دقيقة دقائق مساء صباح "
    "كانون تشرين شباط آذار نيسان أيار حزيران تموز آب أيلول يناير فبراير مارس أبريل ابريل مايو يونيو يوليو "
    "أغسطس سبتمبر أكتوبر نوفمبر ديسمبر").split())


def default_week(newest: date | None) -> str:
    """The last complete ISO week on or before the newest dated article."""
    if newest is None:
        raise ValueError("no dated article in the index: give a week (2021-W08) or since/until")
    return week_of(newest if newest.weekday() == 6 else newest - timedelta(days=newest.weekday() + 1))


def resolve_period(week=None, since=None, until=None, newest: date | None = None) -> tuple[str, date, date]:
    """(name, start, end) of the period asked for; ValueError when it is invalid."""
    if week and (since or until):
        raise ValueError("give either a week or since/until, not both")
    if week or not (since or until):
        start, end = iso_week(week or default_week(newest))
        return week_of(start), start, end
    lo = since if isinstance(since, date) else parse_user_date(str(since)) if since else None
    hi = until if isinstance(until, date) else parse_user_date(str(until), end=True) if until else None
    if hi is None:  # only a start: up to the newest report, or that one day
        assert lo is not None, "since or until was given"
        hi = max(newest or lo, lo)
    if lo is None:  # only an end: the week that ends there
        lo = hi - timedelta(days=6)
    if lo > hi:
        raise ValueError(f"the period starts ({lo}) after it ends ({hi})")
    return f"{lo}_{hi}", lo, hi


def select_articles(rows: dict[str, dict], start: date, end: date) -> tuple[list[str], list[dict], list[dict]]:
    """(ids in the period, undated reports, excluded reports with the reason), by date precision."""
    lo, hi = start.toordinal(), end.toordinal()
    chosen, undated, excluded = [], [], []
    for aid, m in sorted(rows.items()):
        a, b, prec = int(m.get("date_start", -1)), int(m.get("date_end", -1)), m.get("date_precision", "unknown")
        info = {"id": aid, "title": m.get("title", ""), "source": m.get("source", "")}
        if prec == "unknown" or a < 0:
            undated.append(info)
        elif (lo <= a and b <= hi) or (prec == "month" and a <= lo and hi <= b):
            chosen.append(aid)
        elif a <= hi and b >= lo:
            excluded.append({**info, "date": m.get("date", ""), "date_precision": prec, "reason":
                             f"dated only to the {prec} {m.get('date', '')}, which neither lies in {start}..{end} "
                             "nor contains it: the report cannot be placed in this period"})
    return chosen, undated, excluded


def similarity(vectors: np.ndarray, background: np.ndarray, entities: list[set[str]], entity_weight: float) -> np.ndarray:
    """Centred cosine of lead vectors plus entity_weight x IDF-weighted Jaccard of shared places/groups (settings.briefing)."""
    v = vectors - background
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    names = sorted({e for s in entities for e in s})
    x = np.array([[e in s for e in names] for s in entities], dtype=np.float64).reshape(len(entities), len(names))
    w = x * np.log(1 + len(entities) / np.maximum(x.sum(axis=0), 1))  # IDF-weighted incidence
    shared = w @ x.T
    union = w.sum(axis=1)[:, None] + w.sum(axis=1)[None, :] - shared
    bonus = np.where(shared > 0, shared / np.maximum(union, 1e-12), 0.0)
    np.fill_diagonal(bonus, 0.0)
    return v @ v.T + entity_weight * bonus


def agglomerate(sim: np.ndarray, threshold: float | None = None) -> list[list[int]]:
    """Average-linkage clusters (row indices), merged while the best pair is >= threshold; largest first.

    The threshold defaults to settings.briefing.cluster_threshold (the briefing passes the agent's).
    """
    threshold = BriefingSettings().cluster_threshold if threshold is None else threshold
    s, n = np.array(sim, dtype=np.float64), len(sim)
    if n == 0:
        return []
    np.fill_diagonal(s, -np.inf)
    size, members = np.ones(n), {i: [i] for i in range(n)}
    best = s.argmax(axis=1)
    value = s[np.arange(n), best]
    while value.max() >= threshold:
        i = int(value.argmax())
        j = int(best[i])
        s[i] = s[:, i] = (s[i] * size[i] + s[j] * size[j]) / (size[i] + size[j])
        s[j] = s[:, j] = -np.inf
        s[i, i], value[j] = -np.inf, -np.inf
        size[i] += size[j]
        members[i] += members.pop(j)
        for k in np.flatnonzero((value > -np.inf) & ((best == i) | (best == j) | (np.arange(n) == i))):
            best[k] = s[k].argmax()  # an average never exceeds the larger of two, so only these rows change
            value[k] = s[k, best[k]]
    return sorted(members.values(), key=lambda m: (-len(m), min(m)))


@lru_cache(maxsize=8192)
def find_figures(text: str) -> tuple[str, ...]:
    """Number phrases as written ('أكثر من 400 عنصر', '12 غارة', 'عشرات القتلى'); dates, times and ages left out."""
    found = [m for m in _FIGURE.finditer(text) if arabic.normalize(m.group().split()[-1]).lstrip("وبل") not in _NOT_UNITS]
    dated = [(s, e) for _, s, e in find_dates(text)] if found else []
    return tuple(dict.fromkeys(m.group() for m in found if not any(s < m.end() and m.start() < e for s, e in dated)))




# -- homonyms in who/where ------------------------------------------------------------------------
#
# Two gazetteer names the briefing reads wrongly without their context, counted by hand over every
# ANT report (all categories) of the weeks of 2018 that are no test week (W09, W13, W20, W27, W33,
# W40 left out; the dev weeks W08, W11, W15, W16 included), each match read and labelled:
#
# - «تدمر» Palmyra is also the verb تُدمّر "destroys" («قذيفة حوثية تدمر منزل», «عاصفة تدمر مئذنتين»).
#   The gazetteer matched it 56 times: 22 Palmyra, 34 the verb (or «شبكة تدمر الإخبارية», an
#   outlet). Marking it `ambiguous` in the gazetteer (a cue word before it) keeps 13 of the 22 and
#   loses «بين حمص وتدمر» (4 times), «معركة تحرير تدمر», «صحراء تدمر», «مثل تدمر وحلب»... So
#   the rule here: a bare تدمر is Palmyra after a cue word (the gazetteer's: مدينة، في، قرب، من...),
#   or joined by و to another place of the gazetteer («حمص وتدمر», «تدمر وحلب»); the aliases
#   «مدينة تدمر», «تدمر الأثرية» always are; a written shadda (تدمّر) never is. Counted: it keeps
#   18 of the 22 Palmyra and 0 of the 34 verbs (lost: «تحرير تدمر», «صحراء تدمر», «صفقات تدمر»,
#   «داعش سلم تدمر»); in the dev weeks alone 11 matches, 5 Palmyra kept, 6 verbs dropped.
# - «دوما» Douma (Eastern Ghouta) is also a West Bank village near Nablus («قرية دوما», the Dawabsheh
#   family arson). Douma is already `ambiguous` (matched after a cue word only), which «قرية دوما»
#   meets. Of its 1,052 matches in the same weeks, 5 are the West Bank village (3 reports: W15, W25,
#   W28), every one within OTHER_DOUMA_WINDOW characters of نابلس, الضفة or دوابشة; none of the 1,047
#   Syrian ones is. The rule drops a Douma match with one of those words that near: 5 false removed,
#   0 true (dev weeks alone: 2 false removed, 693 true kept). ("Always" دوماً never met a cue word in
#   these weeks: 0 matches.)
#
# The gazetteer itself (rag/data/gazetteer.json) is shared with answering and events; the same
# change there (Palmyra's context rule in rag.gazetteer) is proposed, not made here.

_SHADDA = "\u0651"
_CLITICS = re.compile(r"^[وف]?[بلك]?")
_WORD_BEFORE = re.compile(r"(\w+)[\s\"'«»“”(]*$")
OTHER_DOUMA = re.compile(r"نابلس|الضفه|دوابشه")  # normalized: ة -> ه
OTHER_DOUMA_WINDOW = 80


def _cues() -> frozenset[str]:
    from .gazetteer import _CUES  # the gazetteer's own cue words: one list for both

    return _CUES


def _palmyra(text: str, m, mentions) -> bool:
    """Whether a match of «تدمر» is Palmyra, not the verb "destroys" (counts above)."""
    raw = text[m.start:m.end]
    if _SHADDA in raw:
        return False
    word = arabic.normalize(raw)
    if " " in word or _CLITICS.sub("", word) != "تدمر":
        return True  # an alias with its place word: مدينة تدمر، تدمر الأثرية
    before = _WORD_BEFORE.search(text[max(0, m.start - 40):m.start])
    if before and (w := arabic.normalize(before.group(1))) and (w in _cues() or (w[:1] == "و" and w[1:] in _cues())):
        return True
    for other in mentions:
        if other is m or other.entry.type != "place" or other.entry.id == m.entry.id:
            continue
        if other.end <= m.start and not text[other.end:m.start].strip() and word.startswith("و"):
            return True  # حمص وتدمر
        if other.start >= m.end and text[m.end:other.start].strip() in ("", "،", ",") and (
                arabic.normalize(other.text).startswith("و") or text[m.end:other.start].strip()):
            return True  # تدمر وحلب
    return False


def _douma(text: str, m, mentions) -> bool:
    """Whether a match of «دوما» is Douma of the Ghouta, not the West Bank village (counts above)."""
    return not OTHER_DOUMA.search(arabic.normalize(text[max(0, m.start - OTHER_DOUMA_WINDOW):m.end + OTHER_DOUMA_WINDOW]))


HOMONYMS = {"place:palmyra": _palmyra, "place:douma": _douma}


def find_names(gazetteer, text: str) -> list:
    """The gazetteer's Arabic matches in a text, without the homonyms their context rules out (see above)."""
    mentions = gazetteer.find_arabic(text)
    return [m for m in mentions if (rule := HOMONYMS.get(m.entry.id)) is None or rule(text, m, mentions)]


def homonym_checked(event, gazetteer):
    """The event with its place dropped when that place is a homonym its own sentence rules out (rules above):
    «الدفاعات السورية تدمر صاروخين» is no event at Palmyra. Other events are returned as they are."""
    loc = event.location
    if not loc or loc.get("id") not in HOMONYMS:
        return event
    quote = event.citation.quote
    if any(m.entry.id == loc["id"] for m in find_names(gazetteer, quote)):
        return event
    return replace(event, location=None, places=[p for p in event.places if p != loc["id"]])
