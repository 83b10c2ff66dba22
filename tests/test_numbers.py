"""Counts as values across scripts and languages (rag.numbers), on literal strings."""

import re

import pytest

from rag.numbers import ABOUT, EXACT, LESS, MORE, NUMBER, NUMBER_AS_WRITTEN, compatible, find_quantities, has_digit, has_number


def one(text):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, value, bound",
    [
        ("وتضم التعزيزات أكثر من 400 عنصر", 400, MORE),
        ("more than four hundred fighters", 400, MORE),
        ("at least 14 people", 14, MORE),
        ("قتل 14 شخصا على الأقل", 14, MORE),
        ("ما لا يقل عن 30 عنصراً", 30, MORE),
        ("less than 10 vehicles", 10, LESS),
        ("نحو 290 غارة", 290, ABOUT),
        ("about 60 missiles", 60, ABOUT),
        ("١٤ مقاتلا", 14, EXACT),
        ("ثلاثة آلاف مقاتل", 3000, EXACT),
        ("خمسة وعشرين عنصرا", 25, EXACT),
        ("ثلاثة عشر قتيلا", 13, EXACT),
        ("أربعمئة عنصر", 400, EXACT),
        ("three thousand five hundred", 3500, EXACT),
        ("twenty-five buses", 25, EXACT),
        ("2,500 people", 2500, EXACT),
        ("25 مليون دولار", 25_000_000, EXACT),
        ("و10 صواريخ تكتيكية", 10, EXACT),
        ("القتلى الثلاثة", 3, EXACT),
    ],
)
def test_values_and_bounds(text, value, bound):
    q = one(text)
    assert (q.value, q.bound) == (value, bound)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("text", ["on 9 April 2018", "On 18 August Russia", "وبتاريخ 18 من شهر آب", "في 25 يوليو/تموز",
                                  "in 2018", "at 10:30", "the 25th Division", "T4 airbase", "F-15 jets"])
def test_dates_years_times_ordinals_and_names_are_not_counts(text):
    assert find_quantities(text) == []


def test_vague_plurals_are_ranges():
    q = one("عشرات المقاتلين")
    assert (q.low, q.high) == (20, 99)
    assert one("dozens of fighters").low == 20


@pytest.mark.parametrize(
    "claim, source, ok",
    [
        ("more than 400", "أكثر من 400", True),
        ("400", "أكثر من 400", True),          # a dropped «أكثر من» is the same fact
        ("more than 600", "أكثر من 400", False),
        ("600", "400", False),
        ("more than 400", "450", True),
        ("more than 18", "45", False),          # a bound far under the figure is not how it is reported
        ("about 400", "390", True),
        ("about 400", "300", False),
        ("dozens", "40", True),
        ("more than 18", "عشرات", False),
        ("450", "أكثر من 400", False),
        ("more than 10", "less than 10", False),
    ],
)
def test_compatible(claim, source, ok):
    assert compatible(one(claim), one(source)) is ok


# -- detection: the one place the extractive count check, event figures and briefing figures read -------------

@pytest.mark.parametrize(
    "sentence, found",
    [
        ("قتل 30 شخصا في الهجوم", True),
        ("قتل ثلاثة أشخاص", True),
        ("قصفت بعشرات القذائف", True),
        ("Three people were killed, 12 wounded", True),
        ("في عام 2018 بدأت المعارك", False),         # a year is not a count
        ("وصل اللواء 93 إلى المدينة", False),        # nor a unit's name
        ("قالت الوزارة في 12 آذار 2018 إن المعركة انتهت", False),  # nor a date
        ("No figure here at all", False),
    ],
)
def test_has_number(sentence, found):
    assert has_number(sentence) is found


@pytest.mark.parametrize("text, found", [("أكثر من 400 عنصر", True), ("٣٠ عنصرا", True), ("عشرات العناصر", False), ("مئات", False)])
def test_has_digit_reads_either_script(text, found):
    assert has_digit(text) is found


def test_number_patterns():
    assert [m.group() for m in re.finditer(NUMBER, "قتل 400 و3.5 و2,5")] == ["400", "3.5", "2,5"]
    assert [m.group() for m in re.finditer(NUMBER_AS_WRITTEN, "قتل ٤٠٠ و12 و2٫5 الساعة 10:30")] == ["٤٠٠", "12", "2٫5", "10"]


def test_digits_with_the_article_written_onto_them_are_numbers():
    """«الـ35» ("the 35") is a number, as «ب35» is; a word ending in «ال» before digits is not that article."""
    from rag import arabic

    def values(text):
        return [q.value for q in find_quantities(arabic.normalize(text))]

    assert values("كم طفلاً كان بين المدنيين الـ35 الذين قتلوا؟") == [35.0]
    assert values("والـ12 جريحا وللـ40 عنصرا") == [12.0, 40.0]
    assert values("المال35") == []
