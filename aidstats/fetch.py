"""Download the published data package, verified, cached, and safe.

Every file is checked against the ``bytes`` and ``sha256`` that
``datapackage.json`` gives for it before it is used; files are fetched into a
staging folder and moved into the destination only once all of them are
verified, so nothing partial or unverified is ever left there.  Paths that
would escape the destination are refused, in descriptors and in archives.
HTTP downloads go through pooch.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

from . import metadata

ENV_URL = "AIDSTATS_DATA_URL"
DESCRIPTOR = "datapackage.json"


class DownloadError(Exception):
    """A download failed; the message says what, expected versus found, and what was done."""


def default_url() -> str:
    """The release archive of the installed version, unless AIDSTATS_DATA_URL says otherwise."""
    return os.environ.get(ENV_URL) or metadata.RELEASE_URL.format(version=metadata.VERSION)


def cache_dir() -> Path:
    """Where verified copies are kept, one folder per version."""
    import pooch

    return Path(pooch.os_cache("aidstats")) / metadata.VERSION


def download(url: str | None = None, dest: str | os.PathLike | None = None, force: bool = False, timeout: float = 30.0) -> Path:
    """Fetch a data package (its ``datapackage.json`` or a release ``.zip``) and verify it.

    Parameters
    ----------
    url : str, optional
        ``https://``, ``http://`` or ``file://`` URL of a ``datapackage.json`` or of a
        release archive. Defaults to :func:`default_url`.
    dest : path, optional
        Folder to put the package in. Defaults to the per-version cache folder.
    force : bool
        Download again even if ``dest`` already holds a verified copy.
    timeout : float
        Seconds to wait for the server before giving up.

    Returns
    -------
    pathlib.Path
        The folder holding ``datapackage.json`` and ``clean/``.
    """
    url = url or default_url()
    dest = Path(dest) if dest else cache_dir()
    if not force and (dest / DESCRIPTOR).is_file() and not verify(dest):
        return dest  # a verified copy: no network needed
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".aidstats-download-", dir=dest) as folder:
        staging = Path(folder) / "package"
        staging.mkdir()
        if urlparse(url).path.endswith(".zip"):
            _fetch_archive(url, staging, dest, timeout)
        else:
            _fetch_package(url, staging, dest, timeout)
        problems = verify(staging)
        if problems:
            raise DownloadError(f"the package from {url} failed verification; nothing was saved in {dest}:\n  " + "\n  ".join(problems))
        _move_in(staging, dest)
    return dest


def verify(folder: Path) -> list[str]:
    """Problems with the package in ``folder``: unsafe paths, missing files, wrong sizes or hashes."""
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"{DESCRIPTOR} cannot be read ({err})"]
    problems = []
    for resource in descriptor.get("resources", []):
        path = resource.get("path", "")
        try:
            relative = safe_path(path)
        except DownloadError as err:
            problems.append(str(err))
            continue
        file = folder / relative
        if not file.is_file():
            problems.append(f"{path}: missing")
            continue
        size, digest = file.stat().st_size, _sha256(file)
        if size != resource.get("bytes"):
            problems.append(f"{path}: expected {resource.get('bytes')} bytes, found {size} (truncated or changed)")
        if f"sha256:{digest}" != resource.get("hash"):
            problems.append(f"{path}: sha256 mismatch: expected {str(resource.get('hash')).removeprefix('sha256:')}, found {digest}")
    return problems


def safe_path(path: str) -> PurePosixPath:
    """A resource path inside the package, or DownloadError for one that could escape it."""
    pure = PurePosixPath(path)
    if not path or "\\" in path or urlparse(path).scheme or pure.is_absolute() or ".." in pure.parts:
        raise DownloadError(
            f"refused the path {path!r}: a package may only name files inside its own folder (no absolute paths, '..' or URLs)"
        )
    return pure


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fetch(url: str, target: Path, known_hash: str | None, dest: Path, timeout: float) -> Path:
    """One file from ``url`` to ``target``, checked against ``known_hash`` if given."""
    target.parent.mkdir(parents=True, exist_ok=True)
    parsed = urlparse(url)
    if parsed.scheme == "file":
        source = Path(unquote(parsed.path))
        if not source.is_file():
            raise DownloadError(f"{source} does not exist (from {url}); nothing was saved in {dest}")
        shutil.copyfile(source, target)
        _check_hash(target, known_hash, url, dest)
        return target
    if parsed.scheme not in ("http", "https"):
        raise DownloadError(f"cannot download {url!r}: expected an https://, http:// or file:// URL")
    import pooch
    import requests

    pooch.get_logger().setLevel("WARNING")
    downloader = pooch.HTTPDownloader(progressbar=sys.stderr.isatty(), timeout=timeout)
    try:
        pooch.retrieve(url, known_hash=known_hash, fname=target.name, path=target.parent, downloader=downloader)
    except requests.HTTPError as err:
        code = err.response.status_code if err.response is not None else "error"
        raise DownloadError(f"HTTP {code} for {url}: the server did not send the file; nothing was saved in {dest}") from None
    except requests.Timeout:
        raise DownloadError(
            f"timed out after {timeout:g} s waiting for {url}; nothing was saved in {dest}. Try again, or pass a longer timeout"
        ) from None
    except requests.RequestException as err:
        raise DownloadError(
            f"the download of {url} broke off ({err}); the file is incomplete and was discarded; nothing was saved in {dest}"
        ) from None
    except ValueError as err:  # pooch: the hash does not match
        raise DownloadError(
            f"sha256 mismatch for {url}: expected {known_hash.removeprefix('sha256:')}, found {_hash_in(str(err))}. "
            f"The download was deleted; nothing was saved in {dest}. The file on the server may be corrupt, or the descriptor out of date"
        ) from None
    return target


def _hash_in(message: str) -> str:
    words = [w.strip(".,") for w in message.split()]
    return next((w for w in reversed(words) if len(w) == 64 and all(c in "0123456789abcdef" for c in w)), "a different hash")


def _check_hash(path: Path, known_hash: str | None, url: str, dest: Path) -> None:
    if known_hash and f"sha256:{_sha256(path)}" != known_hash:
        found = _sha256(path)
        path.unlink()
        raise DownloadError(
            f"sha256 mismatch for {url}: expected {known_hash.removeprefix('sha256:')}, found {found}. The copy was deleted; nothing was saved in {dest}"
        )


def _fetch_package(url: str, staging: Path, dest: Path, timeout: float) -> None:
    descriptor_file = _fetch(url, staging / DESCRIPTOR, None, dest, timeout)
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        relative = safe_path(resource.get("path", ""))
        _fetch(urljoin(url, relative.as_posix()), staging / relative, resource.get("hash"), dest, timeout)


def _fetch_archive(url: str, staging: Path, dest: Path, timeout: float) -> None:
    archive = _fetch(url, staging.parent / "archive.zip", None, dest, timeout)
    try:
        with zipfile.ZipFile(archive) as zipped:
            _extract(zipped, staging)
    except zipfile.BadZipFile as err:
        raise DownloadError(f"{url} is not a readable zip archive ({err}); nothing was saved in {dest}") from None
    finally:
        archive.unlink(missing_ok=True)


def _extract(zipped: zipfile.ZipFile, staging: Path) -> None:
    """Extract the archive's single top folder into ``staging``, refusing members that could escape."""
    for info in zipped.infolist():
        if stat.S_ISLNK(info.external_attr >> 16):
            raise DownloadError(f"refused the archive member {info.filename!r}: it is a symbolic link")
        safe_path(info.filename)
    files = [info for info in zipped.infolist() if not info.is_dir()]
    names = [PurePosixPath(info.filename) for info in files]
    # A release archive keeps everything in one top folder; drop it.
    strip = len({name.parts[0] for name in names}) == 1 and all(len(name.parts) > 1 for name in names)
    for info, name in zip(files, names, strict=True):
        parts = name.parts[1:] if strip else name.parts
        target = staging.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipped.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)


def _move_in(staging: Path, dest: Path) -> None:
    """Move verified files into ``dest``, the descriptor last, so a reader never sees a
    descriptor whose files are not all there."""
    files = sorted(p for p in staging.rglob("*") if p.is_file() and p.name != DESCRIPTOR)
    for file in [*files, staging / DESCRIPTOR]:
        target = dest / file.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(file, target)
