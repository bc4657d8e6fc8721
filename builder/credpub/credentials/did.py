"""did:web for the issuer: derived from the site URL (did:web method spec §3.2)."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from credpub import layout
from credpub.credentials.keys import Keys

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_web_from_url(url: str) -> tuple[str, str]:
    """(did, path of the DID document in site/) for a site URL.

    https://org.github.io/certs/ → did:web:org.github.io:certs, "did.json";
    https://certs.example.org/  → did:web:certs.example.org, ".well-known/did.json".
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f"%3A{parts.port}"
    segments = [s for s in parts.path.split("/") if s]
    did = "did:web:" + ":".join([host, *(quote(unquote(s), safe="") for s in segments)])
    return did, (layout.DID_SUB_PATH if segments else layout.DID_HOST_ROOT)


def custom_domain(url: str) -> str | None:
    """The host to name in site/CNAME when the site is on a domain of its own (GitHub Pages reads
    it when publishing from a branch); None on *.github.io, which needs none. A root-domain URL
    also gives a root-domain DID (did:web:example.org, document at /.well-known/did.json)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.port or host.endswith(".github.io") or host == "localhost":
        return None
    return host.encode("idna").decode("ascii")  # a CNAME file holds the ASCII (punycode) name


_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$", re.I)


def did_web_to_url(did: str) -> str:
    """The https URL of a did:web DID document.

    The same rules as verifier-js/src/did.js `didWebToUrl`: a valid host name, and no empty,
    `.` or `..` path segment and no (percent-encoded) separator, so a DID can never name a
    document outside its own path (`did:web:x.org:a:..:..`)."""
    if not did.startswith("did:web:"):
        raise ValueError(f"not a did:web DID: {did!r}")
    parts = did[len("did:web:"):].split("#")[0].split(":")
    host = unquote(parts[0]).lower()
    if not _HOST.match(host):
        raise ValueError(f"{did!r} has no valid host name")
    path = [unquote(p) for p in parts[1:]]
    for seg in path:
        if seg in ("", ".", "..") or re.search(r"[/?#\\%]", seg):
            raise ValueError(f"{did!r} has an invalid path segment {seg!r}")
    if path:
        return f"https://{host}/{'/'.join(quote(s, safe='') for s in path)}/{layout.DID_SUB_PATH}"
    return f"https://{host}/{layout.DID_HOST_ROOT}"


def verification_method_id(did: str, public_multikey: str) -> str:
    # The key's own multibase as fragment: ids stay distinct across key rotations.
    return f"{did}#{public_multikey}"


def did_document(did: str, keys: Keys) -> dict:
    """The DID document: the current key and every retired one, so old credentials still verify;
    a compromised key stays listed but leaves assertionMethod, so nothing it signed verifies."""
    methods = [keys.public_multikey, *[k for k in dict.fromkeys(keys.retired) if k != keys.public_multikey]]
    vms = [
        {"id": verification_method_id(did, mk), "type": "Multikey", "controller": did, "publicKeyMultibase": mk}
        for mk in methods
    ]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": vms,
        "assertionMethod": [vm["id"] for vm, mk in zip(vms, methods) if mk not in keys.compromised],
    }
