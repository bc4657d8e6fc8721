"""Benchmark: what sealed awards cost — seal N rows, and load the content (check) plain vs sealed.

    python bench/bench_seal.py 10000

Uses bench_build's synthetic content (the demo issuer's achievements, N generated graduates).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import make_content  # noqa: E402

from credpub.content import seal  # noqa: E402
from credpub import clock  # noqa: E402
from credpub.content.validate import check_content  # noqa: E402


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), n)
        keys = Path(tmp) / "keys"
        size = sum(p.stat().st_size for p in (content / "awards").glob("*.csv"))
        plain = best(lambda: check_content(content, clock.today()))
        start = time.perf_counter()
        seal.seal(content, keys)
        sealing = time.perf_counter() - start
        sealed = best(lambda: check_content(content, clock.today(), lambda: seal.load_identity(keys)))
        content_ok, errors = check_content(content, clock.today(), lambda: seal.load_identity(keys))
        assert not errors and len(content_ok.awards) == n
    print(f"{n} awards ({size / 1e6:.1f} MB of CSV): seal {sealing:.3f} s (age key made too); "
          f"check plain {plain:.3f} s, sealed {sealed:.3f} s (+{sealed - plain:.3f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
