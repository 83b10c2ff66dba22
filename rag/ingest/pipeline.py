"""Ingest: files -> raw records -> cleaned articles -> chunks -> vectors -> the store.

Incremental: an article whose content hash is in the manifest is skipped without
embedding; a changed one has its chunks replaced. Chunks of a batch of articles are
embedded together, stored, and only then are the articles recorded in the manifest,
so a crash at any point is repaired by running the same command again.

Integrity rules (issue 13):
- One writer: the whole run holds the index's write lock (Store.writing, rag/lock.py).
- Before anything is added, every stored chunk of a batch's articles is deleted, so
  chunks left by an interrupted or concurrent run never outlive their article's new version.
- At the start of a run the index is checked (Store.consistency): chunks no manifest row
  owns are removed, and an article whose stored chunks disagree with its row is re-chunked
  from the manifest's own text; the summary says so.
- One bad file, record or batch never stops the rest: any exception while loading,
  cleaning, chunking or storing one article is reported with its file (and line); only a
  fault of the index itself (disk full, read-only, lost server: a StoreError) ends the run.
- `sync` removes only articles whose recorded file lies under a path given in this run and
  is gone (or was read cleanly and no longer holds the article); a file with any failure
  keeps its articles. A sync that would empty the index needs `allow_empty`.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypedDict, Unpack, cast

from tqdm import tqdm

from ..dates import DateSource, find_publication_date, parse_record_date
from ..documents import ARTICLE_KEYS, Article, bounded_title
from ..indexing import finish_ingest, index_chunks
from ..settings import Settings
from ..store import Store, StoreError
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
    repaired: int = 0  # articles re-chunked or row-less chunk groups removed by the start-of-run check

    def summary(self) -> str:
        """One closing line, then one line per failure."""
        lines = [
            f"ingested {self.articles} article(s), {self.chunks} chunk(s); skipped {self.skipped} unchanged; "
            f"replaced {self.replaced}; removed {self.removed}; failed {len(self.failed)} ({self.seconds:.1f} s)"
        ]
        lines += [f"  failed: {err}" for err in self.failed]
        lines += [f"  note: {text}" for text in self.notices]
        return "\n".join(lines)


_LINE_OR_ITEM = re.compile(r"(?::\d+|\[\d+\])$")
_ZIP_MEMBER = re.compile(r"^(.*?\.zip)!", re.I)
# C0 controls other than tab and line breaks (a NUL anywhere, form feeds): never text a reader sees
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def origin_file(origin: str) -> str:
    """The file an origin names ('folder/x.jsonl:12', 'a.zip!m.txt', 'x.json[3]' -> its absolute path)."""
    path = _LINE_OR_ITEM.sub("", origin)
    if m := _ZIP_MEMBER.match(path):
        path = m.group(1)
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError, ValueError):
        return path


def _under(file: str, roots: list[Path]) -> bool:
    """Whether a resolved file path is one of the roots or inside one."""
    path = Path(file)
    return any(path == root or root in path.parents for root in roots)


def build_article(raw: RawDoc) -> Article:
    """Clean a raw record and give it its title (bounded), outlet and dated-ness."""
    body = _CONTROLS.sub("", raw.text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n"))
    raw_title = _CONTROLS.sub("", raw.title.replace("\r", " "))
    title = bounded_title(undo_dodges(raw_title)) or bounded_title(first_line(undo_dodges(body)))
    text = clean_text(body, title)
    date = parse_record_date(raw.date) if raw.date else None
    if date is not None and date.value is not None and raw.date_source:
        date = replace(date, source=cast(DateSource, raw.date_source))  # where a web page's date was found (page metadata, feed)
    if date is None or date.value is None:
        date = find_publication_date(text, title)
    source = canonical_outlet(raw.source.strip()) if raw.source.strip() else detect_outlet(text)
    return Article(id=raw.id, title=title, text=text, source=source, url=raw.url, date=date, origin=raw.origin)


class IngestOptions(TypedDict, total=False):
    """The options of both ingest entries (`ingest` of paths, `ingest_records` of records), defaults in brackets.

    sync [False]: remove articles whose file under the given paths is gone (module docstring);
    allow_empty [False]: let a sync empty the index; progress [True]: a tqdm bar, or a callable
    (done, total, origin) per record, or False; batch_chunks [256]: chunks embedded and stored together.
    """

    sync: bool
    allow_empty: bool
    progress: bool | Callable[[int, int | None, str], None]
    batch_chunks: int


def ingest(paths: str | Path | Iterable[str | Path], store: Store, settings: Settings, **options: Unpack[IngestOptions]) -> IngestReport:
    """Index the articles found under paths into store; see the module docstring for the rules."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    skip = [] if store.settings.chroma_url else [Path(store.where)]  # `rag ingest .` must not read the index's own files
    records = load(paths, settings.ingest.max_file_mb, settings.ingest.max_zip_mb, skip=skip)
    roots = [Path(p).resolve() for p in paths] if options.get("sync") else None
    return ingest_records(records, store, settings, sync_roots=roots, **options)


