"""Key terms match as words with clitics and endings, never as substrings of other words."""

import pytest

from rag.terms import Terms


@pytest.fixture(scope="module")
def terms():
    return Terms.load()


def labels(terms, text):
    return {t.label for t in terms.find(text)}


@pytest.mark.parametrize(
    "text, label",
    [
        ("قصفت الطائرات المسيّرة مواقع التنظيم", "drones"),
        ("Were drones used near Palmyra?", "drones"),
        ("شنت المقاتلات غارتين على البلدة", "airstrikes"),
        ("بغارات جوية روسية", "airstrikes"),
        ("انفجار لغم أرضي", "landmines"),
        ("زرع ألغام في الطريق", "landmines"),
        ("وصلت تعزيزات عسكرية", "reinforcements"),
        ("القطع البحرية الروسية", "ships"),
    ],
)
def test_term_found_as_word(terms, text, label):
    assert label in labels(terms, text)


@pytest.mark.parametrize(
    "text, label",
    [
        ("انطلقت مسيرة سلمية في المدينة", "drones"),  # a march is not a drone
        ("مسيرات العودة على حدود غزة", "drones"),
        ("زار ملك البحرين الرياض", "ships"),  # Bahrain is not naval
        ("قال اللواء علي مملوك", "commander"),  # a rank that is also every Liwa militia's name: left out
        ("توفير الخدمات", "kidnapping"),
    ],
)
def test_no_substring_match(terms, text, label):
    assert label not in labels(terms, text)
