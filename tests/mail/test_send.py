"""credpub send: each graduate's claim link by SMTP, exactly once.

A real SMTP server (aiosmtpd on 127.0.0.1, in a thread) records what it accepts; failures are
injected in its handler (451, a dropped connection, 550 for one address, a blocked reply while
the sending process is killed). After any interruption a rerun brings the total to exactly one
message per award. Also: AUTH, STARTTLS and TLS with a certificate made here, the message
itself (.eml of --dry-run: structure, inline badge, claim link, non-ASCII and hostile names),
the journal (torn lines, lock), the settings, and errors before anything is sent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email
import email.header
import email.policy
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import threading
from collections import Counter
from email.headerregistry import Address
from pathlib import Path

import pytest
from credpub.mail import headers, message as mail, mime
from credpub.build import pipeline
from credpub.errors import UsageError
from credpub.credentials.keys import Keys
from credpub.mail.outbox import JournalError, Outbox
from credpub.errors import SendAborted, SiteNotBuiltError, SmtpAuthError, SmtpConfigError
from credpub.mail.send import PlainProgress, run_send, send_all
from credpub.content.load import load_site
from credpub.mail.settings import SmtpSettings, smtp_settings
from credpub.model import SmtpConfig, Source
from credpub.mail.transport import PermanentFailure, SmtpTransport
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from tests.conftest import REPO, context

aiosmtpd_smtp = pytest.importorskip("aiosmtpd.smtp")

SITE_URL = "https://baltic-precision.github.io/credentials/"
CLAIM = re.compile(re.escape(SITE_URL) + r"c/([A-Za-z0-9_-]{27})/")
REVOKED_EMAIL = "dovydas.petrauskas@example.lt"


# -- fixtures: one built demo site for the module --------------------------------------------------

def _fixture_keys() -> Keys:
    """The same key material as conftest's `keys` fixture (module scope cannot use that one)."""
    return Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("send")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    site = root / "site"
    pipeline.build(context(content, keys=_fixture_keys()), pipeline.BuildOptions(site))
    return content, site


@pytest.fixture
def the_plan(built, keys):
    content, _ = built
    return pipeline.plan_content(context(content, keys=keys))


@pytest.fixture
def awards(the_plan):
    """(claim token → planned award) of every award that must get a message (not revoked)."""
    return {p.claim_token: p for p in the_plan.awards if p.revocation is None}


# -- an SMTP server in a thread ----------------------------------------------------------------------

