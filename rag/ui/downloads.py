"""Downloads the app offers: a Markdown briefing zipped with the pictures it links (no Gradio).

`render_briefing(b, "md", path=md)` writes the map and timeline PNGs beside the .md and links
them by relative name; a lone .md download showed broken images (issue 20). The zip holds the
.md and every local file it links, under the same relative names, so it opens as written.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<img[^>]+src=\"([^\"]+)\"", re.I)


def linked_files(markdown: str, folder: Path) -> list[Path]:
    """Local files a Markdown text links (images and links), that exist under folder, in order (pure but for the checks)."""
    folder = Path(folder).resolve()
    found: list[Path] = []
    for m in _LINK.finditer(markdown):
        target = (m.group(1) or m.group(2) or "").split("#")[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
            continue  # web addresses, data: URIs and absolute paths are not part of the bundle
        path = (folder / target).resolve()
        if path.is_file() and folder in path.parents and path not in found:
            found.append(path)
    return found


def markdown_zip(md: Path) -> Path:
    """Write <md stem>.zip beside md: the .md and the files it links; returns the zip's path."""
    md = Path(md)
    out = md.with_suffix(".zip")
    text = md.read_text(encoding="utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(md, md.name)
        for path in linked_files(text, md.parent):
            z.write(path, path.relative_to(md.parent.resolve()).as_posix())
    return out
