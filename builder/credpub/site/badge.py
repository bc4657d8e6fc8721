"""Badge images: one SVG per achievement drawn from the theme (issuer colours, title, EQF/ECTS)
unless content gives an image, and a PNG rendered from it by resvg (PyPI wheel, no system
library). resvg draws no text without fonts, and a fresh machine may have none, so the PNG is
rendered with the OFL Inter files bundled in theme/fonts and system fonts skipped: the same
content gives the same bytes everywhere (deterministic builds).
"""

from __future__ import annotations

import base64
import functools
import math
import re
import struct
from pathlib import Path
from xml.sax.saxutils import escape

from credpub import paths
from credpub.site import svgsafe
from credpub.errors import ContentError
from credpub.model import Achievement, SiteConfig, Theme

FONT_FILES = ("Inter-Regular.ttf", "Inter-Bold.ttf")
FONT_STACK = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
SIZE = 512  # px, the PNG's width and height; OB displayers show badges square


# ---------------------------------------------------------------- text measuring (approximate)

_NARROW = set("iljI.,:;'!|`()[]{}ftr ")
_WIDE = set("mwMW@%&")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Inter's advance widths, roughly; good enough to wrap a title inside a circle."""
    w = 0.0
    for ch in text:
        if ch in _NARROW:
            w += 0.32
        elif ch in _WIDE:
            w += 0.88
        elif ch.isupper() or ch.isdigit():
            w += 0.66
        elif ord(ch) > 0x2E80:  # CJK and emoji are about square
            w += 1.0
        else:
            w += 0.56
    return w * size * (1.06 if bold else 1.0)


def wrap(text: str, size: float, width: float, bold: bool = True) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and text_width(trial, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def fit_title(text: str) -> tuple[float, list[str]]:
    """Largest font size whose wrapped lines fit the badge's centre; ellipsis as a last resort."""
    for size, max_lines, width in ((46, 2, 300), (40, 3, 310), (34, 3, 320), (29, 4, 330), (25, 4, 336)):
        lines = wrap(text, size, width)
        if len(lines) <= max_lines and all(text_width(line, size, True) <= width for line in lines):
            return size, lines
    size, width = 25, 336
    lines = wrap(text, size, width)[:4]
    last = lines[-1]
    while last and text_width(last + "…", size, True) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return size, lines


# ---------------------------------------------------------------- the generated badge

def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _facts(a: Achievement) -> str:
    parts = []
    if a.eqf_level is not None:
        parts.append(f"EQF {a.eqf_level}")
    if a.ects is not None:
        parts.append(f"{a.ects:g} ECTS")
    if not parts and a.workload_hours is not None:
        parts.append(f"{a.workload_hours:g} HOURS")
    return "  ·  ".join(parts) or (a.achievement_type or "").upper()


def _arc_font(text: str, arc: float, largest: float) -> float:
    width_at_1 = text_width(text, 1.0, True) + 0.12 * max(len(text) - 1, 0)
    return max(12.0, min(largest, arc * 0.82 / max(width_at_1, 1e-6)))


def generated_svg(a: Achievement, site: SiteConfig) -> str:
    brand, accent = site.theme.primary, site.theme.accent
    issuer = site.issuer.name.upper()
    facts = _facts(a)
    size, lines = fit_title(a.name)
    kind = ("Microcredential" if a.achievement_type == "MicroCredential"
            else re.sub(r"(?<=[a-z])(?=[A-Z])", " ", a.achievement_type or "Achievement")).upper()

    r_text = 214  # radius of the lettering on the ring
    top_font = _arc_font(issuer, math.pi * r_text * 0.92, 26)
    bottom_font = _arc_font(facts, math.pi * r_text * 0.6, 26)
    line_h = size * 1.12
    block = line_h * len(lines)
    y0 = 270 - block / 2 + size * 0.8
    title = "".join(
        f'<tspan x="256" y="{y0 + i * line_h:.1f}">{_x(line)}</tspan>' for i, line in enumerate(lines))
    star_y = y0 - size - 30
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" '
        f'role="img" aria-label="{_x(a.name)}">\n'
        f"<title>{_x(a.name)} · {_x(site.issuer.name)}</title>\n"
        "<defs>"
        f'<path id="top" d="M {256 - r_text} 256 A {r_text} {r_text} 0 0 1 {256 + r_text} 256"/>'
        f'<path id="bottom" d="M {256 - r_text - 10} 256 A {r_text + 10} {r_text + 10} 0 0 0 {256 + r_text + 10} 256"/>'
        "</defs>\n"
        f'<circle cx="256" cy="256" r="252" fill="{brand}"/>\n'
        f'<circle cx="256" cy="256" r="186" fill="none" stroke="{accent}" stroke-width="6"/>\n'
        '<circle cx="256" cy="256" r="178" fill="#ffffff"/>\n'
        f'<circle cx="256" cy="256" r="244" fill="none" stroke="#ffffff" stroke-opacity=".35" stroke-width="2"/>\n'
        f'<g fill="#ffffff" font-family="{FONT_STACK}" font-weight="700" text-anchor="middle">'
        f'<text font-size="{top_font:.1f}" letter-spacing="{top_font * 0.12:.1f}" dy="{top_font * 0.35:.1f}">'
        f'<textPath href="#top" startOffset="50%">{_x(issuer)}</textPath></text>'
        f'<text font-size="{bottom_font:.1f}" letter-spacing="{bottom_font * 0.12:.1f}" dy="{bottom_font * 0.35:.1f}">'
        f'<textPath href="#bottom" startOffset="50%">{_x(facts)}</textPath></text>'
        "</g>\n"
        f'<g fill="{accent}"><circle cx="42" cy="256" r="7"/><circle cx="470" cy="256" r="7"/></g>\n'
        f'<path d="M256 {star_y - 16:.1f} l4.7 9.6 10.6 1.5-7.7 7.5 1.8 10.5-9.4-5-9.4 5 1.8-10.5-7.7-7.5 10.6-1.5z" fill="{accent}"/>\n'
        f'<text x="256" y="{star_y + 34:.1f}" font-family="{FONT_STACK}" font-size="15" font-weight="700" '
        f'letter-spacing="3" text-anchor="middle" fill="{brand}" fill-opacity=".8">{_x(kind)}</text>\n'
        f'<text font-family="{FONT_STACK}" font-size="{size}" font-weight="700" text-anchor="middle" '
        f'fill="#172033">{title}</text>\n'
        "</svg>\n"
    )


