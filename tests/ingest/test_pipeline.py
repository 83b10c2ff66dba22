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
    assert first.articles == 5 and not first.failed and embedder.count >= first.chunks  # chunks, then their sentences
    first_embedded = embedder.count
    before = {c.id for c in agent.store.all_chunks()}

    embedder.count = 0
    second = agent.ingest([corpus], progress=False)
    assert second.skipped == 5 and second.articles == 0 and embedder.count == 0
    assert {c.id for c in agent.store.all_chunks()} == before, "same text, same chunk ids"

    path = corpus / "002_ed01a1c225440037.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nوأكدت المصادر وصول تعزيزات جديدة إلى معدان.", encoding="utf-8")
    third = agent.ingest([corpus], progress=False)
    assert third.replaced == 1 and third.skipped == 4 and third.chunks <= embedder.count < first_embedded / 2
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


# -- issue 13: sync only removes what vanished, repair, one bad article never stops the rest -------------------


from tests.hash_embedder import hash_agent, integrity

NEWS = "وصلت تعزيزات عسكرية جديدة إلى منطقة {place} في البادية السورية، وقالت مصادر محلية إن الأرتال ضمت آليات ثقيلة.\n"


def _folder(path, names):
    path.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        (path / f"{name}.txt").write_text(f"تقرير {name}\n" + NEWS.format(place=name) * (2 + i), encoding="utf-8")
    return path


def _state(agent):
    return {a: r["content_hash"] for a, r in agent.store.articles().items()}, {c.id for c in agent.store.all_chunks()}


def test_sync_with_one_file_or_an_empty_folder_removes_nothing(tmp_path):
    corpus = _folder(tmp_path / "corpus", ["تدمر", "السخنة", "معدان"])
    agent = hash_agent(tmp_path / "index")
    agent.ingest([corpus], progress=False)
    before = _state(agent)
    one = agent.ingest([corpus / "تدمر.txt"], sync=True, progress=False)
    assert one.removed == 0 and _state(agent) == before
    (tmp_path / "empty").mkdir()
    empty = agent.ingest([tmp_path / "empty"], sync=True, progress=False)
    assert empty.removed == 0 and _state(agent) == before


def test_sync_removes_only_vanished_files_under_the_given_paths(tmp_path):
    a = _folder(tmp_path / "a", ["تدمر", "السخنة"])
    b = _folder(tmp_path / "b", ["معدان"])
    agent = hash_agent(tmp_path / "index")
    agent.ingest([a, b], progress=False)
    (a / "تدمر.txt").unlink()
    (b / "معدان.txt").unlink()
    report = agent.ingest([a], sync=True, progress=False)
    assert report.removed == 1
    assert set(agent.store.articles()) == {"السخنة", "معدان"}, "b was not given: its vanished file is not synced"
    integrity(agent)


def test_sync_that_would_empty_the_index_needs_allow_empty(tmp_path):
    a = _folder(tmp_path / "a", ["تدمر", "السخنة"])
    agent = hash_agent(tmp_path / "index")
    agent.ingest([a], progress=False)
    before = _state(agent)
    for f in a.iterdir():
        f.unlink()
    report = agent.ingest([a], sync=True, progress=False)
    assert report.removed == 0 and "emptying the index" in report.summary() and "--allow-empty" in report.summary()
    assert _state(agent) == before
    report = agent.ingest([a], sync=True, allow_empty=True, progress=False)
    assert report.removed == 2 and agent.store.articles() == {}


