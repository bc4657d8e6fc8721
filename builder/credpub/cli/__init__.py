"""The `credpub` command: thin shells over the pipeline, one module per job. Only this package
prints.

    common.py      the group, the error wrapper, shared options, the build context
    keys.py        keygen, new, seal, unseal
    checking.py    check, verify, doctor
    issuing.py     build, links, send, revoke, demo
    publishing.py  publish, serve, bake
"""

from __future__ import annotations

from credpub.cli import checking, issuing, keys, publishing  # noqa: F401 (each registers its commands)
from credpub.cli.common import main

__all__ = ["main"]
