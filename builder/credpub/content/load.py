"""Load: content/ → Content. Parses YAML and CSV keeping file and line of every value, and
converts each field to its type; every problem is collected (see validate.py for the checks
that span files)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from credpub import i18n
from credpub import layers
from credpub.content import statuslock
from credpub.credentials import dataintegrity
from credpub.content.assets import load_assets
from credpub.dates import is_duration, parse_day
from credpub.errors import ContentError, KeyMaterialError
from credpub.model import (
    TEXT_FIELDS, Achievement, Award, Content, Issuer, Revocation, SiteConfig, SmtpConfig, Source, Theme,
)
from credpub.content.seal import award_files, read_award_text
from credpub.content.statuslock import StatusLock

SITE_FILE = "site.yml"
REVOCATIONS_FILE = "revocations.yml"
STATUS_LOCK_FILE = "status-lock.json"
CLAIM_SECURITY = layers.NAMES
PARTICIPATION = ("online", "onsite", "blended")
CRYPTOSUITES = dataintegrity.SIGNING  # the suites credpub signs with, from its table of suites
SMTP_KEYS = ("host", "port", "security", "user", "from")  # site.yml `smtp:`; the password: environment only
REQUIRED_COLUMNS = ("learner_id", "name", "email", "achievement", "issued_on")
OPTIONAL_COLUMNS = ("grade", "evidence_url", "passphrase", "share_grade", "valid_until", "language")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# A pragmatic address check: one @, a dot in the domain, no spaces or angle brackets.
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]{2,}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: 20× faster
    """SafeLoader without YAML's implicit timestamps: dates stay text and are parsed here, so
    that an impossible date gets a message with its line instead of a crash."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Doc:
    """A YAML mapping with the line of each key, so that errors can name it."""

    def __init__(self, path: Path, data: dict[str, Any], lines: dict[str, int], errors: list[ContentError], prefix: str = "") -> None:
        self.path, self.data, self.lines, self.errors, self.prefix = path, data, lines, errors, prefix

    def line(self, key: str) -> int:
        return self.lines.get(key, self.lines.get("", 0))

    def error(self, key: str, message: str) -> None:
        self.errors.append(ContentError(self.path, self.line(key), self.prefix + key, message))

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "is required")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(key, f"must be text, got {type(value).__name__}")
            return default
        return value.strip()

    def number(self, key: str, *, required: bool = False, integer: bool = False, lo: float = 0, hi: float = 1e6) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f"must be a number, got {value!r}")
            return None
        if integer and not float(value).is_integer():
            self.error(key, f"must be a whole number, got {value!r}")
            return None
        if not lo <= value <= hi:
            self.error(key, f"must be between {lo:g} and {hi:g}, got {value!r}")
            return None
        return int(value) if integer else float(value)

    def text_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(key, "is required (a list)")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(key, "must be a list of non-empty texts")
            return ()
        if required and not value:
            self.error(key, "must list at least one item")
        return tuple(v.strip() for v in value)

    def localized(self, key: str, languages: tuple[str, ...], *, as_list: bool = False, required: bool = True) -> tuple[Any, dict[str, Any]]:
        """A text (or list of texts) given once or per language (`{nl: …, en: …}`): (the default
        language's value, {other language: value}). A per-language value must give every language."""
        read = self.text_list if as_list else self.text
        value = self.data.get(key)
        if not isinstance(value, dict):
            return read(key, required=required), {}
        unknown = [str(k) for k in value if k not in languages]
        missing = [lang for lang in languages if lang not in value]
        if unknown or missing:
            detail = (f"unknown language(s) {', '.join(unknown)}" if unknown else "") + \
                     ("; " if unknown and missing else "") + (f"missing {', '.join(missing)}" if missing else "")
            self.error(key, f"per-language text must give exactly the site's languages ({', '.join(languages)}): {detail}; "
                       "or write one text for all languages")
        texts = {}
        sub = _Doc(self.path, value, self.lines.get(f"{key}/") or {"": self.line(key)}, self.errors, f"{self.prefix}{key}.")
        for lang in languages:
            if lang in value:
                texts[lang] = sub.text_list(lang, required=required) if as_list else sub.text(lang, required=required)
        default = texts.pop(languages[0], () if as_list else "")
        return default, texts

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            self.error(key, f"must be one of {', '.join(choices)}, got {value!r}")
            return default
        return value

    def mapping(self, key: str, node_lines: dict[str, int]) -> _Doc:
        value = self.data.get(key)
        if value is None:
            self.error(key, "is required")
            value = {}
        elif not isinstance(value, dict):
            self.error(key, "must be a mapping of fields")
            value = {}
        return _Doc(self.path, value, node_lines or {"": self.line(key)}, self.errors, f"{self.prefix}{key}.")

    def unknown(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(str(key), f"unknown field; known fields are: {', '.join(sorted(allowed))}")


def _read_yaml(path: Path, errors: list[ContentError]) -> tuple[Any, dict[str, Any]]:
    """(data, lines) where lines maps top-level keys to line numbers and nested mappings to their own."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError as e:
        errors.append(ContentError(path, 0, "", f"is not UTF-8 text ({e.reason} at byte {e.start})"))
        return None, {}
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(e, "problem", None) or str(e)
        errors.append(ContentError(path, line, "", f"malformed YAML: {problem}; check indentation and quoting"))
        return None, {}
    return data, _lines(node)


def _lines(node: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        out[""] = node.start_mark.line + 1
        for k, v in node.value:
            out[str(k.value)] = k.start_mark.line + 1
            if isinstance(v, (yaml.MappingNode, yaml.SequenceNode)):
                out[f"{k.value}/"] = _lines(v)
    elif isinstance(node, yaml.SequenceNode):
        out[""] = node.start_mark.line + 1
        for i, item in enumerate(node.value):
            out[f"[{i}]"] = _lines(item) if isinstance(item, yaml.MappingNode) else {"": item.start_mark.line + 1}
    return out


def _linkedin_id(doc: _Doc) -> str:
    """issuer.linkedin_organization_id: the number in the issuer's LinkedIn page address
    (linkedin.com/company/<number>/admin/), put in "Add to LinkedIn" links as organizationId."""
    value = doc.text("linkedin_organization_id", required=False)
    if value and not re.fullmatch(r"[0-9]{1,20}", value):
        doc.error("linkedin_organization_id", f"must be the number of the issuer's LinkedIn page "
                                              f"(as in linkedin.com/company/12345678/admin/), got {value!r}")
        return ""
    return value


def _https_url(doc: _Doc, key: str, *, required: bool = True) -> str:
    url = doc.text(key, required=required)
    if url and not re.match(r"^https://[^\s/?#]+[^\s]*$", url):
        doc.error(key, f"must be an https:// URL, got {url!r}")
    return url


def _content_file(doc: _Doc, root: Path, key: str) -> Path | None:
    name = doc.text(key, required=False)
    if not name:
        return None
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        doc.error(key, f"must be a file inside {root}, got {name!r}")
        return None
    if not path.is_file():
        doc.error(key, f"file {name!r} not found (relative to {root})")
        return None
    return path


def load_site(root: Path, errors: list[ContentError]) -> SiteConfig | None:
    path = root / SITE_FILE
    if not path.is_file():
        errors.append(ContentError(path, 0, "", "missing: every content folder needs a site.yml (see README, 'Content format')"))
        return None
    data, lines = _read_yaml(path, errors)
    if data is None:
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(path, 1, "", "must be a mapping of fields (url, issuer, …)"))
        return None
    doc = _Doc(path, data, lines, errors)
    doc.unknown({"url", "issuer", "cryptosuite", "colours", "languages", "privacy_page", "title", "smtp"})
    smtp = _smtp(doc, path)
    url = _https_url(doc, "url")
    if url and not url.endswith("/"):
        url += "/"
    issuer_doc = doc.mapping("issuer", lines.get("issuer/", {}))
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
    colours = data.get("colours") or {}
    theme = Theme()
    if not isinstance(colours, dict):
        doc.error("colours", "must be a mapping with primary and accent")
    else:
        # Checked here only: pages, badges and emails use the colours as they are.
        colour_doc = _Doc(path, colours, lines.get("colours/") or {"": doc.line("colours")}, errors, "colours.")
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
        cryptosuite=doc.choice("cryptosuite", CRYPTOSUITES, "eddsa-rdfc-2022"),
        theme=theme,
        languages=languages,
        privacy_page=doc.text("privacy_page", required=False, default="privacy.md"),
        title=doc.text("title", required=False, default=issuer.name),
        source=Source(path, 1),
        smtp=smtp,
    )


def _smtp(doc: _Doc, path: Path) -> SmtpConfig:
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


def load_smtp(path: Path) -> tuple[SmtpConfig, list[ContentError]]:
    """The `smtp:` block of one site.yml alone, with its problems (none when the file is absent),
    for a caller that has not loaded the content."""
    errors: list[ContentError] = []
    if not path.is_file():
        return SmtpConfig(source=Source(path)), errors
    data, lines = _read_yaml(path, errors)
    if not isinstance(data, dict):
        return SmtpConfig(source=Source(path)), errors
    return _smtp(_Doc(path, data, lines, errors), path), errors


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
    data, lines = _read_yaml(path, errors)
    if data is None:
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(path, 1, "", "must be a mapping of fields (name, description, …)"))
        return None
    doc = _Doc(path, data, lines, errors)
    if not SLUG.match(slug):
        doc.error("", f"the file name {slug!r} is the achievement's slug: use lowercase letters, digits and hyphens")
    doc.unknown(PATHWAY_FIELDS if pathway else ACHIEVEMENT_FIELDS)
    components: tuple[str, ...] = ()
    min_components = 0
    if pathway:
        from credpub.content.pathways import parse_components

        components, min_components = parse_components(doc, lines.get("components/", {}))
    skills = doc.text_list("skills")
    for s in skills:
        uri = s.split("|", 1)[1].strip() if "|" in s else s
        if not re.match(r"^https?://\S+$", uri):
            doc.error("skills", f"each skill must be a URI (e.g. an ESCO skill) or 'label|URI', got {s!r}")
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
        source=Source(path, lines.get("components", 1) if pathway else 1),  # pathways: errors point at components
        components=components,
        min_components=min_components,
        language=languages[0],
        translations=tuple((lang, tuple(t.items())) for lang, t in translations.items() if t),
    )


def _truthy(text: str) -> bool | None:
    t = text.strip().lower()
    if t in ("", "no", "false", "0", "n"):
        return False
    if t in ("yes", "true", "1", "y"):
        return True
    return None


def load_awards(path: Path, errors: list[ContentError], keys_dir: Path | None = None) -> list[Award]:
    """One awards file, plain (x.csv) or sealed (x.csv.age): line numbers are those of the CSV
    text, and messages name the file as it is on disk."""
    awards: list[Award] = []
    try:
        text = read_award_text(path, keys_dir, path.parent.parent)
    except KeyMaterialError as e:
        errors.append(ContentError(path, 0, "", str(e).removeprefix(f"{path}: ")))
        return awards
    except UnicodeDecodeError as e:
        errors.append(ContentError(path, 0, "", f"is not UTF-8 text (byte {e.start}); export the sheet as 'CSV UTF-8'"))
        return awards
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        errors.append(ContentError(path, 1, "", f"malformed CSV header: {e}"))
        return awards
    if not header:
        errors.append(ContentError(path, 1, "", "is empty: the first line must name the columns"))
        return awards
    columns = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    for c in missing:
        errors.append(ContentError(path, 1, c, f"required column missing (columns must include {', '.join(REQUIRED_COLUMNS)})"))
    for c in columns:
        if c not in REQUIRED_COLUMNS and c not in OPTIONAL_COLUMNS:
            errors.append(ContentError(path, 1, c or "(empty)", f"unknown column; optional columns are {', '.join(OPTIONAL_COLUMNS)}"))
    if len(set(columns)) != len(columns):
        errors.append(ContentError(path, 1, "", "a column name appears twice"))
    if missing:
        return awards
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(ContentError(path, reader.line_num, "", f"malformed CSV: {e}; check quotes"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(columns) and all(c in OPTIONAL_COLUMNS for c in columns[len(row):]):
            row = row + [""] * (len(columns) - len(row))  # trailing optional cells left out
        if len(row) != len(columns):
            errors.append(ContentError(path, start, "", f"has {len(row)} cells, the header has {len(columns)}; check commas and quotes"))
            continue
        rec = dict(zip(columns, (cell.strip() for cell in row)))
        ok = True

        def err(field: str, msg: str) -> None:
            nonlocal ok
            ok = False
            errors.append(ContentError(path, start, field, msg))

        for c in REQUIRED_COLUMNS:
            if not rec[c]:
                err(c, "is required")
        for c in ("learner_id", "name", "grade"):  # a line break or control character is a spreadsheet slip
            if any(unicodedata.category(ch) == "Cc" for ch in rec.get(c, "")):
                err(c, f"contains a line break or control character: {rec[c]!r}; keep it on one line")
        if rec["email"] and not EMAIL.match(rec["email"]):
            err("email", f"is not a valid email address: {rec['email']!r}")
        issued = None
        if rec["issued_on"]:
            try:
                issued = parse_day(rec["issued_on"])
            except ValueError as e:
                err("issued_on", str(e))
        if rec.get("evidence_url") and not re.match(r"^https?://\S+$", rec["evidence_url"]):
            err("evidence_url", f"must be an http(s) URL, got {rec['evidence_url']!r}")
        language = rec.get("language", "").lower()
        if language and not re.fullmatch(r"[a-z]{2,3}", language):
            err("language", f"must be a language code such as nl or en, got {rec['language']!r}")
        valid_until = None
        if rec.get("valid_until"):
            try:
                valid_until = parse_day(rec["valid_until"])
            except ValueError as e:
                err("valid_until", str(e))
            if valid_until is not None and issued is not None and valid_until <= issued:
                err("valid_until", f"{valid_until} must be after issued_on ({issued})")
        share_grade = _truthy(rec.get("share_grade", ""))
        if share_grade is None:
            err("share_grade", f"must be yes or no, got {rec.get('share_grade')!r}")
        if ok and issued is not None:
            awards.append(Award(
                learner_id=rec["learner_id"], name=rec["name"], email=rec["email"], achievement=rec["achievement"],
                issued_on=issued, grade=rec.get("grade", ""), evidence_url=rec.get("evidence_url", ""),
                passphrase=rec.get("passphrase", ""), share_grade=bool(share_grade), source=Source(path, start),
                language=language,
                valid_until=valid_until,
            ))
    return awards


def load_revocations(path: Path, errors: list[ContentError]) -> list[Revocation]:
    if not path.is_file():
        return []
    data, lines = _read_yaml(path, errors)
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
        doc = _Doc(path, item, item_lines, errors, f"[{i}].")
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


def load_status_lock(path: Path, errors: list[ContentError]) -> StatusLock:
    return statuslock.load(path, errors)


def load_content(root: Path, keys_dir: Path | None = None) -> tuple[Content | None, list[ContentError]]:
    """Reads everything under `root`, pages and images included: (content, problems).
    Content is None when site.yml is unusable.
    `keys_dir`: where the age key of sealed awards is (seal.py; default ./.credpub)."""
    errors: list[ContentError] = []
    if not root.is_dir():
        return None, [ContentError(root, 0, "", "content folder not found (use --content DIR)")]
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
    for f in award_files(root / "awards"):
        awards.extend(load_awards(f, errors, keys_dir))
    for f in sorted((root / "pathways").glob("*.yml")) if (root / "pathways").is_dir() else []:
        pw = load_achievement(f, root, errors, site.languages if site else ("en",), pathway=True)
        if pw is not None and pw.slug in achievements:
            errors.append(ContentError(f, 1, "", f"a pathway and an achievement are both named {pw.slug!r}: "
                                                 f"slugs share one namespace (achievements/<slug>/); rename one file"))
        elif pw is not None:
            achievements[pw.slug] = pw
    revocations = load_revocations(root / REVOCATIONS_FILE, errors)
    lock = load_status_lock(root / STATUS_LOCK_FILE, errors)
    if site is None:
        return None, errors
    assets = load_assets(root, site, achievements, errors)
    return Content(root, site, achievements, tuple(awards), tuple(revocations), lock, assets), errors
