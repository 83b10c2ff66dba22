"""A two-turn conversation about Sukhnah over the sample index, extractive and LLM (localhost OpenAI fake)."""

from __future__ import annotations

import re
import shutil

from rag.agent import Agent
from rag.settings import Settings
from tests.fake_openai import FakeOpenAI, Reply

SUKHNAH_REPORT = "000_81d095f2c667699f"
Q1, Q2 = "Which militias reinforced Sukhnah?", "When did that happen?"


def test_extractive_follow_up_is_answered_from_the_sukhnah_report(seed_agent):
    first = seed_agent.ask(Q1)
    alone = seed_agent.ask(Q2)
    follow = seed_agent.ask(Q2, history=[(Q1, first.text)])
    assert follow.question == Q2 and not follow.abstained
    assert follow.gathered.about == "about: Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, deployment or reinforcement"
    assert follow.citations[0].article_id == SUKHNAH_REPORT
    assert "الباقر" in follow.citations[0].quote
    assert SUKHNAH_REPORT not in {c.article_id for c in alone.citations[:1]}  # without the history it is lost


def test_extractive_three_turns_in_arabic(seed_agent):
    q1 = "ما هي الميليشيات التي عززت السخنة؟"
    a1 = seed_agent.ask(q1)
    a2 = seed_agent.ask("متى حدث ذلك؟", history=[(q1, a1.text)])
    assert a2.citations[0].article_id == SUKHNAH_REPORT and a2.text.startswith("إجابة استخلاصية")
    a3 = seed_agent.ask("كم عدد العناصر؟", history=[(q1, a1.text), ("متى حدث ذلك؟", a2.text)])
    assert "السخنة" in a3.gathered.search
    assert any("400" in c.quote for c in a3.citations), [c.quote for c in a3.citations]


def _llm_agent(index_dir, tmp_path, server) -> Agent:
    copy = tmp_path / "idx"
    shutil.copytree(index_dir, copy)
    settings = Settings.load()
    settings.store.index_dir = copy
    settings.llm.base_url, settings.llm.model, settings.llm.api_key = server.base_url, "fake-model", "sk-test"
    settings.llm.timeout, settings.llm.max_retries = 10, 0
    return Agent(settings)


def _model(body: dict) -> Reply:
    """A model at the network boundary: condenses from the conversation it is given, answers from the sources."""
    prompt = "\n".join(m["content"] for m in body["messages"])
    if "<conversation>" in prompt:
        if "Liwa al-Baqir" in prompt and "Sukhnah" in prompt and "When did that happen?" in prompt:
            return Reply("When did Liwa al-Baqir and Liwa Fatemiyoun send reinforcements to Sukhnah?")
        return Reply("When did that happen?")
    for n, text in re.findall(r'<source n="(\d+)"[^>]*>(.*?)</source>', prompt, re.S):
        if "الباقر" in text and "السخنة" in text:
            return Reply(f"Liwa al-Baqir and Liwa Fatemiyoun brought reinforcements to the Sukhnah area in the two days before the report [{n}].")
    return Reply("Not in the sources.")


def test_llm_follow_up_is_condensed_then_answered_from_the_sukhnah_report(seed_index_dir, tmp_path):
    first_answer = "Liwa al-Baqir and Liwa Fatemiyoun reinforced Sukhnah [1]."
    with FakeOpenAI(_model) as server:
        agent = _llm_agent(seed_index_dir, tmp_path, server)
        answer = agent.ask(Q2, history=[(Q1, first_answer)])
        condense, answer_prompt = server.prompt_text(0), server.prompt_text(-1)
    assert "User: Which militias reinforced Sukhnah?" in condense and "Assistant: Liwa al-Baqir" in condense
    assert "[1]" not in condense.split("<conversation>")[1]  # citation marks are dropped from the conversation
    assert "When did Liwa al-Baqir and Liwa Fatemiyoun send reinforcements to Sukhnah?" in answer_prompt
    assert answer.mode == "llm:fake-model" and answer.question == Q2 and not answer.abstained
    assert answer.gathered.about.startswith("read as: When did Liwa al-Baqir")
    assert answer.citations and {c.article_id for c in answer.citations} == {SUKHNAH_REPORT}


def test_a_failed_condense_step_carries_names_instead(seed_index_dir, tmp_path):
    replies = [Reply(status=500, content="down")] + [Reply(status=500, content="down")]
    with FakeOpenAI(replies) as server:
        agent = _llm_agent(seed_index_dir, tmp_path, server)
        answer = agent.ask(Q2, history=[(Q1, "- ونقلت الصحيفة أن ميليشيات لواء “الباقر” ولواء “فاطميون” جلبت تعزيزات إلى السخنة [1]")])
    assert any(w.startswith("LLM failed to make the follow-up standalone") for w in answer.warnings), answer.warnings
    assert answer.gathered.about.startswith("about: Liwa al-Baqir")
    assert answer.mode == "extractive" and answer.citations[0].article_id == SUKHNAH_REPORT
