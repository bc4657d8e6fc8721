"""Sealed awards: award CSVs encrypted at rest (age format), so that a public repository holds
no names or email addresses.

`credpub seal` writes content/awards/<name>.csv.age next to (and then instead of) <name>.csv;
load.py reads either through `read_award_bytes`. content/revocations.yml names learner ids and
reasons, so it is sealed with the awards, as revocations.yml.age (`sealable`): the same key,
the same seal/unseal round trip, and `credpub revoke` writes the sealed form once awards are
sealed. The age identity (X25519) is kept like the
signing key: <key folder>/age-key.txt, or CREDPUB_AGE_KEY (the AGE-SECRET-KEY-1… line) in CI.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyrage

from credpub import clock
from credpub.content import reader
from credpub.content.roster import ROSTER_SUFFIXES, SEALED_SUFFIX, is_lock_file, roster_suffix
from credpub.context import DEFAULT_KEYS, AgeIdentity
from credpub.errors import ContentError, KeyMaterialError, UsageError

AGE_KEY_FILE = "age-key.txt"
AGE_KEY_ENV = "CREDPUB_AGE_KEY"
REVOCATIONS_FILE = "revocations.yml"  # content/revocations.yml → content/revocations.yml.age
# awards/x.csv → awards/x.csv.age (and x.xlsx → x.xlsx.age, x.ods → x.ods.age)


def is_sealed(path: Path) -> bool:
    return path.name.endswith(SEALED_SUFFIX)


def plain_rosters(awards_dir: Path) -> list[Path]:
    """The plain roster files in awards/ (.csv, .xlsx, .ods; not Excel's ~$ lock files)."""
    if not awards_dir.is_dir():
        return []
    return sorted(p for p in awards_dir.iterdir() if os.path.lexists(p) and not p.is_dir()
                  and not p.name.endswith(SEALED_SUFFIX) and roster_suffix(p.name) and not is_lock_file(p.name))


def sealed_rosters(awards_dir: Path) -> list[Path]:
    if not awards_dir.is_dir():
        return []
    return sorted(p for p in awards_dir.iterdir() if os.path.lexists(p) and not p.is_dir() and is_sealed(p)
                  and roster_suffix(p.name))


def awards_sealed(content_dir: Path) -> bool:
    """Whether the awards are kept sealed (some awards/*.age): then nothing else may name
    learners in plain either."""
    return bool(sealed_rosters(content_dir / "awards"))


def sealable(content_dir: Path) -> list[Path]:
    """The plain files `seal` encrypts: every roster in awards/, and revocations.yml — with the
    awards only (plain rosters to seal, or sealed ones it would otherwise sit beside in plain):
    revocations alone are no reason to make a key."""
    revocations = content_dir / REVOCATIONS_FILE
    rosters = plain_rosters(content_dir / "awards")
    with_awards = bool(rosters) or awards_sealed(content_dir)
    return rosters + ([revocations] if with_awards and os.path.lexists(revocations) else [])


def sealed_files(content_dir: Path) -> list[Path]:
    """The sealed files `unseal` decrypts: every awards/*.age roster, and revocations.yml.age."""
    revocations = sealed_path(content_dir / REVOCATIONS_FILE)
    return sealed_rosters(content_dir / "awards") + ([revocations] if os.path.lexists(revocations) else [])


def sealed_path(plain: Path) -> Path:
    return plain.with_name(plain.name + SEALED_SUFFIX)


def plain_path(sealed: Path) -> Path:
    return sealed.with_name(sealed.name[: -len(SEALED_SUFFIX)])


def award_files(awards_dir: Path) -> list[Path]:
    """The award files to read: each plain CSV, and each sealed one without a plain copy beside
    it (after `credpub unseal`, the plain copy is the one being edited)."""
    if not awards_dir.is_dir():
        return []
    plain = set(plain_rosters(awards_dir))
    sealed = {p for p in sealed_rosters(awards_dir) if plain_path(p) not in plain}
    return sorted(plain | sealed)


def _key_candidates(keys_dir: Path | None, content_dir: Path | None) -> list[Path]:
    if keys_dir is not None:
        return [keys_dir / AGE_KEY_FILE]
    # The default key folder is ./.credpub; an issuer repository keeps it beside content/.
    out = [DEFAULT_KEYS / AGE_KEY_FILE]
    if content_dir is not None:
        out.append(content_dir.resolve().parent / DEFAULT_KEYS / AGE_KEY_FILE)
    return out


def _parse_identity(text: str, where: str) -> pyrage.x25519.Identity:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if len(lines) != 1:
        raise KeyMaterialError(f"{where}: expected one AGE-SECRET-KEY-1… line")
    try:
        return pyrage.x25519.Identity.from_str(lines[0])
    except pyrage.IdentityError as e:
        raise KeyMaterialError(f"{where}: not an age X25519 identity ({e})") from None


def load_identity(keys_dir: Path | None = None, content_dir: Path | None = None) -> pyrage.x25519.Identity:
    """CREDPUB_AGE_KEY first (CI), then <key folder>/age-key.txt."""
    env = os.environ.get(AGE_KEY_ENV)
    if env:
        return _parse_identity(env, AGE_KEY_ENV)
    candidates = _key_candidates(keys_dir, content_dir)
    for path in candidates:
        if path.is_file():
            return _parse_identity(path.read_text("utf-8"), str(path))
    raise KeyMaterialError(
        f"sealed awards need the age key: no {candidates[0]} and no {AGE_KEY_ENV}; "
        f"copy age-key.txt into the key folder (or set {AGE_KEY_ENV} in CI)"
    )


def ensure_identity(keys_dir: Path) -> tuple[pyrage.x25519.Identity, bool]:
    """The key folder's age identity, made when missing: (identity, made now)."""
    path = keys_dir / AGE_KEY_FILE
    if os.environ.get(AGE_KEY_ENV) or path.is_file():
        return load_identity(keys_dir), False
    identity = pyrage.x25519.Identity.generate()
    write_identity(keys_dir, identity)
    return identity, True


def write_identity(keys_dir: Path, identity: pyrage.x25519.Identity) -> Path:
    """Writes a new age-key.txt (0600; never over an existing one)."""
    path = keys_dir / AGE_KEY_FILE
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = (f"# credpub: the age key that seals content/awards/*.csv.age; back it up with signing-key.pem\n"
            f"# created: {clock.now().replace(microsecond=0).isoformat()}\n"
            f"# public key: {identity.to_public()}\n{identity}\n")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    gitignore = keys_dir / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n")
    return path


# --- recipients: who can open a sealed file --------------------------------------------

Recipient = pyrage.x25519.Recipient | pyrage.ssh.Recipient
_STANZAS = ("X25519", "ssh-ed25519", "ssh-rsa")  # age's recipient types; anything else is grease


def parse_recipient(text: str) -> Recipient:
    """An age recipient as site.yml `seal: recipients:` gives it: an `age1…` public key or an
    OpenSSH public key line (`ssh-ed25519 AAAA… comment`, `ssh-rsa …`). ValueError saying what
    was expected."""
    text = text.strip()
    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        if text.startswith(("ssh-ed25519 ", "ssh-rsa ")):
            return pyrage.ssh.Recipient.from_str(text)
    except pyrage.RecipientError as e:
        raise ValueError(f"not a valid age recipient ({e})") from None
    if text.startswith("AGE-SECRET-KEY-"):
        raise ValueError("this is a secret key: give its public key (the `# public key: age1…` line of age-key.txt)")
    raise ValueError("must be an age public key (age1…) or an OpenSSH public key line (ssh-ed25519 AAAA…, ssh-rsa AAAA…)")


def _stanza(text: str) -> tuple[str, str]:
    """The header stanza a recipient gives: (type, tag); X25519 stanzas name no recipient."""
    if text.startswith("age1"):
        return ("X25519", "")
    kind, blob = text.split()[:2]
    tag = base64.b64encode(hashlib.sha256(base64.b64decode(blob)).digest()[:4]).decode().rstrip("=")
    return (kind, tag)


def header_stanzas(data: bytes) -> list[tuple[str, str]]:
    """The recipient stanzas of an age file's header, sorted (grease left out)."""
    out = []
    for line in data.split(b"\n---", 1)[0].split(b"\n"):
        if line.startswith(b"-> "):
            args = line[3:].decode("ascii", "replace").split()
            if args and args[0] in _STANZAS:
                out.append((args[0], args[1] if args[0] != "X25519" else ""))
    return sorted(out)


def expected_stanzas(identity: pyrage.x25519.Identity, extra: tuple[str, ...]) -> list[tuple[str, str]]:
    return sorted([_stanza(str(identity.to_public())), *(_stanza(r) for r in extra)])


def encrypt(data: bytes, identity: pyrage.x25519.Identity, others: list[Recipient] | tuple = ()) -> bytes:
    """`data` sealed to the age key and to `others` (site.yml `seal: recipients:`): the one
    place that says to whom."""
    return pyrage.encrypt(data, [identity.to_public(), *others])


def decrypt(path: Path, identity: pyrage.x25519.Identity) -> bytes:
    try:
        return pyrage.decrypt(reader.read_bytes(path), [identity])
    except pyrage.DecryptError as e:
        raise KeyMaterialError(f"{path}: cannot unseal ({e}): is this the age key it was sealed with?") from None


def read_award_bytes(path: Path, age_identity: AgeIdentity | None) -> bytes:
    """The bytes of an award file, plain or sealed (roster.py reads them).
    `age_identity`: the build context's, asked for only when the file is sealed."""
    if not is_sealed(path):
        data = reader.read_bytes(path)
    elif age_identity is None:
        raise KeyMaterialError(f"{path}: is sealed, and no age key was given to read it")
    else:
        data = decrypt(path, age_identity())
    return data


def read_award_text(path: Path, age_identity: AgeIdentity | None) -> str:
    """The text of a plain or sealed YAML file such as revocations.yml (UnicodeDecodeError for
    text that is not UTF-8)."""
    return read_award_bytes(path, age_identity).decode("utf-8-sig")


@dataclass
class SealReport:
    sealed: list[Path]
    unchanged: list[Path]
    key_made: bool
    recipients: int = 1  # how many keys open each sealed file


class SealError(UsageError):
    """Sealing was refused or failed; nothing was removed and no key was written."""


def seal(content_dir: Path, keys_dir: Path, *, keep: bool = False,
         recipients: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()) -> SealReport:
    """Encrypts every roster awards/*.csv (.xlsx, .ods) to awards/*.csv.age (…), and
    revocations.yml to revocations.yml.age, to the key folder's age key and to each of
    `recipients` (site.yml `seal: recipients:`), and removes the plain file (unless `keep`): a
    plain revocations.yml beside sealed awards is migrated in place.

    Nothing is removed, and no key is written, until every sealed file has been decrypted back
    byte-equal with the issuer's key; a new key is written before any plain file goes. A sealed
    file whose text and recipients are already the plain file's is left as it is: resealing
    unchanged awards makes no git diff (age encryption is randomised). Reads and writes only
    regular files inside content/, through no symlink."""
    awards = content_dir / "awards"
    plains = sealable(content_dir)
    if not plains:  # before any key is made: a mistaken run leaves nothing behind
        raise SealError(f"{awards}: no plain *.csv, *.xlsx or *.ods to seal")
    datas = {plain: reader.read_bytes(plain, content_dir) for plain in plains}  # all refused before any write
    extra = tuple(recipients() if callable(recipients) else recipients)  # read once there is something to seal
    keys = [parse_recipient(r) for r in extra]
    identity, made = _identity_for_seal(keys_dir, content_dir, {sealed_path(p) for p in plains})
    expected = expected_stanzas(identity, extra)
    report = SealReport([], [], made, len(expected))
    staged: list[tuple[Path, bytes]] = []
    for plain, data in datas.items():
        target = sealed_path(plain)
        if (target.is_file() and not target.is_symlink() and _same(target, identity, data)
                and header_stanzas(reader.read_bytes(target, content_dir)) == expected):
            report.unchanged.append(target)
            continue
        sealed = encrypt(data, identity, keys)
        if _opened(sealed, identity) != data or header_stanzas(sealed) != expected:
            raise SealError(f"{plain}: the sealed copy did not open back to the same bytes with {keys_dir / AGE_KEY_FILE}; "
                            f"nothing was removed")
        staged.append((target, sealed))
    if made:  # the key is on disk before anything depends on it
        write_identity(keys_dir, identity)
    for target, sealed in staged:
        reader.write_bytes(target, sealed, content_dir)
        if _opened(reader.read_bytes(target, content_dir), identity) != _opened(sealed, identity):  # what reached the disk opens too
            raise SealError(f"{target}: the file written does not open back; nothing was removed")
        report.sealed.append(target)
    if not keep:
        for plain in plains:
            plain.unlink()
    return report


def _identity_for_seal(keys_dir: Path, content_dir: Path, resealed: set[Path]) -> tuple[pyrage.x25519.Identity, bool]:
    """The key to seal with: the one at hand, or a new one (in memory, written by seal() only
    when sealing succeeds). A new key is refused while sealed files it could not open would
    stay behind: every later build would fail on them."""
    if os.environ.get(AGE_KEY_ENV) or (keys_dir / AGE_KEY_FILE).is_file():
        return load_identity(keys_dir), False
    orphans = sorted(p for p in sealed_files(content_dir) if p not in resealed)
    if orphans:
        raise SealError(f"no age key in {keys_dir} (and no {AGE_KEY_ENV}), but {', '.join(p.name for p in orphans)} "
                        f"{'is' if len(orphans) == 1 else 'are'} sealed with one: put that age-key.txt in {keys_dir} "
                        f"(or pass --keys), so that a new key does not leave them unreadable")
    return pyrage.x25519.Identity.generate(), True


def _opened(data: bytes, identity: pyrage.x25519.Identity) -> bytes | None:
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError:
        return None


def _same(sealed: Path, identity: pyrage.x25519.Identity, data: bytes) -> bool:
    try:
        return _opened(reader.read_bytes(sealed), identity) == data  # None (another key): seal again with this one
    except ContentError:
        return False


def unseal(content_dir: Path, keys_dir: Path | None, *, force: bool = False) -> list[Path]:
    """Decrypts every awards/*.csv.age to awards/*.csv (and revocations.yml.age to
    revocations.yml) for editing (`credpub seal` afterwards). Never writes through a symlink:
    a plain path that is a link (or anything but a regular file) is refused, naming it, before
    anything is written."""
    identity = load_identity(keys_dir, content_dir)
    sealed = sealed_files(content_dir)
    if not sealed:
        raise UsageError(f"{content_dir / 'awards'}: no *.csv.age (.xlsx.age, .ods.age) to unseal")
    out = []
    decrypted = {s: decrypt(s, identity) for s in sealed}  # all or nothing
    for s, data in decrypted.items():
        plain = plain_path(s)
        reader.check_writable(plain, content_dir)
        if os.path.lexists(plain) and reader.read_bytes(plain, content_dir) != data and not force:
            raise UsageError(f"{plain} exists and differs from {s.name}: seal or remove it first (or --force)")
    for s, data in decrypted.items():
        reader.write_bytes(plain_path(s), data, content_dir)
        out.append(plain_path(s))
    return out


def stale_plain_files(content_dir: Path, keys_dir: Path | None = None) -> list[Path]:
    """Plain CSVs whose sealed copy says something else (edited, not sealed again); [] without a key."""
    try:
        identity = load_identity(keys_dir, content_dir)
    except KeyMaterialError:
        return []
    out = []
    for s in sealed_files(content_dir):
        plain = plain_path(s)
        try:
            if plain.is_file() and not _same(s, identity, reader.read_bytes(plain, content_dir)):
                out.append(plain)
        except ContentError:
            continue  # refused by check itself, naming it
    return out


def plain_csvs_tracked_on_github(content_dir: Path) -> list[str]:
    """Plain award CSVs that git tracks, when a remote of the repository is on github.com:
    committed there, names and email addresses are (or will be) public."""
    awards = (content_dir / "awards").resolve()
    if not awards.is_dir():
        return []

    def git(*args: str) -> str | None:
        try:
            r = subprocess.run(["git", "-C", str(awards), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None  # no git: nothing to warn about
        return r.stdout if r.returncode == 0 else None

    remotes = git("remote", "-v") or ""
    if not any(_on_github(line.split()[1]) for line in remotes.splitlines() if len(line.split()) > 1):
        return []
    tracked = git("ls-files", "--full-name", "--", *(f"*{s}" for s in ROSTER_SUFFIXES)) or ""
    return [line for line in tracked.splitlines() if line.endswith(ROSTER_SUFFIXES)]


def _on_github(url: str) -> bool:
    # https://github.com/o/r(.git), git@github.com:o/r.git, ssh://git@github.com/o/r
    return "github.com/" in url or "@github.com:" in url
