"""An ask embeds its question and nothing else: sentences, event quotes and events were stored at ingest."""

from __future__ import annotations

import threading

import pytest

import rag.events_store
from rag.agent import Agent
from rag.embeddings import make_embedder
from rag.ingest.chunking import sentence_spans
from rag.store import Store


class CountingEmbedder:
    """The real bundled embedder, recording every call (texts, role)."""

    def __init__(self):
        self.inner = make_embedder("e5-small-q4")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.calls: list[tuple[int, bool]] = []
        self.passages: list[str] = []
        self._lock = threading.Lock()

    def embed_batch(self, texts, *, is_query=False):
        with self._lock:
            self.calls.append((len(texts), is_query))
            self.passages += [] if is_query else list(texts)
        return self.inner.embed_batch(texts, is_query=is_query)


@pytest.mark.parametrize("question", [
    "Which militias reinforced Sukhnah?",  # an event question: the events' quotes are judged too
    "ما هي الميليشيات التي عززت منطقة السخنة؟",
    "Did Russian forces withdraw from Palmyra?",
])
def test_an_ask_makes_exactly_one_embedding_call(seed_agent, question, monkeypatch):
    embedder = CountingEmbedder()
    agent = Agent(seed_agent.settings, embedder=embedder, store=Store(seed_agent.settings.store, embedder, create=False), llm=None)

    def no_extraction(*args, **kwargs):
        raise AssertionError("events must be read from the index, not extracted at ask time")

    monkeypatch.setattr(rag.events_store, "extract_events", no_extraction)
    answer = agent.ask(question)
    assert answer.citations or answer.abstained
    assert embedder.calls == [(1, True)]  # the question, once
    assert agent.retriever.sentences.embedded == 0


def test_the_llm_mode_support_check_reads_stored_sentence_vectors(seed_agent):
    """The cited sources' sentences are read from the index; what is embedded is the question, the LLM's claims
    and the clauses of long sentences the check compares a short claim with (rag/answering/support.py)."""
    from tests.answering.test_llm_mode import QUESTION, _grounded
    from tests.fake_openai import FakeOpenAI

    embedder = CountingEmbedder()
    with FakeOpenAI(_grounded) as server:
        settings = seed_agent.settings.model_copy(deep=True)
        settings.llm.base_url, settings.llm.model, settings.llm.max_retries = server.base_url, "fake-model", 0
        agent = Agent(settings, embedder=embedder, store=Store(settings.store, embedder, create=False))
        answer = agent.ask(QUESTION)
    assert answer.mode == "llm:fake-model" and answer.citations and not answer.llm_error
    stored_sentences = {c.text[s:e] for c in seed_agent.store.all_chunks() for s, e in sentence_spans(c.text)}
    assert not set(embedder.passages) & stored_sentences, "a stored sentence was embedded again"
