"""Download the published data package: verified, cached per URL, and safe.

What may be downloaded
    A URL (``https://``, ``http://`` or ``file://``) of a ``datapackage.json`` or of a release
    ``.zip``, or a local path of the same kinds that :func:`aidstats.package.locate` recognises (a
    package folder, its ``datapackage.json``, a ``.zip``), which is taken as its ``file://`` URL.
What is checked
    Every file against the ``bytes`` and ``sha256`` that ``datapackage.json``
    gives for it.  A release archive is also checked as a whole: the default
    release against the sha256 the installed aidstats records for it
    (``aidstats/registry.txt``, pooch's registry model), any other ``.zip``
    against the ``<zip>.sha256`` published beside it, if the server has one.
What is reused
    A folder (``dest``, or the cache's folder for the URL, named by the URL's
    sha256) is answered without the network only if it records that it came
    from the same URL, its ``datapackage.json`` is unchanged since, and every
    file still matches the descriptor; for a ``file://`` URL, also only if the
    file it names is unchanged since it was copied (a release archive rebuilt in
    place is copied again).  One URL is never answered with another's files.
A local archive read in place
    :func:`unpacked` (what :func:`aidstats.load` and the other readers use for a
    local ``.zip``) unpacks it into this version's cache, in a folder named by the
    archive's sha256, so a changed archive is never answered by the copy of the
    old one; a copy already there is used again if it still passes verification.
What a failure leaves
    Nothing: files are fetched into a staging folder beside the destination
    and moved in only once all are verified, and no folder is created for a
    download that fails.  Paths that would leave the destination are refused.
How failures are named
    A refused connection, a name that does not resolve, a time-out, an HTTP
    status and a truncated body each say so.  pooch asks again (its
    ``retry_if_failed``: twice, after 1 s and then 2 s) after any network
    failure but two that asking again would not change: an HTTP status other
    than 408, 425, 429, 500, 502, 503 and 504, and a name the resolver says
    does not exist.
"""

from __future__ import annotations

import hashlib  # of a URL, for its cache folder's name; files are hashed by aidstats.package
import json
import logging
import os
import re
import shutil
import socket
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

from aidstats import metadata
from aidstats._arguments import flag, positive
from aidstats._arguments import path as a_path
from aidstats.errors import DownloadError, OutputError, PackageError
from aidstats.extras import require
from aidstats.package import (
    DESCRIPTOR,
    check_outputs,
    extract,
    is_url,
    known_hashes,
    locate,
    move_in,
    read_descriptor,
    safe_path,
    sha256,
    staging_folder,
    unpack,
    verified,
    verify,
)

ENV_URL = "AIDSTATS_DATA_URL"
ENV_CACHE = "AIDSTATS_CACHE_DIR"
# Written into a downloaded folder: the URL it came from and its descriptor's sha256.
ORIGIN = ".aidstats-origin.json"
RETRIES = 2  # pooch waits 1 s, then 2 s
TRANSIENT = frozenset({408, 425, 429, 500, 502, 503, 504})
NOT_FOUND = frozenset({404, 410})
EVERY_FILE = "every file's size and sha256 match datapackage.json"

log = logging.getLogger("aidstats.fetch")  # the name docs/download.md documents (the module moved to aidstats/remote/)


@dataclass(frozen=True)
class Fetched:
    """What :func:`retrieve` did.

    Attributes
    ----------
    folder : pathlib.Path
        The folder holding ``datapackage.json`` and ``clean/``.
    url : str
        The URL asked for.
    cached : bool
        True if a verified copy already in ``folder`` was used and nothing was downloaded.
    checked : str
        What the package was checked against, in words.
    stale : str or None
        Why a copy already in ``folder`` was not used, or None if there was none.
    """

    folder: Path
    url: str
    cached: bool
    checked: str
    stale: str | None = None

    @property
    def message(self) -> str:
        """One line for a person: whether it downloaded, where the package is, and what was checked."""
        if self.cached:
            return f"used the verified copy of {self.url} in {self.folder} (nothing downloaded): {self.checked}"
        why = f" (the copy there was not used: {self.stale})" if self.stale else ""
        return f"downloaded {self.url} into {self.folder}{why}: {self.checked}"


