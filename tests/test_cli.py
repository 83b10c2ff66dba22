"""The `rag` command line: global options on either side of the subcommand, and --version."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest

from rag.cli import build_parser


@pytest.mark.parametrize(
    "argv, index, config",
    [
        (["--index", "A", "ask", "q"], "A", None),
        (["ask", "q", "--index", "A"], "A", None),
        (["--config", "c.toml", "stats", "--index", "I"], "I", "c.toml"),
        (["ingest", "reports/", "--config", "c.toml", "--index", "I", "--sync"], "I", "c.toml"),
        (["--index", "A", "brief", "--index", "B"], "B", None),  # the later one wins, as argparse does
        (["events"], None, None),
    ],
)
def test_global_options_before_or_after_the_subcommand(argv, index, config):
    args = build_parser().parse_args(argv)
    assert (args.index, args.config) == (index, config)


def test_every_subcommand_takes_the_global_options():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps the subparsers here
    for name, sub in commands.items():
        extra = []  # a value for each required argument, whatever the subcommand asks for
        for action in sub._actions:
            if not action.option_strings and action.nargs not in ("?", "*"):
                extra.append("x")
            elif action.required and action.option_strings:
                extra += [action.option_strings[0], "x"]
        args = parser.parse_args([name, *extra, "--index", "I", "--config", "c.toml"])
        assert (args.index, args.config) == ("I", "c.toml"), name


def test_version_is_the_installed_one():
    done = subprocess.run([sys.executable, "-m", "rag.cli", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"rag {version('rag')}"