def monogram(name: str, theme: Theme) -> str:
    """A logo for an issuer without one: initials on the brand colour."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in {"of", "the", "and", "for", "de", "und"}]
    initials = "".join(w[0] for w in words[:3]).upper() or "?"
    font = 96 if len(initials) == 1 else 76 if len(initials) == 2 else 58
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">'
        f'<rect width="160" height="160" rx="36" fill="{theme.primary}"/>'
        f'<rect x="14" y="126" width="132" height="8" rx="4" fill="{theme.accent}"/>'
        f'<text x="80" y="{80 + font * 0.36:.0f}" font-family="{FONT_STACK}" font-size="{font}" font-weight="700" '
        f'text-anchor="middle" fill="#ffffff">{_x(initials)}</text></svg>\n'
    )


# ---------------------------------------------------------------- images given by content

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
        f'aria-label="{_x(title)}"><image width="{w}" height="{h}" href="data:image/png;base64,{b64}"/></svg>\n'
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


@functools.lru_cache(maxsize=32)
def _content_svg(data: bytes) -> tuple[bytes, bytes]:
    """(cleaned SVG, its PNG); cached because `credpub check` and the render both ask."""
    svg = svgsafe.clean(data)
    return svg, render_png(svg)


def badge_images(a: Achievement, site: SiteConfig, root: Path) -> tuple[bytes, bytes]:
    """(badge.svg, badge.png) for an achievement: generated, or from `image` in its content."""
    if a.image is None:
        svg = generated_svg(a, site)
        return svg.encode(), render_png(svg)
    path = a.image if a.image.is_absolute() else root / a.image
    where = f" (the image of achievement {a.slug}{', ' + str(a.source.path) if a.source else ''})"
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ContentError(path, 0, "image", f"cannot read the badge image ({e.strerror}){where}") from None
    if png_size(data):
        try:
            import png as pypng  # the whole file must decode, not only its header

            pypng.Reader(bytes=data).read_flat()
        except Exception as e:  # pypng raises several types for damaged data
            raise ContentError(path, 0, "image", f"the PNG is damaged ({e}){where}") from None
        return svg_wrapping_png(data, a.name).encode(), data
    if is_svg(data):
        try:
            return _content_svg(data)
        except svgsafe.UnsafeSvg as e:
            raise ContentError(path, e.line, "image", f"{e}{where}") from None
        except ValueError as e:
            raise ContentError(path, 0, "image", f"the SVG cannot be rendered ({e}){where}") from None
    raise ContentError(path, 0, "image", f"is not a PNG or SVG image{where}")


# ---------------------------------------------------------------- the issuer logo

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


def load_logo(site: SiteConfig, root: Path) -> tuple[str, bytes]:
    """The issuer logo as (file name under assets/, bytes); a monogram when content has none."""
    if site.issuer.logo is None:
        return "logo.svg", monogram(site.issuer.name, site.theme).encode()
    path = site.issuer.logo if site.issuer.logo.is_absolute() else root / site.issuer.logo
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ContentError(path, 0, "issuer.logo", f"cannot read the logo file ({e.strerror})") from None
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
