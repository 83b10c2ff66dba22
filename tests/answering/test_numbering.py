"""Citation numbers in order of first use (rag/answering/numbering.py), on literal strings."""

from __future__ import annotations

from rag.answering.answer import Answer
from rag.answering.citations import Citation, Sentence, Source
from rag.answering.numbering import in_order_of_use, order_of_use, renumber_marks


def _source(n: int) -> Source:
    return Source(n, f"a{n}_c0", f"a{n}", f"title {n}", f"outlet {n}", "", f"text of {n}.", 0)


def _citation(n: int, quote: str = "q") -> Citation:
    return Citation(n, f"a{n}_c0", f"a{n}", f"title {n}", f"outlet {n}", "", quote, 0, len(quote))


def test_order_of_use_follows_the_text_not_the_numbers():
    assert order_of_use("Wagner moved [6]. Fatemiyoun too [2][6]. And [3, 2].") == {6: 1, 2: 2, 3: 3}


def test_order_of_use_reads_arabic_digits_and_ignores_numbers_that_cite_nothing():
    assert order_of_use("عززت الميليشيات [٤] ثم [7] ومرجع [12].", cited={4, 7}) == {4: 1, 7: 2}


def test_renumber_marks_keeps_everything_else():
    text = "A [6]. B [2][6] [no source]. C [3, 2]. Quoted [12] stays."
    assert renumber_marks(text, {6: 1, 2: 2, 3: 3}) == "A [1]. B [2][1] [no source]. C [3, 2]. Quoted [12] stays."


def test_renumber_marks_with_arabic_digits():
    assert renumber_marks("قال [٦] و[٢]", {6: 1, 2: 2}) == "قال [1] و[2]"


def test_in_order_of_use_renumbers_text_citations_sentences_and_sources_together():
    answer = Answer(
        "q", "Wagner moved [6]. Fatemiyoun too [2][6].", "llm:m", False,
        citations=[_citation(2, "B"), _citation(6, "A"), _citation(6, "A2")],
        sentences=[Sentence("Wagner moved.", [6]), Sentence("Fatemiyoun too.", [2, 6])],
        sources=[_source(n) for n in range(1, 7)],
    )
    out = in_order_of_use(answer)
    assert out.text == "Wagner moved [1]. Fatemiyoun too [2][1]."
    assert [(c.n, c.chunk_id, c.quote) for c in out.citations] == [(1, "a6_c0", "A"), (1, "a6_c0", "A2"), (2, "a2_c0", "B")]
    assert [s.cites for s in out.sentences] == [[1], [2, 1]]
    # still in retrieval order; the uncited ones numbered after the cited
    assert [(s.n, s.chunk_id) for s in out.sources] == [(3, "a1_c0"), (2, "a2_c0"), (4, "a3_c0"), (5, "a4_c0"),
                                                         (6, "a5_c0"), (1, "a6_c0")]
    # pure: the input is untouched
    assert answer.text == "Wagner moved [6]. Fatemiyoun too [2][6]." and answer.citations[0].n == 2


def test_in_order_of_use_leaves_an_answer_already_in_order_alone():
    answer = Answer("q", "X [1]. Y [2].", "extractive", False, citations=[_citation(1), _citation(2)],
                    sources=[_source(1), _source(2), _source(3)])
    assert in_order_of_use(answer) is answer


def test_in_order_of_use_on_an_abstention():
    answer = Answer("q", "Not in the sources.", "extractive", True)
    assert in_order_of_use(answer).text == "Not in the sources."