class Recorder:
    """aiosmtpd handler: keeps each message it accepts; `on_data(n)` (n = the number this message
    would have) may return a reply to send instead, "drop" to cut the connection, or "block" to
    hold the reply until `release` is set (then 451)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bytes, bool]] = []  # (rcpt, content, over TLS)
        self.rcpt_replies: dict[str, str] = {}
        self.on_data = None
        self.mail_commands = 0
        self.blocked = threading.Event()
        self.release = threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_commands += 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        action = self.on_data(len(self.messages) + 1) if self.on_data else None
        if action == "drop":
            server.transport.abort()
            return "451 dropped"
        if action == "block":
            self.blocked.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 not accepted"
        if action:
            return action
        self.messages.append((envelope.rcpt_tos[0], envelope.original_content, session.ssl is not None))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"

    def claim_tokens(self) -> Counter:
        return Counter(CLAIM.search(_text(raw)).group(1) for _, raw, _ in self.messages)


class Server:
    """aiosmtpd on 127.0.0.1, a free port, its own event loop thread."""

    def __init__(self, handler: Recorder, *, implicit_tls: ssl.SSLContext | None = None, **smtp_kwargs) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

        def factory():
            return aiosmtpd_smtp.SMTP(handler, hostname="localhost", loop=self.loop, **smtp_kwargs)

        async def start():
            return await self.loop.create_server(factory, "127.0.0.1", 0, ssl=implicit_tls)

        self.server = asyncio.run_coroutine_threadsafe(start(), self.loop).result(5)
        self.port = self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        async def stop():
            self.server.close()
            await self.server.wait_closed()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def smtp():
    servers = []

    def start(handler=None, **kwargs):
        handler = handler or Recorder()
        server = Server(handler, **kwargs)
        servers.append(server)
        return handler, server

    yield start
    for s in servers:
        s.close()


def _transport(server: Server, **kwargs) -> SmtpTransport:
    settings = SmtpSettings(host="127.0.0.1", port=server.port, security=kwargs.pop("security", "none"),
                            user=kwargs.pop("user", ""), password=kwargs.pop("password", ""), timeout=5)
    return SmtpTransport(settings, local_hostname="localhost", **kwargs)


def _send(the_plan, site, server, journal, sleeps=None, **kwargs):
    transport = kwargs.pop("transport", None) or _transport(server)
    return send_all(the_plan, site_dir=site, transport=transport, journal=journal,
                    sleep=(sleeps.append if sleeps is not None else (lambda s: None)), **kwargs)


def _text(raw: bytes) -> str:
    return email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",)).get_content()


def _journal_lines(journal: Path) -> list[dict]:
    return [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]


def _assert_exactly_once(handler: Recorder, awards: dict, site: Path) -> None:
    tokens = handler.claim_tokens()
    assert set(tokens) == set(awards), "every award that is not revoked gets a message, and only those"
    assert all(n == 1 for n in tokens.values()), [awards[t].award.learner_id for t, n in tokens.items() if n > 1]
    for rcpt, raw, _ in handler.messages:
        token = CLAIM.search(_text(raw)).group(1)
        assert rcpt == awards[token].award.email  # the link goes to the graduate it belongs to
        assert (site / "c" / token / "index.html").is_file()  # and it works


# -- sending ----------------------------------------------------------------------------------------

def test_each_graduate_gets_exactly_one_message_with_a_working_link(built, the_plan, awards, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    journal = tmp_path / "keys" / "outbox.jsonl"
    steps = []

    class Bar:
        def __init__(self, length, label):
            steps.append(("start", length, label))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def update(self, n):
            steps.append(n)

    report = _send(the_plan, site, server, journal, progress=Bar)
    assert report.ok and len(report.sent) == len(awards) == 29
    assert report.revoked == [("BP-2026-010", "cnc-five-axis")]
    _assert_exactly_once(handler, awards, site)
    assert REVOKED_EMAIL not in {m[0] for m in handler.messages}
    assert steps[0] == ("start", 29, "sending") and sum(steps[1:]) == 29
    # The journal: one fsync'ed line per accepted message, keyed by award, with the server's reply.
    lines = _journal_lines(journal)
    assert [(x["learner_id"], x["achievement"]) for x in lines] == [(d.learner_id, d.achievement) for d in report.sent]
    assert lines[0]["reply"].startswith("250 2.0.0 Ok: queued as") and lines[0]["message_id"] == report.sent[0].message_id
    assert (journal.parent / ".gitignore").read_text() == "*\n"  # a folder it made is never committed
    # A rerun sends nothing.
    again = _send(the_plan, site, server, journal)
    assert again.ok and not again.sent and len(again.already_sent) == 29 and len(handler.messages) == 29


def test_a_transient_451_is_retried_with_backoff(built, the_plan, awards, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    refusals = []

    def on_data(n):
        if n == 5 and len(refusals) < 2:
            refusals.append(n)
            return "451 4.7.1 greylisted, try again later"
        return None

    handler.on_data = on_data
    sleeps = []
    report = _send(the_plan, site, server, tmp_path / "outbox.jsonl", sleeps)
    assert report.ok and len(report.sent) == 29
    assert sleeps == [2.0, 4.0]  # exponential backoff, injected sleep
    _assert_exactly_once(handler, awards, site)


def test_failure_after_k_messages_then_a_rerun_completes_exactly_once(built, the_plan, awards, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    k = 9
    handler.on_data = lambda n: "drop" if n > k else None  # the server dies after k messages
    journal = tmp_path / "outbox.jsonl"
    sleeps = []
    with pytest.raises(SendAborted) as e:
        _send(the_plan, site, server, journal, sleeps)
    assert len(handler.messages) == k and len(_journal_lines(journal)) == k
    assert "run again" in str(e.value) and e.value.report.not_attempted == 29 - k - 5
    assert sleeps[:3] == [2.0, 4.0, 8.0]
    handler.on_data = None  # the server is back
    report = _send(the_plan, site, server, journal)
    assert report.ok and len(report.sent) == 29 - k and len(report.already_sent) == k
    _assert_exactly_once(handler, awards, site)


def test_a_server_answering_451_to_everything_fails_the_run_without_losing_anyone(built, the_plan, awards, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    handler.on_data = lambda n: "451 4.3.2 system not accepting messages" if n > 3 else None
    journal = tmp_path / "outbox.jsonl"
    with pytest.raises(SendAborted) as e:
        _send(the_plan, site, server, journal)
    report = e.value.report
    assert len(report.sent) == 3 and len(report.failed) == 5 and not any(f.permanent for f in report.failed)
    assert "451 4.3.2" in report.failed[0].reply and not report.ok
    handler.on_data = None
    _send(the_plan, site, server, journal)
    _assert_exactly_once(handler, awards, site)


def _write_keys(keys, folder):
    """The test keys as a key folder, for the real `credpub send` command."""
    from cryptography.hazmat.primitives import serialization

    folder.mkdir()
    (folder / "signing-key.pem").write_bytes(keys.signing_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (folder / "site-secret").write_text(keys.site_secret.hex())
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_mid_run_then_a_rerun_completes_exactly_once(built, the_plan, awards, smtp, tmp_path):
    content, site = built
    handler, server = smtp()
    k = 11
    handler.on_data = lambda n: "block" if n == k + 1 else None  # hold message k+1 unanswered …
    journal = tmp_path / "outbox.jsonl"
    keys_dir = _write_keys(_fixture_keys(), tmp_path / "keys")
    env = {**os.environ, "CREDPUB_SMTP_HOST": "127.0.0.1", "CREDPUB_SMTP_PORT": str(server.port),
           "CREDPUB_SMTP_SECURITY": "none", "CREDPUB_SMTP_FROM": "credentials@bpes.example.org"}
    for var in ("CREDPUB_SIGNING_KEY", "CREDPUB_SITE_SECRET", "CREDPUB_KEY_PASSPHRASE", "CREDPUB_SMTP_PASSWORD"):
        env.pop(var, None)
    # The real command, killed mid-run.
    proc = subprocess.Popen([sys.executable, "-m", "credpub", "send", "--content", str(content), "--site", str(site),
                             "--keys", str(keys_dir), "--journal", str(journal)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert handler.blocked.wait(30), proc.stderr.read1().decode() if proc.poll() is not None else "no message k+1"
        proc.send_signal(signal.SIGKILL)  # … and kill the sender while it waits for the reply
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    handler.release.set()
    handler.on_data = None
    assert len(handler.messages) == k and len(_journal_lines(journal)) == k
    report = _send(the_plan, site, server, journal)
    assert report.ok and len(report.sent) == 29 - k
    _assert_exactly_once(handler, awards, site)


def test_550_for_one_address_is_listed_and_the_others_are_delivered(built, the_plan, awards, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    bad = "ingrid.saether@example.no"
    handler.rcpt_replies[bad] = "550 5.1.1 <ingrid.saether@example.no>: Recipient address rejected: User unknown"
    report = _send(the_plan, site, server, tmp_path / "outbox.jsonl")
    assert not report.ok and len(report.sent) == 28
    [failure] = report.failed
    assert failure.permanent and failure.email == bad and failure.learner_id == "BP-2026-018"
    assert failure.reply.startswith("550 5.1.1") and "User unknown" in failure.reply
    text = "\n".join(report.summary_lines())
    assert "FAILED 1:" in text and bad in text and "550 5.1.1" in text
    assert bad not in {m[0] for m in handler.messages}
    assert len(_journal_lines(tmp_path / "outbox.jsonl")) == 28  # the failed one is tried again by a rerun


# -- TLS and authentication ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A CA and a server certificate for 127.0.0.1 and localhost, made here: (server ctx, client ctx)."""
    d = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "credpub test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(d / "cert.pem", d / "key.pem")
    client_ctx = ssl.create_default_context(cafile=str(d / "ca.pem"))
    return server_ctx, client_ctx


