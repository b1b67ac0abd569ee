"""A data package on disk: the one module that hashes files, reads ``datapackage.json`` and writes outputs.

Every other module asks this one (pooch's model: ``hashes.py`` is the only place a file
is hashed):

- :func:`sha256` and :func:`file_facts`: a file's sha256 and the ``bytes``/``hash`` a descriptor gives it;
- :func:`read_descriptor`: the parsed ``datapackage.json`` of a folder;
- :func:`verify`, :func:`safe_path`, :func:`extract`: a package's files against its descriptor,
  resource paths that cannot leave the package, and a ``.zip`` unpacked without escaping its folder;
- :func:`locate`, :func:`verified`, :func:`check_package` and :func:`unpack`: what a local source
  is (a folder holding ``datapackage.json``, that file, or a release ``.zip``), a package verified
  once while its files stay unchanged, refused with every file that failed, and a local archive
  unpacked and verified (:func:`aidstats.loader.package_root` puts them together for every entry point);
- :func:`known_hashes` and :func:`record_hash`: the registry of release archives' sha256
  (``aidstats/registry.txt``, in pooch's registry format);
- :func:`output_file`, :func:`write_bytes`, :func:`write_text` and :func:`output_folder`: the
  one way aidstats writes what a command makes; :func:`check_outputs`, :func:`staging_folder` and
  :func:`move_in` for a command that makes several outputs at once (``build``, ``site``, ``download``).

The output contract
    A file output may be a path that does not exist yet or a regular file; the new content is
    written to a temporary file beside it and moved onto it only when complete, so the path
    holds the old content or the whole new one, and a failed write leaves no temporary file.
    Anything aidstats did not make and must not replace — a symbolic link, a named pipe, a
    device, a socket, a folder where a file belongs — is refused with an :class:`OutputError`
    naming the path, before anything is written.  A folder output must be a folder (or a
    symbolic link to one, which is written into and left in place) or not exist yet.

Several outputs at once
    A command that writes several files and folders checks every one of them first
    (:func:`check_outputs`), makes them all in a :func:`staging_folder` on the same file system,
    and then puts them in place with :func:`move_in`: all of them, or, if any move fails, none
    (what was there before is put back).

This module imports only the standard library.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from aidstats.errors import OutputError, PackageError

DESCRIPTOR = "datapackage.json"
# The Parquet copy of table <name> is the resource <name>-parquet.
PARQUET_SUFFIX = "-parquet"
REGISTRY = Path(__file__).resolve().with_name("registry.txt")
REGISTRY_HEADER = [
    "# sha256 of each aidstats release archive, in pooch's registry format: <file name> <sha256>.",
    "# Written by `python -m aidstats.publish.release`; aidstats.download() checks the default release against it.",
]
_CHUNK = 1 << 20


# --- hashes ---------------------------------------------------------------------------------------


def sha256(path: str | os.PathLike) -> str:
    """The sha256 of the file at ``path``, in hexadecimal (read in 1 MiB pieces)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while piece := file.read(_CHUNK):
            digest.update(piece)
    return digest.hexdigest()


def file_facts(path: Path) -> dict:
    """What a descriptor says of a file: ``{"bytes": <size>, "hash": "sha256:<hex>"}``."""
    return {"bytes": path.stat().st_size, "hash": f"sha256:{sha256(path)}"}


# --- the descriptor -------------------------------------------------------------------------------


def read_descriptor(root: Path) -> dict:
    """The parsed ``datapackage.json`` in the folder ``root``.

    Read once per change of the file (its inode, size, modification or change time: a file
    rewritten in place with its modification time put back still has a new change time), so
    repeated loads of one package parse it once.  Callers must not change the dict they are given.

    Raises
    ------
    FileNotFoundError
        If ``root`` holds no ``datapackage.json``.
    ValueError
        If it is not JSON (``json.JSONDecodeError``) or not UTF-8.
    TypeError
        If its JSON is not an object.
    """
    path = Path(root) / DESCRIPTOR
    return _parsed(path.resolve(), file_version(path))


