"""Ingest end to end on the sample corpus with the real embedder and a real Chroma on disk."""

import json
import shutil

from rag.agent import Agent
from rag.embeddings import make_embedder
from rag.settings import Settings
from tests.conftest import SAMPLE


class CountingEmbedder:
    """The real bundled embedder, counting how many texts it was asked to embed."""

    def __init__(self):
        self.inner = make_embedder("e5-small-q4")
        self.name, self.dim, self.count = self.inner.name, self.inner.dim, 0

    def embed_batch(self, texts, *, is_query=False):
        if not is_query:
            self.count += len(texts)
        return self.inner.embed_batch(texts, is_query=is_query)


def _agent(tmp_path, embedder=None):
    settings = Settings.load()
    settings.store.index_dir = tmp_path / "index"
    return Agent(settings, llm=None, embedder=embedder)


def test_seed_articles_metadata(seed_agent):
    rows = {r["id"]: r for r in seed_agent.articles()}
    assert len(rows) == 5
    assert rows["001_cd46ce12425e3a53"]["date"] == "2020-10-22" and rows["001_cd46ce12425e3a53"]["date_precision"] == "day"
    assert rows["004_5d361efb3b7ab3f6"]["date"] == "2021-02-25" and rows["004_5d361efb3b7ab3f6"]["date_precision"] == "day"
    for aid in ("000_81d095f2c667699f", "002_ed01a1c225440037", "003_2b7e810d896de9c5"):
        assert rows[aid]["date"] is None and rows[aid]["date_precision"] == "unknown", "no date is invented"
    assert {r["source"] for r in rows.values()} == {"Radio Alkul", "Sham Network", "SY24", "Awtan Post"}
    assert rows["004_5d361efb3b7ab3f6"]["title"].startswith("بعد فشل النظام")


def test_no_chunk_keeps_dodges_or_boilerplate_and_spans_are_exact(seed_agent):
    chunks = seed_agent.store.all_chunks()
    assert chunks
    for c in chunks:
        assert "ـ.ـ" not in c.text and "زر الذهاب إلى الأعلى" not in c.text and "مقالات ذات صلة" not in c.text
        assert seed_agent.article_text(c.article_id)[c.start : c.end] == c.text


def test_second_run_embeds_nothing_and_a_changed_article_replaces_its_chunks(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    embedder = CountingEmbedder()
    agent = _agent(tmp_path, embedder)
    first = agent.ingest([corpus], progress=False)
    assert first.articles == 5 and not first.failed and embedder.count == first.chunks
    before = {c.id for c in agent.store.all_chunks()}

    embedder.count = 0
    second = agent.ingest([corpus], progress=False)
    assert second.skipped == 5 and second.articles == 0 and embedder.count == 0
    assert {c.id for c in agent.store.all_chunks()} == before, "same text, same chunk ids"

    path = corpus / "002_ed01a1c225440037.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nوأكدت المصادر وصول تعزيزات جديدة إلى معدان.", encoding="utf-8")
    third = agent.ingest([corpus], progress=False)
    assert third.replaced == 1 and third.skipped == 4 and embedder.count == third.chunks
    texts = [c.text for c in agent.store.all_chunks() if c.article_id == "002_ed01a1c225440037"]
    assert any("معدان" in t and "تعزيزات جديدة" in t for t in texts)
    assert len(agent.articles()) == 5


def test_same_file_name_from_another_folder_replaces_with_a_note(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "report.txt").write_text("تعزيزات إلى السخنة\nوصلت تعزيزات من لواء الباقر إلى مدينة السخنة.", encoding="utf-8")
    (second / "report.txt").write_text("غارات على البادية\nشنت الطائرات الروسية غارات على البادية السورية.", encoding="utf-8")
    agent = _agent(tmp_path)
    agent.ingest([first], progress=False)
    again = agent.ingest([first], progress=False)
    assert again.skipped == 1 and not again.notices
    report = agent.ingest([second], progress=False)
    assert report.replaced == 1 and len(report.notices) == 1
    assert "report" in report.notices[0] and str(first / "report.txt") in report.notices[0] and "rename" in report.notices[0]
    assert "note:" in report.summary()
    assert [r["title"] for r in agent.articles()] == ["غارات على البادية"]


def test_sync_removes_articles_whose_files_are_gone(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    agent = _agent(tmp_path)
    agent.ingest([corpus], progress=False)
    (corpus / "003_2b7e810d896de9c5.txt").unlink()
    report = agent.ingest([corpus], sync=True, progress=False)
    assert report.removed == 1
    assert "003_2b7e810d896de9c5" not in {r["id"] for r in agent.articles()}
    assert all(c.article_id != "003_2b7e810d896de9c5" for c in agent.store.all_chunks())


def test_bad_records_are_reported_and_lose_nothing_already_indexed(seed_agent, tmp_path):
    before = {c.id for c in seed_agent.store.all_chunks()}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (bad / "mixed.jsonl").write_text(
        "{oops\n" + json.dumps({"id": "good-1", "title": "تقرير", "text": "وصلت تعزيزات إلى تدمر.", "date": "2021-03-01"}, ensure_ascii=False) + "\n" + json.dumps({"id": "no-text"}) + "\n",
        encoding="utf-8",
    )
    report = seed_agent.ingest([bad], progress=False)
    origins = sorted(e.origin for e in report.failed)
    assert origins == sorted([str(bad / "binary.txt"), str(bad / "empty.txt"), f"{bad / 'mixed.jsonl'}:1", f"{bad / 'mixed.jsonl'}:3"])
    assert report.articles == 1
    after = {c.id for c in seed_agent.store.all_chunks()}
    assert before < after and len(seed_agent.articles()) == 6
