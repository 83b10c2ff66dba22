"""The persistent lexical index: built at ingest, saved beside the index, memory-mapped by readers (rag/lexical.py)."""

from __future__ import annotations

import time
import uuid
from datetime import date

import numpy as np

from rag import version
from rag.agent import Agent
from rag.documents import Chunk
from rag.lexical import LexicalIndex, folder_for
from rag.retrieval import Filters, Retriever
from rag.settings import Settings
from tests.indexing_helpers import ingest_in_subprocess, write_reports


def test_ingest_saves_it_and_a_new_reader_maps_it_without_building(seed_agent):
    folder = folder_for(seed_agent.settings.store)
    assert any(p.name.startswith("v") for p in folder.iterdir())
    reader = Retriever(seed_agent.store, seed_agent.settings.retrieval, seed_agent.gazetteer)
    index = reader.bm25()
    assert reader.lexical.rebuilds == 0
    assert isinstance(index.sources, np.memmap)  # mapped, not read into each process
    assert len(index) == seed_agent.store.count()
    hits = reader.retrieve("السخنة", mode="bm25")
    assert hits and all("السخنة" in h.chunk.text for h in hits[:3])


def test_the_filter_mask_keeps_what_filters_keep():
    metas = [
        {"source": "SY24", "date_start": date(2021, 2, 1).toordinal(), "date_end": date(2021, 2, 28).toordinal()},
        {"source": "Sham", "date_start": date(2020, 10, 22).toordinal(), "date_end": date(2020, 10, 22).toordinal()},
        {"source": "SY24", "date_start": -1, "date_end": -1},
    ]
    chunks = [Chunk(f"c{i}", f"a{i}", "نص", 0, 2, m) for i, m in enumerate(metas)]
    index = LexicalIndex.from_chunks(chunks, "1")
    for f in (Filters(), Filters(sources=("SY24",)), Filters(since=date(2021, 1, 1)), Filters(until=date(2020, 12, 31)),
              Filters(date(2020, 1, 1), date(2021, 12, 31), ("Sham",))):
        mask = index.mask(f)
        got = [True] * 3 if mask is None else list(mask)
        assert got == [f.keeps(m) for m in metas], f


def test_a_second_process_sees_another_ones_ingest_through_the_saved_index(chroma_server, tmp_path, monkeypatch):
    """Two processes, one server: the writer rebuilds and saves the lexical index at the end of its ingest
    and records its version in the index; a reader sharing RAG_INDEX_DIR maps it (no rebuild), a reader
    on its own folder rebuilds it once from the server's chunks."""
    env = {"RAG_CHROMA_URL": chroma_server.url, "RAG_COLLECTION": f"t-{uuid.uuid4().hex[:12]}", "RAG_INDEX_DIR": str(tmp_path / "shared")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    ingest_in_subprocess(write_reports(tmp_path / "in", "a"), env)
    sharing = Agent(Settings.load(), llm=None, create=False)
    assert sharing.retriever.retrieve("الزرزوري", mode="bm25") == []
    assert sharing.retriever.lexical.rebuilds == 0

    ingest_in_subprocess(write_reports(tmp_path / "in", "b"), env)
    time.sleep(version.TTL + 0.1)
    assert [h.chunk.article_id for h in sharing.retriever.retrieve("الزرزوري", mode="bm25")] == ["b"]
    assert sharing.retriever.lexical.rebuilds == 0  # mapped the writer's saved build

    alone = Settings.load()
    alone.store.index_dir = tmp_path / "elsewhere"
    other = Agent(alone, llm=None, create=False)
    assert [h.chunk.article_id for h in other.retriever.retrieve("الزرزوري", mode="bm25")] == ["b"]
    assert other.retriever.lexical.rebuilds == 1
    assert other.retriever.bm25().version == sharing.retriever.bm25().version
    other.retriever.retrieve("تدمر", mode="bm25")
    assert other.retriever.lexical.rebuilds == 1  # once per ingest, not per query
