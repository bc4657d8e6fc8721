"""The issuer's entry for a wallet's issuer registry. The Learner Credential Wallet and
VerifierPlus (verifier-core) say "issuer not in a registry" unless the issuer's DID is listed in
one of the registries they know: DCC's static registries (a registry.json changed by pull
request: {"meta": …, "registry": {"<did>": {"name", "location", "url"}}}, read by
@digitalcredentials/issuer-registry-client as type "dcc-legacy") or an OpenID Federation
registry (DCC's member registry), whose entity metadata also carries the logo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from credpub import i18n
from credpub.content.load import load_site
from credpub.credentials.credential import logo_url
from credpub.credentials.did import did_web_from_url
from credpub.errors import ContentError, ContentErrors
from credpub.model import SiteConfig

FORMATS = ("dcc", "oidf")


def registry_entry(site: SiteConfig, form: str = "dcc") -> dict[str, Any]:
    """`dcc`: the key and value to add under "registry" in a DCC registry.json; `oidf`: the
    entity's federation_entity metadata (name, home page, logo, location) for its DID."""
    did, _ = did_web_from_url(site.url)
    issuer = site.issuer
    location = i18n.get("en").country(issuer.country)  # the registries are in English
    if form == "dcc":
        return {did: {"name": issuer.name, "location": location, "url": issuer.url}}
    entity: dict[str, Any] = {"organization_name": issuer.name, "homepage_uri": issuer.url}
    if (logo := logo_url(site)) is not None:
        entity["logo_uri"] = logo
    entity["location"] = location
    return {"sub": did, "metadata": {"federation_entity": entity}}


def entry_for(content_dir: Path, form: str = "dcc") -> dict[str, Any]:
    """The entry from content/site.yml (nothing else is read: no keys, no awards)."""
    errors: list[ContentError] = []
    site = load_site(content_dir, errors)
    if errors or site is None:
        raise ContentErrors(errors)
    return registry_entry(site, form)
