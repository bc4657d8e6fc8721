"""The machine-readable files of the site: credentials, DID document, status lists,
achievement JSON. (render.py makes the pages people read.)"""

from __future__ import annotations

import json

from credpub import layout
from credpub.credentials.did import custom_domain
from credpub.model import Signed, SignedAward
from credpub.build.sign import to_json


def pretty_json(doc) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def status_list_files(signed: Signed) -> dict[str, bytes]:
    return {layout.status_list(n): to_json(doc) for n, doc in signed.status_lists.items()}


def award_data_files(s: SignedAward) -> dict[str, bytes]:
    return {layout.credential_file(s.planned.claim_path): s.claim_json or s.credential_json,
            layout.credential_file(s.planned.share_path): s.share_json}


def data_files(signed: Signed) -> dict[str, bytes]:
    plan = signed.plan
    files: dict[str, bytes] = {plan.did_path: pretty_json(signed.did_document)}
    for slug, doc in signed.achievements.items():
        files[layout.achievement_file(slug)] = pretty_json(doc)
    files.update(status_list_files(signed))
    for s in signed.awards:
        files.update(award_data_files(s))
    files[".nojekyll"] = b""  # GitHub Pages: serve .well-known/ and files starting with _ as they are
    domain = custom_domain(plan.content.site.url)
    if domain:
        files["CNAME"] = (domain + "\n").encode("ascii")
    return files
