"""The release workflow: its wheel, installed in a fresh venv outside the checkout, runs an
issuer's first steps (.ci/release-smoke, as the workflow runs it), and it publishes by trusted
publishing with no token in any file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
SMOKE = REPO / ".ci" / "release-smoke"


def _workflow():
    return yaml.safe_load(WORKFLOW.read_text())


def test_release_runs_on_version_tags_smoke_tests_the_wheel_and_publishes_by_trusted_publishing():
    wf = _workflow()
    assert wf[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    build = [s.get("run", "") for s in wf["jobs"]["build"]["steps"]]
    order = [next(i for i, r in enumerate(build) if word in r) for word in ("npm ci", "python -m build", ".ci/release-smoke dist/*.whl")]
    assert order == sorted(order)
    publish = wf["jobs"]["publish"]
    assert publish["needs"] == "build" and publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    uses = [s["uses"] for s in publish["steps"] if "uses" in s]
    assert uses[-1].startswith("pypa/gh-action-pypi-publish@")
    assert not any("with" in s and ("password" in s["with"] or "token" in str(s["with"]).lower()) for s in publish["steps"])
    assert "secrets." not in WORKFLOW.read_text()


def test_the_version_check_of_the_tag_refuses_a_tag_that_is_not_the_package_version(tmp_path):
    step = next(s for s in _workflow()["jobs"]["build"]["steps"] if "GITHUB_REF_NAME" in s.get("run", ""))
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    import tomllib

    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    for tag, rc in ((f"v{version}", 0), ("v99.0.0", 1)):
        r = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=REPO, env={**env, "GITHUB_REF_NAME": tag},
                           capture_output=True, text=True)
        assert r.returncode == rc, r.stdout + r.stderr


@pytest.mark.slow
def test_the_release_smoke_test_passes_on_a_wheel_built_here(tmp_path):
    """Builds the wheel on this machine (pip wheel: hatchling from the package index, the bundled
    verifier from verifier-js/dist) and runs the workflow's smoke step on it. Needs the index."""
    dist = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(dist)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    wheel = next(dist.glob("credpub-*.whl"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TMPDIR"] = str(tmp_path)
    r = subprocess.run([str(SMOKE), str(wheel)], capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "VERIFIED" in r.stdout and f"release-smoke: ok ({wheel.name})" in r.stdout
    # and it fails when what it checks is missing: a wheel without the bundled verifier
    import zipfile

    broken = tmp_path / wheel.name.replace("credpub-", "broken/credpub-")
    broken.parent.mkdir()
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if "_static/js/credpub.js" not in item.filename:
                dst.writestr(item, src.read(item))
    r = subprocess.run([str(SMOKE), str(broken)], capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert r.returncode != 0 and "no bundled verifier" in r.stderr
