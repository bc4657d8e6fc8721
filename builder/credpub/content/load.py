"""Load: content/ → Content. Parses YAML and CSV keeping file and line of every value, and
converts each field to its type; every problem is collected (see validate.py for the checks
that span files)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from credpub import i18n
from credpub import layers
from credpub.content import reader, statuslock
from credpub.credentials import dataintegrity
from credpub.content.assets import load_assets
from credpub.dates import DATE_ORDERS, DAY_FIRST, is_duration, parse_day
from credpub.errors import ContentError, ContentErrors, KeyMaterialError
from credpub.model import (
    TEXT_FIELDS, Achievement, Award, Content, Issuer, Revocation, SiteConfig, SmtpConfig, Source, Theme,
)
from credpub.content import hosts
from credpub.content.awards import load_awards, roster_files
from credpub.content.fields import EMAIL, SLUG, Doc, parse_yaml, read_fields, read_yaml
from credpub.content.seal import REVOCATIONS_FILE, awards_sealed, parse_recipient, read_award_text, sealed_path
from credpub.content.statuslock import StatusLock
from credpub.context import AgeIdentity

SITE_FILE = "site.yml"
STATUS_LOCK_FILE = "status-lock.json"
CLAIM_SECURITY = layers.NAMES
PARTICIPATION = ("online", "onsite", "blended")
CRYPTOSUITES = dataintegrity.SIGNING  # the suites credpub signs with, from its table of suites
SMTP_KEYS = ("host", "port", "security", "user", "from")  # site.yml `smtp:`; the password: environment only
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")



def _linkedin_id(doc: Doc) -> str:
    """issuer.linkedin_organization_id: the number in the issuer's LinkedIn page address
    (linkedin.com/company/<number>/admin/), put in "Add to LinkedIn" links as organizationId."""
    value = doc.text("linkedin_organization_id", required=False)
    if value and not re.fullmatch(r"[0-9]{1,20}", value):
        doc.error("linkedin_organization_id", f"must be the number of the issuer's LinkedIn page "
                                              f"(as in linkedin.com/company/12345678/admin/), got {value!r}")
        return ""
    return value


def _https_url(doc: Doc, key: str, *, required: bool = True) -> str:
    url = doc.text(key, required=required)
    if url and not re.match(r"^https://[^\s/?#]+[^\s]*$", url):
        doc.error(key, f"must be an https:// URL, got {url!r}")
    return url


def _content_file(doc: Doc, root: Path, key: str) -> Path | None:
    name = doc.text(key, required=False)
    if not name:
        return None
    path = root / name
    if not os.path.lexists(path):
        doc.error(key, f"file {name!r} not found (relative to {root})")
        return None
    why = reader.problem(path, root)  # the one rule for every content file
    if why is None and path.is_dir():
        why = "is a folder, not a file"
    if why:
        doc.error(key, f"{name!r} {why}")
        return None
    return path.resolve()


def load_site(root: Path, errors: list[ContentError]) -> SiteConfig | None:
    path = root / SITE_FILE
    if not path.is_file():
        errors.append(ContentError(path, 0, "", "missing: every content folder needs a site.yml (see README, 'Content format')"))
        return None
    doc = read_fields(path, errors, "url, issuer, …", root)
    if doc is None:
        return None
    doc.unknown({"url", "issuer", "cryptosuite", "colours", "languages", "privacy_page", "title", "smtp", "date_order",
                 "host", "seal"})
    smtp = _smtp(doc, path)
    seal_recipients = _seal_recipients(doc)
    url = _https_url(doc, "url")
    if url and not url.endswith("/"):
        url += "/"
    issuer_doc = doc.mapping("issuer", doc.lines.get("issuer/", {}))
    issuer_doc.unknown({"name", "url", "email", "country", "logo", "description", "linkedin_organization_id"})
    email = issuer_doc.text("email")
    if email and not EMAIL.match(email):
        issuer_doc.error("email", f"is not a valid email address: {email!r}")
    country = issuer_doc.text("country")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        issuer_doc.error("country", f"must be an ISO 3166-1 alpha-2 code such as DE or LT, got {country!r}")
    issuer = Issuer(
        name=issuer_doc.text("name"),
        url=_https_url(issuer_doc, "url"),
        email=email,
        country=country,
        description=issuer_doc.text("description", required=False),
        logo=_content_file(issuer_doc, root, "logo"),
        linkedin_organization_id=_linkedin_id(issuer_doc),
    )
    colours = doc.data.get("colours") or {}
    theme = Theme()
    if not isinstance(colours, dict):
        doc.error("colours", "must be a mapping with primary and accent")
    else:
        # Checked here only: pages, badges and emails use the colours as they are.
        colour_doc = Doc(path, colours, doc.lines.get("colours/") or {"": doc.line("colours")}, errors, "colours.")
        for k, v in colours.items():
            if k not in ("primary", "accent") or not isinstance(v, str) or not COLOUR.match(v):
                colour_doc.error(str(k), f"must be primary or accent as #rrggbb, got {k}: {v!r}")
        theme = Theme(colours.get("primary", theme.primary), colours.get("accent", theme.accent))
    languages = doc.text_list("languages") or ("en",)
    known = i18n.languages()
    for lang in languages:
        if lang not in known:
            doc.error("languages", f"no catalogue for language {lang!r}: credpub has {', '.join(known)} "
                      f"(a new language is one file, builder/credpub/locale/{lang}.po)")
    if len(set(languages)) != len(languages):
        doc.error("languages", "a language appears twice")
    languages = tuple(dict.fromkeys(lang for lang in languages if lang in known)) or ("en",)
    return SiteConfig(
        url=url,
        issuer=issuer,
        cryptosuite=doc.choice("cryptosuite", CRYPTOSUITES, dataintegrity.DEFAULT_SUITE),
        theme=theme,
        languages=languages,
        privacy_page=doc.text("privacy_page", required=False, default="privacy.md"),
        title=doc.text("title", required=False, default=issuer.name),
        source=Source(path, 1),
        smtp=smtp,
        date_order=doc.choice("date_order", DATE_ORDERS, DAY_FIRST),
        host=doc.choice("host", hosts.names(), hosts.default()),
        seal_recipients=seal_recipients,
    )


def _seal_recipients(doc: Doc) -> tuple[str, ...]:
    """site.yml `seal: recipients:` — the keys, besides the issuer's own, that every sealed
    file opens with (a backup age key kept offline, maintainers' ssh keys): public keys only."""
    if "seal" not in doc.data:
        return ()
    sub = doc.mapping("seal", doc.lines.get("seal/", {}))
    sub.unknown({"recipients"})
    given = sub.data.get("recipients")
    if given is None:
        return ()
    if not isinstance(given, list):
        sub.error("recipients", "must be a list of public keys, one per line: - age1… or - ssh-ed25519 AAAA…")
        return ()
    line = sub.line("recipients")
    lines = sub.lines.get("recipients/") or {}
    out = []
    for i, value in enumerate(given):
        def error(message: str, i: int = i) -> None:
            at = lines.get(f"[{i}]", {}).get("", line)
            doc.errors.append(ContentError(doc.path, at, f"seal.recipients[{i + 1}]", message))
        if not isinstance(value, str):
            error(f"must be a public key as text, got {type(value).__name__}")
            continue
        try:
            parse_recipient(value)
        except ValueError as e:
            error(f"{e}; got {value.strip()[:40]!r}")
            continue
        if value.strip() in out:
            error("is listed twice")
            continue
        out.append(value.strip())
    return tuple(out)


def seal_recipients(root: Path) -> tuple[str, ...]:
    """The extra recipients for `credpub seal`, from site.yml; ContentErrors when site.yml
    cannot be read or its `seal:` is wrong (sealing to fewer keys than asked must not pass
    in silence). Other site.yml problems are left to `check` and `build`."""
    errors: list[ContentError] = []
    site = load_site(root, errors)
    mine = [e for e in errors if site is None or e.field.startswith("seal")]
    if mine:
        raise ContentErrors(mine)
    return site.seal_recipients if site else ()


def _smtp(doc: Doc, path: Path) -> SmtpConfig:
    """site.yml `smtp:` (read by `credpub send`) as written: a field not given is "". The
    password never belongs in a file that is committed with the content."""
    if "smtp" not in doc.data:
        return SmtpConfig(source=Source(path))
    smtp = doc.mapping("smtp", doc.lines.get("smtp/", {}))
    if "password" in smtp.data:
        smtp.error("password", "never put the SMTP password in site.yml (it would be committed with the "
                               "content): remove it and set CREDPUB_SMTP_PASSWORD in the environment")
    smtp.unknown({*SMTP_KEYS, "password"})
    given = {k: v for k, v in smtp.data.items() if k in SMTP_KEYS and v is not None and v != ""}
    port = given.get("port", "")
    return SmtpConfig(
        host=str(given.get("host", "")),
        port=port if isinstance(port, (int, float)) else str(port),  # a number as YAML read it, for messages
        security=str(given.get("security", "")),
        user=str(given.get("user", "")),
        sender=str(given.get("from", "")),
        source=Source(path, doc.line("smtp")),
    )


def _skill_uri(skill: str) -> str:
    return skill.split("|", 1)[1].strip() if "|" in skill else skill


ACHIEVEMENT_FIELDS = {
    "name", "description", "criteria", "learning_outcomes", "ects", "eqf_level", "workload_hours",
    "assessment", "participation", "quality_assurance", "prerequisites", "skills", "image",
    "valid_for", "claim_security", "achievement_type", "supervision", "integration", "further_information",
}


PATHWAY_FIELDS = ACHIEVEMENT_FIELDS | {"components"}


def load_achievement(path: Path, root: Path, errors: list[ContentError], languages: tuple[str, ...] = ("en",), *,
                     pathway: bool = False) -> Achievement | None:
    """An achievement; with `pathway`, a pathway (content/pathways/): the same fields, plus
    `components` (`all: [slugs]` or `min: N` with `of: [slugs]`); ECTS, EQF level and workload optional.
    Texts may be given per language (`languages`: the site's, the default first)."""
    slug = path.stem
    doc = read_fields(path, errors, "name, description, …", root)
    if doc is None:
        return None
    if not SLUG.match(slug):
        doc.error("", f"the file name {slug!r} is the achievement's slug: use lowercase letters, digits and hyphens")
    doc.unknown(PATHWAY_FIELDS if pathway else ACHIEVEMENT_FIELDS)
    components: tuple[str, ...] = ()
    min_components = 0
    if pathway:
        from credpub.content.pathways import parse_components

        components, min_components = parse_components(doc, doc.lines.get("components/", {}))
    # Skills: "label|URI" or a URI; given once, or per language for the labels (the same URIs).
    skills, skills_in = doc.localized("skills", languages, as_list=True, required=False)
    for s in skills:
        if not re.match(r"^https?://\S+$", _skill_uri(s)):
            doc.error("skills", f"each skill must be a URI (e.g. an ESCO skill) or 'label|URI', got {s!r}")
    for lang, labelled in skills_in.items():
        if [_skill_uri(s) for s in labelled] != [_skill_uri(s) for s in skills]:
            doc.error(f"skills.{lang}", f"must list the same skill URIs, in the same order, as skills.{languages[0]} "
                      "(only the labels change per language)")
    valid_for = doc.text("valid_for", required=False) or None
    if valid_for and not is_duration(valid_for):
        doc.error("valid_for", f"must be an ISO 8601 duration in years, months, weeks or days (e.g. P3Y, P18M), got {valid_for!r}")
        valid_for = None
    texts: dict[str, Any] = {}
    translations: dict[str, dict[str, Any]] = {lang: {} for lang in languages[1:]}
    for name in TEXT_FIELDS:
        required = name in ("name", "description", "criteria", "learning_outcomes", "assessment", "quality_assurance")
        texts[name], other = doc.localized(name, languages, as_list=name == "learning_outcomes", required=required)
        for lang, value in other.items():
            translations[lang][name] = value
    for lang, labelled in skills_in.items():
        translations[lang]["skills"] = labelled
    return Achievement(
        slug=slug,
        name=texts["name"],
        description=texts["description"],
        criteria=texts["criteria"],
        learning_outcomes=texts["learning_outcomes"],
        ects=doc.number("ects", required=not pathway, hi=240),
        eqf_level=doc.number("eqf_level", required=not pathway, integer=True, lo=1, hi=8),
        workload_hours=doc.number("workload_hours", required=not pathway, hi=10000),
        assessment=texts["assessment"],
        participation=doc.choice("participation", PARTICIPATION, "online"),
        quality_assurance=texts["quality_assurance"],
        prerequisites=texts["prerequisites"],
        skills=skills,
        image=_content_file(doc, root, "image"),
        valid_for=valid_for,
        claim_security=doc.choice("claim_security", CLAIM_SECURITY, layers.DEFAULT),
        achievement_type=doc.text("achievement_type", required=False, default="LearningProgram" if pathway else "MicroCredential"),
        supervision=texts["supervision"],
        integration=texts["integration"],
        further_information=texts["further_information"],
        source=Source(path, doc.lines.get("components", 1) if pathway else 1),  # pathways: errors point at components
        components=components,
        min_components=min_components,
        language=languages[0],
        translations=tuple((lang, tuple(t.items())) for lang, t in translations.items() if t),
    )



#: The problem of a plain revocations.yml beside sealed awards (`credpub revoke` seals it itself).
PLAIN_WHILE_SEALED = ("names learner ids and reasons in plain, but the awards are sealed: run `credpub seal`, "
                      "which seals it beside them as revocations.yml.age (and removes the plain file; it "
                      "stays in git history, so consider who has read it)")


def load_revocations(path: Path, errors: list[ContentError], age_identity: AgeIdentity | None = None,
                     root: Path | None = None) -> list[Revocation]:
    """revocations.yml, or revocations.yml.age when it is sealed (a plain copy beside it is the
    one being edited, as with awards); line numbers are those of the YAML text."""
    sealed = sealed_path(path)
    if path.is_file() or path.is_symlink():
        data, lines = read_yaml(path, errors, root)
        if root is not None and data and awards_sealed(root) and not sealed.exists():
            errors.append(ContentError(path, 1, "", PLAIN_WHILE_SEALED))
    elif sealed.is_file() or sealed.is_symlink():
        path = sealed
        try:
            text = read_award_text(sealed, age_identity)
        except KeyMaterialError as e:
            errors.append(ContentError(sealed, 0, "", str(e).removeprefix(f"{sealed}: ")))
            return []
        except ContentError as e:
            errors.append(e)
            return []
        except UnicodeDecodeError as e:
            errors.append(ContentError(sealed, 0, "", f"is not UTF-8 text (byte {e.start})"))
            return []
        data, lines = parse_yaml(text, sealed, errors)
    else:
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        errors.append(ContentError(path, 1, "", "must be a list of {learner_id, achievement, reason, date}"))
        return []
    out = []
    for i, item in enumerate(data):
        item_lines = lines.get(f"[{i}]", {})
        if not isinstance(item, dict):
            errors.append(ContentError(path, item_lines.get("", 0), f"[{i}]", "must be a mapping with learner_id, achievement, reason, date"))
            continue
        doc = Doc(path, item, item_lines, errors, f"[{i}].")
        doc.unknown({"learner_id", "achievement", "reason", "date"})
        learner_id, achievement, reason = doc.text("learner_id"), doc.text("achievement"), doc.text("reason")
        raw_date = item.get("date")
        date = None
        if isinstance(raw_date, dt.date):
            date = raw_date
        elif raw_date is None:
            doc.error("date", "is required (YYYY-MM-DD)")
        else:
            try:
                date = parse_day(str(raw_date))
            except ValueError as e:
                doc.error("date", str(e))
        if learner_id and achievement and reason and date:
            out.append(Revocation(learner_id, achievement, reason, date, Source(path, doc.line("learner_id"))))
    return out


def load_status_lock(path: Path, errors: list[ContentError], root: Path | None = None) -> StatusLock:
    why = reader.problem(path, root) if root is not None and os.path.lexists(path) else None
    if why:  # the one rule for content files (reader.py), before statuslock reads it
        errors.append(ContentError(path, 0, "", why))
        return StatusLock()
    return statuslock.load(path, errors)


def load_content(root: Path, age_identity: AgeIdentity | None = None) -> tuple[Content | None, list[ContentError]]:
    """Reads everything under `root`, pages and images included: (content, problems).
    Content is None when site.yml is unusable.
    `age_identity`: the build context's age key, for sealed awards (BuildContext.age_identity)."""
    errors: list[ContentError] = []
    if not root.is_dir():
        return None, [ContentError(root, 0, "", "content folder not found (use --content DIR)")]
    refused = reader.scan(root)
    if refused:  # nothing more is read: a refused file's text must not reach any message either
        return None, refused
    site = load_site(root, errors)
    achievements: dict[str, Achievement] = {}
    ach_dir = root / "achievements"
    files = sorted([*ach_dir.glob("*.yml"), *ach_dir.glob("*.yaml")]) if ach_dir.is_dir() else []
    if not files:
        errors.append(ContentError(ach_dir, 0, "", "no achievements: add achievements/<slug>.yml"))
    for f in files:
        a = load_achievement(f, root, errors, site.languages if site else ("en",))
        if a is not None:
            achievements[a.slug] = a
    awards: list[Award] = []
    notes: list[str] = []
    for f in roster_files(root / "awards", errors, notes):
        awards.extend(load_awards(f, errors, age_identity, site=site, notes=notes))
    for f in sorted((root / "pathways").glob("*.yml")) if (root / "pathways").is_dir() else []:
        pw = load_achievement(f, root, errors, site.languages if site else ("en",), pathway=True)
        if pw is not None and pw.slug in achievements:
            errors.append(ContentError(f, 1, "", f"a pathway and an achievement are both named {pw.slug!r}: "
                                                 f"slugs share one namespace (achievements/<slug>/); rename one file"))
        elif pw is not None:
            achievements[pw.slug] = pw
    revocations = load_revocations(root / REVOCATIONS_FILE, errors, age_identity, root)
    lock = load_status_lock(root / STATUS_LOCK_FILE, errors, root)
    if site is None:
        return None, errors
    assets = load_assets(root, site, achievements, errors)
    return Content(root, site, achievements, tuple(awards), tuple(revocations), lock, assets, tuple(notes)), errors