@lru_cache(maxsize=16)
def _parsed(path: Path, version: tuple) -> dict:
    parsed = json.loads(path.read_bytes())
    if not isinstance(parsed, dict):
        raise TypeError(f"{DESCRIPTOR} holds a JSON {type(parsed).__name__}; expected a JSON object (a data package descriptor)")
    return parsed


def verify(folder: Path) -> list[str]:
    """Problems with the package in ``folder``: unsafe paths, missing files, wrong sizes or hashes (empty if none)."""
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_bytes())
        resources = descriptor["resources"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return [f"{DESCRIPTOR} cannot be read ({type(err).__name__}: {err})"]
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        return [f"{DESCRIPTOR} has no list of resources"]
    problems = []
    for resource in resources:
        path = resource.get("path", "")
        try:
            relative = safe_path(path)
        except PackageError as err:
            problems.append(str(err))
            continue
        file = folder / relative
        if not file.is_file():
            problems.append(f"{path}: missing")
            continue
        size, digest = file.stat().st_size, sha256(file)
        if size != resource.get("bytes"):
            problems.append(f"{path}: expected {resource.get('bytes')} bytes, found {size} (truncated or changed)")
        if not resource.get("hash"):
            problems.append(f"{path}: {DESCRIPTOR} gives no sha256 hash, so the file cannot be verified")
        elif f"sha256:{digest}" != resource.get("hash"):
            problems.append(f"{path}: sha256 mismatch: expected {str(resource.get('hash')).removeprefix('sha256:')}, found {digest}")
    return problems


def safe_path(path: str) -> PurePosixPath:
    """A resource path inside the package, or :class:`PackageError` (kind ``"unsafe"``) for one that could escape it."""
    pure = PurePosixPath(path)
    if not path or "\\" in path or urlparse(path).scheme or pure.is_absolute() or ".." in pure.parts:
        raise PackageError(
            f"refused the path {path!r}: a package may only name files inside its own folder (no absolute paths, '..' or URLs)",
            "unsafe",
        )
    return pure


def extract(zipped: zipfile.ZipFile, staging: Path) -> None:
    """Extract the archive's single top folder into ``staging``, refusing members that could escape.

    Raises :class:`PackageError` (kind ``"unsafe"``) for a symbolic link or a path outside the folder.
    """
    for info in zipped.infolist():
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"refused the archive member {info.filename!r}: it is a symbolic link", "unsafe")
        safe_path(info.filename)
    files = [info for info in zipped.infolist() if not info.is_dir()]
    names = [PurePosixPath(info.filename).parts for info in files]
    # A release archive keeps everything in one top folder; drop it.
    strip = len({parts[0] for parts in names}) == 1 and all(len(parts) > 1 for parts in names)
    for info in files:
        parts = PurePosixPath(info.filename).parts
        target = staging.joinpath(*(parts[1:] if strip else parts))
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipped.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)


# --- sources: what a user may name as a package ---------------------------------------------------

SOURCE_KINDS = f"a data package folder, its {DESCRIPTOR}, a release .zip or a URL"
EXPECTED_SOURCE = f"expected {SOURCE_KINDS}"
# A package is verified again when a file changed since; a check within this many nanoseconds of a
# file's last change is not remembered, since a second change in the same clock tick would keep the time.
_SETTLED_NS = 2_000_000_000


def is_url(source: object) -> bool:
    """Whether ``source`` is a URL (a string with ``://``) rather than a path."""
    return isinstance(source, str) and "://" in source


def locate(source: str | os.PathLike) -> tuple[str, Path]:
    """What the local path ``source`` holds: ``("folder", folder)`` for a folder holding ``datapackage.json``
    or the path of a ``datapackage.json`` (the folder it is in), ``("archive", path)`` for a ``.zip`` file.

    Raises
    ------
    FileNotFoundError
        If nothing is at ``source`` ("no such folder or file"), or what is there is none of these
        ("no data package at"); the message names the path and the kinds of source expected.
    """
    path = Path(source)
    if path.is_dir() and (path / DESCRIPTOR).is_file():
        return "folder", path
    if path.is_file() and path.name == DESCRIPTOR:
        return "folder", path.parent
    if path.is_file() and path.suffix.lower() == ".zip":
        return "archive", path
    if not os.path.lexists(path):
        raise FileNotFoundError(f"no such folder or file: {path}; {EXPECTED_SOURCE}")
    raise FileNotFoundError(f"no data package at {path}: {EXPECTED_SOURCE}")


