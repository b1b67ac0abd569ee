"""The ``aidstats`` command line: build, validate, list, show.

Heavy libraries are imported inside each command, so ``aidstats --help``
and ``aidstats list`` stay quick.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(
    help="The statistics of Weathersby's study of aid to North Korea, 1951-53, as a validated data package.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RootOption = typer.Option(None, "--root", help="Project folder holding raw/ (defaults to the project root).", file_okay=False)


def _root(root: Path | None) -> Path:
    return (root or PROJECT_ROOT).resolve()


@app.command()
def build(root: Path | None = RootOption) -> None:
    """Build clean/ and datapackage.json from raw/; on any input error, change nothing."""
    from .build import build as run_build
    from .errors import BuildError

    folder = _root(root)
    try:
        frames = run_build(folder)
    except BuildError as err:
        typer.echo(err.report(), err=True)
        raise typer.Exit(1) from None
    for name, frame in frames.items():
        typer.echo(f"built {name}: {len(frame)} rows")
    typer.echo(f"wrote {folder / 'clean'} and {folder / 'datapackage.json'}")


@app.command()
def validate(root: Path | None = RootOption) -> None:
    """Check clean/ and datapackage.json against a fresh build, pandera and frictionless."""
    from .errors import BuildError
    from .validate import validate_package

    folder = _root(root)
    try:
        failures = validate_package(folder)
    except BuildError as err:
        typer.echo(err.report(), err=True)
        raise typer.Exit(1) from None
    if failures:
        typer.echo(f"{len(failures)} problem(s):", err=True)
        for failure in failures:
            typer.echo(f"  {failure}", err=True)
        raise typer.Exit(1)
    typer.echo(
        "valid: clean/ and datapackage.json match a fresh build of raw/, pass pandera and frictionless, and every size and hash matches"
    )


@app.command("list")
def list_command() -> None:
    """List the tables with their row counts and titles."""
    from rich.console import Console
    from rich.table import Table

    from .loader import list_tables, load

    table = Table("table", "rows", "title")
    for name in list_tables():
        frame = load(name)
        table.add_row(name, str(len(frame)), frame.attrs["title"])
    Console().print(table)


@app.command()
def show(
    name: str = typer.Argument(..., help="Table name; see 'aidstats list'."),
    rows: int = typer.Option(0, help="Show only the first N rows (0: all)."),
) -> None:
    """Print a table in the terminal with its title and sources.

    A table too wide for the terminal is shown one record at a time.
    """
    from rich.console import Console
    from rich.table import Table

    from .loader import load

    try:
        frame = load(name)
    except KeyError as err:
        typer.echo(err.args[0], err=True)
        raise typer.Exit(2) from None
    shown = frame.head(rows) if rows else frame
    cells = shown.astype(object).where(shown.notna(), "").astype(str)
    for column in shown.select_dtypes("datetime").columns:
        cells[column] = shown[column].dt.strftime("%Y-%m-%d").fillna("")
    console = Console()
    console.print(f"[bold]{frame.attrs['title']}[/bold] ({len(frame)} rows)")
    if len(frame.columns) * 14 <= console.width:
        table = Table(*frame.columns)
        for record in cells.itertuples(index=False):
            table.add_row(*record)
        console.print(table)
    else:
        for record in cells.itertuples(index=False):
            table = Table(show_header=False, box=None, padding=(0, 1))
            for column, value in zip(frame.columns, record, strict=True):
                table.add_row(f"[dim]{column}[/dim]", value)
            console.print(table, "")
    console.print("Sources: " + " | ".join(frame.attrs["sources"]))


@app.command()
def cite(
    name: str | None = typer.Argument(None, help="A table: also cite the paper and the archival documents behind it."),
    bibtex: bool = typer.Option(False, "--bibtex", help="Only the BibTeX entries."),
) -> None:
    """Print how to cite the package (and a table's documents) as plain text and BibTeX."""
    from .cite import citation_bibtex, citation_text

    try:
        text, bib = citation_text(name), citation_bibtex(name)
    except KeyError as err:
        typer.echo(err.args[0], err=True)
        raise typer.Exit(2) from None
    typer.echo(bib if bibtex else f"{text}\n\nBibTeX:\n\n{bib}")


@app.command()
def dashboard(
    output: Path = typer.Option(Path("dashboard.html"), "-o", "--output", help="The HTML file to write.", dir_okay=False),
    cdn: bool = typer.Option(False, "--cdn", help="Link plotly.js from its CDN (a small file that needs the network)."),
) -> None:
    """Write one HTML page with every chart, the citation and the caveats; works offline."""
    from .dashboard import write

    path = write(output, cdn=cdn)
    typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@app.command()
def package(
    out: Path = typer.Option(Path("dist"), "--out", help="Folder to write the archive and its .sha256 into.", file_okay=False),
) -> None:
    """Write the release archive aidstats-data-<version>.zip (deterministic) and its sha256."""
    from .loader import data_root
    from .release import build_archive

    try:
        path, digest = build_archive(data_root(), out)
    except FileNotFoundError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{digest}  {path}")


@app.command()
def download(
    url: str | None = typer.Argument(
        None, help="URL of a datapackage.json or release .zip (default: this version's release, or $AIDSTATS_DATA_URL)."
    ),
    dest: Path | None = typer.Option(None, "--dest", help="Folder for the package (default: the per-version cache).", file_okay=False),
    force: bool = typer.Option(False, "--force", help="Download again even if a verified copy is there."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for the server."),
) -> None:
    """Download the published data package, verify every file, and keep a cached copy."""
    from .fetch import DownloadError
    from .fetch import download as fetch

    try:
        folder = fetch(url, dest, force=force, timeout=timeout)
    except DownloadError as err:
        typer.echo(f"download failed: {err}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"verified package in {folder}")


@app.command()
def site(output: Path = typer.Option(Path("site"), "-o", "--output", help="Folder to write the website into.", file_okay=False)) -> None:
    """Write a static website: every table, its charts and downloads, and the source of every value."""
    from .site import build_site

    try:
        folder = build_site(output)
    except FileNotFoundError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {folder / 'index.html'}")


def main() -> None:
    app()
