"""What the LLM answer prompt is given: the numbered sources as untrusted data, the question, the language.

The agent pipes the checked prompt into the chat model (LCEL: `load_prompt("answer") | llm`) and verifies the reply.

Sources enter the prompt delimited as untrusted data: each in a <source> element
whose text cannot close it, with sentences that address a model masked.
"""

from __future__ import annotations

from ..citation import Source
from ..safety import fence, mask_instructions
from .citations import NOT_IN_SOURCES

LANGUAGE_NAME = {"en": "English", "ar": "Arabic (العربية)"}


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


def _attr(value: str) -> str:
    return (value or "").replace('"', "'").replace("<", "(").replace(">", ")")
