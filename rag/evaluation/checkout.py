"""Where the evaluation's files are: the checkout around the package (eval/ sets, floors, results, cache), and provenance.

`rag eval` is a developer's tool: it reads eval/ of a checkout, never the installed package's data
(except the sample corpus, through rag.resources). The run's time and commit go into every results file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..resources import data_path

REPO = Path(__file__).resolve().parents[2]
EVAL_DIR = REPO / "eval"
SAMPLE = data_path("sample")
XQUAD = REPO.parent / "shared" / "benchmarks" / "xquad-ar.jsonl"
THRESHOLDS = EVAL_DIR / "thresholds.toml"
RESULTS_DIR = EVAL_DIR / "results"
CACHE_DIR = EVAL_DIR / ".cache"


def shown(path: Path) -> str:
    """A path relative to the repository when inside it (results files travel between machines)."""
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def now() -> str:
    """The current UTC time, to the second, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def commit() -> str | None:
    """The checked-out commit, read from .git without running git (None outside a checkout)."""
    try:
        head = (REPO / ".git" / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        loose = REPO / ".git" / ref
        if loose.is_file():
            return loose.read_text().strip()
        for line in (REPO / ".git" / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None
