"""A name the sources never give (rag/answering/unnamed.py), on literal strings."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from rag.answering.unnamed import asked_noun, unnamed


@dataclass
class Ev:
    text: str


def _place(word: str) -> bool:
    return word in ("سوريا", "العراق")


@pytest.mark.parametrize(
    "question, asks",
    [
        ("What was the name of the Hezbollah commander killed near al-Qusayr?", "قايد"),  # forms are normalised
        ("Who is the Syrian Kurdish official who said thousands were fleeing?", "مسوول"),
        ("Near which village were the checkpoints hit?", "قريه"),
        ("To which journalist did the officer admit it?", "صحفي"),  # the first listed noun after "which"
        ("ما اسم مختار قرية مشيرفة الذي قتل؟", "مختار"),
        ("من هو المسؤول الكردي الذي قال لفرانس برس؟", "مسوول"),
        ("ما اسم المستشفى الوحيد في مدينة نوى؟", "مستشفي"),
        ("Which Russian businessman contacted Syrian officials?", None),  # no listed noun
        ("How many civilians did the official say were killed?", None),  # no name asked
        ("How many fighters, which the commander said had left, remain?", None),  # "which" joins a clause here
    ],
)
def test_what_a_question_asks_the_name_of(question, asks):
    forms = asked_noun(question)
    assert (asks in forms) if asks else forms is None


@pytest.mark.parametrize(
    "question, sentence, refused",
    [
        ("What was the name of the Hezbollah commander?", "ما أسفر عن سقوط قتلى، بينهم أحد قادة الجماعة", True),
        ("من هو المسؤول الكردي؟", "وقال مسؤول كردي لوكالة فرانس برس إن الزيارة تمت بالتشاور", True),
        ("What was the name of the senior officer?", "اعترف ضابط كبير في الجيش الإسرائيلي", True),
        ("ما اسم القرية؟", "قصف للتحالف الدولي استهدف قرية في ريف دير الزور الشرقي", True),
        ("من هو المسؤول الكردي البارز؟", "وقال المسؤول الكردي البارز بدران جيا كرد لرويترز", False),  # named
        ("Who is the commander?", "وقال أبو نبوت وهو قائد عسكري في الفصيل", False),  # the name comes first
        ("ما اسم القرية؟", "استهدف قرية هداج في ريف الحسكة الجنوبي", False),
        ("Who is the envoy?", "قال حسام الدين مبعوث سوريا لدى الأمم المتحدة", False),  # a country is no adjective
        ("Who is the commander?", "وقال قائد ميداني يدعى أبو علي إن", False),  # named by «يدعى»
        # a prepositional phrase describes an unnamed noun; after a comma a name may follow
        ("What is the name of the spokeswoman?", "وقالت متحدثة باسم يونيسيف إن خطة الاستجابة", True),
        ("ما اسم الضابط؟", "وقال ضابط برتبة عقيد في الشرطة", True),
        ("Who is the official?", "وقال مسؤول بالبحرية الأمريكية لشبكة CNN إن", True),
        ("What is the name of the spokeswoman?", "وقالت متحدثة باسم النيابة العامة، وينكي كولن، إن", False),
        ("Who is the commander?", "وقال قائد برشلونة الذي يخوض آخر مباراة", False),  # «ب» but a place, not «بال»
        ("ما أسماء الضباط؟", "اتفاق تفاوض بشأنه ضباط روس مع المعارضة", True),  # a nationality plural
    ],
)
def test_an_indefinite_mention_says_the_name_is_not_given(question, sentence, refused):
    ev = Ev(sentence)
    assert (unnamed(question, [ev], lambda e: e.text, _place) is ev) is refused


def test_a_named_mention_beside_it_means_the_sources_name_someone():
    ev = Ev("وقال مسؤول كردي إن الوفد وصل")
    around = ev.text + " وأكد المسؤول الكردي آلدار خليل ذلك"
    assert unnamed("من هو المسؤول الكردي؟", [ev], lambda e: around, _place) is None


def test_only_the_first_close_sentence_that_mentions_the_noun_is_judged():
    far = Ev("وقال مسؤول في الأمم المتحدة إن")
    named = Ev("وقال المسؤول الكردي البارز بدران جيا كرد")
    unrelated = Ev("قصفت الطائرات المدينة")
    assert unnamed("من هو المسؤول الكردي؟", [unrelated, named, far], lambda e: e.text, _place) is None
    assert unnamed("من هو المسؤول الكردي؟", [unrelated, far, named], lambda e: e.text, _place) is far
