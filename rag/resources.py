"""Files shipped inside the package (``rag/data/``), found through importlib.resources.

Everything `rag` reads at run time lives in the package, so a wheel install works from any folder:
``rag/data/gazetteer.json``, ``terms.json``, ``geo/``, ``sample/`` (and any further data file:
``rag/data/<name>``), the prompt templates (``prompts/`` at the top of the repository, installed
as ``rag/data/prompts/``: see pyproject.toml) and the app (``rag/ui/main.py``).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_file", "data_path"]


def data_file(*parts: str) -> Traversable:
    """The shipped data file or folder ``rag/data/<parts>`` (read it with ``.read_text()``)."""
    return files("rag").joinpath("data", *parts)


def data_path(*parts: str) -> Path:
    """``rag/data/<parts>`` as a filesystem path (pip always installs packages unzipped)."""
    found = data_file(*parts)
    if not isinstance(found, Path):  # a zipped install: nothing here supports it, say so
        raise RuntimeError(f"rag is installed zipped ({found}); install it with pip so its data files are on disk")
    return found
