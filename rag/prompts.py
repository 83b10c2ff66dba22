"""Prompt templates as files under prompts/, loaded and checked.

The files live in the repository's top-level ``prompts/``; the package reaches them as ``rag/data/prompts``
(a symlink in the source tree, real files in a wheel), so an installed `rag` finds them from any folder.

A template is a text file with a `[system]` section and a `[user]` section;
placeholders are `{name}`. Each known prompt declares its variables: a file with
a missing or unknown placeholder fails at load time, not at the first question.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

from .resources import data_path

PROMPT_DIR = data_path("prompts")

# The placeholders each prompt must use, exactly.
REQUIRED: dict[str, set[str]] = {
    "answer": {"sources", "question", "language", "not_in_sources"},
    "condense": {"history", "question"},
    "briefing": {"period", "sources", "language", "not_in_sources"},
    "events": {"sources", "types"},
}

_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)\}(?!\})")
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.M)


class PromptError(ValueError):
    """A prompt file is missing or does not use the placeholders its code passes."""


def placeholders(template: str) -> set[str]:
    """The {name} placeholders of a template (pure)."""
    return set(_PLACEHOLDER.findall(template))


def parse_sections(text: str, where: str) -> dict[str, str]:
    """The [system] and [user] sections of a template file (pure)."""
    parts = _SECTION.split(text)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if "user" not in sections:
        raise PromptError(f"{where}: no [user] section; a prompt file needs [system] and [user] sections")
    return sections


def check(name: str, sections: dict[str, str], where: str) -> None:
    """Fail unless the template uses exactly the declared placeholders."""
    found = set().union(*(placeholders(s) for s in sections.values()))
    required = REQUIRED.get(name, found)
    missing, unknown = required - found, found - required
    if missing or unknown:
        raise PromptError(
            f"{where}: placeholders do not match the code: missing {sorted(missing) or '-'}, unknown {sorted(unknown) or '-'}"
        )


@cache
def load_prompt(name: str, directory: str | None = None) -> ChatPromptTemplate:
    """The checked chat template prompts/<name>.md."""
    path = Path(directory or PROMPT_DIR) / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"{path}: prompt file missing")
    sections = parse_sections(path.read_text(encoding="utf-8"), str(path))
    check(name, sections, str(path))
    messages = [(role, sections[role]) for role in ("system", "user") if role in sections]
    return ChatPromptTemplate.from_messages(messages)


def check_all(directory: str | None = None) -> list[str]:
    """Load every known prompt that has a file; the names loaded."""
    loaded = []
    for name in REQUIRED:
        if (Path(directory or PROMPT_DIR) / f"{name}.md").is_file():
            load_prompt(name, directory)
            loaded.append(name)
    return loaded
