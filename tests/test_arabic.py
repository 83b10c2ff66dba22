"""Normalisation, tokens and stemming on literal strings."""

from rag import arabic


def test_normalize_folds_letter_variants_digits_tatweel_and_diacritics():
    assert arabic.normalize("أإآٱ") == "اااا"
    assert arabic.normalize("مدرسة") == "مدرسه"
    assert arabic.normalize("مستشفى") == "مستشفي"
    assert arabic.normalize("یک") == "يك"
    assert arabic.normalize("٢٠٢١ ۱۹") == "2021 19"
    assert arabic.normalize("هجـــوم") == "هجوم"
    assert arabic.normalize("مُقَاتِل") == "مقاتل"


def test_tokens_stem_prefixes_and_drop_stopwords():
    toks = arabic.tokens("ونقلت الصحيفة عن مصادرها أن ميليشيات لواء “فاطميون” في السخنة")
    assert "عن" not in toks and "في" not in toks
    assert "سخن" in toks and "صحيف" in toks and "لواء" in toks
    assert arabic.tokens("والسخنة")[0] == arabic.tokens("السخنة")[0]


def test_tokens_split_on_arabic_punctuation():
    assert arabic.tokens("مصادرها، قالت؛ لماذا؟", stem=False, drop_stopwords=False) == ["مصادرها", "قالت", "لماذا"]


def test_is_arabic():
    assert arabic.is_arabic("ما هي الميليشيات التي عززت السخنة؟")
    assert not arabic.is_arabic("Which militias reinforced Sukhnah?")
    assert arabic.is_arabic("منصة SY24 تقول")
