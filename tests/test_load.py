"""Load: 20 concurrent asks through the Python API (index folder and Chroma server) and through the
Gradio app's HTTP API (`/ask`, the app running as a subprocess): every one answered, p50/p95 printed.

The app serves every event that uses the agent through one concurrency slot, so its 20 asks are
queued one after another: the p95 there is about 20 single asks, by design (see rag/ui/app.py).
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from rag.answering.answer import Answer
from rag.answering.citations import NOT_IN_SOURCES
from tests.ui.conftest import served_app  # noqa: F401 - the app subprocess fixture, shared with tests/ui

CLIENTS = 20
QUESTIONS = [
    "Which militias reinforced Sukhnah?",
    "ما هي الميليشيات التي عززت منطقة السخنة؟",
    "Where did the Fifth Corps convoys go?",
    "إلى أين توجهت أرتال الفيلق الخامس؟",
    "Did Russian forces withdraw from Palmyra?",
    "هل انسحبت القوات الروسية من تدمر؟",
    "What did ISIS do in October 2020?",
    "Russian airstrikes in the Badia",
    "How many Turkish drones struck Sukhnah?",
    "What did the Tokyo stock exchange do in 1987?",
]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile by nearest rank (q=0.95: the value 95% of the values are at or under)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))]


def run_concurrently(ask, n: int = CLIENTS) -> tuple[list, list[float], float]:
    """n asks started together; their results, each one's latency (s) and the wall time."""
    gate = threading.Barrier(n)

    def one(i: int):
        gate.wait()
        started = time.perf_counter()
        result = ask(QUESTIONS[i % len(QUESTIONS)])
        return result, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(n) as pool:
        done = list(pool.map(one, range(n)))
    return [r for r, _ in done], [t for _, t in done], time.perf_counter() - started


def report(label: str, latencies: list[float], wall: float) -> str:
    line = (f"{label}: {len(latencies)} concurrent asks, p50 {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s, wall {wall:.1f} s")
    print(line)
    return line


def test_20_concurrent_asks_through_the_python_api(store_mode, seed_agent):
    seed_agent.ask(QUESTIONS[0])  # warm: BM25 built, embedder loaded
    answers, latencies, wall = run_concurrently(seed_agent.ask)
    report(f"python api ({store_mode})", latencies, wall)
    assert len(answers) == CLIENTS
    for answer in answers:
        assert isinstance(answer, Answer) and (answer.abstained or answer.citations), answer.question
        for c in answer.citations:
            assert seed_agent.article_text(c.article_id)[c.start : c.end] == c.quote
    by_question = {a.question: a for a in answers}
    assert by_question["What did the Tokyo stock exchange do in 1987?"].abstained
    assert not by_question["Which militias reinforced Sukhnah?"].abstained


@pytest.mark.slow
def test_20_concurrent_asks_through_the_gradio_http_api(served_app):  # noqa: F811 - the imported fixture
    from gradio_client import Client

    def ask(question: str) -> dict:
        client = Client(served_app.url, verbose=False, analytics_enabled=False, download_files=False)
        return client.predict(question=question, api_name="/ask")

    ask(QUESTIONS[0])  # warm
    results, latencies, wall = run_concurrently(ask)
    report("gradio /ask", latencies, wall)
    assert len(results) == CLIENTS
    for result in results:
        assert isinstance(result, dict) and result["answer"], result
        assert result["abstained"] or result["citations"], result
        if result["abstained"]:
            assert result["answer"] in NOT_IN_SOURCES.values()
