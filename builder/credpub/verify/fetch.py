"""Bounded HTTP GETs, for the verifier and `credpub doctor`: whatever a host does, a request
ends by its deadline and a run by its own (deadlines, not per-read timeouts: a host dripping a
byte every second is cut off all the same), a response is at most `max_bytes`, a run makes at
most `max_requests` requests, and a URL is checked before any connection is made. The limits
are verifier.json "fetch" (the browser verifier reads the same); tests inject small ones."""

from __future__ import annotations

import functools
import http.client
import ipaddress
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from credpub import rules


class Unavailable(Exception):
    """A document could not be had: offline, not found, unreachable, or past a limit."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = rules.FETCH["maxBytes"]
    request_seconds: float = rules.FETCH["requestSeconds"]
    run_seconds: float = rules.FETCH["runSeconds"]
    max_requests: int = rules.FETCH["maxRequests"]


@dataclass
class Budget:
    """What one run (one `verify`, one `doctor`) may still fetch: requests and time."""

    limits: Limits = field(default_factory=Limits)
    requests: int = 0
    started: float = field(default_factory=time.monotonic)

    def start(self, url: str) -> float:
        """Counts a request; its deadline (monotonic), or Unavailable once the run is spent."""
        lim = self.limits
        now, end = time.monotonic(), self.started + lim.run_seconds
        if self.requests >= lim.max_requests:
            raise Unavailable(f"{url}: not fetched: this run has made its {lim.max_requests} requests")
        if now >= end:
            raise Unavailable(f"{url}: not fetched: this run's {lim.run_seconds:g} s are used up")
        self.requests += 1
        return min(now + lim.request_seconds, end)


def is_loopback(url: str) -> bool:
    """A URL on this machine (127.0.0.0/8, ::1, localhost): plain http is allowed there only."""
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def malformed(url: str) -> str | None:
    """Why `url` is not a URL at all (None when it is one): printable ASCII only (a space or a
    control character is not a URL, whatever http.client would make of it), an http(s) scheme,
    a host, a port that is a port."""
    bad = re.search(r"[^\x21-\x7e]", url)
    if bad:
        ch = bad.group()
        return f"not a valid URL: it contains {_NAMES.get(ch, f'the character U+{ord(ch):04X}')}"
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not one
    except ValueError:
        return "not a valid URL: its port is not a number from 0 to 65535"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not a valid URL: an http(s) URL with a host is needed"
    return None


def url_problem(url: str) -> str | None:
    """Why `url` is not fetched (None when it is): malformed, or plain http off this machine."""
    problem = malformed(url)
    if problem is None and urlsplit(url).scheme == "http" and not is_loopback(url):
        return "only https URLs are fetched (plain http only on this machine: 127.0.0.1, localhost)"
    return problem


def check_url(url: str) -> str:
    problem = url_problem(url)
    if problem:
        raise Unavailable(f"{url}: {problem}")
    return url


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class _DeadlineSocket(socket.socket):
    """A socket whose every read waits only for what is left of the request's deadline."""

    deadline: float | None = None

    def _arm(self) -> None:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no complete answer in time")
            self.settimeout(left)

    def recv(self, *a, **k):  # noqa: ANN002, ANN003, ANN201 - socket's
        self._arm()
        return super().recv(*a, **k)

    def recv_into(self, *a, **k):  # noqa: ANN002, ANN003, ANN201
        self._arm()
        return super().recv_into(*a, **k)


class _DeadlineSSLSocket(ssl.SSLSocket):
    deadline: float | None = None
    _arm = _DeadlineSocket._arm

    def recv(self, *a, **k):  # noqa: ANN002, ANN003, ANN201
        self._arm()
        return super().recv(*a, **k)

    def recv_into(self, *a, **k):  # noqa: ANN002, ANN003, ANN201
        self._arm()
        return super().recv_into(*a, **k)


def _connection_class(base: type, deadline: float) -> type:
    class Connection(base):  # type: ignore[misc, valid-type]
        def __init__(self, *a, **k) -> None:  # noqa: ANN002, ANN003
            super().__init__(*a, **k)
            self._create_connection = self._connect_by_deadline

        def _connect_by_deadline(self, address, timeout=None, source_address=None):  # noqa: ANN001, ANN202
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer in time")
            raw = socket.create_connection(address, left, source_address)
            sock = _DeadlineSocket(raw.family, raw.type, raw.proto, fileno=raw.detach())
            sock.deadline = deadline
            sock._arm()  # the TLS handshake runs on this timeout, as one deadline
            return sock

        def connect(self) -> None:
            super().connect()
            self.sock.deadline = deadline  # the TLS socket wrapped around it

    return Connection


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def __init__(self, allow: Callable[[str], bool]) -> None:
        self.allow = allow

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - the stdlib's
        problem = url_problem(newurl) or (None if self.allow(newurl) else "off the site (not followed)")
        if problem:
            raise urllib.error.HTTPError(newurl, code, f"redirects to {newurl}: {problem}", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One for the process: loading the system's CA certificates takes a while."""
    context = ssl.create_default_context()
    context.sslsocket_class = _DeadlineSSLSocket
    return context


def _opener(deadline: float, allow: Callable[[str], bool]) -> urllib.request.OpenerDirector:
    context = _tls_context()
    plain, tls = _connection_class(http.client.HTTPConnection, deadline), _connection_class(http.client.HTTPSConnection, deadline)

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req):  # noqa: ANN001, ANN201
            return self.do_open(plain, req)

    class Tls(urllib.request.HTTPSHandler):
        def https_open(self, req):  # noqa: ANN001, ANN201
            return self.do_open(tls, req, context=context)

    return urllib.request.build_opener(Plain(), Tls(context=context), _Redirects(allow))


def get(url: str, budget: Budget, *, headers: dict[str, str] | None = None,
        allow_redirect: Callable[[str], bool] = lambda _url: True) -> Response:
    """GET `url` within the budget: the response (any HTTP status, the body read only on 200),
    else Unavailable with a one-line reason. Never raises anything else."""
    check_url(url)
    limit = budget.limits.max_bytes
    deadline = budget.start(url)
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener(deadline, allow_redirect).open(req) as r:  # noqa: S310 (checked above)
            declared = r.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise Unavailable(f"{url}: larger than {limit} bytes ({declared}): not read")
            body = bytearray()
            while len(body) <= limit:
                chunk = r.read(min(65536, limit + 1 - len(body)))
                if not chunk:
                    break
                body += chunk
            status, got = r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        if e.code in range(300, 400) and e.msg and "redirects to" in str(e.msg):
            raise Unavailable(f"{url}: {e.msg}") from None
        got = {k.lower(): v for k, v in e.headers.items()} if e.headers else {}
        e.close()  # its body is not read
        return Response(url, e.code, got, b"")
    except Unavailable:
        raise
    except (TimeoutError, socket.timeout):
        raise Unavailable(f"{url}: no complete answer within {budget.limits.request_seconds:g} s") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise Unavailable(f"{url}: no complete answer within {budget.limits.request_seconds:g} s") from None
        raise Unavailable(f"{url}: {reason}") from None
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise Unavailable(f"{url}: {type(e).__name__}: {e}" if not str(e) else f"{url}: {e}") from None
    if len(body) > limit:
        raise Unavailable(f"{url}: larger than {limit} bytes: not read further")
    return Response(url, status, got, bytes(body))
