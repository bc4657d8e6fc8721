"""Images content gives — badge images (`image:` of an achievement) and the issuer logo — read,
checked and cleaned once, when content is loaded; and the PNG renderer badges share.

A given SVG is cleaned by svgsafe (it is published on the site's origin and drawn by resvg) and
rendered to badge.png here, so that a drawing resvg cannot render is a content error of
`credpub check`, not a surprise of the build. resvg draws no text without fonts, and a fresh
machine may have none, so PNGs are rendered with the OFL Inter files bundled in theme/fonts and
system fonts skipped: the same content gives the same bytes everywhere (deterministic builds).
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path
from xml.sax.saxutils import escape

from credpub import paths
from credpub.content import reader, svgsafe
from credpub.errors import ContentError
from credpub.model import Achievement, SiteConfig

FONT_FILES = ("Inter-Regular.ttf", "Inter-Bold.ttf")
SIZE = 512  # px, the PNG's width and height; OB displayers show badges square


def xml_text(text: str) -> str:
    """Text for an XML attribute or element (quotes included)."""
    return escape(text, {'"': "&quot;"})


def is_svg(data: bytes) -> bool:
    """Whether `data` looks like an SVG document (whether it is safe is svgsafe's question)."""
    head = data[:2048].lstrip()
    if b"<svg" not in head and not head.startswith(b"<?xml"):
        return False
    try:
        root, _ = svgsafe.parse(data)  # no entity expansion, no external fetching
    except svgsafe.MalformedSvg:
        return False
    except svgsafe.UnsafeSvg:
        return True  # an SVG, refused with its reason by svgsafe.clean
    return root.tag in ("svg", f"{{{svgsafe.SVG_NS}}}svg")


def png_size(data: bytes) -> tuple[int, int] | None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return None
    w, h = struct.unpack(">II", data[16:24])
    return (w, h) if w and h else None


def svg_wrapping_png(png: bytes, title: str) -> str:
    """An SVG made of a PNG, so that a badge given as PNG can be baked as SVG too."""
    w, h = png_size(png) or (SIZE, SIZE)
    b64 = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="{xml_text(title)}"><image width="{w}" height="{h}" href="data:image/png;base64,{b64}"/></svg>\n'
    )


def render_png(svg: str | bytes) -> bytes:
    """PNG of an SVG that credpub generated or svgsafe cleaned: it references nothing outside
    itself, so resvg reads no file but the bundled fonts (no resources_dir is given)."""
    import resvg_py

    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    fonts = [str(paths.theme_dir() / "fonts" / f) for f in FONT_FILES]
    out = resvg_py.svg_to_bytes(
        svg_string=text, width=SIZE, height=SIZE, skip_system_fonts=True, font_files=fonts,
        font_family="Inter", sans_serif_family="Inter")
    return bytes(out)


def badge_image(a: Achievement, root: Path) -> tuple[bytes, bytes]:
    """(badge.svg, badge.png) from the `image` an achievement gives; ContentError naming the file."""
    assert a.image is not None
    path = a.image if a.image.is_absolute() else root / a.image
    where = f" (the image of achievement {a.slug}{', ' + str(a.source.path) if a.source else ''})"
    try:
        data = reader.read_bytes(path, root)
    except ContentError as e:
        raise ContentError(path, 0, "image", f"{e.message}{where}") from None
    if png_size(data):
        try:
            import png as pypng  # the whole file must decode, not only its header

            pypng.Reader(bytes=data).read_flat()
        except Exception as e:  # pypng raises several types for damaged data
            raise ContentError(path, 0, "image", f"the PNG is damaged ({e}){where}") from None
        return svg_wrapping_png(data, a.name).encode(), data
    if is_svg(data):
        try:
            svg = svgsafe.clean(data)
            return svg, render_png(svg)
        except svgsafe.UnsafeSvg as e:
            raise ContentError(path, e.line, "image", f"{e}{where}") from None
        except ValueError as e:
            raise ContentError(path, 0, "image", f"the SVG cannot be rendered ({e}){where}") from None
    raise ContentError(path, 0, "image", f"is not a PNG or SVG image{where}")


_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"),
                (b"GIF89a", "gif"))


def image_kind(data: bytes) -> str | None:
    """'png' | 'jpg' | 'gif' | 'webp' | 'svg' by content, not by file name; None otherwise."""
    for magic, kind in _IMAGE_MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if is_svg(data):
        return "svg"
    return None


def load_logo(site: SiteConfig, root: Path) -> tuple[str, bytes] | None:
    """The issuer logo content gives, as (file name under assets/, bytes); None when it gives none
    (the site draws a monogram)."""
    if site.issuer.logo is None:
        return None
    path = site.issuer.logo if site.issuer.logo.is_absolute() else root / site.issuer.logo
    try:
        data = reader.read_bytes(path, root)
    except ContentError as e:
        raise ContentError(path, 0, "issuer.logo", e.message) from None
    kind = image_kind(data)
    if kind is None:
        raise ContentError(path, 0, "issuer.logo",
                           "is not an image; give a PNG, JPEG, WebP, GIF or SVG file")
    if kind == "svg":  # published on the site's origin, like the badges: cleaned the same way
        try:
            data = svgsafe.clean(data)
        except svgsafe.UnsafeSvg as e:
            raise ContentError(path, e.line, "issuer.logo", str(e)) from None
    # The file name keeps the content's suffix: credential.py puts that URL in every credential.
    suffix = path.suffix.lower()
    return (f"logo{suffix}" if suffix in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg") else f"logo.{kind}"), data
