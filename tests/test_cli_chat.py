"""`rag chat` (a terminal conversation, driven through stdin) and `rag remove`, as real subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _run(args, workspace, stdin=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_") and k != "OPENAI_API_KEY"}
    env.update(RAG_CONFIG=str(workspace / "no-such-rag.toml"), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return subprocess.run([sys.executable, "-m", "rag.cli", "--index", str(workspace / "index"), *args], cwd=workspace,
                          env=env, input=stdin, capture_output=True, text=True, timeout=600)


@pytest.fixture
def workspace(seed_index_dir, tmp_path):
    shutil.copytree(seed_index_dir, tmp_path / "index")
    return tmp_path


def test_chat_answers_a_follow_up_from_the_earlier_turn(workspace):
    done = _run(["chat"], workspace, "Which militias reinforced Sukhnah?\nWhen did that happen?\n/new\nWhen did that happen?\n")
    assert done.returncode == 0, done.stderr[-3000:]
    turns = done.stdout.split("Q: ")
    assert len(turns) == 4, done.stdout[:3000]  # '' then three questions
    follow, fresh = turns[2], turns[3]
    assert "(about: Liwa al-Baqir, Liwa Fatemiyoun, Sukhnah, deployment or reinforcement)" in follow
    assert "[1] 000_81d095f2c667699f" in follow  # the first citation is the Sukhnah report
    assert "(new conversation)" in turns[2] and "about:" not in fresh  # /new forgets the topic


def test_remove_deletes_an_article_and_refuses_unknown_ids(workspace):
    bad = _run(["remove", "000_81d095f2c667699f", "no-such-id"], workspace)
    assert bad.returncode == 2 and "not in the index: no-such-id; nothing removed" in bad.stderr
    done = _run(["remove", "000_81d095f2c667699f"], workspace)
    assert done.returncode == 0 and "removed 1 article(s): 000_81d095f2c667699f" in done.stdout
    listed = _run(["articles"], workspace).stdout
    assert "000_81d095f2c667699f" not in listed and "001_cd46ce12425e3a53" in listed
    answer = _run(["ask", "Which militias reinforced Sukhnah?", "--json"], workspace).stdout
    assert "000_81d095f2c667699f" not in answer  # its chunks, sentences and events are gone too
