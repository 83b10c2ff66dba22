"""Decoded bytes that are not text are refused, with a reason; real reports in any script pass."""

from __future__ import annotations

import random

from rag.ingest.loaders import LoadError, load
from rag.ingest.textcheck import not_text, not_text_share
from tests.conftest import SAMPLE


def _binary(n: int, seed: int = 20) -> bytes:
    """n bytes of random UTF-16-LE code units that decode without error (no surrogates), as the issue's file did."""
    rng = random.Random(seed)
    units = [rng.choice((rng.randrange(0xD800), rng.randrange(0xE000, 0x10000))) for _ in range(n // 2)]
    return b"".join(u.to_bytes(2, "little") for u in units)


def test_utf16_marks_before_binary_data_are_not_text():
    text = (b"garbage!" + _binary(3000)).decode("utf-16-le")
    assert not_text_share(text) > 0.10
    assert not_text(text).startswith("not text: ")


def test_reports_in_arabic_english_and_chinese_are_text():
    for path in sorted(SAMPLE.glob("*.txt")):
        assert not_text(path.read_text(encoding="utf-8")) is None, path
        assert not_text_share(path.read_text(encoding="utf-8")) == 0.0
    assert not_text("Liwa al-Baqir and Fatemiyoun reinforced Sukhnah.\tTabs\fand form feeds are layout.") is None
    assert not_text("中国外交部发言人表示，各方应通过对话解决叙利亚问题。" * 3) is None


def test_a_few_stray_characters_or_a_short_text_decide_nothing():
    assert not_text("\x01\x02 short") is None  # under MIN_CHARS
    assert not_text("نص عربي عادي " * 20 + "\ufffd") is None  # one replacement character in 220


def test_the_loader_refuses_such_a_file_naming_it(tmp_path):
    bad = tmp_path / "notes.md"
    bad.write_bytes(b"\xff\xfe" + b"ga" + _binary(3000))
    good = tmp_path / "fine.md"
    good.write_text("عنوان\n\nنص التقرير عن السخنة وتدمر في البادية السورية.", encoding="utf-8")
    out = list(load([tmp_path]))
    errors = [x for x in out if isinstance(x, LoadError)]
    assert len(errors) == 1 and errors[0].origin.endswith("notes.md") and "not text:" in errors[0].reason
    assert [x.id for x in out if not isinstance(x, LoadError)] == ["fine"]
