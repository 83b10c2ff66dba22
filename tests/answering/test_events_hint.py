"""Event-backed evidence for who/where/when questions, on the real seed index (and on literal facets)."""

from __future__ import annotations

import pytest

from rag.answering import extractive as ex
from rag.answering.answer import number_sources
from rag.answering.citations import verify
from rag.answering.events_hint import event_evidence, match_events, question_facets
from rag.gazetteer import Gazetteer
from rag.retrieval import Filters
from rag.settings import AnswerSettings

SUKHNAH = "000_81d095f2c667699f"
QUESTION = "Which militias reinforced Sukhnah?"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def seed_agent(seed_index_dir, tmp_path_factory):
    """One extractive agent over a copy of the seed index for the module (the tests only read it)."""
    import shutil

    from rag.agent import Agent
    from rag.settings import Settings

    copy = tmp_path_factory.mktemp("hint") / "index"
    shutil.copytree(seed_index_dir, copy)
    settings = Settings.load("/nonexistent.toml")
    settings.store.index_dir = copy
    return Agent(settings, llm=None)


def retrieved(agent, question: str, filters: Filters | None = None):
    """The numbered sources and scored candidate sentences, as Agent.stream makes them."""
    sources = number_sources(agent.retriever.retrieve(question, None, filters or Filters()))
    named = ex.named_in_question(question, agent.gazetteer, agent.terms)
    return sources, ex.score_sentences(question, sources, agent.embedder, named, agent.retriever.sentences)


def assert_resolves(agent, hint) -> None:
    """Numbers 1..k; every candidate's text is its source's text at its offsets and the article's at the same place."""
    assert [s.n for s in hint.sources] == list(range(1, len(hint.sources) + 1))
    for ev in hint.evidence:
        assert ev.source in hint.sources and "\n" not in ev.text
        start = ev.source.start + ev.start
        assert agent.article_text(ev.source.article_id)[start:start + len(ev.text)] == ev.text


def test_facets_of_questions(gaz):
    f = question_facets(QUESTION, gaz)
    assert (f.places, f.actors, f.types, "who" in f.aspects, f.actor_kinds) == ({"place:sukhnah"}, set(), {"reinforcement"}, True, {"militia"})
    f = question_facets("أين انتشر لواء فاطميون؟", gaz)
    assert f.actors == {"group:fatemiyoun"} and f.types == {"reinforcement"} and "where" in f.aspects
    f = question_facets("When did Russia launch the White Desert operation?", gaz)
    assert f.operations == {"operation:white-desert"} and "campaign" in f.types and "when" in f.aspects
    f = question_facets("Who attacked the Fourth Division?", gaz)
    assert f.actors == {"group:4th-division"} and {"clash", "airstrike", "explosive"} <= f.types
    assert not question_facets("Tell me about Sukhnah", gaz).aspects  # not a who/where/when question


def test_sukhnah_question_gets_the_cited_militia_reinforcement(seed_agent):
    events = seed_agent.events()
    sources, evidence = retrieved(seed_agent, QUESTION)
    hint = event_evidence(QUESTION, events, sources, evidence, seed_agent.gazetteer, seed_agent.store.get_chunks)
    first = hint.events[0]
    assert first.type == "reinforcement" and first.citation.article_id == SUKHNAH
    assert {a["id"] for a in first.actors} == {"group:liwa-al-baqir", "group:fatemiyoun"}
    top = hint.evidence[0]
    assert top.source.article_id == SUKHNAH and top.score > max(ev.score for ev in evidence)
    assert "الباقر" in top.text and "فاطميون" in top.text
    assert top.source.start + top.start == first.citation.start
    assert_resolves(seed_agent, hint)

    # what Agent.stream does next: the extractive answer quotes it and every [n] resolves to a numbered source
    text, _ = ex.compose(QUESTION, ex.select(hint.evidence, seed_agent.settings.answer))
    body = "\n".join(line for line in text.splitlines() if line.startswith("- "))
    checked = verify(body, hint.sources)
    assert not checked.removed and not checked.uncited
    assert any(c.article_id == SUKHNAH and "الباقر" in c.quote and "فاطميون" in c.quote for c in checked.citations)
    assert "أكثر من 400 عنصر" in text  # the event's quote runs on to its figures: one line each


def test_an_event_chunk_that_was_not_retrieved_becomes_a_new_numbered_source(seed_agent):
    sources, evidence = retrieved(seed_agent, QUESTION)
    others = [s for s in sources if s.article_id != SUKHNAH]
    for k, s in enumerate(others, 1):  # the retrieval, had it missed the article
        s.n = k
    rest = [ev for ev in evidence if ev.source.article_id != SUKHNAH]
    hint = event_evidence(QUESTION, seed_agent.events(), others, rest, seed_agent.gazetteer, seed_agent.store.get_chunks)
    assert hint.added and hint.sources[:len(others)] == others
    new = hint.added[0]
    assert new.n == len(others) + 1 and new.chunk_id == hint.events[0].citation.chunk_id
    assert new.text == seed_agent.store.get_chunks([new.chunk_id])[0].text  # the whole chunk, numbered
    assert hint.evidence[0].source is new and "الباقر" in hint.evidence[0].text
    assert_resolves(seed_agent, hint)
    without = event_evidence(QUESTION, seed_agent.events(), others, rest, seed_agent.gazetteer)  # no chunk reader
    assert without.added[0].text == hint.events[0].citation.quote  # a source holding the quote alone
    assert_resolves(seed_agent, without)


def test_arabic_question_and_filters(seed_agent):
    question = "ما هي الميليشيات التي أرسلت تعزيزات إلى السخنة؟"
    matched = match_events(question, seed_agent.events(), seed_agent.gazetteer)
    assert matched and matched[0][0].citation.article_id == SUKHNAH
    assert {a["name_ar"] for a in matched[0][0].actors} == {"لواء الباقر", "لواء فاطميون"}
    # a dated or outlet-filtered question never brings in a report the retrieval may not use
    assert not match_events(question, seed_agent.events(), seed_agent.gazetteer, filters=Filters(sources=("SY24",)))
    from datetime import date

    assert not match_events(question, seed_agent.events(), seed_agent.gazetteer, filters=Filters(since=date(2021, 1, 1)))


def test_questions_without_a_matching_event_leave_everything_as_it_was(seed_agent):
    for question in ["What did the Tokyo stock exchange do in 1987?", "Tell me about Sukhnah",
                     "Which militias reinforced Mosul?"]:
        sources, evidence = retrieved(seed_agent, question)
        hint = event_evidence(question, seed_agent.events(), sources, evidence, seed_agent.gazetteer, seed_agent.store.get_chunks)
        assert hint.events == [] and hint.sources == sources and hint.evidence == evidence, question


def test_scores_sit_just_above_the_best_retrieved_sentence(seed_agent):
    question = "أين انتشر لواء فاطميون؟"
    sources, evidence = retrieved(seed_agent, question)
    hint = event_evidence(question, seed_agent.events(), sources, evidence, seed_agent.gazetteer, seed_agent.store.get_chunks)
    best = max(ev.score for ev in evidence)
    event_lines = [ev for ev in hint.evidence if ev.score > best]
    assert len(event_lines) == 2  # the quote spans two paragraphs: one candidate a line
    assert all(best + AnswerSettings().event_bonus < ev.score < best + 0.05 for ev in event_lines)
    assert max(ev.similarity for ev in hint.evidence) == max(ev.similarity for ev in evidence)  # abstention unchanged
    assert len(hint.evidence) < len(evidence) + 2  # the retrieved sentences inside the quote were replaced
