"""Tests for rag.dates on literal Arabic and English strings and the sample reports."""

from datetime import date

import pytest

from rag.dates import (
    UNKNOWN,
    DateInfo,
    Period,
    find_dates,
    find_publication_date,
    iso_week,
    parse_record_date,
    parse_user_date,
    question_period,
    resolve_relative,
    week_of,
)
from rag.resources import data_path

SAMPLES = data_path("sample")
ANCHOR = DateInfo(date(2021, 2, 25), "day", "text")  # a Thursday


def isos(text):
    """(iso, matched substring) for every date found."""
    return [(info.iso(), text[s:e]) for info, s, e in find_dates(text)]


def one(text):
    """The single date found in text, as iso."""
    found = isos(text)
    assert len(found) == 1, found
    return found[0][0]


# --- DateInfo ---------------------------------------------------------------------------------

def test_dateinfo_precisions():
    assert DateInfo(date(2021, 2, 25), "day", "text").iso() == "2021-02-25"
    month = DateInfo(date(2020, 2, 1), "month", "text")
    assert (month.iso(), month.start, month.end) == ("2020-02", date(2020, 2, 1), date(2020, 2, 29))
    year = DateInfo(date(2021, 1, 1), "year", "record")
    assert (year.iso(), year.start, year.end) == ("2021", date(2021, 1, 1), date(2021, 12, 31))
    assert (UNKNOWN.iso(), UNKNOWN.start, UNKNOWN.end) == (None, None, None)


# --- record dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, iso, precision", [
    ("2018-02-18T21:35:43+04:00", "2018-02-18", "day"),
    ("2018-02-18T23:59:59-05:00", "2018-02-18", "day"),  # local date as written, no zone conversion
    ("2018-02-18 21:35:43Z", "2018-02-18", "day"),
    ("2018-02-18", "2018-02-18", "day"),
    ("2021-02", "2021-02", "month"),
    ("2021", "2021", "year"),
    (" 25 شباط 2021 ", "2021-02-25", "day"),
])
def test_parse_record_date(value, iso, precision):
    info = parse_record_date(value)
    assert (info.iso(), info.precision, info.source) == (iso, precision, "record")


@pytest.mark.parametrize("value", [None, "", "  ", "garbage", "2021-13-01", "2021-02-30", "n/a"])
def test_parse_record_date_unknown(value):
    assert parse_record_date(value) == UNKNOWN


# --- month names ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, month", [
    ("كانون الثاني", 1), ("شباط", 2), ("آذار", 3), ("نيسان", 4), ("أيار", 5), ("حزيران", 6), ("تموز", 7),
    ("آب", 8), ("أيلول", 9), ("تشرين الأول", 10), ("تشرين الثاني", 11), ("كانون الأول", 12),
    ("تشرين1", 10), ("تشرين2", 11), ("كانون1", 12), ("كانون2", 1), ("تشرين 1", 10), ("كانون 2", 1),
    ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("ابريل", 4), ("مايو", 5), ("يونيو", 6),
    ("يونيه", 6), ("يوليو", 7), ("يوليه", 7), ("أغسطس", 8), ("اغسطس", 8), ("سبتمبر", 9), ("أكتوبر", 10),
    ("نوفمبر", 11), ("ديسمبر", 12),
    ("جانفي", 1), ("فيفري", 2), ("أفريل", 4), ("ماي", 5), ("جوان", 6), ("جويلية", 7), ("أوت", 8),
    ("January", 1), ("Feb", 2), ("march", 3), ("Apr.", 4), ("May", 5), ("JUNE", 6), ("Jul", 7), ("Aug", 8),
    ("Sept", 9), ("Sep", 9), ("October", 10), ("Nov", 11), ("December", 12),
])
def test_month_names(name, month):
    assert one(f"وقع ذلك في 5 {name} 2020 وفق المصادر") == f"2020-{month:02d}-05"
    assert one(f"خلال {name} 2019") == f"2019-{month:02d}"


@pytest.mark.parametrize("text, iso, span", [
    ("بشباط 2021", "2021-02", "شباط 2021"),
    ("وفي آذار 2019", "2019-03", "آذار 2019"),
    ("ولأيار 2020", "2020-05", "أيار 2020"),
    ("وبتموز 2018", "2018-07", "تموز 2018"),
    ("شباط/فبراير 2021", "2021-02", "شباط/فبراير 2021"),
    ("25 شباط (فبراير) 2021", "2021-02-25", "25 شباط (فبراير) 2021"),
])
def test_prefixes_and_double_names(text, iso, span):
    assert isos(text) == [(iso, span)]


