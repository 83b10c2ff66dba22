"""Prompt files are loaded and checked: a missing or unknown placeholder fails at load."""

import pytest

from rag.prompts import PromptError, check_all, load_prompt, parse_sections, placeholders


def test_shipped_prompts_load():
    assert "answer" in check_all()
    prompt = load_prompt("answer")
    assert set(prompt.input_variables) == {"sources", "question", "language", "not_in_sources"}


def test_placeholders_ignore_escaped_braces():
    assert placeholders("a {x} b {{literal}} {y}") == {"x", "y"}


def _write(tmp_path, body):
    (tmp_path / "answer.md").write_text(body, encoding="utf-8")
    load_prompt.cache_clear()
    return str(tmp_path)


def test_missing_placeholder_fails_fast(tmp_path):
    d = _write(tmp_path, "[system]\nRules {language} {not_in_sources}\n[user]\n{question}\n")
    with pytest.raises(PromptError, match="missing \\['sources'\\]"):
        load_prompt("answer", d)


def test_unknown_placeholder_fails_fast(tmp_path):
    d = _write(tmp_path, "[system]\n{language} {not_in_sources} {tone}\n[user]\n{sources} {question}\n")
    with pytest.raises(PromptError, match="unknown \\['tone'\\]"):
        load_prompt("answer", d)


def test_missing_file_and_sections(tmp_path):
    with pytest.raises(PromptError, match="missing"):
        load_prompt("answer", str(tmp_path))
    with pytest.raises(PromptError, match="no \\[user\\] section"):
        parse_sections("just text", "x.md")
