"""A day the sources never give (rag/answering/when.py), on literal strings."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from rag.answering.when import asks_day, date_precision, day_missing


@dataclass
class Src:
    date: str


@dataclass
class Ev:
    text: str
    similarity: float
    source: Src


@pytest.mark.parametrize(
    "question, asks",
    [
        ("On what date did the Israeli strike hit the T4 air base?", True),
        ("On what exact date in February did Turkey put him on its wanted list?", True),
        ("Which day did the convoy leave Douma?", True),
        ("في أي تاريخ وقع وزير الدفاع الإيراني الاتفاق؟", True),
        ("ما تاريخ توقيع الاتفاق؟", True),
        ("When did the convoy leave Douma?", False),  # a month or a year answers "when"
        ("متى اعتقل محمد حيدر زمار؟", False),
        ("How much can Ctenophores eat in one day?", False),
        ("Where is the Hyde Park Day School located?", False),
        ("What report had the correct date?", False),
        ("كم يمكن أن يأكل في اليوم؟", False),
    ],
)
def test_which_questions_ask_for_a_day(question, asks):
    assert asks_day(question) is asks


@pytest.mark.parametrize(
    "text, report, precision",
    [
        ("غارة إسرائيلية في التاسع من أبريل الجاري استهدفت قاعدة التيفور", "2018-04-16", "day"),
        ("قتلوا في ضربات جوية أمريكية في السابع من فبراير/شباط.", "2018-02-20", "day"),
        ("وقال جيفري الذي عين يوم 17 أغسطس آب مستشارا خاصا", "2018-09-07", "day"),
        ("اعتقل السبت في براغ", "2018-02-25", "day"),
        ("اعتقل السبت في براغ", "", "day"),  # an undated report: a weekday still says a day
        ("أدرج مسلم على قائمة أكثر المطلوبين في وقت سابق من فبراير الجاري.", "2018-02-25", "month"),
        ("وكان وزير الدفاع الإيراني قد توجه الأسبوع الماضي إلى دمشق", "2018-09-03", "year"),  # 27 Aug - 2 Sep
        ("وكان وزير الدفاع الإيراني قد توجه الأسبوع الماضي إلى دمشق", "2018-09-20", "month"),
        ("في ديسمبر 2001", "2018-01-01", "month"),
        ("وقع الطرفان اتفاقا للتعاون الدفاعي", "2018-09-03", "unknown"),
    ],
)
def test_the_finest_date_a_sentence_gives(text, report, precision):
    assert date_precision(text, report) == precision


def _around(texts: dict[str, str]):
    return lambda ev: texts.get(ev.text, ev.text)


def test_a_day_question_answered_by_a_month_is_refused_with_the_closest_sentence():
    month = Ev("أدرج مسلم على القائمة في وقت سابق من فبراير الجاري.", 0.82, Src("2018-02-25"))
    other = Ev("وذكرت الوكالة أن مسلم اعتقل السبت في براغ.", 0.78, Src("2018-02-25"))
    # the neighbour's day is another act's: the closest sentence dated this one by its month
    around = _around({month.text: month.text + " " + other.text})
    assert day_missing("On what exact date did Turkey put Salih Muslim on its list?", [other, month], around) is month


def test_a_day_in_the_closest_sentence_or_around_an_undated_one_answers():
    day = Ev("قتلوا في ضربات جوية أمريكية في السابع من فبراير.", 0.80, Src("2018-02-20"))
    assert day_missing("On what date did the US strikes hit?", [day], _around({})) is None
    bare = Ev("واستهدفت الضربات قاعدة التيفور.", 0.80, Src("2018-04-16"))
    lede = "شنت إسرائيل أمس الأحد غارات على حمص. " + bare.text
    assert day_missing("On what date was T4 hit?", [bare], _around({bare.text: lede})) is None
    assert day_missing("On what date was T4 hit?", [bare], _around({})) is bare


def test_questions_that_ask_no_day_are_left_alone():
    month = Ev("في وقت سابق من فبراير الجاري.", 0.9, Src("2018-02-25"))
    assert day_missing("When was he put on the list?", [month], _around({})) is None
    assert day_missing("On what date was he listed?", [], _around({})) is None
