"""The Markdown briefing download: a zip with the pictures the .md links."""

from __future__ import annotations

import zipfile

from rag.ui.downloads import linked_files, markdown_zip


def test_zip_holds_the_markdown_and_the_local_pictures_it_links(tmp_path):
    (tmp_path / "2021-W08.map.png").write_bytes(b"\x89PNG map")
    (tmp_path / "2021-W08.timeline.png").write_bytes(b"\x89PNG timeline")
    (tmp_path / "unrelated.png").write_bytes(b"\x89PNG other")
    md = tmp_path / "2021-W08.md"
    md.write_text("# Briefing\n\n![Map](2021-W08.map.png)\n\n<img src=\"2021-W08.timeline.png\">\n\n"
                  "[source](https://example.org/a) ![gone](missing.png) ![up](../secret.png)\n", encoding="utf-8")
    assert [p.name for p in linked_files(md.read_text(encoding="utf-8"), tmp_path)] == ["2021-W08.map.png", "2021-W08.timeline.png"]
    out = markdown_zip(md)
    assert out == tmp_path / "2021-W08.zip"
    with zipfile.ZipFile(out) as z:
        assert z.namelist() == ["2021-W08.md", "2021-W08.map.png", "2021-W08.timeline.png"]
        assert z.read("2021-W08.map.png") == b"\x89PNG map"
