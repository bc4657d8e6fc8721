"""The Open Badges 3.0 documents: the claim credential, its privacy-friendly share version,
the public Achievement, and the status list credential (unsigned; sign.py signs them).

EU microcredential elements (Council Recommendation 2022/C 243/02, Annex I) map onto OB 3.0
fields where one exists, and into the criteria narrative otherwise; docs/eu-mapping.md has the
table.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from credpub import i18n, layout
from credpub.credentials.contexts import OB_V3, VC_V2
from credpub.credentials.keys import derive
from credpub.dates import MIDNIGHT_UTC
from credpub.layers import layer
from credpub.model import Achievement, EarnedComponent, Plan, PlannedAward, SiteConfig
from credpub.credentials.statuslist import encode

CONTEXT = [VC_V2, OB_V3]
SCHEMA = [{
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "JsonSchema",
}]
EQF_URI = "http://data.europa.eu/snb/eqf/{}"  # Europass EQF level concepts


def participation_text(L: i18n.Lang, participation: str) -> str:
    return {"online": L._("Online"), "onsite": L._("On site"),
            "blended": L._("Blended (online and on site)")}.get(participation, participation)


def achievement_url(site: SiteConfig, slug: str) -> str:
    return site.url + layout.achievement_page(slug)


def badge_url(site: SiteConfig, slug: str) -> str:
    return site.url + layout.badge_png(slug)


def issuer_profile(plan: Plan) -> dict[str, Any]:
    site = plan.content.site
    issuer = site.issuer
    profile: dict[str, Any] = {
        "id": plan.did,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "address": {"type": ["Address"], "addressCountry": issuer.country},
    }
    if issuer.description:
        profile["description"] = issuer.description
    if issuer.logo is not None:
        profile["image"] = {"id": logo_url(site), "type": "Image", "caption": issuer.name}
    return profile


def logo_url(site: SiteConfig) -> str | None:
    """Where the issuer's logo is published (site/assets/logo.<ext>), or None without one."""
    logo = site.issuer.logo
    return None if logo is None else f"{site.url}assets/logo{logo.suffix.lower()}"


def criteria_narrative(a: Achievement, names: dict[str, str] | None = None) -> str:
    """Markdown (OB 3.0 allows it in narrative) holding the elements that have no OB field, with
    headings in the achievement's language (the credential's `inLanguage`). `names`: slug → name
    of the achievements, for a pathway's list of components."""
    L = i18n.get(a.language)
    facts = []
    if a.workload_hours is not None:
        workload = L.hours(a.workload_hours)
        if a.ects is not None:
            workload += " (" + L.credits(a.ects) + ")"
        facts.append((L._("Notional workload:"), workload))
    elif a.ects is not None:
        facts.append((L._("Credits:"), L.credits(a.ects)))
    if a.eqf_level is not None:
        facts.append((L._("EQF level:"), str(a.eqf_level)))
    facts += [(L._("Type of assessment:"), a.assessment),
              (L._("Form of participation:"), participation_text(L, a.participation)),
              (L._("Quality assurance:"), a.quality_assurance),
              (L._("Prerequisites:"), a.prerequisites),
              (L._("Supervision and identity verification:"), a.supervision),
              (L._("Integration and stackability:"), a.integration),
              (L._("Further information:"), a.further_information)]
    lines = [a.criteria, ""]
    if a.is_pathway:
        rule = (L._("Awarded for holding all of:") if not a.min_components
                else L._("Awarded for holding at least %(count)s of:", count=a.min_components))
        lines += ["**" + rule + "**", ""]
        lines += [f"- {(names or {}).get(s, s)}" for s in a.components] + [""]
    lines += ["**" + L._("Learning outcomes") + "**", ""]
    lines += [f"- {o}" for o in a.learning_outcomes]
    about = L._("About this pathway") if a.is_pathway else L._("About this microcredential")
    lines += ["", "**" + about + "**", ""]
    lines += [f"- **{label}** {value}" for label, value in facts if value]
    return "\n".join(lines)