@pytest.mark.parametrize("text, iso, span", [
    ("22.تشرين1.2020", "2020-10-22", "22.تشرين1.2020"),
    ("صدر في 22/10/2020 مساء", "2020-10-22", "22/10/2020"),
    ("2020-10-22", "2020-10-22", "2020-10-22"),
    ("22-10-2020", "2020-10-22", "22-10-2020"),
    ("22.10.2020", "2020-10-22", "22.10.2020"),
    ("05/03/2021", "2021-03-05", "05/03/2021"),  # day first
    ("٢٥ شباط ٢٠٢١", "2021-02-25", "٢٥ شباط ٢٠٢١"),
    ("الخميس 25 شباط 2021", "2021-02-25", "25 شباط 2021"),
    ("الخميس, 25 شباط 2021", "2021-02-25", "25 شباط 2021"),
    ("يوم الخميس، 25 شباط، 2021", "2021-02-25", "25 شباط، 2021"),
    ("الأحد 25 شباط 2021", "2021-02-25", "25 شباط 2021"),  # the weekday contradicts the date: ignored
    ("18 من شهر آب 2020", "2020-08-18", "18 من شهر آب 2020"),
    ("في شهر أيار 2020 الماضي", "2020-05", "أيار 2020"),
    ("في آذار 2019،", "2019-03", "آذار 2019"),
    ("في العام 2019", "2019", "العام 2019"),
    ("منذ عام 2011", "2011", "عام 2011"),
    ("آذار من عام 2019", "2019-03", "آذار من عام 2019"),
    ("Feb. 25, 2021", "2021-02-25", "Feb. 25, 2021"),
    ("the 3rd of March 2020", "2020-03-03", "3rd of March 2020"),
    ("in 2019", "2019", "2019"),
    ("February 2021", "2021-02", "February 2021"),
    ("في التاسع من نيسان 2018", "2018-04-09", "التاسع من نيسان 2018"),  # the day as an ordinal word
    ("الحادي والعشرين من آذار عام 2017", "2017-03-21", "الحادي والعشرين من آذار عام 2017"),
    ("والسابعة عشرة من شهر أيار 2020", "2020-05", "أيار 2020"),  # a feminine compound is not read: the month is
    ("في الثاني من كانون الثاني 2018", "2018-01-02", "الثاني من كانون الثاني 2018"),
])
def test_date_forms(text, iso, span):
    assert isos(text) == [(iso, span)]


@pytest.mark.parametrize("text", [
    "18 من شهر آب من العام الحالي",  # no year: not absolute
    "25 شباط",
    "31 شباط 2021",  # invalid day
    "29 شباط 2021",
    "31/04/2020",
    "أكثر من 400 عنصر",
    "عناصر الفرقة 25 المدعومة من روسيا",
    "وصل عدد الغارات إلى نحو 290 غارة منذ مطلع شهر أيار الجاري",
    "خلال الـ 3 أيام الماضية",
    "نحو 2000 مقاتل",  # a count, not a year
    "What may happen next?",
    "مارس التنظيم ضغوطا",
])
def test_not_dates(text):
    assert find_dates(text) == []


def test_offsets_survive_diacritics_and_tatweel():
    text = "قُتل في 25 شبــاطَ ٢٠٢١ عدد من فشـ.ـل العناصر، وفي آذار 2019 أيضاً"
    assert isos(text) == [("2021-02-25", "25 شبــاطَ ٢٠٢١"), ("2019-03", "آذار 2019")]


def test_several_dates_in_order():
    text = "بين 1 كانون الثاني 2020 و 2020-03-15، ثم في تموز 2020 وفي العام 2021"
    assert [i for i, _ in isos(text)] == ["2020-01-01", "2020-03-15", "2020-07", "2021"]
    assert all(info.source == "text" for info, _, _ in find_dates(text))


# --- publication dates ------------------------------------------------------------------------

