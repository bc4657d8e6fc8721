"""Benchmark: reading a 2,000-row roster as .xlsx (python-calamine, through content/roster.py)
and as Dutch Excel's Windows-1252 `;` CSV. With openpyxl importable (it is not a dependency),
its read of the same workbook is timed too, for the choice of reader.

    python bench/bench_roster.py [--rows 2000] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import time
from pathlib import Path

from credpub.content.roster import read_roster
from credpub.ops.xlsx import workbook

HEADER = ["learner_id", "name", "email", "achievement", "issued_on", "grade", "share_grade"]


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    rows = [[f"L-{i:05d}", f"Anaïs de Vries {i}", f"l{i}@example.nl", "voorbeeldcursus", dt.date(2026, 6, 12), 8.5, "ja"]
            for i in range(args.rows)]
    xlsx = workbook("Blad1", [HEADER, *rows])
    csv = "\r\n".join(";".join(str(c) for c in r) for r in [HEADER, *rows]).encode("cp1252")
    print(f"{args.rows} rows: .xlsx {len(xlsx) / 1000:.0f} kB, .csv {len(csv) / 1000:.0f} kB")
    print(f"python-calamine (roster.py)  {best(lambda: read_roster(xlsx, 'r.xlsx', Path('r.xlsx'), decimal=','), args.runs):7.1f} ms")
    print(f"CSV, Windows-1252 (roster.py) {best(lambda: read_roster(csv, 'r.csv', Path('r.csv')), args.runs):6.1f} ms")
    try:
        import openpyxl
    except ImportError:
        print("openpyxl not installed: not compared")
        return

    def with_openpyxl() -> None:
        book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True, data_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    print(f"openpyxl (read_only)         {best(with_openpyxl, args.runs):7.1f} ms")


if __name__ == "__main__":
    main()
