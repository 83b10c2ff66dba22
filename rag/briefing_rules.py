"""Pure rules of briefings: the period, selection by date precision, lead similarity and clustering, figures.

See rag.briefing's docstring for the rules and how their constants were calibrated.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from . import arabic
from .dates import find_dates, iso_week, parse_user_date, week_of

THRESHOLD, ENTITY_WEIGHT = 0.35, 0.05
_NUM = r"(?<![\d:./٫,\-])[0-9٠-٩]+(?:[.,٫][0-9٠-٩]+)?"
_FIGURE = re.compile(
    r"(?:(?:أكثر|اكثر|أقل|اقل) من\s+|(?:نحو|حوالي|حوالى|قرابة|زهاء)\s+|ما (?:لا )?(?:يقل|يزيد) (?:عن|على)\s+)?"
    rf"(?:{_NUM}\s+(?:(?:ألف|آلاف|مليون|ملايين)\s+)?|(?:عشرات|مئات|آلاف)\s+)(?:من\s+)?[\u0621-\u0652\u0640]{{2,}}")
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
    hi = hi or max(newest or lo, lo)
    lo = lo or hi - timedelta(days=6)
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


def similarity(vectors: np.ndarray, background: np.ndarray, entities: list[set[str]]) -> np.ndarray:
    """Centred cosine of lead vectors plus ENTITY_WEIGHT x IDF-weighted Jaccard of shared places/groups."""
    v = vectors - background
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    names = sorted({e for s in entities for e in s})
    x = np.array([[e in s for e in names] for s in entities], dtype=np.float64).reshape(len(entities), len(names))
    w = x * np.log(1 + len(entities) / np.maximum(x.sum(axis=0), 1))  # IDF-weighted incidence
    shared = w @ x.T
    union = w.sum(axis=1)[:, None] + w.sum(axis=1)[None, :] - shared
    bonus = np.where(shared > 0, shared / np.maximum(union, 1e-12), 0.0)
    np.fill_diagonal(bonus, 0.0)
    return v @ v.T + ENTITY_WEIGHT * bonus


def agglomerate(sim: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Average-linkage clusters (row indices), merged while the best pair is >= threshold; largest first."""
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


