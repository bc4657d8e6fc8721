"""Wheel build hook: bundle verifier-js with esbuild and ship it, the theme and the demo content
inside the wheel, so that `pip install credpub` users need no Node.js and no checkout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # a checkout uses verifier-js/dist directly
        js = Path(self.root) / "verifier-js"
        dist = js / "dist"
        if not (dist / "credpub.js").is_file():
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("building the credpub wheel needs Node.js and npm to bundle verifier-js")
            subprocess.run([npm, "ci"], cwd=js, check=True)
            subprocess.run([npm, "run", "build"], cwd=js, check=True)
        root = Path(self.root)
        build_data["force_include"][str(dist)] = "credpub/_static/js"
        # The theme and the demo issuer ship inside the package (paths.py finds them there).
        build_data["force_include"][str(root / "theme")] = "credpub/_theme"
        build_data["force_include"][str(root / "content")] = "credpub/_demo_content"
