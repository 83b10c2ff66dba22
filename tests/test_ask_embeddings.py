"""An ask embeds its question and nothing else: sentences, event quotes and events were stored at ingest."""

from __future__ import annotations

import threading

import pytest

import rag.events_store
from rag.agent import Agent
from rag.embeddings import make_embedder
from rag.store import Store

class CountingEmbedder:
    """The real bundled embedder, recording every call (texts, role)."""

    def __init__(self):
        self.inner = make_embedder("e5-small-q4")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.calls: list[tuple[int, bool]] = []
        self._lock = threading.Lock()

    def embed_batch(self, texts, *, is_query=False):
        with self._lock:
            self.calls.append((len(texts), is_query))
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