@pytest.mark.parametrize("name, iso", [
    ("000_81d095f2c667699f", None),
    ("001_cd46ce12425e3a53", "2020-10-22"),
    ("002_ed01a1c225440037", None),
    ("003_2b7e810d896de9c5", None),
    ("004_5d361efb3b7ab3f6", "2021-02-25"),
])
def test_publication_date_samples(name, iso):
    info = find_publication_date((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
    assert info.iso() == iso
    assert info.precision == ("day" if iso else "unknown")


def test_publication_date_with_title():
    title = "عنوان الخبر"
    text = f"{title}\n\nالخميس, 25 شباط 2021\n\nنص الخبر في آذار 2019."
    assert find_publication_date(text, title=title) == DateInfo(date(2021, 2, 25), "day", "text")


def test_publication_date_today_in_first_paragraph_beyond_header():
    para = "قالت مصادر محلية إن " + "التعزيزات وصلت إلى المنطقة " * 15
    text = f"عنوان\n\n{para} صباح اليوم الخميس 25 شباط 2021، ثم انسحبت.\n\nوفي 3 آذار 2020 وقع هجوم."
    assert find_publication_date(text).iso() == "2021-02-25"


def test_publication_date_ignores_body_and_coarse_dates():
    para = "قالت مصادر محلية إن " + "التعزيزات وصلت إلى المنطقة " * 15
    assert find_publication_date(f"عنوان\n\n{para}\n\nوفي 3 آذار 2020 وقع هجوم.") == UNKNOWN
    assert find_publication_date("عنوان\n\nفي آذار 2019 خسر التنظيم الباغوز.") == UNKNOWN
    assert find_publication_date("عنوان\n\nقصف الطيران أمس الأربعاء 24 شباط 2021 مواقع.") == UNKNOWN
    assert find_publication_date("") == UNKNOWN


# --- relative dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("expression, iso, precision", [
    ("اليوم", "2021-02-25", "day"),
    ("اليوم الأحد", "2021-02-25", "day"),
    ("صباح اليوم الخميس", "2021-02-25", "day"),
    ("أمس", "2021-02-24", "day"),
    ("أمس الأربعاء", "2021-02-24", "day"),
    ("مساء أمس الأربعاء", "2021-02-24", "day"),
    ("أول أمس", "2021-02-23", "day"),
    ("قبل يومين", "2021-02-23", "day"),
    ("قبل 3 أيام", "2021-02-22", "day"),
    ("يوم الأربعاء", "2021-02-24", "day"),
    ("الخميس الماضي", "2021-02-18", "day"),
    ("today", "2021-02-25", "day"),
    ("yesterday", "2021-02-24", "day"),
    ("two days ago", "2021-02-23", "day"),
    ("الأسبوع الماضي", "2021-02", "month"),  # Feb 15-21: covered by its month
    ("last week", "2021-02", "month"),
    ("اليومين الماضيين", "2021-02", "month"),
    ("الشهر الماضي", "2021-01", "month"),
    ("مطلع شهر أيار الجاري", "2021-05", "month"),
    ("أيار الماضي", "2020-05", "month"),
    ("كانون الثاني الماضي", "2021-01", "month"),
    ("18 من شهر آب من العام الحالي", "2021-08-18", "day"),
    ("العام الماضي", "2020", "year"),
    ("last May", "2020-05", "month"),
    ("أمس الأربعاء 24 شباط 2021", "2021-02-24", "day"),
    ("في التاسع من شباط", "2021-02-09", "day"),
    ("في السابع من شهر كانون الثاني الماضي", "2021-01-07", "day"),
])
def test_resolve_relative(expression, iso, precision):
    info = resolve_relative(expression, ANCHOR)
    assert (info.iso(), info.precision) == (iso, precision)


def test_resolve_relative_source_and_unknowns():
    assert resolve_relative("أمس الأربعاء", ANCHOR) == DateInfo(date(2021, 2, 24), "day", "inferred")
    assert resolve_relative("أمس الأربعاء", UNKNOWN) == UNKNOWN
    assert resolve_relative("قبل أيام", ANCHOR) == UNKNOWN  # vague
    assert resolve_relative("مؤخرا", ANCHOR) == UNKNOWN
    month_anchor = DateInfo(date(2021, 2, 1), "month", "text")
    assert resolve_relative("أمس", month_anchor) == UNKNOWN  # needs a day anchor
    assert resolve_relative("الشهر الماضي", month_anchor).iso() == "2021-01"


# --- user input and weeks ---------------------------------------------------------------------

