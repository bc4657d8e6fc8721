"""The build pipeline: load → validate → plan → sign → render → write.

Each stage takes the previous stage's value and returns the next; nothing touches the output
folder until every stage has succeeded. The CLI and the mkdocs plugin are thin shells over
`build()`; tests call the stages directly.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from credpub import clock
from credpub.site import hostfiles
from credpub.build import incremental
from credpub import paths
from credpub.content import statuslock
from credpub.build.datafiles import award_data_files, data_files, status_list_files
from credpub.credentials.dataintegrity import Canonicalizer
from credpub.errors import ContentErrors
from credpub.credentials.keys import Keys, load_keys
from credpub.content.load import STATUS_LOCK_FILE
from credpub.model import Content, Plan, Signed
from credpub.build.plan import plan as make_plan
from credpub.build.sign import sign_all
from credpub.content.validate import check
from credpub.build.write import write_changes, write_file_atomic, write_site


@dataclass
class BuildReport:
    awards: int = 0
    files: int = 0
    bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    demo_key: bool = False
    pdfs: int = 0
    scheduled: int = 0  # awards held back until their issued_on date
    notes: list[str] = field(default_factory=list)  # what the issuer must know to publish this build
    incremental: bool = False  # reused the previous build (incremental.py)
    redone: int = 0  # awards signed and rendered by this build
    written: int = 0  # files this build wrote (incremental: only the changed ones)
    removed: int = 0

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self, out_dir: Path) -> str:
        demo = " — signed with the DEMO key" if self.demo_key else ""
        later = f"; {self.scheduled} scheduled for later dates held back (`credpub check` lists them)" if self.scheduled else ""
        how = (f"; incremental: {self.redone} awards signed, {self.written} files written, {self.removed} removed"
               if self.incremental else "")
        return (f"built {self.awards} awards ({self.files} files, {self.bytes / 1e6:.1f} MB) "
                f"into {out_dir} in {self.seconds:.2f} s{demo}{later}{how}")


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - start


def load_valid_content(content_dir: Path, keys_dir: Path | None = None, today: dt.date | None = None) -> Content:
    content, errors = check(content_dir, keys_dir, today)
    if errors or content is None:
        raise ContentErrors(errors)
    return content


def sign_content(content_dir: Path, keys: Keys, keys_dir: Path | None = None) -> Signed:
    """Load → validate → plan → sign, for the mkdocs plugin (build() times each stage)."""
    today = clock.today()  # once: validate and plan must agree on the day
    the_plan = make_plan(load_valid_content(content_dir, keys_dir, today), keys, today)
    return sign_all(the_plan, keys, Canonicalizer.offline(), cache_dir=_cache_dir(keys_dir))


def _cache_dir(keys_dir: Path | None) -> Path | None:
    return keys_dir / "cache" if keys_dir else None


def render_files(signed: Signed) -> dict[str, bytes]:
    """Every file of the site: the data files and the pages."""
    from credpub.site.render import render_site

    files = data_files(signed)
    files.update(render_site(signed, assets_js=paths.js_bundle_dir()))
    return files


def render_award_files(signed: Signed) -> dict[str, bytes]:
    """What an incremental build renders: the files that can change when only awards changed
    (the global fingerprint being the same, incremental.py) — the signed awards' own files, the
    status lists, and the verify page that pins them. Every other file is the previous build's;
    tests/build/test_incremental.py holds the result to a full build's, byte for byte."""
    from credpub.site.render import SiteRenderer

    files = status_list_files(signed)
    for sa in signed.awards:
        files.update(award_data_files(sa))
    renderer = SiteRenderer(signed)
    files.update(renderer.award_pages())
    files.update(renderer.verify_pages())  # verify/ and verify/<lang>/: each pins the status lists
    return files