def ingest_records(records: Iterable[RawDoc | LoadError], store: Store, settings: Settings, *, sync_roots: list[Path] | None = None,
                   **options: Unpack[IngestOptions]) -> IngestReport:
    """Index records made in memory (web pages, rag.web) by the same skip/replace rules as files; LoadErrors are reported."""
    with store.writing():
        return _ingest_locked(records, store, settings, options.get("sync", False), options.get("allow_empty", False),
                              options.get("progress", True), options.get("batch_chunks", 256), sync_roots)


def _ingest_locked(records: Iterable[RawDoc | LoadError], store: Store, settings: Settings, sync: bool, allow_empty: bool,
                   progress: bool | Callable[[int, int | None, str], None], batch_chunks: int, sync_roots: list[Path] | None) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    rows = store.articles()
    known = {aid: row.get("content_hash") for aid, row in rows.items()}
    origins = {aid: row.get("origin", "") for aid, row in rows.items()}
    seen: set[str] = set()
    seen_files: set[str] = set()  # files that gave at least one record or failure this run
    failed_files: set[str] = set()
    pending: list[tuple[Article, list]] = []
    pending_chunks = 0
    bar = tqdm(desc="ingest", unit="article", file=sys.stderr, disable=progress is not True, dynamic_ncols=True)

    def store_batch(batch: list[tuple[Article, list]]) -> None:
        # old chunks of these ids go first, known or not: leftovers of an interrupted or concurrent run included
        store.delete_articles([a.id for a, _ in batch])
        # each chunk with its article's metadata (title, url, ...), as the store gives chunks back to readers: the
        # events stored now must be those a reader would extract (the title line is skipped, the date anchors)
        chunks = [replace(c, meta={**c.meta, **{k: v for k, v in a.metadata().items() if k in ARTICLE_KEYS}}) for a, cs in batch for c in cs]
        index_chunks(store, chunks, settings.embed.embed_batch, events=settings.events)  # chunks, sentence vectors, events: one embedding pass
        store.record_articles([a for a, _ in batch], [len(cs) for _, cs in batch])

    def flush() -> None:
        nonlocal pending, pending_chunks
        if not pending:
            return
        batch, pending, pending_chunks = pending, [], 0
        try:
            store_batch(batch)
            done = batch
        except Exception as exc:
            if len(batch) == 1:
                done = []
                _fail_one(batch[0][0], exc)
            else:  # find the article that breaks the batch; the rest are stored
                done = []
                for one in batch:
                    try:
                        store_batch([one])
                        done.append(one)
                    except Exception as exc_one:
                        _fail_one(one[0], exc_one)
                if not done:  # nothing can be stored: the index (or the embedder) is at fault, not the articles
                    raise
        for a, cs in done:
            known[a.id] = a.content_hash
            report.chunks += len(cs)
        store.renew_lock()

    def _fail_one(article: Article, exc: Exception) -> None:
        if isinstance(exc, StoreError) and _index_fault(str(exc)):
            raise exc  # disk full, read-only, lost server: every article would fail the same way
        report.articles -= 1
        report.failed.append(LoadError(article.origin, f"could not be stored ({exc.__class__.__name__}: {str(exc)[:200]})"))
        failed_files.add(origin_file(article.origin))
        known.pop(article.id, None)  # its old version was deleted with the batch; the next run stores it

    _repair(store, settings, rows, report, known, store_batch)

    for item in records:
        bar.update(1)
        origin = getattr(item, "origin", "")
        if callable(progress):
            progress(bar.n, None, origin)
        file = origin_file(origin) if sync else ""
        seen_files.add(file)
        if isinstance(item, LoadError):
            report.failed.append(item)
            failed_files.add(file)
            continue
        if item.id in seen:
            report.failed.append(LoadError(item.origin, f"duplicate article id '{item.id}' in this run; kept the first, give each record its own id"))
            continue
        seen.add(item.id)
        try:
            article = build_article(item)
            if not article.text.strip():
                report.failed.append(LoadError(item.origin, "no text left after cleaning"))
                failed_files.add(file)
                continue
            if known.get(article.id) == article.content_hash:
                report.skipped += 1
                continue
            chunks = chunk_article(article, settings.chunk.size, settings.chunk.overlap)
        except Exception as exc:  # a record that breaks cleaning or chunking must not stop the batch
            report.failed.append(LoadError(item.origin, f"could not be processed ({exc.__class__.__name__}: {exc})"))
            failed_files.add(file)
            continue
        if not chunks:
            report.failed.append(LoadError(item.origin, "no words to index (only symbols, emoji or punctuation); not ingested"))
            failed_files.add(file)
            continue
        if article.id in known:
            report.replaced += 1
            before = origins.get(article.id, "")
            if before and origin_file(before) != origin_file(article.origin):
                report.notices.append(
                    f"{article.origin}: replaced article '{article.id}' first indexed from {before}; "
                    "article ids come from file names (or a record's id), so if these are two different reports, rename one and ingest again"
                )
        pending.append((article, chunks))
        pending_chunks += len(chunks)
        report.articles += 1
        if pending_chunks >= batch_chunks:
            flush()
    flush()
    bar.close()
    if sync:
        _sync(store, report, known, origins, seen, seen_files, failed_files, sync_roots, allow_empty)
    finish_ingest(store, changed=bool(report.articles or report.removed or report.repaired), events=settings.events)  # BM25 rebuilt once, saved beside the index
    report.seconds = time.perf_counter() - started
    return report


