"""Citation parsing and verification as pure functions on literal strings."""

from rag.answering.citations import NOT_IN_SOURCES, Source, is_not_in_sources, parse_citations, render, verify

TEXT = "ونقلت الصحيفة أن لواء الباقر جلب تعزيزات إلى السخنة. وتضم التعزيزات أكثر من 400 عنصر."
SOURCES = [
    Source(n=1, chunk_id="a#000", article_id="a", title="t", source="SY24", date="", text=TEXT, start=100),
    Source(n=2, chunk_id="b#000", article_id="b", title="u", source="Sham Network", date="2020-10-22", text="شن تنظيم داعش هجمات. وقصف الطيران مواقع.", start=0),
]


def test_parse_inline_marks_and_groups():
    s = parse_citations("Baqir brought reinforcements [1]. More than 400 fighters [1, 2][2]. No mark here.")
    assert [(x.text, x.cites) for x in s] == [
        ("Baqir brought reinforcements.", [1]),
        ("More than 400 fighters.", [1, 2]),
        ("No mark here.", []),
    ]


def test_mark_after_the_full_stop_belongs_to_the_previous_sentence():
    s = parse_citations("Baqir brought reinforcements. [1] Then they left [2].")
    assert [(x.text, x.cites) for x in s] == [("Baqir brought reinforcements.", [1]), ("Then they left.", [2])]


def test_arabic_digits_and_comma_in_marks():
    s = parse_citations("جلب لواء الباقر تعزيزات [١، ٢].")
    assert s[0].cites == [1, 2]


def test_verify_removes_unresolved_marks_and_flags_uncited_sentences():
    v = verify("Baqir reinforced Sukhnah [1]. Hezbollah sent tanks [7]. ISIS attacked [2].", SOURCES)
    assert v.removed == 1
    assert v.uncited == ["Hezbollah sent tanks."]
    assert {c.n for c in v.citations} == {1, 2}
    assert render(v.sentences) == "Baqir reinforced Sukhnah. [1] Hezbollah sent tanks. ISIS attacked. [2]"


def test_quotes_are_exact_spans_with_article_offsets():
    v = verify("أكثر من 400 عنصر [1].", SOURCES)
    c = v.citations[0]
    assert c.quote == "وتضم التعزيزات أكثر من 400 عنصر."
    article_text = " " * 100 + TEXT
    assert article_text[c.start : c.end] == c.quote


def test_not_in_sources_is_one_constant_in_both_languages():
    for text in NOT_IN_SOURCES.values():
        assert is_not_in_sources(text)
        assert verify(text, SOURCES).abstained
    assert not is_not_in_sources("Baqir reinforced Sukhnah [1].")


def test_verify_with_a_custom_scorer_picks_the_sentence_it_prefers():
    v = verify("claim [1].", SOURCES, scorer=lambda claim, sentences: [0.0] * (len(sentences) - 1) + [1.0])
    assert v.citations[0].quote.startswith("وتضم")
