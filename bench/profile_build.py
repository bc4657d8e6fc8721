"""Profile: where a build's time goes, per stage and inside signing.

    python bench/profile_build.py 2000            # a full build, in one process (no signing pool)
    python bench/profile_build.py 2000 --top 30   # and the 30 costliest functions

The build runs under cProfile in this process only (the signing pool is switched off, so the
workers' time is seen); stage times are the build's own (report.timings). Signing is split by
where the time goes: the documents, JSON-LD expansion and toRdf (pyld), the shape cache (rdf.py),
RDFC-1.0 (canon.py), hashing, Ed25519, base58, JSON serialisation.
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

# (label, file name ending, function): cumulative time of every function that matches (a
# function may sit inside another row: the rows overlap, indented rows are parts of the row above).
ROWS = [
    ("sign: documents (credential.py)", "credentials/credential.py", "credential_document"),
    ("sign: RDFC-1.0 bytes of documents and proofs", "credentials/dataintegrity.py", "rdfc"),
    ("  shape key / skeleton of each document", "credentials/rdf.py", ("_shape", "_skeleton", "_shape_key")),
    ("  pyld expansion + toRdf (per shape, or per document)", "pyld/jsonld.py", ("expand", "to_rdf")),
    ("  RDFC-1.0 full algorithm (canon.py)", "credentials/canon.py", "canonicalize_quads"),
    ("  RDFC-1.0 from shape templates (rdf.py)", "credentials/rdf.py", "fill"),
    ("  quads filled from shapes (rdf.py, before templates)", "credentials/rdf.py", "_filled"),
    ("sign: SHA-256", "~", "<built-in method _hashlib.openssl_sha256>"),
    ("sign: Ed25519", "~", "<method 'sign' of 'cryptography.hazmat.bindings._rust.openssl.ed25519.Ed25519PrivateKey' objects>"),
    ("sign: base58 of the signature", "base58/__init__.py", "b58encode"),
    ("sign: JSON serialisation of credentials", "build/sign.py", "to_json"),
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
    print(f"N={args.n}, one process, under cProfile (times inflated by the profiler)")
    print("stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items()))
    print(f"\n{'where (cumulative)':56s} {'s':>6s} {'calls':>8s}")
    for label, file, names in ROWS:
        names = (names,) if isinstance(names, str) else names
        cum = calls = 0
        for (f, _line, fn), (_cc, nc, _tt, ct, callers) in stats.stats.items():
            if f.endswith(file) and fn in names:
                # recursive functions: count only calls from outside the set
                if not any(c[0].endswith(file) and c[2] in names for c in callers):
                    cum += ct
                    calls += nc
        print(f"{label:56s} {cum:6.2f} {calls:8d}")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
