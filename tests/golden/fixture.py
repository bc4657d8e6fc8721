"""A small, pinned site for render tests: model objects built by hand (no keys, no signing).

Credentials have the shape of docs/ARCHITECTURE.md with a placeholder proof; they are for
layout and size only. The hostile names check that everything displays as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from credpub.content.statuslock import StatusLock
from credpub.model import (Achievement, Award, Content, Issuer, Plan, PlannedAward, Revocation,
                           Signed, SignedAward, SiteConfig, Source, Theme)

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
URL = "https://bpes.github.io/certs/"
DID = "did:web:bpes.github.io:certs"
HOSTILE_NAME = '<img src=x onerror=alert(1)> "Bob" O\'Brien </script> إيلان 👩‍🔧'
HOSTILE_TITLE = '<script>alert("t")</script> & "Quoted" — طاقة 🎓'


def site(**kw) -> SiteConfig:
    issuer = Issuer(name="Baltic Precision Engineering Society", url="https://bpes.example.org/",
                    email="credentials@bpes.example.org", country="Latvia",
                    description="A non-profit society of engineers running short, practical courses "
                                "in metrology, CNC machining and quality.")
    base = dict(url=URL, issuer=issuer, theme=Theme(primary="#0b4f6c", accent="#f2a541"),
                title="BPES Credentials", source=Source(CONTENT / "site.yml", 1))
    base.update(kw)
    return SiteConfig(**base)


def achievements() -> dict[str, Achievement]:
    src = Source(CONTENT / "achievements" / "x.yml", 1)
    metrology = Achievement(
        slug="metrology-basics", name="Dimensional Metrology Fundamentals",
        description="Measure machined parts with hand gauges and a coordinate measuring machine, "
                    "and state every result with its uncertainty.",
        criteria="Pass a **practical exam** on a CMM and a written test (70 % or more).",
        learning_outcomes=("Select a measuring instrument fit for a given tolerance.",
                           "Estimate measurement uncertainty following the GUM.",
                           "Program and run a simple CMM inspection."),
        ects=2.0, eqf_level=5, workload_hours=50, assessment="Practical exam and written test",
        participation="blended", quality_assurance="Internal QA, reviewed yearly by the BPES board",
        prerequisites="", skills=("quality control|http://data.europa.eu/esco/skill/1",),
        valid_for="P3Y", integration="Stacks into the Precision Manufacturing pathway", source=src)
    cnc = Achievement(
        slug="cnc-milling", name="CNC Milling Programming",
        description="Write and prove out G-code programs for 3-axis milling.",
        criteria="Mill a test part within tolerance.",
        learning_outcomes=("Write G-code for pockets, contours and drilling cycles.",
                           "Set work offsets and tool lengths on a 3-axis mill."),
        ects=3.0, eqf_level=4, workload_hours=75, assessment="Practical test part",
        participation="onsite", quality_assurance="ISO 9001 certified training centre",
        prerequisites="Dimensional Metrology Fundamentals", source=src)
    hostile = Achievement(
        slug="hostile", name=HOSTILE_TITLE, description='Raw <b>HTML</b> and <script>alert(2)</script> stay text.',
        criteria="<iframe src=//evil></iframe>", learning_outcomes=('<img src=x onerror=alert(3)>',),
        ects=1.0, eqf_level=3, workload_hours=25, assessment="Quiz", participation="online",
        quality_assurance="None", source=src)
    return {a.slug: a for a in (metrology, cnc, hostile)}


def awards() -> tuple[Award, ...]:
    d = dt.date(2026, 6, 12)
    return (
        Award("L-0001", "Ana Núñez", "ana@example.org", "metrology-basics", d),
        Award("L-0002", "Jānis Bērziņš", "janis@example.org", "cnc-milling", d, grade="A", share_grade=True),
        Award("L-0003", HOSTILE_NAME, "bob@example.org", "hostile", d, grade='<b>A+</b>', share_grade=True),
        Award("L-0004", "Revoked Person", "rev@example.org", "metrology-basics", dt.date(2026, 5, 2)),
    )


def token(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def credential(p: PlannedAward, share: bool) -> dict:
    a, w = p.achievement, p.award
    ident = [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": w.name}]
    if not share:
        ident.append({"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                      "identityHash": "sha256$" + hashlib.sha256(w.email.encode()).hexdigest(), "salt": "c2FsdA"})
        ident.append({"type": "IdentityObject", "identityType": "studentId", "hashed": False, "identityHash": w.learner_id})
    subject = {
        "type": ["AchievementSubject"], "identifier": ident,
        "achievement": {
            "id": f"{URL}achievements/{a.slug}/", "type": ["Achievement"], "achievementType": a.achievement_type,
            "name": a.name, "description": a.description,
            "criteria": {"narrative": a.criteria + "\n\n" + "\n".join(f"- {o}" for o in a.learning_outcomes)},
            "image": {"id": f"{URL}achievements/{a.slug}/badge.png", "type": "Image", "caption": a.name},
            "creditsAvailable": a.ects,
            "alignment": [{"type": ["Alignment"], "targetType": "ext:EQF", "targetName": f"EQF level {a.eqf_level}",
                           "targetUrl": f"https://europa.eu/europass/en/description-eight-eqf-levels#{a.eqf_level}"}],
            "inLanguage": "en"}}
    if w.grade and (w.share_grade or not share):
        subject["result"] = [{"type": ["Result"], "resultDescription": "urn:grade", "value": w.grade}]
    cred = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": p.share_id if share else p.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": a.name,
        "issuer": {"id": DID, "type": ["Profile"], "name": "Baltic Precision Engineering Society",
                   "url": "https://bpes.example.org/", "email": "credentials@bpes.example.org",
                   "address": {"type": ["Address"], "addressCountry": "LV"},
                   "image": {"id": f"{URL}assets/logo.svg", "type": "Image"}},
        "validFrom": p.valid_from, "credentialSubject": subject,
        "credentialStatus": {"id": f"{URL}status/1.json#{p.status_index}", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": str(p.status_index),
                             "statusListCredential": f"{URL}status/1.json"},
        "credentialSchema": [{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
                              "type": "JsonSchema"}],
        "proof": [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": p.valid_from,
                   "verificationMethod": f"{DID}#key-1", "proofPurpose": "assertionMethod", "proofValue": "z" + "5" * 87}],
    }
    if p.valid_until:
        cred["validUntil"] = p.valid_until
    return cred


def signed(awards_: tuple[Award, ...] | None = None, site_: SiteConfig | None = None,
           achievements_: dict[str, Achievement] | None = None) -> Signed:
    ach = achievements_ or achievements()
    aw = awards_ if awards_ is not None else awards()
    s = site_ or site()
    content = Content(root=CONTENT, site=s, achievements=ach, awards=aw, revocations=(), status_lock=StatusLock())
    planned = []
    for i, w in enumerate(aw):
        a = ach[w.achievement]
        until = None
        if a.valid_for == "P3Y":
            until = f"{w.issued_on.year + 3}-{w.issued_on:%m-%d}T00:00:00Z"
        revocation = Revocation(w.learner_id, w.achievement, "issued in error", dt.date(2026, 6, 20)) \
            if w.name == "Revoked Person" else None
        st = token("share", w.learner_id, w.achievement)
        planned.append(PlannedAward(
            award=w, achievement=a, claim_token=token("claim", w.learner_id, w.achievement), share_token=st,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}", share_id=f"{URL}s/{st}/credential.json",
            status_list=1, status_index=1000 + i, valid_from=f"{w.issued_on}T00:00:00Z", valid_until=until,
            revocation=revocation))
    plan = Plan(content=content, did=DID, did_path="did.json", verification_method=f"{DID}#key-1",
                awards=tuple(planned), status_lock=StatusLock(), today=dt.date(2026, 6, 20))
    sas = []
    for p in planned:
        c, sc = credential(p, False), credential(p, True)
        sas.append(SignedAward(planned=p, credential=c, share_credential=sc,
                               credential_json=json.dumps(c, ensure_ascii=False, indent=2).encode(),
                               share_json=json.dumps(sc, ensure_ascii=False, indent=2).encode()))
    did_doc = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": DID,
               "verificationMethod": [{"id": f"{DID}#key-1", "type": "Multikey", "controller": DID,
                                       "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],
               "assertionMethod": [f"{DID}#key-1"]}
    status = {1: {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": f"{URL}status/1.json",
                  "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": DID,
                  "validFrom": "2026-06-20T00:00:00Z", "credentialSubject": {"id": f"{URL}status/1.json#list", "type": "BitstringStatusList",
                                        "statusPurpose": "revocation", "encodedList": "uH4sI</script>AAAA"}}}
    return Signed(plan=plan, awards=tuple(sas), did_document=did_doc, status_lists=status,
                  achievements={k: {"id": f"{URL}achievements/{k}/"} for k in ach})
