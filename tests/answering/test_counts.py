"""What a count question counts and whether a sentence gives it (rag/answering/counts.py), on literal strings."""

from __future__ import annotations

import pytest

from rag.answering.counts import asked_count, counted, gives_count


@pytest.mark.parametrize(
    "question, kind, toll",
    [
        ("How many Russian and Syrian aircraft took part in the raids on Idlib?", "aircraft", False),
        ("How many Israeli missiles hit the facilities near Masyaf?", "shells", False),
        ("How many suicide attacks opened the assault?", "attacks", False),
        ("How many civilians were killed in Kafr Batna?", "civilians", True),
        ("How many people were killed in Kafr Batna?", "people", True),
        ("How many members made up the team?", None, False),  # a noun of no known kind
        ("كم صاروخاً أطلقت المقاتلات؟", "shells", False),
        ("كم جندياً سورياً قتلوا في الهجوم؟", "fighters", True),
        ("كم عدد القتلى في هجوم تدمر؟", "killed", True),
        ("كم من مقاتلي جيش الإسلام سقطوا؟", "fighters", False),
        ("كم استغرقت الضربات الأميركية على سوريا؟", None, False),  # how long, not how many strikes
        ("كم عائلة فرت من منازلها؟", None, False),
    ],
)
def test_what_a_question_counts(question, kind, toll):
    ask = asked_count(question)
    assert (ask.kind, ask.toll) == (kind, toll)


def test_the_questions_own_numbers_are_not_its_answer():
    ask = asked_count("كم شخصاً قتلوا في قصف قلعة المضيق بأكثر من 100 صاروخ في سبتمبر 2018؟")
    assert ask.given == frozenset({100.0})  # the year is not a number the question gives
    sentence = "استهدفت قوات النظام، ليل الاثنين، قلعة المضيق بأكثر من 100 صاروخ وعشرات القذائف، مما تسبب بسقوط قتلى وعشرات الجرحى."
    assert counted(sentence, ask.given) == ["shells", "wounded"]  # Monday is not two; 100 is the question's
    assert not gives_count(ask, sentence)  # deaths are said, but no number of them
    assert gives_count(ask, "وأسفر القصف على قلعة المضيق عن مقتل 9 أشخاص")


@pytest.mark.parametrize(
    "sentence, counts",
    [
        ("أطلق سبعة صواريخ على مقر الاجتماع", ["shells"]),
        ("مقتل ما لا يقل عن 30 من العناصر", ["fighters"]),
        ("نفذت الطائرات الروسية قرابة 60 ضربة", ["strikes"]),
        ("ارتفعت الحصيلة إلى 127", [None]),
        ("fired seven missiles at the base", ["shells"]),
    ],
)
def test_what_a_number_in_a_sentence_counts(sentence, counts):
    assert counted(sentence) == counts


@pytest.mark.parametrize(
    "question, sentence, gives",
    [
        ("How many missiles struck the air base?", "هجوم كيماوي قتل ما لا يقل عن 70 شخصا", False),
        ("How many missiles struck the air base?", "أطلق سبعة صواريخ على القاعدة", True),
        ("How many aircraft took part in the raids?", "نفذت الطائرات الروسية قرابة 60 ضربة", False),
        ("How many aircraft took part in the raids?", "شاركت 28 طائرة في العملية", True),
        ("How many civilians were killed?", "ارتفعت حصيلة القتلى إلى 127", True),  # a toll of no noun
        ("How many civilians were killed?", "وأصيب 50 آخرون بجروح", False),  # no word of killing
        ("كم قتيلاً سقط في القصف؟", "استهدف القصف المدينة بأكثر من 100 صاروخ وسقط قتلى", False),  # deaths, but 100 is missiles
        ("How many fighters does the alliance have?", "ويضم التحالف نحو 5000 مقاتل", True),
        ("How many fighters does the alliance have?", "ويضم التحالف نحو 5000 مقاتل من 12 فصيلا", True),
        ("How many fighters does the alliance have?", "شنت 12 غارة على مواقع التحالف", False),
        ("How many experts made up the mission?", "تضم البعثة 15 خبيرا", True),  # unknown kind: any number ...
        ("How many experts made up the mission?", "وتبعد البعثة 3 كيلومترات عن المعبر", False),  # ... but a measure
        ("How many experts made up the mission?", "سيطرت القوات على 69 بالمئة من المحافظة", False),
        ("كم مدنياً قتلوا في القصف؟", "أسفر القصف عن مقتل \"عشرات الإرهابيين\"", False),  # civilians are not fighters
        ("كم مدنياً قتلوا في القصف؟", "أسفر القصف عن مقتل 12 شخصا", True),  # people may be civilians
        ("How many fighters were killed?", "قتل 8 مدنيين بينهم 3 أطفال", False),
        ("كم عدد المقاتلين الذين دخلوا عفرين؟", "قتل 36 شخصا في غارات على قوات موالية", False),  # a toll is no headcount
        ("كم عدد المقاتلين الذين دخلوا عفرين؟", "دخل 500 مقاتل إلى عفرين", True),
    ],
)
def test_a_sentence_gives_the_count_asked_for(question, sentence, gives):
    assert gives_count(asked_count(question), sentence) is gives


def test_a_number_of_another_sides_men_is_not_the_one_asked_for():
    ask = asked_count("How many ISIS fighters were killed in the clashes?")
    sentence = "وسط توارد أنباء عن مصرع 3 عناصر من قوات النظام"
    assert gives_count(ask, sentence)  # no one to tell the sides apart: any toll of fighters
    assert not gives_count(ask, sentence, foreign=lambda words: "النظام" in words)


def test_children_or_women_are_counted_only_by_a_number_of_them():
    """A toll of people or civilians does not say how many of them were children; a number of children does."""
    ask = asked_count("How many children were among the 12 members of one family killed by ISIS in the village?")
    assert ask.kind == "children" and ask.given == frozenset({12.0})
    told = "قال مسؤول عراقي، إن مسلحي تنظيم داعش الإرهابي، قتلوا 12 فردا من أسرة واحدة، بينهم نساء وأطفال، في هجوم على منزلهم."
    assert not gives_count(ask, told)
    assert not gives_count(ask, "وقتل 20 مدنيا في الغارات على البلدة.")  # civilians, not how many children
    assert gives_count(ask, "وقتل 5 أطفال في الهجوم على المنزل.")
    women = asked_count("كم امرأة قتلت في القصف؟")
    assert women.kind == "women"
    assert gives_count(women, "وقتل في القصف 3 نساء و4 أطفال.")
    assert not gives_count(women, "وقتل في القصف 7 مدنيين.")
    # a question counting civilians is still answered by a number of children; one counting fighters is not
    assert gives_count(asked_count("How many civilians were killed in the strike?"), "وقتل 5 أطفال في الغارة.")
    assert not gives_count(asked_count("How many fighters were killed in the strike?"), "وقتل 5 أطفال في الغارة.")
