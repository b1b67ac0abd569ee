"""Every error aidstats raises for a user to act on, under one base class, :class:`AidstatsError`.

The command line turns an :class:`AidstatsError` into its one ``Error:`` line (or, for a
:class:`BuildError`, its report of every problem) in one place, ``aidstats.cli``; anything
else escaping a command is a bug.  Each class keeps the standard base it has always had
(``ValueError``, ``ModuleNotFoundError``, ``OSError``), so code that catches those still works.

Every problem found in ``raw/`` becomes one :class:`InputProblem` that names the
file, the line (as an editor numbers it), the column, the value found and what
was expected.  The build collects all of them before it gives up, so one run
shows every mistake.

This module imports only the standard library (``show`` imports pandas when called).
"""

from __future__ import annotations

from dataclasses import dataclass


class AidstatsError(Exception):
    """A problem a user can act on: the message says what was found, what was expected, and what was done."""


class PackageError(AidstatsError):
    """A data package on disk that cannot be used as it is (an unreadable descriptor, an unsafe path).

    Attributes
    ----------
    kind : str
        What failed, in a word (for a download: ``"refused"``, ``"unresolved"``, ``"timeout"``,
        ``"truncated"``, ``"not-found"``, ``"http"``, ``"network"``, ``"hash"``, ``"unsafe"``,
        ``"invalid"`` or ``"local"``).
    """

    def __init__(self, message: str, kind: str = "invalid"):
        super().__init__(message)
        self.kind = kind


class DownloadError(PackageError):
    """A download failed; the message says what, expected versus found, and what was done."""


class OutputError(AidstatsError, OSError):
    """A command cannot write where it was told to; nothing was written or replaced.

    Raised before anything is written when the target is something aidstats did not make
    and must not replace (a symbolic link, a named pipe, a device, a folder where a file
    belongs), and when the location cannot be written.  ``str()`` is the whole sentence; where
    the cause is a system error, ``errno``, ``strerror`` and ``filename`` say it as an
    ``OSError`` would (the command line prints those after what it was doing).
    """

    def __init__(self, message: str, errno: int | None = None, strerror: str | None = None, filename: str | None = None):
        if errno is None:
            OSError.__init__(self, message)
        else:
            OSError.__init__(self, errno, strerror, filename)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ExportError(AidstatsError, ValueError):
    """The package cannot be exported as it is (a broken foreign key); the message says where."""


class DiffError(AidstatsError, ValueError):
    """A package that cannot be compared.

    The message names the package (as it was given), the file and line when
    the problem is in a file, and what was expected.
    """


class MissingExtra(AidstatsError, ModuleNotFoundError):
    """A library that only an extra installs is missing; the message says which extra to install.

    A subclass of ``ModuleNotFoundError`` (and so of ``ImportError``), so code
    that catches either still catches it.

    Attributes
    ----------
    name : str
        The missing module, such as ``"plotly"``.
    extra : str
        The extra that installs it, such as ``"viz"``.
    """

    def __init__(self, module: str, extra: str, needed_by: str = "this command") -> None:
        ModuleNotFoundError.__init__(self, f'{needed_by} needs {module}: pip install "aidstats[{extra}]"', name=module)
        self.extra = extra


@dataclass(frozen=True, order=True)
class InputProblem:
    """One thing wrong with one cell (or line, or file) of the raw input."""

    file: str
    line: int | None
    column: str | None
    found: str
    expected: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" column '{self.column}':" if self.column else ""
        return f"{where}:{column} found {self.found}; expected {self.expected}"


class BuildError(AidstatsError):
    """The raw input is wrong; nothing was written.  Carries every problem found."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the raw input; nothing was written:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def _sort_key(problem: InputProblem) -> tuple:
    return (problem.file, problem.line or 0, problem.column or "", problem.found)


def show(value: object) -> str:
    """Render a found value so that empty cells and spaces are visible.

    A missing value of any kind (``None``, NaN, ``pd.NA``, ``NaT``) or an empty
    string is "an empty cell"; anything else is quoted, so spaces show.
    """
    from pandas import isna
    from pandas.api.types import is_scalar

    if is_scalar(value) and isna(value):
        return "an empty cell"
    text = str(value)
    return repr(text) if text else "an empty cell"
