"""The `/ask` endpoint over Gradio's HTTP API (what load tests call)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_ask_endpoint_returns_the_answer_json(served_app):
    from gradio_client import Client

    client = Client(served_app.url, verbose=False)
    result = client.predict(question="Which militias reinforced Sukhnah?", api_name="/ask")
    assert result["mode"] == "extractive" and not result["abstained"]
    assert result["citations"] and {"n", "quote", "start", "end", "article_id"} <= set(result["citations"][0])
    empty = client.predict(question="What did the Tokyo stock exchange do in 1987?", api_name="/ask")
    assert empty["abstained"] and empty["answer"] == "Not in the sources."
