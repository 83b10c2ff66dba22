"""Named sites the gazetteer does not know: found as written, kept out when they are no names, glossed as quoted."""

from __future__ import annotations

import pytest

from rag.events import extract_events
from rag.events.gist import gist_line
from rag.events.sites import find_sites
from rag.events.text import fold


def sites(text: str) -> list[str]:
    folded, index = fold(text)
    return [folded[s.start:s.end] for s in find_sites(folded, [])]


@pytest.mark.parametrize("text, expected", [
    ("استعادت القوات تل الحارة الاستراتيجي", ["تل الحاره"]),  # a head word is part of the name; a definite name ends it
    ("قصف قرب قرية الهبيط بريف إدلب", ["قريه الهبيط"]),
    ("غارات استهدفت بلدة تفتناز ورام حمدان", ["بلده تفتناز"]),  # «و» joins another name
    ("تعرض مطار الضبعة العسكري لقصف", ["مطار الضبعه"]),  # the site's adjective is no part of the name
    ("وفي بلدة كفر نبل قتل", ["بلده كفر نبل"]),  # an indefinite first word takes the next
    ("غارات على بلدة أورم الكبرى في ريف حلب", ["بلده اورم الكبري"]),  # a definite second word too
    ("سقط أغلبهم في بلدة زملكا داخل الغوطة", ["بلده زملكا"]),  # not a preposition
    ("قصفت مطار الـT4 العسكري", []),  # a bare «ال» is no name
    ("عاد إلى المدينة، ثم", []),
    ("أعلن عن دخول المدينة يوم الأحد", []),  # «المدينة» refers back, names none
    ("وقصفت قرية يسيطر عليها التنظيم", []),  # a verb after the class word
    ("وقصفت قرية هجرها سكانها", []),  # a verb with its object pronoun
    ("غارة على تل أبيب بأن", ["تل ابيب"]),  # «بأن» is no name
])
def test_sites_are_a_class_word_and_a_name(text, expected):
    assert sites(text) == expected


def test_a_site_the_gazetteer_knows_is_a_place_not_a_site():
    (event,) = extract_events("شنت طائرات حربية غارات على مدينة دوما في الغوطة الشرقية.")
    assert event.location["id"] == "place:douma" and event.site is None


def test_an_unknown_site_is_kept_as_written_and_glossed_as_quoted_with_its_likely_spelling():
    text = "وشنت طائرات النظام غارات على بلدة كفرنبودة في ريف إدلب، اليوم."  # a village GeoNames does not list
    (event,) = extract_events(text)
    assert event.site == "بلدة كفرنبودة" and event.site in event.citation.quote  # the article's own words
    assert event.location["id"] == "place:idlib"
    line = gist_line(event)
    # the Arabic as written, the likely Latin spelling of the name (class word left out), then the gazetteer place
    assert "at «بلدة كفرنبودة» (romanised: Kafranbouda) in Idlib" in line
    assert gist_line(event.to_dict()) == line  # the stored form says the same
