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


# -- the support check inside verify (real e5 vectors) -------------------------------------------

import pytest  # noqa: E402

from rag.answering.citations import support_counts, support_note  # noqa: E402
from rag.answering.support import SupportCheck  # noqa: E402
from rag.embeddings import make_embedder  # noqa: E402


@pytest.fixture(scope="module")
def checker():
    return SupportCheck(make_embedder("e5-small-q4"))


def test_each_citation_carries_its_support_and_the_answer_counts_them(checker):
    v = verify("More than 400 fighters came with the reinforcements [1]. More than 600 fighters came [1]. "
               "ISIS attacked [2]. Nothing cites this.", SOURCES, checker=checker)
    first, second = v.sentences[0], v.sentences[1]
    assert first.support[1]["status"] == "supported" and not first.unsupported
    assert second.support[1]["status"] == "unsupported" and second.support[1]["why"] == "number more than 600 vs more than 400"
    assert support_note(second) == "[unsupported: number more than 600 vs more than 400]"
    assert support_note(first) == ""
    counts = support_counts(v.sentences)
    assert counts["claims"] == 4 and counts["claims_uncited"] == 1 and counts["claims_unsupported"] >= 1
    # one quote cited by a supported and an unsupported claim shows the worse outcome
    shared = [c for c in v.citations if c.n == 1 and "400" in c.quote]
    assert shared and shared[0].support["status"] == "unsupported" and shared[0].unsupported
    assert "support" in shared[0].to_dict()


def test_a_supported_claim_quotes_the_sentence_that_supports_it(checker):
    v = verify("جلب لواء الباقر تعزيزات إلى السخنة [1].", SOURCES, checker=checker)
    c = v.citations[0]
    assert c.support["status"] == "supported"
    assert c.quote.startswith("ونقلت الصحيفة")
    assert (" " * 100 + TEXT)[c.start:c.end] == c.quote


def test_without_a_checker_nothing_is_claimed():
    v = verify("Baqir reinforced Sukhnah [1].", SOURCES)
    assert v.citations[0].support is None and v.sentences[0].support == {}
    assert support_counts(v.sentences)["checked"] is False
