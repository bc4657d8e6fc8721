"""Mail: one graduate's email — a multipart text + HTML message from theme/email/ templates,
with the achievement's badge inline (a `cid:` related part) and their claim link.

Structure (what every mail client renders):

    multipart/alternative
      text/plain                     message.txt
      multipart/related
        text/html                    message.html (Jinja autoescape)
        image/png  Content-ID <…>    site/achievements/<slug>/badge.png, inline

The result is an ordinary `EmailMessage`. Its address and Subject headers come from
headers.py (RFC 2047 encoded-words, folded; SMTPUTF8 only for an address that is not ASCII),
its parts and its bytes on the wire from mime.py (`as_bytes`). Text parts are quoted-printable.

Speed (10,000 messages in seconds, not minutes): templates are compiled once; the badge part is
encoded and serialised once per achievement; headers are stored folded (`set_raw`) instead of
being parsed and refolded by the stock policy; `as_bytes` writes the known structure directly.
The stock machinery is the reference: a test checks that `as_bytes(msg)` equals
`msg.as_bytes(policy=…)` and that every header parses back to the same names.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jinja2

from credpub import clock
from credpub import i18n
from credpub import paths
from credpub.layers import layer
from credpub.mail.headers import (
    POLICY,
    ascii_domain,
    folded_header,
    mailbox_header,
    needs_smtputf8,
    one_line,
    parse_address,
    subject_header,
)
from credpub.mail.mime import image_part, text_part
from credpub.model import PlannedAward, SiteConfig, Theme
from credpub.site.colours import on_colour

_MESSAGE_ID = re.compile(r"^<[!-;=?-~]+@[!-;=?-~]+>$")  # ASCII, no spaces, no < > inside


@dataclass(frozen=True)
class Templates:
    """The email templates of theme/email/ in one language (the catalogue's), compiled once and
    reused for every message."""

    subject: jinja2.Template
    text: jinja2.Template
    html: jinja2.Template
    lang: i18n.Lang
    directory: Path

    @classmethod
    def load(cls, directory: Path | None = None, lang: str = i18n.SOURCE) -> Templates:
        return _load_templates(directory or paths.theme_dir() / "email", lang)


@functools.cache
def _load_templates(directory: Path, lang: str) -> Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    i18n.install(env, i18n.get(lang))
    return Templates(env.get_template("subject.txt"), env.get_template("message.txt"),
                     env.get_template("message.html"), i18n.get(lang), directory)


def award_language(planned: PlannedAward, site: SiteConfig) -> str:
    """The graduate's language: the award's `language` column, else the site's default."""
    return planned.award.language or site.languages[0]


def message_id(planned: PlannedAward, send_number: int, domain: str) -> str:
    """Deterministic per award and per send: the same for retries and for the rerun after a
    crash (so a receiver can drop a duplicate from the one unavoidable window — accepted but
    not yet journaled), different for a deliberate `--resend`. Derived from the claim token,
    itself an HMAC of the site secret: it reveals nothing about the learner."""
    digest = hashlib.sha256(f"credpub/message-id/v1\0{planned.claim_token}\0{send_number}".encode()).digest()
    tag = base64.b32encode(digest[:15]).decode("ascii").lower()
    return f"<credpub.{tag}.{send_number}@{ascii_domain(domain)}>"


def badge_cid(planned: PlannedAward, domain: str) -> str:
    """Content-ID (without <>) of the inline badge: one per achievement."""
    return f"badge.{planned.achievement.slug}@{ascii_domain(domain)}"


def colours(theme: Theme) -> dict[str, str]:
    """The email's colours: the issuer's (site.yml, checked when loaded), with text that reads
    on them by the rule the pages use (site/colours.py)."""
    return {"primary": theme.primary, "accent": theme.accent,
            "on_primary": on_colour(theme.primary), "on_accent": on_colour(theme.accent)}


def context(planned: PlannedAward, site: SiteConfig, claim_url: str, *, cid: str, privacy_url: str = "",
            lang: i18n.Lang | None = None) -> dict[str, Any]:
    L = lang or i18n.get(award_language(planned, site))
    award, achievement = planned.award, planned.achievement.in_language(L.code)
    return {
        "issuer": site.issuer,
        "learner": award,
        "achievement": achievement,
        "issued_on": L.date(award.issued_on),
        "credits": L.credits(achievement.ects),
        "graded": bool(award.grade),
        "claim_url": claim_url,
        "layer": layer(achievement),
        "privacy_url": privacy_url,
        "site_url": site.url,
        "badge_cid": cid,
        "colours": colours(site.theme),
    }


def build_message(planned: PlannedAward, site: SiteConfig, claim_url: str, badge_png: bytes, *,
                  sender: Address | str | None = None, message_id: str | None = None,
                  date: dt.datetime | None = None, privacy_url: str = "", reply_to: Address | str | None = None,
                  templates: Templates | None = None) -> EmailMessage:
    """One graduate's email. `claim_url` is the full link (site.url + claim_path, possibly with a
    `#k=…` fragment); `sender` defaults to the issuer (name and email). Raises AddressError for
    an unusable recipient or sender address."""
    lang = award_language(planned, site)
    if templates is None or templates.lang.code != lang:
        templates = Templates.load(templates.directory if templates else None, lang)
    issuer = site.issuer
    issuer_address = parse_address(issuer.email)
    if sender is None:
        sender = Address(one_line(issuer.name), issuer_address.username, issuer_address.domain)
    elif isinstance(sender, str):
        sender = parse_address(sender)
    to = parse_address(planned.award.email)
    recipient = Address(one_line(planned.award.name), to.username, to.domain)
    if reply_to is None and issuer_address.addr_spec.lower() != sender.addr_spec.lower():
        reply_to = Address(one_line(issuer.name), issuer_address.username, issuer_address.domain)
    cid = badge_cid(planned, sender.domain)
    ctx = context(planned, site, claim_url, cid=cid, privacy_url=privacy_url, lang=templates.lang)
    # Boundaries: fixed per message (the generator then skips its search of the whole text for a
    # collision); "=_" can occur neither in quoted-printable nor in base64 text.
    tag = hashlib.sha256(f"{planned.claim_token}\0{message_id}".encode()).hexdigest()[:24]

    msg = EmailMessage(policy=POLICY)
    # Address and Subject headers are stored folded and encoded (set_raw), as the stock policy
    # would fold them: From, Reply-To and Subject are the same for many messages (folded once),
    # To is encoded by `mailbox_header` (the stock parser + folder took most of the time).
    msg.set_raw("From", folded_header("From", sender))
    msg.set_raw("To", mailbox_header(recipient))
    if reply_to is not None:
        msg.set_raw("Reply-To", folded_header("Reply-To", reply_to))
    msg.set_raw("Subject", subject_header(one_line(templates.subject.render(ctx))))
    msg._credpub_smtputf8 = needs_smtputf8(sender, recipient)  # for as_bytes: no need to parse From/To back
    # ASCII headers of our own making are stored as they are (set_raw: no parse, no refold).
    msg.set_raw("Date", format_datetime(date or clock.now()))
    if message_id:
        if not _MESSAGE_ID.match(message_id):
            raise ValueError(f"not a Message-ID: {message_id!r}")
        msg.set_raw("Message-ID", message_id)
    msg.set_raw("MIME-Version", "1.0")
    msg.set_raw("Content-Type", f'multipart/alternative; boundary="=_alt_{tag}"')
    related = MIMEPart(policy=POLICY)
    related.set_raw("Content-Type", f'multipart/related; type="text/html";\r\n boundary="=_rel_{tag}"')  # folded: < 78
    related.attach(text_part(templates.html.render(ctx), "html"))
    related.attach(image_part(badge_png, cid, f"{planned.achievement.slug}.png"))
    msg.attach(text_part(templates.text.render(ctx), "plain"))
    msg.attach(related)
    return msg
