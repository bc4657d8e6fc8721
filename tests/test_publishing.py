"""Issue 11: publishing from a public repository without anyone's data in it — the HMAC-keyed
status lock, sealed awards, `credpub new`, `publish`, `doctor` and the workflows."""

from __future__ import annotations

import json
import re

from credpub import pipeline
from credpub.load import STATUS_LOCK_FILE
from credpub.plan import lock_key


# --- point 2: status-lock.json names nobody ---------------------------------------------------

def _learner_ids(content_dir):
    ids = set()
    for f in (content_dir / "awards").glob("*.csv"):
        ids.update(line.split(",")[0] for line in f.read_text().splitlines()[1:] if line.strip())
    return ids


def test_old_status_lock_migrates_in_place_with_positions_unchanged(content_dir, keys, tmp_path):
    lock_path = content_dir / STATUS_LOCK_FILE
    old = json.loads(lock_path.read_text())["entries"]
    assert any("|" in k for k in old), "the demo lock is in the first format (slug|learner_id)"
    pipeline.build(content_dir, tmp_path / "site", keys=keys)
    text = lock_path.read_text()
    new = json.loads(text)["entries"]
    expected = {lock_key(keys.site_secret, k.split("|")[1], k.split("|")[0]): v for k, v in old.items()}
    assert {k: new[k] for k in expected} == expected  # every old entry, at the same position
    for learner_id in _learner_ids(content_dir):
        assert learner_id not in text
    assert not re.search(r"BP-\d{4}-\d{3}", text)
    # the credentials still carry the old positions
    positions = {json.loads(p.read_text())["credentialStatus"]["statusListIndex"]
                 for p in (tmp_path / "site").glob("c/*/credential.json")}
    assert positions <= {str(v % 131072) for v in old.values()}
    # a second build leaves the migrated file as it is
    pipeline.build(content_dir, tmp_path / "site", keys=keys)
    assert lock_path.read_text() == text


def test_lock_keys_depend_on_the_site_secret():
    a = lock_key(b"\x01" * 32, "BP-1", "x")
    assert a != lock_key(b"\x02" * 32, "BP-1", "x") and a != lock_key(b"\x01" * 32, "BP-2", "x")
    assert "BP-1" not in a and "|" not in a
