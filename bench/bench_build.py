"""Benchmark: build N synthetic awards and report time per stage and credentials per second.

    python bench/bench_build.py 1000 10000          # full builds (pages included)
    python bench/bench_build.py --sign-only 10000   # load → plan → sign only

Uses the demo issuer's achievements with generated graduates; writes into a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub.keys import Keys

REPO = Path(__file__).resolve().parent.parent
NAMES = ["Aistė Jankauskienė", "Jānis Bērziņš", "Олена Коваленко", "李明", "محمد الأحمد", "Zoë O'Connor", "Søren Østergaard"]


def make_content(root: Path, n: int) -> Path:
    content = root / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("awards", "status-lock.json", "revocations.yml"))
    (content / "awards").mkdir()
    slugs = sorted(p.stem for p in (content / "achievements").glob("*.yml"))
    with (content / "awards" / "bench.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["learner_id", "name", "email", "achievement", "issued_on", "grade"])
        for i in range(n):
            w.writerow([f"L{i:06d}", f"{NAMES[i % len(NAMES)]} {i}", f"learner{i}@example.org", slugs[i % len(slugs)],
                        f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "A" if i % 3 == 0 else ""])
    (content / "revocations.yml").write_text(
        "".join(f"- learner_id: L{i:06d}\n  achievement: {slugs[i % len(slugs)]}\n  reason: bench\n  date: 2026-12-31\n" for i in range(0, n, 97))
    )
    return content


def run(n: int, sign_only: bool) -> dict[str, float]:
    from credpub import pipeline
    from credpub.dataintegrity import Canonicalizer
    from credpub.plan import plan
    from credpub.sign import sign_all

    keys = Keys(Ed25519PrivateKey.from_private_bytes(bytes(32)), b"\x01" * 32)
    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), n)
        if sign_only:
            timings: dict[str, float] = {}
            t = time.perf_counter()
            c = pipeline.load_valid_content(content)
            timings["load+validate"] = time.perf_counter() - t
            t = time.perf_counter()
            p = plan(c, keys)
            timings["plan"] = time.perf_counter() - t
            t = time.perf_counter()
            sign_all(p, keys, Canonicalizer.offline())
            timings["sign"] = time.perf_counter() - t
        else:
            report = pipeline.build(content, Path(tmp) / "site", keys=keys)
            timings = dict(report.timings)
            size = sum(f.stat().st_size for f in (Path(tmp) / "site").rglob("*") if f.is_file())
            per_award = sum(
                f.stat().st_size for d in ("c", "s") for f in (Path(tmp) / "site" / d).rglob("*") if f.is_file()
            ) / n
            timings["_site_mb"] = size / 1e6
            timings["_bytes_per_award"] = per_award
    return timings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="+")
    ap.add_argument("--sign-only", action="store_true")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for n in args.n:
        t = run(n, args.sign_only)
        total = sum(v for k, v in t.items() if not k.startswith("_"))
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in t.items() if not k.startswith("_"))
        creds = 2 * n + 1  # claim and share credential per award, plus the status list
        print(f"N={n}: total {total:.2f} s ({stages}); {creds / t['sign']:.0f} credentials signed per second")
        if "_site_mb" in t:
            print(f"  site {t['_site_mb']:.1f} MB, {t['_bytes_per_award'] / 1024:.1f} KB per award (c/ and s/)")


if __name__ == "__main__":
    main()
