"""Benchmark: build N synthetic awards and report time per stage and credentials per second.

    python bench/bench_build.py 1000 10000          # full builds (pages included)
    python bench/bench_build.py --sign-only 10000   # load → plan → sign only
    python bench/bench_build.py --incremental 10000 # full build, then: one award changed; a 500-award
                                                    # cohort added (against a 500-award full build)
    python bench/bench_build.py --db 2000           # full build, then Digital Bazaar's vc signs (up to
                                                    # 1,000 of) the same credentials in one node process:
                                                    # the build's credentials per second against DB's

Uses the demo issuer's achievements with generated graduates; writes into a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import subprocess
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credpub import clock
from credpub.context import BuildContext
from credpub.credentials.keys import Keys

REPO = Path(__file__).resolve().parent.parent
# Dates up to 2026-11: before the build day (awards after it are held back, revocations refused).
NAMES = ["Aistė Jankauskienė", "Jānis Bērziņš", "Олена Коваленко", "李明", "محمد الأحمد", "Zoë O'Connor", "Søren Østergaard"]


def write_awards(path: Path, start: int, n: int, slugs: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["learner_id", "name", "email", "achievement", "issued_on", "grade"])
        for i in range(start, start + n):
            w.writerow([f"L{i:06d}", f"{NAMES[i % len(NAMES)]} {i}", f"learner{i}@example.org", slugs[i % len(slugs)],
                        f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}", "A" if i % 3 == 0 else ""])


def make_content(root: Path, n: int) -> Path:
    content = root / "content"
    shutil.copytree(REPO / "content", content, ignore=shutil.ignore_patterns("awards", "status-lock.json", "revocations.yml"))
    (content / "awards").mkdir()
    slugs = sorted(p.stem for p in (content / "achievements").glob("*.yml"))
    write_awards(content / "awards" / "bench.csv", 0, n, slugs)
    (content / "revocations.yml").write_text(
        "".join(f"- learner_id: L{i:06d}\n  achievement: {slugs[i % len(slugs)]}\n  reason: bench\n  date: 2026-11-30\n" for i in range(0, n, 97))
    )
    return content


def context(content: Path, keys: Keys, **kw) -> BuildContext:
    """The bench is a shell: it makes the build context, with today's date (UTC)."""
    return BuildContext(today=clock.today(), content_dir=content, keys=keys, **kw)


DB_SAMPLE = 1000


def db_sign_rate(site: Path, tmp: Path) -> float:
    """Credentials per second Digital Bazaar's vc.issue signs (eddsa-rdfc-2022, one node process),
    on the unsigned credentials of the built site (claim credentials stored encrypted left out)."""
    docs = []
    for kind in ("s", "c"):
        for f in sorted((site / kind).glob("*/credential.json")):
            doc = json.loads(f.read_bytes())
            if "proof" in doc:
                doc.pop("proof")
                docs.append(doc)
    path = tmp / "db-unsigned.json"
    path.write_text(json.dumps(docs[:DB_SAMPLE]), "utf-8")
    out = subprocess.run(["node", str(REPO / "bench" / "db_sign.mjs"), str(path)], check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["signed"] / result["seconds"]


def run(n: int, sign_only: bool, db: bool = False) -> dict[str, float]:
    from credpub.build import pipeline
    from credpub.build.plan import make_plan
    from credpub.build.sign import sign_all
    from credpub.credentials.dataintegrity import Canonicalizer

    keys = Keys(Ed25519PrivateKey.from_private_bytes(bytes(32)), b"\x01" * 32)
    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), n)
        if sign_only:
            timings: dict[str, float] = {}
            t = time.perf_counter()
            ctx = context(content, keys)
            c = pipeline.load_valid_content(ctx)
            timings["load+validate"] = time.perf_counter() - t
            t = time.perf_counter()
            p = make_plan(c, keys, ctx.today)
            timings["plan"] = time.perf_counter() - t
            t = time.perf_counter()
            sign_all(p, keys, Canonicalizer.offline())
            timings["sign"] = time.perf_counter() - t
        else:
            report = pipeline.build(context(content, keys), pipeline.BuildOptions(Path(tmp) / "site"))
            timings = dict(report.timings)
            size = sum(f.stat().st_size for f in (Path(tmp) / "site").rglob("*") if f.is_file())
            per_award = sum(
                f.stat().st_size for d in ("c", "s") for f in (Path(tmp) / "site" / d).rglob("*") if f.is_file()
            ) / n
            timings["_site_mb"] = size / 1e6
            timings["_bytes_per_award"] = per_award
            if db:
                timings["_db_rate"] = db_sign_rate(Path(tmp) / "site", Path(tmp))
    return timings


