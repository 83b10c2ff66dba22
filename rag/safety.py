"""Article text is data, never instructions (pure functions): the prompt-safety helpers of every LLM prompt.

It sits in the bottom layer, next to rag/prompts.py, because the answer prompt (rag/answering/chain.py),
the events prompt (rag/events/llm.py), the briefing prompt and the extractive answerer all use it.

Sentences that address an AI model ("ignore previous instructions", "تجاهل
التعليمات السابقة", "you are now ...") are kept out of the evidence and masked in
what an LLM is shown; sources are wrapped in delimiters that their text cannot close.
"""

from __future__ import annotations

import re

from .arabic import normalize
from .splitting import sentence_spans

_PATTERNS = [
    r"\bignore (?:all |any |the )?(?:previous|prior|above|earlier|your|these)\b.{0,40}\b(?:instructions?|prompts?|rules|directions)",
    r"\bdisregard (?:all |any |the )?(?:previous|prior|above|your)\b",
    r"\bforget (?:all |everything|your|previous)\b.{0,30}\b(?:instructions?|told|rules)",
    r"\b(?:system|developer) (?:prompt|message|instructions?)\b",
    r"\byou are now\b|\bact as\b.{0,30}\b(?:assistant|ai|model)\b|\bnew instructions?\s*:",
    r"\b(?:answer|reply|respond|say) (?:only |always )?(?:with|that)\b.{0,60}\b(?:regardless|no matter|instead)\b",
    r"\bas an? (?:ai|language model|llm)\b",
    r"تجاهل.{0,20}(?:التعليمات|الاوامر|التوجيهات|ما سبق)",
    r"(?:انس|انسى).{0,20}(?:التعليمات|الاوامر)",
    r"(?:تعليمات|اوامر) (?:جديده|النظام)",
    r"ايها (?:النموذج|المساعد|الذكاء الاصطناعي)",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I | re.S)
MASK = "[text addressed to an AI model removed]"


def looks_like_instruction(text: str) -> bool:
    """True when a sentence reads as an instruction to a model rather than news."""
    return bool(_INJECTION.search(normalize(text)))


def fence(text: str) -> str:
    """Neutralise anything in source text that could close or open our source delimiters."""
    return re.sub(r"</?\s*(?:source|sources|question|instructions?)\b[^>]*>", "[tag removed]", text, flags=re.I)


def mask_instructions(text: str) -> str:
    """Source text with sentences that address a model replaced by a marker (pure)."""
    out, pos = [], 0
    for s, e in sentence_spans(text):
        if looks_like_instruction(text[s:e]):
            out.append(text[pos:s] + MASK)
            pos = e
    out.append(text[pos:])
    return "".join(out)
