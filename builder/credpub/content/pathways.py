"""Stackable pathways: content/pathways/<slug>.yml → automatic awards.

A pathway is an achievement (same fields, EU elements and claim layers; loaded by load.py)
with components:

    components:            components:
      all: [a, b, c]         min: 2
                             of: [a, b, c]

`expand()` turns the content's awards into pathway awards: every learner (by learner_id)
holding enough components earns the pathway, dated the day the last needed component was issued
(for `min: N`, the N-th earliest date). Only non-revoked components count; a learner whose
components would qualify but for a revocation keeps the pathway credential, revoked from the
day it broke. From there on a pathway award is an award like any other: plan, sign, render,
send treat it the same.

The pathway's Achievement (public, the same in every credential) names every component in its
`alignment`, one entry per component with targetType "ceterms:Credential" (credential.py). Why
not `related`: OB 3.0 defines Related as "another Achievement that should be considered the same
for most purposes" (other languages and versions), which components are not. Alignment is an
Achievement property the OB 3.0 context defines and the 1EdTech JSON Schema accepts with that
targetType (AlignmentTargetType enum), so every verifier reads it.

The credential names the components *this learner* earned (`basis()`: the live ones, or all
held when a revocation broke the pathway) in its `evidence`: OB 3.0's "descriptive metadata about
evidence related to the achievement assertion", per credential, typed Evidence, defined by the
VC 2.0 and OB 3.0 contexts (so RDFC signing covers it). One entry per component: `id` the
component claim credential's id (urn:uuid), `name` and `url` its achievement, `awardedDate` (OB
3.0's term for when a credential was awarded) its issue date. Why not `result`: a Result states
a value for one of the achievement's ResultDescriptions (a grade, a level), not another
credential. The share credential keeps the dates and achievements but not the ids: the ids
name the learner's private claim credentials, which the share link does not open.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Container
from typing import Any

from credpub import layers
from credpub.errors import ContentError
from credpub.model import Achievement, Award, Content, Revocation

BROKEN_REASON = "a component credential of this pathway was revoked"


def parse_components(doc: Any, lines: dict[str, Any]) -> tuple[tuple[str, ...], int]:
    """(component slugs, min) from a pathway's `components:` mapping; problems go to doc.errors."""
    value = doc.data.get("components")
    if value is None:
        doc.error("components", "is required: `all: [slug, …]` or `min: N` with `of: [slug, …]`")
        return (), 0
    if not isinstance(value, dict) or not (set(value) == {"all"} or set(value) == {"min", "of"}):
        doc.error("components", "must be `all: [slug, …]`, or `min: N` and `of: [slug, …]`")
        return (), 0
    sub = type(doc)(doc.path, value, lines or {"": doc.line("components")}, doc.errors, "components.")
    slugs = sub.text_list("all" if "all" in value else "of", required=True)
    minimum = 0
    if "min" in value:
        minimum = sub.number("min", required=True, integer=True, lo=1, hi=1000) or 0
        if minimum and slugs and minimum > len(slugs):
            sub.error("min", f"is {minimum}, but the pathway lists only {len(slugs)} components")
    seen: set[str] = set()
    for s in slugs:
        if s in seen:
            sub.error("all" if "all" in value else "of", f"lists {s!r} twice")
        seen.add(s)
    return slugs, minimum