_VERIFIED: dict[tuple, tuple[str, ...]] = {}


def verified(folder: str | os.PathLike) -> list[str]:
    """:func:`verify`'s problems with the package in ``folder``, remembered while its files stay unchanged.

    The package is hashed again whenever its descriptor or a file it names has changed (its
    inode, size, modification or change time), so a package used many times in one process is
    hashed once, and a file changed since is always found.
    """
    folder = Path(folder)
    try:
        signature = _signature(folder)
    except (OSError, ValueError, KeyError, TypeError):
        return verify(folder)  # it says what is wrong with the descriptor
    if signature in _VERIFIED:
        return list(_VERIFIED[signature])
    started = time.time_ns()
    problems = verify(folder)
    if all(facts is None or max(facts[3:]) < started - _SETTLED_NS for facts in signature[1]):
        if len(_VERIFIED) >= 64:
            _VERIFIED.clear()
        _VERIFIED[signature] = tuple(problems)
    return problems


def _signature(folder: Path) -> tuple:
    """The folder and what stat says of its descriptor and of each file the descriptor names."""
    real = folder.resolve()
    files = _named_files(real, _facts(real / DESCRIPTOR))
    return real, tuple(_facts(file) for file in files)


@lru_cache(maxsize=16)
def _named_files(real: Path, descriptor_facts: tuple | None) -> tuple[Path | None, ...]:
    """The descriptor and each file it names (None for a path that is not safe), for one version of the
    descriptor: a site or an export verifies its package hundreds of times, and checking every path of
    every resource each time took a tenth of the verifying."""
    resources = read_descriptor(real)["resources"]
    if not isinstance(resources, list):
        raise TypeError("no list of resources")
    files: list[Path | None] = [real / DESCRIPTOR]
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        try:
            files.append(real / safe_path(path) if isinstance(path, str) else None)
        except PackageError:
            files.append(None)
    return tuple(files)


def file_version(path: Path) -> tuple[int, int, int, int, int]:
    """The file at ``path`` as one version of it: its device, inode, size, and modification and change
    times (ns), the key under which aidstats remembers what it read from the file. A file rewritten in
    place, even at the same size with its modification time put back, has a new change time.

    Raises
    ------
    OSError
        If there is no file at ``path`` (``FileNotFoundError``) or it cannot be looked at.
    """
    facts = os.stat(path)
    return (facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns, facts.st_ctime_ns)


def _facts(path: Path | None) -> tuple | None:
    """:func:`file_version` of the file at ``path``; None if there is none."""
    if path is None:
        return None
    try:
        return file_version(path)
    except OSError:
        return None


def check_package(folder: Path, where: str) -> Path:
    """``folder`` if every file matches the size and sha256 its ``datapackage.json`` gives (:func:`verified`).

    Raises
    ------
    PackageError
        Of kind ``"hash"``, if any does not: a first line naming the package (``where``: the source as
        the user gave it), then one indented line per problem, each naming its file.
    """
    problems = verified(folder)
    if problems:
        raise PackageError(f"{where}: the package failed verification, so it was not used\n  " + "\n  ".join(problems), "hash")
    return folder


