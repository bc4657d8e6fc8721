"""Badge images (builder/credpub/badge.py): generated SVG and PNG, images given by content,
and clear errors for broken ones."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import png as pypng
import pytest

from credpub.content import images
from credpub.site import badge
from credpub.errors import ContentError

from tests.golden import fixture


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
    with_text = images.render_png(svg)
    without_text = images.render_png(svg.replace(a.name.split()[0], ""))
    w, h, _rows, _info = pypng.Reader(bytes=with_text).read()
    assert (w, h) == (images.SIZE, images.SIZE)
    assert _ink(with_text) > _ink(without_text) + 500


_OTHER_PROCESS = """
import sys
from credpub.site import badge
from tests.golden import fixture
a = fixture.achievements()["cnc-milling"]
svg, png = badge.badge_images(a, fixture.signed().plan.content)
sys.stdout.buffer.write(svg + b"\\0" + png)
"""


def test_badge_bytes_are_the_same_in_another_process(ach):
    """Deterministic builds: a fresh interpreter (no state shared with this one) draws the same
    SVG and PNG bytes."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo / "builder"), str(repo)])}
    out = subprocess.run([sys.executable, "-c", _OTHER_PROCESS], capture_output=True, check=True, env=env,
                         cwd=repo).stdout
    svg, png = badge.badge_images(ach["cnc-milling"], fixture.signed().plan.content)
    assert out == svg + b"\0" + png
    assert png.startswith(b"\x89PNG") and images.png_size(png) == (images.SIZE, images.SIZE)


@pytest.mark.parametrize("title", ["CNC", "Dimensional Metrology Fundamentals",
                                   "A very long achievement title that goes on and on about geometrical product "
                                   "specification and verification in the aerospace industry"])
def test_titles_fit(title):
    size, lines = badge.fit_title(title)
    assert 1 <= len(lines) <= 4
    assert all(badge.text_width(line, size, True) <= 340 for line in lines)


def test_given_png_is_used_and_wrapped_as_svg(tmp_path, ach):
    png = images.render_png(badge.monogram("X", fixture.site().theme))
    (tmp_path / "b.png").write_bytes(png)
    a = dataclasses.replace(ach["cnc-milling"], image=tmp_path / "b.png")
    svg, out = images.badge_image(a, tmp_path)
    assert out == png
    assert b"data:image/png;base64," in svg
    ET.fromstring(svg)


def test_given_svg_is_used(tmp_path, ach):
    (tmp_path / "b.svg").write_text(badge.monogram("Y", fixture.site().theme))
    a = dataclasses.replace(ach["cnc-milling"], image=tmp_path / "b.svg")
    svg, png = images.badge_image(a, tmp_path)
    given = ET.fromstring((tmp_path / "b.svg").read_bytes())
    published = ET.fromstring(svg)  # written back by svgsafe: the same drawing
    assert [(e.tag, e.attrib, e.text) for e in published.iter()] == [(e.tag, e.attrib, e.text) for e in given.iter()]
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("name, data, message", [
    ("missing.png", None, r"cannot be read \(No such file or directory\)"),
    ("broken.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0garbage", "the PNG is damaged"),
    ("text.svg", b"hello, I am not an image", "is not a PNG or SVG image"),
    ("bad.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "is not a PNG or SVG image"),
])
def test_bad_badge_images_name_the_file(tmp_path, ach, name, data, message):
    if data is not None:
        (tmp_path / name).write_bytes(data)
    a = dataclasses.replace(ach["cnc-milling"], image=tmp_path / name)
    with pytest.raises(ContentError, match=message) as e:
        images.badge_image(a, tmp_path)
    assert e.value.path == tmp_path / name
    assert e.value.field == "image"


def test_monogram():
    theme = fixture.site().theme
    svg = badge.monogram("Baltic Precision Engineering Society", theme)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("viewBox") == "0 0 160 160"
    background, bar = root.findall(f"{ns}rect")
    assert background.get("fill") == theme.primary and bar.get("fill") == theme.accent
    [text] = root.findall(f"{ns}text")
    assert text.text == "BPE" and text.get("fill") == "#ffffff" and text.get("text-anchor") == "middle"
    # the words a name is joined with are not initials; at most three letters
    assert ET.fromstring(badge.monogram("Society of the Engineers and Makers for Tools", theme)).find(f"{ns}text").text == "SEM"


# ---------------------------------------------------------------- content SVGs

def _red_png(size: int = 64) -> bytes:
    import io

    out = io.BytesIO()
    pypng.Writer(size, size, greyscale=False, alpha=False).write(out, [[255, 0, 0] * size for _ in range(size)])
    return out.getvalue()


def _red_pixels(png: bytes) -> int:
    w, _h, rows, _info = pypng.Reader(bytes=png).asRGBA8()
    return sum(1 for row in rows for i in range(0, w * 4, 4) if row[i] > 200 and row[i + 1] < 60 and row[i + 2] < 60)


def _svg_image(href: str, attr: str = "href") -> str:
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if attr == "xlink:href" else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg"{xlink} width="512" height="512">'
            f'<image {attr}="{href}" x="0" y="0" width="512" height="512"/></svg>')


