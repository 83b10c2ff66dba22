"""LLM mode: the reply parsed, each event checked against its quote, extractive fallback per article."""

from __future__ import annotations

import json

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from rag.events import EventsLLMError, parse_llm_reply

SUKHNAH_ARTICLE = "000_81d095f2c667699f"


class ScriptedChat(BaseChatModel):
    """A chat model that answers from a function of the prompt (no network)."""

    script: object

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        reply = self.script("\n".join(str(m.content) for m in messages))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])

    @property
    def _llm_type(self) -> str:
        return "scripted"


def _source_number(prompt: str, needle: str) -> int | None:
    import re

    for n, body in re.findall(r'<source n="(\d+)"[^>]*>(.*?)</source>', prompt, re.S):
        if needle in body:
            return int(n)
    return None


def test_parse_llm_reply_takes_fenced_json_and_rejects_junk():
    parsed = parse_llm_reply('Here:\n```json\n{"events": [{"source": 1, "quote": "x", "type": "clash"}]}\n```')
    assert parsed.events[0].type == "clash" and parsed.events[0].actors == []
    with pytest.raises(EventsLLMError):
        parse_llm_reply("no json at all")
    with pytest.raises(EventsLLMError):
        parse_llm_reply('{"events": [{"quote": "missing source"}]}')


def test_llm_events_are_checked_against_their_quotes(seed_agent):
    quote = ("أن ميليشيات لواء “الباقر” العراقي ولواء “فاطميون” الأفغاني جلبت، خلال اليومين الماضيين، "
             "تعزيزات عسكرية ضخمة من دير الزور إلى مواقعها في منطقة السخنة ومحيطها شرقي حمص")

    def script(prompt: str) -> str:
        n = _source_number(prompt, "الباقر")
        if n is None:
            return "the model is confused"  # not JSON: these articles fall back to extractive events
        return json.dumps({"events": [
            {"source": n, "quote": quote, "type": "deployment", "location": "السخنة",
             "actors": [{"name": "لواء الباقر", "role": "actor"}, {"name": "Fatemiyoun", "role": "actor"},
                        {"name": "Wagner", "role": "actor"}],  # Wagner is not in the quote: dropped
             "figures": {"fighters": "أكثر من 400 عنصر"}},  # not in the quote: dropped
            {"source": n, "quote": "جلبت تعزيزات إلى تدمر", "type": "reinforcement",
             "actors": [{"name": "لواء الباقر"}]},  # not a verbatim span: dropped
            {"source": n, "quote": quote, "type": "picnic", "actors": [{"name": "لواء الباقر"}]},  # unknown type
        ]}, ensure_ascii=False)

    seed_agent.llm = ScriptedChat(script=script)
    seed_agent.settings.llm.model = "fake-model"
    events = seed_agent.events()
    llm_made = [e for e in events if e.mode == "llm:fake-model"]
    assert len(llm_made) == 1
    e = llm_made[0]
    assert e.type == "reinforcement" and e.location["id"] == "place:sukhnah"
    assert [a["id"] for a in e.actors] == ["group:liwa-al-baqir", "group:fatemiyoun"] and e.figures == {}
    assert seed_agent.article_text(e.citation.article_id)[e.citation.start:e.citation.end] == quote
    assert all(ev.citation.article_id == SUKHNAH_ARTICLE for ev in llm_made)
    others = [ev for ev in events if ev.citation.article_id != SUKHNAH_ARTICLE]
    assert others and all(ev.mode == "extractive" for ev in others)  # the LLM failed there: fallback
    from rag.events import all_events, query_events

    _, warnings = all_events(seed_agent)
    assert len(warnings) == 4 and all("extractive events used" in w for w in warnings)
    assert all(ev.mode == "extractive" for ev in query_events(seed_agent, mode="extractive"))
