"""Trigger patterns on literal Arabic: prefixes and forms, non-events left out, offsets into the original."""

from __future__ import annotations

import pytest

from rag.events import find_triggers


def types_of(sentence: str) -> list[str]:
    return sorted({t.type for t in find_triggers(sentence)})


@pytest.mark.parametrize("sentence, expected", [
    ("عززت القوات الروسية مواقعها في تدمر", ["reinforcement"]),  # feminine past
    ("وصلت تعزيزات عسكرية إلى المنطقة", ["reinforcement"]),  # plural noun
    ("ووصل رتل عسكري إلى السخنة", ["reinforcement"]),
    ("وتوجهت أرتال من درعا نحو البادية", ["reinforcement"]),  # broken plural with و
    ("بعد استقدامها تعزيزاتها", ["reinforcement"]),  # attached pronouns
    ("اندلعت اشتباكات عنيفة بين الطرفين", ["clash"]),
    ("وشن التنظيم هجوماً على نقطة عسكرية", ["clash"]),  # tanween
    ("نفذت المقاتلات الروسية 20 غارة جوية", ["airstrike"]),
    ("بالغارات الجوية", ["airstrike"]),  # بال prefix
    ("وقصف الطيران الحربي مواقع التنظيم", ["airstrike"]),  # shelling with an air word
    ("قصفت المدفعية مواقع المعارضة", ["shelling"]),  # shelling without one
    ("استهدفت فصائل المعارضة بالمدفعية الثقيلة تجمعات القوات الحكومية", ["shelling"]),  # targeting with artillery
    ("وتقول الدول الغربية إن الحكومة السورية شنت هجمات جوية كيماوية", ["airstrike"]),  # the longest trigger wins
    ("استهدفت طائرة مسيرة سيارة", ["airstrike"]),
    ("قتل عنصران بانفجار عبوة ناسفة", ["explosive", "killing"]),
    ("دخلوا حقل ألغام", ["explosive"]),
    ("وانسحبت الميليشيات من البلدة", ["withdrawal"]),
    ("رصدت انسحاباً جزئياً للقوات", ["withdrawal"]),
    ("تم سحب آليات عسكرية", ["withdrawal"]),
    ("أطلقت روسيا حملة عسكرية جديدة", ["campaign"]),
    ("وبدأت عملية تمشيط واسعة", ["campaign"]),
    ("استولى التنظيم على شاحنات", ["seizure"]),
    ("وسيطرت القوات على القرية", ["seizure"]),
    ("أسفر الهجوم عن مقتل 30 عنصراً", ["clash", "killing"]),
    ("اغتيال قيادي في الفرقة", ["killing"]),
    ("فشـ.ـل هجـ.ـوم التنظيم", ["clash"]),  # filter-dodging tatweel and dot
    ("غادرت حافلات تقل مقاتلين المنطقة", ["withdrawal"]),  # the verb of a noun trigger (مغادرة)
    ("أن انفجارا في شمال سوريا استهدف سيارة عسكرية", ["explosive"]),  # an accusative noun (-ا)
    ("وتحاصر القوات المنطقة منذ سنوات غير أنها استعادت كل مناطق الريف", ["seizure"]),  # "but" ends the span of years
])
def test_triggers_know_prefixes_and_forms(sentence, expected):
    assert types_of(sentence) == expected


@pytest.mark.parametrize("sentence, absent", [
    ("ولم يعد تنظيم داعش يسيطر على أي منطقة", "seizure"),  # negated
    ("في مناطق سيطرة النظام جنوب الرقة", "seizure"),  # "areas held by", not a seizure
    ("ولا يزال التنظيم يشن هجمات بشكل مستمر", "clash"),  # habitual, undated
    ("وتخشى أنقرة أن يتسبب هجوم كبير على إدلب بتدفق اللاجئين", "clash"),  # feared
    ("وقال جيفري إن أي هجوم للقوات الروسية قد يؤدي إلى تدفق اللاجئين", "clash"),  # any attack
    ("تقارير عن عملية عسكرية وشيكة في منطقة خفض التصعيد", "campaign"),  # imminent
    ("يطالب بوقف إطلاق النار لمدة 30 يوما", "clash"),  # a ceasefire
    ("على كل القوات غير السورية أن تنسحب من حدود سوريا الجنوبية", "withdrawal"),  # an obligation
    ("وتهدف روسيا إلى تمشيط البادية", "campaign"),  # an aim
    ("استهدفت مواقع وأرتال النظام", "reinforcement"),  # convoys as targets, not arriving
    ("وصل لمنصة SY24", "reinforcement"),  # وصل alone is not a convoy
    ("وقالت الوزارة إن المسلحين يمكنهم المغادرة مع عائلاتهم", "withdrawal"),  # "can" with its pronoun (يمكن + هم)
    ("وشنت القوات حملة استعادة الرقة من يونيو إلى أكتوبر", "seizure"),  # a taking named as the campaign's aim
    ("خلال حملة التحالف لاستعادة معقل التنظيم", "seizure"),  # "to retake": the purpose ل
    ("وطالب بتحرك عاجل يمنع استهداف المدنيين", "clash"),  # preventing is not doing
    ("وحث الرئيس على الإسراع بسحب القوات", "withdrawal"),  # urged, not done
    ("قال إن القانون يستهدف السوريين المهجرين", "clash"),  # targeting with no armed men, weapon or dead
])
def test_non_events_are_left_out(sentence, absent):
    assert absent not in types_of(sentence)


def test_trigger_offsets_point_into_the_original_text():
    sentence = "وقد أسفر الهجـ.ـوم عن مقتل عناصر"
    for t in find_triggers(sentence):
        assert sentence[t.start:t.end] == t.text
    assert any(t.text == "الهجـ.ـوم" for t in find_triggers(sentence))


def test_a_taking_after_was_subjected_to_is_not_an_aim():
    assert "seizure" in types_of("وتمكنت القوات من السيطرة على البلدة")
    assert types_of("تعرض مطار الضبعة العسكري لقصف صاروخي") == ["shelling"]
