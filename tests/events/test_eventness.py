"""The eventness model (rag/events/eventness.py): pure filtering on given scores, the shipped model on real e5
vectors, and the events an index stores at ingest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.documents import Chunk
from rag.embeddings import embed_documents, make_embedder
from rag.events import extract_events
from rag.events.eventness import EventnessModel, keep_acts, keep_acts_of, load_model

ACTS = ["جلبت ميليشيا لواء فاطميون تعزيزات عسكرية إلى منطقة السخنة شرقي حمص.",
        "قتل 12 مدنيا على الأقل في قصف جوي استهدف مدينة نوى في ريف درعا الغربي.",
        "وشن الطيران الروسي 12 غارة على مواقع داعش في البادية."]
NOT_ACTS = ["ودعت الأمم المتحدة إلى وقف القتال والسماح بدخول المساعدات.",
            "ونفت وزارة الدفاع الروسية الاتهامات بشن غارات على المدنيين، ووصفتها بأنها فبركة."]


def _events(text: str):
    chunk = Chunk("a#000", "a", text, 0, len(text), {"date": "2018-03-01"})
    return chunk, extract_events([chunk])


def test_an_event_under_the_threshold_goes_and_takes_its_back_references_with_it():
    text = ("شن مسلحو تنظيم داعش هجوما على موقع لقوات النظام في ريف حمص.\n"
            "وقد أعلن التنظيم لاحقا مسؤوليته عن الهجوم.\n"
            "واقتحمت قوات النظام بلدة اللطامنة في ريف حماة.")
    chunk, events = _events(text)
    lines = text.split("\n")
    spans = [(text.index(line), text.index(line) + len(line)) for line in lines]
    assert [e.refers_to is not None for e in events] == [False, True, False]  # the claim refers back to the attack
    kept = keep_acts(events, {chunk.id: (spans, np.array([0.1, 0.9, 0.9]))}, 0.4)
    assert kept == [events[2]]  # the attack and the claim linked to it are gone
    assert keep_acts(events, {chunk.id: (spans, np.array([0.9, 0.1, 0.9]))}, 0.4) == events  # linked: not scored
    assert keep_acts(events, {}, 0.4) == events  # no scored sentence: kept


def test_vectors_of_another_embedder_are_never_scored():
    chunk, events = _events("قصفت الطائرات بلدة كفرنبودة.")
    model = EventnessModel("e5-small-q4", np.full(4, -10.0), -10.0, 0.5)  # would drop everything
    sentences = [([(0, len(chunk.text))], np.ones((1, 4)))]
    assert keep_acts_of(events, [chunk], sentences, "hash-test", model) == events
    assert keep_acts_of(events, [chunk], [([(0, len(chunk.text))], np.ones((1, 8)))], "e5-small-q4", model) == events
    assert keep_acts_of(events, [chunk], sentences, "e5-small-q4", model) == []


def test_the_shipped_model_scores_acts_above_its_threshold_and_calls_and_denials_below():
    # literal sentences written for this test, not from the articles the model was fitted on; a refit may move
    # a sentence across the threshold: then choose examples again, from outside the fitted articles
    model = load_model()
    assert model.fits("e5-small-q4", 384) and 0 < model.threshold < 1
    scores = model.scores(embed_documents(make_embedder("e5-small-q4"), ACTS + NOT_ACTS))
    acts, others = scores[: len(ACTS)], scores[len(ACTS):]
    assert min(acts) >= model.threshold > max(others)


def test_an_index_stores_only_the_events_the_model_keeps(tmp_path: Path):
    from rag.agent import Agent
    from rag.settings import Settings

    statement = "ووصفت الحكومة الاتهامات بشن هجوم على البلدة بأنها فبركة، وقالت إن قواتها لم تقصف أي منطقة سكنية."
    act = "وقصفت الطائرات الحربية الروسية بلدة كفرنبودة في ريف حماة الشمالي، ما أسفر عن مقتل 4 مدنيين."
    text = f"مقتل مدنيين في ريف حماة\n\n{act}\n\n{statement}\n"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = tmp_path / "index"
    settings.llm.model = None
    agent = Agent(settings, llm=None)
    agent.ingest([tmp_path / "r.txt"], progress=False)
    stored = {e.citation.quote for e in agent.events()}
    rules = {e.citation.quote for e in extract_events(agent.store.chunks_of([a["id"] for a in agent.articles()]), agent.gazetteer)}
    scores = dict(zip([act, statement], load_model().scores(embed_documents(agent.store.embedder, [act, statement]))))
    kept = {s for s in (act, statement) if scores[s] >= load_model().threshold}
    if not any(statement in q for q in rules):
        pytest.fail("the rules no longer find an event in the statement: choose another example")
    assert act in kept and statement not in kept
    assert any(act in q for q in stored) and not any(statement in q for q in stored)