def _index_fault(message: str) -> bool:
    """Whether a StoreError is about the index itself (so no other article would fare better)."""
    return any(key in message for key in ("is full", "read-only", "lost the Chroma server", "being written by", "damaged"))


def _repair(store: Store, settings: Settings, rows: dict, report: IngestReport, known: dict, store_batch) -> None:
    """Make manifest and chunks agree before adding anything (see the module docstring)."""
    orphans, wrong = store.consistency(rows)
    if orphans:
        store.delete_articles(orphans)
        report.repaired += len(orphans)
        report.notices.append(f"repaired: removed the chunks of {len(orphans)} article(s) no manifest row owned "
                              f"(left by an interrupted run): {', '.join(orphans[:5])}{' …' if len(orphans) > 5 else ''}")
    if wrong:
        texts = store.article_texts(list(wrong))
        batch = []
        for aid in wrong:
            article = Article.from_manifest(aid, texts.get(aid, ""), rows[aid])
            chunks = chunk_article(article, settings.chunk.size, settings.chunk.overlap) if article.text.strip() else []
            if chunks:
                batch.append((article, chunks))
            else:
                store.delete_articles([aid])
                known.pop(aid, None)
        for one in batch:
            store_batch([one])
            known[one[0].id] = one[0].content_hash
        report.repaired += len(wrong)
        names = ", ".join(f"{a} ({s} stored, {r} recorded)" for a, (s, r) in list(wrong.items())[:5])
        report.notices.append(f"repaired: {len(wrong)} article(s) whose stored chunks disagreed with the manifest were "
                              f"re-chunked from their indexed text: {names}{' …' if len(wrong) > 5 else ''}")


def _sync(store: Store, report: IngestReport, known: dict, origins: dict, seen: set, seen_files: set,
          failed_files: set, roots: list[Path] | None, allow_empty: bool) -> None:
    """Remove articles whose recorded file, under the given paths, is gone or no longer holds them."""
    gone = []
    for aid in known:
        if aid in seen:
            continue
        file = origin_file(origins.get(aid, ""))
        if not origins.get(aid) or roots is None or not _under(file, roots):
            continue  # not from a file under the paths of this run (another folder, a web page)
        if file in failed_files:
            continue  # a file that failed may still hold it: removing it could lose data
        if Path(file).exists() and file not in seen_files:
            continue  # still there but not read this run (e.g. a hidden or skipped file)
        gone.append(aid)
    if gone and len(gone) == len(known) and not allow_empty:
        report.failed.append(LoadError("--sync", f"would remove all {len(gone)} indexed article(s), emptying the index; nothing "
                                       "removed. Check the paths, or pass --allow-empty (allow_empty=True) to empty it"))
        return
    if failed_files:
        report.notices.append("--sync kept the articles of files that failed to load; fix them and run again to remove what vanished there")
    store.delete_articles(gone)
    report.removed = len(gone)
