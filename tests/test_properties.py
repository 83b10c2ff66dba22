"""Property-based tests (Hypothesis): arbitrary bytes, JSON and Unicode never raise anything but the project's own
errors, and never change what is already indexed. Loaders, cleaning and chunking are pure and get many
examples; the paths through a real Chroma index (ingest, ask) get fewer, on a tiny index with hash vectors.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.answering.answer import Answer
from rag.ingest.chunking import chunk_article
from rag.ingest.loaders import InputError, LoadError, RawDoc, load, load_bytes
from rag.ingest.pipeline import build_article
from tests.hash_embedder import hash_agent, integrity

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".jsonl.gz", ".zip"]
NEWS = "وصلت تعزيزات عسكرية جديدة إلى منطقة السخنة في البادية السورية، وقالت مصادر محلية إن الأرتال ضمت آليات ثقيلة."

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["id", "text", "title", "source", "url", "date", "x"]) | st.text(max_size=5), children, max_size=6),
    max_leaves=20,
)


def _check(items) -> None:
    for item in items:
        assert isinstance(item, (RawDoc, LoadError))
        if isinstance(item, RawDoc):
            for value in (item.id, item.text, item.title, item.source, item.url, item.date, item.origin):
                assert isinstance(value, str)
                value.encode("utf-8")  # storable: no lone surrogates
            assert item.id and item.text.strip()
        else:
            assert item.origin and item.reason


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_load_to_records_or_errors(data, suffix):
    if suffix not in (".zip", ".jsonl.gz"):
        try:  # the bytes decoder raises our InputError; load() turns it into a LoadError
            _check(list(load_bytes(data, f"x{suffix}", f"x{suffix}")))
        except InputError as exc:
            assert str(exc)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"file{suffix}"
        path.write_bytes(data)
        _check(list(load([path])))


@settings(max_examples=300, deadline=None)
@given(value=json_values, lines=st.booleans())
def test_arbitrary_json_loads_to_records_or_errors(value, lines):
    text = json.dumps(value, ensure_ascii=bool(lines))
    try:
        _check(list(load_bytes(text.encode("utf-8", "surrogatepass"), "r.jsonl" if lines else "r.json", "r")))
    except InputError as exc:
        assert str(exc)


@settings(max_examples=300, deadline=None)
@given(text=st.text(min_size=1, max_size=2000), title=st.text(max_size=400))
def test_arbitrary_unicode_cleans_and_chunks_with_exact_spans(text, title):
    raw = RawDoc("a", text, "a.txt", title=title)
    article = build_article(raw)
    assert len(article.title) <= 201 and "\r" not in article.title and "\x00" not in article.text
    for c in chunk_article(article, 30, 10):
        assert article.text[c.start : c.end] == c.text and c.article_id == "a"


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("prop")
    corpus = root / "corpus"
    corpus.mkdir()
    for i, place in enumerate(["السخنة", "تدمر", "معدان"]):
        (corpus / f"r{i}.txt").write_text(f"تقرير {i}\n" + NEWS.replace("السخنة", place) + "\nالمصدر: SY24", encoding="utf-8")
    return root


def _state(agent):
    return {a: r["content_hash"] for a, r in agent.store.articles().items()}, {c.id for c in agent.store.all_chunks()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(question=st.one_of(st.text(max_size=300), st.text(min_size=2001, max_size=2100), st.none(), st.integers()),
       k=st.one_of(st.none(), st.integers(-3, 120)), sources=st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["sy24", "SY24"])))
def test_the_question_path_answers_or_raises_our_errors_and_changes_nothing(tiny_index, question, k, sources, monkeypatch):
    agent = _agent(tiny_index)
    before = _state(agent)
    try:
        answer = agent.ask(question, k=k, sources=sources)
        assert isinstance(answer, Answer) and isinstance(answer.text, str)
        for c in answer.citations:
            assert agent.article_text(c.article_id)[c.start : c.end] == c.quote
    except (ValueError, TypeError) as exc:
        assert str(exc)
    assert _state(agent) == before


_AGENTS: dict = {}


def _agent(root: Path):
    if root not in _AGENTS:
        agent = hash_agent(root / "index")
        agent.ingest([root / "corpus"], progress=False)
        _AGENTS[root] = agent
    return _AGENTS[root]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(SUFFIXES[:5]), st.binary(max_size=600) | json_values.map(lambda v: json.dumps(v).encode())),
                      min_size=1, max_size=3))
def test_ingesting_arbitrary_files_never_changes_what_is_indexed(tiny_index, files):
    agent = _agent(tiny_index)
    before = _state(agent)
    with tempfile.TemporaryDirectory() as d:
        for i, (suffix, data) in enumerate(files):
            (Path(d) / f"junk-{i}{suffix}").write_bytes(data)
        agent.ingest([d], progress=False)
        added = {a for a in agent.store.articles() if a.startswith("junk-")}
    hashes, chunk_ids = _state(agent)
    assert all(hashes.get(a) == h for a, h in before[0].items()) and before[1] <= chunk_ids
    integrity(agent)
    agent.store.delete_articles(sorted(added))  # the next example starts from the same index
