"""A real HTTP server on 127.0.0.1 serving a copy of tests/fixtures/web/site/, with the web faults.

Static files get ETag and Last-Modified and answer conditional GETs with 304; `{{BASE}}` in a file is
replaced by the server's own http://127.0.0.1:PORT. Fault routes: /fault/404, /fault/503,
/fault/slow (waits `slow_seconds` before answering), /fault/loop-a <-> /fault/loop-b (redirect loop),
/fault/report.pdf (application/pdf), /fault/huge.html (HTML past any small size limit, sent without a
Content-Length), /fault/huge-declared.html (the same with one),
/fault/gzip.html (a small gzip body that expands past the limit). Every request is logged with its
path and User-Agent, so tests can say which pages a run fetched.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "web"
TYPES = {".html": "text/html", ".xml": "application/xml", ".txt": "text/plain"}


class SiteServer:
    """Start with `with SiteServer(root) as site:`; `site.base` is http://127.0.0.1:PORT."""

    def __init__(self, root: Path, *, slow_seconds: float = 2.0):
        self.root = Path(root)
        self.slow_seconds = slow_seconds
        self.log: list[tuple[str, str, dict]] = []  # (path, user agent, conditional headers)
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                path = self.path.split("?")[0]
                with server.lock:
                    server.log.append((path, self.headers.get("User-Agent", ""),
                                       {k: v for k, v in self.headers.items() if k.lower().startswith("if-")}))
                route = getattr(server, "route_" + path.strip("/").replace("/", "_").replace("-", "_").replace(".", "_"), None)
                if route is not None:
                    return route(self)
                return server.static(self, path)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a client hanging up on a fault page is expected
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requested(self, prefix: str = "/") -> list[str]:
        """Paths requested so far under prefix, in order."""
        with self.lock:
            return [p for p, _, _ in self.log if p.startswith(prefix)]

    def clear(self) -> None:
        """Forget the request log."""
        with self.lock:
            self.log.clear()

    # -- static files with validators -----------------------------------------------------------

    def static(self, h: BaseHTTPRequestHandler, path: str) -> None:
        file = (self.root / path.lstrip("/")).resolve()
        if not str(file).startswith(str(self.root.resolve())) or not file.is_file():
            return self._send(h, 404, b"not found", "text/plain")
        body = file.read_bytes().replace(b"{{BASE}}", self.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(int(file.stat().st_mtime), usegmt=True)
        if h.headers.get("If-None-Match") == etag:
            return self._send(h, 304, b"", None, {"ETag": etag, "Last-Modified": modified})
        return self._send(h, 200, body, TYPES.get(file.suffix, "application/octet-stream"), {"ETag": etag, "Last-Modified": modified})

    @staticmethod
    def _send(h, status: int, body: bytes, ctype: str | None, headers: dict | None = None, length: bool = True) -> None:
        h.send_response(status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        if length:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if body:
            h.wfile.write(body)

    # -- faults ---------------------------------------------------------------------------------

    def route_fault_404(self, h):
        self._send(h, 404, b"<html><body>not here</body></html>", "text/html")

    def route_fault_503(self, h):
        self._send(h, 503, b"busy", "text/plain")

    def route_fault_slow(self, h):
        time.sleep(self.slow_seconds)
        self._send(h, 200, "<html><body><article><p>متأخر جدا</p></article></body></html>".encode(), "text/html")

    def route_fault_loop_a(self, h):
        self._send(h, 302, b"", None, {"Location": "/fault/loop-b"})

    def route_fault_loop_b(self, h):
        self._send(h, 302, b"", None, {"Location": f"{self.base}/fault/loop-a"})

    def route_fault_report_pdf(self, h):
        self._send(h, 200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")

    def route_fault_huge_html(self, h):
        body = ("<html><body><article>" + "<p>" + "كلمة " * 400 + "</p>" * 1 + "</article></body></html>").encode() * 40
        self._send(h, 200, body, "text/html; charset=utf-8", length=False)

    def route_fault_gzip_html(self, h):
        body = gzip.compress(b"<html><body>" + b"<p>a</p>" * 60_000 + b"</body></html>")  # 0.5 MB packed into ~1 KB
        self._send(h, 200, body, "text/html", {"Content-Encoding": "gzip"})

    def route_fault_huge_declared_html(self, h):
        body = b"<html><body>" + b"x" * 400_000 + b"</body></html>"
        self._send(h, 200, body, "text/html")


def copy_site(dest: Path) -> Path:
    """A private, writable copy of the fixture site (tests change pages and feeds in it)."""
    shutil.copytree(FIXTURES / "site", dest)
    return dest
