"""The ``aidstats`` command line: build, validate, list, show, cite, dashboard, package, download, site, diff, export.

Heavy libraries are imported inside each command, so ``aidstats --help``
and ``aidstats list`` stay quick.

Errors a user can cause never show a traceback.  A command that cannot do its
work (a missing folder, a file where a folder should be, a failed download,
a library that only an extra installs) prints one line starting "Error:" on
stderr and exits with status 1; a command line that is wrong (an unknown
command, option or table, or a bad option value) prints one such line and
exits with status 2.  Problems found
in the data itself (by ``build``, ``validate`` or a download's verification)
are listed one per line under a line that says how many there are.  Errors of
aidstats (:class:`aidstats.errors.AidstatsError`) become that output in one
place, ``_report``; ``--source`` and ``diff`` take any source
:func:`aidstats.loader.package_root` takes (a folder, its datapackage.json, a
release .zip or a URL).

Text from the data is printed as text: rich markup in a title or a cell
(``[bold]``) is shown as typed, never interpreted.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from aidstats.errors import AidstatsError, BuildError, DownloadError
from aidstats.extras import missing_extra, require
from aidstats.metadata import VERSION

# Recent typer vendors click (as typer._click); reach its exception classes
# through the public typer.BadParameter rather than a private module.
_CLICK = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
_UsageError, _ClickException = _CLICK["UsageError"], _CLICK["ClickException"]


class _FlagsWithoutType:
    """Show a flag in help without a value type: ``--force`` takes no value, so ``<bool>`` beside it is noise."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            if getattr(param, "is_flag", False):
                param.metavar = ""  # typer's help shows the metavar, when set, instead of the type
        return params


class _Command(_FlagsWithoutType, TyperCommand):
    pass


class _OneLineErrors(_FlagsWithoutType, TyperGroup):
    """Report usage errors and failed file operations in one line, not a panel or a traceback.

    Typer draws usage errors in a box that wraps a long message over several
    lines; one line is easier to read in a log and to search for.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _UsageError as err:
            if type(err).__name__ == "NoArgsIsHelpError":
                code = err.exit_code  # typer has printed the help
            else:
                hint = f" (see '{err.ctx.command_path} --help')" if err.ctx else ""
                code = _say(" ".join(err.format_message().split()) + hint, err.exit_code)
        except _ClickException as err:
            code = _say(err.format_message(), err.exit_code)
        except typer.Abort:
            code = _say("aborted", 1)
        except AidstatsError as err:
            code = _report(err)
        except OSError as err:
            code = _say(_os_error(err, "cannot go on"), 1)  # a file or folder a command needed
        except ImportError as err:
            # A library of an extra not installed (`pip install aidstats` has none); any other means a broken install or a bug.
            missing = missing_extra(err)
            if missing is None:
                raise
            code = _say(str(missing), 1)
        sys.exit(code or 0)


app = typer.Typer(
    cls=_OneLineErrors,
    help="The figures printed in Weathersby's 'North Korea and the Armistice Negotiations', as a validated data package.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RootOption = typer.Option(
    None, "--root", help="Project folder holding raw/ (default: the current folder, if it holds raw/).", file_okay=False
)
SourceOption = typer.Option(
    None,
    "--source",
    help="A data package: a folder, its datapackage.json, a release .zip, or a URL (default: the one installed with aidstats).",
)


def _say(message: str, code: int) -> int:
    typer.echo(f"Error: {message}", err=True)
    return code


def _report(err: AidstatsError) -> int:
    """The one place an aidstats error becomes what a command prints: a build's report of every
    problem as it is, anything else as one ``Error:`` line; the exit status is 1."""
    if isinstance(err, BuildError):
        typer.echo(err.report(), err=True)
        return 1
    if isinstance(err, DownloadError):
        return _say(f"download failed: {err}", 1)
    return _say(str(err), 1)


def _fail(message: str, code: int = 1) -> NoReturn:
    _say(message, code)
    raise typer.Exit(code)


def _os_error(err: OSError, doing: str) -> str:
    if err.errno is None:
        return str(err)  # raised by aidstats, with a message that says it all
    where = f": {err.filename}" if err.filename else ""
    return f"{doing}: {err.strerror}{where}"


@contextmanager
def _os_errors(doing: str):
    """Turn a failed file operation into one line that says what was being done."""
    try:
        yield
    except OSError as err:
        _fail(_os_error(err, doing))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aidstats {VERSION}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version of aidstats and exit."),
) -> None:
    pass


def _project(root: Path | None) -> Path:
    """The project folder ``build`` and ``validate`` work in: ``--root``, or else the current folder when it holds
    raw/ (never the folder aidstats is installed in, which after ``pip install`` is inside site-packages)."""
    if root is None:
        here = Path.cwd()
        if not (here / "raw").is_dir():
            _fail(f"no raw/ in {here}; run in a project folder or pass --root")
        return here.resolve()
    folder = root.resolve()
    if not folder.is_dir():
        _fail(f"no such folder: {folder}; expected a project folder holding raw/")
    if not (folder / "raw").is_dir():
        _fail(f"no raw/ folder in {folder}; expected a project folder holding raw/ (pass --root)")
    return folder


def _package(source: str | None) -> Path:
    """The verified package ``--source`` names (:func:`aidstats.loader.package_root`, as every command resolves it)."""
    from aidstats.loader import package_root

    if source is not None and "://" in source and not source.lower().startswith("file://"):
        require("download")  # a URL is downloaded: say so before aidstats.download() would name itself
    try:
        return package_root(source)
    except FileNotFoundError as err:  # no such path, or no package there: one line naming it
        _fail(str(err))


def _load(name: str, root: Path):
    from aidstats.loader import load

    try:
        return load(name, source=root)
    except KeyError as err:
        _fail(err.args[0], 2)


@app.command()
def build(root: Path | None = RootOption) -> None:
    """Build clean/ and datapackage.json from raw/; on any input error, change nothing."""
    require("build")
    folder = _project(root)  # before the heavy imports, so a mistyped folder is reported at once
    from aidstats.build.run import build as run_build

    with _os_errors("cannot build"):
        frames = run_build(folder)
    for name, frame in frames.items():
        typer.echo(f"built {name}: {len(frame)} rows")
    typer.echo(f"wrote {folder / 'clean'} and {folder / 'datapackage.json'}")


@app.command()
def validate(root: Path | None = RootOption) -> None:
    """Check clean/ and datapackage.json against a fresh build, pandera and frictionless."""
    require("build")
    folder = _project(root)
    from aidstats.build.validate import validate_package

    failures = validate_package(folder)
    if failures:
        typer.echo(f"{len(failures)} problem(s):", err=True)
        for failure in failures:
            typer.echo(f"  {failure}", err=True)
        raise typer.Exit(1)
    typer.echo(
        "valid: clean/ and datapackage.json match a fresh build of raw/, pass pandera and frictionless, and every size and hash matches"
    )


@app.command("list")
def list_command(source: str | None = SourceOption) -> None:
    """List the tables with their row counts and titles."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from aidstats.loader import list_tables

    root = _package(source)
    table = Table("table", "rows", "title")
    for name in list_tables(root):
        frame = _load(name, root)
        table.add_row(Text(name), Text(str(len(frame))), Text(frame.attrs["title"]))
    Console().print(table)


