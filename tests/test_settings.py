"""Settings from environment, file and arguments; secrets never shown."""

import pytest

from rag.settings import Settings


def test_env_names_users_know(monkeypatch, tmp_path):
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "i"))
    monkeypatch.setenv("RAG_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("RAG_LLM_MODEL", "m")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    monkeypatch.setenv("RAG_CHROMA_URL", "http://127.0.0.1:8123")
    s = Settings.load()
    assert str(s.store.index_dir) == str(tmp_path / "i") and s.store.chroma_url == "http://127.0.0.1:8123"
    assert s.llm.configured and s.llm.model == "m"
    assert "sk-secret-value" not in repr(s) and "sk-secret-value" not in s.model_dump_json()


def test_file_is_under_the_environment(monkeypatch, tmp_path):
    cfg = tmp_path / "rag.toml"
    cfg.write_text('[llm]\nmodel = "from-file"\ntimeout = 5\n[retrieval]\nk = 3\n', encoding="utf-8")
    monkeypatch.setenv("RAG_LLM_MODEL", "from-env")
    s = Settings.load(cfg)
    assert s.llm.model == "from-env" and s.llm.timeout == 5 and s.retrieval.k == 3


def test_bad_files_fail_with_the_path(tmp_path):
    bad = tmp_path / "rag.toml"
    bad.write_text("[llm\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        Settings.load(bad)
    bad.write_text("[nope]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown section"):
        Settings.load(bad)
    bad.write_text("[llm]\nmodle = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError):
        Settings.load(bad)


def test_no_llm_by_default():
    assert not Settings.load().llm.configured
