"""Everything the package reads at run time ships inside it (rag/resources.py, pyproject package-data).

The wheel itself is built, installed into a fresh venv and run from another folder by scripts/wheel-check
(called by .ci/run); these tests keep the source tree honest in seconds.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from pathlib import Path

import rag
from rag.prompts import REQUIRED, check_all
from rag.resources import data_file, data_path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(rag.__file__).parent
# Modules allowed to read the checkout around the package, and why.
CHECKOUT_READERS = {"evaluation/checkout.py": "`rag eval` reads eval/ (question sets, floors) of a checkout: a developer's tool"}


def test_the_data_files_are_found_through_importlib_resources():
    for parts in [("gazetteer.json",), ("places-geonames.json",), ("unnamed.json",), ("terms.json",), ("geo", "syria_admin1.geojson")]:
        assert data_file(*parts).is_file(), parts
    assert sorted(p.name for p in data_path("sample").glob("*.txt"))[:1] == ["000_81d095f2c667699f.txt"]
    assert len(list(data_path("sample").glob("*.txt"))) == 5


def test_the_prompts_in_the_package_are_the_top_level_prompts():
    for name in REQUIRED:
        assert data_file("prompts", f"{name}.md").read_text(encoding="utf-8") == (ROOT / "prompts" / f"{name}.md").read_text(encoding="utf-8")
    assert set(check_all()) == set(REQUIRED)


def _package_data_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]["rag"]


def test_package_data_covers_every_file_the_package_holds():
    """A data file added under rag/ that the globs miss would be left out of the wheel."""
    patterns = _package_data_patterns()
    files = [(Path(d) / f).relative_to(PACKAGE).as_posix() for d, _, names in os.walk(PACKAGE, followlinks=True) for f in names]
    data = [f for f in files if not f.endswith((".py", ".pyc")) and "__pycache__" not in f]
    assert "data/prompts/answer.md" in data  # the prompts link is followed, as the wheel build does
    missed = [f for f in data if not any(fnmatch.fnmatch(f, p.replace("**/", "")) or fnmatch.fnmatch(f, p) for p in patterns)]
    assert not missed, f"not in [tool.setuptools.package-data] of pyproject.toml: {missed}"


def test_no_module_reads_files_beside_the_package():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "resources.py" and re.search(r"__file__\)?\.(resolve\(\)\.)?parents?\b", text):
            found[path.relative_to(PACKAGE).as_posix()] = True
    assert set(found) <= set(CHECKOUT_READERS), f"read data through rag.resources instead: {sorted(set(found) - set(CHECKOUT_READERS))}"


def test_py_typed_and_the_public_api():
    assert (PACKAGE / "py.typed").is_file()
    assert set(rag.__all__) >= {"Agent", "Answer", "Citation", "Briefing", "Event", "Filters", "Settings"}
    for name in rag.__all__:
        assert getattr(rag, name) is not None