def release_url() -> str:
    """Where the release archive of the installed version is published."""
    return metadata.RELEASE_URL.format(version=metadata.VERSION)


def default_url() -> str:
    """The URL in ``AIDSTATS_DATA_URL`` if set, else :func:`release_url`."""
    return os.environ.get(ENV_URL) or release_url()


def cache_dir() -> Path:
    """This version's cache: ``$AIDSTATS_CACHE_DIR/<version>``, else pooch's user cache folder for aidstats, ``/<version>``."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE]) / metadata.VERSION
    require("download", f"aidstats's cache folder (or set {ENV_CACHE})")
    import pooch

    return Path(pooch.os_cache("aidstats")) / metadata.VERSION


def cache_folder(url: str) -> Path:
    """The cache's folder for ``url``: one per URL, named by the sha256 of the URL."""
    return cache_dir() / hashlib.sha256(url.encode()).hexdigest()


def unpacked(archive: Path, where: str, dest: Path | None = None) -> Path:
    """The package in the local release archive ``archive``, unpacked and verified.

    Parameters
    ----------
    archive : pathlib.Path
        A local ``.zip`` file.
    where : str
        The archive as the user named it, for messages.
    dest : pathlib.Path, optional
        A folder that does not exist yet to unpack into (the caller removes it).  By default the
        cache's folder for the archive, ``cache_dir()/archives/<sha256 of the archive>``, where a
        copy already there is used again if it still passes verification.

    Raises
    ------
    aidstats.errors.PackageError
        If it is not a zip archive, has an unsafe member or no ``datapackage.json``, or fails
        verification (:func:`aidstats.package.unpack`); nothing is kept.
    """
    if dest is None:
        folder = cache_dir() / "archives" / sha256(archive)
        if (folder / DESCRIPTOR).is_file() and not verified(folder):
            return folder
    else:
        folder = Path(dest)
    # Unpacked beside where it goes, and moved in only once verified: nothing is kept of a refused archive.
    anchor = next(p for p in folder.parents if p.is_dir())
    with staging_folder(anchor, ".aidstats-unpack-") as staging:
        unpack(archive, staging / "package", where)
        move_in([(staging / "package", folder)], staging / "old")
    return folder


def download(
    url: str | os.PathLike | None = None, dest: str | os.PathLike | None = None, force: bool = False, timeout: float = 30.0
) -> Path:
    """Fetch a data package (its ``datapackage.json`` or a release ``.zip``) and verify it.

    Calls :func:`retrieve` and logs its message (whether it downloaded or used a
    verified copy) on the ``aidstats.fetch`` logger at INFO level.

    Parameters
    ----------
    url : str or path, optional
        ``https://``, ``http://`` or ``file://`` URL of a ``datapackage.json`` or of a
        release archive, or the local path of a package folder, its ``datapackage.json``
        or a release archive (taken as its ``file://`` URL). Defaults to :func:`default_url`.
    dest : path, optional
        Folder to put the package in. Defaults to :func:`cache_folder` of the URL.
    force : bool
        Download again even if ``dest`` already holds a verified copy from this URL.
    timeout : float
        Seconds to wait for the server before giving up (30 by default).

    Returns
    -------
    pathlib.Path
        The folder holding ``datapackage.json`` and ``clean/``.

    Raises
    ------
    DownloadError
        If the package cannot be fetched or fails verification; nothing is left behind.
    FileNotFoundError
        If a local path holds no package (:func:`aidstats.package.locate`).
    aidstats.extras.MissingExtra
        If a library of the ``download`` extra (pooch, requests, urllib3, tqdm) is not installed;
        the message says ``pip install "aidstats[download]"``.
    """
    fetched = retrieve(url, dest, force=force, timeout=timeout)
    log.info(fetched.message)
    return fetched.folder


