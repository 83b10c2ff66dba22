"""Static, offline pictures of events: a map of a period's events on Syria's governorates and a timeline.

Both draw with matplotlib's Agg canvas (no display, no pyplot state, no tile server, no download)
and return PNG bytes; :func:`data_uri` and :func:`img_tag` embed them in HTML (briefings, the app).
Outlines come from ``rag/data/geo/syria_admin1.geojson``: Natural Earth country borders and
hand-drawn governorate lines (rough, for orientation only; see that file's "about").

Events may be :class:`rag.events.Event` objects or their ``to_dict()`` form. Labels are English
(matplotlib does not shape Arabic script).
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, PathPatch
from matplotlib.path import Path as GeoPath

from .resources import data_path

__all__ = ["GEO_PATH", "TYPE_COLORS", "data_uri", "free_spot", "geo_path", "governorate_at", "img_tag", "load_outlines", "map_figure",
           "render_map", "render_timeline"]

GEO_PATH = data_path("geo", "syria_admin1.geojson")
TYPE_COLORS = {
    "reinforcement": "#1f77b4", "clash": "#d62728", "airstrike": "#ff7f0e", "shelling": "#e377c2", "explosive": "#8c564b",
    "withdrawal": "#17becf", "campaign": "#2ca02c", "seizure": "#9467bd", "killing": "#111111",
}
_TYPE_NAMES = {
    "reinforcement": "deployment / reinforcement", "clash": "armed clash", "airstrike": "air or drone strike",
    "shelling": "shelling, artillery or missile attack",
    "explosive": "explosive or landmine", "withdrawal": "withdrawal", "campaign": "campaign announced",
    "seizure": "seizure or capture", "killing": "killing",
}
SYRIA_VIEW = (35.5, 42.6, 32.2, 37.5)  # lon min, lon max, lat min, lat max
_WINDOW = (34.6, 44.6, 31.0, 38.2)  # what the outline file covers
LABEL_GAP_PX = 2  # least room kept between a place label and another label or marker
LABEL_RADII_PX = (6, 18, 32, 48, 66)  # label distances tried from its point, nearest first (leader line beyond the first)
LABEL_ANGLES = 12  # directions tried at each distance
AREA_RADIUS_DEG = 0.45  # the dashed ring drawn for a region (the Badia, a border): an area, not a point


@lru_cache(maxsize=4)
def load_outlines(path: str | None = None) -> dict:
    """The outline GeoJSON (governorates, neighbouring countries, the Euphrates)."""
    return json.loads(Path(path or GEO_PATH).read_text(encoding="utf-8"))


def _as_row(event) -> dict:
    return event.to_dict() if hasattr(event, "to_dict") else dict(event)


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Every ring (outer ones counter-clockwise, holes clockwise) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def geo_path(geometry: dict) -> GeoPath:
    """One compound matplotlib path of a (Multi)Polygon, holes included (for drawing and point tests)."""
    verts, codes = [], []
    for ring in _rings(geometry):
        verts.extend(ring + [ring[0]])
        codes.extend([GeoPath.MOVETO] + [GeoPath.LINETO] * (len(ring) - 1) + [GeoPath.CLOSEPOLY])
    return GeoPath(verts, codes)


def _contains(geometry: dict, lon: float, lat: float) -> bool:
    """Point in a (Multi)Polygon: inside an outer ring and in none of its holes."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry.get("coordinates", [])
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        return False
    for outer, *holes in polys:
        if GeoPath(outer).contains_point((lon, lat)) and not any(GeoPath(h).contains_point((lon, lat)) for h in holes):
            return True
    return False


