"""Profile: where a build's time goes, per stage and inside signing.

    python bench/profile_build.py 2000            # a full build, in one process (no signing pool)
    python bench/profile_build.py 2000 --top 30   # and the 30 costliest functions

The build runs under cProfile in this process only (the signing pool is switched off, so the
workers' time is seen); stage times are the build's own (report.timings). The signing share is
split by where the time is spent: JSON-LD expansion and toRdf (pyld), the per-shape quad fill
(rdf.py), RDFC-1.0 (canon.py), hashing, Ed25519, JSON serialisation, the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import KEYS, context, make_content  # noqa: E402

# (label, test on "file:function") in order: the first that matches takes the function's own time.
BUCKETS = [
    ("pyld (expand, toRdf, contexts)", lambda f, fn: "/pyld/" in f),
    ("RDFC-1.0 (canon.py)", lambda f, fn: f.endswith("credentials/canon.py")),
    ("quad fill per shape (rdf.py)", lambda f, fn: f.endswith("credentials/rdf.py")),
    ("hashing (sha256, HMAC)", lambda f, fn: "sha256" in fn or "hmac" in f or "openssl_sha" in fn or "digest" in fn),
    ("Ed25519 sign", lambda f, fn: "sign" in fn and ("ed25519" in f.lower() or "Ed25519" in fn or "builtins" in f)),
    ("base58", lambda f, fn: "base58" in f),
    ("JSON serialisation", lambda f, fn: "/json/" in f or "encode" in fn and "json" in f),
    ("documents (credential.py)", lambda f, fn: f.endswith("credentials/credential.py")),
    ("render (site/, jinja2, markupsafe)", lambda f, fn: "/site/" in f or "jinja2" in f or "markupsafe" in f),
    ("write (build/write*.py, os)", lambda f, fn: "build/write" in f or fn in ("<built-in method posix.open>",)),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--top", type=int, default=0)
    args = ap.parse_args()
    from credpub.build import pipeline, sign

    sign.PARALLEL_FROM = 10**9  # one process, so the profile sees the signing
    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), args.n)
        prof = cProfile.Profile()
        prof.enable()
        report = pipeline.build(context(content, KEYS), pipeline.BuildOptions(Path(tmp) / "site"))
        prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # tottime
    print(f"N={args.n}, one process, under cProfile (times inflated by the profiler)")
    print("stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items()))
    sums = {label: 0.0 for label, _ in BUCKETS}
    rest = 0.0
    for (file, _line, fn), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        for label, test in BUCKETS:
            if test(file, fn):
                sums[label] += tt
                break
        else:
            rest += tt
    print(f"\n{'where (own time)':40s} {'s':>7s} {'%':>6s}")
    for label, t in sorted(sums.items(), key=lambda kv: -kv[1]) + [("the rest", rest)]:
        print(f"{label:40s} {t:7.2f} {100 * t / total:5.1f}%")
    print(f"{'total':40s} {total:7.2f}")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