def _authenticator(attempts: list):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, auth_data):
        attempts.append(mechanism)
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"registrar" and auth_data.password == b"s3cret-\xc3\xa9"
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    return check


def test_starttls_and_auth_deliver(built, the_plan, awards, smtp, tls, tmp_path):
    _, site = built
    server_ctx, client_ctx = tls
    attempts = []
    handler, server = smtp(tls_context=server_ctx, require_starttls=True, auth_required=True,
                           authenticator=_authenticator(attempts))
    transport = _transport(server, security="starttls", user="registrar", password="s3cret-é", ssl_context=client_ctx)
    report = _send(the_plan, site, server, tmp_path / "outbox.jsonl", transport=transport)
    assert report.ok and len(report.sent) == 29 and transport.connections == 1
    assert all(over_tls for _, _, over_tls in handler.messages)
    _assert_exactly_once(handler, awards, site)


def test_a_wrong_password_stops_at_once_and_sends_nothing(built, the_plan, smtp, tls, tmp_path):
    _, site = built
    server_ctx, client_ctx = tls
    attempts = []
    handler, server = smtp(tls_context=server_ctx, require_starttls=True, auth_required=True,
                           authenticator=_authenticator(attempts))
    transport = _transport(server, security="starttls", user="registrar", password="wrong", ssl_context=client_ctx)
    sleeps = []
    journal = tmp_path / "outbox.jsonl"
    with pytest.raises(SmtpAuthError) as e:
        _send(the_plan, site, server, journal, sleeps, transport=transport)
    message = str(e.value)
    assert "refused the login for 'registrar'" in message and "535" in message and "CREDPUB_SMTP_PASSWORD" in message
    assert "0 sent before this" in message and "29 not attempted" in message
    assert handler.messages == [] and handler.mail_commands == 0 and sleeps == [] and transport.connections == 0
    assert len(attempts) <= 2  # one login (smtplib tries PLAIN, then LOGIN), no retry
    assert _journal_lines(journal) == []


