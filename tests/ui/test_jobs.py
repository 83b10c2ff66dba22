"""The background ingest job: runs in a thread, counts as it goes, one at a time, errors kept."""

from __future__ import annotations

import threading

from rag.ui.jobs import IngestJob


def test_job_runs_in_the_background_and_reports_its_counts():
    gate, indexed = threading.Event(), [5]

    def run(step):
        step(3, None, "x.jsonl:3")
        indexed[0] = 7  # two more articles in the index
        gate.wait(10)
        return "report"

    job = IngestJob()
    assert job.start(run, count_indexed=lambda: indexed[0], batch="b")
    assert not job.start(lambda step: None)  # one at a time
    snap = job.snapshot()
    assert snap["running"] and snap["read"] == 3 and snap["indexed"] == 2 and snap["origin"] == "x.jsonl:3" and snap["batch"] == "b"
    gate.set()
    job.wait(10)
    snap = job.snapshot()
    assert not snap["running"] and snap["finished"] and snap["report"] == "report" and snap["error"] is None
    job.reset()
    assert job.snapshot()["report"] is None and not job.snapshot()["finished"]


def test_a_failing_ingest_is_kept_as_its_error():
    job = IngestJob()

    def run(step):
        raise OSError("disk full")

    job.start(run)
    job.wait(10)
    snap = job.snapshot()
    assert isinstance(snap["error"], OSError) and snap["finished"] and snap["report"] is None


def test_ingest_embedding_gives_way_to_a_question():
    from rag.ui.jobs import INGEST_THREAD, give_way

    order, question_in = [], threading.Event()

    class Embedder:
        def embed_batch(self, texts, *, is_query=False):
            order.append(texts[0])
            if texts[0] == "q":
                question_in.set()
                threading.Event().wait(0.3)  # the question is still embedding when the ingest asks again
            return texts

    emb = Embedder()
    give_way(emb)
    ask = threading.Thread(target=lambda: emb.embed_batch(["q"], is_query=True))
    ask.start()
    question_in.wait(5)
    ingest = threading.Thread(target=lambda: emb.embed_batch(["chunk"]), name=INGEST_THREAD)
    ingest.start()
    ingest.join(5)
    ask.join(5)
    assert order == ["q", "chunk"]
