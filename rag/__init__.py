"""Question answering and weekly briefings over Arabic conflict news, with checkable citations."""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

__all__ = ["Agent", "Answer", "Citation", "Settings", "NOT_IN_SOURCES"]


def __getattr__(name: str):
    # Lazy: `import rag` stays cheap; the embedder and Chroma load on first use.
    if name == "Agent":
        from .agent import Agent

        return Agent
    if name == "Answer":
        from .answering.answer import Answer

        return Answer
    if name == "Citation":
        from .answering.citations import Citation

        return Citation
    if name == "NOT_IN_SOURCES":
        from .answering.citations import NOT_IN_SOURCES

        return NOT_IN_SOURCES
    if name == "Settings":
        from .settings import Settings

        return Settings
    raise AttributeError(name)
