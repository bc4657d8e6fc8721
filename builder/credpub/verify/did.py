"""The key behind a proof (verifier-js/src/did.js): through the controller document that lists
it — did:key decoded offline, did:web and https controllers read through the Resolver."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from credpub.credentials.did import did_web_to_url
from credpub.credentials.keys import public_from_multikey
from credpub.verify.resolver import Resolver, Unavailable
from credpub.verify.values import as_list, id_of


class KeyNotResolved(Exception):
    """The key behind a proof cannot be found or tied to a controller document."""


@dataclass
class Key:
    """A verification method's key, its controller, and whether the controller lists it for issuing."""

    id: str
    controller: str
    public: bytes
    authorized: bool


def _expand_id(value: Any, base: str) -> Any:
    return base + value if isinstance(value, str) and value.startswith("#") else value


def resolve_key(verification_method: Any, resolver: Resolver) -> Key:
    """The key of a verification method, through the controller document that lists it.

    A key is never taken from a URL fragment: the controller document is resolved and must list
    the method (SPEC "Pitfalls"); `authorized` says whether it lists it under assertionMethod.
    """
    vm_id = id_of(verification_method)
    if not vm_id:
        raise KeyNotResolved("the proof names no verification method")
    controller_id = vm_id.split("#")[0]
    if not re.match(r"^(did:[a-z0-9]+:|https://)", controller_id):
        raise KeyNotResolved(f'"{controller_id}" is neither a DID nor an https URL')
    if "#" not in vm_id:
        if not vm_id.startswith("did:key:"):
            raise KeyNotResolved(f'"{vm_id}" does not name a key (no #fragment)')
        vm_id = f"{vm_id}#{vm_id[len('did:key:'):]}"
    if controller_id.startswith("did:key:"):
        mk = controller_id[len("did:key:"):]
        try:
            public = public_from_multikey(mk)
        except ValueError as e:
            raise KeyNotResolved(f'"{controller_id}" is not an Ed25519 did:key ({e})') from None
        own = f"{controller_id}#{mk}"
        if vm_id != own:
            raise KeyNotResolved(f"{controller_id} does not list the key {vm_id}")
        return Key(vm_id, controller_id, public, True)
    if controller_id.startswith("did:web:"):
        try:
            url = did_web_to_url(controller_id)
        except ValueError as e:
            raise KeyNotResolved(str(e)) from None
    elif controller_id.startswith("https://"):
        url = controller_id
    else:
        raise KeyNotResolved(f"did:{controller_id.split(':')[1]} is not a DID method credpub can resolve")
    try:
        doc = resolver.get_json(url)
    except Unavailable as e:
        raise KeyNotResolved(f"{controller_id} could not be loaded ({e})") from None
    if not isinstance(doc, dict):
        raise KeyNotResolved(f"{url} is not a controller document")
    if doc.get("id") != controller_id:
        raise KeyNotResolved(f'the document at {url} is for "{doc.get("id")}", not {controller_id}')
    listed = [*as_list(doc.get("verificationMethod")), *as_list(doc.get("assertionMethod")), *as_list(doc.get("authentication"))]
    vm = next((m for m in listed if isinstance(m, dict) and _expand_id(m.get("id"), controller_id) == vm_id), None)
    if vm is None:
        raise KeyNotResolved(f"{controller_id} does not list the key {vm_id}")
    controller = _expand_id(vm.get("controller"), controller_id)
    if controller != controller_id:
        raise KeyNotResolved(f'the key {vm_id} is controlled by "{controller}", not by {controller_id} which lists it')
    authorized = any(_expand_id(id_of(m), controller_id) == vm_id for m in as_list(doc.get("assertionMethod")))
    mk = vm.get("publicKeyMultibase")
    if not isinstance(mk, str):
        raise KeyNotResolved(f"the key {vm_id} is not an Ed25519 key credpub can read (type {vm.get('type')})")
    try:
        public = public_from_multikey(mk)
    except ValueError as e:
        raise KeyNotResolved(f"the key {vm_id} is unreadable: {e}") from None
    return Key(vm_id, controller, public, authorized)