def test_an_untrusted_certificate_is_refused(built, the_plan, smtp, tls, tmp_path):
    _, site = built
    server_ctx, _ = tls
    handler, server = smtp(tls_context=server_ctx, require_starttls=True)
    transport = _transport(server, security="starttls", ssl_context=ssl.create_default_context())
    with pytest.raises(SendAborted, match="certificate of 127.0.0.1:.* is not trusted"):
        _send(the_plan, site, server, tmp_path / "outbox.jsonl", transport=transport)
    assert handler.messages == []


def test_starttls_required_but_not_offered_is_refused(built, the_plan, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    transport = _transport(server, security="starttls")
    with pytest.raises(SendAborted, match="does not offer STARTTLS; refusing to send in clear text"):
        _send(the_plan, site, server, tmp_path / "outbox.jsonl", transport=transport)
    assert handler.messages == []


def test_implicit_tls(built, the_plan, awards, smtp, tls, tmp_path):
    _, site = built
    server_ctx, client_ctx = tls
    handler, server = smtp(implicit_tls=server_ctx)
    transport = _transport(server, security="tls", ssl_context=client_ctx)
    report = _send(the_plan, site, server, tmp_path / "outbox.jsonl", transport=transport, only=["BP-2026-001"])
    assert report.ok and len(report.sent) == 3  # all of this learner's awards (two and the pathway)
    assert {rcpt for rcpt, _, _ in handler.messages} == {"aiste.jankauskiene@example.lt"}


def test_non_ascii_address_needs_smtputf8(built, the_plan, smtp, tmp_path):
    _, site = built
    planned = next(p for p in the_plan.awards if p.revocation is None)
    planned = dataclasses.replace(planned, award=dataclasses.replace(planned.award, email="jürgen@exämple.de"))
    png = (site / "achievements" / planned.achievement.slug / "badge.png").read_bytes()
    msg = mail.build_message(planned, the_plan.content.site, SITE_URL + planned.claim_path, png)
    from credpub.mail.send import Outgoing

    out = Outgoing(planned, msg, msg["From"].addresses[0], msg["To"].addresses[0])
    handler, server = smtp(enable_SMTPUTF8=True)
    transport = _transport(server)
    try:
        assert transport.deliver(out).startswith("250")
    finally:
        transport.close()
    rcpt, raw, _ = handler.messages[0]
    assert rcpt == "jürgen@xn--exmple-cua.de"  # the domain IDNA-encoded on the envelope
    assert "jürgen@exämple.de".encode() in raw  # the header in UTF-8 (SMTPUTF8)
    _, server2 = smtp()  # without SMTPUTF8: a permanent failure for this address only
    transport2 = _transport(server2)
    try:
        with pytest.raises(PermanentFailure, match="not ASCII and the server does not offer SMTPUTF8"):
            transport2.deliver(out)
    finally:
        transport2.close()


# -- the message (dry run) ------------------------------------------------------------------------

def test_dry_run_writes_parseable_eml_files(built, keys, tmp_path):
    content, site = built
    out = tmp_path / "eml"
    journal = tmp_path / "keys" / "outbox.jsonl"
    report = run_send(context(content, keys=keys), site_dir=site, journal=journal, dry_run=out, env={})
    assert report.ok and report.dry_run and len(report.sent) == 29
    assert not journal.exists()  # a dry run records nothing
    files = sorted(out.glob("*.eml"))
    assert len(files) == 29 and (out / "dimensional-metrology__BP-2026-004.eml").is_file()
    by_name = {}
    for f in files:
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        by_name[msg["To"].addresses[0].display_name] = msg
        assert msg.get_content_type() == "multipart/alternative"
        plain, related = msg.get_payload()
        assert plain.get_content_type() == "text/plain" and related.get_content_type() == "multipart/related"
        html_part, image = related.get_payload()
        assert html_part.get_content_type() == "text/html" and image.get_content_type() == "image/png"
        assert image.get_content_disposition() == "inline"
        cid = image["Content-ID"].strip("<>")
        html, text = html_part.get_content(), plain.get_content()
        assert f'src="cid:{cid}"' in html
        slug = f.name.split("__")[0]
        # The badge in the email's language: the English one for English emails.
        folder = "en/" if "Your credential" in msg["Subject"] else ""
        assert image.get_content() == (site / "achievements" / slug / folder / "badge.png").read_bytes()
        url = CLAIM.search(text).group(0)
        assert f'href="{url}"' in html and (site / url[len(SITE_URL):] / "index.html").is_file()
        assert msg["From"].addresses[0].addr_spec == "credentials@bpes.example.org"
        assert re.fullmatch(r"<credpub\.[a-z2-7]{24}\.1@bpes\.example\.org>", msg["Message-ID"])
        privacy = f"{SITE_URL}privacy/en/" if "Your credential" in msg["Subject"] else f"{SITE_URL}privacy/"
        assert re.search(re.escape(privacy) + r"(?![\w/])", text), text
        assert f'href="{privacy}"' in html  # the privacy terms in the graduate's language
        assert not msg.defects and all(not p.defects for p in msg.walk())
    # Non-ASCII names intact in the header (RFC 2047), the text and the HTML.
    msg = by_name["Nguyễn Thị Hương"]
    raw = (out / "surface-metrology__BP-2026-015.eml").read_bytes()
    assert raw.isascii()  # 7-bit clean on the wire
    assert "Hello Nguyễn Thị Hương," in msg.get_body(("plain",)).get_content()
    assert "Hello Nguyễn Thị Hương," in msg.get_body(("html",)).get_content()
    assert "محمد الأحمد" in by_name
    text = msg.get_body(("plain",)).get_content()
    assert "Surface Texture Measurement (ISO 21920)" in text and "Issued on 25 September 2026" in text and "1.5 ECTS" in text
    assert msg["Subject"] == "Your credential from Nederlandse Vereniging voor Precisietechniek: Surface Texture Measurement (ISO 21920)"
    # Deterministic: the same Message-IDs on a second dry run.
    again = run_send(context(content, keys=keys), site_dir=site, journal=journal, dry_run=tmp_path / "eml2", env={})
    assert [d.message_id for d in again.sent] == [d.message_id for d in report.sent]


def test_hostile_names_are_escaped_and_cannot_inject_headers(built, the_plan):
    _, site = built
    planned = the_plan.awards[0]
    evil = '<script>alert(1)</script> & "Zoë" O\'Brien\r\nBcc: victim@example.org'
    planned = dataclasses.replace(
        planned, award=dataclasses.replace(planned.award, name=evil),
        achievement=dataclasses.replace(planned.achievement, name="<img src=x onerror=alert(1)>", description="<b>x</b>"))
    png = (site / "achievements" / planned.achievement.slug / "badge.png").read_bytes()
    raw = mime.as_bytes(mail.build_message(planned, the_plan.content.site, SITE_URL + planned.claim_path + "#k=a&b<c>", png,
                                           message_id="<x.1@bpes.example.org>"))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Zoë&#34; O&#39;Brien" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<b>x</b>" not in html
    assert f'href="{SITE_URL}{planned.claim_path}#k=a&amp;b&lt;c&gt;"' in html  # the link is a parameter
    assert f"{SITE_URL}{planned.claim_path}#k=a&b<c>" in msg.get_body(("plain",)).get_content()
    assert msg["Bcc"] is None and len(msg.get_all("To")) == 1  # the line break did not make a header
    to = email.message_from_bytes(raw, policy=email.policy.compat32)["To"]  # RFC 2047 words, decoded as clients do
    assert str(email.header.make_header(email.header.decode_header(to))) == (
        f'<script>alert(1)</script> & "Zoë" O\'Brien Bcc: victim@example.org <{planned.award.email}>')


@pytest.mark.parametrize("name,address", [
    ("Ana Núñez", "ana@example.org"),
    ("Plain Name", "plain@example.org"),
    ('Smith, John "Jack"', "jack@example.org"),
    ("محمد الأحمد", "m@example.jo"),
    ("Wolfeschlegelsteinhausenbergerdorff Hubert Blaine Ernestine Maximiliana Ångström", "long@example.org"),
    ("Jürgen", "jürgen@example.de"),
])
def test_fast_serialiser_gives_the_stock_generators_bytes(built, the_plan, name, address):
    _, site = built
    planned = the_plan.awards[3]
    planned = dataclasses.replace(planned, award=dataclasses.replace(planned.award, name=name, email=address))
    png = (site / "achievements" / planned.achievement.slug / "badge.png").read_bytes()
    msg = mail.build_message(planned, the_plan.content.site, SITE_URL + planned.claim_path, png,
                             message_id=mail.message_id(planned, 1, "bpes.example.org"))
    policy = headers.POLICY_UTF8 if not address.isascii() else headers.POLICY
    raw = mime.as_bytes(msg)
    assert raw == msg.as_bytes(policy=policy)
    parsed = email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)
    assert parsed["To"].addresses[0].display_name == name and parsed["To"].addresses[0].addr_spec == address


