"""Ingest: files -> raw records -> cleaned articles -> chunks -> vectors -> the store.

Incremental: an article whose content hash is in the manifest is skipped without
embedding; a changed one has its chunks replaced; `sync` removes articles whose
files are gone. Chunks of a batch of articles are embedded together, stored, and
only then are the articles recorded in the manifest, so a crash at any point is
repaired by running the same command again.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from tqdm import tqdm

from ..dates import find_publication_date, parse_record_date
from ..documents import Article
from ..indexing import finish_ingest, index_chunks
from ..settings import Settings
from ..store import Store
from .chunking import chunk_article
from .clean import clean_text, first_line, undo_dodges
from .loaders import LoadError, RawDoc, load
from .metadata import canonical_outlet, detect_outlet


@dataclass
class IngestReport:
    """What one ingest run did."""

    articles: int = 0
    chunks: int = 0
    skipped: int = 0
    replaced: int = 0
    removed: int = 0
    failed: list[LoadError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # not failures, but worth a look (e.g. an id now from another file)
    seconds: float = 0.0

    def summary(self) -> str:
        """One closing line, then one line per failure."""
        lines = [
            f"ingested {self.articles} article(s), {self.chunks} chunk(s); skipped {self.skipped} unchanged; "
            f"replaced {self.replaced}; removed {self.removed}; failed {len(self.failed)} ({self.seconds:.1f} s)"
        ]
        lines += [f"  failed: {err}" for err in self.failed]
        lines += [f"  note: {text}" for text in self.notices]
        return "\n".join(lines)


def origin_file(origin: str) -> str:
    """The file an origin names ('folder/x.jsonl:12' -> its absolute path), so moved line numbers do not count as another file."""
    path = re.sub(r":\d+$", "", origin)
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):
        return path


def build_article(raw: RawDoc) -> Article:
    """Clean a raw record and give it its title, outlet and dated-ness."""
    title = " ".join(undo_dodges(raw.title).split()) or first_line(undo_dodges(raw.text))
    text = clean_text(raw.text, title)
    date = parse_record_date(raw.date) if raw.date else None
    if date is not None and date.value is not None and raw.date_source:
        date = replace(date, source=raw.date_source)  # say where a web page's date was found (page metadata, feed)
    if date is None or date.value is None:
        date = find_publication_date(text, title)
    source = canonical_outlet(raw.source.strip()) if raw.source.strip() else detect_outlet(text)
    return Article(id=raw.id, title=title, text=text, source=source, url=raw.url, date=date, origin=raw.origin)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings,
    *,
    sync: bool = False,
    progress: bool | Callable[[int, int | None, str], None] = True,
    batch_chunks: int = 256,
) -> IngestReport:
    """Index the articles found under paths into store; see the module docstring for the rules."""
    records = load(paths, settings.ingest.max_file_mb, settings.ingest.max_zip_mb)
    return ingest_records(records, store, settings, sync=sync, progress=progress, batch_chunks=batch_chunks)


def ingest_records(
    records: Iterable[RawDoc | LoadError],
    store: Store,
    settings: Settings,
    *,
    sync: bool = False,
    progress: bool | Callable[[int, int | None, str], None] = True,
    batch_chunks: int = 256,
) -> IngestReport:
    """Index records made in memory (web pages, rag.web) by the same skip/replace rules as files; LoadErrors are reported."""
    started = time.perf_counter()
    report = IngestReport()
    rows = store.articles()
    known = {aid: row.get("content_hash") for aid, row in rows.items()}
    origins = {aid: row.get("origin", "") for aid, row in rows.items()}
    seen: set[str] = set()
    pending: list[tuple[Article, list]] = []
    pending_chunks = 0
    bar = tqdm(desc="ingest", unit="article", file=sys.stderr, disable=progress is not True, dynamic_ncols=True)

    def flush() -> None:
        nonlocal pending, pending_chunks
        if not pending:
            return
        replaced = [a.id for a, _ in pending if a.id in known]
        if replaced:
            store.delete_articles(replaced)
        chunks = [c for _, cs in pending for c in cs]
        index_chunks(store, chunks, settings.embed.embed_batch)  # chunks, sentence vectors, events: one embedding pass
        store.record_articles([a for a, _ in pending], [len(cs) for _, cs in pending])
        for a, _ in pending:
            known[a.id] = a.content_hash
        report.chunks += len(chunks)
        pending, pending_chunks = [], 0

    for item in records:
        bar.update(1)
        if callable(progress):
            progress(bar.n, None, getattr(item, "origin", ""))
        if isinstance(item, LoadError):
            report.failed.append(item)
            continue
        if item.id in seen:
            report.failed.append(LoadError(item.origin, f"duplicate article id '{item.id}' in this run; kept the first, give each record its own id"))
            continue
        seen.add(item.id)
        try:
            article = build_article(item)
        except Exception as exc:  # a record that breaks cleaning must not stop the batch
            report.failed.append(LoadError(item.origin, f"could not be processed ({exc.__class__.__name__}: {exc})"))
            continue
        if not article.text.strip():
            report.failed.append(LoadError(item.origin, "no text left after cleaning"))
            continue
        if known.get(article.id) == article.content_hash:
            report.skipped += 1
            continue
        if article.id in known:
            report.replaced += 1
            before = origins.get(article.id, "")
            if before and origin_file(before) != origin_file(article.origin):
                report.notices.append(
                    f"{article.origin}: replaced article '{article.id}' first indexed from {before}; "
                    "article ids come from file names (or a record's id), so if these are two different reports, rename one and ingest again"
                )
        chunks = chunk_article(article, settings.chunk.size, settings.chunk.overlap)
        pending.append((article, chunks))
        pending_chunks += len(chunks)
        report.articles += 1
        if pending_chunks >= batch_chunks:
            flush()
    flush()
    bar.close()
    if sync and report.failed:
        # A file that failed to load may hold articles that are indexed: removing them would lose data.
        report.failed.append(LoadError("--sync", "skipped: some inputs failed to load; fix them and run again to remove vanished articles"))
    elif sync:
        gone = [aid for aid in known if aid not in seen]
        store.delete_articles(gone)
        report.removed = len(gone)
    finish_ingest(store, changed=bool(report.articles or report.removed))  # BM25 rebuilt once, saved beside the index
    report.seconds = time.perf_counter() - started
    return report
