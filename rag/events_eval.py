"""Scoring extracted events against hand annotation (pure): event precision and recall, field accuracy.

Annotation rows (eval/events_seeds.jsonl) hold ``article_id``, ``sentence`` (verbatim from the
article), optional ``context`` sentences, ``type``, ``actors`` (gazetteer ids), ``roles``,
``location`` (an id or null), ``figures`` and ``date``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .events import TYPES, Event, fold


def find_span(text: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of an annotated sentence in its article: verbatim, else on folded text; None when absent."""
    at = text.find(sentence)
    if at >= 0:
        return at, at + len(sentence)
    folded, index = fold(text)
    key = fold(sentence)[0]
    at = folded.find(key)
    return (index[at], index[at + len(key) - 1] + 1) if at >= 0 and key else None


def _digits(value: str) -> list[str]:
    return re.findall(r"\d+", fold(value)[0])


def evaluate(events: Sequence[Event], gold: Sequence[dict], texts: dict[str, str]) -> dict:
    """Precision and recall of events against annotated rows (see eval/events_seeds.jsonl), plus field accuracy (pure).

    A predicted event matches an annotated one of the same article and type when its quote overlaps
    the annotated sentence or one of its context sentences; each annotation matches once, further
    predictions on it count as false positives. Only articles with annotations are scored.
    """
    spans = []
    for g in gold:
        text = texts.get(g["article_id"], "")
        main = find_span(text, g["sentence"])
        if main is None:
            raise ValueError(f"{g['article_id']}: annotated sentence not in the article text: {g['sentence'][:60]!r}")
        spans.append([main] + [sp for c in g.get("context", []) if (sp := find_span(text, c))])
    # a sentence linked back to an earlier event (refers_to) is not a new event: not scored
    scored = [e for e in events if e.citation.article_id in {g["article_id"] for g in gold} and not e.refers_to]
    matched: dict[int, Event] = {}
    false_pos = []
    for e in sorted(scored, key=lambda e: e.citation.start):
        c = e.citation
        hits = [i for i, g in enumerate(gold) if g["article_id"] == c.article_id and g["type"] == e.type
                and i not in matched and any(c.start < b and a < c.end for a, b in spans[i])]
        main_hits = [i for i in hits if c.start < spans[i][0][1] and spans[i][0][0] < c.end]
        if hits:
            matched[(main_hits or hits)[0]] = e
        else:
            false_pos.append(e)
    tp, n_pred, n_gold = len(matched), len(scored), len(gold)
    p, r = (tp / n_pred if n_pred else 0.0), (tp / n_gold if n_gold else 0.0)
    act_tp = act_pred = act_gold = roles_ok = roles_n = loc_ok = fig_ok = fig_n = date_ok = 0
    for i, e in matched.items():
        g = gold[i]
        pred = {a["id"]: a["role"] for a in e.actors}
        act_tp += len(set(pred) & set(g["actors"]))
        act_pred += len(pred)
        act_gold += len(g["actors"])
        for aid, role in g.get("roles", {}).items():
            if aid in pred:
                roles_n += 1
                roles_ok += pred[aid] == role
        loc_ok += (e.location or {}).get("id") == g.get("location")
        for kind, value in g.get("figures", {}).items():
            fig_n += 1
            fig_ok += _digits(e.figures.get(kind, "")) == _digits(value)
        date_ok += (e.date or None) == g.get("date")
    per_type = {}
    for t in TYPES:
        g_t = sum(1 for g in gold if g["type"] == t)
        p_t = sum(1 for e in scored if e.type == t)
        tp_t = sum(1 for i in matched if gold[i]["type"] == t)
        per_type[t] = {"gold": g_t, "predicted": p_t, "matched": tp_t}
    return {
        "gold": n_gold, "predicted": n_pred, "matched": tp,
        "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "actor_precision": round(act_tp / act_pred, 3) if act_pred else 0.0,
        "actor_recall": round(act_tp / act_gold, 3) if act_gold else 0.0,
        "role_accuracy": round(roles_ok / roles_n, 3) if roles_n else 0.0,
        "location_accuracy": round(loc_ok / tp, 3) if tp else 0.0,
        "figure_recall": round(fig_ok / fig_n, 3) if fig_n else 0.0,
        "date_accuracy": round(date_ok / tp, 3) if tp else 0.0,
        "per_type": per_type,
        "missed": [gold[i] for i in range(n_gold) if i not in matched],
        "false_positives": false_pos,
    }


# -- real news: eval/events_news.jsonl --------------------------------------------------------------


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _date_ok(pred: str | None, gold: dict) -> bool:
    """A predicted date is right when it names the gold date (a gold week: any day of it)."""
    if not pred:
        return False
    if gold["date_precision"] == "week":
        from datetime import date as day

        try:
            y, m, d = (int(x) for x in pred.split("-"))
        except ValueError:
            return False
        iso = day(y, m, d).isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}" == gold["date"]
    return pred == gold["date"]