@app.command()
def show(
    name: str = typer.Argument(..., help="Table name; see 'aidstats list'."),
    rows: int = typer.Option(0, min=0, help="Show only the first N rows (0: all)."),
    source: str | None = SourceOption,
) -> None:
    """Print a table in the terminal with its title and sources.

    A table too wide for the terminal is shown one record at a time.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from aidstats.loader import resource
    from aidstats.publish.tables import unit_symbols
    from aidstats.text.numbers import format_frame, heading, kind

    root = _package(source)
    frame = _load(name, root)
    fields = resource(name, root)["schema"]["fields"]
    # The formatter the site uses: years bare, quantities with separators, computed floats to four significant digits.
    cells = format_frame(frame.head(rows) if rows else frame, fields)
    numeric = {f["name"] for f in fields if kind(f) in ("quantity", "exact", "computed")}
    # The site's headings with the names a reader types: "percent_of_plan (%)", "quantity (see unit)".
    units, by_name = unit_symbols(root), {f["name"]: f for f in fields}
    labels = {column: heading(by_name[column], fields, units, names=True) if column in by_name else column for column in frame.columns}
    console = Console()
    # Every piece of data goes in as Text, so "[bold]" in a cell is printed, not applied.
    console.print(Text.assemble((frame.attrs["title"], "bold"), f" ({len(frame)} rows)"))
    if len(frame.columns) * 14 <= console.width:
        table = Table()
        for column in frame.columns:
            table.add_column(Text(labels[column]), justify="right" if column in numeric else "left")
        for record in cells.itertuples(index=False):
            table.add_row(*map(Text, record))
        console.print(table)
    else:
        for record in cells.itertuples(index=False):
            table = Table(show_header=False, box=None, padding=(0, 1))
            for column, value in zip(frame.columns, record, strict=True):
                table.add_row(Text(labels[column], style="dim"), Text(value))
            console.print(table, "")
    console.print(Text("Sources: " + " | ".join(frame.attrs["sources"])))


@app.command()
def cite(
    name: str | None = typer.Argument(None, help="A table: also cite the paper and the archival documents behind it."),
    bibtex: bool = typer.Option(False, "--bibtex", help="Only the BibTeX entries."),
) -> None:
    """Print how to cite the package (and a table's documents) as plain text and BibTeX."""
    from aidstats.publish.cite import citation_bibtex, citation_text

    try:
        text, bib = citation_text(name), citation_bibtex(name)
    except KeyError as err:
        _fail(err.args[0], 2)
    typer.echo(bib if bibtex else f"{text}\n\nBibTeX:\n\n{bib}")


@app.command()
def dashboard(
    output: Path = typer.Option(Path("dashboard.html"), "-o", "--output", help="The HTML file to write.", dir_okay=False),
    cdn: bool = typer.Option(False, "--cdn", help="Link plotly.js from its CDN (a small file that needs the network)."),
) -> None:
    """Write one HTML page with every chart, the citation and the caveats; works offline."""
    require("viz")
    from aidstats.package import check_output_file

    check_output_file(output)  # before the page is rendered; a refusal is one line, naming the path
    from aidstats.web.dashboard import write

    with _os_errors("cannot make the dashboard"):
        path = write(output, cdn=cdn)
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@app.command()
def package(
    out: Path = typer.Option(Path("dist"), "--out", help="Folder to write the archive and its .sha256 into.", file_okay=False),
) -> None:
    """Write the release archive aidstats-data-<version>.zip (deterministic) and its sha256."""
    from aidstats.loader import data_root
    from aidstats.publish.release import build_archive
    from aidstats.publish.workbook import require_openpyxl

    require_openpyxl("this command")  # the archive holds the exports, the workbook among them
    with _os_errors("cannot make the release archive"):
        path, digest = build_archive(data_root(), out)
    typer.echo(f"{digest}  {path}")


def _positive(value: float) -> float:
    if not value > 0:
        raise typer.BadParameter(f"expected a number of seconds greater than 0; found {value:g}")
    return value


@app.command()
def download(
    url: str | None = typer.Argument(
        None,
        help="URL or local path of a datapackage.json, a package folder or a release .zip "
        "(default: this version's release, or $AIDSTATS_DATA_URL).",
    ),
    dest: Path | None = typer.Option(None, "--dest", help="Folder for the package (default: the per-version cache).", file_okay=False),
    force: bool = typer.Option(False, "--force", help="Download again even if a verified copy is there."),
    timeout: float = typer.Option(30.0, "--timeout", callback=_positive, help="Seconds to wait for the server (more than 0)."),
) -> None:
    """Download the published data package, verify every file, keep a cached copy, and say what was done."""
    require("download")
    from aidstats.remote.fetch import retrieve

    with _os_errors("cannot download the package"):
        fetched = retrieve(url, dest, force=force, timeout=timeout)
    typer.echo(fetched.message)  # downloaded or reused from the cache, and what was checked


@app.command()
def site(output: Path = typer.Option(Path("site"), "-o", "--output", help="Folder to write the website into.", file_okay=False)) -> None:
    """Write a static website: every table, its charts and downloads, and the source of every value."""
    # Now, not part way through: the site needs Jinja2 and plotly for its pages, openpyxl for its workbook download.
    require("viz")
    require("export")
    from aidstats.web.site import build_site

    with _os_errors("cannot make the site"):
        folder = build_site(output)
    typer.echo(f"wrote {folder / 'index.html'}")


@app.command()
def diff(
    old: str = typer.Argument(..., help="The older package: a folder, its datapackage.json, a release .zip, or a URL."),
    new: str = typer.Argument(..., help="The newer package, in any of the same forms."),
    json_file: Path | None = typer.Option(None, "--json", help="Also write the differences to this file as JSON.", dir_okay=False),
) -> None:
    """Say what changed from OLD to NEW: tables, rows by primary key, and every changed cell as old → new.

    Values are compared as the CSV files print them. Both packages are
    first checked against their datapackage.json, and one whose files do
    not match is refused, naming them. The exit status is 0 whether or not
    the packages differ (1 and 2 mean an error); read the statuses in the
    --json file to act on differences in a script.
    """
    from aidstats.package import check_output_file, write_text
    from aidstats.remote.diff import diff_packages, render_json, render_text

    if json_file is not None:
        with _os_errors(f"cannot write {json_file}"):
            check_output_file(json_file)  # before the packages are read
    with _os_errors("cannot compare the packages"):
        result = diff_packages(old, new)
    if json_file is not None:
        with _os_errors(f"cannot write {json_file}"):
            write_text(json_file, render_json(result))
    typer.echo(render_text(result), nl=False)


@app.command()
def export(
    fmt: str = typer.Argument(
        ..., metavar="format", help="xlsx (one workbook), stata (a .dta per table) or sqlite (a database and Datasette metadata)."
    ),
    out: Path = typer.Option(Path("exports"), "--out", help="Folder to write into; created if missing.", file_okay=False),
    source: str | None = SourceOption,
) -> None:
    """Write the package for Excel, Stata or SQL/Datasette, with its titles, units and caveats; byte-identical when run twice."""
    from aidstats.publish.export import FORMATS
    from aidstats.publish.export import export as write

    if fmt not in FORMATS:
        _fail(f"no export format {fmt!r}; expected one of: {', '.join(FORMATS)}", 2)
    if fmt == "xlsx":
        from aidstats.publish.workbook import require_openpyxl

        require_openpyxl("this command")
    root = _package(source)
    with _os_errors(f"cannot export {fmt}"):
        paths = write(fmt, out, root)
    for path in paths:
        typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


# Every command gets the help of _Command (flags without a type), without repeating cls= on each.
for _info in app.registered_commands:
    _info.cls = _Command


def main() -> None:
    app()