def validate(content: Content) -> list[ContentError]:
    """Checks across files: components exist and are achievements (not pathways); a pathway's
    claim layer is at least as strong as each of its components' (a pathway credential names
    the learner too: a `link` pathway over `encrypted` components would publish in plain the
    names those encrypt); nobody awards a pathway by hand."""
    errors: list[ContentError] = []
    for pw in content.achievements.values():
        if not pw.is_pathway:
            continue
        path = pw.source.path if pw.source else content.root
        for slug in pw.components:
            target = content.achievements.get(slug)
            if target is None:
                known = ", ".join(sorted(s for s, a in content.achievements.items() if not a.is_pathway))
                errors.append(ContentError(path, _line(pw), "components", f"unknown achievement {slug!r}; known: {known}"))
            elif target.is_pathway:
                errors.append(ContentError(path, _line(pw), "components", f"{slug!r} is a pathway: components must be achievements"))
            elif layers.strength(pw) < layers.strength(target):
                where = target.source.path if target.source else slug
                errors.append(ContentError(
                    path, _line(pw), "claim_security",
                    f"is {pw.claim_security}, weaker than {target.claim_security} of its component {slug!r} ({where}): "
                    f"the pathway's credential would show in plain what the component's protects; set "
                    f"claim_security: {target.claim_security} (or stronger) here, or lower the component's"))
    for award in content.awards:
        a = content.achievements.get(award.achievement)
        if a is not None and a.is_pathway and not award.automatic:
            src = award.source
            errors.append(ContentError(src.path if src else content.root, src.line if src else 0, "achievement",
                                       f"{award.achievement!r} is a pathway: the build awards it to everyone holding its "
                                       f"components; remove this row"))
    return errors


def _line(pw) -> int:
    return pw.source.line if pw.source else 0


def counts_towards(content: Content) -> dict[str, list[str]]:
    """achievement slug → the pathways (slugs) it is a component of."""
    out: dict[str, list[str]] = defaultdict(list)
    for pw in sorted(content.achievements.values(), key=lambda a: a.slug):
        for slug in pw.components:
            out[slug].append(pw.slug)
    return dict(out)


def expand(content: Content) -> Content:
    """The content with every earned pathway award (and the revocations of broken ones) added."""
    pathways = sorted((a for a in content.achievements.values() if a.is_pathway), key=lambda a: a.slug)
    if not pathways:
        return content
    revoked = {(r.learner_id, r.achievement): r for r in content.revocations}
    held: dict[str, dict[str, Award]] = defaultdict(dict)
    for award in content.awards:
        if not award.automatic:
            held[award.learner_id][award.achievement] = award
    awards, revocations = list(content.awards), list(content.revocations)
    for pw in pathways:
        need = pw.components_needed
        for learner_id in sorted(held):
            comps = [held[learner_id][s] for s in pw.components if s in held[learner_id]]
            if len(comps) < need:
                continue
            live = [c for c in comps if c.key not in revoked]
            stands_on = basis(pw, held[learner_id], revoked)
            issued = sorted(c.issued_on for c in stands_on)[need - 1]
            # Name and address as on the newest component: the most recent the issuer knows.
            newest = max(stands_on, key=lambda c: c.issued_on)
            awards.append(Award(learner_id=learner_id, name=newest.name, email=newest.email, achievement=pw.slug,
                                issued_on=issued, source=pw.source, automatic=True))
            if len(live) < need and (learner_id, pw.slug) not in revoked:
                revocations.append(Revocation(learner_id, pw.slug, BROKEN_REASON,
                                              max(_broke_on(comps, revoked, need), issued), pw.source))
    return dataclasses.replace(content, awards=tuple(awards), revocations=tuple(revocations))


def basis(pw: Achievement, held: dict[str, Award], revoked: Container[tuple[str, str]]) -> list[Award]:
    """The components a learner's pathway award stands on, in the pathway's order: of the
    learner's awards `held` (slug → award), the non-revoked components, or every held one when
    revocations left too few (the pathway is then revoked too)."""
    comps = [held[s] for s in pw.components if s in held]
    live = [c for c in comps if c.key not in revoked]
    return live if len(live) >= pw.components_needed else comps


def _broke_on(comps: list[Award], revoked: dict, need: int):
    """The date of the revocation after which fewer than `need` components were left."""
    left = len(comps)
    for d in sorted(revoked[c.key].date for c in comps if c.key in revoked):
        left -= 1
        if left < need:
            return d
    raise AssertionError("called only for broken pathways")