def test_sync_keeps_the_articles_of_a_file_that_failed(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "r.jsonl").write_text(json.dumps({"id": "one", "text": NEWS.format(place="تدمر")}, ensure_ascii=False) + "\n"
                               + json.dumps({"id": "two", "text": NEWS.format(place="معدان")}, ensure_ascii=False) + "\n", encoding="utf-8")
    agent = hash_agent(tmp_path / "index")
    agent.ingest([a], progress=False)
    (a / "r.jsonl").write_text(json.dumps({"id": "one", "text": NEWS.format(place="تدمر")}, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    report = agent.ingest([a], sync=True, progress=False)
    assert report.removed == 0 and "two" in agent.store.articles()
    (a / "r.jsonl").write_text(json.dumps({"id": "one", "text": NEWS.format(place="تدمر")}, ensure_ascii=False) + "\n", encoding="utf-8")
    report = agent.ingest([a], sync=True, progress=False)
    assert report.removed == 1 and set(agent.store.articles()) == {"one"}


def test_same_folder_twice_is_read_once_and_sync_still_runs(tmp_path):
    a = _folder(tmp_path / "a", ["تدمر", "السخنة"])
    agent = hash_agent(tmp_path / "index")
    report = agent.ingest([a, a, str(a) + "/"], progress=False)
    assert report.articles == 2 and not report.failed
    (a / "تدمر.txt").unlink()
    report = agent.ingest([a, a], sync=True, progress=False)
    assert report.removed == 1 and not report.failed


def test_emoji_only_and_symbol_only_files_are_reported_not_counted(tmp_path):
    a = _folder(tmp_path / "a", ["تدمر"])
    (a / "emoji.txt").write_text("😀😀 🎉🎉\n👍", encoding="utf-8")
    agent = hash_agent(tmp_path / "index")
    report = agent.ingest([a], progress=False)
    assert report.articles == 1 and "emoji" not in agent.store.articles()
    assert "only symbols, emoji or punctuation" in {str(e.origin): e.reason for e in report.failed}[str(a / "emoji.txt")]


def test_cr_only_line_endings_and_nuls_do_not_reach_titles_or_text(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "cr.txt").write_bytes("عنوان الخبر\rوصلت تعزيزات إلى تدمر.\rجملة أخرى\x00 هنا.".encode())
    agent = hash_agent(tmp_path / "index")
    agent.ingest([a], progress=False)
    row = agent.articles()[0]
    assert row["title"] == "عنوان الخبر"
    text = agent.article_text("cr")
    assert "\r" not in text and "\x00" not in text and "وصلت تعزيزات إلى تدمر." in text


def test_one_article_that_cannot_be_stored_does_not_stop_its_batch(tmp_path, monkeypatch):
    a = _folder(tmp_path / "a", ["تدمر", "السخنة", "معدان"])
    agent = hash_agent(tmp_path / "index")
    real = agent.store.chunks.upsert

    def upsert(ids, **kw):
        if any(i.startswith("السخنة#") for i in ids):
            raise ValueError("metadata value rejected")  # what a record Chroma refuses does to a whole batch
        return real(ids=ids, **kw)

    monkeypatch.setattr(agent.store.chunks, "upsert", upsert)
    report = agent.ingest([a], progress=False)
    assert set(agent.store.articles()) == {"تدمر", "معدان"}
    reasons = {e.origin: e.reason for e in report.failed}
    assert "could not be stored (ValueError: metadata value rejected)" in reasons[str(a / "السخنة.txt")]
    integrity(agent)


def test_orphan_chunks_and_disagreeing_rows_are_repaired_by_the_next_run(tmp_path):
    """What a concurrent writer or a crash left (the issue: manifest says 3 chunks, 5 stored) is put right."""
    a = _folder(tmp_path / "a", ["تدمر", "السخنة"])
    agent = hash_agent(tmp_path / "index")
    agent.ingest([a], progress=False)
    good = _state(agent)
    stray = [c for c in agent.store.all_chunks() if c.article_id == "تدمر"][0]
    vec = agent.embedder.embed_batch(["x"])
    for aid, cid in (("تدمر", "تدمر#999-stale"), ("ghost", "ghost#000-stale")):
        agent.store.chunks.add(ids=[cid], embeddings=vec, documents=[stray.text],
                               metadatas=[{"article_id": aid, "start": stray.start, "end": stray.end}])
    assert agent.store.consistency() == (["ghost"], {"تدمر": (good_count := sum(1 for c in good[1] if c.startswith("تدمر#")) + 1, good_count - 1)})
    report = agent.ingest([a], progress=False)
    assert report.skipped == 2 and "repaired" in report.summary()
    assert _state(agent) == good
    integrity(agent)