@pytest.mark.parametrize("name", [
    "Олена Олександрівна Коваленко-Шевченко",  # one encoded run longer than one encoded-word
    "Dr. Ana María Núñez de la Peña y Fernández-Götz",  # atoms and encoded runs mixed
    "李明 (Li Ming)",
    "=?utf-8?q?not_an_encoded_word?=",
    "x" * 90,  # an atom too long to fold: the stock folder
])
def test_to_header_is_rfc_2047(name):
    value = headers.mailbox_header(Address(name, "someone", "example.org"))
    lines = f"To: {value}".split("\r\n")
    if len(name) < 90:
        assert all(len(line) <= 76 for line in lines) and value.isascii()
        assert all(len(w) <= 75 for w in re.findall(r"=\?utf-8\?b\?[^?]*\?=", value))
    unfolded = value.replace("\r\n", "").strip()
    decoded = str(email.header.make_header(email.header.decode_header(unfolded)))  # as mail clients decode it
    assert decoded == f"{name} <someone@example.org>"


# -- selection, resend, journal ---------------------------------------------------------------------

def test_only_and_resend(built, the_plan, smtp, tmp_path):
    _, site = built
    handler, server = smtp()
    journal = tmp_path / "outbox.jsonl"
    first = _send(the_plan, site, server, journal)
    report = _send(the_plan, site, server, journal, only=["BP-2026-004"])
    assert not report.sent and report.already_sent == [("BP-2026-004", "dimensional-metrology")]
    report = _send(the_plan, site, server, journal, only=["BP-2026-004"], resend=True)
    assert [(d.learner_id, d.achievement) for d in report.sent] == [("BP-2026-004", "dimensional-metrology")]
    earlier = next(d for d in first.sent if d.learner_id == "BP-2026-004")
    assert report.sent[0].message_id != earlier.message_id and report.sent[0].message_id.endswith(".2@bpes.example.org>")
    assert len(handler.messages) == 30 and len(_journal_lines(journal)) == 30
    revoked = _send(the_plan, site, server, journal, only=["BP-2026-010"], resend=True)
    assert not revoked.sent and revoked.revoked == [("BP-2026-010", "cnc-five-axis")]
    with pytest.raises(UsageError, match="no award for learner NOPE"):
        _send(the_plan, site, server, journal, only=["NOPE"])


