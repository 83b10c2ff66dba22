"""Moved to rag/safety.py (the prompt-safety helpers sit below every feature that builds a prompt).

Kept only for rag/answering/extractive.py and rag/briefing.py, whose owners switch their imports to
`rag.safety`; then this module goes.
"""

from ..safety import MASK, fence, looks_like_instruction, mask_instructions

__all__ = ["MASK", "fence", "looks_like_instruction", "mask_instructions"]
