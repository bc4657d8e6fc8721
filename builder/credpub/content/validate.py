"""Validate: the checks that span files (load.py has already checked each field).

Every problem is returned, so that `credpub check` shows all of them at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from pathlib import Path

from credpub.content import pathways
from credpub.credentials.credential import name_refusal
from credpub.layers import layer
from credpub.errors import ContentError
from credpub.content.load import load_content
from credpub.context import AgeIdentity
from credpub.model import TEXT_FIELDS, Content


def validate(content: Content, today: dt.date) -> list[ContentError]:
    """Every problem `credpub build` would refuse, so that `credpub check` finds them first.
    `today` is the build day (UTC date)."""
    errors: list[ContentError] = []
    seen: dict[tuple[str, str], object] = {}
    for award in content.awards:
        src = award.source
        path, line = (src.path, src.line) if src else (content.root, 0)
        if award.achievement not in content.achievements:
            close = difflib.get_close_matches(award.achievement, list(content.achievements), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(content.achievements))}"
            errors.append(ContentError(path, line, "achievement", f"unknown achievement {award.achievement!r}{hint}"))
        achievement = content.achievements.get(award.achievement)
        refusal = name_refusal(award.name) if achievement is not None and layer(achievement).share_name_hashed else None
        if refusal:
            # The share credential holds this name as a hash that the share page checks typed names against.
            errors.append(ContentError(path, line, "name", f"{refusal}: remove it, so the name can be typed to check "
                                       "the share page (an encrypted claim's name is kept as a hash)"))
        if award.language and award.language not in content.site.languages:
            errors.append(ContentError(
                path, line, "language",
                f"{award.language!r} is not one of the site's languages ({', '.join(content.site.languages)}); "
                "add it to languages in site.yml or leave the cell empty for the default"))
        first = seen.get(award.key)
        if first is not None:
            errors.append(ContentError(
                path, line, "learner_id",
                f"duplicate award: {award.learner_id!r} already has {award.achievement!r} at {first}; an award is (learner_id, achievement)",
            ))
        else:
            seen[award.key] = src
    errors += identities(content)
    awards = {a.key: a for a in content.awards}
    revoked: set[tuple[str, str]] = set()
    for r in content.revocations:
        src = r.source
        path, line = (src.path, src.line) if src else (content.root, 0)
        key = (r.learner_id, r.achievement)
        if key not in awards:
            errors.append(ContentError(path, line, "learner_id", f"revokes an award that does not exist: {r.learner_id!r} / {r.achievement!r}"))
        elif r.date < awards[key].issued_on:
            errors.append(ContentError(path, line, "date", f"revocation date {r.date} is before the award was issued ({awards[key].issued_on})"))
        if r.date > today:
            errors.append(ContentError(path, line, "date", future_revocation(r.date, today)))
        if key in revoked:
            errors.append(ContentError(path, line, "learner_id", "this award is revoked twice"))
        revoked.add(key)
    return errors


def _id_form(learner_id: str) -> str:
    """A learner id as a reader sees it: compatibility forms folded, invisible format
    characters (zero-width space, BOM) dropped, case folded, outer whitespace trimmed."""
    text = unicodedata.normalize("NFKC", learner_id)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold().strip()


def _name_form(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def identities(content: Content) -> list[ContentError]:
    """One learner, one identity, across every awards file: the same learner id with another
    name or email address is refused, and so are two ids that differ only in case or invisible
    characters (pathways merge a learner's awards by id: either would merge two people, or split
    one). Both lines are named; the names and addresses themselves are not repeated (a CI log
    may be public when the awards are sealed)."""
    errors: list[ContentError] = []
    first: dict[str, object] = {}
    for award in content.awards:
        if award.automatic or award.source is None:
            continue
        form = _id_form(award.learner_id)
        seen = first.setdefault(form, award)
        if seen is award:
            continue
        other = f"{seen.source.path}:{seen.source.line}"  # type: ignore[attr-defined]
        differs = []
        if seen.learner_id != award.learner_id:  # type: ignore[attr-defined]
            differs.append("is written differently (case or invisible characters)")
        if _name_form(seen.name) != _name_form(award.name):  # type: ignore[attr-defined]
            differs.append("has another name")
        if seen.email.strip().lower() != award.email.strip().lower():  # type: ignore[attr-defined]
            differs.append("has another email address")
        if differs:
            errors.append(ContentError(
                award.source.path, award.source.line, "learner_id",
                f"learner id {award.learner_id!r} {' and '.join(differs)} than at {other}: one learner id is one "
                f"person; write the same id, name and email on both lines, or give the other person their own id"))
    return errors


def missing_translations(content: Content) -> list[str]:
    """Notes (not errors: one text for every language is allowed) naming each text a language
    lacks, by file, field and language: given once, it shows as written on that language's pages.
    Skills count when they carry labels (a bare URI has no words to translate)."""
    languages = content.site.languages
    notes: list[str] = []
    for a in sorted(content.achievements.values(), key=lambda a: a.slug):
        where = a.source.path if a.source else content.root / f"{a.slug}.yml"
        given = dict(a.translations)
        for lang in languages[1:]:
            texts = dict(given.get(lang, ()))
            fields = [f for f in TEXT_FIELDS if getattr(a, f) and f not in texts]
            if any("|" in s for s in a.skills) and "skills" not in texts:
                fields.append("skills")
            for f in fields:
                notes.append(f"{where}: {f}: no {lang} text; the {lang} pages show the one given "
                             f"(write it per language, {f}: {{{languages[0]}: …, {lang}: …}})")
    for page in content.assets.pages:
        stem = page.name.rsplit(".", 1)[0]
        for lang in languages[1:]:
            if lang not in page.variants and page.name != "404.md":
                notes.append(f"{content.root / 'pages' / page.name}: no {lang} version; the {lang} pages show this "
                             f"one (add pages/{stem}.{lang}.md)")
    return notes


def future_revocation(date: dt.date, today: dt.date) -> str:
    return (f"revocation date {date} is in the future (today is {today}, UTC): the status list would be dated "
            "after its build and every credential of the site would fail its status check; "
            "record the revocation on or after that day")


def check_content(root: Path, today: dt.date,
                  age_identity: AgeIdentity | None = None) -> tuple[Content | None, list[ContentError]]:
    """Load and validate: (content, every problem found). `age_identity`: the build context's
    age key, asked for only if an awards file is sealed."""
    content, errors = load_content(root, age_identity)
    if content is not None:
        errors += pathways.validate(content)
        content = pathways.expand(content)  # pathway awards are awards from here on
        errors += validate(content, today)
    return content, sorted(errors, key=lambda e: (str(e.path), e.line, e.field))
