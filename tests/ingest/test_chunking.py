"""Sentence spans and chunks with offsets into the display text."""

from rag.documents import Article
from rag.ingest.chunking import chunk_article, sentence_spans


def test_sentences_end_at_arabic_punctuation_and_line_breaks():
    text = "قال المصدر إن الهجوم فشل. هل انتهى؟ نعم؛ انتهى\nسطر جديد"
    parts = [text[s:e] for s, e in sentence_spans(text)]
    assert parts == ["قال المصدر إن الهجوم فشل.", "هل انتهى؟", "نعم؛", "انتهى", "سطر جديد"]


def test_dates_with_dots_do_not_end_sentences():
    text = "صدر التقرير في 22.10.2020 عن الشبكة."
    assert [text[s:e] for s, e in sentence_spans(text)] == [text]


def _article(n_sentences=40):
    text = "\n".join(f"الجملة رقم {i} تتحدث عن تعزيزات عسكرية في البادية السورية." for i in range(n_sentences))
    return Article(id="a1", title="t", text=text)


def test_chunks_cover_the_text_with_exact_spans_and_overlap():
    article = _article()
    chunks = chunk_article(article, size=30, overlap=10)
    assert len(chunks) > 3
    for c in chunks:
        assert article.text[c.start : c.end] == c.text
        assert c.article_id == "a1" and "title" not in c.meta, "article metadata is stored once, in the manifest"
    assert chunks[0].start == 0 and chunks[-1].end == len(article.text)
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "consecutive chunks overlap"
        assert b.start > a.start, "chunks move forward"


def test_chunk_ids_are_stable_and_unique():
    ids1 = [c.id for c in chunk_article(_article(), 30, 10)]
    ids2 = [c.id for c in chunk_article(_article(), 30, 10)]
    assert ids1 == ids2 and len(set(ids1)) == len(ids1)


def test_a_sentence_longer_than_a_chunk_is_split_at_words():
    article = Article(id="long", title="t", text=" ".join(["كلمة"] * 500))
    chunks = chunk_article(article, size=100, overlap=0)
    assert len(chunks) == 5 and all(article.text[c.start:c.end] == c.text for c in chunks)
