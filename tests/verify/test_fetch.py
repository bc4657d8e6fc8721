"""fetch.py: every GET of the verifier and of doctor is bounded, against a hostile host on this
machine (loopback, one thread per request): a drip is cut off at the request's deadline, a huge
or endless body at the size cap, a run at its request count and time; a URL that is not one is
refused before any connection. The limits are small here, injected."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time

import pytest

from credpub.verify import Resolver, verify_document
from credpub.verify import fetch
from credpub.verify.fetch import Budget, Limits, Unavailable

SMALL = Limits(max_bytes=10_000, request_seconds=0.5, run_seconds=5, max_requests=20)


class Hostile:
    """A loopback HTTP server whose answer per path is `routes[path](handler)`; 404 elsewhere."""

    def __init__(self, routes: dict) -> None:
        self.routes, self.hits = routes, []
        hostile = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                hostile.hits.append(self.path)
                route = hostile.routes.get(self.path) or hostile.routes.get("*")
                try:
                    if route is None:
                        self.send_error(404)
                    else:
                        route(self)
                except OSError:
                    pass  # the client gave up (broken pipe, reset, TLS EOF): as it should

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *a: None  # a client that hangs up is the point, not news
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> "Hostile":
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.server.shutdown()
        self.server.server_close()


def _json(doc, status: int = 200):
    body = json.dumps(doc).encode()

    def answer(h) -> None:  # noqa: ANN001
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Access-Control-Allow-Origin", "*")
        h.end_headers()
        h.wfile.write(body)
    return answer


def _drip_body(h) -> None:  # noqa: ANN001
    """200 and a 10-second body, one byte every 50 ms: each read is quick, the whole is not."""
    h.send_response(200)
    h.send_header("Content-Length", "200")
    h.end_headers()
    for _ in range(200):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.05)


def _drip_headers(h) -> None:  # noqa: ANN001
    """The status line and headers themselves, one byte every 50 ms."""
    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 200 + b"\r\nContent-Length: 2\r\n\r\n{}":
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.05)


def _huge_declared(h) -> None:  # noqa: ANN001
    h.send_response(200)
    h.send_header("Content-Length", str(4 * 1024 * 1024 * 1024))
    h.end_headers()
    h.wfile.write(b"x" * 65536)


def _endless(h) -> None:  # noqa: ANN001
    """No length, a body without end."""
    h.send_response(200)
    h.send_header("Connection", "close")
    h.end_headers()
    while True:
        h.wfile.write(b"[" * 65536)


@pytest.mark.parametrize("route", [_drip_body, _drip_headers])
def test_a_drip_is_cut_off_at_the_request_deadline_not_read_to_its_end(route):
    with Hostile({"/slow": route}) as host:
        with pytest.raises(Unavailable, match="no complete answer within 0.5 s"):
            fetch.get(host.base + "slow", Budget(SMALL))


@pytest.mark.parametrize("route, words", [(_huge_declared, "larger than 10000 bytes (4294967296): not read"),
                                          (_endless, "larger than 10000 bytes: not read further")])
def test_a_huge_or_endless_body_is_refused_at_the_size_cap(route, words):
    with Hostile({"/big": route}) as host:
        with pytest.raises(Unavailable, match=re.escape(words)):
            fetch.get(host.base + "big", Budget(SMALL))
        # one byte under the cap is read whole
        host.routes["/fits"] = _json("x" * (SMALL.max_bytes - 3))
        assert len(fetch.get(host.base + "fits", Budget(SMALL)).body) == SMALL.max_bytes - 1


def test_a_run_stops_at_its_request_count_and_its_time():
    budget = Budget(Limits(max_bytes=1000, request_seconds=1, run_seconds=60, max_requests=3))
    with Hostile({"*": _json({})}) as host:
        for n in range(3):
            assert fetch.get(f"{host.base}{n}", budget).status == 200
        with pytest.raises(Unavailable, match="has made its 3 requests"):
            fetch.get(host.base + "3", budget)
        assert len(host.hits) == 3
        spent = Budget(Limits(run_seconds=10), started=time.monotonic() - 11)
        with pytest.raises(Unavailable, match="10 s are used up"):
            fetch.get(host.base + "x", spent)
        assert len(host.hits) == 3
    # a request never outlives its run
    late = Budget(Limits(request_seconds=100, run_seconds=10), started=time.monotonic() - 9)
    assert late.start("u") <= late.started + 10


def test_a_credential_with_endless_status_entries_makes_at_most_the_runs_requests():
    with Hostile({"*": _json({"type": ["BitstringStatusListCredential"]})}) as host:
        doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
               "issuer": "did:example:x", "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {},
               "credentialStatus": [{"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                                     "statusListIndex": str(n), "statusListCredential": f"{host.base}status/{n}.json"}
                                    for n in range(50)]}
        result = verify_document(doc, Resolver(budget=Budget(Limits(max_requests=5))))
        assert len(host.hits) == 5
        assert result.check("status").status != "pass"


@pytest.mark.parametrize("url, words", [
    ("https://exa mple.org/status/1.json", "it contains a space"),
    ("https://example.org/sta\ttus/1.json", "it contains a tab"),
    ("https://example.org/\x00", "U+0000"),
    ("https://example.org:99999/status/1.json", "its port is not a number"),
    ("https://example.org:x/status/1.json", "its port is not a number"),
    ("https:///status/1.json", "with a host"),
    ("http://example.org/status/1.json", "only https URLs are fetched"),
])
def test_a_url_that_is_not_one_is_refused_before_any_connection(url, words):
    budget = Budget(SMALL)
    with pytest.raises(Unavailable, match=re.escape(words)):
        fetch.get(url, budget)
    assert budget.requests == 0


def test_plain_http_is_fetched_on_this_machine_only():
    for url in ("http://127.0.0.1:8000/x", "http://localhost/x", "http://[::1]:8000/x", "http://127.1.2.3/x"):
        assert fetch.url_problem(url) is None, url
    for url in ("http://example.org/x", "http://10.0.0.1/x", "http://127.0.0.1.example.org/x"):
        assert "only https" in fetch.url_problem(url), url


def test_a_redirect_off_what_is_allowed_is_not_followed():
    def elsewhere(h) -> None:  # noqa: ANN001
        h.send_response(302)
        h.send_header("Location", "http://example.org/did.json")
        h.send_header("Content-Length", "0")
        h.end_headers()

    with Hostile({"/r": elsewhere}) as host:
        with pytest.raises(Unavailable, match="only https"):
            fetch.get(host.base + "r", Budget(SMALL))


def _self_signed(tmp_path):
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return tmp_path / "cert.pem", tmp_path / "key.pem"


def test_over_tls_a_drip_is_cut_off_too_and_a_good_answer_read(tmp_path, monkeypatch):
    import ssl

    cert, key = _self_signed(tmp_path)
    with Hostile({"/ok": _json({"ok": True}), "/slow": _drip_body}) as host:
        server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_tls.load_cert_chain(cert, key)
        host.server.socket = server_tls.wrap_socket(host.server.socket, server_side=True)
        base = host.base.replace("http://", "https://")
        with pytest.raises(Unavailable, match="certificate verify failed"):  # the system's CAs: not trusted
            fetch.get(base + "ok", Budget(SMALL))
        trusting = ssl.create_default_context(cafile=str(cert))
        trusting.sslsocket_class = fetch._tls_context().sslsocket_class  # the deadline-bound TLS socket
        monkeypatch.setattr(fetch, "_tls_context", lambda: trusting)
        assert json.loads(fetch.get(base + "ok", Budget(SMALL)).body) == {"ok": True}
        with pytest.raises(Unavailable, match="no complete answer within 0.5 s"):
            fetch.get(base + "slow", Budget(SMALL))
