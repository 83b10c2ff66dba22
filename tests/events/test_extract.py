"""Extraction on literal text and on the seed reports: continuations, roles, places, dates, exact quotes."""

from __future__ import annotations

import json

import pytest

from rag.events import extract_events
from rag.gazetteer import Gazetteer

SUKHNAH_ARTICLE = "000_81d095f2c667699f"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_a_continuing_sentence_adds_its_figures_and_widens_the_quote(gaz):
    text = ("جلبت ميليشيا لواء فاطميون تعزيزات عسكرية إلى منطقة السخنة شرقي حمص.\n"
            "وتضم التعزيزات أكثر من 400 عنصر.\n"
            "وشن الطيران الروسي 12 غارة على مواقع داعش في البادية.")
    events = extract_events(text, gaz)
    assert [e.type for e in events] == ["reinforcement", "airstrike"]
    rein, air = events
    assert rein.location["id"] == "place:sukhnah"
    assert rein.figures == {"fighters": "أكثر من 400 عنصر"}
    assert [a["id"] for a in rein.actors] == ["group:fatemiyoun"]
    assert text[rein.citation.start:rein.citation.end] == rein.citation.quote
    assert rein.citation.quote.endswith("400 عنصر.")
    assert {a["id"]: a["role"] for a in air.actors} == {"force:russian-forces": "actor", "group:isis": "target"}
    assert air.figures == {"strikes": "12 غارة"} and air.location["id"] == "place:badia"


def test_an_event_is_typed_by_the_act_with_its_deaths_as_figures(gaz):
    (event,) = extract_events("قتل 12 مدنيا على الأقل في قصف جوي استهدف مدينة نوى في ريف درعا الغربي.", gaz)
    assert event.type == "airstrike" and event.figures == {"killed": "12 مدنيا"}
    assert event.location["id"] == "place:nawa"


def test_a_sentence_that_refers_back_is_linked_not_counted_twice(gaz):
    text = ("شن مسلحو تنظيم داعش هجوما على موقع لقوات النظام في ريف حمص.\n"
            "وقد أعلن التنظيم لاحقا مسؤوليته عن الهجوم.\n"
            "ورجح المرصد ارتفاع حصيلة القتلى.")
    first, again, toll = extract_events(text, gaz)
    assert first.type == "clash" and first.refers_to is None
    assert again.refers_to == first.id and toll.refers_to == first.id and toll.type == "clash"
    assert again.to_dict()["refers_to"] == first.id


def test_roles_and_the_most_specific_place(gaz):
    text = "توجهت أرتال من محافظة درعا تضم مقاتلين من الفيلق الخامس التابع لروسيا نحو مناطق البادية السورية."
    (event,) = extract_events(text, gaz)
    assert event.location["id"] == "place:badia"  # the destination, not the origin
    assert {a["id"]: a["role"] for a in event.actors} == {"group:fifth-corps": "actor", "force:russian-forces": "supporter"}


def test_dates_come_from_the_sentence_or_the_article_date():
    from datetime import date

    from rag.dates import DateInfo
    from rag.documents import Article

    text = ("شن الطيران الروسي غارات على البادية يوم أمس الأربعاء.\n"
            "وفي شهر آب 2020 قتل ضابط روسي بانفجار لغم.\n"
            "واندلعت اشتباكات في أثريا.")
    art = Article("a1", "t", text, date=DateInfo(date(2021, 2, 25), "day", "text"))
    by_type = {e.type: e for e in extract_events(art)}
    assert (by_type["airstrike"].date, by_type["airstrike"].date_source) == ("2021-02-24", "relative")
    assert (by_type["explosive"].date, by_type["explosive"].date_precision) == ("2020-08", "month")
    assert (by_type["clash"].date, by_type["clash"].date_source) == ("2021-02-25", "article")
    undated = extract_events("جلبت ميليشيا فاطميون تعزيزات إلى السخنة خلال اليومين الماضيين.")
    assert undated[0].date is None and undated[0].date_precision == "unknown"


def test_seeds_hold_the_sukhnah_reinforcement(seed_agent):
    events = seed_agent.events()
    found = [e for e in events if e.type == "reinforcement" and e.citation.article_id == SUKHNAH_ARTICLE
             and {"group:liwa-al-baqir", "group:fatemiyoun"} <= {a["id"] for a in e.actors}]
    assert len(found) == 1
    e = found[0]
    assert e.location["id"] == "place:sukhnah" and e.location["lat"] and e.location["admin"] == "Homs"
    assert "400" in e.figures["fighters"]
    c = e.citation
    assert seed_agent.article_text(c.article_id)[c.start:c.end] == c.quote
    assert "الباقر" in c.quote and "400" in c.quote
    assert c.chunk_id in {ch.id for ch in seed_agent.store.get_chunks([c.chunk_id])}
    d = e.to_dict()
    assert d["type"] == "reinforcement" and d["citation"]["quote"] == c.quote
    assert {a["name_en"] for a in d["actors"]} == {"Liwa al-Baqir", "Liwa Fatemiyoun"}
    json.dumps(d, ensure_ascii=False)


def test_every_seed_event_quote_is_exact_and_in_its_chunk(seed_agent):
    events = seed_agent.events()
    assert len(events) > 30
    texts = {}
    for e in events:
        c = e.citation
        text = texts.setdefault(c.article_id, seed_agent.article_text(c.article_id))
        assert text[c.start:c.end] == c.quote
        (chunk,) = seed_agent.store.get_chunks([c.chunk_id])
        assert chunk.start <= c.start and c.end <= chunk.end
        for value in e.figures.values():
            assert value in c.quote
        assert e.type in {"reinforcement", "clash", "airstrike", "explosive", "withdrawal", "campaign", "seizure", "killing"}
