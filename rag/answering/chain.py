"""The LLM answer chain (LCEL): retrieve -> number the sources -> prompt -> LLM -> parse -> verify.

Sources enter the prompt delimited as untrusted data: each in a <source> element
whose text cannot close it, with sentences that address a model masked.
"""

from __future__ import annotations

from typing import Callable

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from ..ingest.chunking import sentence_spans
from ..retrieval import Hit
from .answer import number_sources
from .citations import NOT_IN_SOURCES, Scorer, Source, verify
from .safety import MASK, fence, looks_like_instruction

LANGUAGE_NAME = {"en": "English", "ar": "Arabic (العربية)"}


def mask_instructions(text: str) -> str:
    """Source text with sentences that address a model replaced by a marker (pure)."""
    out, pos = [], 0
    for s, e in sentence_spans(text):
        if looks_like_instruction(text[s:e]):
            out.append(text[pos:s] + MASK)
            pos = e
    out.append(text[pos:])
    return "".join(out)


def format_sources(sources: list[Source]) -> str:
    """The numbered sources as delimited, untrusted data for the prompt (pure)."""
    blocks = []
    for s in sources:
        attrs = f'n="{s.n}" outlet="{_attr(s.source)}" date="{s.date or "unknown"}" title="{_attr(s.title)}"'
        blocks.append(f"<source {attrs}>\n{fence(mask_instructions(s.text))}\n</source>")
    return "\n".join(blocks)


def prompt_inputs(question: str, sources: list[Source], lang: str) -> dict:
    """Variables of the answer prompt."""
    return {
        "question": fence(question),
        "sources": format_sources(sources),
        "language": LANGUAGE_NAME[lang],
        "not_in_sources": NOT_IN_SOURCES[lang],
    }


def build_chain(
    retrieve: Callable[[dict], list[Hit]], prompt: ChatPromptTemplate, llm: BaseChatModel, scorer: Scorer | None = None
) -> Runnable:
    """The whole chain on {"question", "lang", ...}: adds hits, sources, reply and verified."""
    generate = RunnableLambda(lambda x: prompt_inputs(x["question"], x["sources"], x["lang"])) | prompt | llm | StrOutputParser()
    return (
        RunnablePassthrough.assign(hits=RunnableLambda(retrieve))
        | RunnablePassthrough.assign(sources=lambda x: number_sources(x["hits"]))
        | RunnablePassthrough.assign(reply=generate)
        | RunnablePassthrough.assign(verified=lambda x: verify(x["reply"], x["sources"], scorer))
    )


def _attr(value: str) -> str:
    return (value or "").replace('"', "'").replace("<", "(").replace(">", ")")