def test_the_journal_survives_a_torn_line_and_is_locked(tmp_path):
    journal = tmp_path / "outbox.jsonl"
    good = [json.dumps({"v": 1, "learner_id": f"L{i}", "achievement": "a"}) for i in range(2)]
    journal.write_text("\n".join(good) + '\n{"v": 1, "learner_id": "L2", "achi')  # killed mid-write
    with Outbox.open(journal) as outbox:
        assert outbox.sends(("L0", "a")) == 1 and outbox.sends(("L2", "a")) == 0 and outbox.unreadable == 1
        with pytest.raises(JournalError, match="another `credpub send` is running"):
            Outbox.open(journal)
        outbox.record({"learner_id": "L2", "achievement": "a", "email": "x@example.org"})
    with Outbox.open(journal) as outbox:
        assert [outbox.sends((f"L{i}", "a")) for i in range(3)] == [1, 1, 1] and outbox.unreadable == 1
    assert journal.read_text().startswith("\n".join(good))  # append-only: nothing rewritten


def test_errors_before_anything_is_sent(built, the_plan, smtp, tmp_path):
    content, site = built
    handler, server = smtp()
    with pytest.raises(SiteNotBuiltError, match="run `credpub build` first"):
        _send(the_plan, tmp_path / "nosite", server, tmp_path / "j.jsonl")
    (tmp_path / "old").mkdir()
    with pytest.raises(SiteNotBuiltError, match=r"badge\.png is missing"):
        _send(the_plan, tmp_path / "old", server, tmp_path / "j.jsonl")
    with pytest.raises(UsageError, match="inside the site folder"):
        _send(the_plan, site, server, site / "outbox.jsonl")
    with pytest.raises(UsageError, match="inside the site folder"):
        run_send(context(content, keys=_fixture_keys()), site_dir=site, journal=tmp_path / "j.jsonl", dry_run=site / "eml", env={})
    assert handler.messages == [] and handler.mail_commands == 0


def _smtp_block(site_yml: Path) -> tuple[SmtpConfig, list[str]]:
    """site.yml's `smtp:` as `credpub check` and `credpub send` read it: (the block, its problems)."""
    errors: list = []
    site = load_site(site_yml.parent, errors)
    return site.smtp, [str(e) for e in errors if e.field.startswith("smtp")]


