"""Uploads: check type and size, then copy into a private folder under the index before ingest.

Only the checks that need no parsing happen here (name, suffix, size, empty, zip signature);
the loader reports everything else per file, line or zip member, and reads zips in memory,
refusing members whose paths escape the archive and archives that expand too far. Names
are reduced to a safe base name (the file stem stays the article id), so nothing is written
outside the upload folder whatever the browser sends.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ALLOWED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".zip")
DEFAULT_MAX_MB = 50.0
_UNSAFE = re.compile(r"[^\w.\- ]+", flags=re.UNICODE)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass
class Staged:
    """An accepted upload: the name the user gave it and its private copy."""

    name: str
    path: Path


@dataclass
class StagedBatch:
    """One upload: accepted copies, refused files with reasons, and the batch folder."""

    folder: Path
    staged: list[Staged] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        """The private copies to ingest."""
        return [s.path for s in self.staged]

    def display(self, origin: str) -> str:
        """An ingest origin (a private path, maybe 'path!member') shown with the uploaded name."""
        for s in self.staged:
            if origin == str(s.path) or origin.startswith(f"{s.path}!"):
                return s.name + origin[len(str(s.path)) :]
        return origin


def safe_name(name: str) -> str:
    """A plain base name: no folders, no control or shell characters, no leading dot, at most 120 characters."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" ._") or "upload"
    if len(base) > 120:
        suffix = suffix_of(base)
        base = base[: 120 - len(suffix)] + suffix
    return base


def suffix_of(name: str) -> str:
    """The lower-cased last suffix ('' when none)."""
    return Path(name).suffix.lower()


def check_upload(path: Path, name: str, max_mb: float = DEFAULT_MAX_MB) -> str | None:
    """Why an uploaded file is refused, or None when it may be ingested."""
    suffix = suffix_of(name)
    if suffix not in ALLOWED_SUFFIXES:
        return f"unsupported file type '{suffix or '(none)'}'; upload {' '.join(ALLOWED_SUFFIXES)}"
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot be read ({exc.__class__.__name__})"
    if size > max_mb * 1024 * 1024:
        return f"file is {size / 1048576:.1f} MB, over the {max_mb:g} MB upload limit"
    if size == 0:
        return "empty file"
    if suffix == ".zip":
        with open(path, "rb") as fh:
            if fh.read(4) not in _ZIP_MAGIC:
                return "not a zip archive (no zip signature)"
    return None


def stage_uploads(files: Iterable[str | Path], upload_root: Path, max_mb: float = DEFAULT_MAX_MB) -> StagedBatch:
    """Copy acceptable uploads into a fresh private folder under upload_root; refuse the rest with reasons."""
    folder = Path(upload_root) / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}"
    batch = StagedBatch(folder)
    used: set[str] = set()
    for item in files:
        src = Path(item)
        name = safe_name(src.name)
        reason = check_upload(src, name, max_mb)
        if reason:
            batch.errors.append(f"{name}: {reason}")
            continue
        # Same name twice in one upload: a sub-folder keeps the name, so the article id stays the stem.
        sub, n = folder, 1
        while (sub / name).as_posix() in used:
            n += 1
            sub = folder / str(n)
        dest = sub / name
        sub.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not dest.resolve().is_relative_to(folder.resolve()):  # belt and braces: safe_name already forbids this
            batch.errors.append(f"{name}: refused (the name leaves the upload folder)")
            continue
        shutil.copyfile(src, dest)
        used.add(dest.as_posix())
        batch.staged.append(Staged(name, dest))
    return batch
