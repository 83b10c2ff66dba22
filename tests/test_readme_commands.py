"""Every `rag ...` command line of README.md, run literally, so the docs cannot drift from the CLI.

The lines are read from the README's code blocks (indented or fenced), split on `&&`, comments
dropped. They run in README order as real subprocesses in one scratch folder that holds what the
README assumes: `./index` (a copy of the seed index, so ingesting the sample skips unchanged
articles instead of embedding them again) and `reports/` (the sample reports). A few are skipped,
each with its reason; a new command line in the README is run unless it is added to SKIP.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

README = ROOT / "README.md"

# Command lines that are not run here, and why (keyed on the line as written, comments dropped).
SKIP = {
    "rag serve --port 7860": "starts a server that runs until stopped (tests/ui/ serve the app and drive it)",
    "rag eval --set seeds --check": "runs the whole seed evaluation (minutes); .ci/run runs this exact line as its gate",
}


def skip_reason(command: str) -> str:
    """Why a README command line is not run here, or '' (pure)."""
    words = shlex.split(command)
    if command in SKIP:
        return SKIP[command]
    if any("://" in w and "127.0.0.1" not in w for w in words):
        return "fetches pages from the internet (none here); tests/web/ ingest URLs from a 127.0.0.1 server"
    if words[1:2] == ["watch"]:
        return "polls feeds over the network; tests/web/test_watch.py runs `rag watch` against a 127.0.0.1 server"
    if any(w in (">", ">>", "2>&1", "|") for w in words):
        return "a shell line (redirections); its `rag` part is shown on its own elsewhere"
    return ""
# The subcommands the README must show, so a broken extraction cannot pass by finding nothing.
EXPECTED = {"demo", "ingest", "articles", "stats", "ask", "brief", "events", "eval", "serve", "--version"}


def code_lines(markdown: str) -> list[str]:
    """The lines of the README's code blocks: fenced (```) or indented by four spaces after a blank line (pure)."""
    lines, fenced, indented, previous_blank = [], False, False, True
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            lines.append(line.strip())
            continue
        if line.startswith("    ") and (indented or previous_blank):
            indented = True
            lines.append(line.strip())
        elif line.strip():
            indented = False
        previous_blank = not line.strip()
    return lines


def rag_commands(markdown: str) -> list[str]:
    """Every `rag ...` command of the code blocks, comments dropped, `a && b` split (pure)."""
    out = []
    for line in code_lines(markdown):
        for part in re.split(r"\s*&&\s*", line):
            words = shlex.split(part, comments=True)
            if words[:1] == ["rag"]:
                out.append(shlex.join(words))
    return out


def test_code_lines_and_commands_are_read_from_both_block_kinds():
    text = "Intro\n\n    pip install -e . && rag demo\n\nprose `rag inline` here\n\n```bash\nrag ask \"a b\"  # why\n```\n"
    assert code_lines(text) == ["pip install -e . && rag demo", 'rag ask "a b"  # why']
    assert rag_commands(text) == ["rag demo", "rag ask 'a b'"]


COMMANDS = rag_commands(README.read_text(encoding="utf-8"))


def test_placeholders_are_not_command_lines():
    """`[--once | --every 1h]` is a synopsis, not a command: the README shows runnable lines."""
    bad = [c for c in COMMANDS if re.search(r"'\[|\]'|\bDIR\b|\bPATH\b|\.\.\.", c)]
    assert not bad, f"README command lines that cannot run as written: {bad}"


def test_the_readme_shows_every_command():
    shown = {shlex.split(c)[1] for c in COMMANDS if len(shlex.split(c)) > 1}
    assert EXPECTED <= shown, f"README.md lost the command lines of {sorted(EXPECTED - shown)}"
    assert set(SKIP) <= set(COMMANDS), f"SKIP names lines the README no longer has: {sorted(set(SKIP) - set(COMMANDS))}"


@pytest.fixture(scope="module")
def workspace(seed_index_dir, tmp_path_factory) -> Path:
    """A scratch folder with ./index (the seed index) and reports/ (the sample reports)."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(seed_index_dir, root / "index")
    shutil.copytree(SAMPLE, root / "reports")
    return root


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, workspace):
    if reason := skip_reason(command):
        pytest.skip(reason)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_") and k != "OPENAI_API_KEY"}
    env.update(RAG_CONFIG=str(workspace / "no-such-rag.toml"), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    argv = [sys.executable, "-m", "rag.cli", *shlex.split(command)[1:]]
    done = subprocess.run(argv, cwd=workspace, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"`{command}` exited {done.returncode}:\n{done.stderr[-3000:]}"
    assert done.stdout.strip(), f"`{command}` printed nothing"
