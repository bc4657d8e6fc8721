"""Colours the issuer picks (site.yml `colours`, checked in content/load.py) made readable:
WCAG 2 contrast, the text colour that reads on a background, and the theme's CSS variables.
Pages and emails choose their text colours here, so that both follow one rule."""

from __future__ import annotations

from typing import Iterable

from credpub.model import SiteConfig

WHITE = "#ffffff"
#: dark text on light brand colours (the theme's body text colour)
DARK = "#111827"
#: WCAG 1.4.3 (AA) for body text
AA = 4.5


def _rgb(colour: str) -> tuple[float, float, float]:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(ch * 2 for ch in hex_digits)
    return tuple(int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in rgb)


def _luminance(colour: str) -> float:
    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """`a` moved towards `b` by `t` (0 to 1)."""
    return _hex(x * (1 - t) + y * t for x, y in zip(_rgb(a), _rgb(b), strict=True))


def on_colour(background: str) -> str:
    """The text colour on `background`: white where it reaches AA, else dark text."""
    return WHITE if contrast(background, WHITE) >= AA else DARK


def readable_on(background: str, colour: str, ratio: float = AA) -> str:
    """`colour`, darkened just enough to reach `ratio` against `background` (WCAG 1.4.3)."""
    out = colour
    for step in range(1, 21):
        if contrast(out, background) >= ratio:
            return out
        out = mix(colour, "#000000", step / 20)
    return "#000000"


def theme_css(site: SiteConfig) -> str:
    """The theme's colour variables, prepended to credpub.css."""
    brand, accent = site.theme.primary.lower(), site.theme.accent.lower()
    link = readable_on("#f5f7fa", brand)
    return (
        ":root{"
        f"--brand:{brand};--accent:{accent};--on-brand:{on_colour(brand)};--link:{link};--focus:{link};"
        f"--brand-tint:{mix(brand, WHITE, 0.9)}"
        "}\n"
    )
