"""Loaders: formats, encodings detected from bytes written to files, and every bad input reported with its file."""

from __future__ import annotations

import gzip
import json
import zipfile

import pytest

from rag.ingest.loaders import InputError, LoadError, RawDoc, decode, html_to_text, load

ARABIC = "توجهت صباح اليوم الخميس 25 شباط 2021 عدة أرتال عسكرية من محافظة درعا نحو مناطق البادية السورية."


def _docs(paths, **kw):
    items = list(load(paths, **kw))
    return [i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, LoadError)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
def test_encodings_are_detected(tmp_path, encoding):
    data = ARABIC.encode(encoding)
    if encoding == "utf-16-le":
        data = data  # no BOM: detected from the NUL pattern
    path = tmp_path / f"r-{encoding}.txt"
    path.write_bytes(("عنوان\n" + ARABIC).encode(encoding) if encoding != "utf-16-le" else ("عنوان\n" + ARABIC).encode(encoding))
    docs, errors = _docs([path])
    assert not errors, errors
    assert ARABIC in docs[0].text and "\ufeff" not in docs[0].text


def test_txt_and_md(tmp_path):
    (tmp_path / "a.txt").write_text("عنوان الخبر\n\nنص الخبر هنا.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# عنوان آخر\n\nنص.", encoding="utf-8")
    docs, errors = _docs([tmp_path])
    assert not errors and [d.id for d in docs] == ["a", "b"]


