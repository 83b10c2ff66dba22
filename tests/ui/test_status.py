"""Status facts: LLM endpoint probe against a real local server, default briefing week."""

from __future__ import annotations

import socket
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

from rag.ui.status import default_week, probe_llm, week_choices


class _Models(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200 if self.path.endswith("/v1/models") else 404)
        self.end_headers()
        self.wfile.write(b'{"data": []}')

    def log_message(self, *args):
        pass


def test_probe_llm_reports_reachable_and_unreachable_endpoints():
    server = HTTPServer(("127.0.0.1", 0), _Models)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert probe_llm(f"http://127.0.0.1:{server.server_port}/v1/").startswith("reachable (HTTP 200")
    finally:
        server.shutdown()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert probe_llm(f"http://127.0.0.1:{port}/v1").startswith("NOT reachable")
    assert probe_llm(None) is None


def test_default_week_is_the_latest_complete_one():
    assert default_week(date(2021, 2, 25)) == "2021-W07"  # a Thursday: its week is not over
    assert default_week(date(2021, 2, 28)) == "2021-W08"  # a Sunday closes its week
    assert default_week(None) is None


def test_week_choices_count_day_dated_articles_newest_first():
    rows = [{"date": "2021-02-25", "date_precision": "day"}, {"date": "2021-02-24", "date_precision": "day"},
            {"date": "2020-10-22", "date_precision": "day"}, {"date": "2021-02", "date_precision": "month"},
            {"date": None, "date_precision": "unknown"}]
    assert week_choices(rows, "2021-W07") == [
        ("2021-W08 (2 dated articles)", "2021-W08"),
        ("2021-W07 (0 dated articles)", "2021-W07"),
        ("2020-W43 (1 dated article)", "2020-W43"),
    ]


def test_default_briefing_week_is_the_latest_with_day_dated_reports():
    from rag.ui.status import latest_dated_week

    rows = [{"date": "2021-02-25", "date_precision": "day"}, {"date": "2021-03", "date_precision": "month"},
            {"date": "2020-10-22", "date_precision": "day"}, {"date": None, "date_precision": "unknown"}]
    assert latest_dated_week(rows) == "2021-W08"  # not 2021-W07, the empty "latest complete week"
    assert latest_dated_week([{"date": None}]) is None
