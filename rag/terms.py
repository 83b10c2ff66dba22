"""Key conflict terms (drones, airstrikes, landmines...) with their Arabic forms, from rag/data/terms.json.

The abstention rule asks that every term a question names appears in the sources;
see rag.answering.extractive. Users extend the data file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import arabic
from .resources import data_path

DEFAULT_PATH = data_path("terms.json")


@dataclass(frozen=True)
class Term:
    """One concept: a label, English word patterns and Arabic forms."""

    label: str
    en: re.Pattern
    ar: tuple[str, ...]
    ar_words: re.Pattern  # the Arabic forms as words with clitics and endings (arabic.word_pattern)

    def in_text(self, text: str) -> bool:
        """Whether a text names the term: English as whole words, Arabic as words with clitics (not substrings)."""
        return bool(self.en.search(text) or self.ar_words.search(arabic.normalize(text)))


class Terms:
    """The term list, matched against questions in either language."""

    def __init__(self, terms: list[Term]):
        self.terms = terms

    @classmethod
    def load(cls, path: str | Path | None = None) -> Terms:
        """Read the term file; a malformed one raises ValueError naming the file and entry."""
        path = Path(path or DEFAULT_PATH)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            terms = []
            for i, item in enumerate(data["terms"]):
                if not item.get("label") or not item.get("en") or not item.get("ar"):
                    raise ValueError(f"entry {i} needs 'label', 'en' and 'ar'")
                pattern = re.compile(r"\b(?:" + "|".join(item["en"]) + r")\b", re.I)
                forms = tuple(arabic.normalize(f) for f in item["ar"])
                words = re.compile("|".join(arabic.word_pattern(f) for f in forms))
                terms.append(Term(item["label"], pattern, forms, words))
        except (OSError, ValueError, KeyError, re.error) as exc:
            raise ValueError(f"{path}: cannot load terms ({exc})") from exc
        return cls(terms)

    def find(self, question: str) -> list[Term]:
        """The terms a question names (in English or Arabic)."""
        return [term for term in self.terms if term.in_text(question)]
