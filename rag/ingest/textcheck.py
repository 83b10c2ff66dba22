"""Is decoded text really text? A file of binary data can decode without error and be indexed as gibberish (pure).

Issue 20: a `.md` starting with UTF-16 byte-order marks followed by binary data decoded as UTF-16
(every byte pair is some code point) and was indexed as an article titled «慧扲条eȁ», then sent to
the LLM as a source. Text in any script has almost none of the characters that never appear in
writing: control characters (other than tab, line breaks and form feed), unassigned code points,
private-use code points, lone surrogates and the replacement character U+FFFD. Random bytes decoded
as UTF-16 give about 15 % of them (measured: 14.5-16.2 % over 1,000-1,500 characters of random
and patterned bytes), since most byte pairs land on assigned CJK and Hangul letters; real reports
give under 0.1 %. So text with more than MAX_NOT_TEXT of them (spaces not counted) is refused.
"""

from __future__ import annotations

import unicodedata

MAX_NOT_TEXT = 0.05  # share of never-written characters above which decoded bytes are not text
MIN_CHARS = 20  # fewer non-space characters than this decide nothing (a short title, a stray symbol)
_NEVER_WRITTEN = frozenset({"Cc", "Cn", "Co", "Cs"})
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def not_text_share(text: str) -> float:
    """Share of the non-space characters that never appear in writing (control, unassigned, private use, U+FFFD)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    bad = sum(1 for c in chars if c == "\ufffd" or (unicodedata.category(c) in _NEVER_WRITTEN and c not in _ALLOWED_CONTROLS))
    return bad / len(chars)


def not_text(text: str) -> str | None:
    """Why decoded text is not text (a sentence for the user), or None when it reads as text."""
    chars = sum(1 for c in text if not c.isspace())
    share = not_text_share(text)
    if chars >= MIN_CHARS and share > MAX_NOT_TEXT:
        return (f"not text: {share:.0%} of its characters are control, unassigned or private-use code points "
                "(binary data, or a wrong encoding mark at the start); save it as UTF-8 text")
    return None
