"""Homonyms in a briefing's who/where (rag.briefing_rules.find_names): «تدمر» the verb is no Palmyra, the West Bank
«دوما» is no Douma; the sentences are ANT reports' own (counts behind the rules: rag/briefing_rules.py)."""

from __future__ import annotations

import pytest

from rag import briefing_rank as rank_mod
from rag.answering.citations import Citation
from rag.briefing_rules import find_names, homonym_checked
from rag.events import Event
from rag.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def ids(gaz, text):
    return [m.entry.id for m in find_names(gaz, text)]


@pytest.mark.parametrize("text", [
    "قذيفة حوثية تدمر منزل ناشط إغاثة على رؤوس ساكنيه في حيس",
    "عاصفة تدمر مئذنتين في \"تاج محل\" بالهند",
    "20 غارة جوية للتحالف تدمّر 17 هدفاً حوثياً في صعدة",
    "الدفاعات السورية تدمر صاروخين اسرائيليين",
    "فيضانات السودان تقتل امرأة.. وتدمر عشرات المنازل",
])
def test_the_verb_destroys_is_not_palmyra(gaz, text):
    assert gaz.find_arabic(text) and "place:palmyra" in [m.entry.id for m in gaz.find_arabic(text)]  # the raw match
    assert "place:palmyra" not in ids(gaz, text)


@pytest.mark.parametrize("text", [
    "أصيب خلال المعارك قرب مدينة تدمر وسط سوريا",
    "مطار التيفور العسكري بين حمص وتدمر في وسط سوريا",
    "في جيب بين مدينة تدمر الأثرية (وسط) وجنوب البوكمال",
    "صواريخ قالت إنها كانت في طريقها لحزب الله قرب تدمر في وسط سوريا",
    "التراث الثقافي الذي تعرض للدمار مثل تدمر وحلب في سوريا",
    "تسللوا من جيب تحت سيطرتهم شرق مدينة تدمر",
])
def test_palmyra_with_a_cue_a_place_word_or_another_place_stays(gaz, text):
    assert "place:palmyra" in ids(gaz, text)


def test_the_west_bank_douma_is_not_douma_of_the_ghouta(gaz):
    for text in ("أضرموا النار في منزل عائلة فلسطينية في قرية دوما بمحافظة نابلس",
                 "إحراق عائلة دوابشة في بلدة دوما في محيط نابلس في يوليو عام 2015"):
        assert "place:douma" in [m.entry.id for m in gaz.find_arabic(text)] and "place:douma" not in ids(gaz, text)
    assert "place:douma" in ids(gaz, "الهجوم الكيماوي على مدينة دوما في الغوطة الشرقية قرب دمشق")
    assert "place:douma" in ids(gaz, "خبراء حظر الكيماوي يصلون إلى دوما الأربعاء")


def test_who_where_and_events_use_the_rules(gaz):
    places, _ = rank_mod.who_where(["السعودية تدمر صاروخا باليستيا أطلق نحو جازان"], gaz)
    assert "place:palmyra" not in [p.id for p in places]
    quote = "الدفاعات السورية تدمر صاروخين اسرائيليين"
    cite = Citation(n=1, chunk_id="c1", article_id="a1", title="t", source="Sky News Arabia", date="2018-05-10",
                    quote=quote, start=0, end=len(quote))
    wrong = Event("2018-05-10", "day", "airstrike", [], {"id": "place:palmyra", "name_en": "Palmyra"}, {}, cite,
                  places=["place:palmyra", "place:syria"])
    checked = homonym_checked(wrong, gaz)
    assert checked.location is None and checked.places == ["place:syria"] and wrong.location  # a copy, the rest kept
    right_quote = "قصفت طائرات مواقع قرب مدينة تدمر"
    right = Event("2018-05-10", "day", "airstrike", [], {"id": "place:palmyra"}, {},
                  Citation(n=1, chunk_id="c1", article_id="a1", title="t", source="x", date="2018-05-10", quote=right_quote,
                           start=0, end=len(right_quote)))
    assert homonym_checked(right, gaz) is right
