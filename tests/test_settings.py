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


def test_briefing_and_event_tuning_lives_in_settings(monkeypatch):
    """The briefing's and events' tuning constants (issue 15): defaults as they were, each overridable and described."""
    s = Settings.load("/nonexistent/rag.toml")
    b, e = s.briefing, s.events
    assert (b.min_background, b.max_sentences, b.max_with_outlets, b.near_repeat, b.corroborate) == (50, 3, 5, 0.45, 0.5)
    assert (b.cluster_threshold, b.entity_weight, b.change_min_reports, b.section_min_items) == (0.35, 0.05, 2, 2)
    assert b.weights == {"casualties": 1.0, "territory": 0.75, "novelty": 0.5, "focus": 1.0, "focus_named": 0.5}
    assert (b.semantic_keep, b.semantic_named, e.near, e.max_llm_chunks) == (0.86, 0.82, 3, 12)
    assert all(f.description for section in (b, e) for f in type(section).model_fields.values())
    monkeypatch.setenv("RAG_BRIEFING_MAX_SENTENCES", "4")
    monkeypatch.setenv("RAG_EVENTS_NEAR", "1")
    s = Settings.load("/nonexistent/rag.toml", briefing={"semantic_keep": 0.9})
    assert (s.briefing.max_sentences, s.events.near, s.briefing.semantic_keep) == (4, 1, 0.9)


def test_a_setting_changes_what_the_code_does():
    from rag.briefing_rank import importance, sections
    from rag.settings import BriefingSettings

    assert importance(1, 1, [], True, 0, False)[1]["novelty"] == 0.5
    assert importance(1, 1, [], True, 0, False, BriefingSettings(weights={**BriefingSettings().weights, "novelty": 2.0}))[1]["novelty"] == 2.0
    assert sections(["a", "b"], lambda i: "x") == ([("x", ["a", "b"])], [])
    assert sections(["a", "b"], lambda i: "x", BriefingSettings(section_min_items=3)) == ([], ["a", "b"])