def unpack(archive: Path, folder: Path, where: str) -> Path:
    """Unpack the local release archive ``archive`` into the new folder ``folder`` and verify it.

    The archive's members are extracted by :func:`extract` (no links, absolute paths or ``..``);
    the package must then have its ``datapackage.json`` at the top (or in the archive's single top
    folder) and pass :func:`check_package`.  On any error the caller removes ``folder``.

    Raises
    ------
    PackageError
        For a file that is not a zip archive, an unsafe member, an archive without a
        ``datapackage.json``, or a package that fails verification; the message starts with ``where``.
    """
    try:
        with zipfile.ZipFile(archive) as zipped:
            extract(zipped, folder)
    except zipfile.BadZipFile as err:
        raise PackageError(f"{where} is not a readable zip archive ({err}); {EXPECTED_SOURCE}") from None
    except PackageError as err:
        raise PackageError(f"{where}: {err}", err.kind) from None
    if not (folder / DESCRIPTOR).is_file():
        raise PackageError(f"{where} holds no {DESCRIPTOR}: expected one at its top or in its single top folder")
    return check_package(folder, where)


# --- the registry of release hashes ---------------------------------------------------------------


def known_hashes(registry: Path | None = None) -> dict[str, str]:
    """The sha256 of each archive in ``registry`` (default :data:`REGISTRY`); empty if there is no such file."""
    import pooch  # its registry format, read by its own reader

    path = registry or REGISTRY
    if not path.is_file():
        return {}
    entries = pooch.create(path=path.parent, base_url="")
    entries.load_registry(path)
    return {name: digest.removeprefix("sha256:") for name, digest in entries.registry.items()}


def record_hash(name: str, digest: str, registry: Path | None = None) -> None:
    """Record ``digest`` as the sha256 of archive ``name`` in ``registry`` (default :data:`REGISTRY`).

    Comments are kept; the other entries are kept, sorted by name.
    """
    path = registry or REGISTRY
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else REGISTRY_HEADER
    comments = [line for line in lines if line.startswith("#")]
    entries = {**{line.split()[0]: line for line in lines if line.strip() and not line.startswith("#")}, name: f"{name} {digest}"}
    write_text(path, "\n".join([*comments, *(entries[key] for key in sorted(entries))]) + "\n")


# --- writing outputs ------------------------------------------------------------------------------


