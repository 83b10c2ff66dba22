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


@pytest.mark.parametrize("text, roles", [
    # a targeting verb opening its clause: the name right after it is its subject, the doer
    ("واستهدفت قوات النظام السوري قرى في ريف القنيطرة بالمدفعية الثقيلة.", {"force:regime-forces": "actor"}),
    ("وفي سياق متصل، استهدفت فصائل المعارضة بالمدفعية تجمعات القوات الحكومية في ريف حماة.",
     {"group:syrian-opposition": "actor", "force:regime-forces": "target"}),
    # after a noun, the verb's object is the target
    ("قتل 8 مسلحين في غارة جوية استهدفت مواقع تنظيم داعش قرب البوكمال.", {"group:isis": "target"}),
])
def test_the_doer_follows_a_verb_that_opens_its_clause(gaz, text, roles):
    (event,) = extract_events(text, gaz)
    assert {a["id"]: a["role"] for a in event.actors} == roles


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


def test_an_indefinite_mention_of_the_same_act_nearby_is_linked_but_another_act_is_not(gaz):
    text = ("قتل 12 مدنيا في قصف جوي استهدف مدينة نوى في ريف درعا.\n"
            "وأوضح المرصد أن قصفا جويا عنيفا استهدف مدينة نوى.\n"
            "وشنت طائرات روسية غارات جوية على بلدة الهبيط في ريف إدلب.")
    first, again, other = extract_events(text, gaz)
    assert first.refers_to is None and again.refers_to == first.id  # same place, no other doer: the same act
    assert other.refers_to is None and other.location["id"] == "place:hbeit"  # another town: a new act


def test_a_new_wave_or_a_sentence_date_makes_a_new_event(gaz):
    text = ("شن الطيران الحربي غارات على الغوطة الشرقية.\n"
            "وأفاد شهود بأن موجة جديدة من الغارات استهدفت الغوطة الشرقية.")
    first, new = extract_events(text, gaz)
    assert first.refers_to is None and new.refers_to is None


def test_the_attack_told_back_takes_the_type_of_the_act(gaz):
    filler = "وقال البيان إن الاجتماع كان مقررا منذ أسابيع.\n" * 4  # too far to be a continuation
    text = ("تبنى الحرس الثوري الإيراني قصفا صاروخيا استهدف مقرا في قضاء كويسنجق.\n" + filler +
            "وأوضحت الوزارة بأن الضربة استهدفت مؤتمرا للحزب.")
    first, back = extract_events(text, gaz)  # "الضربة" alone would be an air strike
    assert first.type == "shelling" and back.type == "shelling" and back.refers_to == first.id


def test_taking_a_place_is_typed_by_the_taking(gaz):
    (event,) = extract_events("اقتحمت قوات النظام بلدة حمورية وتمكنت من السيطرة على أجزاء منها وسط قصف عنيف.", gaz)
    assert event.type == "seizure" and event.location["id"] == "place:hamouriyah"
    (entry,) = extract_events("دخلت قوات النظام السوري إلى حمورية في هجوم تخلله قصف كثيف.", gaz)
    assert entry.type == "seizure"
    (deploy,) = extract_events("أفادت الأنباء بأن قوات موالية للحكومة السورية دخلت منطقة عفرين.", gaz)
    assert deploy.type == "reinforcement" and deploy.location["id"] == "place:afrin"
    assert extract_events("وقال التلفزيون إن 121 حافلة دخلت بلدتي كفريا والفوعة.", gaz) == []  # buses, no armed men


def test_statements_plans_protests_and_future_acts_are_no_events(gaz):
    for sentence in (
            "حذر وزير الخارجية الروسي، الثلاثاء، واشنطن من استهداف القوات الحكومية السورية.",
            "وقال إنه إذا تم توقيع الاتفاق سينسحب المسلحون الأكراد خلال ثلاثين يوما.",
            "وأضافت: لقد قتلنا وسنقتل الإرهابيين.",
            "ويشن التنظيم هجمات متكررة ضد مواقع النظام في البادية.",
            "وتوصلوا إلى اتفاق لإجلاء آلاف الأشخاص من القريتين.",
            "أفادت الشرطة بمقتل شخصين في اشتباكات بين متظاهرين وقوات الأمن.",
            "وانتظر الفريق أسبوعا لإزالة الألغام من أجل زيارة المدينة.",
            "ويشترط الاتفاق عودة الجيش إلى المواقع التي كان فيها قبل عام 2011 عندما تفجر الصراع."):
        assert extract_events(sentence, gaz) == [], sentence


def test_an_attack_on_a_family_at_home_is_a_killing(gaz):
    (event,) = extract_events("قال مسؤول إن مسلحي تنظيم داعش قتلوا 12 فردا من أسرة واحدة في هجوم على منزلهم.", gaz)
    assert event.type == "killing" and event.figures == {"killed": "12 فردا"}
    assert [a["id"] for a in event.actors] == ["group:isis"]


def test_fighters_leaving_and_territory_regained_are_events(gaz):
    by_type = {e.type: e for e in extract_events(
        "وأكدت وسائل إعلام حكومية خروج مسلحين معارضين من منطقة شرق القلمون.\n"
        "وتمكنت قوات النظام من استعادة نحو 90 بالمئة من محافظة درعا.", gaz)}
    assert by_type["withdrawal"].location["id"] == "place:qalamoun"
    assert [a["id"] for a in by_type["withdrawal"].actors] == ["group:syrian-opposition"]
    assert by_type["seizure"].location["id"] == "place:daraa"


@pytest.mark.parametrize("text, kind", [
    ("قصفت إسرائيل قاعدة التيفور بصواريخ من فوق الأراضي اللبنانية.", "airstrike"),  # a force that strikes from the air
    ("قصف الجيش التركي بلدة عفرين بالقذائف المدفعية.", "shelling"),  # artillery, by a force that has it
    ("قصف الجيش التركي بلدة عفرين بالصواريخ.", "shelling"),
])
def test_missiles_of_a_force_that_strikes_only_from_the_air_are_an_air_strike(gaz, text, kind):
    assert [e.type for e in extract_events(text, gaz)] == [kind]
