"""The README's pictures (docs/screenshots/, made by docs/make_screenshots.py through
`make screenshots`): each page at both widths, referenced from the README, small."""

from __future__ import annotations

import re

import pytest

from credpub.content.images import png_size

from tests.conftest import REPO

SHOTS = REPO / "docs" / "screenshots"
PAGES = ("claim", "share", "verify")
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("kind", WIDTHS)
def test_each_page_is_pictured_at_both_widths_small_and_shown_in_the_readme(page, kind):
    path = SHOTS / f"{page}-{kind}.png"
    size = png_size(path.read_bytes())
    assert size is not None and size[0] == WIDTHS[kind], (path, size)
    assert path.stat().st_size < 150_000, f"{path} is {path.stat().st_size} bytes: optimise it"
    assert f"docs/screenshots/{page}-{kind}.png" in (REPO / "README.md").read_text(encoding="utf-8")


def test_make_screenshots_runs_the_script():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^screenshots:.*\n\t(.+)$", makefile, re.M)
    assert rule and rule.group(1) == "$(BIN)/python docs/make_screenshots.py"
    assert (REPO / "docs/make_screenshots.py").is_file()


def test_optimising_keeps_the_pixels():
    import io
    import importlib.util

    import png as pypng

    spec = importlib.util.spec_from_file_location("make_screenshots", REPO / "docs/make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = [[(x * 7 + y) % 256 for x in range(16 * 4)] for y in range(8)]
    for row in rows:
        row[3::4] = [255] * 16  # opaque, as a screenshot is
    raw = io.BytesIO()
    pypng.Writer(16, 8, alpha=True, greyscale=False, compression=0).write(raw, rows)
    smaller = module._optimise(raw.getvalue())
    assert len(smaller) <= len(raw.getvalue())
    _, _, got, _ = pypng.Reader(bytes=smaller).asRGBA8()
    assert [list(r) for r in got] == rows