def _kind(path: Path) -> str | None:
    """What is at ``path`` in words ("a regular file", "a named pipe", ...), not following a final link; None if nothing."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None  # a parent is a file: reported as such by the parent check
    for test, words in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "a special file"


def check_output_file(path: str | os.PathLike, *, folder_made: bool = False) -> Path:
    """``path`` if a command may write a file there, else :class:`OutputError` naming it.

    A missing path or a regular file may be written; anything else is refused (see the module's
    docstring), and so is a path whose folder does not exist, unless ``folder_made`` says the
    command makes that folder (then only something other than a folder in its way is refused).
    """
    path = Path(path)
    kind = _kind(path)
    if kind not in (None, "a regular file"):
        raise OutputError(
            f"cannot write {path}: it is {kind}; expected a regular file or a path that does not exist yet (aidstats replaces only regular files)"
        )
    parent = path.parent
    if not parent.is_dir():
        blocking = next((p for p in (parent, *parent.parents) if _kind(p) is not None), None)
        if blocking is not None and not blocking.is_dir():
            raise _system_error(f"cannot write {path}: {blocking} is {_as_folder(blocking)}, not a folder", errno.ENOTDIR, path)
        if not folder_made:
            raise _system_error(
                f"cannot write {path}: {parent} is no such folder; expected an existing folder to write {path.name} into",
                errno.ENOENT,
                path,
            )
    return path


def _as_folder(path: Path) -> str:
    """What is at ``path``, in words, where a folder was expected ("a file" for a regular file)."""
    kind = _kind(path)
    return "a file" if kind == "a regular file" else str(kind)


@contextmanager
def output_file(path: str | os.PathLike) -> Iterator[Path]:
    """Write a file output safely: yields a temporary path beside ``path`` to write to.

    When the ``with`` block ends without an error, the temporary file is given the mode a plain
    write would give it and moved onto ``path`` (one rename: readers see the old file or the new
    one).  If the block raises, the temporary file is removed and ``path`` is untouched.

    Raises
    ------
    OutputError
        If ``path`` may not be written (checked before the block runs, and again just before the
        move), or the folder cannot be written into; the message names ``path``.
    """
    path = check_output_file(path)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as err:
        raise _failed(f"cannot write {path}", err, path) from None
    os.close(handle)
    temporary = Path(name)
    try:
        try:
            yield temporary
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private (0600)
            check_output_file(path)  # something may have been put there while we wrote
            os.replace(temporary, path)
        except OutputError:
            raise
        except OSError as err:
            raise _failed(f"cannot write {path}", err, path) from None
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` by :func:`output_file`'s rules; return ``path``."""
    with output_file(path) as temporary:
        temporary.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` by :func:`output_file`'s rules; return ``path``."""
    return write_bytes(path, text.encode("utf-8"))


def check_output_folder(path: str | os.PathLike) -> Path:
    """``path`` if a command may write files into it: a folder, a link to one, or nothing yet (its parent must be a folder)."""
    path = Path(path)
    if path.is_dir():
        return path
    kind = _kind(path)
    if kind is not None:
        what = "a symbolic link that does not lead to a folder" if kind == "a symbolic link" else kind
        raise OutputError(f"cannot write into {path}: it is {what}; expected a folder or a path that does not exist yet")
    nearest = next((p for p in path.parents if _kind(p) is not None), None)
    if nearest is not None and not nearest.is_dir():
        raise _system_error(f"cannot write into {path}: {nearest} is {_as_folder(nearest)}, not a folder", errno.ENOTDIR, path)
    return path


def check_outputs(folder: str | os.PathLike, files: Iterable[str] = (), folders: Iterable[str] = (), *, writable: bool = False) -> Path:
    """Check a folder output and everything a command will write in it, before anything is written.

    Parameters
    ----------
    folder
        The folder the user named: checked by :func:`check_output_folder`.
    files, folders
        Names, relative to ``folder``, of the files and folders the command writes there: each
        checked by :func:`check_output_file` or :func:`check_output_folder` (nothing can be in the
        way inside a folder that does not exist yet).
    writable
        Also refuse, at once, a folder (or, if it does not exist yet, the nearest folder above it)
        that cannot be written, for a command that would otherwise find out only after a long
        computation.

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    OutputError
        For the first output that may not be written; its message names the path.
    """
    folder = check_output_folder(folder)
    for name in folders:
        check_output_folder(folder / name)
    for name in files:
        check_output_file(folder / name, folder_made=True)
    if writable:
        nearest = next(p for p in (folder, *folder.parents) if p.is_dir())
        if not os.access(nearest, os.W_OK | os.X_OK):
            where = "it" if nearest == folder else f"the folder {nearest}"
            raise OutputError(
                f"cannot write into {folder}: {where} cannot be written (its permissions, a read-only file system, or an immutable flag)"
            )
    return folder


def output_folder(path: str | os.PathLike) -> Path:
    """Check ``path`` by :func:`check_output_folder` and create it (and its parents) if missing; return it."""
    path = check_output_folder(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _failed(f"cannot write into {path}", err, path) from None
    return path


@contextmanager
def staging_folder(parent: str | os.PathLike, prefix: str) -> Iterator[Path]:
    """A new hidden folder in ``parent`` to make outputs in before :func:`move_in` puts them in place.

    In ``parent`` so that moving out of it is a rename on one file system; named ``<prefix>XXXXXXXX``;
    removed, with whatever is still in it, when the ``with`` block ends (removing it is tidying up:
    if that fails, the block's own result or error stands).

    Raises
    ------
    OutputError
        If the folder cannot be made; the message names ``parent``.
    """
    parent = Path(parent)
    try:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as err:
        raise _failed(f"cannot write in {parent}", err, parent) from None
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def staging_parent(folder: str | os.PathLike) -> Path:
    """Where to make the contents of the folder output ``folder`` before :func:`move_in` puts them there.

    Beside it, on its file system: its parent (the parent of the folder a symbolic link leads
    to); the folder itself if it is a mount point or its parent cannot be written; for a folder
    not made yet, the nearest folder above it.
    """
    real = Path(os.path.realpath(folder))
    if not real.is_dir():
        return next(p for p in real.parents if p.is_dir())
    parent = real.parent
    if parent.stat().st_dev != real.stat().st_dev or not os.access(parent, os.W_OK | os.X_OK):
        return real
    return parent


def move_in(moves: Sequence[tuple[Path, Path]], aside: Path, remove: Sequence[Path] = ()) -> None:
    """Put finished outputs in place, all of them or none.

    Parameters
    ----------
    moves
        ``(made, target)`` pairs, moved in this order: ``made`` is a file or a folder in a
        :func:`staging_folder` on the file system of ``target``.  A file replaces its target in
        one rename (readers see the old file or the new one).  A folder replaces its target
        folder whole: the old one is moved aside and the new one renamed in; if the target is a
        symbolic link to a folder, the folder it leads to is replaced and the link kept.  Folders
        a target needs are made.
    aside
        A folder beside the staged outputs (made if missing) where the old outputs wait until
        every move has succeeded; the caller removes it with its staging folder.
    remove
        Paths to move aside before anything is moved in (a record that would otherwise describe
        outputs half replaced); put back if the move fails.

    Raises
    ------
    OutputError
        If a target may not be written (every target is checked before anything moves: see
        :func:`check_output_file` and :func:`check_output_folder`), or a move fails; then every
        step already done is undone, in reverse order, so the targets are as they were.  The
        message names the target; the system's error, if any, is its ``__cause__``.  Any other
        exception (an interrupt) is raised again after the same undoing.
    """
    planned = []
    for made, target in moves:
        made, target = Path(made), Path(target)
        if made.is_dir():
            check_output_folder(target)
            planned.append((made, target, Path(os.path.realpath(target)) if target.is_symlink() else target))
        else:
            planned.append((made, check_output_file(target, folder_made=True), target))
    undo: list = []
    try:
        Path(aside).mkdir(exist_ok=True)
        for number, path in enumerate(map(Path, remove)):
            if os.path.lexists(path):
                held = Path(aside) / f"removed-{number}-{path.name}"
                undo.append(lambda held=held, path=path: os.replace(held, path))
                os.replace(path, held)
        for number, (made, target, real) in enumerate(planned):
            try:
                _make_parents(real.parent, undo)
                held = Path(aside) / f"{number}-{real.name}"
                # Each step's undoing is noted before the step, so an interrupt between the two
                # cannot skip it; undoing a step that did not happen fails harmlessly.
                if made.is_dir():
                    check_output_folder(target)  # again: something may have been put there meanwhile
                    if real.exists():
                        undo.append(lambda held=held, real=real: os.replace(held, real))
                        os.replace(real, held)
                    undo.append(lambda made=made, real=real: os.replace(real, made))
                    os.replace(made, real)
                else:
                    check_output_file(target)
                    kept = real.exists()
                    if kept:
                        _keep(real, held)
                    undo.append(lambda held=held, real=real, kept=kept: os.replace(held, real) if kept else os.unlink(real))
                    os.replace(made, real)
            except OutputError:
                raise
            except OSError as err:
                raise _failed(f"cannot write {target}", err, target) from err
    except BaseException:
        for step in reversed(undo):
            with suppress(OSError):  # put back what can be; the first error is the one to report
                step()
        raise


def _make_parents(folder: Path, undo: list) -> None:
    """Make ``folder`` and the folders above it that are missing, noting how to remove them again."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        undo.append(made.rmdir)
        made.mkdir()


def _keep(path: Path, held: Path) -> None:
    """Keep the old content of ``path`` at ``held`` (a hard link, or a copy where links cannot be made)."""
    try:
        os.link(path, held)
    except OSError:
        shutil.copy2(path, held)


def _system_error(message: str, code: int, path: Path) -> OutputError:
    """An OutputError that also says, as an OSError would, which system error it is (the CLI prints those)."""
    return OutputError(message, code, os.strerror(code), str(path))


def _failed(doing: str, err: OSError, path: Path) -> OutputError:
    """An OutputError for a system error met while writing ``path``: the user's path, not a temporary one."""
    return OutputError(f"{doing}: {err.strerror or err}", err.errno, err.strerror, str(path))


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