def test_settings_from_site_yml_and_environment(tmp_path):
    site_yml = tmp_path / "site.yml"
    site_yml.write_text("url: https://x.example/\nsmtp:\n  host: mail.example.org\n  user: registrar\n"
                        "  from: Registrar <registrar@example.org>\n")
    config, problems = _smtp_block(site_yml)
    assert problems == []
    assert config == SmtpConfig(host="mail.example.org", user="registrar", sender="Registrar <registrar@example.org>",
                                source=Source(site_yml, 2))
    s = smtp_settings(config, {"CREDPUB_SMTP_PASSWORD": "pw"})
    assert (s.host, s.port, s.security, s.user, s.password, s.sender) == (
        "mail.example.org", 587, "starttls", "registrar", "pw", "Registrar <registrar@example.org>")
    assert "pw" not in repr(s)
    s = smtp_settings(config, {"CREDPUB_SMTP_PASSWORD": "pw", "CREDPUB_SMTP_SECURITY": "tls", "CREDPUB_SMTP_HOST": "smtp.eu"})
    assert (s.host, s.port, s.security) == ("smtp.eu", 465, "tls")  # the environment wins
    with pytest.raises(SmtpConfigError, match="CREDPUB_SMTP_PASSWORD is not"):
        smtp_settings(config, {})
    assert smtp_settings(config, {}, need_server=False).host == "mail.example.org"  # a dry run needs no password
    with pytest.raises(SmtpConfigError, match="no SMTP server"):
        smtp_settings(None, {})
    with pytest.raises(SmtpConfigError, match="security must be one of"):
        smtp_settings(None, {"CREDPUB_SMTP_HOST": "h", "CREDPUB_SMTP_SECURITY": "ssl"})
    with pytest.raises(SmtpConfigError, match="port must be a number"):
        smtp_settings(None, {"CREDPUB_SMTP_HOST": "h", "CREDPUB_SMTP_PORT": "x"})
    with pytest.raises(SmtpConfigError, match="unencrypted"):
        smtp_settings(None, {"CREDPUB_SMTP_HOST": "mail.example.org", "CREDPUB_SMTP_SECURITY": "none",
                             "CREDPUB_SMTP_USER": "u", "CREDPUB_SMTP_PASSWORD": "p"})
    assert smtp_settings(None, {"CREDPUB_SMTP_HOST": "127.0.0.1", "CREDPUB_SMTP_SECURITY": "none", "CREDPUB_SMTP_USER": "u",
                                "CREDPUB_SMTP_PASSWORD": "p"}).port == 25
    # a value in site.yml is checked with the environment's, after it: the file names where it came from
    site_yml.write_text("url: https://x.example/\nsmtp:\n  host: h\n  port: 70000\n  security: ssl\n")
    config, problems = _smtp_block(site_yml)
    assert problems == [] and (config.port, config.security) == (70000, "ssl")
    with pytest.raises(SmtpConfigError, match=re.escape(f"{site_yml} smtp: / CREDPUB_SMTP_*: security must be one of "
                                                        "starttls, tls, none, got 'ssl'")):
        smtp_settings(config, {})
    with pytest.raises(SmtpConfigError, match=re.escape(f"{site_yml} smtp: / CREDPUB_SMTP_*: port must be a number "
                                                        "from 1 to 65535, got 70000")):
        smtp_settings(config, {"CREDPUB_SMTP_SECURITY": "tls"})
    assert smtp_settings(config, {"CREDPUB_SMTP_SECURITY": "tls", "CREDPUB_SMTP_PORT": "2465"}).port == 2465
    # what only the file can get wrong is a content problem, with its line (`credpub check` shows it)
    site_yml.write_text("url: https://x.example/\nsmtp:\n  host: h\n  password: hunter2\n")
    assert _smtp_block(site_yml)[1] == [f"{site_yml}:4: smtp.password: never put the SMTP password in site.yml (it "
                                        "would be committed with the content): remove it and set CREDPUB_SMTP_PASSWORD "
                                        "in the environment"]
    site_yml.write_text("url: https://x.example/\nsmtp:\n  hots: h\n")
    assert _smtp_block(site_yml)[1] == [f"{site_yml}:3: smtp.hots: unknown field; known fields are: "
                                        "from, host, password, port, security, user"]
    site_yml.write_text("url: https://x.example/\n")  # no block: nothing set, and messages still name the file
    config, problems = _smtp_block(site_yml)
    assert problems == [] and config == SmtpConfig(source=Source(site_yml))
    with pytest.raises(SmtpConfigError, match=re.escape(f"{site_yml} smtp: / CREDPUB_SMTP_*: security")):
        smtp_settings(config, {"CREDPUB_SMTP_SECURITY": "ssl"})


