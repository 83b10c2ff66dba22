"""Read files into raw records: text, Markdown, HTML, JSON/JSONL (gzip too) and zips of them.

Every problem becomes a `LoadError` naming the file (and line or member) and what
to do; one bad file or line never stops the rest. Files over the size limit are
refused before they are read; JSONL is streamed line by line.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser as HTMLParser

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | {".zip", ".jsonl.gz", ".json.gz", ".ndjson.gz"}
MAX_LINE_BYTES = 20 * 1024 * 1024


@dataclass
class RawDoc:
    """An article as read, before cleaning and metadata."""

    id: str
    text: str
    origin: str
    title: str = ""
    source: str = ""
    url: str = ""
    date: str = ""
    kind: str = "text"  # text | html | record
    date_source: str = ""  # where `date` was found when not in a record field (web: meta, json-ld, url, feed, sitemap)


@dataclass
class LoadError:
    """Why a file, line or zip member was not ingested."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


class InputError(ValueError):
    """Raised by the decoders; turned into a LoadError by the caller."""


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named or found under folders, sorted, hidden files skipped."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


def load(paths: Iterable[str | Path], max_file_mb: float = 50.0, max_zip_mb: float = 200.0) -> Iterator[RawDoc | LoadError]:
    """Yield a RawDoc per article and a LoadError per problem, for files and folders."""
    for path in iter_files(paths):
        yield from load_file(path, max_file_mb=max_file_mb, max_zip_mb=max_zip_mb)