KEYS = Keys(Ed25519PrivateKey.from_private_bytes(bytes(32)), b"\x01" * 32)
COHORT = 500


def _timed_build(content: Path, out: Path, state: Path | None):
    from credpub.build import pipeline

    gc.collect()  # each build as from a fresh process: not paying for the previous build's garbage
    t, cpu = time.perf_counter(), time.process_time()
    report = pipeline.build(context(content, KEYS, state_dir=state), pipeline.BuildOptions(out))
    report.cpu = time.process_time() - cpu  # this process only: signing workers of a full build are not in it
    return time.perf_counter() - t, report


def run_incremental(n: int) -> None:
    """The incremental targets: one changed award ≤ 2 s and ≤ 15 % of a full build; a 500-award cohort
    added to n awards ≤ 1.5 × a 500-award full build. Wall-clock times of pipeline.build()."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content, site, state = make_content(root / "big", n), root / "big" / "site", root / "big" / "state"
        full, r0 = _timed_build(content, site, state)
        awards = content / "awards" / "bench.csv"
        text = awards.read_text("utf-8")
        awards.write_text(text.replace(f"L{n // 2:06d},{NAMES[n // 2 % len(NAMES)]}", f"L{n // 2:06d},Corrected", 1), "utf-8")
        one, r1 = _timed_build(content, site, state)
        assert r1.incremental and r1.redone == 1, r1
        print(f"N={n}: full build {full:.2f} s; one award changed: {one:.2f} s ({100 * one / full:.1f} % of full; "
              f"CPU {r1.cpu:.2f} s; {r1.redone} award signed, {r1.written} files written)")
        print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in r1.timings.items()))
        slugs = sorted(p.stem for p in (content / "achievements").glob("*.yml"))
        write_awards(content / "awards" / "cohort.csv", n, COHORT, slugs)
        cohort, r2 = _timed_build(content, site, state)
        assert r2.incremental and r2.redone == COHORT, r2
        small = make_content(root / "small", COHORT)
        alone, r3 = _timed_build(small, root / "small" / "site", None)
        print(f"  +{COHORT} cohort on {n}: {cohort:.2f} s (CPU {r2.cpu:.2f} s; {r2.written} files written); "
              f"a {COHORT}-award full build: {alone:.2f} s (CPU {r3.cpu:.2f} s); ratio {cohort / alone:.2f}")
        for label, r in (("cohort", r2), (f"{COHORT} full", r3)):
            print(f"  {label} stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in r.timings.items()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="+")
    ap.add_argument("--sign-only", action="store_true")
    ap.add_argument("--incremental", action="store_true")
    ap.add_argument("--db", action="store_true", help="compare with Digital Bazaar's sign-only rate, same run")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    if args.incremental:
        for n in args.n:
            run_incremental(n)
        return
    for n in args.n:
        t = run(n, args.sign_only, args.db)
        total = sum(v for k, v in t.items() if not k.startswith("_"))
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in t.items() if not k.startswith("_"))
        creds = 2 * n + 1  # claim and share credential per award, plus the status list
        print(f"N={n}: total {total:.2f} s ({stages}); {creds / t['sign']:.0f} credentials signed per second")
        if "_site_mb" in t:
            print(f"  site {t['_site_mb']:.1f} MB, {t['_bytes_per_award'] / 1024:.1f} KB per award (c/ and s/)")
        if "_db_rate" in t:
            rate, db_rate = creds / total, t["_db_rate"]
            print(f"  whole build: {rate:.0f} credentials ({n / total:.0f} awards) per second; Digital Bazaar signs "
                  f"{db_rate:.0f} credentials per second (sign only, one process): {rate / db_rate:.1f}x "
                  f"by credentials, {n / total / db_rate:.1f}x by awards")


if __name__ == "__main__":
    main()
