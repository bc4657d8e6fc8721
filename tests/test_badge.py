"""Badge images (builder/credpub/badge.py): generated SVG and PNG, images given by content,
and clear errors for broken ones."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import png as pypng
import pytest

from credpub import badge
from credpub.errors import ContentError

from .golden import fixture


def _ink(png: bytes) -> int:
    """How many pixels are dark: text drawn or not."""
    w, h, rows, _info = pypng.Reader(bytes=png).asRGBA8()
    return sum(1 for row in rows for i in range(0, w * 4, 4) if row[i + 3] > 200 and sum(row[i:i + 3]) < 200)


@pytest.fixture(scope="module")
def ach():
    return fixture.achievements()


def test_generated_svg_is_well_formed_and_escapes_the_title(ach):
    svg = badge.generated_svg(ach["hostile"], fixture.site())
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg and "&lt;script&gt;" in svg
    texts = "".join(root.itertext())
    assert '<script>alert("t")</script>' in texts  # shown as text


def test_png_is_rendered_with_the_bundled_font_not_system_fonts(ach):
    """resvg draws no text without fonts; the PNG must have the title's ink on any machine."""
    a = ach["metrology-basics"]
    svg = badge.generated_svg(a, fixture.site())
    with_text = badge.render_png(svg)
    without_text = badge.render_png(svg.replace(a.name.split()[0], ""))
    w, h, _rows, _info = pypng.Reader(bytes=with_text).read()
    assert (w, h) == (badge.SIZE, badge.SIZE)
    assert _ink(with_text) > _ink(without_text) + 500


def test_png_is_deterministic(ach):
    svg = badge.generated_svg(ach["cnc-milling"], fixture.site())
    assert badge.render_png(svg) == badge.render_png(svg)


@pytest.mark.parametrize("title", ["CNC", "Dimensional Metrology Fundamentals",
                                   "A very long achievement title that goes on and on about geometrical product "
                                   "specification and verification in the aerospace industry"])
def test_titles_fit(title):
    size, lines = badge.fit_title(title)
    assert 1 <= len(lines) <= 4
    assert all(badge.text_width(line, size, True) <= 340 for line in lines)


def test_given_png_is_used_and_wrapped_as_svg(tmp_path, ach):
    png = badge.render_png(badge.monogram("X", fixture.site().theme))
    (tmp_path / "b.png").write_bytes(png)
    a = dataclasses.replace(ach["cnc-milling"], image=tmp_path / "b.png")
    svg, out = badge.badge_images(a, fixture.site(), tmp_path)
    assert out == png
    assert b"data:image/png;base64," in svg
    ET.fromstring(svg)


def test_given_svg_is_used(tmp_path, ach):
    (tmp_path / "b.svg").write_text(badge.monogram("Y", fixture.site().theme))
    a = dataclasses.replace(ach["cnc-milling"], image=tmp_path / "b.svg")
    svg, png = badge.badge_images(a, fixture.site(), tmp_path)
    given = ET.fromstring((tmp_path / "b.svg").read_bytes())
    published = ET.fromstring(svg)  # written back by svgsafe: the same drawing
    assert [(e.tag, e.attrib, e.text) for e in published.iter()] == [(e.tag, e.attrib, e.text) for e in given.iter()]
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("name, data, message", [
    ("missing.png", None, "cannot read the badge image"),
    ("broken.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0garbage", "the PNG is damaged"),
    ("text.svg", b"hello, I am not an image", "is not a PNG or SVG image"),
    ("bad.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "is not a PNG or SVG image"),
])
def test_bad_badge_images_name_the_file(tmp_path, ach, name, data, message):
    if data is not None:
        (tmp_path / name).write_bytes(data)
    a = dataclasses.replace(ach["cnc-milling"], image=tmp_path / name)
    with pytest.raises(ContentError, match=message) as e:
        badge.badge_images(a, fixture.site(), tmp_path)
    assert e.value.path == tmp_path / name
    assert e.value.field == "image"


def test_monogram():
    svg = badge.monogram("Baltic Precision Engineering Society", fixture.site().theme)
    assert ">BPE<" in svg
    ET.fromstring(svg)
