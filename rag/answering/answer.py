"""The Answer record every mode returns, and the numbering of retrieved chunks as sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..citation import Citation, Source, source_from
from ..retrieval import Hit
from .citations import Sentence

EXTRACTIVE = "extractive"


@dataclass
class Answer:
    """An answer with its verified citations; `mode` says what wrote it ('extractive' or 'llm:<model>')."""

    question: str
    text: str
    mode: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed_citations: int = 0
    uncited: list[str] = field(default_factory=list)
    excluded_undated: int = 0
    period: str = ""
    abstain_reason: str = ""
    llm_error: str = ""
    support: dict = field(default_factory=dict)  # support-check counts (rag.answering.citations.support_counts)
    best_similarity: float | None = None  # best evidence sentence's similarity (abstention calibration)
    gist: list[dict] = field(default_factory=list)  # English lines from the matched events, each cited (rag/events/gist.py)
    gathered: object = field(default=None, repr=False, compare=False)  # the Agent.gather it was made from (eval, debugging)

    def to_dict(self) -> dict:
        """The JSON shape of `rag ask --json`."""
        return {
            "question": self.question,
            "answer": self.text,
            "mode": self.mode,
            "abstained": self.abstained,
            "abstain_reason": self.abstain_reason,
            "citations": [c.to_dict() for c in self.citations],
            "support": self.support,
            "warnings": self.warnings,
            "removed_citations": self.removed_citations,
            "uncited_sentences": self.uncited,
            "excluded_undated": self.excluded_undated,
            "period": self.period,
            "llm_error": self.llm_error,
            "gist": [dict(g) for g in self.gist],
        }


def number_sources(hits: list[Hit]) -> list[Source]:
    """Retrieved chunks as sources [1]..[k], in retrieval order."""
    return [source_from(hit.chunk, n, also_in={d.source or d.article_id for d in hit.duplicates} - {hit.chunk.source})
            for n, hit in enumerate(hits, 1)]
