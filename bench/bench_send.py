"""Benchmark: `credpub send --dry-run` of N awards (one .eml file per graduate).

    python bench/bench_send.py 10000

Builds a synthetic site first (bench_build.make_content), then times the dry run alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub import clock
from credpub.build import pipeline
from credpub.context import BuildContext
from credpub.credentials.keys import Keys
from credpub.mail.send import run_send

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import make_content  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    keys = Keys(Ed25519PrivateKey.from_private_bytes(bytes(32)), b"\x01" * 32)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = make_content(root, n)
        ctx = BuildContext(today=clock.today(), content_dir=content, keys=keys)
        pipeline.build(ctx, pipeline.BuildOptions(root / "site"))
        start = time.perf_counter()
        report = run_send(ctx, site_dir=root / "site", journal=root / "journal.jsonl", dry_run=root / "eml", env={})
        seconds = time.perf_counter() - start
    print(f"send --dry-run: {len(report.sent)} messages ({len(report.revoked)} revoked skipped) in {seconds:.2f} s "
          f"= {len(report.sent) / seconds:.0f} messages/s")


if __name__ == "__main__":
    main()
