"""Bytes to text for ingest: UTF-8 (BOM or not), UTF-16 (BOM or guessed), Windows-1256, else a detected encoding.

One concept out of rag.ingest.loaders (which reads files and records): how a file's bytes become text, and
why some never do (PDF, archive, binary, undecodable), said as an `InputError` the loader turns into a
LoadError naming the file. The web reader (rag.web.extract) decodes pages with the same `decode`.
"""

from __future__ import annotations

from charset_normalizer import from_bytes


class InputError(ValueError):
    """Raised by the decoders; turned into a LoadError by the caller."""


def decode(data: bytes, origin: str) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 (BOM), else a detected encoding such as Windows-1256."""
    if not data.strip():
        raise InputError("empty file (nothing but whitespace)" if data else "empty file")
    if data.startswith(b"%PDF"):
        raise InputError("this is a PDF, not text; extract its text first (e.g. pdftotext) and ingest the .txt")
    if data[:4] in (b"PK\x03\x04",) or data[:3] == b"\x1f\x8b\x08":
        raise InputError("this is a compressed archive; give it a .zip or .gz name")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", origin)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", origin)
    if b"\x00" in data[:8192]:
        # UTF-16 without a BOM (high bytes 0x00 for ASCII, 0x06 for Arabic), else text with a few stray NULs
        # (stripped at ingest, as anywhere in a file), else binary.
        for encoding in _utf16_guess(data):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _control_share(text) < 0.01:
                return text
        try:  # valid UTF-8 with stray controls: at most 1% of the characters, or 3 in a short text
            text = data.decode("utf-8")
            if _control_share(text) * len(text) <= max(3, 0.01 * len(text)):
                return text
        except UnicodeDecodeError:
            pass
        raise InputError("binary file (contains NUL bytes); only text, HTML and JSON are ingested")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Arabic archives are mostly Windows-1256; otherwise ask the detector.
    guess = data.decode("cp1256", errors="replace")
    if _arabic_share(guess) > 0.5 and _control_share(guess) < 0.01:
        return guess
    best = from_bytes(data[:200_000]).best()
    text = str(best) if best is not None else ""
    if best is None or not text or _control_share(text) > 0.01:
        raise InputError("undecodable bytes: not UTF-8, UTF-16 or Windows-1256; re-save the file as UTF-8")
    return data.decode(best.encoding, errors="replace")


def _strict(data: bytes, encoding: str, origin: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"undecodable bytes for {encoding} at byte {exc.start}; re-save the file as UTF-8") from exc
    if not text.strip():
        raise InputError("empty file (nothing but whitespace)")
    return text


def _utf16_guess(data: bytes) -> list[str]:
    """UTF-16 byte orders worth trying: the one whose high bytes are mostly 0x00 or 0x06."""
    sample = data[:8000]
    even, odd = sample[0::2], sample[1::2]

    def high(part: bytes) -> float:
        return sum(1 for b in part if b in (0x00, 0x06)) / max(1, len(part))

    out = []
    if high(odd) > 0.8:
        out.append("utf-16-le")
    if high(even) > 0.8:
        out.append("utf-16-be")
    return out


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum("\u0600" <= c <= "\u06ff" for c in letters) / max(1, len(letters))


def _control_share(text: str) -> float:
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t") or c == "\ufffd")
    return bad / max(1, len(text))
