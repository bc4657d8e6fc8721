"""Shared fixtures. Every test runs with a guard that fails any socket to a non-loopback address."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub import clock
from credpub.context import BuildContext
from credpub.content.seal import load_identity
from credpub.credentials.keys import Keys, load_keys

REPO = Path(__file__).resolve().parent.parent
VECTORS = REPO / "tests" / "vectors"
SHARED = REPO.parent / "shared"  # the team's reference data, beside the clone (optional)
SHARED_VECTORS = SHARED / "vectors"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(address) -> None:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host.startswith("/"):
        return  # a Unix socket
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if host in ("localhost",):
            return
        raise AssertionError(f"test tried to open a network connection to {address!r}") from None
    if not ip.is_loopback:
        raise AssertionError(f"test tried to open a network connection to {address!r}")


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _check_address(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


_real_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1", "") and not str(host).startswith("127."):
        raise AssertionError(f"test tried to resolve {host!r}: no network in tests")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture
def keys() -> Keys:
    """A fixed key and secret, so that outputs are reproducible in tests."""
    return Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(32))), b"\x42" * 32)


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A private copy of the demo content that a test may edit."""
    dst = tmp_path / "content"
    shutil.copytree(REPO / "content", dst)
    return dst


def context(content_dir: Path, keys: Keys | None = None, **kw) -> BuildContext:
    """A test's build context, made as a shell makes one: today's date (UTC) unless `today` is
    given; the given keys, or those of `keys_dir` (default ./.credpub) read when first needed,
    and the age key likewise (CREDPUB_AGE_KEY, or age-key.txt there or beside content/)."""
    kw.setdefault("today", clock.today())
    kw.setdefault("load_age_key", load_identity)
    return BuildContext(content_dir=content_dir, keys=keys, load_keys=load_keys, **kw)


def shared(*parts: str) -> Path:
    """A file of ../shared, or skip: 1EdTech-licensed files are read there, never copied."""
    p = SHARED_VECTORS.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (1EdTech-licensed reference data is not copied into the repo)")
    return p


def english_first(content: Path) -> None:
    """The demo content made English first, as an issuer would: `languages: [en, nl]`, and each
    page's English variant becomes the plain page, the Dutch one its `.nl.md` variant."""
    site = content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("languages: [nl, en]", "languages: [en, nl]"), encoding="utf-8")
    for variant in sorted((content / "pages").glob("*.en.md")):
        plain = variant.with_name(variant.name.replace(".en.md", ".md"))
        plain.rename(plain.with_name(variant.name.replace(".en.md", ".nl.md")))
        variant.rename(plain)
