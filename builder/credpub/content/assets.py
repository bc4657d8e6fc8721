"""The load stage's reading of what content gives besides data (model.Assets): the issuer's
pages, the logo and the badge images, each checked as the build will use it."""

from __future__ import annotations

from pathlib import Path

from credpub.content import images, pages, sanitize
from credpub.errors import ContentError
from credpub.model import Achievement, Assets, SiteConfig


def load_assets(root: Path, site: SiteConfig, achievements: dict[str, Achievement],
                errors: list[ContentError]) -> Assets:
    """content/pages, the logo and every given badge image; each problem is added to `errors`."""
    pages_dir = root / "pages"
    page_list: list = []
    versions: dict[str, str] = {}
    try:
        page_list = pages.issuer_page_list(pages_dir, site)  # the privacy page exists; front matter parses
        versions = pages.terms_versions(pages_dir, site)
    except ContentError as e:
        errors.append(e)
    errors += sanitize.check_pages(pages_dir)
    badges = {}
    for a in sorted(achievements.values(), key=lambda a: a.slug):
        if a.image is not None:
            try:
                badges[a.slug] = images.badge_image(a, root)
            except ContentError as e:
                errors.append(e)
    logo = None
    try:
        logo = images.load_logo(site, root)
    except ContentError as e:
        errors.append(e)
    return Assets(pages=tuple(page_list), terms_versions=versions, logo=logo, badges=badges)
