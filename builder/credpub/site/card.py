"""The credential card's view-model: what a card shows, read from a credential (and, for this
issuer's own achievements, the structured facts the credential has no field for).

One definition per language side: this module for the Jinja partial (theme/templates/partials/
card.html, the share page), verifier-js/src/card.js for the pages that draw the card in the
browser (claim, certificate, verify). Both are held to the same fixtures
(tests/fixtures/card/: input → view-model → HTML), so they cannot drift. The view-model is plain
JSON data, no labels: the templates and verifier-js/src/pages/strings.js word it.
"""

from __future__ import annotations

import re
from typing import Any

from credpub import layout
from credpub.dates import display_day
from credpub.model import Achievement

#: EU elements the card lists, in order (facts["elements"] keys; labels live in the templates).
ELEMENTS = ("assessment", "participation", "quality_assurance", "prerequisites", "supervision",
            "integration", "further_information")

_EQF = re.compile(r"European Qualifications Framework|EQF", re.I)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def achievement_facts(a: Achievement) -> dict[str, Any]:
    """The structured values of an achievement that a credential only states in its Markdown
    narrative; published once per achievement as achievements/<slug>/facts.json."""
    return {
        "slug": a.slug,
        "name": a.name,
        "workload_hours": a.workload_hours,
        "outcomes": list(a.learning_outcomes),
        "valid_for": a.valid_for or "",
        "elements": {k: getattr(a, k) for k in ELEMENTS if getattr(a, k)},
    }


def signed_day(cred: dict[str, Any]) -> str:
    """The day the credential was signed (its first proof's `created`), "" when it says none:
    a card shows it beside the issue day when they differ (a credential signed after its date)."""
    proof = next(iter(_list(cred.get("proof"))), None)  # the first, as card.js reads it
    return display_day(proof.get("created") if isinstance(proof, dict) else None)


def card_view(cred: dict[str, Any], facts: dict[str, Any] | None = None) -> dict[str, Any]:
    """The card of `cred` (an OpenBadgeCredential as parsed JSON). `facts` (achievement_facts)
    adds workload, outcomes and the EU elements when they belong to this credential's
    achievement."""
    subject = next(iter(_list(cred.get("credentialSubject"))), None) or {}
    ach = subject.get("achievement") or {}
    issuer = cred.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer or ""}
    ids = [i for i in _list(subject.get("identifier")) if isinstance(i, dict) and i.get("identityType") == "name"]
    plain = next((i for i in ids if i.get("hashed") is False and isinstance(i.get("identityHash"), str)), None)
    eqf = next((al for al in _list(ach.get("alignment")) if isinstance(al, dict) and _EQF.search(
        f"{al.get('targetFramework', '')} {al.get('targetType', '')} {al.get('targetName', '')}")), None)
    eqf_code = ""
    if eqf:
        eqf_code = str(eqf.get("targetCode") or "")
        if not eqf_code:
            m = re.search(r"\d+", str(eqf.get("targetName") or ""))
            eqf_code = m.group(0) if m else ""
    credits = subject.get("creditsEarned", ach.get("creditsAvailable"))
    grade = next((r for r in _list(subject.get("result")) if isinstance(r, dict) and r.get("value") is not None), None)
    skills = [{"label": str(al.get("targetName") or al.get("targetUrl") or ""), "uri": str(al.get("targetUrl") or "")}
              for al in _list(ach.get("alignment"))
              if isinstance(al, dict) and "Competency" in str(al.get("targetType") or "")]
    types = _list(ach.get("achievementType"))
    image = ach.get("image")
    ach_id = str(ach.get("id") or "")
    mine = bool(facts) and (ach_id.rstrip("/") + "/").endswith(layout.achievement_page(facts["slug"]))
    f = facts if mine else {}
    return {
        "id": str(cred.get("id") or ""),
        "type": str(types[0]) if types else "Achievement",
        "achievement": str(ach.get("name") or cred.get("name") or ""),
        "achievement_id": ach_id,
        "lang": str(ach.get("inLanguage") or ""),
        "description": str(ach.get("description") or cred.get("description") or ""),
        "image": str(image.get("id") if isinstance(image, dict) else image or ""),
        "learner": plain["identityHash"] if plain else (subject.get("name") if isinstance(subject.get("name"), str) else ""),
        "learner_hashed": plain is None and any(i.get("hashed") is True for i in ids),
        "issuer": {
            "id": str(issuer.get("id") or ""),
            "name": str(issuer.get("name") or ""),
            "country": str((issuer.get("address") or {}).get("addressCountry") or ""),
            "email": str(issuer.get("email") or ""),
            "url": str(issuer.get("url") or ""),
        },
        "valid_from": display_day(cred.get("validFrom") or cred.get("issuanceDate")),
        "signed": signed_day(cred),
        "valid_until": display_day(cred.get("validUntil") or cred.get("expirationDate")),
        "credits": credits if isinstance(credits, (int, float)) and not isinstance(credits, bool) else None,
        "eqf": eqf_code,
        "grade": str(grade["value"]) if grade else "",
        "skills": skills,
        "workload_hours": f.get("workload_hours"),
        "outcomes": list(f.get("outcomes") or []),
        "valid_for": f.get("valid_for") or "",
        "elements": dict(f.get("elements") or {}),
    }
