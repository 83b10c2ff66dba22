"""Question answering and weekly briefings over Arabic conflict news, with checkable citations.

The public API: `Agent` (ingest, ask, stream, brief, events) and the records it returns: `Answer` with its
`Citation`s, `Briefing`, `Event`; `Filters` (dates and outlets) and `Settings`. Everything else is internal.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import TYPE_CHECKING, Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

__all__ = ["NOT_IN_SOURCES", "Agent", "Answer", "Briefing", "Citation", "Event", "Filters", "Settings", "__version__"]

if TYPE_CHECKING:
    from .agent import Agent
    from .answering.answer import Answer
    from .answering.citations import NOT_IN_SOURCES
    from .briefing import Briefing
    from .citation import Citation
    from .events import Event
    from .retrieval import Filters
    from .settings import Settings

# Lazy: `import rag` stays cheap; the embedder, Chroma and matplotlib load on first use.
_WHERE = {
    "Agent": ".agent",
    "Answer": ".answering.answer",
    "Citation": ".citation",
    "NOT_IN_SOURCES": ".answering.citations",
    "Briefing": ".briefing",
    "Event": ".events",
    "Filters": ".retrieval",
    "Settings": ".settings",
}


def __getattr__(name: str) -> Any:
    """The public names, imported on first use."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("rag")
        except PackageNotFoundError:  # a checkout that was never installed
            return "0+unknown"
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
