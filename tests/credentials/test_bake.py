"""OB 3.0 baking (builder/credpub/bake.py and verifier-js/src/badge/bake.js): what goes in comes out
byte for byte, the images stay valid, and the Python and browser bakers agree."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import png as pypng
import pytest

from credpub.credentials import bake
from credpub.content.images import render_png
from credpub.verify import Resolver, verify_document

from tests.conftest import REPO, VECTORS, context

CRED = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "Ana Núñez ]]> <tag> & 🎓",
                   "note": "]]>]]>"}, ensure_ascii=False).encode()
SVG = b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- <svg in a comment> -->\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


@pytest.fixture(scope="module")
def png() -> bytes:
    return render_png(SVG)


def test_png_round_trip_is_byte_identical(png):
    baked = bake.bake(png, CRED)
    assert bake.extract(baked) == CRED
    assert pypng.Reader(bytes=baked).read_flat()[0] == pypng.Reader(bytes=png).read_flat()[0]  # still a valid PNG


def test_png_chunk_is_uncompressed_itxt_before_idat(png):
    baked = bake.bake_png(png, CRED)
    types = [t for t, _s, _e in bake.png_chunks(baked)]
    assert types.count(b"iTXt") == 1
    assert types.index(b"iTXt") < types.index(b"IDAT")
    _t, start, end = next(c for c in bake.png_chunks(baked) if c[0] == b"iTXt")
    data = baked[start + 8:end - 4]
    assert data.startswith(b"openbadgecredential\0\0\0\0\0")
    assert baked[end - 4:end] == zlib.crc32(baked[start + 4:end - 4]).to_bytes(4, "big")


def test_rebaking_replaces_the_credential(png):
    twice = bake.bake(bake.bake(png, b'{"a":1}'), CRED)
    assert [t for t, _s, _e in bake.png_chunks(twice)].count(b"iTXt") == 1
    assert bake.extract(twice) == CRED


def test_compressed_chunks_of_other_tools_are_read(png):
    text = zlib.compress(CRED)
    data = b"openbadgecredential\0\1\0\0\0" + text
    chunk = len(data).to_bytes(4, "big") + b"iTXt" + data + zlib.crc32(b"iTXt" + data).to_bytes(4, "big")
    assert bake.extract(png[:33] + chunk + png[33:]) == CRED


def test_svg_round_trip_is_byte_identical_even_with_cdata_end_in_json():
    baked = bake.bake(SVG, CRED)
    assert bake.extract(baked) == CRED
    root = ET.fromstring(baked)  # well-formed XML; the element right after <svg>
    assert root[0].tag == "{https://purl.imsglobal.org/ob/v3p0}credential"
    assert root[0].text.encode() == CRED  # a standard XML parser reads the same JSON


def test_svg_namespace_not_duplicated_and_old_credential_replaced():
    once = bake.bake(SVG, b'{"a":1}')
    twice = bake.bake(once, CRED)
    assert twice.count(b"xmlns:openbadges") == 1
    assert twice.count(b"<openbadges:credential>") == 1
    assert bake.extract(twice) == CRED


def test_self_closing_svg():
    baked = bake.bake(b'<svg xmlns="http://www.w3.org/2000/svg"/>', CRED)
    ET.fromstring(baked)
    assert bake.extract(baked) == CRED


def test_1edtech_samples_extract():
    svg = (VECTORS / "ob-v3p0-1edtech-validator" / "simple-json.svg").read_bytes()
    assert json.loads(bake.extract(svg))["type"]
    jwt = bake.extract((VECTORS / "ob-v3p0-1edtech-validator" / "simple-jwt.png").read_bytes())
    assert jwt.count(b".") == 2  # a compact JWS


@pytest.mark.parametrize("data, message", [
    (b"GIF89a....", "not a PNG or SVG"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "damaged PNG"),
])
def test_bad_images_are_clear_errors(data, message):
    with pytest.raises(bake.BakeError, match=message):
        bake.bake(data, CRED)


def test_no_credential_inside(png):
    with pytest.raises(bake.BakeError, match="carries no Open Badges credential"):
        bake.extract(png)


# ---------------------------------------------------------------- browser baker parity

NODE = shutil.which("node")


def _node_bake(kind: str, image: Path, cred: Path, out: Path) -> None:
    script = f"""
import {{readFileSync, writeFileSync}} from 'node:fs';
import {{bakePng, bakeSvg, extractPng, extractSvg}} from {json.dumps((REPO / 'verifier-js/src/badge/bake.js').as_uri())};
const img = readFileSync({json.dumps(str(image))});
const cred = readFileSync({json.dumps(str(cred))}, 'utf8');
const out = '{kind}' === 'png' ? bakePng(new Uint8Array(img), cred) : Buffer.from(bakeSvg(img.toString('utf8'), cred));
const back = '{kind}' === 'png' ? extractPng(out) : extractSvg(Buffer.from(out).toString('utf8'));
if (back !== cred) throw new Error('JS round trip differs');
writeFileSync({json.dumps(str(out))}, out);
"""
    subprocess.run([NODE, "--input-type=module", "-e", script], check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
@pytest.mark.parametrize("kind", ["png", "svg"])
def test_browser_baker_gives_the_same_bytes(kind, png, tmp_path):
    image = tmp_path / f"badge.{kind}"
    image.write_bytes(png if kind == "png" else SVG)
    cred = tmp_path / "cred.json"
    cred.write_bytes(CRED)
    out = tmp_path / f"out.{kind}"
    _node_bake(kind, image, cred, out)
    assert out.read_bytes() == bake.bake(image.read_bytes(), CRED)
    assert bake.extract(out.read_bytes()) == CRED


# ---------------------------------------------------------------- a real signed credential

def test_baked_signed_credential_verifies(tmp_path, content_dir, keys):
    from credpub.build.pipeline import BuildOptions, build

    site = tmp_path / "site"
    build(context(content_dir, keys=keys), BuildOptions(site))
    claim = next((site / "c").iterdir())
    cred = (claim / "credential.json").read_bytes()
    slug = json.loads(cred)["credentialSubject"]["achievement"]["id"].rstrip("/").rsplit("/", 1)[-1]
    resolver = Resolver(site, offline=True)
    for ext in ("png", "svg"):
        baked = bake.bake((site / "achievements" / slug / f"badge.{ext}").read_bytes(), cred)
        out = tmp_path / f"baked.{ext}"
        out.write_bytes(baked)
        assert bake.extract(baked) == cred
        result = verify_document(json.loads(bake.extract(baked)), resolver)
        assert result.verified, result.as_dict()


XML_CASES = json.loads((REPO / "verifier-js/test/fixtures/xml-unescape.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("text,expected", XML_CASES)
def test_xml_unescaping_follows_the_shared_cases(text, expected):
    # verifier-js/test/xml.test.js holds the browser to the same list.
    assert bake._unescape(text.encode()) == expected.encode()


def test_an_escaped_svg_credential_reads_by_the_shared_rule():
    svg = SVG.replace(b"<rect", b'<openbadges:credential>{&quot;a&quot;: &quot;&#xE9;&amp;lt;&#0;&quot;}</openbadges:credential><rect')
    assert bake.extract_svg(svg) == '{"a": "é&lt;&#0;"}'.encode()
