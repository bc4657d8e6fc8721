"""Badge images: one SVG per achievement and language drawn from the theme (issuer colours, the
title, kind and credits in that language) unless content gives an image (read and cleaned when
content is loaded: content/images.py), and a PNG rendered from it by resvg with the bundled fonts
(`images.render_png`); the monogram logo of an issuer without one.

The default language's badge is `achievements/<slug>/badge.png`, the image every credential names
(credentials are written in the default language, `inLanguage`), so the claim page bakes that one:
the words on a baked badge are those of the credential inside it. The other languages' badges live
in the achievement page's language folder (`achievements/<slug>/en/badge.svg`), where that
language's pages, cards and emails take them from.
"""

from __future__ import annotations

import math
import re

from credpub import i18n, layout
from credpub.content.images import render_png, xml_text as _x
from credpub.errors import BuildError
from credpub.model import Achievement, Content, SiteConfig, Theme
from credpub.site.templates import kind_label

FONT_STACK = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


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

def _facts(a: Achievement, lang: i18n.Lang) -> str:
    parts = []
    if a.eqf_level is not None:
        parts.append(f"EQF {a.eqf_level}")
    if a.ects is not None:
        parts.append(lang.credits(a.ects))
    if not parts and a.workload_hours is not None:
        parts.append(lang.hours(a.workload_hours))
    return "  ·  ".join(parts).upper() or _kind(a, lang)


def _kind(a: Achievement, lang: i18n.Lang) -> str:
    """The kind as the pages of `lang` name it ("TRAJECT", "MICROCREDENTIAL"), upper case."""
    return (lang._("Pathway") if a.is_pathway else kind_label(a.achievement_type, lang)).upper()


def _arc_font(text: str, arc: float, largest: float) -> float:
    width_at_1 = text_width(text, 1.0, True) + 0.12 * max(len(text) - 1, 0)
    return max(12.0, min(largest, arc * 0.82 / max(width_at_1, 1e-6)))


def generated_svg(a: Achievement, site: SiteConfig, lang: str | None = None) -> str:
    """The badge of `a` with its texts in `lang` (default: the achievement's own language)."""
    L = i18n.get(lang or a.language)
    a = a.in_language(L.code)
    brand, accent = site.theme.primary, site.theme.accent
    issuer = site.issuer.name.upper()
    facts = _facts(a, L)
    size, lines = fit_title(a.name)
    kind = _kind(a, L)

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
        f'letter-spacing="3" word-spacing="6" text-anchor="middle" fill="{brand}" fill-opacity=".8">{_x(kind)}</text>\n'
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


# ---------------------------------------------------------------- the site's images

def badge_images(a: Achievement, content: Content, lang: str | None = None) -> tuple[bytes, bytes]:
    """(badge.svg, badge.png) for an achievement in `lang` (default: the site's first): the image
    content gives (loaded and cleaned with it, content/images.py; the same in every language), or
    drawn from the theme."""
    if a.image is not None:
        if a.slug not in content.assets.badges:
            raise BuildError(f"the badge image of {a.slug} was not loaded with the content")
        return content.assets.badges[a.slug]
    svg = generated_svg(a, content.site, lang)
    return svg.encode(), render_png(svg)


def badge_files(a: Achievement, content: Content) -> dict[str, bytes]:
    """{site path: bytes}: badge.svg and badge.png of every site language, each in its folder."""
    languages = content.site.languages or (a.language,)
    out: dict[str, bytes] = {}
    for code in languages:
        svg, png = badge_images(a, content, code)
        out[layout.badge_svg(a.slug, code, languages[0])] = svg
        out[layout.badge_png(a.slug, code, languages[0])] = png
    return out


def logo(content: Content) -> tuple[str, bytes]:
    """The issuer logo as (file name under assets/, bytes): content's, else a monogram."""
    if content.assets.logo is not None:
        return content.assets.logo
    return "logo.svg", monogram(content.site.issuer.name, content.site.theme).encode()