def build(content_dir: Path, out_dir: Path, keys: Keys | None = None, keys_dir: Path | None = None,
          pdf_dir: Path | None = None, today: dt.date | None = None, state_dir: Path | None = None,
          full: bool = False) -> BuildReport:
    """Build the site. Passphrase-protected claims keep their PBKDF2 results in
    <keys_dir>/cache (outside site/, beside the secrets) so that rebuilds stay fast.
    `today` is the build clock (UTC date): awards dated after it are held back.

    Incremental: the build manifest (incremental.py) lives in `state_dir` (default
    <keys_dir>/cache); with one from the previous build of `out_dir`, only the awards whose
    inputs changed are signed, rendered and written. `full`, `pdf_dir` or no state: a full build
    (written beside site/ and swapped in). The result is the same bytes either way."""
    today = today or clock.today()
    report = BuildReport()
    content_dir, out_dir = Path(content_dir).resolve(), Path(out_dir).resolve()
    with _timed(report, "load+validate"):
        content = load_valid_content(content_dir, keys_dir, today)
    if keys is None:
        keys = load_keys(keys_dir or Path(".credpub"))
    report.demo_key = keys.demo
    with _timed(report, "plan"):
        the_plan: Plan = make_plan(content, keys, today)
    report.scheduled = len(the_plan.scheduled)
    state = state_dir or _cache_dir(keys_dir)
    with _timed(report, "plan"):
        manifest_file = incremental.manifest_path(state, out_dir) if state else None
        previous = incremental.load(manifest_file, out_dir) if manifest_file and not full and pdf_dir is None else None
        global_fp = incremental.global_fingerprint(the_plan, keys) if manifest_file else ""
        redo = incremental.changed_awards(the_plan, previous, global_fp)
    with _timed(report, "sign"):
        signed = sign_all(the_plan, keys, Canonicalizer.offline(), cache_dir=_cache_dir(keys_dir), only=redo)
    with _timed(report, "render"):
        files = render_files(signed) if redo is None else render_award_files(signed)
    with _timed(report, "write"):
        if manifest_file is None:
            write_site(files, out_dir)
            report.written = len(files)
        else:
            manifest = incremental.next_manifest(out_dir, the_plan, global_fp, files, previous, redo)
            if redo is None:
                incremental.clear(manifest_file)  # until the new manifest is saved, none is trusted
                write_site(files, out_dir)
                report.written = len(files)
            else:
                remove = incremental.removed_files(out_dir, previous, manifest)
                report.written, report.removed = write_changes(
                    files, out_dir, previous.files, remove, incremental.digest, incremental.dirty_mark(manifest_file))
                report.incremental = True
            incremental.save(manifest_file, manifest)
            incremental.dirty_mark(manifest_file).unlink(missing_ok=True)
        save_status_lock(content, the_plan)
    if pdf_dir is not None:
        from credpub.site.pdf import write_pdfs

        with _timed(report, "pdf"):
            # Printed from each graduate's own credential (encrypted claims included), as the
            # claim page does; the PDFs stay outside site/ unless asked.
            # In the graduate's language: certificate/ for the default, certificate/<lang>/ else.
            default = content.site.languages[0]
            report.pdfs = write_pdfs(out_dir, pdf_dir, credentials={
                sa.planned.share_token: sa.credential_json for sa in signed.awards}, languages={
                sa.planned.share_token: sa.planned.award.language for sa in signed.awards
                if sa.planned.award.language and sa.planned.award.language != default})
    report.notes = hostfiles.publish_notes(content.site.url)
    report.awards = len(the_plan.awards)
    report.redone = len(the_plan.awards) if redo is None else len(redo)
    report.files = len(files)
    report.bytes = sum(len(b) for b in files.values())
    if redo is not None:
        report.files = len(manifest.files) + 4 * len(manifest.awards)  # claim and share: page and credential each
    return report


def save_status_lock(content: Content, the_plan: Plan) -> None:
    """Status indexes must never move: new awards' indexes are recorded in content/ (commit it)."""
    if the_plan.status_lock == content.status_lock:
        return
    if content.root.resolve() == paths.demo_content_dir().resolve():
        return  # the bundled demo is read-only (inside the package): every demo key would rewrite its lock
    write_file_atomic(content.root / STATUS_LOCK_FILE, statuslock.dump(the_plan.status_lock))
