"""The whole-site golden: a complete build of a fixture issuer, every file of site/.

The issuer in `content/` has every kind of award (link, encrypted, passphrase with a given and
a generated passphrase), a pathway, two revocations, a correction (recorded in its
status-lock.json), an award scheduled after the build day, and pages in Dutch and English. The
keys, the site secret and the build day are fixed, and the browser bundle is the placeholder in
`bundle/` (verifier-js has its own tests; its bytes would tie this golden to esbuild's output),
so the build is the same bytes on every machine with the same dependencies.

    make golden      regenerate site/ (review the diff before committing it)
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.credentials.keys import Keys

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
SITE = HERE / "site"
BUNDLE = HERE / "bundle"
BUILD_DAY = dt.date(2026, 11, 20)


def keys() -> Keys:
    return Keys(Ed25519PrivateKey.from_private_bytes(bytes(range(100, 132))), bytes(range(7, 39)))


def build(work: Path) -> tuple[Path, Path]:
    """Builds a copy of the fixture issuer in `work`; returns (its content folder, its site)."""
    from credpub.build import pipeline
    from credpub.context import BuildContext

    content = work / "content"
    shutil.copytree(CONTENT, content)
    out = work / "site"
    ctx = BuildContext(today=BUILD_DAY, content_dir=content, keys_dir=work / "keys", keys=keys(),
                       bundle_dir=BUNDLE)  # the placeholder bundle (see above)
    pipeline.build(ctx, pipeline.BuildOptions(out, full=True))
    return content, out


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def regenerate() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _, out = build(Path(tmp))
        shutil.rmtree(SITE, ignore_errors=True)
        shutil.copytree(out, SITE)
    print(f"wrote {len(tree(SITE))} files into {SITE}")


