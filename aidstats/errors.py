"""Errors a transcriber can act on.

Every problem found in ``raw/`` becomes one :class:`InputProblem` that names the
file, the line (as an editor numbers it), the column, the value found and what
was expected.  The build collects all of them before it gives up, so one run
shows every mistake.
"""

from __future__ import annotations

from dataclasses import dataclass


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


class BuildError(Exception):
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
