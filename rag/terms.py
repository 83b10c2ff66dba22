"""Key conflict terms (drones, airstrikes, landmines...) with their Arabic forms, from data/terms.json.

The abstention rule asks that every term a question names appears in the sources;
see rag.answering.extractive. Users extend the data file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import arabic

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "terms.json"


@dataclass(frozen=True)
class Term:
    """One concept: a label, English word patterns and Arabic forms."""

    label: str
    en: re.Pattern
    ar: tuple[str, ...]


class Terms:
    """The term list, matched against questions in either language."""

    def __init__(self, terms: list[Term]):
        self.terms = terms

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Terms":
        """Read the term file; a malformed one raises ValueError naming the file and entry."""
        path = Path(path or DEFAULT_PATH)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            terms = []
            for i, item in enumerate(data["terms"]):
                if not item.get("label") or not item.get("en") or not item.get("ar"):
                    raise ValueError(f"entry {i} needs 'label', 'en' and 'ar'")
                pattern = re.compile(r"\b(?:" + "|".join(item["en"]) + r")\b", re.I)
                terms.append(Term(item["label"], pattern, tuple(arabic.normalize(f) for f in item["ar"])))
        except (OSError, ValueError, KeyError, re.error) as exc:
            raise ValueError(f"{path}: cannot load terms ({exc})") from exc
        return cls(terms)

    def find(self, question: str) -> list[tuple[str, list[str]]]:
        """(label, forms to look for in sources) for each term the question names."""
        norm = arabic.normalize(question)
        out = []
        for term in self.terms:
            if term.en.search(question) or any(f in norm for f in term.ar):
                out.append((term.label, list(term.ar)))
        return out