def retrieve(
    url: str | os.PathLike | None = None, dest: str | os.PathLike | None = None, force: bool = False, timeout: float = 30.0
) -> Fetched:
    """Like :func:`download`, but return a :class:`Fetched` that says what was done.

    Parameters and errors are those of :func:`download`.
    """
    # Before anything else: without pooch the first failure would be a bare ModuleNotFoundError
    # from deep inside (the cache folder, or the request), naming no extra.
    require("download", "aidstats.download()")
    a_path(url, "url", "the URL or path of a datapackage.json or release .zip")
    a_path(dest, "dest", "a folder")
    force, timeout = flag(force, "force"), positive(timeout, "timeout")
    from_env = url is None and bool(os.environ.get(ENV_URL))
    url = url or default_url()
    if not is_url(url):
        kind, path = locate(url)
        url = (path / DESCRIPTOR if kind == "folder" else path).resolve().as_uri()
    folder = Path(dest) if dest is not None else cache_folder(url)
    there = (folder / DESCRIPTOR).is_file()
    stale = _copy_problem(folder, url) if there else None
    if there and stale is None and not force:
        return Fetched(folder, url, cached=True, checked=EVERY_FILE)
    try:
        checked = _download(url, folder, timeout)
    except PackageError as err:  # a DownloadError, or an unsafe path or member found while unpacking
        raise DownloadError(_explain(err, url, folder, from_env), err.kind) from None
    return Fetched(folder, url, cached=False, checked=checked, stale=stale)


def _explain(err: PackageError, url: str, folder: Path, from_env: bool) -> str:
    first, *rest = str(err).split("\n")
    message = "\n".join([f"{first}; nothing was saved in {folder}", *rest])
    if url == release_url() and err.kind in ("not-found", "refused", "unresolved"):
        return (
            f"the release archive of aidstats {metadata.VERSION} is not available at {url} ({message}). "
            f"Download a package by its URL instead (`aidstats download URL`, or aidstats.download(url)), "
            f"or set {ENV_URL} to that URL"
        )
    return f"{message} (the URL {url} is from {ENV_URL})" if from_env else message


