"""Cleaning on literal strings: dodges undone, boilerplate out, original spelling kept."""

from rag.ingest.clean import clean_text, first_line, is_boilerplate, undo_dodges


def test_filter_dodging_spellings_are_undone():
    assert undo_dodges("فشـ.ـل") == "فشل"
    assert undo_dodges("هجـ.ـمـ.ـات") == "هجمات"
    assert undo_dodges("مقـ.ـاتلي") == "مقاتلي"
    assert undo_dodges("قتـ.ـل ضابط") == "قتل ضابط"


def test_sentence_dots_and_plain_tatweel_are_kept():
    text = "انتهى الاجتماع. بدأت الحملة في 22.10.2020 وشارك الجيـــش"
    assert undo_dodges(text) == text


def test_boilerplate_lines_are_dropped():
    for line in ["مقالات ذات صلة", "زر الذهاب إلى الأعلى", "الأكثر قراءة", "Facebook", "WhatsApp", "Telegram",
                 "Facebook WhatsApp Telegram", "  • اقرأ أيضاً", "Back to top"]:
        assert is_boilerplate(line), line
    assert not is_boilerplate("وتضم التعزيزات أكثر من 400 عنصر")


def test_clean_text_drops_repeated_title_and_keeps_original_letters():
    raw = "عنوان التقرير\n\nعنوان التقرير\nأوطان بوست – فريق التحرير\nتوجهت صباح اليوم أرتال إلى البادية.\nFacebook\nمقالات ذات صلة\n"
    cleaned = clean_text(raw, "عنوان التقرير")
    assert cleaned.count("عنوان التقرير") == 1
    assert "Facebook" not in cleaned and "مقالات ذات صلة" not in cleaned
    assert "أرتال" in cleaned  # hamza kept for display


def test_first_line_is_the_title():
    assert first_line("\n\n# عنوان\nنص") == "عنوان"
