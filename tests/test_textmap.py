"""rag.textmap: one fold-with-offsets replacing the events, gazetteer and dates copies, output for output.

tests/fixtures/textmap_before.json holds the outputs of the three former implementations (digests), written
once from the old code: on every sentence of the bundled sample corpus (and the hard cases: tatweel-dodged
words, expanding characters, combining accents) the shared functions must give the same folded text and the
same offsets as the code they replaced.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from rag.arabic import normalize
from rag.events.text import fold, to_original
from rag.resources import data_path
from rag.textmap import MARKS, MARKS_AND_COMBINING, fold_chars, fold_with_offsets

HARD = ["داعـ.ـش", "عنصراً", "قُتِلَ 30 عنصراً", "…", "e\u0301x", "ﷺ test", "فشـ.ـل", "a\u200bb", "٣٠ ﻻ", "Ḥalab ﻷ"]


def _sentences() -> list[str]:
    out = list(HARD)
    for path in sorted(data_path("sample").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [text, *(s for s in re.split(r"(?<=[.!?؟\n])", text) if s.strip())]
    return out


SENTENCES = _sentences()


def test_the_sample_corpus_is_there():
    assert len(SENTENCES) > 50


@pytest.mark.parametrize("skip", [MARKS, MARKS_AND_COMBINING])
def test_folded_characters_come_from_their_original_character(skip):
    for s in SENTENCES:
        folded, index = fold_with_offsets(s, skip)
        assert len(index) == len(folded)
        assert index == sorted(index)
        assert all(c in normalize(s[i]) or normalize(s[i]) == "" or c in normalize(s[i - 1:i + 2]) for c, i in zip(folded, index))


BEFORE = json.loads((Path(__file__).parent / "fixtures" / "textmap_before.json").read_text(encoding="utf-8"))["rows"]


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def test_same_output_as_the_three_folds_it_replaced():
    assert [row["sentence"] for row in BEFORE] == [_digest(s) for s in SENTENCES], "the sample corpus changed: rewrite the fixture"
    for s, row in zip(SENTENCES, BEFORE):
        folded, index = fold(s)
        assert _digest([folded, index]) == _digest(list(fold_with_offsets(s, MARKS))) == row["events"], s
        n = len(folded)
        spans = [list(to_original(s, index, a, b)) for a, b in ((0, n), (0, min(3, n)), (n // 2, n)) if b > a]
        assert spans == row["spans"], s
        assert _digest(list(fold_with_offsets(s, MARKS_AND_COMBINING))) == row["gazetteer"], s
        assert _digest(list(fold_chars(s))) == row["dates"], s


def test_a_dodged_word_maps_back_to_its_whole_spelling():
    text = "هاجم عناصر داعـ.ـش القرية"
    folded, index = fold_with_offsets(text)
    a = folded.index("داعش")
    start, end = to_original(text, index, a, a + 4)
    assert text[start:end] == "داعـ.ـش"
    assert "داعش" not in fold_with_offsets(text, re.compile("(?!)"))[0]
