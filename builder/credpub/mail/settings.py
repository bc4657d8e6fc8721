"""SMTP settings for `credpub send`: site.yml's `smtp:` block (read and checked by
content/load.py into `SiteConfig.smtp`), overridden by CREDPUB_SMTP_* variables, then checked
together once before the first message. The password comes only from the environment
(site.yml is committed with the content).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

from credpub.errors import SmtpConfigError
from credpub.mail.headers import AddressError, one_line, parse_address
from credpub.model import SmtpConfig

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
ENV = {"host": "CREDPUB_SMTP_HOST", "port": "CREDPUB_SMTP_PORT", "security": "CREDPUB_SMTP_SECURITY",
       "user": "CREDPUB_SMTP_USER", "from": "CREDPUB_SMTP_FROM"}
ENV_PASSWORD = "CREDPUB_SMTP_PASSWORD"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""  # From: "Name <address>" or "address"; default: the issuer
    timeout: float = 60.0

    def __str__(self) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"smtp://{who}{self.host}:{self.port} ({self.security})"


def smtp_settings(config: SmtpConfig | None, env: Mapping[str, str] | None = None, *,
                  need_server: bool = True) -> SmtpSettings:
    """Settings from site.yml's `smtp:` block (`SiteConfig.smtp`, read with the content),
    overridden by CREDPUB_SMTP_* variables; the password only from CREDPUB_SMTP_PASSWORD.
    `need_server=False` (dry run): no host needed."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if config is not None:
        block = {"host": config.host, "port": config.port, "security": config.security, "user": config.user,
                 "from": config.sender}
        values.update({k: v for k, v in block.items() if v != ""})
    for key, var in ENV.items():
        if env.get(var):
            values[key] = env[var]
    where = f"{config.source.path} smtp: / CREDPUB_SMTP_*" if config and config.source else "CREDPUB_SMTP_*"
    security = str(values.get("security", "starttls")).strip().lower()
    if security not in SECURITY:
        raise SmtpConfigError(f"{where}: security must be one of {', '.join(SECURITY)}, got {security!r}")
    port: Any = values.get("port", DEFAULT_PORTS[security])
    try:
        port = int(str(port).strip())
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise SmtpConfigError(f"{where}: port must be a number from 1 to 65535, got {values.get('port')!r}") from None
    host = str(values.get("host", "")).strip()
    user = str(values.get("user", "")).strip()
    password = env.get(ENV_PASSWORD, "")
    sender = str(values.get("from", "")).strip()
    if need_server and not host:
        raise SmtpConfigError(f"no SMTP server: set smtp.host in site.yml or {ENV['host']} (or use --dry-run DIR)")
    if need_server and user and not password:
        raise SmtpConfigError(f"SMTP user {user!r} is set but {ENV_PASSWORD} is not: put the password in the environment")
    if need_server and password and not user:
        raise SmtpConfigError(f"{ENV_PASSWORD} is set but no user: set smtp.user in site.yml or {ENV['user']}")
    if need_server and user and security == "none" and not is_loopback(host):
        raise SmtpConfigError(f"security: none would send the SMTP password unencrypted to {host}; "
                              f"use starttls or tls (none is for a server on this machine)")
    if sender:
        parse_sender(sender, "")  # fail now, not at the first message
    return SmtpSettings(host=host, port=port, security=security, user=user, password=password, sender=sender)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_sender(value: str, default_name: str) -> Address:
    """`Name <addr>` or `addr` → Address (the issuer's name when none is given)."""
    name, addr = parseaddr(value)
    if not addr:
        raise SmtpConfigError(f"from: not an email address: {value!r}")
    try:
        address = parse_address(addr)
    except AddressError as e:
        raise SmtpConfigError(f"from: {e}") from None
    return Address(one_line(name or default_name), address.username, address.domain)