def _copy_problem(folder: Path, url: str) -> str | None:
    """Why the copy in ``folder`` cannot answer ``url``, or None if it can."""
    if not (folder / ORIGIN).is_file():  # not read unless a regular file: a named pipe would block
        return "it does not record the URL it came from"
    try:
        origin = json.loads((folder / ORIGIN).read_bytes())
        came_from, recorded = origin["url"], origin["datapackage_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return "it does not record the URL it came from"
    if came_from != url:
        return f"it was downloaded from {came_from}, not from {url}"
    if recorded != sha256(folder / DESCRIPTOR):
        return f"its {DESCRIPTOR} changed after it was downloaded"
    local = _local_file(url)
    if local is not None and local.is_file() and origin.get("source_sha256") != sha256(local):
        return f"{local} changed after it was copied"
    problems = verified(folder)
    return "; ".join(problems) if problems else None


def _local_file(url: str) -> Path | None:
    """The file a ``file://`` URL names; None for another URL."""
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def _download(url: str, folder: Path, timeout: float) -> str:
    """Fetch, verify and move in; return what the package was checked against."""
    if urlparse(url).scheme not in ("https", "http", "file"):
        raise DownloadError(f"cannot download {url!r}: expected an https://, http:// or file:// URL")
    if folder.is_file() and not folder.is_symlink():
        raise DownloadError(f"{folder} is a file, not a folder", "local")
    try:
        # Before anything is fetched: the folder, and the two files every package puts in it
        # (the others are checked, like these again, before anything is moved in).
        check_outputs(folder, files=[DESCRIPTOR, ORIGIN])
    except OutputError as err:
        raise DownloadError(str(err), "local") from None
    # Stage in the nearest folder that exists: on the destination's file system, so moving
    # in is a rename, and creating nothing that a failure would have to clean up.
    anchor = next(p for p in (folder, *folder.parents) if p.is_dir())
    try:
        staging_root = Path(tempfile.mkdtemp(prefix=".aidstats-download-", dir=anchor))
    except OSError as err:
        raise DownloadError(f"cannot write in {anchor} ({err.strerror})", "local") from None
    try:
        staging = staging_root / "package"
        if urlparse(url).path.lower().endswith(".zip"):
            checked = _get_archive(url, staging, timeout)
            copied = staging_root / "archive.zip"
        else:
            _get_package(url, staging, timeout)
            checked, copied = EVERY_FILE, staging / DESCRIPTOR
        problems = verify(staging)
        if problems:
            raise DownloadError(f"the package from {url} failed verification\n  " + "\n  ".join(problems), "hash")
        _move_in(staging, folder, url, sha256(copied) if _local_file(url) else None)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
    return checked


def _get_package(url: str, staging: Path, timeout: float) -> None:
    _get(url, staging / DESCRIPTOR, timeout, None)
    try:
        resources = read_descriptor(staging)["resources"]
        files = [(safe_path(resource["path"]), resource.get("hash")) for resource in resources]
    except (ValueError, KeyError, TypeError) as err:
        raise DownloadError(f"{url} is not a {DESCRIPTOR} ({type(err).__name__}: {err})") from None
    for relative, known in files:
        expected = (known, f"the one {DESCRIPTOR} gives") if known else None
        _get(urljoin(url, relative.as_posix()), staging / relative, timeout, expected)


def _get_archive(url: str, staging: Path, timeout: float) -> str:
    recorded = known_hashes().get(PurePosixPath(urlparse(url).path).name) if url == release_url() else None
    if recorded:
        known, source = recorded, f"the sha256 recorded for this release in aidstats {metadata.VERSION}"
    else:
        sidecar = urlparse(url)._replace(path=urlparse(url).path + ".sha256").geturl()
        known, source = _published_hash(sidecar, staging.parent, timeout), sidecar
    archive = _get(url, staging.parent / "archive.zip", timeout, (known, source) if known else None)
    try:
        with zipfile.ZipFile(archive) as zipped:
            extract(zipped, staging)
    except zipfile.BadZipFile as err:
        raise DownloadError(f"{url} is not a readable zip archive ({err})") from None
    if known:
        return f"the archive's sha256 matches {source}, and {EVERY_FILE}"
    return f"no {source} is published, so the archive as a whole was not checked; {EVERY_FILE}"


def _published_hash(url: str, folder: Path, timeout: float) -> str | None:
    """The sha256 in the ``.sha256`` file at ``url``, or None if the server has none."""
    try:
        words = _get(url, folder / "archive.zip.sha256", timeout, None).read_bytes().split()
    except DownloadError as err:
        if err.kind == "not-found":
            return None
        raise
    if not words or not re.fullmatch(rb"[0-9a-fA-F]{64}", words[0]):
        found = repr(words[0][:70]) if words else "an empty file"
        raise DownloadError(f"{url} does not hold a sha256: expected 64 hexadecimal digits, found {found}")
    return words[0].decode()


def _get(url: str, target: Path, timeout: float, expected: tuple[str, str] | None) -> Path:
    """One file from ``url`` to ``target``, checked if ``expected`` gives its sha256 and where that hash comes from."""
    parsed = urlparse(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if parsed.scheme == "file":
        local = Path(unquote(parsed.path))
        if not local.is_file():
            raise DownloadError(f"{local} does not exist (from {url})", "not-found")
        shutil.copyfile(local, target)
    else:
        _get_http(url, target, timeout)
    if expected is None:
        return target
    known, source = expected[0].removeprefix("sha256:").lower(), expected[1]
    found = sha256(target)
    if found != known:
        raise DownloadError(
            f"sha256 mismatch for {url}: expected {known}, found {found}, so the download was discarded. "
            f"The expected hash is {source}; the file may be corrupt or changed, or that hash out of date",
            "hash",
        )
    return target


class _Final(Exception):
    """A failure that asking again would not change; pooch retries only requests' errors and ValueError."""


def _get_http(url: str, target: Path, timeout: float) -> None:
    import pooch
    import requests

    pooch.get_logger().setLevel("WARNING")
    http = pooch.HTTPDownloader(progressbar=sys.stderr.isatty(), timeout=timeout)

    def downloader(*args) -> None:  # (url, output file, pooch), as pooch calls it
        try:
            http(*args)
        except requests.HTTPError as err:
            if err.response is None or err.response.status_code not in TRANSIENT:
                raise _Final() from err
            raise
        except requests.ConnectionError as err:
            if _unresolved(err):
                raise _Final() from err
            raise

    fetcher = pooch.create(path=target.parent, base_url="", registry={target.name: None}, urls={target.name: url}, retry_if_failed=RETRIES)
    try:
        fetcher.fetch(target.name, downloader=downloader)
    except (_Final, requests.RequestException) as err:
        raise _named(err, url, timeout) from None


def _causes(err: BaseException | None) -> list[BaseException]:
    """``err`` and the exceptions it was raised from or while handling, outermost first."""
    chain: list[BaseException] = []
    while err is not None and err not in chain:  # `in` compares exceptions by identity
        chain.append(err)
        err = err.__cause__ or err.__context__
    return chain


def _unresolved(err: BaseException) -> socket.gaierror | None:
    """The resolver's failure behind ``err``, unless it was a temporary one."""
    return next((c for c in _causes(err) if isinstance(c, socket.gaierror) and c.errno != socket.EAI_AGAIN), None)


def _named(err: Exception, url: str, timeout: float) -> DownloadError:
    """A DownloadError that names the failure behind ``err``."""
    import requests
    import urllib3

    causes = _causes(err)
    tries = "" if isinstance(err, _Final) else f" (tried {1 + RETRIES} times)"
    where = urlparse(url)
    response = next((c.response for c in causes if isinstance(c, requests.HTTPError) and c.response is not None), None)
    if response is not None and response.status_code in NOT_FOUND:
        return DownloadError(f"{url} was not found on the server (HTTP {response.status_code})", "not-found")
    if response is not None:
        return DownloadError(f"the server answered HTTP {response.status_code} {response.reason} for {url}{tries}", "http")
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return DownloadError(
            f"the connection to {where.netloc} was refused (nothing listens there, or a firewall refused it), "
            f"so {url} could not be fetched{tries}",
            "refused",
        )
    if any(isinstance(c, socket.gaierror) for c in causes):
        return DownloadError(
            f"the host name {where.hostname!r} does not resolve (no such host, or no network), so {url} could not be fetched{tries}",
            "unresolved",
        )
    cut = next((c for c in causes if isinstance(c, urllib3.exceptions.IncompleteRead)), None)
    if cut is not None:
        return DownloadError(
            f"the connection closed after {cut.partial} of {cut.partial + cut.expected} bytes of {url}: the body was truncated{tries}",
            "truncated",
        )
    if any(isinstance(c, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)) for c in causes):
        return DownloadError(
            f"timed out: no answer within {timeout:g} s from {where.hostname} for {url}{tries}; try again later, or pass a longer timeout",
            "timeout",
        )
    return DownloadError(f"the download of {url} failed ({err}){tries}", "network")


def _move_in(staging: Path, folder: Path, url: str, source_sha256: str | None) -> None:
    """Move verified files into ``folder`` (:func:`aidstats.package.move_in`: all of them or none), the
    descriptor last and the record of origin after it, with the old record moved away first, so a
    reader never sees a descriptor whose files are not all there, nor a record that does not
    describe what is there."""
    files = sorted(p for p in staging.rglob("*") if p.is_file() and p != staging / DESCRIPTOR)
    origin = staging.parent / ORIGIN
    record = {"url": url, "datapackage_sha256": sha256(staging / DESCRIPTOR)}
    if source_sha256:  # a file:// URL: the sha256 of the file copied, to see whether it changed since
        record["source_sha256"] = source_sha256
    origin.write_bytes(json.dumps(record).encode())
    moves = [(file, folder / file.relative_to(staging)) for file in [*files, staging / DESCRIPTOR]]
    try:
        move_in([*moves, (origin, folder / ORIGIN)], staging.parent / "old", remove=[folder / ORIGIN])
    except OutputError as err:
        raise DownloadError(str(err), "local") from None