def achievement_document(plan: Plan, a: Achievement, *, with_context: bool = False) -> dict[str, Any]:
    site = plan.content.site
    doc: dict[str, Any] = {}
    if with_context:
        doc["@context"] = CONTEXT
    doc.update({
        "id": achievement_url(site, a.slug),
        "type": ["Achievement"],
        "achievementType": a.achievement_type,
        "name": a.name,
        "description": a.description,
        "criteria": {"narrative": criteria_narrative(a, {s: x.name for s, x in plan.content.achievements.items()})},
        "image": {"id": badge_url(site, a.slug), "type": "Image",
                  "caption": i18n.get(a.language)._("%(name)s badge", name=a.name)},
        "inLanguage": a.language,
    })
    if a.ects is not None:
        doc["creditsAvailable"] = a.ects
    alignment = []
    if a.eqf_level is not None:
        alignment.append({
            "type": ["Alignment"],
            "targetName": i18n.get(a.language)._("EQF level %(level)s", level=a.eqf_level),
            "targetUrl": EQF_URI.format(a.eqf_level),
            "targetFramework": "European Qualifications Framework",
            "targetCode": str(a.eqf_level),
        })
    for skill in a.skills:
        label, uri = skill_parts(skill)
        alignment.append({
            "type": ["Alignment"],
            "targetName": label,
            "targetUrl": uri,
            "targetType": "ceasn:Competency",
            "targetFramework": "ESCO" if "data.europa.eu/esco" in uri else "Skills",
        })
    for slug in a.components:  # a pathway names its components (why alignment: pathways.py)
        component = plan.content.achievements[slug]
        alignment.append({
            "type": ["Alignment"],
            "targetName": component.name,
            "targetUrl": achievement_url(site, slug),
            "targetDescription": component.description,
            "targetCode": slug,
            "targetType": "ceterms:Credential",
            "targetFramework": site.issuer.name,
        })
    if alignment:
        doc["alignment"] = alignment
    doc["tag"] = [f"participation:{a.participation}", "pathway" if a.is_pathway else "microcredential"]
    return doc


def skill_parts(value: str) -> tuple[str, str]:
    """(label, uri) of a skill from content: "label|uri", or a bare URI (labelled from its tail)."""
    if "|" in value:
        label, uri = (part.strip() for part in value.split("|", 1))
        return label or uri, uri
    tail = value.rstrip("/").rsplit("/", 1)[-1]
    framework = "ESCO skill" if "data.europa.eu/esco" in value else "Skill"
    return f"{framework} {tail[:8]}", value


def _grade_description(plan: Plan, a: Achievement) -> dict[str, Any]:
    return {
        "id": f"{achievement_url(plan.content.site, a.slug)}#grade",
        "type": ["ResultDescription"],
        "name": i18n.get(a.language)._("Grade"),
        "resultType": "LetterGrade",
    }


def _status_entry(plan: Plan, p: PlannedAward) -> dict[str, Any]:
    list_url = plan.content.site.url + layout.status_list(p.status_list)
    return {
        "id": f"{list_url}#{p.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(p.status_index),  # a base-10 string (spec §2.1)
        "statusListCredential": list_url,
    }


def hashed_identity(secret: bytes, label: str, token: str, identity_type: str, value: str) -> dict[str, Any]:
    """OB 3.0 hashed identifier: sha256$hex(value + salt); the salt is per award and stable."""
    salt = derive(secret, label, token.encode()).hex()[:16]
    digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
    return {"type": "IdentityObject", "identityType": identity_type, "hashed": True, "identityHash": f"sha256${digest}", "salt": salt}


def email_identity(secret: bytes, p: PlannedAward) -> dict[str, Any]:
    return hashed_identity(secret, "email-salt", p.claim_token, "emailAddress", p.award.email.strip().lower())


# Unicode White_Space that NFKC leaves as it is (it makes the others U+0020), spelled out so the
# browser (verifier-js/src/site/names.js) splits alike.
_NAME_SPACES = re.compile("[\t-\r \x85\u1680\u2028\u2029]+")


#: Control characters that are not white space (tab, line breaks and NEL are, and collapse).
_NAME_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def name_refusal(name: str) -> str | None:
    """Why a name cannot be held as a hash, or None: a format character (Cf: U+200B, U+FEFF,
    U+202E, soft hyphen, ZWJ …) or a control character. Invisible, they make a name that shows
    as another (a BOM, a bidi override) or that nobody can retype; the browser
    (verifier-js/src/site/names.js) refuses the same ones."""
    import unicodedata

    for c in name:
        if unicodedata.category(c) == "Cf" or _NAME_CONTROLS.match(c):
            return f"contains the invisible character U+{ord(c):04X} ({unicodedata.name(c, 'a control character')})"
    return None


