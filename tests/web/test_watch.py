"""`rag watch` and `rag ingest URL` end to end: the fixture site on 127.0.0.1, a real Chroma index, the bundled embedder."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from rag.cli import main
from rag.embeddings import make_embedder
from rag.settings import Settings
from rag.store import Store
from rag.web.state import WebState

from .site_server import FIXTURES

# Expected per article page: (date, precision, date_source, outlet) for each fixture date form.
EXPECTED = {
    "/news/ghouta-aid.html": ("2018-03-15", "day", "meta", "BBC Arabic"),  # article:published_time; RSS outlet
    "/news/tillerson.html": ("2018-02-14", "day", "json-ld", "BBC Arabic"),  # JSON-LD, Windows-1256
    "/news/alexandria.html": ("2018-03-24", "day", "feed", "BBC Arabic"),  # RSS pubDate only
    "/news/train-collision.html": ("2018-02-28", "day", "feed", "Al Arabiya"),  # Atom published only; Atom outlet
    "/news/2018/03/13/gaza-convoy.html": ("2018-03-13", "day", "url", "127.0.0.1"),  # URL path; no outlet anywhere: host
    "/news/plane-crash.html": ("2018-03-11", "day", "sitemap", "127.0.0.1"),  # news sitemap publication_date
    "/news/damascus-market.html": ("2018-03-20", "day", "text", "Syria TV"),  # dateline in the text; section outlet
}
FAULTS = {  # URL path -> reason reported
    "/fault/404": "HTTP 404 Not Found: the page is gone",
    "/fault/503": "HTTP 503 Service Unavailable: the server failed; will retry next run",
    "/fault/slow": "timed out after 1 s",
    "/fault/loop-a": "redirect loop",
    "/fault/report.pdf": r"not an HTML page \(application/pdf\)",
    "/fault/huge.html": "page grew over the 0.1 MB limit",
    "/private/secret.html": "disallowed by .*/robots.txt",
    "/news/empty.html": "no main text found",
    "/feeds/broken.xml": "malformed feed",
}
FEEDS = """
[[feed]]
name = "BBC Arabic RSS"
url = "{base}/feeds/rss.xml"
outlet = "BBC Arabic"

[[feed]]
name = "Atom"
url = "{base}/feeds/atom.xml"
outlet = "Al Arabiya"

[[feed]]
url = "{base}/sitemap-index.xml"

[[feed]]
name = "Syria section"
url = "{base}/section/syria.html"
kind = "section"
include = "/news/"
outlet = "تلفزيون سوريا"

