"""Folding for matching keeps a map back to the original text."""

from __future__ import annotations

from rag.events import fold


def test_fold_drops_marks_and_maps_back():
    text = "مقـ.ـاتلي ٤٠٠ عنصرٍ"
    folded, index = fold(text)
    assert folded == "مقاتلي 400 عنصر"
    assert len(index) == len(folded) and text[index[0]] == "م" and text[index[-1]] == "ر"