def test_html_keeps_main_text_and_drops_scripts_and_navigation(tmp_path):
    html = """<html><head><title>عنوان الصفحة</title><script>alert('x')</script><style>p{}</style></head>
    <body><nav><a href='/'>الرئيسية</a> <a>أخبار</a></nav><header>شعار الموقع</header>
    <article><h1>روسيا تسحب قواتها</h1><p>رصدت مصادر انسحاباً جزئياً للقوات الروسية من تدمر.</p>
    <p>وأوضحت المصادر أن الآليات توجهت إلى حمص.</p><script>var tracking = 1;</script></article>
    <footer>جميع الحقوق محفوظة</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    docs, errors = _docs([tmp_path / "page.html"])
    text = docs[0].text
    assert docs[0].title == "روسيا تسحب قواتها"
    assert "انسحاباً جزئياً" in text and "الآليات توجهت" in text
    for junk in ("alert", "tracking", "الرئيسية", "شعار الموقع", "جميع الحقوق"):
        assert junk not in text


def test_jsonl_gz_records(tmp_path):
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "x1", "title": "t", "date": "2018-02-18T21:35:43+04:00", "source": "BBC Arabic", "url": "u", "text": ARABIC}, ensure_ascii=False) + "\n")
    docs, errors = _docs([path])
    assert not errors and docs[0].id == "x1" and docs[0].date.startswith("2018-02-18") and docs[0].source == "BBC Arabic"


def test_json_array(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"id": "1", "text": ARABIC}, {"id": "2", "text": ARABIC}], ensure_ascii=False), encoding="utf-8")
    docs, errors = _docs([path])
    assert [d.id for d in docs] == ["1", "2"] and not errors


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\t\n  ", "empty file"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("garbage.txt", bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x9e, 0x07, 0x1b]) * 300, "undecodable"),
        ("notes.docx", b"PK\x03\x04....", "unsupported file type"),
        ("zip-as-text.txt", b"PK\x03\x04" + b"x" * 100, "compressed archive"),
    ],
)
def test_bad_files_are_reported_with_the_file_and_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    docs, errors = _docs([path])
    assert not docs
    assert len(errors) == 1 and str(path) in str(errors[0]) and reason in errors[0].reason


def test_bad_jsonl_lines_are_reported_by_line_and_the_rest_loaded(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": "ok1", "text": ARABIC}, ensure_ascii=False), "{not json", json.dumps({"id": "notext", "title": "t"}), "[1, 2]", json.dumps({"id": "ok2", "text": ARABIC}, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = _docs([path])
    assert [d.id for d in docs] == ["ok1", "ok2"]
    assert [e.origin for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "not valid JSON" in errors[0].reason and "no 'text'" in errors[1].reason and "JSON object" in errors[2].reason


def test_oversized_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.seek(3 * 1024 * 1024)
        fh.write(b"x")
    docs, errors = _docs([path], max_file_mb=1)
    assert not docs and "over the 1 MB limit" in errors[0].reason


def test_zip_members_load_and_escaping_paths_are_refused(tmp_path):
    path = tmp_path / "batch.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("good/a.txt", "عنوان\n" + ARABIC)
        zf.writestr("../../etc/evil.txt", "عنوان\n" + ARABIC)
        zf.writestr("/abs.txt", "عنوان\n" + ARABIC)
        zf.writestr("empty.txt", "")
    docs, errors = _docs([path])
    assert [d.id for d in docs] == ["a"]
    reasons = {e.origin.split("!")[1]: e.reason for e in errors}
    assert "escapes" in reasons["../../etc/evil.txt"] and "escapes" in reasons["/abs.txt"] and "empty" in reasons["empty.txt"]
    assert not (tmp_path.parent / "etc").exists()


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"0" * (30 * 1024 * 1024))
    docs, errors = _docs([path], max_zip_mb=10)
    assert not docs and "zip bomb" in errors[0].reason


def test_missing_path(tmp_path):
    docs, errors = _docs([tmp_path / "nope.txt"])
    assert "no such file" in errors[0].reason


def test_decode_prefers_utf8_and_rejects_nul_binary():
    assert decode("نص".encode(), "x") == "نص"
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00\x01\x02abc" * 10 + b"\x00\x00\x00\x00\x00\x00\x00" + b"\x13" * 7, "x")


def test_html_to_text_without_article_tag():
    title, text = html_to_text("<html><body><div><p>فقرة أولى.</p><p>فقرة ثانية.</p></div></body></html>")
    assert "فقرة أولى." in text and "فقرة ثانية." in text


# -- issue 13: one bad file or record never stops the rest; odd names, fields, folders --------------------------

import os

from rag.ingest.loaders import file_id, is_briefing

GOOD = "وصلت تعزيزات عسكرية إلى تدمر."


def _by_origin(items):
    return {i.origin: i for i in items}


def test_deep_json_surrogates_and_odd_fields_are_reported_by_file_and_line(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 2000 + "]" * 2000)
    (tmp_path / "deep.jsonl").write_text("[" * 3000 + "]" * 3000 + "\n" + json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False) + "\n")
    (tmp_path / "rec.jsonl").write_text(
        '{"id": "sur", "text": "نص \\ud83d فيه رمز مكسور"}\n'
        '{"id": ["a", "b"], "text": "x"}\n'
        '{"id": "paras", "text": ["فقرة أولى.", "فقرة ثانية."], "title": ["عنوان", "فرعي"], "source": ["SY24", "x"]}\n'
        '{"id": "obj", "text": "نص", "source": {"name": "SY24"}}\n'
        '{"id": "num", "text": {"body": "نص"}}\n', encoding="utf-8")
    (tmp_path / "z.txt").write_text(GOOD, encoding="utf-8")
    items = _by_origin(load([tmp_path]))
    assert "nested too deeply" in items[str(tmp_path / "deep.json")].reason
    assert "nested too deeply" in items[f"{tmp_path / 'deep.jsonl'}:1"].reason
    assert isinstance(items[f"{tmp_path / 'deep.jsonl'}:2"], RawDoc), "the next line is still read"
    sur = items[f"{tmp_path / 'rec.jsonl'}:1"]
    assert isinstance(sur, RawDoc) and "\ufffd" in sur.text and sur.text.encode("utf-8")
    assert "field 'id' is a list" in items[f"{tmp_path / 'rec.jsonl'}:2"].reason
    paras = items[f"{tmp_path / 'rec.jsonl'}:3"]
    assert paras.text == "فقرة أولى.\n\nفقرة ثانية." and paras.title == "عنوان فرعي" and paras.source == "SY24"
    assert "field 'source' is an object" in items[f"{tmp_path / 'rec.jsonl'}:4"].reason
    assert "field 'text' is an object" in items[f"{tmp_path / 'rec.jsonl'}:5"].reason
    assert isinstance(items[str(tmp_path / "z.txt")], RawDoc), "files after the bad ones are read"


def test_windows_1256_file_names_give_valid_ids_and_origins(tmp_path):
    name = os.fsencode(str(tmp_path)) + b"/" + "تقرير".encode("cp1256") + b".txt"
    with open(name, "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    (tmp_path / " .txt").write_text(GOOD, encoding="utf-8")
    docs = [i for i in load([tmp_path]) if isinstance(i, RawDoc)]
    assert sorted(d.id for d in docs)[1] == "تقرير" and all(d.origin.encode("utf-8") for d in docs)
    assert file_id(" .txt").startswith("file-")


def test_nul_bytes_are_treated_alike_wherever_they_are(tmp_path):
    early = (GOOD + "\x00" + GOOD).encode("utf-8")
    late = (GOOD * 400 + "\x00" + GOOD).encode("utf-8")
    assert b"\x00" in early[:8192] and b"\x00" not in late[:8192]
    (tmp_path / "early.txt").write_bytes(early)
    (tmp_path / "late.txt").write_bytes(late)
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    items = _by_origin(load([tmp_path]))
    assert isinstance(items[str(tmp_path / "early.txt")], RawDoc) and isinstance(items[str(tmp_path / "late.txt")], RawDoc)
    assert "binary" in items[str(tmp_path / "binary.txt")].reason


def test_symlink_loops_unreadable_folders_and_repeated_folders(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "locked").mkdir()
    (root / "locked" / "b.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("..", root / "sub" / "up")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads any folder, so the unreadable one is injected
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(load([root, root, root / "sub"]))
    errors = {i.origin: i.reason for i in items if isinstance(i, LoadError)}
    assert "symlink loop" in errors[str(root / "sub" / "up")]
    assert "cannot read this folder (Permission denied)" in errors[str(root / "locked")]
    assert [i.origin for i in items if isinstance(i, RawDoc)] == [str(root / "sub" / "a.txt")], "each file once"


def test_the_index_folder_and_the_tools_own_briefings_are_not_ingested(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "notes.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "briefings").mkdir()
    brief = "# Week\n\n1. **SY24**, 2021-02-25, «x» (`a`)\n   > quote one (chars 0-9)\n   > quote two (chars 10-19)\n"
    (tmp_path / "briefings" / "2021-W08.md").write_text(brief, encoding="utf-8")
    (tmp_path / "elsewhere.md").write_text(brief, encoding="utf-8")
    (tmp_path / "report.txt").write_text(GOOD, encoding="utf-8")
    items = list(load(["."], skip=[tmp_path / "index"]))
    assert [i.origin for i in items if isinstance(i, RawDoc)] == ["report.txt"]
    assert [(i.origin, "briefing written by `rag brief`" in i.reason) for i in items if isinstance(i, LoadError)] == [("elsewhere.md", True)]
    assert is_briefing(brief) and not is_briefing(GOOD)