def test_check_and_send_give_the_same_smtp_messages(built, tmp_path):
    from credpub import clock
    from credpub.content.validate import check_content
    from credpub.errors import ContentErrors

    def check(root):
        return check_content(root, clock.today())

    content = tmp_path / "content"
    shutil.copytree(built[0], content)
    site_yml = content / "site.yml"
    base = site_yml.read_text()
    site_yml.write_text(base + "smtp:\n  host: mail.example.org\n  password: hunter2\n")
    problems = [str(e) for e in check(content)[1]]
    assert len(problems) == 1 and "smtp.password: never put the SMTP password in site.yml" in problems[0]
    with pytest.raises(ContentErrors) as raised:
        run_send(context(content, keys=_fixture_keys()), site_dir=built[1], journal=tmp_path / "j.jsonl", env={})
    assert [str(e) for e in raised.value.errors] == problems
    # a value the environment may override: not a content problem; send checks it with the environment's
    site_yml.write_text(base + "smtp:\n  host: mail.example.org\n  security: ssl\n")
    assert check(content)[1] == []
    with pytest.raises(SmtpConfigError, match=re.escape(f"{site_yml} smtp: / CREDPUB_SMTP_*: security must be one of")):
        run_send(context(content, keys=_fixture_keys()), site_dir=built[1], journal=tmp_path / "j.jsonl", env={})


def test_plain_progress_counts_on_a_pipe(tmp_path):
    out = tmp_path / "progress.txt"
    with out.open("w") as f, PlainProgress(length=400, label="sending", file=f) as bar:
        for _ in range(400):
            bar.update(1)
    lines = out.read_text().splitlines()
    assert lines[0] == "sending 20/400" and lines[-1] == "sending 400/400" and len(lines) == 20


def test_cli_dry_run(built, tmp_path, monkeypatch):
    """`credpub send --dry-run DIR` through the command line: one .eml per award, nothing sent."""
    from click.testing import CliRunner

    from credpub.cli import main

    content, site = built
    keys_dir = _write_keys(_fixture_keys(), tmp_path / "keys")
    for var in ("CREDPUB_SIGNING_KEY", "CREDPUB_SITE_SECRET", "CREDPUB_KEY_PASSPHRASE"):
        monkeypatch.delenv(var, raising=False)
    result = CliRunner().invoke(main, ["send", "--content", str(content), "--site", str(site), "--keys", str(keys_dir),
                                       "--dry-run", str(tmp_path / "eml"), "--journal", str(tmp_path / "j.jsonl")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "eml").glob("*.eml"))) == 29  # 30 awards (2 of a pathway), one revoked


def test_encrypted_and_passphrase_claims_get_the_key_fragment_but_never_the_passphrase(keys, tmp_path):
    """Layer 2 and 3 emails carry the link with its #k= key; the passphrase comes separately."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    for slug, layer in (("cnc-five-axis", "encrypted"), ("surface-metrology", "passphrase")):
        f = content / "achievements" / f"{slug}.yml"
        f.write_text(f.read_text().replace("claim_security: link", f"claim_security: {layer}"))
    # the pathway over surface-metrology: at least as strong as its components
    pw = content / "pathways" / "precision-metrology.yml"
    pw.write_text(pw.read_text().replace("claim_security: link", "claim_security: passphrase"))
    site = tmp_path / "site"
    pipeline.build(context(content, keys=keys), pipeline.BuildOptions(site))
    report = run_send(context(content, keys=keys), site_dir=site, journal=tmp_path / "j.jsonl", dry_run=tmp_path / "eml", env={})
    assert report.ok
    the_plan = pipeline.plan_content(context(content, keys=keys))
    for p in the_plan.awards:
        if p.revocation:
            continue
        msg = email.message_from_bytes((tmp_path / "eml" / f"{p.achievement.slug}__{p.award.learner_id}.eml").read_bytes(),
                                       policy=email.policy.default)
        text, html = msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()
        assert SITE_URL + p.claim_link in text and f'href="{SITE_URL + p.claim_link}"' in html
        assert ("#k=" in p.claim_link) == (p.achievement.claim_security != "link")
        needs = "Je hebt ook je wachtwoordzin nodig" if p.award.language != "en" else "You also need your passphrase"
        assert (needs in text) == (p.achievement.claim_security == "passphrase")
        # What the public page shows, as the claim page says it.
        hashed = p.achievement.claim_security != "link"
        shows = "does not show your name unless you choose" if p.award.language == "en" else "laat je naam alleen zien als je ervoor kiest"
        assert (shows in " ".join(text.split())) == hashed
        assert (shows in html) == hashed
        if p.passphrase:
            assert p.passphrase not in text and p.passphrase not in html
