"""Scope rules of briefings (rag.briefing_scope): facets, areas, adjectives, words and meaning, on the real gazetteer."""

from __future__ import annotations

import numpy as np
import pytest

from rag import briefing_scope as bs
from rag.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def report(id_, title, lead="", text="", outlet="X", entities=(), vector=None):
    return {"id": id_, "title": title, "lead": lead, "text": text or lead, "outlet": outlet,
            "entities": set(entities), "vector": vector}


def test_scope_text_and_description():
    s = bs.Scope(about="  Syria ", place="Palmyra")
    assert s.about == "Syria" and not s.empty() and s.describe() == "about «Syria», place «Palmyra»"
    assert bs.Scope().empty() and "no scope" in bs.Scope().describe()


def test_a_country_holds_its_governorates_places(gaz):
    syria = bs.area(gaz.get("place:syria"), gaz)
    assert {"place:syria", "place:palmyra", "place:douma", "place:afrin", "place:deir-ez-zor"} <= syria
    assert "place:mosul" not in syria and "place:baghdad" not in syria
    assert bs.area(gaz.get("place:palmyra"), gaz) == {"place:palmyra"}


def test_facet_names_adjectives_and_words(gaz):
    f = bs.facet("about", "Syria", gaz)
    assert "place:raqqa" in f.ids
    assert any(p.search("قوات الحكومة السوريه") for p in f.patterns)  # the adjective, normalised text
    words = bs.facet("about", "الأسلحة الكيماوية", gaz)
    assert not words.ids and len(words.patterns) == 2


def test_select_by_gazetteer_words_outlet_and_every_facet(gaz):
    reports = [report("a", "غارات على دوما", entities={"place:douma"}, outlet="BBC"),
               report("b", "مقتل جنود أتراك في اشتباكات", outlet="CNN"),
               report("c", "قمة في الرياض", lead="بحث القادة الاقتصاد", outlet="BBC"),
               report("d", "الجيش السوري يتقدم", outlet="Sky")]
    r = bs.select(bs.Scope(about="Syria"), reports, gaz)
    assert r.kept == ["a", "d"] and r.reasons == {"a": "gazetteer", "d": "words"} and r.total == 4
    assert bs.select(bs.Scope(about="Syria", outlet="bbc"), reports, gaz).kept == ["a"]
    assert bs.select(bs.Scope(about="Syria", place="Palmyra"), reports, gaz).kept == []
    assert bs.select(bs.Scope(), reports, gaz).kept == ["a", "b", "c", "d"]
    d = r.to_dict()
    assert d["kept"] == 2 and d["of"] == 4 and d["kept_by"] == {"gazetteer": 1, "words": 1}


def test_meaning_alone_needs_a_close_lead_and_a_named_report_less(gaz):
    q = np.array([1.0, 0.0], dtype=np.float32)
    close = np.array([1.0, 0.2], dtype=np.float32)  # cosine 0.98
    middling = np.array([1.0, 0.6], dtype=np.float32)  # cosine 0.86 / 0.857
    far = np.array([0.0, 1.0], dtype=np.float32)
    reports = [report("near", "عنوان", vector=close), report("mid", "عنوان", text="في سوريا أمس", vector=middling),
               report("mid-unnamed", "عنوان", text="في مكان ما", vector=middling), report("far", "عنوان", vector=far)]
    r = bs.select(bs.Scope(about="Syria"), reports, gaz, q)
    assert r.kept == ["near", "mid"] and set(r.reasons.values()) == {"meaning"}
