"""Tests for rag.gazetteer: matching on literal strings, the shipped data, and load errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.gazetteer import DEFAULT_PATH, ENV_VAR, Entry, Gazetteer

SAMPLE_SENTENCE = (
    "ونقلت الصحيفة عن مصادرها، أن ميليشيات لواء “الباقر” العراقي ولواء “فاطميون” الأفغاني جلبت، "
    "خلال اليومين الماضيين، تعزيزات عسكرية ضخمة من دير الزور إلى مواقعها في منطقة السخنة ومحيطها شرقي حمص"
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def ids(mentions) -> list[str]:
    return [m.entry.id for m in mentions]


def assert_round_trip(text: str, mentions) -> None:
    for m in mentions:
        assert text[m.start:m.end] == m.text


# --- English ---------------------------------------------------------------

def test_question_names_sukhnah(gaz):
    question = "Which militias reinforced Sukhnah?"
    [mention] = gaz.find_english(question)
    assert mention.entry.id == "place:sukhnah"
    assert question[mention.start:mention.end] == "Sukhnah"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("al-Sukhna", "place:sukhnah"),
        ("Sokhne", "place:sukhnah"),
        ("Al-Sokhnah", "place:sukhnah"),  # not listed: o/u and -ah folded
        ("Palmyra", "place:palmyra"),
        ("Tadmur", "place:palmyra"),
        ("Tadmor", "place:palmyra"),
        ("Fatemiyoun", "group:fatemiyoun"),
        ("Fatemiyun", "group:fatemiyoun"),
        ("Fatimiyoun", "group:fatemiyoun"),
        ("Liwa al-Baqir", "group:liwa-al-baqir"),
        ("Liwa al Baqir", "group:liwa-al-baqir"),
        ("Deir ez-Zor", "place:deir-ez-zor"),
        ("Deir al-Zour", "place:deir-ez-zor"),
        ("Deir Ezzor", "place:deir-ez-zor"),
        ("Deir el Zour", "place:deir-ez-zor"),  # not listed
        ("Khan Shaikhoun", "place:khan-shaykhun"),  # not listed: vowels differ
        ("Ba'ath Brigades", "group:baath-brigades"),
        ("Hayat Tahrir al Sham", "group:hts"),
        ("U.S. forces", "force:us-forces"),
        ("SDF", "group:sdf"),
    ],
)
def test_transliterations_resolve(gaz, name, expected):
    found = gaz.find_english(f"What happened in {name} last week?")
    assert ids(found) == [expected]
    assert found[0].text.endswith(name.split()[-1])


def test_short_alias_needs_exact_case_and_whole_word(gaz):
    assert gaz.find_english("this is") == []
    assert gaz.find_english("What is the situation?") == []
    assert ids(gaz.find_english("Did IS attack the base?")) == ["group:isis"]
    assert gaz.find_english("Tell us more") == []


def test_common_english_words_do_not_match(gaz):
    for text in ["Mr Palmer treats polymers", "a short shirt", "a military regime in Sudan", "South America"]:
        assert gaz.find_english(text) == [], text


def test_article_belongs_to_mention(gaz):
    [m] = gaz.find_english("Where is al-Tanf?")
    assert m.text == "al-Tanf" and m.entry.id == "place:tanf"
    [m] = gaz.find_english("such as Sukhnah")
    assert m.text == "Sukhnah"


def test_longest_english_match(gaz):
    found = gaz.find_english("Russian-backed militias near the Syrian-Iraqi border")
    assert ids(found) == ["group:russia-backed-militias", "place:syria-iraq-border"]


# --- Arabic -----------------------------------------------------------------

def test_sample_sentence(gaz):
    found = gaz.find_arabic(SAMPLE_SENTENCE)
    assert_round_trip(SAMPLE_SENTENCE, found)
    assert {"group:liwa-al-baqir", "group:fatemiyoun", "place:sukhnah"} <= set(ids(found))
    by_id = {m.entry.id: m.text for m in found}
    assert by_id["group:liwa-al-baqir"] == "لواء “الباقر"
    assert by_id["group:fatemiyoun"] == "ولواء “فاطميون"  # longest match, not bare فاطميون


@pytest.mark.parametrize(
    "word", ["بالسخنة", "والسخنة", "للسخنة", "وبالسخنة", "السخنة", "السُّخْنَة", "السخـنة"]
)
def test_arabic_prefixes_and_diacritics(gaz, word):
    text = f"وصلت التعزيزات {word} أمس"
    [m] = gaz.find_arabic(text)
    assert m.entry.id == "place:sukhnah"
    assert m.text == word and text[m.start:m.end] == word


def test_arabic_whole_words_only(gaz):
    assert gaz.find_arabic("السخنات") == []
    assert gaz.find_arabic("ورقة عمل عن فرقة موسيقية") == []  # و/ف + رقة is not الرقة


def test_quote_marks_and_filter_dodging(gaz):
    text = "هاجم داعـ.ـش مواقع «قوات النظام» و”لواء القدس“ في تدمر"
    found = gaz.find_arabic(text)
    assert_round_trip(text, found)
    assert ids(found) == ["group:isis", "force:regime-forces", "group:liwa-al-quds", "place:palmyra"]


def test_ambiguous_names_need_a_cue(gaz):
    assert gaz.find_arabic("فتح الباب أمام الحل") == []
    assert gaz.find_arabic("وتقف دوماً إلى جانب قضيتنا") == []
    [m] = gaz.find_arabic("سيطرت القوات على مدينة الباب")
    assert m.entry.id == "place:al-bab" and m.text == "الباب"
    assert ids(gaz.find_arabic("قصف في دوما")) == ["place:douma"]


def test_not_names_shadow(gaz):
    assert gaz.find_arabic("أعلنت وزارة الدفاع الوطني الجزائرية") == []
    assert ids(gaz.find_arabic("ميليشيا الدفاع الوطني")) == ["group:ndf"]


def test_find_mixes_scripts_and_sorts(gaz):
    text = "Fatemiyoun و لواء الباقر near Palmyra"
    found = gaz.find(text)
    assert ids(found) == ["group:fatemiyoun", "group:liwa-al-baqir", "place:palmyra"]
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_sample_reports_round_trip(gaz):
    for path in sorted((DEFAULT_PATH.parent / "sample").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = gaz.find(text)
        assert found, path
        assert_round_trip(text, found)


# --- query expansion ------------------------------------------------------

def test_expand_query(gaz):
    forms = gaz.expand_query("Which militias reinforced Sukhnah?")
    assert forms[0] == "السخنة" and "سخنة" in forms
    forms = gaz.expand_query("ما هي تعزيزات لواء فاطميون في تدمر؟")
    assert "لواء فاطميون" in forms and "فاطميون" in forms and "تدمر" in forms
    assert gaz.expand_query("What is the weather like?") == []


# --- shipped data ------------------------------------------------------------

def test_shipped_data_sanity(gaz):
    assert len(gaz.entries) >= 120
    assert len({e.id for e in gaz.entries}) == len(gaz.entries)
    for entry in gaz.entries:
        assert entry.id.startswith(entry.type + ":")
        if entry.type == "place":
            assert entry.lat is not None and entry.lon is not None, entry.id
            assert 29 <= entry.lat <= 38 and 35 <= entry.lon <= 49, entry.id
        if entry.parent:
            assert gaz.get(entry.parent) is not None, entry.id


def test_required_entries_present(gaz):
    for id_ in ["place:sukhnah", "place:palmyra", "place:badia", "place:syria-iraq-border", "group:isis",
                "group:wagner", "group:25th-division", "group:fifth-corps", "group:8th-brigade", "group:ndf",
                "group:4th-division", "group:baath-brigades", "group:sdf", "group:coalition", "group:katerji",
                "group:irgc", "group:hezbollah", "force:russian-forces", "force:regime-forces",
                "operation:white-desert", "operation:labbu-al-nida", "operation:olive-branch"]:
        assert gaz.get(id_) is not None, id_
    assert gaz.get("place:nowhere") is None


def test_sukhnah_entry(gaz):
    entry = gaz.get("place:sukhnah")
    assert (entry.ar, entry.en, entry.admin) == ("السخنة", "Sukhnah", "Homs")
    assert abs(entry.lat - 34.89) < 0.05 and abs(entry.lon - 38.87) < 0.05


# --- loading -----------------------------------------------------------------

def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "gaz.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


GOOD = {
    "id": "place:test-town", "type": "place", "ar": "بلدة الاختبار", "en": "Test Town",
    "lat": 34.0, "lon": 38.0,
}


@pytest.mark.parametrize(
    "entries, message",
    [
        ([{k: v for k, v in GOOD.items() if k != "ar"}], "'ar'"),
        ([{k: v for k, v in GOOD.items() if k != "id"}], "'id'"),
        ([GOOD, dict(GOOD, en="Other")], "duplicate id"),
        ([dict(GOOD, lat=134.0)], "coordinates"),
        ([dict(GOOD, lon=None)], "coordinates"),
        ([dict(GOOD, lat="34")], "coordinates"),
        ([dict(GOOD, type="city")], "type"),
        ([dict(GOOD, aliases_ar="السخنة")], "aliases_ar"),
        ([dict(GOOD, alias_en=["x"])], "unknown field"),
        ([dict(GOOD, parent="group:missing")], "unknown parent"),
        ([GOOD, dict(GOOD, id="place:copy", ar="قرية أخرى")], "already a name"),
    ],
)
def test_malformed_entries_name_the_file(tmp_path, entries, message):
    path = write(tmp_path, {"version": 1, "entries": entries})
    with pytest.raises(ValueError) as err:
        Gazetteer.load(path)
    assert str(path) in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(
    "data", ["{not json", "[]", {"version": 2, "entries": []}, {"entries": [], "not_names_ar": "x"}]
)
def test_malformed_files_name_the_file(tmp_path, data):
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match="gaz.json"):
        Gazetteer.load(path)


def test_env_var_and_user_entries(tmp_path, monkeypatch):
    path = write(tmp_path, {"version": 1, "entries": [dict(GOOD, aliases_en=["Testville"], ambiguous=False)]})
    monkeypatch.setenv(ENV_VAR, str(path))
    gaz = Gazetteer.load()
    assert [e.id for e in gaz.entries] == ["place:test-town"]
    assert ids(gaz.find("Testville و بلدة الاختبار")) == ["place:test-town", "place:test-town"]


def test_construct_from_entries():
    gaz = Gazetteer([Entry("group:demo", "group", "كتيبة التجربة", "Demo Battalion")])
    assert ids(gaz.find("عناصر كتيبة التجربة")) == ["group:demo"]


# --- included files (the GeoNames places) --------------------------------------

def test_included_file_joins_the_entries_and_its_errors_name_it(tmp_path):
    (tmp_path / "more.json").write_text(json.dumps({"entries": [dict(GOOD, id="place:more", ar="قرية المزيد", en="Moreville",
                                                                       partial=True)]}, ensure_ascii=False), encoding="utf-8")
    gaz = Gazetteer.load(write(tmp_path, {"version": 1, "include": ["more.json"], "entries": [GOOD]}))
    assert ids(gaz.find("في قرية المزيد و Moreville")) == ["place:more", "place:more"]
    assert gaz.get("place:more").partial and not gaz.get("place:test-town").partial
    (tmp_path / "more.json").write_text(json.dumps({"entries": [dict(GOOD, id="place:more", lat=200)]}), encoding="utf-8")
    with pytest.raises(ValueError, match="more.json"):
        Gazetteer.load(tmp_path / "gaz.json")
    with pytest.raises(ValueError, match="missing.json"):
        Gazetteer.load(write(tmp_path, {"version": 1, "include": ["missing.json"], "entries": [GOOD]}))


def test_shipped_geonames_places_are_found_and_partial(gaz):
    masyaf = [m.entry for m in gaz.find("غارات على بلدة مصياف غرب مدينة حماة")]
    assert masyaf[0].en == "Masyaf" and masyaf[0].admin == "Hama" and masyaf[0].partial
    assert [m.entry.id for m in gaz.find("strikes near Masyaf")] == [masyaf[0].id]
    assert not gaz.find("the missiles hit the base")  # Hit (Iraq) is an English word: not a name
    assert not gaz.find("أعلن أن السجن المركزي")  # «السجن» (the prison) is no place here
    assert not any(e.partial for e in gaz.entries if not e.id.startswith("place:gn-"))  # hand-written entries are whole


def test_governorate_of_a_place(gaz):
    masyaf = next(m.entry for m in gaz.find("strikes near Masyaf"))
    assert gaz.governorate_of(masyaf.id).id == "place:hama"
    assert gaz.governorate_of("place:hama").id == "place:hama"
    assert gaz.governorate_of("place:syria") is None and gaz.governorate_of("place:nowhere") is None
