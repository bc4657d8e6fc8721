"""The golden fixture's Signed with its content's assets loaded, as the load stage gives them
to the renderer (fixture.py builds Content by hand, without them)."""

from __future__ import annotations

import dataclasses

from credpub.content.assets import load_assets
from credpub.model import Signed

from tests.golden import fixture


def with_assets(signed: Signed) -> Signed:
    content = signed.plan.content
    errors: list = []
    assets = load_assets(content.root, content.site, content.achievements, errors)
    assert errors == []
    content = dataclasses.replace(content, assets=assets)
    return dataclasses.replace(signed, plan=dataclasses.replace(signed.plan, content=content))


def signed(*args, **kw) -> Signed:
    return with_assets(fixture.signed(*args, **kw))
