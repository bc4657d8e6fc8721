"""SVG files from content (badge images, the logo): parsed safely, checked against an
allow-list, and written back clean before they are published or rendered.

Why: a badge SVG is published on the site's origin (opened directly it runs its scripts there,
where claim pages keep decrypted credentials in sessionStorage), and resvg, which draws
badge.png, follows `<image href>` to any file it can read — resvg-py has no option to forbid
that (`resources_dir` is only the base of relative paths; `../` and absolute paths leave it).
So no reference to anything outside the SVG itself reaches resvg: the allow-list below is the
sandbox.

- Parsing: expat with entity declarations and external entities refused (no entity expansion,
  no DTD fetching); a plain `<!DOCTYPE svg PUBLIC …>` as editors write it is fine.
- Refused, with file and line: scripts, `foreignObject`, animation elements (they can rewrite
  `href`), event handlers, references to other files or URLs (`href`/`xlink:href` other than
  `#id` or an embedded PNG/JPEG/GIF/WebP `data:` image; CSS `url()` other than `url(#id)`;
  `@import`), and any SVG element not in the allow-list.
- Stripped quietly: editor metadata (`<metadata>`, Inkscape/Sodipodi elements and attributes),
  comments and processing instructions.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ALLOWED_ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}
DROPPED_ELEMENTS = {"metadata"}  # editor data, never drawn
REASONS = {
    "script": "scripts are not allowed",
    "foreignObject": "foreignObject can embed HTML and is not allowed",
    "feImage": "feImage loads images by reference and is not allowed",
    "animate": "animation can change references and is not allowed",
    "set": "animation can change references and is not allowed",
    "animateMotion": "animation is not allowed",
    "animateTransform": "animation is not allowed",
    "a": "links are not allowed in a badge image",
}
MAX_DEPTH = 64  # badges from editors nest a dozen groups deep
RASTER_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*(?!#)", re.I)
_CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.I)

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class UnsafeSvg(ValueError):
    """The SVG holds something refused: `line` (1-based, 0 unknown) and a message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class MalformedSvg(UnsafeSvg):
    """Not well-formed XML."""


def _qname(name: str) -> str:
    return "{" + name if "}" in name else name  # expat gives "uri}local"


def parse(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """Parse without entity expansion or external fetching: (root, id(element) → line)."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    lines: dict[int, int] = {}
    depth = 0

    def refuse_entity(*_args) -> None:
        raise UnsafeSvg(parser.CurrentLineNumber, "declares or uses an XML entity; entities are not allowed in SVG images")

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:  # the checks and the writer recurse: no stack games
            raise UnsafeSvg(parser.CurrentLineNumber, f"elements are nested more than {MAX_DEPTH} deep")
        el = builder.start(_qname(name), {_qname(k): v for k, v in attrs.items()})
        lines[id(el)] = parser.CurrentLineNumber

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(_qname(name))

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.SkippedEntityHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise MalformedSvg(e.lineno, f"is not well-formed XML ({expat.errors.messages[e.code]})") from None
    return builder.close(), lines


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _check_css(css: str, line: int, where: str) -> None:
    if _CSS_DANGER.search(css) or "\\" in css:
        raise UnsafeSvg(line, f"{where}: CSS with @import, escapes or script is not allowed")
    if _CSS_URL.search(css):
        raise UnsafeSvg(line, f"{where}: url() may only point inside the image (url(#id)), not to other files")


def _check_reference(value: str, tag: str, line: int, name: str) -> None:
    v = value.strip()
    if v.startswith("#") or (tag == "image" and RASTER_DATA_URL.match(v)):
        return
    shown = v if len(v) <= 60 else v[:57] + "…"
    raise UnsafeSvg(line, f"<{tag} {name}={shown!r}>: references to other files or addresses are not allowed "
                          "(embed images as data:image/png;base64,…)")


def _clean(el: ET.Element, svg_ns: str, lines: dict[int, int]) -> None:
    for child in list(el):
        ns, local = _split(child.tag) if isinstance(child.tag, str) else ("", "")
        line = lines.get(id(child), 0)
        if not isinstance(child.tag, str) or ns not in (svg_ns, SVG_NS) or local in DROPPED_ELEMENTS:
            _remove(el, child)  # comments, PIs, Inkscape/Sodipodi/RDF elements
            continue
        if local in REASONS:
            raise UnsafeSvg(line, f"<{local}>: {REASONS[local]}")
        if local not in ALLOWED_ELEMENTS:
            raise UnsafeSvg(line, f"<{local}> is not an element credpub allows in images")
        _clean_attributes(child, local, line)
        if local == "style":
            _check_css(child.text or "", line, "<style>")
        _clean(child, svg_ns, lines)


def _remove(parent: ET.Element, child: ET.Element) -> None:
    # Keep the text that followed the removed element.
    if child.tail and child.tail.strip():
        idx = list(parent).index(child)
        if idx:
            prev = parent[idx - 1]
            prev.tail = (prev.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _clean_attributes(el: ET.Element, local: str, line: int) -> None:
    for name, value in list(el.attrib.items()):
        ns, attr = _split(name)
        if ns and ns not in (XLINK_NS, XML_NS):
            del el.attrib[name]  # inkscape:label, sodipodi:…
            continue
        if attr.lower().startswith("on"):
            raise UnsafeSvg(line, f"<{local} {attr}=…>: event handlers (scripts) are not allowed")
        if attr == "href":
            _check_reference(value, local, line, "xlink:href" if ns == XLINK_NS else "href")
        elif attr == "style":
            _check_css(value, line, f"<{local} style>")
        elif "url(" in value.lower() or "javascript:" in value.lower():
            _check_css(value, line, f"<{local} {attr}>")


def clean(data: bytes) -> bytes:
    """The SVG, checked and cleaned (UnsafeSvg if it holds anything refused)."""
    root, lines = parse(data)
    ns, local = _split(root.tag)
    if local != "svg" or ns not in ("", SVG_NS):
        raise UnsafeSvg(1, "is not an SVG image (the root element must be <svg>)")
    _clean_attributes(root, "svg", lines.get(id(root), 1))
    _clean(root, ns, lines)
    if not ns:  # <svg> without xmlns: written back in the SVG namespace, as renderers expect
        for el in root.iter():
            el.tag = f"{{{SVG_NS}}}{el.tag}"
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"
