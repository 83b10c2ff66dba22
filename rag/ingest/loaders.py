"""Read files into raw records: text, Markdown, HTML, JSON/JSONL (gzip too) and zips of them (bytes to text: rag.ingest.decoding).

Every problem becomes a `LoadError` naming the file (and line or member) and what
to do; one bad file or line never stops the rest (any exception while reading one
file or record is caught and reported). Files over the size limit are refused
before they are read; JSONL is streamed line by line.

Folders are walked following symlinks, each real folder once (a symlink loop is
reported, not followed); unreadable folders are reported; a file named twice (or
reached through two paths) is read once. File names that are not valid UTF-8
(e.g. Windows-1256 bytes) are decoded for display and ids. Record fields must be
strings (or numbers); a `text` given as a list of strings is joined by paragraphs.
A briefing written by `rag brief` is not a news report and is refused.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from .decoding import InputError, decode
from .textcheck import not_text

__all__ = ["InputError", "LoadError", "RawDoc", "decode", "display_path", "file_id", "html_to_text", "is_briefing", "iter_files",
           "load", "load_bytes", "load_file"]

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


# The folder `rag brief` writes to by default (relative to where it runs): its briefings are not reports.
BRIEFINGS_DIR = "briefings"


def display_path(path: str | Path) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 decoded as Windows-1256, else escaped."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
        for encoding in ("utf-8", "cp1256"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        return raw.decode("utf-8", errors="backslashreplace")


def file_id(name: str) -> str:
    """An article id from a file name: its stem, printable; a hash when nothing printable is left."""
    stem = display_path(PurePosixPath(name).name).split(".")[0]
    stem = "".join(ch for ch in stem if ch.isprintable()).strip()
    return stem or "file-" + hashlib.sha1(os.fsencode(name)).hexdigest()[:10]


def iter_files(paths: Iterable[str | Path], skip: Iterable[str | Path] = ()) -> Iterator[Path | LoadError]:
    """Files named or found under folders (sorted, hidden ones and `skip` folders left out), each once; LoadErrors for folders that cannot be walked."""
    skipped = {os.path.realpath(p) for p in skip}
    files_seen: set[str] = set()
    walked: set[str] = set()
    for p in map(Path, paths):
        if p.is_dir():
            if os.path.realpath(p) in skipped | walked:
                continue
            walked.add(os.path.realpath(p))  # the same folder named twice is walked once (its files are read once anyway)
            yield from _walk(p, skipped, files_seen)
        else:
            real = os.path.realpath(p)
            if real not in files_seen:
                files_seen.add(real)
                yield p


def _walk(root: Path, skipped: set[str], files_seen: set[str]) -> Iterator[Path | LoadError]:
    """The files under one folder, following symlinks once per real folder."""
    errors: list[OSError] = []
    visited: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=errors.append):
        while errors:
            err = errors.pop(0)
            yield LoadError(display_path(err.filename or folder), f"cannot read this folder ({err.strerror or err}); its files were not ingested: fix its permissions or leave it out")
        try:
            st = os.stat(folder)
        except OSError as exc:
            yield LoadError(display_path(folder), f"cannot read this folder ({exc.strerror or exc}); skipped")
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in visited:
            yield LoadError(display_path(folder), "symlink loop (this folder was already walked); not followed again")
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        keep = []
        for d in sorted(dirs):
            sub = os.path.join(folder, d)
            if d.startswith(".") or os.path.realpath(sub) in skipped:
                continue
            if folder == str(root) and d == BRIEFINGS_DIR and os.path.realpath(sub) == os.path.realpath(BRIEFINGS_DIR):
                continue  # `rag brief` output, not reports
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = Path(folder) / name
            real = os.path.realpath(full)
            if real in files_seen:
                continue
            files_seen.add(real)
            if full.is_file():
                yield full
            elif full.is_symlink() and not full.exists():
                yield LoadError(display_path(full), "broken symlink (its target does not exist); skipped")
    while errors:
        err = errors.pop(0)
        yield LoadError(display_path(err.filename or root), f"cannot read this folder ({err.strerror or err}); its files were not ingested: fix its permissions or leave it out")


def load(paths: Iterable[str | Path], max_file_mb: float = 50.0, max_zip_mb: float = 200.0,
         skip: Iterable[str | Path] = ()) -> Iterator[RawDoc | LoadError]:
    """Yield a RawDoc per article and a LoadError per problem, for files and folders (never raises for one file)."""
    for path in iter_files(paths, skip):
        if isinstance(path, LoadError):
            yield path
            continue
        try:
            yield from load_file(path, max_file_mb=max_file_mb, max_zip_mb=max_zip_mb)
        except Exception as exc:  # whatever one file does, the others are still read
            yield LoadError(display_path(path), f"could not be read ({_describe(exc)}); the rest of this file was skipped")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return f"{exc.__class__.__name__}: {str(exc)[:200]}"


def load_file(path: Path, max_file_mb: float = 50.0, max_zip_mb: float = 200.0) -> Iterator[RawDoc | LoadError]:
    """Records of one file, or the errors that kept them out."""
    origin = display_path(path)
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
                yield from _records_from_lines(fh, origin, file_id(path.name))
        else:
            data = path.read_bytes()
            if suffix.endswith(".gz"):
                data = _gunzip(data, max_file_mb, origin)
            yield from load_bytes(data, display_path(path.name), origin)
    except InputError as exc:
        yield LoadError(origin, str(exc))
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        yield LoadError(origin, f"cannot be read ({exc.__class__.__name__}: {exc})")


def load_bytes(data: bytes, name: str, origin: str) -> Iterator[RawDoc | LoadError]:
    """Records from the bytes of one file called `name` (used for plain files and zip members)."""
    suffix = _suffix(Path(name))
    stem = file_id(name)
    if suffix in JSON_SUFFIXES or suffix in {".jsonl.gz", ".json.gz", ".ndjson.gz"}:
        if suffix.endswith(".gz"):
            data = _gunzip(data, None, origin)
        if suffix.startswith(".json") and not suffix.startswith(".jsonl"):
            yield from _records_from_json(decode(data, origin), origin, stem)
        else:
            yield from _records_from_lines(io.BytesIO(data), origin, stem)
        return
    text = decode(data, origin)
    if why := not_text(text):  # binary that decoded anyway (UTF-16 marks before binary data): rag/ingest/textcheck.py
        raise InputError(why)
    if suffix in HTML_SUFFIXES | TEXT_SUFFIXES and is_briefing(text):
        yield LoadError(origin, "this is a briefing written by `rag brief`, not a news report; not ingested")
        return
    if suffix in HTML_SUFFIXES:
        title, body = html_to_text(text)
        yield _require_text(RawDoc(stem, body, origin, title=title, kind="html"))
    elif suffix in TEXT_SUFFIXES:
        yield _require_text(RawDoc(stem, text, origin))
    else:
        yield LoadError(origin, f"unsupported file type '{suffix}'")


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
            yield _from_record(record, where, f"{stem}-{lineno}")
        except UnicodeDecodeError:
            yield LoadError(where, "line is not UTF-8; JSONL must be UTF-8")
        except json.JSONDecodeError as exc:
            yield LoadError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
        except Exception as exc:  # e.g. nesting deep enough to exhaust the parser: this line only
            yield LoadError(where, f"could not be read ({_describe(exc)})")


def _records_from_json(text: str, origin: str, stem: str) -> Iterator[RawDoc | LoadError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield LoadError(origin, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    except RecursionError:
        yield LoadError(origin, "JSON nested too deeply to read; a news record is one flat object with a 'text' field")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records, 1):
        yield _from_record(record, f"{origin}[{i}]", f"{stem}-{i}" if len(records) > 1 else stem)


_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_TYPE = {dict: "an object", list: "a list", bool: "true/false", str: "a string", int: "a number", float: "a number"}


def _valid(text: str) -> str:
    """A lone surrogate (a broken escape such as \\ud83d) cannot be stored or shown: it becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _field(record: dict, name: str, where: str) -> str | LoadError:
    """A metadata field as a string: strings and numbers as they are, a list of them by its first item."""
    value = record.get(name)
    if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        value = " ".join(str(v) for v in value) if name == "title" else value[0]
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return LoadError(where, f"field '{name}' is {_JSON_TYPE.get(type(value), type(value).__name__)}; give it as a string")
    return _valid(str(value).strip() if name != "title" else str(value))


