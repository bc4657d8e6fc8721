"""The values that flow through the pipeline: load → validate → plan → sign → render → write.

Each stage takes the previous stage's value and returns the next; all are plain, frozen data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from credpub import layout


@dataclass(frozen=True)
class Source:
    """Where a value came from, for error messages: file and 1-based line (0 = whole file)."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class Issuer:
    name: str
    url: str
    email: str
    country: str
    description: str = ""
    logo: Path | None = None  # a file under content/, copied to site/assets/
    linkedin_organization_id: str = ""  # LinkedIn page number: organizationId in "Add to LinkedIn"


@dataclass(frozen=True)
class Theme:
    primary: str = "#1d4e89"  # CSS colours from site.yml `colours`
    accent: str = "#f2a541"


@dataclass(frozen=True)
class SmtpConfig:
    """site.yml's `smtp:` block as written, already checked for what only the file can get wrong
    (a password, an unknown field). "" is a field not given. A CREDPUB_SMTP_* variable may
    override each field when sending, so the values (security, port, address) are checked
    there, together (mail/settings.py). `port` stays as YAML read it (a number or text)."""

    host: str = ""
    port: int | float | str = ""
    security: str = ""
    user: str = ""
    sender: str = ""  # `from:`
    source: Source | None = None  # site.yml, at the block's line (0: there is no block)


@dataclass(frozen=True)
class SiteConfig:
    url: str  # https, always ends with "/"
    issuer: Issuer
    cryptosuite: str = "eddsa-rdfc-2022"
    theme: Theme = field(default_factory=Theme)
    languages: tuple[str, ...] = ("en",)
    privacy_page: str = "privacy.md"
    title: str = ""
    source: Source | None = None
    smtp: SmtpConfig = field(default_factory=SmtpConfig)  # for `credpub send`; the password: environment only
    date_order: str = "day-first"  # how rosters write d-m-yyyy days (dates.DATE_ORDERS)
    host: str = "github-pages"  # where the site is meant to be deployed (data/hosts.json: its limits)
    seal_recipients: tuple[str, ...] = ()  # site.yml `seal: recipients:` (age1… / ssh-… public keys)


#: Achievement fields that content may give per language (`name: {nl: …, en: …}`).
TEXT_FIELDS = ("name", "description", "criteria", "learning_outcomes", "assessment", "quality_assurance",
               "prerequisites", "supervision", "integration", "further_information")


@dataclass(frozen=True)
class Achievement:
    """Text fields hold the site's default language; `translations` the other languages'
    texts (`in_language` gives the achievement as read in one of them)."""

    slug: str
    name: str
    description: str
    criteria: str
    learning_outcomes: tuple[str, ...]
    ects: float | None
    eqf_level: int | None
    workload_hours: float | None
    assessment: str
    participation: str  # online | onsite | blended
    quality_assurance: str
    prerequisites: str = ""
    skills: tuple[str, ...] = ()
    image: Path | None = None  # given badge image (svg or png); generated otherwise
    valid_for: str | None = None  # ISO 8601 duration, e.g. "P3Y"
    claim_security: str = "link"  # link | encrypted | passphrase
    achievement_type: str = "MicroCredential"
    supervision: str = ""  # EU element: supervision and identity verification
    integration: str = ""  # EU element: integration / stackability
    further_information: str = ""
    source: Source | None = None
    # Pathways (content/pathways/<slug>.yml, pathways.py): the component achievements, and how
    # many of them earn it (0 = all). An achievement with components is a pathway.
    components: tuple[str, ...] = ()
    min_components: int = 0

    @property
    def is_pathway(self) -> bool:
        return bool(self.components)

    @property
    def components_needed(self) -> int:
        return self.min_components or len(self.components)
    language: str = "en"  # the language of the text fields
    translations: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()  # ((lang, ((field, text), …)), …)

    def in_language(self, lang: str) -> Achievement:
        """This achievement with its texts in `lang` (fields not given per language stay)."""
        if lang == self.language:
            return self
        texts = dict(self.translations).get(lang)
        if texts is None:
            return self
        return replace(self, language=lang, **dict(texts))


@dataclass(frozen=True)
class Award:
    learner_id: str
    name: str
    email: str
    achievement: str  # slug
    issued_on: dt.date
    grade: str = ""
    evidence_url: str = ""
    passphrase: str = ""
    share_grade: bool = False
    source: Source | None = None
    valid_until: dt.date | None = None  # CSV column: overrides the achievement's valid_for
    automatic: bool = False  # a pathway award the build derived from its components
    language: str = ""  # the graduate's language (claim page, email); "" = the site's default

    @property
    def key(self) -> tuple[str, str]:
        """An award is identified by (learner_id, achievement)."""
        return (self.learner_id, self.achievement)


@dataclass(frozen=True)
class Revocation:
    learner_id: str
    achievement: str
    reason: str
    date: dt.date
    source: Source | None = None


