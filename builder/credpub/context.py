"""The build context: what one run of credpub works with, made once by the shell (a CLI command,
the mkdocs plugin, a test, a bench) and passed down, never rebuilt or defaulted by a stage.

    today        the build day (UTC date, `clock.today()` in the shells): awards dated after it
                 are held back, a revocation after it is refused
    content_dir  the issuer's content folder
    keys_dir     the key folder: signing key and site secret, the age key, the cache and the
                 state. None: the default folder (DEFAULT_KEYS), and the age key is also looked
                 for beside content/ (an issuer repository keeps it there)
    keys         the signing keys (`signing_keys`): given, or read by `load_keys`
    age_key      the age identity of sealed awards (`age_identity()`): given, or read by
                 `load_age_key` (content/seal.py: CREDPUB_AGE_KEY, then age-key.txt)
    cache_dir    PBKDF2 results of passphrase claims (default <keys_dir>/cache)
    state_dir    the build manifest of incremental builds (default: the cache folder)
    bundle_dir   the browser bundle the pages load (default paths.js_bundle_dir())

The signing keys are read once, and only by what signs or plans: `credpub check` works
without them. They are given (`keys`, tests and the demo) or read from the key folder by the
injected `load_keys` (credentials/keys.py; this module sits below it). The age key likewise,
and only when an awards file is sealed: content loading takes `ctx.age_identity` (AgeIdentity).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from credpub import paths
from credpub.errors import KeyMaterialError

if TYPE_CHECKING:
    import pyrage

    from credpub.credentials.keys import Keys

#: How a stage asks for the age identity: called only when a sealed file is read.
AgeIdentity = Callable[[], "pyrage.x25519.Identity"]

#: The key folder when none is given: beside content/, outside git.
DEFAULT_KEYS = Path(".credpub")
CACHE = "cache"


@dataclass(frozen=True)
class BuildContext:
    today: dt.date
    content_dir: Path
    keys_dir: Path | None = None
    keys: Keys | None = field(default=None, repr=False)
    load_keys: Callable[[Path], Keys] | None = field(default=None, repr=False)
    age_key: pyrage.x25519.Identity | None = field(default=None, repr=False)
    load_age_key: Callable[[Path | None, Path], pyrage.x25519.Identity] | None = field(default=None, repr=False)
    cache_dir: Path | None = None
    state_dir: Path | None = None
    bundle_dir: Path | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.today, dt.date):
            raise TypeError(f"the build day must be a date, got {self.today!r}")
        object.__setattr__(self, "content_dir", Path(self.content_dir))
        # Defaults derived once, here: a cache only beside a key folder that was named.
        if self.cache_dir is None and self.keys_dir is not None:
            object.__setattr__(self, "cache_dir", Path(self.keys_dir) / CACHE)
        if self.state_dir is None:
            object.__setattr__(self, "state_dir", self.cache_dir)

    @property
    def key_folder(self) -> Path:
        """Where the signing key and the site secret are read from."""
        return Path(self.keys_dir) if self.keys_dir is not None else DEFAULT_KEYS

    @cached_property
    def signing_keys(self) -> Keys:
        """The given keys, or those of the key folder, read on first use and kept."""
        if self.keys is not None:
            return self.keys
        if self.load_keys is None:
            raise KeyMaterialError(f"no signing keys: none given and no reader for {self.key_folder}")
        return self.load_keys(self.key_folder)

    def age_identity(self) -> pyrage.x25519.Identity:
        """AgeIdentity for content loading: the age key, asked for only by a sealed file."""
        return self._age_identity

    @cached_property
    def _age_identity(self) -> pyrage.x25519.Identity:
        # The given age identity, or the key folder's, read on first use and kept.
        if self.age_key is not None:
            return self.age_key
        if self.load_age_key is None:
            raise KeyMaterialError(f"sealed awards need the age key: none given and no reader for {self.key_folder}")
        return self.load_age_key(self.keys_dir, self.content_dir)

    def bundle(self) -> Path:
        """The browser bundle folder (only builds need it: `check` works without one)."""
        return self.bundle_dir if self.bundle_dir is not None else paths.js_bundle_dir()
