"""Upload checks and staging: names, types, sizes, and nothing written outside the upload folder."""

from __future__ import annotations

import io
import zipfile

from rag.ui.uploads import check_upload, safe_name, stage_uploads


def test_safe_name_keeps_only_a_plain_base_name():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("..\\..\\win\\evil.txt") == "evil.txt"
    assert safe_name(".hidden.md") == "hidden.md"
    assert safe_name("تقرير السخنة.txt") == "تقرير السخنة.txt"
    assert safe_name("a\x00b;rm -rf $(x).txt") == "ab_rm -rf _x_.txt"
    assert safe_name("") == "upload" and safe_name("..") == "upload"
    long = safe_name("x" * 300 + ".jsonl")
    assert len(long) == 120 and long.endswith(".jsonl")


def test_check_upload_refuses_wrong_types_sizes_and_fake_zips(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("عنوان\nنص", encoding="utf-8")
    assert check_upload(good, "a.txt") is None
    assert "unsupported file type '.exe'" in check_upload(good, "a.exe")
    assert "unsupported file type '(none)'" in check_upload(good, "README")
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert check_upload(empty, "e.txt") == "empty file"
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3000)
    assert "over the 0.001 MB upload limit" in check_upload(big, "big.txt", max_mb=0.001)
    fake = tmp_path / "f.zip"
    fake.write_text("not a zip")
    assert "not a zip archive" in check_upload(fake, "f.zip")


def test_stage_copies_into_a_fresh_private_folder(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "report.txt").write_text("عنوان\nنص", encoding="utf-8")
    (src / "bad.exe").write_bytes(b"MZ")
    other = tmp_path / "other"
    other.mkdir()
    (other / "report.txt").write_text("عنوان آخر\nنص", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../escape.txt", "x")
    (src / "pack.zip").write_bytes(buf.getvalue())
    root = tmp_path / "index" / "uploads"
    batch = stage_uploads([src / "report.txt", src / "bad.exe", other / "report.txt", src / "pack.zip"], root)
    assert [s.name for s in batch.staged] == ["report.txt", "report.txt", "pack.zip"]
    assert batch.errors == ["bad.exe: unsupported file type '.exe'; upload .txt .md .markdown .html .htm .json .jsonl .ndjson .zip"]
    # the same name twice keeps its name (the article id is the stem) in a sub-folder
    assert batch.staged[0].path == batch.folder / "report.txt"
    assert batch.staged[1].path == batch.folder / "2" / "report.txt"
    assert all(p.resolve().is_relative_to(root.resolve()) for p in batch.paths)
    # the zip is copied as is, never extracted: the loader reads it in memory
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == ["pack.zip", "report.txt", "report.txt"]
    assert batch.display(f"{batch.staged[2].path}!../escape.txt") == "pack.zip!../escape.txt"
    assert batch.display("/elsewhere/x.txt") == "/elsewhere/x.txt"


def test_staged_zip_with_escaping_member_is_refused_by_the_loader(tmp_path):
    from rag.ingest.loaders import LoadError, load

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../escape.txt", "عنوان\nنص")
        zf.writestr("ok.txt", "عنوان\nنص")
    src = tmp_path / "pack.zip"
    src.write_bytes(buf.getvalue())
    batch = stage_uploads([src], tmp_path / "uploads")
    items = list(load(batch.paths))
    errors = [batch.display(i.origin) for i in items if isinstance(i, LoadError)]
    assert errors == ["pack.zip!../escape.txt"] and sum(not isinstance(i, LoadError) for i in items) == 1
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "uploads" / "escape.txt").exists()
