"""Small facts the app shows: whether the LLM endpoint answers, and which briefing week to offer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

import httpx

from ..dates import week_of


def probe_llm(base_url: str | None, timeout: float = 2.0) -> str | None:
    """'reachable (HTTP 200)' or 'NOT reachable (...)' for GET <base_url>/models; None without a URL."""
    if not base_url:
        return None
    url = base_url.rstrip("/") + "/models"
    try:
        # No key is sent: any HTTP answer, even 401, shows the endpoint is up.
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        return f"NOT reachable ({exc.__class__.__name__} on {url})"
    return f"reachable (HTTP {response.status_code} from {url})"


def default_week(newest: date | None) -> str | None:
    """The latest complete ISO week up to the newest dated article (its own week when it is a Sunday)."""
    if newest is None:
        return None
    return week_of(newest if newest.isoweekday() == 7 else newest - timedelta(days=7))


def latest_dated_week(rows: Sequence[dict]) -> str | None:
    """The newest ISO week holding an article dated to the day: the app's default briefing week (pure).

    The latest complete week before the newest report (`default_week`) is often empty in a small
    corpus (issue 20: "2021-W07 (0 dated articles)"), so the app offers a week that has reports.
    """
    weeks = [w for _, w in week_choices(rows)]
    return weeks[0] if weeks else None


def week_choices(rows: Sequence[dict], default: str | None = None) -> list[tuple[str, str]]:
    """(label, week) for weeks with dated articles, newest first, plus the default week."""
    counts: Counter[str] = Counter()
    for r in rows:
        if r.get("date") and r.get("date_precision") == "day":
            try:
                counts[week_of(date.fromisoformat(r["date"][:10]))] += 1
            except ValueError:
                continue
    if default and default not in counts:
        counts[default] += 0
    return [(f"{w} ({n} dated article{'s' if n != 1 else ''})", w) for w, n in sorted(counts.items(), reverse=True)]