@dataclass
class IssuerPage:
    """One of the issuer's own pages (content/pages/*.md), as its front matter places it."""

    name: str  # file name under content/pages
    title: str
    url: str  # "" for index.md, "about/" for about.md
    order: int
    in_nav: bool
    in_footer: bool
    #: the same page in the site's other languages (`privacy.en.md`, published at `privacy/en/`)
    variants: dict[str, IssuerPage] = field(default_factory=dict)

    def in_language(self, code: str) -> IssuerPage:
        """This page as language `code` shows it: its variant, else itself (the default)."""
        return self.variants.get(code, self)


@dataclass(frozen=True)
class Assets:
    """What content gives besides its data — pages, images — read and checked once by the load
    stage (content/assets.py), so that validation and rendering take values, not files."""

    pages: tuple[IssuerPage, ...] = ()  # content/pages/*.md in navigation order
    #: language → version of the privacy text shown in it (claim pages ask consent for that text)
    terms_versions: dict[str, str] = field(default_factory=dict)
    logo: tuple[str, bytes] | None = None  # (file name under assets/, cleaned bytes); None: a monogram
    #: slug → (badge.svg, badge.png) of the achievements whose `image` content gives (cleaned)
    badges: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)


@dataclass(frozen=True)
class Content:
    root: Path
    site: SiteConfig
    achievements: dict[str, Achievement]
    awards: tuple[Award, ...]
    revocations: tuple[Revocation, ...]
    status_lock: Any  # statuslock.StatusLock, keyed by plan.lock_key (an HMAC of the award): indexes,
    # fingerprints, superseded credentials (content/status-lock.json)
    assets: Assets = field(default_factory=Assets)
    notes: tuple[str, ...] = ()  # not problems, but what check and build tell (e.g. a roster's assumed encoding)


@dataclass(frozen=True)
class EarnedComponent:
    """One of the learner's own component credentials, named by a pathway credential."""

    slug: str  # the component achievement
    credential_id: str  # urn:uuid:… of the component's (current) claim credential
    valid_from: str  # XSD dateTime: the day it was issued


@dataclass(frozen=True)
class PlannedAward:
    award: Award
    achievement: Achievement
    claim_token: str  # URL-safe, ≥128 bits: /c/<claim_token>/
    share_token: str  # /s/<share_token>/
    credential_id: str  # urn:uuid:… of the private credential
    share_id: str  # id of the share credential: its URL, or a urn:uuid for a correction (plan.share_credential_id)
    status_list: int  # n of status/<n>.json
    status_index: int
    valid_from: str  # XSD dateTime, UTC "Z"
    valid_until: str | None
    revocation: Revocation | None
    claim_fragment: str = ""  # "#k=…" for encrypted and passphrase claims: never sent to the host
    passphrase: str = ""  # passphrase claims: from the award row, or generated
    passphrase_generated: bool = False
    revision: int = 0  # corrections so far: each one a new credential id (statuslock.py)
    lock_key: str = ""  # the award's key in content/status-lock.json (plan.lock_key: an HMAC)
    components: tuple[EarnedComponent, ...] = ()  # a pathway award: the components it stands on

    @property
    def claim_link(self) -> str:
        """Site-relative claim link, with its key fragment when the claim is encrypted."""
        return self.claim_path + self.claim_fragment

    @property
    def claim_path(self) -> str:
        return layout.claim_page(self.claim_token)

    @property
    def share_path(self) -> str:
        return layout.share_page(self.share_token)


@dataclass(frozen=True)
class Plan:
    content: Content
    did: str  # did:web:…
    did_path: str  # "did.json" or ".well-known/did.json"
    verification_method: str  # did:web:…#key-1
    awards: tuple[PlannedAward, ...]
    status_lock: Any  # statuslock.StatusLock after planning (new awards added, corrections recorded)
    today: dt.date  # the build day (UTC): what is signed now is dated so (proof created, a list's validFrom)
    scheduled: tuple[Award, ...] = ()  # awards dated after the build day: held back until then
    reissued: tuple[tuple[str, str], ...] = ()  # award keys this plan re-issues (corrections)

    @property
    def superseded_indexes(self) -> tuple[int, ...]:
        """Status indexes of superseded credentials: revoked, reason "superseded"."""
        return self.status_lock.superseded_indexes


@dataclass(frozen=True)
class SignedAward:
    planned: PlannedAward
    credential: dict[str, Any]  # signed private OpenBadgeCredential
    share_credential: dict[str, Any]  # signed privacy-friendly version
    credential_json: bytes
    share_json: bytes
    claim_json: bytes = b""  # what c/<token>/credential.json holds: the credential, or its encrypted envelope


@dataclass(frozen=True)
class Signed:
    plan: Plan
    awards: tuple[SignedAward, ...]
    did_document: dict[str, Any]
    status_lists: dict[int, dict[str, Any]]  # n → signed BitstringStatusListCredential
    achievements: dict[str, dict[str, Any]]  # slug → public Achievement JSON
    status_lock: Any = None  # statuslock.StatusLock after signing: the plan's, with the days signed (commit it)

    @property
    def status_date(self) -> str:
        """The newest of the status lists' dates: the pinned copy in the verify page is of then."""
        return max((str(c.get("validFrom", "")) for c in self.status_lists.values()), default="")