def test_an_outside_files_pixels_never_reach_badge_png(tmp_path, ach):
    """A content SVG pointing at a file outside content/ (relative, absolute, file: URL,
    xlink:href) is refused before resvg sees it; the same picture embedded as data: is drawn,
    which shows that the pixel count below would see the outside file."""
    outside = tmp_path / "outside.png"
    outside.write_bytes(_red_png())
    content = tmp_path / "content"
    (content / "assets").mkdir(parents=True)
    import base64

    embedded = "data:image/png;base64," + base64.b64encode(_red_png()).decode()
    (content / "assets" / "ok.svg").write_text(_svg_image(embedded))
    a = dataclasses.replace(ach["cnc-milling"], image=content / "assets" / "ok.svg")
    _svg, png = images.badge_image(a, content)
    assert _red_pixels(png) > 100_000  # the control: embedded pixels are drawn
    for i, (href, attr) in enumerate([("../../outside.png", "href"), (str(outside), "href"),
                                      (outside.as_uri(), "href"), ("../../outside.png", "xlink:href")]):
        f = content / "assets" / f"evil{i}.svg"
        f.write_text(_svg_image(href, attr))
        a = dataclasses.replace(ach["cnc-milling"], image=f)
        with pytest.raises(ContentError, match="references to other files or addresses are not allowed") as e:
            images.badge_image(a, content)
        assert e.value.path == f and e.value.field == "image"


@pytest.mark.parametrize("svg, message", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>: scripts are not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>', "<rect onclick=…>: event handlers"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>', "foreignObject"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>', "@import"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p.svg#g)"/></svg>', "url() may only point inside the image"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(other.svg#g)"/></svg>', "url() may only point inside the image"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#shape"/></svg>', "references to other files"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>', "links are not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="x.png"><set attributeName="href" to="/etc/x.png"/></image></svg>', "references to other files"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="/etc/x.png"/></svg>', "animation"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>', "references to other files"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "entities are not allowed"),
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>', "entities are not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>", "nested more than 64 deep"),
])
def test_hostile_content_svgs_are_refused_naming_the_file(tmp_path, ach, svg, message):
    f = tmp_path / "badge.svg"
    f.write_text(svg)
    a = dataclasses.replace(ach["cnc-milling"], image=f)
    with pytest.raises(ContentError, match=re.escape(message)) as e:
        images.badge_image(a, tmp_path)
    assert e.value.path == f and e.value.field == "image"


def test_editor_svgs_are_cleaned_not_refused(tmp_path, ach):
    """What Inkscape and Illustrator write (a DOCTYPE, metadata, their own namespaces, comments)
    is stripped; the drawing stays."""
    f = tmp_path / "badge.svg"
    f.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<!-- Generator: an editor -->\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="512" height="512">'
        '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'
        '<sodipodi:namedview inkscape:zoom="1"/>'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>'
        '<rect inkscape:label="bg" width="512" height="512" fill="url(#g)"/></svg>')
    a = dataclasses.replace(ach["cnc-milling"], image=f)
    svg, png = images.badge_image(a, tmp_path)
    assert b"inkscape" not in svg and b"metadata" not in svg and b"DOCTYPE" not in svg and b"Generator" not in svg
    assert b'fill="url(#g)"' in svg
    assert _red_pixels(png) > 200_000


def test_logo_svg_is_cleaned_too(tmp_path):
    site = fixture.site()
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><!-- x --><rect width="4" height="4"/></svg>')
    name, data = images.load_logo(dataclasses.replace(site, issuer=dataclasses.replace(site.issuer, logo=logo)), tmp_path)
    assert name == "logo.svg" and b"<!--" not in data and b"<rect" in data
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    with pytest.raises(ContentError, match="scripts are not allowed"):
        images.load_logo(dataclasses.replace(site, issuer=dataclasses.replace(site.issuer, logo=logo)), tmp_path)


# ---------------------------------------------------------------- badges per language

def _words(svg: str | bytes) -> str:
    text = svg.decode() if isinstance(svg, bytes) else svg
    return " ".join(ET.fromstring(text).itertext())


@pytest.fixture(scope="module")
def bilingual():
    """The demo issuer: Dutch first, English second, achievements and a pathway in both."""
    from credpub import paths
    from credpub.content.load import load_content

    content, errors = load_content(paths.demo_content_dir(), None)
    assert not errors
    return content


def test_each_language_has_a_badge_with_its_own_title_kind_and_credits(bilingual):
    a = bilingual.achievements["gd-and-t-basics"]
    files = badge.badge_files(a, bilingual)
    nl, en = _words(files["achievements/gd-and-t-basics/badge.svg"]), _words(files["achievements/gd-and-t-basics/en/badge.svg"])
    assert "plaatstoleranties" in nl and "Tolerancing" not in nl and "1 EC" in nl and "ECTS" not in nl
    assert "Tolerancing" in en and "plaatstoleranties" not in en and "1 ECTS" in en
    for lang in ("", "en/"):
        assert images.png_size(files[f"achievements/gd-and-t-basics/{lang}badge.png"]) == (images.SIZE, images.SIZE)
    assert files["achievements/gd-and-t-basics/badge.png"] != files["achievements/gd-and-t-basics/en/badge.png"]


def test_the_pathway_badge_names_its_kind_in_the_pages_words_with_spaced_letters(bilingual):
    a = bilingual.achievements["precision-metrology"]
    nl = badge.generated_svg(a, bilingual.site, "nl")
    en = badge.generated_svg(a, bilingual.site, "en")
    assert ">TRAJECT<" in nl and "LEARNING" not in nl and "PATHWAY" not in nl
    assert ">PATHWAY<" in en
    # letter-spacing squeezes a plain space to nothing: the kind line spaces its words
    assert re.search(r'letter-spacing="3" word-spacing="\d+"[^>]*>PATHWAY<', en)


def test_the_default_badge_is_the_one_credentials_name(bilingual):
    from credpub.credentials.credential import badge_url

    a = bilingual.achievements["gd-and-t-basics"]
    assert badge_url(bilingual.site, a.slug).endswith("achievements/gd-and-t-basics/badge.png")
    assert "achievements/gd-and-t-basics/badge.png" in badge.badge_files(a, bilingual)