def normalize_name(name: str) -> str:
    """Names are hashed in a form people can retype, by the rule the share page checks a typed
    name with (verifier-js/src/site/names.js; verifier-js/test/fixtures/names.json holds both to
    the same cases): names with format or control characters are refused (name_refusal:
    ValueError), then NFKC, full case folding, NFKC again (folding may decompose), white space
    collapsed to one space, trimmed."""
    import unicodedata

    refusal = name_refusal(name)
    if refusal:
        raise ValueError(f"the name {refusal}")
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return _NAME_SPACES.sub(" ", text).strip(" ")


def hashed_name_identity(secret: bytes, p: PlannedAward) -> dict[str, Any]:
    return hashed_identity(secret, "name-salt", p.share_token, "name", normalize_name(p.award.name))


_SHARED: list[Any] = [None, {}]  # [the plan being signed, {slug: (achievement, document)}]


def _shared_achievement(plan: Plan, a: Achievement) -> dict[str, Any]:
    """achievement_document once per achievement of the plan being signed (thousands of awards
    share a few), not changed afterwards: every credential of the achievement holds the same
    nested values."""
    if _SHARED[0] is not plan:
        _SHARED[:] = [plan, {}]
    hit = _SHARED[1].get(a.slug)
    if hit is None or hit[0] is not a:
        hit = _SHARED[1][a.slug] = (a, achievement_document(plan, a))
    return hit[1]


def credential_document(plan: Plan, p: PlannedAward, secret: bytes, *, share: bool) -> dict[str, Any]:
    a, award = p.achievement, p.award
    achievement = dict(_shared_achievement(plan, a))  # its own top level: resultDescription below
    graded = bool(award.grade) and (not share or award.share_grade)
    if graded:
        achievement["resultDescription"] = [_grade_description(plan, a)]
    if share and layer(a).share_name_hashed:
        # Encrypted claims keep every personal datum out of the site, the share credential's
        # name too: it carries a salted hash, which anyone who knows the name can check.
        identifiers: list[dict[str, Any]] = [hashed_name_identity(secret, p)]
    else:
        identifiers = [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": award.name}]
    if not share:
        identifiers.append(email_identity(secret, p))
        identifiers.append({"type": "IdentityObject", "identityType": "sisSourcedId", "hashed": False, "identityHash": award.learner_id})
    subject: dict[str, Any] = {"type": ["AchievementSubject"], "identifier": identifiers, "achievement": achievement}
    if a.ects is not None:
        subject["creditsEarned"] = a.ects
    if graded:
        subject["result"] = [{"type": ["Result"], "resultDescription": achievement["resultDescription"][0]["id"], "value": award.grade}]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": p.share_id if share else p.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": a.name,
        "description": a.description,
        "issuer": issuer_profile(plan),
        "validFrom": p.valid_from,
    }
    if p.valid_until:
        doc["validUntil"] = p.valid_until
    doc["credentialSubject"] = subject
    evidence = [{"id": award.evidence_url, "type": ["Evidence"]}] if award.evidence_url and not share else []
    evidence += [component_evidence(plan, c, share=share) for c in p.components]
    if evidence:
        doc["evidence"] = evidence
    doc["credentialStatus"] = _status_entry(plan, p)
    doc["credentialSchema"] = SCHEMA
    return doc


def component_evidence(plan: Plan, c: EarnedComponent, *, share: bool) -> dict[str, Any]:
    """A pathway credential's evidence entry for one of the learner's component credentials
    (why evidence: pathways.py). The share credential leaves out the id: it names the learner's
    private claim credential."""
    entry: dict[str, Any] = {} if share else {"id": c.credential_id}
    entry.update({"type": ["Evidence"], "name": plan.content.achievements[c.slug].name,
                  "url": achievement_url(plan.content.site, c.slug), "awardedDate": c.valid_from})
    return entry


def status_list_document(plan: Plan, n: int, bits: bytes, day: str) -> dict[str, Any]:
    """Status list `n`, valid from `day` (YYYY-MM-DD: the day its bits last changed, sign.py)."""
    url = plan.content.site.url + layout.status_list(n)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": plan.did,
        "validFrom": f"{day}{MIDNIGHT_UTC}",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(bits),
        },
    }