def load_file(path: Path, max_file_mb: float = 50.0, max_zip_mb: float = 200.0) -> Iterator[RawDoc | LoadError]:
    """Records of one file, or the errors that kept them out."""
    origin = str(path)
    if not path.exists():
        yield LoadError(origin, "no such file or folder")
        return
    suffix = _suffix(path)
    if suffix not in SUPPORTED:
        yield LoadError(origin, f"unsupported file type '{path.suffix or '(none)'}'; use .txt .md .html .json .jsonl (.gz) or .zip")
        return
    size = path.stat().st_size
    streamed = suffix in {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
    if not streamed and size > max_file_mb * 1024 * 1024:
        yield LoadError(origin, f"file is {size / 1048576:.0f} MB, over the {max_file_mb:g} MB limit (RAG_INGEST_MAX_FILE_MB); split it or convert it to JSONL, which is streamed")
        return
    try:
        if suffix == ".zip":
            yield from _load_zip(path, max_file_mb, max_zip_mb)
        elif streamed:
            opener = gzip.open if suffix.endswith(".gz") else open
            with opener(path, "rb") as fh:
                yield from _records_from_lines(fh, origin, path.name.split(".")[0])
        else:
            data = path.read_bytes()
            if suffix.endswith(".gz"):
                data = _gunzip(data, max_file_mb, origin)
            yield from load_bytes(data, path.name, origin)
    except InputError as exc:
        yield LoadError(origin, str(exc))
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        yield LoadError(origin, f"cannot be read ({exc.__class__.__name__}: {exc})")


def load_bytes(data: bytes, name: str, origin: str) -> Iterator[RawDoc | LoadError]:
    """Records from the bytes of one file called `name` (used for plain files and zip members)."""
    suffix = _suffix(Path(name))
    stem = PurePosixPath(name).name.split(".")[0]
    if suffix in JSON_SUFFIXES or suffix in {".jsonl.gz", ".json.gz", ".ndjson.gz"}:
        if suffix.endswith(".gz"):
            data = _gunzip(data, None, origin)
        if suffix.startswith(".json") and not suffix.startswith(".jsonl"):
            yield from _records_from_json(decode(data, origin), origin, stem)
        else:
            yield from _records_from_lines(io.BytesIO(data), origin, stem)
        return
    text = decode(data, origin)
    if suffix in HTML_SUFFIXES:
        title, body = html_to_text(text)
        yield _require_text(RawDoc(stem, body, origin, title=title, kind="html"))
    elif suffix in TEXT_SUFFIXES:
        yield _require_text(RawDoc(stem, text, origin))
    else:
        yield LoadError(origin, f"unsupported file type '{suffix}'")


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
        # UTF-16 without a BOM (high bytes 0x00 for ASCII, 0x06 for Arabic), else binary.
        for encoding in _utf16_guess(data):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _control_share(text) < 0.01:
                return text
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
    if not text or _control_share(text) > 0.01:
        raise InputError("undecodable bytes: not UTF-8, UTF-16 or Windows-1256; re-save the file as UTF-8")
    return data.decode(best.encoding, errors="replace")


def html_to_text(html: str) -> tuple[str, str]:
    """Title and main text of an HTML page: scripts, styles, navigation, headers and footers dropped."""
    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    h1 = tree.css_first("h1")
    for tag in ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button"):
        for node in tree.css(tag):
            node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    blocks = []
    if root is not None:
        for node in root.traverse(include_text=False):
            if node.tag in {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "pre", "td"}:
                text = " ".join(node.text(separator=" ").split())
                if text:
                    blocks.append(text)
        if not blocks:
            blocks = [" ".join(line.split()) for line in root.text(separator="\n").split("\n") if line.strip()]
    title = " ".join((h1.text() if h1 else title_node.text() if title_node else "").split())
    if title and (not blocks or blocks[0] != title):
        blocks.insert(0, title)
    return title, "\n\n".join(blocks)


def _lines(fh) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of a binary stream; None for a line over MAX_LINE_BYTES, skipped without being kept."""
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:  # drain the rest of the over-long line in bounded pieces
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, raw


def _records_from_lines(fh, origin: str, stem: str) -> Iterator[RawDoc | LoadError]:
    for lineno, raw in _lines(fh):
        where = f"{origin}:{lineno}"
        if raw is None:
            yield LoadError(where, f"line is over {MAX_LINE_BYTES // 1048576} MB; not a news article")
            continue
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig")
            record = json.loads(line)
        except UnicodeDecodeError:
            yield LoadError(where, "line is not UTF-8; JSONL must be UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield LoadError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _from_record(record, where, f"{stem}-{lineno}")


def _records_from_json(text: str, origin: str, stem: str) -> Iterator[RawDoc | LoadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield LoadError(origin, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records, 1):
        yield _from_record(record, f"{origin}[{i}]", f"{stem}-{i}" if len(records) > 1 else stem)


def _from_record(record, where: str, default_id: str) -> RawDoc | LoadError:
    if not isinstance(record, dict):
        return LoadError(where, f"expected a JSON object with 'text', got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return LoadError(where, "record has no 'text' (fields: id, title, date, source, url, text)")
    rid = record.get("id")
    return RawDoc(
        id=str(rid).strip() if rid not in (None, "") else default_id,
        text=text,
        origin=where,
        title=str(record.get("title") or ""),
        source=str(record.get("source") or ""),
        url=str(record.get("url") or ""),
        date=str(record.get("date") or ""),
        kind="record",
    )


def _load_zip(path: Path, max_file_mb: float, max_zip_mb: float) -> Iterator[RawDoc | LoadError]:
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > max_zip_mb * 1024 * 1024 or (total > 10 * 1024 * 1024 and total / packed > 100):
            yield LoadError(str(path), f"zip expands to {total / 1048576:.0f} MB (ratio {total / packed:.0f}:1): refused as a possible zip bomb (limit {max_zip_mb:g} MB, RAG_INGEST_MAX_ZIP_MB)")
            return
        for info in infos:
            member = f"{path}!{info.filename}"
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or ":" in info.filename or "\\" in info.filename:
                yield LoadError(member, "path escapes the archive (absolute or '..'); member skipped")
                continue
            if any(part.startswith(".") or part == "__MACOSX" for part in name.parts):
                continue
            if _suffix(Path(name.name)) not in SUPPORTED - {".zip"}:
                yield LoadError(member, f"unsupported file type '{name.suffix or '(none)'}' in zip")
                continue
            if info.file_size > max_file_mb * 1024 * 1024:
                yield LoadError(member, f"member is {info.file_size / 1048576:.0f} MB, over the {max_file_mb:g} MB limit")
                continue
            try:
                yield from load_bytes(zf.read(info), name.name, member)
            except InputError as exc:
                yield LoadError(member, str(exc))


def _require_text(doc: RawDoc) -> RawDoc | LoadError:
    if not doc.text.strip():
        return LoadError(doc.origin, "no text left after removing markup")
    return doc


def _gunzip(data: bytes, max_mb: float | None, origin: str) -> bytes:
    limit = int((max_mb or 1024) * 1024 * 1024)
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        out = gz.read(limit + 1)
    if len(out) > limit:
        raise InputError(f"gzip expands past {limit // 1048576} MB; use .jsonl.gz, which is streamed")
    return out


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


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == ".gz":
        return "".join(suffixes)
    return path.suffix.lower()