def governorate_at(lon: float, lat: float, outlines: dict | None = None) -> str | None:
    """English name of the Syrian governorate holding a point (by the approximate lines), or None."""
    for f in (outlines or load_outlines())["features"]:
        if f["properties"].get("kind") == "governorate" and _contains(f["geometry"], lon, lat):
            return f["properties"]["name_en"]
    return None


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _view(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """Syria's frame, widened to the events' points (e.g. across the Iraqi border), within the outline file."""
    x0, x1, y0, y1 = SYRIA_VIEW
    for lon, lat in points:
        x0, x1, y0, y1 = min(x0, lon - 0.5), max(x1, lon + 0.5), min(y0, lat - 0.4), max(y1, lat + 0.4)
    return max(x0, _WINDOW[0]), min(x1, _WINDOW[1]), max(y0, _WINDOW[2]), min(y1, _WINDOW[3])


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in display pixels


def _overlaps(a: Box, b: Box, gap: float = LABEL_GAP_PX) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def free_spot(anchor: tuple[float, float], size: tuple[float, float], taken: list[Box], frame: Box,
              radii: Iterable[float] = LABEL_RADII_PX, angles: int = LABEL_ANGLES) -> Box | None:
    """Where a label of `size` (w, h pixels) goes near its point: the nearest box that overlaps nothing taken and stays
    in the frame, trying directions around the point at growing distances (up-right first, as map labels read), or None.

    Greedy and pure, so it is tested directly: each label placed is added to `taken` by the caller.
    """
    (x, y), (w, h) = anchor, size
    for r in radii:
        for k in range(angles):
            t = math.pi / 4 + 2 * math.pi * k / angles  # 45 degrees first, then round the point
            cx, cy = x + r * math.cos(t), y + r * math.sin(t)
            x0 = cx if math.cos(t) > 0.2 else cx - w if math.cos(t) < -0.2 else cx - w / 2
            y0 = cy if math.sin(t) > 0.2 else cy - h if math.sin(t) < -0.2 else cy - h / 2
            box = (x0, y0, x0 + w, y0 + h)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
            if inside and not any(_overlaps(box, other) for other in taken):
                return box
    return None


def _countries(geo: dict) -> set[str]:
    """Names of whole countries (a place that is one is not drawn: a point at its middle would say nothing)."""
    return {f["properties"]["name_en"] for f in geo["features"] if f["properties"].get("kind") == "country"} | {"Syria"}


def map_figure(events: Iterable, *, title: str | None = None, size: tuple[float, float] = (8.0, 6.6),
               dpi: int = 110, outlines: dict | None = None) -> Figure:
    """The map as a matplotlib Figure (render_map's PNG; tests read its labels): points for towns, dashed rings for regions.

    Every event with a place is shown: a town or district as a point coloured by type and sized by count, a region
    with no governorate (the Badia, the Syrian-Iraqi border) as a dashed ring, since a point would claim a precision the
    report does not give. Only country-wide places (Syria, Iraq) and events with no place are left to the note.
    Labels are placed so that none covers another or a marker (issue 20: "Douma (2)uta (4)"); in a cluster such as
    the Ghouta they move out along a leader line, and a label that finds no room is listed in the note instead.
    """
    rows = [_as_row(e) for e in events]
    geo = outlines or load_outlines()
    located = [r for r in rows if (r.get("location") or {}).get("lat") is not None]
    countries = _countries(geo)
    whole_country = [r for r in located if not r["location"].get("admin") and r["location"].get("name_en") in countries]
    skip = {id(r) for r in whole_country}
    by_place: dict[str, dict] = {}
    for r in located:
        if id(r) in skip:
            continue
        loc = r["location"]
        spot = by_place.setdefault(loc["id"], {"loc": loc, "types": Counter(), "area": not loc.get("admin")})
        spot["types"][r.get("type", "")] += 1
    x0, x1, y0, y1 = _view([(s["loc"]["lon"], s["loc"]["lat"]) for s in by_place.values()])

    fig = Figure(figsize=size, dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.06, 0.98, 0.86))
    ax.set_facecolor("#dfe9f2")  # the sea
    _draw_outlines(ax, geo, (x0, x1, y0, y1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.apply_aspect()  # the final axes box, so data points map to the pixels the PNG will have

    spots = sorted(by_place.values(), key=lambda s: (s["area"], -sum(s["types"].values())))
    markers: list[tuple[dict, float, float, float]] = []  # spot, x px, y px, radius px
    for spot in spots:
        loc, types = spot["loc"], spot["types"]
        if spot["area"]:
            main = max(types.items(), key=lambda kv: kv[1])[0]
            ring = Ellipse((loc["lon"], loc["lat"]), 2 * AREA_RADIUS_DEG / math.cos(math.radians(loc["lat"])), 2 * AREA_RADIUS_DEG,
                           fill=False, edgecolor=TYPE_COLORS.get(main, "#777"), linestyle="--", linewidth=1.6, zorder=3,
                           gid=f"area:{loc['id']}")
            ax.add_patch(ring)
        else:
            n_types = len(types)
            for k, (etype, count) in enumerate(sorted(types.items(), key=lambda kv: -kv[1])):
                angle = 2 * math.pi * k / n_types
                dx, dy = (0.09 * math.cos(angle), 0.07 * math.sin(angle)) if n_types > 1 else (0.0, 0.0)
                ax.scatter([loc["lon"] + dx], [loc["lat"] + dy], s=36 + 30 * count, color=TYPE_COLORS.get(etype, "#777"),
                           edgecolors="white", linewidths=0.8, alpha=0.9, zorder=4)
        px, py = ax.transData.transform((loc["lon"], loc["lat"]))
        biggest = 36 + 30 * max(spot["types"].values())
        radius = 4.0 if spot["area"] else (math.sqrt(biggest) / 2 + (8 if len(spot["types"]) > 1 else 1)) * dpi / 72
        markers.append((spot, px, py, radius))

    unlabelled = _place_labels(ax, markers, canvas.get_renderer(), dpi)
    present = [t for t in TYPE_COLORS if any(t in s["types"] for s in by_place.values())]
    if present:
        handles = [Line2D([], [], marker="o", linestyle="", markersize=7, color=TYPE_COLORS[t], label=_TYPE_NAMES[t])
                   for t in present]
        if any(s["area"] for s in spots):
            handles.append(Line2D([], [], linestyle="--", color="#555", label="region (no precise place)"))
        ax.legend(handles=handles, loc="lower right", fontsize=7.5, framealpha=0.9, title="event type", title_fontsize=8)
    fig.suptitle(title or "Events by place", fontsize=11, y=0.97)
    fig.text(0.01, 0.015, _map_note(rows, located, whole_country, by_place, unlabelled), fontsize=7.5, color="#555", wrap=True)
    return fig


def _draw_outlines(ax, geo: dict, view: tuple[float, float, float, float]) -> None:
    """Neighbouring countries, governorates (named in grey), the Euphrates and the countries' names."""
    x0, x1, y0, y1 = view
    for f in geo["features"]:
        if f["properties"].get("kind") == "country":
            ax.add_patch(PathPatch(geo_path(f["geometry"]), facecolor="#eeece6", edgecolor="#a7a49c", linewidth=0.7))
    for f in geo["features"]:
        if f["properties"].get("kind") == "governorate":
            ax.add_patch(PathPatch(geo_path(f["geometry"]), facecolor="#fbfaf5", edgecolor="#8a8a8a", linewidth=0.6))
            lx, ly = f["properties"].get("label", (None, None))
            if lx is not None and x0 < lx < x1 and y0 < ly < y1 and f["properties"]["name_en"] != "Damascus":
                ax.text(lx, ly, f["properties"]["name_en"], fontsize=7, color="#9a9a9a", ha="center", va="center",
                        style="italic", zorder=2)
    for f in geo["features"]:
        if f["properties"].get("kind") == "river":
            xs, ys = zip(*f["geometry"]["coordinates"])
            ax.plot(xs, ys, color="#7fa9cf", linewidth=1.2, zorder=1.5)
    for f in geo["features"]:
        if f["properties"].get("kind") == "country":
            lx = sum(p[0] for ring in _rings(f["geometry"]) for p in ring)
            n = sum(len(ring) for ring in _rings(f["geometry"]))
            ly = sum(p[1] for ring in _rings(f["geometry"]) for p in ring)
            if not n:
                continue
            cx, cy = lx / n, ly / n
            if x0 + 0.3 < cx < x1 - 0.3 and y0 + 0.2 < cy < y1 - 0.2:
                ax.text(cx, cy, f["properties"]["name_en"].upper(), fontsize=8, color="#b5b1a6", ha="center", zorder=2)


def _place_labels(ax, markers: list, renderer, dpi: int) -> list[str]:
    """Label each place ('Douma (2)') where it covers no other label or marker; returns the labels that found no room."""
    frame = tuple(ax.get_window_extent(renderer).extents)
    discs = [(x - r, y - r, x + r, y + r) for _, x, y, r in markers]
    taken: list[Box] = list(discs)
    pad = 0.1 * 8 * dpi / 72 + 1  # the label's white box (pad 0.1 of its 8 pt font) and a pixel
    unlabelled = []
    for (spot, x, y, r), own in zip(markers, discs):
        loc, total = spot["loc"], sum(spot["types"].values())
        text = f"{loc.get('name_en', '')} ({total}{', region' if spot['area'] else ''})"
        label = ax.annotate(text, (loc["lon"], loc["lat"]), xytext=(0, 0), textcoords="offset points", fontsize=8,
                            color="#222", zorder=5, ha="left", va="bottom", gid="place-label",
                            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
        ext = label.get_window_extent(renderer)
        others = [b for b in taken if b is not own]
        box = free_spot((x, y), (ext.width + 2 * pad, ext.height + 2 * pad), others, frame, radii=[r + d for d in LABEL_RADII_PX])
        if box is None:
            label.remove()
            unlabelled.append(text)
            continue
        label.set_position(((box[0] + pad - x) * 72 / dpi, (box[1] + pad - y) * 72 / dpi))
        near = (min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3]))  # the box's point nearest the place
        if math.hypot(near[0] - x, near[1] - y) > r + LABEL_RADII_PX[0] + 2:  # moved out of a cluster: a leader line
            end = ax.transData.inverted().transform(near)
            ax.plot([loc["lon"], end[0]], [loc["lat"], end[1]], color="#666", linewidth=0.6, zorder=4.5)
        taken.append(box)
    return unlabelled


def _map_note(rows: list, located: list, whole_country: list, by_place: dict, unlabelled: list[str]) -> str:
    """What the map shows and what it leaves out, in one line under it."""
    points = sum(sum(s["types"].values()) for s in by_place.values() if not s["area"])
    areas = sum(sum(s["types"].values()) for s in by_place.values() if s["area"])
    note = f"{points} event(s) at {sum(not s['area'] for s in by_place.values())} place(s)"
    if areas:
        note += f", {areas} in a region (dashed ring)"
    left = [f"{len(whole_country)} placed only in a whole country"] if whole_country else []
    if len(rows) - len(located):
        left.append(f"{len(rows) - len(located)} with no place")
    if left:
        note += "; not shown: " + " and ".join(left)
    if unlabelled:
        note += "; no room to label: " + ", ".join(unlabelled)
    return note + ". Governorate lines are approximate."


def render_map(events: Iterable, *, title: str | None = None, size: tuple[float, float] = (8.0, 6.6),
               dpi: int = 110, outlines: dict | None = None) -> bytes:
    """PNG of the events on governorate outlines (see map_figure): points coloured by type and sized by count."""
    return _png(map_figure(events, title=title, size=size, dpi=dpi, outlines=outlines), dpi)


def _bins(days: list[date]) -> tuple[str, list[date]]:
    """Bin unit (day, week or month) and the bin starts covering the days."""
    lo, hi = min(days), max(days)
    span = (hi - lo).days
    if span <= 45:
        return "day", [lo + timedelta(d) for d in range(span + 1)]
    if span <= 400:
        start = lo - timedelta(lo.weekday())
        return "week", [start + timedelta(7 * w) for w in range((hi - start).days // 7 + 1)]
    months, y, m = [], lo.year, lo.month
    while (y, m) <= (hi.year, hi.month):
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return "month", months


def _bin_of(d: date, unit: str) -> date:
    if unit == "day":
        return d
    if unit == "week":
        return d - timedelta(d.weekday())
    return d.replace(day=1)


def render_timeline(events: Iterable, *, title: str | None = None, size: tuple[float, float] = (8.0, 3.2),
                    dpi: int = 110) -> bytes:
    """PNG of events per day (per week or month over long periods), stacked by type."""
    rows = [_as_row(e) for e in events]
    dated = []
    for r in rows:
        iso, precision = r.get("date"), r.get("date_precision")
        if iso and precision == "day":
            dated.append((date.fromisoformat(iso), r.get("type", "")))
    fig = Figure(figsize=size)
    ax = fig.add_axes((0.07, 0.2, 0.68, 0.66))
    if dated:
        unit, starts = _bins([d for d, _ in dated])
        counts: dict[str, Counter] = defaultdict(Counter)
        for d, t in dated:
            counts[t][_bin_of(d, unit)] += 1
        xs = list(range(len(starts)))
        bottom = [0] * len(starts)
        for t in TYPE_COLORS:
            if t not in counts:
                continue
            heights = [counts[t][s] for s in starts]
            ax.bar(xs, heights, bottom=bottom, color=TYPE_COLORS[t], label=_TYPE_NAMES[t], width=0.8)
            bottom = [b + h for b, h in zip(bottom, heights)]
        step = max(1, len(starts) // 8)
        fmt = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y"}[unit]
        ax.set_xticks(xs[::step], [s.strftime(fmt) for s in starts[::step]], fontsize=7, rotation=30, ha="right")
        ax.set_ylabel(f"events per {unit}", fontsize=8)
        # MaxNLocator's own keyword; matplotlib's stubs type the axis' locator as the base Locator
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.tick_params(axis="y", labelsize=7)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    else:
        ax.text(0.5, 0.5, "no events with a known day", ha="center", va="center", fontsize=9, color="#666")
        ax.set_xticks([])
        ax.set_yticks([])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(title or "Events over time", fontsize=10, y=0.97)
    left_out = len(rows) - len(dated)
    if left_out:
        fig.text(0.01, 0.02, f"{left_out} event(s) without a day-precise date not shown", fontsize=7, color="#555")
    return _png(fig, dpi)


def data_uri(png: bytes) -> str:
    """A data: URI for PNG bytes (for <img src> in HTML)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def img_tag(png: bytes, alt: str) -> str:
    """An <img> element holding the PNG inline."""
    return f'<img src="{data_uri(png)}" alt="{html.escape(alt, quote=True)}" style="max-width:100%">'
