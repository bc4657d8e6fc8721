"""Benchmark: `credpub verify` on N credentials in one run against Digital Bazaar's vc on the same
files (with status checks), and the rates per second.

    python bench/bench_verify.py 200 1000        # N share credentials of a synthetic build
    python bench/bench_verify.py --jobs 1 200    # credpub in one process

Builds N synthetic awards (bench_build.py's demo issuer), takes the N share credentials (s/*/,
always plain JSON), then times, each in a fresh process and including its start-up:
  credpub: `python -m credpub verify FOLDER --site SITE --json` (every check, status from the
           local build, the status list's own proof verified);
  DB:      `node bench/verify_db.mjs SITE FILE...` (@digitalbazaar/vc verifyCredential with
           checkStatus and an offline loader; per-credential loop, its API has no batch).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import KEYS, context, make_content  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    return time.perf_counter() - t, proc


def run(n: int, jobs: int | None) -> None:
    from credpub.build import pipeline

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        content = make_content(root, n)
        site = root / "site"
        pipeline.build(context(content, KEYS), pipeline.BuildOptions(site))
        files = root / "credentials"
        files.mkdir()
        for i, f in enumerate(sorted((site / "s").glob("*/credential.json"))):
            shutil.copy(f, files / f"{i:06d}.json")
        names = sorted(str(p) for p in files.iterdir())
        cmd = [sys.executable, "-m", "credpub", "verify", str(files), "--site", str(site), "--json"]
        py_s, py = _timed(cmd + ([f"--jobs={jobs}"] if jobs else []))
        rows = [json.loads(line) for line in py.stdout.splitlines()]
        py_ok = sum(r["verified"] for r in rows)
        js_s, js = _timed(["node", str(REPO / "bench" / "verify_db.mjs"), str(site), *names])
        if js.returncode != 0:
            raise SystemExit(js.stderr[-2000:])
        db = json.loads(js.stdout.splitlines()[-1])
        print(f"N={len(names)}: credpub {py_s:.2f} s, {len(rows) / py_s:.1f} per second ({py_ok} verified; "
              f"{py.stderr.strip()})")
        print(f"  DB vc: {js_s:.2f} s with Node start-up, {db['n'] / js_s:.1f} per second "
              f"({db['seconds']:.2f} s inside, {db['n'] / db['seconds']:.1f} per second; {db['verified']} verified "
              f"— DB counts a revoked credential as verified)")
        print(f"  credpub / DB: {(len(rows) / py_s) / (db['n'] / js_s):.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="+")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for n in args.n:
        run(n, args.jobs)


if __name__ == "__main__":
    main()