def evaluate_news(events: Sequence[Event], rows: Sequence[dict], articles: Sequence[str]) -> dict:
    """Events against the real-news annotation (see eval/README.md, "Events on real news") (pure).

    Gold events are the rows that do not refer back (``refers_to`` null). A predicted event that is not
    linked to an earlier one matches a gold event of the same article and type whose sentence its quote
    overlaps; each gold event matches once. A linked prediction (``refers_to``) says "no new event here":
    it is right when its quote overlaps a back-reference row of its type and is otherwise a false
    positive; it never matches a gold event (a new event linked away is missed), so linking cannot buy
    recall. An unlinked prediction that matches none is a false positive (a back-reference counted as a
    new event is counted twice).
    Actors, places, figures and dates are scored on the matched pairs: actors as sets of gazetteer ids
    (any role; ``roles`` scores the role of each actor both name, and the share of events naming parties whose
    every party is an annotated one in its annotated role: what a gist line's "by ... against ..." says), the place as right when it is the annotated one or an accepted alternative, figures as
    (kind, digits) pairs, the date as equal to the annotated one (a week: any day in it).
    """
    wanted = set(articles)
    scored = sorted((e for e in events if e.citation.article_id in wanted), key=lambda e: (e.citation.article_id, e.citation.start))
    gold = [r for r in rows if r["refers_to"] is None and r["article_id"] in wanted]
    refs = [r for r in rows if r["refers_to"] is not None and r["article_id"] in wanted]
    matched: dict[int, Event] = {}
    false_pos, linked = [], 0
    for e in scored:
        c = e.citation
        hits = [i for i, g in enumerate(gold) if i not in matched and g["article_id"] == c.article_id
                and g["type"] == e.type and c.start < g["end"] and g["start"] < c.end]
        if hits and not getattr(e, "refers_to", None):
            matched[hits[0]] = e
            continue
        on_ref = any(r["article_id"] == c.article_id and r["type"] == e.type and c.start < r["end"] and r["start"] < c.end
                     for r in refs)
        if on_ref and getattr(e, "refers_to", None):
            linked += 1
        else:
            false_pos.append(e)
    n_pred = len(scored) - linked
    out = {"articles": len(wanted), "events": _prf(len(matched), n_pred, len(gold)), "linked_back_references": linked}
    a_tp = a_pred = a_gold = p_tp = p_pred = p_gold = f_tp = f_pred = f_gold = d_ok = 0
    r_ok = r_n = who_ok = who_n = 0
    for i, e in matched.items():
        g = gold[i]
        pred_ids, gold_ids = {a["id"] for a in e.actors}, set(g["actors"])
        roles, gold_roles = {a["id"]: a.get("role", "actor") for a in e.actors}, g.get("roles") or {}
        shared = [aid for aid in roles if aid in gold_roles]
        r_ok, r_n = r_ok + sum(roles[aid] == gold_roles[aid] for aid in shared), r_n + len(shared)
        if roles:  # what a gist line says of who: every named party annotated, in its role
            who_n += 1
            who_ok += all(gold_roles.get(aid) == role for aid, role in roles.items())
        a_tp, a_pred, a_gold = a_tp + len(pred_ids & gold_ids), a_pred + len(pred_ids), a_gold + len(gold_ids)
        loc = (e.location or {}).get("id")
        accepted = {g["location"], *g["location_alt"]} - {None}
        p_pred += loc is not None
        p_gold += bool(accepted)
        p_tp += loc is not None and loc in accepted
        pf = {(k, tuple(_digits(v))) for k, v in e.figures.items()}
        gf = {(k, tuple(_digits(v))) for k, v in g["figures"].items()}
        f_tp, f_pred, f_gold = f_tp + len(pf & gf), f_pred + len(pf), f_gold + len(gf)
        d_ok += _date_ok(e.date, g)
    out["actors"] = _prf(a_tp, a_pred, a_gold)
    out["places"] = _prf(p_tp, p_pred, p_gold)
    out["figures"] = _prf(f_tp, f_pred, f_gold)
    out["dates"] = _prf(d_ok, len(matched), len(matched))
    out["roles"] = {"accuracy": round(r_ok / r_n, 3) if r_n else 0.0, "shared_actors": r_n,
                    "events_all_parties_right": round(who_ok / who_n, 3) if who_n else 0.0, "events_with_parties": who_n}
    out["per_type"] = {t: {"gold": sum(g["type"] == t for g in gold), "predicted": sum(e.type == t for e in scored),
                           "matched": sum(gold[i]["type"] == t for i in matched)} for t in TYPES}
    out["missed"] = [g["id"] for i, g in enumerate(gold) if i not in matched]
    out["false_positives"] = [f"{e.citation.article_id}:{e.type}:{e.citation.quote[:60]}" for e in false_pos]
    return out


def agreement(first: Sequence[dict], second: Sequence[dict], articles: Sequence[str]) -> dict:
    """How far two annotations of the same articles agree on their new events, as `evaluate_news` scores the system
    (pure): a new event (``refers_to`` None) of `second` matches one of `first` of the same article and type on the
    same sentence (``start``), once each; `first` is the reference for precision and recall (F1 is symmetric).
    Also: the sentences both call a new act whatever its type, and the share of those with a type in common."""
    wanted = set(articles)
    a = [r for r in first if r["article_id"] in wanted and r["refers_to"] is None]
    b = [r for r in second if r["article_id"] in wanted and r["refers_to"] is None]
    used: set[int] = set()
    tp = 0
    for r in b:
        hit = next((i for i, g in enumerate(a) if i not in used and g["article_id"] == r["article_id"]
                    and g["start"] == r["start"] and g["type"] == r["type"]), None)
        if hit is not None:
            used.add(hit)
            tp += 1
    sent_a = {(r["article_id"], r["start"]) for r in a}
    sent_b = {(r["article_id"], r["start"]) for r in b}
    both = sent_a & sent_b
    types_a = {k: {r["type"] for r in a if (r["article_id"], r["start"]) == k} for k in both}
    types_b = {k: {r["type"] for r in b if (r["article_id"], r["start"]) == k} for k in both}
    same_type = sum(1 for k in both if types_a[k] & types_b[k])
    return {"events": _prf(tp, len(b), len(a)), "act_sentences": _prf(len(both), len(sent_b), len(sent_a)),
            "same_type_share": round(same_type / len(both), 3) if both else None}