def _from_record(record, where: str, default_id: str) -> RawDoc | LoadError:
    if not isinstance(record, dict):
        return LoadError(where, f"expected a JSON object with 'text', got {type(record).__name__}")
    text = record.get("text")
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        text = "\n\n".join(text)  # paragraphs given as a list
    if text is not None and not isinstance(text, str):
        return LoadError(where, f"field 'text' is {_JSON_TYPE.get(type(text), type(text).__name__)}; give the article text as a string")
    if not text or not text.strip():
        return LoadError(where, "record has no 'text' (fields: id, title, date, source, url, text)")
    fields = {}
    for name in ("id", "title", "source", "url", "date"):
        value = _field(record, name, where) if name != "id" or not isinstance(record.get("id"), list) else LoadError(
            where, "field 'id' is a list; give each record one id (a string or number)")
        if isinstance(value, LoadError):
            return value
        fields[name] = value
    rid = "".join(ch for ch in fields["id"] if ch.isprintable()).strip()
    return RawDoc(
        id=rid or default_id,
        text=_valid(text),
        origin=where,
        title=fields["title"],
        source=fields["source"],
        url=fields["url"],
        date=fields["date"],
        kind="record",
    )


_BRIEFING_QUOTE = re.compile(r"^\s+> .+ \(chars \d+-\d+\)$", re.M)
_BRIEFING_HTML_QUOTE = re.compile(r'<span class="note">chars \d+-\d+</span>')


def is_briefing(text: str) -> bool:
    """Whether a Markdown or HTML text is a briefing `rag brief` wrote (its sources list quotes with 'chars a-b')."""
    head = text[:500_000]
    return len(_BRIEFING_QUOTE.findall(head)) >= 2 or len(_BRIEFING_HTML_QUOTE.findall(head)) >= 2


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
            except Exception as exc:  # one member never stops the rest of the archive
                yield LoadError(member, f"could not be read ({_describe(exc)})")


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


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] == ".gz":
        return "".join(suffixes)
    return path.suffix.lower()
