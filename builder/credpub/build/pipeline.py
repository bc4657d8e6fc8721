"""The build pipeline: load → validate → plan → sign → render → write.

Each stage takes the previous stage's value and returns the next; nothing touches the output
folder until every stage has succeeded. Every shell (the CLI, the mkdocs plugin, `send`, tests,
benches) makes one BuildContext (context.py) and calls one entry per use:

    plan_content(ctx) -> Plan                  load → validate → plan (ContentErrors if any)
    sign_content(ctx) -> Signed                … → sign (the mkdocs plugin)
    build(ctx, BuildOptions) -> BuildReport    … → sign → render → write (a writer, writers.py)
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from credpub import paths
from credpub.build.hostcheck import host_report
from credpub.build.incremental import shown
from credpub.build.datafiles import award_data_files, data_files, status_list_files
from credpub.build.plan import make_plan
from credpub.build.sign import sign_all
from credpub.build.write import site_lock, write_file_atomic
from credpub.build.writers import writer_for
from credpub.content import statuslock
from credpub.content.load import STATUS_LOCK_FILE
from credpub.content.validate import check_content
from credpub.context import BuildContext
from credpub.credentials.dataintegrity import Canonicalizer
from credpub.errors import ContentErrors
from credpub.model import Content, Plan, Signed
from credpub.site import hostfiles

if TYPE_CHECKING:
    from credpub.site.render import SiteRenderer


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
    host: str = ""  # the site against its host's limits (hostcheck.py)
    warnings: list[str] = field(default_factory=list)  # a deploy to that host would fail, or soon will
    incremental: bool = False  # reused the previous build (incremental.py)
    redone: int = 0  # awards signed and rendered by this build
    written: int = 0  # files this build wrote (incremental: only the changed ones)
    removed: int = 0
    repaired: list[str] = field(default_factory=list)  # files of site/ that were not what the last build wrote
    strays: list[str] = field(default_factory=list)  # files in site/ that no build wrote, removed
    plan: Plan | None = field(default=None, repr=False)  # what was built (the demo lists a few claim links)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self, out_dir: Path) -> str:
        demo = " — signed with the DEMO key" if self.demo_key else ""
        later = f"; {self.scheduled} scheduled for later dates held back (`credpub check` lists them)" if self.scheduled else ""
        how = (f"; incremental: {self.redone} awards signed, {self.written} files written, {self.removed} removed"
               if self.incremental else "")
        return (f"built {self.awards} awards ({self.files} files, {self.bytes / 1e6:.1f} MB) "
                f"into {out_dir} in {self.seconds:.2f} s{demo}{later}{how}" + self.repairs())

    _NAMED = 10  # paths named in a repairs line; the rest are counted

    def repairs(self) -> str:
        """What the build found in site/ that the previous build had not written, and put right."""
        out = ""
        for paths_, what in ((self.repaired, "changed or missing since the last build: rewritten"),
                             (self.strays, "not written by any build: removed")):
            if paths_:
                names = ", ".join(shown(p) for p in paths_[:self._NAMED]) + (f" and {len(paths_) - self._NAMED} more" if len(paths_) > self._NAMED else "")
                out += f"\n{len(paths_)} {'file' if len(paths_) == 1 else 'files'} in site/ {what}: {names}"
        return out


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[stage] = report.timings.get(stage, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class BuildOptions:
    """What a build writes, and where (the context says what it is built from)."""

    out_dir: Path
    full: bool = False  # sign and write everything, even what the previous build could reuse
    pdf_dir: Path | None = None  # also one certificate PDF per award, here


def load_valid_content(ctx: BuildContext) -> Content:
    """Load → validate: the content, or ContentErrors with every problem found."""
    content, errors = check_content(ctx.content_dir, ctx.today, ctx.age_identity)
    if errors or content is None:
        raise ContentErrors(errors)
    return content


def plan_content(ctx: BuildContext, content: Content | None = None) -> Plan:
    """Load → validate → plan: what `check`, `links`, `serve --links`, `demo` and `send` need.
    `content`: already loaded and valid (`check` loads it first, to warn before it plans)."""
    return make_plan(content or load_valid_content(ctx), ctx.signing_keys, ctx.today)


def sign_content(ctx: BuildContext) -> Signed:
    """Load → validate → plan → sign (the mkdocs plugin renders the result itself, page by page)."""
    return sign_all(plan_content(ctx), ctx.signing_keys, Canonicalizer.offline(), cache_dir=ctx.cache_dir)


def render_files(signed: Signed, bundle_dir: Path) -> dict[str, bytes]:
    """Every file of the site: the data files and the pages."""
    from credpub.site.render import render_site

    files = data_files(signed)
    files.update(render_site(signed, assets_js=bundle_dir))
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


def mkdocs_files(renderer: SiteRenderer, bundle_dir: Path) -> dict[str, bytes]:
    """What the mkdocs plugin adds to the site mkdocs wrote: every file but the issuer pages
    (mkdocs renders those), their language variants, and the data files."""
    from credpub.site.issuer_pages import build_variant_pages

    files = renderer.render(bundle_dir, issuer_pages=False)
    files.update(build_variant_pages(renderer))
    files.update(data_files(renderer.signed))
    return files


def build(ctx: BuildContext, options: BuildOptions) -> BuildReport:
    """Build the site from `ctx` into `options.out_dir`. Passphrase-protected claims keep their
    PBKDF2 results in the context's cache folder (outside site/, beside the secrets), so that
    rebuilds stay fast; awards dated after `ctx.today` are held back.

    Incremental: with a state folder (the build manifest, incremental.py) and the manifest of the
    previous build of the same folder, only the awards whose inputs changed are signed, rendered
    and written, after every file of site/ was checked against that manifest (what differs is
    written again, what no build wrote removed: `report.repaired`, `report.strays`). `full`, a
    `pdf_dir` or no state folder: a full build (written beside site/ and swapped in). The result
    is the same bytes either way."""
    report = BuildReport()
    ctx = dataclasses.replace(ctx, content_dir=ctx.content_dir.resolve())
    out_dir = Path(options.out_dir).resolve()
    with site_lock(out_dir):  # one build at a time; what killed builds left beside site/ is removed first
        writer = writer_for(out_dir, ctx.state_dir, full=options.full or options.pdf_dir is not None)
        with _timed(report, "load+validate"):
            content = load_valid_content(ctx)
        keys = ctx.signing_keys
        with _timed(report, "plan"):
            the_plan = make_plan(content, keys, ctx.today)
            redo = writer.changed_awards(the_plan, keys, ctx.bundle())
        with _timed(report, "sign"):
            signed = sign_all(the_plan, keys, Canonicalizer.offline(), cache_dir=ctx.cache_dir, only=redo)
        with _timed(report, "render"):
            files = render_files(signed, ctx.bundle()) if redo is None else render_award_files(signed)
        with _timed(report, "write"):
            writer.write(files, the_plan)
            save_status_lock(content, signed.status_lock)
        if options.pdf_dir is not None:
            with _timed(report, "pdf"):
                report.pdfs = write_certificates(signed, out_dir, options.pdf_dir)
    report.demo_key = keys.demo
    report.notes = [*content.notes, *hostfiles.publish_notes(content.site.url)]
    hosted = host_report(out_dir, len(the_plan.awards), content.site.host)
    report.host, report.warnings = hosted.line, hosted.warnings
    report.scheduled = len(the_plan.scheduled)
    report.awards = len(the_plan.awards)
    report.redone = len(the_plan.awards) if redo is None else len(redo)
    report.incremental = writer.incremental
    report.written, report.removed, report.files = writer.written, writer.removed, writer.files_in_site
    report.repaired, report.strays = list(writer.found.differ), list(writer.found.stray)
    report.bytes = sum(len(b) for b in files.values())
    report.plan = the_plan
    return report


def write_certificates(signed: Signed, out_dir: Path, pdf_dir: Path) -> int:
    """One PDF per award, printed from each graduate's own credential (encrypted claims
    included) as the claim page does; the PDFs stay outside site/ unless asked. In the
    graduate's language: certificate/ for the default, certificate/<lang>/ else."""
    from credpub.site.pdf import write_pdfs

    default = signed.plan.content.site.languages[0]
    return write_pdfs(out_dir, pdf_dir, credentials={
        sa.planned.share_token: sa.credential_json for sa in signed.awards}, languages={
        sa.planned.share_token: sa.planned.award.language for sa in signed.awards
        if sa.planned.award.language and sa.planned.award.language != default})


def save_status_lock(content: Content, lock: statuslock.StatusLock) -> None:
    """Status indexes must never move, and what was signed keeps its day: new awards' indexes
    and the days of what was signed are recorded in content/ (commit it)."""
    if lock == content.status_lock:
        return
    if content.root.resolve() == paths.demo_content_dir().resolve():
        return  # the bundled demo is read-only (inside the package): every demo key would rewrite its lock
    write_file_atomic(content.root / STATUS_LOCK_FILE, statuslock.dump(lock))