@pytest.mark.parametrize("value, start, end", [
    ("2021-02-25", date(2021, 2, 25), date(2021, 2, 25)),
    ("2021-02", date(2021, 2, 1), date(2021, 2, 28)),
    ("2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("25 Feb 2021", date(2021, 2, 25), date(2021, 2, 25)),
    ("February 2021", date(2021, 2, 1), date(2021, 2, 28)),
    ("25 شباط 2021", date(2021, 2, 25), date(2021, 2, 25)),
])
def test_parse_user_date(value, start, end):
    assert parse_user_date(value) == start
    assert parse_user_date(value, end=True) == end


@pytest.mark.parametrize("value", ["", "yesterday", "2021-02-30", "2021-13", "Feb", "25/02", "on 25 Feb 2021 or so"])
def test_parse_user_date_errors(value):
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        parse_user_date(value)


def test_iso_week():
    assert iso_week("2021-W08") == (date(2021, 2, 22), date(2021, 2, 28))
    assert iso_week("2020-W53") == (date(2020, 12, 28), date(2021, 1, 3))
    for bad in ("2021-W54", "2021-W53", "2021-W00", "2021-08", "week 8"):
        with pytest.raises(ValueError, match="ISO week"):
            iso_week(bad)
    assert week_of(date(2021, 2, 25)) == "2021-W08"
    assert week_of(date(2021, 1, 1)) == "2020-W53"


# --- question periods -------------------------------------------------------------------------

NEWEST = date(2021, 2, 25)


@pytest.mark.parametrize("question, since, until, matched", [
    ("What happened last week?", date(2021, 2, 15), date(2021, 2, 21), "last week"),
    ("What happened this week?", date(2021, 2, 22), date(2021, 2, 28), "this week"),
    ("Any attacks yesterday?", date(2021, 2, 24), date(2021, 2, 24), "yesterday"),
    ("What happened in February 2021?", date(2021, 2, 1), date(2021, 2, 28), "in February 2021"),
    ("Who attacked Palmyra in 2020?", date(2020, 1, 1), date(2020, 12, 31), "in 2020"),
    ("What did Russia do since May?", date(2020, 5, 1), None, "since May"),
    ("Attacks since 1 March 2021", date(2021, 3, 1), None, "since 1 March 2021"),
    ("Raids before June 2021", None, date(2021, 5, 31), "before June 2021"),
    ("Raids between January and March 2021", date(2021, 1, 1), date(2021, 3, 31), "between January and March 2021"),
    ("What happened to ISIS after 2019?", date(2020, 1, 1), None, "after 2019"),
    ("ما الذي حدث الأسبوع الماضي؟", date(2021, 2, 15), date(2021, 2, 21), "الأسبوع الماضي"),
    ("ماذا حدث في شباط 2021؟", date(2021, 2, 1), date(2021, 2, 28), "في شباط 2021"),
    ("ماذا فعلت روسيا منذ أيار؟", date(2020, 5, 1), None, "منذ أيار"),
    ("كم غارة خلال شهر آذار 2021؟", date(2021, 3, 1), date(2021, 3, 31), "خلال شهر آذار 2021"),
    ("الهجمات بين شباط وآذار 2021", date(2021, 2, 1), date(2021, 3, 31), "بين شباط وآذار 2021"),
    ("ماذا حدث من آذار إلى أيار 2020", date(2020, 3, 1), date(2020, 5, 31), "من آذار إلى أيار 2020"),
    ("الغارات منذ مطلع شهر أيار الجاري", date(2021, 5, 1), None, "منذ مطلع شهر أيار الجاري"),
    ("هجمات التنظيم حتى نهاية 2020", None, date(2020, 12, 31), "حتى نهاية 2020"),
])
def test_question_period(question, since, until, matched):
    period = question_period(question, NEWEST)
    assert (period.since, period.until, period.matched) == (since, until, matched)


def test_question_period_descriptions():
    assert question_period("What happened last week?", NEWEST).description == "the week 2021-02-15..2021-02-21"
    assert question_period("ماذا حدث في شباط 2021؟", None) == Period(
        date(2021, 2, 1), date(2021, 2, 28), "في شباط 2021", "February 2021")
    assert question_period("in 2020", None).description == "2020"
    assert question_period("since 1 May 2021", None).description == "since 2021-05-01"
    assert question_period("before June 2021", None).description == "until 2021-05-31"


@pytest.mark.parametrize("question", [
    "Which militias reinforced Sukhnah?",
    "ما هي الميليشيات التي عززت مواقعها في السخنة؟",
    "What may happen to the 400 fighters of the 25th Division?",
    "Who leads the 2019 offensive units?",  # a bare year with no period word
    "ماذا يحدث اليوم في البادية؟",  # "today" is not a filter
])
def test_question_without_period(question):
    assert question_period(question, NEWEST) is None


@pytest.mark.parametrize("question", ["What happened last week?", "ماذا فعلت روسيا منذ أيار؟", "أمس", "since May"])
def test_relative_question_without_anchor(question):
    assert question_period(question, None) is None
