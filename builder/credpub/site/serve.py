"""`credpub serve`: site/ on 127.0.0.1 with the headers a static host sends.

Like GitHub Pages: correct MIME types, `index.html` for folders, a redirect from `/x` to `/x/`,
the site's `404.html`, no directory listings, `Access-Control-Allow-Origin: *` (so other
verifiers can fetch did.json and status lists). Like a careful host: the headers of the
site's `_headers` file (hostfiles.RULES: frame-ancestors 'none', X-Frame-Options, no referrer,
noindex for claim and share pages), and the page's Content-Security-Policy as a header too.
"""

from __future__ import annotations

import functools
import http.server
import os
import posixpath
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from credpub import layout
from credpub.errors import UsageError
from credpub.site.csp import served_csp
from credpub.site.hostfiles import headers_for

MIME = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
}

class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder read-only; GET and HEAD only."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME}
    def version_string(self) -> str:
        return "credpub"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        path = posixpath.normpath(unquote(urlsplit(self.path).path))
        prefix = getattr(self.server, "site_prefix", "/")
        if prefix != "/" and (path + "/").startswith(prefix):
            path = "/" + path[len(prefix):]
        if urlsplit(self.path).path.endswith("/") and not path.endswith("/"):
            path += "/"  # normpath drops it; "verify/" and "c/<token>/" are folders
        headers = {**headers_for(path.lstrip("/")), "Access-Control-Allow-Origin": "*"}  # as GitHub Pages
        headers["Content-Security-Policy"] = served_csp(path)
        headers["Cache-Control"] = "max-age=600"
        for name, value in headers.items():
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path):  # noqa: ANN001, ANN201 - no listings, as on GitHub Pages
        self.send_site_404()
        return None

    def send_head(self):  # noqa: ANN201
        fs_path = self.translate_path(self.path)
        if os.path.isdir(fs_path):
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the stdlib redirects /x → /x/
            if not os.path.isfile(os.path.join(fs_path, "index.html")):
                self.send_site_404()
                return None
        elif not os.path.isfile(fs_path):
            self.send_site_404()
            return None
        return super().send_head()

    def send_site_404(self) -> None:
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        # The stdlib's, minus its tolerance of odd segments: only plain names below the root.
        # The site also answers under its published sub-path (/certs/… as on GitHub Pages), so
        # that absolute links, which only the 404 page has, work locally too.
        path = posixpath.normpath(unquote(urlsplit(path).path))
        prefix = getattr(self.server, "site_prefix", "/")
        if prefix != "/" and (path + "/").startswith(prefix):
            path = "/" + path[len(prefix):]
        parts = [p for p in path.split("/") if p and p not in (".", "..")]
        out = os.path.join(self.directory, *parts)
        return out + "/" if urlsplit(self.path).path.endswith("/") else out

    def do_POST(self) -> None:  # noqa: N802
        self.send_error(405)

    do_PUT = do_DELETE = do_PATCH = do_POST  # noqa: N815


def make_server(site_dir: Path, port: int = 8000, host: str = "127.0.0.1",
                verbose: bool = False) -> http.server.ThreadingHTTPServer:
    site_dir = Path(site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        raise UsageError(f"{site_dir}: no index.html here; run `credpub build` first")
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    server.site_prefix = site_prefix(site_dir)  # type: ignore[attr-defined]
    return server


def site_prefix(site_dir: Path) -> str:
    """The path the site is published under ("/certs/"), read from the robots.txt render.py
    writes ("Disallow: /certs/c/"); "/" when unknown."""
    try:
        text = (site_dir / "robots.txt").read_text(encoding="utf-8")
    except OSError:
        return "/"
    m = re.search(rf"^Disallow: (/\S*?){re.escape(layout.CLAIM_PAGES)}$", text, re.M)
    return m.group(1) if m else "/"


def serve(site_dir: Path, port: int = 8000, *, host: str = "127.0.0.1", verbose: bool = True) -> None:
    """Serve `site_dir` until interrupted (Ctrl-C). Only on loopback unless `host` says otherwise."""
    run(make_server(site_dir, port, host, verbose))


def base_url(server: http.server.ThreadingHTTPServer) -> str:
    """The site's address on this server, under its published path ("http://127.0.0.1:8000/certs/")."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{getattr(server, 'site_prefix', '/')}"


def run(server: http.server.ThreadingHTTPServer) -> None:
    """Serve until interrupted (Ctrl-C), then close."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_in_thread(site_dir: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a free port in a daemon thread: (server, base URL). For tests and pdf.py."""
    server = make_server(site_dir, port, verbose=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
