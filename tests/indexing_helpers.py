"""Helpers for tests that write an index from another process: tiny JSONL reports and `rag ingest` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

REPORTS = {
    "a": {"title": "تعزيزات إلى السخنة", "date": "2021-02-20", "source": "SY24",
          "text": "وصلت تعزيزات عسكرية من لواء الباقر إلى مدينة السخنة شرقي حمص. وانتشرت العناصر في محيط الحقول النفطية."},
    "b": {"title": "هجوم قرب تدمر", "date": "2021-03-05", "source": "Sham",
          "text": "شن تنظيم الدولة هجوما على نقطة لقوات النظام قرب مدينة تدمر في البادية. وقتل ثلاثة عناصر في الهجوم الزرزوري."},
}


def write_reports(folder: Path, *ids: str) -> Path:
    """A JSONL file with the named reports (id, title, date, source, text)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("-".join(ids) + ".jsonl")
    path.write_text("".join(json.dumps({"id": i, **REPORTS[i]}, ensure_ascii=False) + "\n" for i in ids), encoding="utf-8")
    return path


def ingest_in_subprocess(path: Path, env: dict[str, str]) -> str:
    """`rag ingest PATH` in another Python process with these RAG_* variables; its output (raises on failure)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")} | env
    done = subprocess.run([sys.executable, "-m", "rag.cli", "ingest", str(path)], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