[[feed]]
name = "broken"
url = "{base}/feeds/broken.xml"
"""


@pytest.fixture
def env(monkeypatch, tmp_path):
    """What a user would set: the index folder and short web limits (no wait between requests)."""
    monkeypatch.setenv("RAG_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RAG_WEB_MIN_INTERVAL", "0")
    monkeypatch.setenv("RAG_WEB_TIMEOUT", "1")
    monkeypatch.setenv("RAG_WEB_MAX_PAGE_MB", "0.1")
    return tmp_path


def _store(index) -> Store:
    s = Settings.load("/nonexistent.toml")
    s.store.index_dir = index
    return Store(s.store, make_embedder(s.embed.embedder), create=False)


def _articles(index) -> dict[str, dict]:
    """Indexed articles by URL path, each row with its 'id'."""
    return {urlsplit(row["url"]).path: {**row, "id": aid} for aid, row in _store(index).articles().items()}


def _run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def test_watch_twice_indexes_only_new_and_changed_pages(site, env, capsys):
    feeds = env / "feeds.toml"
    feeds.write_text(FEEDS.format(base=site.base), encoding="utf-8")

    code, out = _run(capsys, "watch", str(feeds), "--once", "--quiet")
    assert code == 0, out
    rows = _articles(env / "index")
    got = {path: (r["date"], r["date_precision"], r["date_source"], r["source"]) for path, r in rows.items()}
    assert got == EXPECTED
    assert "ingested 7 article(s)" in out
    for path, reason in FAULTS.items():  # each fault reported once, with its URL and reason
        assert len(re.findall(rf"failed: {re.escape(site.base + path)}: {reason}", out)) == 1, (path, out)
    assert re.search(r"failed \d+", out).group() == f"failed {len(FAULTS)}"
    assert "feed broken: not read (reason below)" in out
    print(out)
    state = json.loads((env / "index" / "web-state.json").read_text(encoding="utf-8"))
    assert state["pages"][site.base + "/news/alexandria.html"]["status"] == "indexed"
    assert state["pages"][site.base + "/fault/503"]["transient"] is True
    text_before = dict(rows)

    # Between runs: the RSS feed gains one article; an Atom entry is updated and its page corrected.
    (site.root / "feeds" / "rss.xml").write_bytes((FIXTURES / "rss-second-run.xml").read_bytes())
    atom = site.root / "feeds" / "atom.xml"
    atom.write_text(atom.read_text(encoding="utf-8").replace(
        "<updated>2018-02-28T15:37:16+02:00</updated>", "<updated>2018-02-28T18:00:00+02:00</updated>"), encoding="utf-8")
    page = site.root / "news" / "train-collision.html"
    correction = "تصحيح: ارتفع عدد القتلى إلى 18 شخصا بحسب وزارة الصحة."
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"<p>{correction}</p></article>"), encoding="utf-8")
    site.clear()

    code, out = _run(capsys, "watch", str(feeds), "--once", "--quiet")
    assert code == 0, out
    pages = {p for p in site.requested("/") if p.startswith(("/news/", "/fault/", "/private/"))}
    # Only the new page, the changed one, and the two transient faults (retried) are fetched again.
    assert pages == {"/news/activist.html", "/news/train-collision.html", "/fault/503", "/fault/slow"}
    assert "ingested 2 article(s)" in out and "replaced 1" in out
    assert "not modified since the last run" in out  # the sitemap index and the section page answered 304
    rows = _articles(env / "index")
    assert len(rows) == 8 and text_before.keys() <= rows.keys()
    activist = rows["/news/activist.html"]
    assert (activist["date"], activist["date_source"], activist["source"]) == ("2018-03-01", "meta", "BBC Arabic")
    store = _store(env / "index")
    train = rows["/news/train-collision.html"]
    assert correction in store.article_text(train["id"])
    chunks = store.chunks_of([train["id"]])
    assert any(correction in c.text for c in chunks) and len(chunks) == train["chunks"]  # old chunks replaced, not added to


def test_ingest_article_url_then_again_is_not_modified(site, env, capsys):
    url = f"{site.base}/news/ghouta-aid.html?utm_source=whatsapp"
    code, out = _run(capsys, "ingest", url, "--quiet")
    assert code == 0 and "ingested 1 article(s)" in out, out
    row = _articles(env / "index")["/news/ghouta-aid.html"]
    assert (row["date"], row["date_source"], row["source"]) == ("2018-03-15", "meta", "BBC Arabic")  # outlet from og:site_name
    site.clear()
    code, out = _run(capsys, "ingest", url, "--quiet")
    assert code == 0 and "1 page(s) not modified since the last fetch (HTTP 304)" in out and "ingested 0 article(s)" in out, out
    assert site.log[-1][2].get("If-None-Match")


def test_ingest_bad_urls_reports_each_and_keeps_the_index(site, env, capsys):
    code, out = _run(capsys, "ingest", f"{site.base}/fault/404", f"{site.base}/fault/report.pdf", "--quiet")
    assert code == 1
    assert f"failed: {site.base}/fault/404: HTTP 404" in out and f"failed: {site.base}/fault/report.pdf: not an HTML page" in out
    code, out = _run(capsys, "ingest", f"{site.base}/feeds/atom.xml", "--quiet")  # a feed URL: its articles
    assert code == 0 and "ingested 2 article(s)" in out, out
    assert set(_articles(env / "index")) == {"/news/train-collision.html", "/news/ghouta-aid.html"}


def test_watch_feeds_file_errors_name_the_file(env, capsys):
    bad = env / "feeds.toml"
    bad.write_text('[[feed]]\nname = "no url"\n', encoding="utf-8")
    code, out = _run(capsys, "watch", str(bad))
    assert code == 2 and f"{bad}: [[feed]] #1: needs url" in out


def test_broken_state_file_is_reported(site, env, capsys):
    (env / "index").mkdir()
    (env / "index" / "web-state.json").write_text("{not json", encoding="utf-8")
    code, out = _run(capsys, "ingest", f"{site.base}/news/alexandria.html")
    assert code == 2 and "web-state.json: web state file is not valid JSON" in out and "move it aside" in out


def test_state_round_trip(tmp_path):
    state = WebState.load(tmp_path / "s.json")
    state.record_page("https://a/1", status="failed", reason="HTTP 503", transient=True)
    state.record_page("https://a/1", status="failed", reason="HTTP 503", transient=True)
    state.save()
    again = WebState.load(tmp_path / "s.json")
    assert again.pages["https://a/1"]["attempts"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary file left


def test_transient_faults_are_retried_a_bounded_number_of_times_even_when_the_feed_is_unchanged(site, env, capsys):
    feeds = env / "feeds.toml"
    feeds.write_text(f'[[feed]]\nurl = "{site.base}/feeds/faults.xml"\n', encoding="utf-8")
    rss = (site.root / "feeds" / "rss.xml").read_text(encoding="utf-8")
    items = re.findall(r"<item>.*?</item>", rss)
    (site.root / "feeds" / "faults.xml").write_text(rss.replace("".join(items), "".join(i for i in items if "/fault/503" in i or "/fault/404" in i)), encoding="utf-8")
    fetched = []
    for _ in range(4):
        site.clear()
        code, out = _run(capsys, "watch", str(feeds), "--quiet")
        fetched.append(sorted(p for p in site.requested("/fault/")))
    assert fetched == [["/fault/404", "/fault/503"], ["/fault/503"], ["/fault/503"], []]  # RAG_WEB_RETRIES = 3 attempts in all
    assert "not modified since the last run" in out


def test_every_runs_again_after_the_interval_and_rereads_the_feeds_file(site, env, settings):
    import io

    from rag.web.watch import parse_every, watch

    assert [parse_every(v) for v in ("90", "30m", "1h", "1.5h", "1d")] == [90, 1800, 3600, 5400, 86400]
    for bad in ("10s", "hourly", ""):
        with pytest.raises(ValueError, match="--every"):
            parse_every(bad)
    feeds = env / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "broken"\nurl = "{site.base}/feeds/broken.xml"\n', encoding="utf-8")
    waits, out = [], io.StringIO()

    def sleep(seconds):  # between runs: record the wait, and add a feed the next run must read
        waits.append(seconds)
        feeds.write_text(feeds.read_text(encoding="utf-8") + f'\n[[feed]]\nname = "faults"\nurl = "{site.base}/feeds/none.xml"\n', encoding="utf-8")

    store = Store(settings.store, make_embedder(settings.embed.embedder))
    code = watch(feeds, store, settings, every=3600, out=out, sleep=sleep, runs=2)
    assert code == 1  # no feed could be read
    assert len(waits) == 1 and 3500 < waits[0] <= 3600
    runs = out.getvalue().split("\n[")
    assert len(runs) == 2 and "feed faults" not in runs[0] and "none.xml: HTTP 404" in runs[1]
