"""Examples that cannot drift: every code block of README.md and docs/**/*.md runs, and prints what its page shows.

The pages are found when the tests are collected, so a new page of docs/ is covered
without a line here.  Each block that runs is one test, named by its page and the line
of its opening fence (``README.md:43``); a failure shows the block's code, standard
output and standard error.  The convention a page is written to:

- A ```` ```python ```` (or ``py``) block runs as Python.  The Python blocks of a page run in
  order in one fresh interpreter (``sys.executable``), so a later block sees the names an
  earlier one made.  They run as a script does: a bare expression prints nothing, so a
  block whose result the page shows prints it.  A block that raises fails, and so do the
  Python blocks after it on the page (they are not run).
- A ```` ```r ```` block runs alone, with ``Rscript``, in a fresh copy of the project (below).
  Rscript missing fails the test, it does not skip it.
- In a ```` ```sh ````, ``bash``, ``console`` or ``shell`` block, each line that starts with
  ``aidstats`` (after an optional ``$ ``) runs, with the ``aidstats`` entry point beside
  ``sys.executable``; a line ending in ``\\`` goes on on the next.  Other lines (pip, venv,
  git clone) are a reader's set-up and do not run; a block with no ``aidstats`` line is not
  run at all.  A command that exits with a status other than 0 fails the block.
- A ```` ```text ```` block directly after a code block (nothing between the two) is that
  block's expected standard output (of all its commands, for a shell block), compared line
  by line, trailing whitespace and trailing blank lines ignored.  A ```` ```text ```` block
  anywhere else is prose.
- A block directly after the line ``<!-- not run: <reason> -->`` does not run; the reason is
  required.  A marker without one, or with no block after it, fails as a test of its own.
- Any other fence is not run: ```` ```json ````, ``yaml``, ``toml``, ``csv`` (data or a
  file's content), ``stata``, ``sql``, ``pycon`` (code for a program the tests do not drive,
  or a session transcript), and a fence without a language (a synopsis).  Neither is an
  indented code block.

Where they run: in a scratch copy of the project (the files git tracks, and the untracked
ones it does not ignore), as the working directory and, through ``PYTHONPATH``, as the
``aidstats`` that is imported, so the copy behaves as a checkout does and no block can write
into this one, whatever the other pytest-xdist workers are doing.  The Python and shell
blocks of a page share one copy, in the page's order, so a block may read what an earlier one
wrote (``aidstats export`` then a query of the export).  A block may create files there, but
one that changes or deletes a file of the project fails, naming it: in a reader's checkout it
would have changed the checkout.  ``AIDSTATS_CACHE_DIR`` points into the scratch folder, so a
download is never cached in the user's cache.  Each worker runs a page at most once, block by
block as its tests ask.

The tests of blocks that run are marked ``slow`` (a page runs in a fresh interpreter, or
Rscript, in a copy of the project: seconds each); the fast loop keeps the tests of the
parser and of misplaced markers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from code_blocks import PYTHON, SHELL, Block, PageRun, R, parse, printed
from conftest import ROOT

import aidstats


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


def page_blocks(page: Path) -> list[Block]:
    return parse(page.read_text(encoding="utf-8"), page.relative_to(ROOT).as_posix())


def example_params() -> list:
    """One test per block that runs, and per misplaced or reasonless not-run marker. A block that runs is slow:
    its page runs in a fresh interpreter (or, for R, Rscript) in a copy of the project.

    A page's tests are one xdist group: under ``--dist loadgroup`` one worker runs the page once.
    """
    blocks = [b for page in pages() for b in page_blocks(page) if b.runs or b.problem]
    return [pytest.param(b, id=str(b), marks=[pytest.mark.xdist_group(b.page), *([pytest.mark.slow] if b.runs else [])]) for b in blocks]


@pytest.fixture(scope="session")
def page_runs(tmp_path_factory):
    """The run of each page, made when one of its blocks is first asked for (once per worker)."""
    runs: dict[str, PageRun] = {}

    def result(block: Block):
        if block.page not in runs:
            runs[block.page] = PageRun(page_blocks(ROOT / block.page), ROOT, tmp_path_factory.mktemp("examples"))
        return runs[block.page].result(block)

    yield result
    for run in runs.values():
        run.close()
        shutil.rmtree(run.scratch, ignore_errors=True)  # a copy of the project per page: megabytes each, kept for no one


@pytest.mark.parametrize("block", example_params())
def test_code_block_runs_and_prints_what_its_page_shows(block, page_runs):
    assert block.problem is None, f"{block}: {block.problem}"
    result = page_runs(block)
    assert result.failure is None, result.report()


# --- the convention, on a page made up for it -------------------------------------------------------

PAGE = """\
# A page

```python
x = 1
```

```python
print(x + 1)
```

```text
2
```

Prose.

```text
prose in a box, not an output
```

<!-- not run: needs the network -->
```python
aidstats.download()
```

<!-- not run -->
```r
cat(1)
```

```sh
python3 -m venv .venv
$ aidstats list
aidstats show units \\
  --rows 3
aidstatsx is not a command
```

```json
{"a": 1}
```

1. In a list:

   ~~~console
   $ aidstats --version
   ~~~
   ```text
   aidstats 0.4.0
   ```

```sh
pip install aidstats
```

<!-- not run: a marker with nothing after it -->

The end.
"""


def test_parse_finds_each_kind_of_block_where_the_page_has_it():
    found = [(b.line, b.language, b.runs, b.expected, b.not_run, b.problem is not None) for b in parse(PAGE, "page.md")]
    # Counted by hand: the line of each opening fence (and of the stray marker), from 1.
    assert found == [
        (3, PYTHON, True, None, None, False),
        (7, PYTHON, True, "2\n", None, False),  # its output block (line 11) folded into it
        (17, "text", False, None, None, False),  # after prose: not an output
        (22, PYTHON, False, None, "needs the network", False),
        (27, R, False, None, None, True),  # a marker without a reason
        (31, SHELL, True, None, None, False),
        (39, "json", False, None, None, False),
        (45, SHELL, True, "aidstats 0.4.0\n", None, False),  # a tilde fence in a list item, de-indented
        (52, SHELL, False, None, None, False),  # no aidstats line
        (56, "", False, None, None, True),  # a marker with no block after it
    ]


def test_parse_keeps_the_code_and_the_aidstats_commands_of_a_shell_block():
    blocks = {b.line: b for b in parse(PAGE, "page.md")}
    assert blocks[7].code == "print(x + 1)\n"
    assert blocks[31].commands() == ["aidstats list", "aidstats show units --rows 3"]
    assert blocks[45].commands() == ["aidstats --version"]
    assert str(blocks[31]) == "page.md:31"


def test_parse_names_what_is_wrong_with_a_marker():
    blocks = {b.line: b for b in parse(PAGE, "page.md")}
    assert "gives no reason" in blocks[27].problem
    assert "directly before the block" in blocks[56].problem
    # A reason after "not run" but without its colon is not the convention either.
    (block,) = parse("<!-- not run because -->\n```python\nx\n```\n", "p.md")
    assert block.problem and not block.runs


def test_parse_finds_blocks_in_mkdocs_content_tabs_and_admonitions():
    """Indented four spaces, which CommonMark takes for indented code; their fences are found at their page lines."""
    page = "\n".join(
        [
            "# Tabs",  # 1
            "",
            '=== "Python"',  # 3
            "",
            "    ```python",  # 5
            "    print(1)",
            "    ```",
            "",
            "    ```text",  # 9
            "    1",
            "    ```",
            "",
            '!!! note "Not run here"',  # 13
            "",
            "    <!-- not run: shows a failure -->",  # 15
            "    ```sh",  # 16
            "    aidstats show nothing",
            "    ```",
            "",
        ]
    )
    found = [(b.line, b.language, b.code, b.expected, b.not_run) for b in parse(page, "p.md")]
    assert found == [(5, PYTHON, "print(1)\n", "1\n", None), (16, SHELL, "aidstats show nothing\n", None, "shows a failure")]


def test_parse_takes_a_text_block_after_a_text_block_for_prose_and_reads_only_the_first_word_of_the_info():
    page = "```text\na\n```\n```text\nb\n```\n```Python title=example.py\nx\n```\n"
    assert [(b.line, b.language, b.expected) for b in parse(page, "p.md")] == [(1, "text", None), (4, "text", None), (7, PYTHON, None)]


def test_printed_output_ignores_trailing_whitespace_and_blank_lines_only():
    assert printed("a  \nb\t\n\n\n") == printed("a\nb") == ["a", "b"]
    assert printed("\na") != printed("a")  # a leading blank line is output
    assert printed("a b") != printed("a  b")


# --- the runner, on a made-up project -------------------------------------------------------------

RUNNER_PAGE = f"""\
```python
x = 6 * 7
open("new.txt", "w").write("a file of its own is allowed")
```

```python
print(x)
```

```text
42
```

```python
print("no")
```

```text
yes
```

```python
open("data.txt", "w").write("changed")
```

```sh
$ aidstats --version
```

```text
aidstats {aidstats.__version__}
```

```python
raise ValueError("on purpose")
```

```python
print("after")
```
"""


@pytest.fixture
def runner_results(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "data.txt").write_text("kept", encoding="utf-8")
    (project / "page.md").write_text(RUNNER_PAGE, encoding="utf-8")
    blocks = [b for b in parse(RUNNER_PAGE, "page.md") if b.runs]
    run = PageRun(blocks, project, tmp_path / "scratch")
    results = {b.line: run.result(b) for b in reversed(blocks)}  # the last asked first: those before it run first
    run.close()
    assert (project / "data.txt").read_text(encoding="utf-8") == "kept" and not (project / "new.txt").exists()
    return results


def test_a_page_runs_in_order_in_one_interpreter_and_its_output_is_checked(runner_results):
    assert runner_results[1].failure is None  # wrote a new file: allowed
    assert runner_results[6].failure is None and runner_results[6].stdout == "42\n"  # x from the block before
    assert runner_results[14].failure.startswith("it printed other than its text block says:")
    assert "-yes" in runner_results[14].failure and "+no" in runner_results[14].failure
    assert runner_results[22].failure == "it changed or deleted files of the project: data.txt"
    assert runner_results[26].failure is None  # the entry point, its output as the page shows


def test_a_block_that_raises_is_reported_at_its_page_line_and_stops_the_python_after_it(runner_results):
    raised = runner_results[34]
    assert raised.failure == "it raised an exception"
    assert 'File "page.md", line 35' in raised.stderr and "ValueError: on purpose" in raised.stderr
    assert runner_results[38].failure == "not run: the Python block at page.md:34 failed before it"
    report = raised.report()
    assert report.startswith("page.md:34 (python) failed: it raised an exception\n--- code ---\nraise ValueError")


def test_an_r_block_fails_where_rscript_is_missing(tmp_path, monkeypatch):
    (block,) = parse("```r\ncat(1)\n```\n", "p.md")
    project = tmp_path / "project"
    project.mkdir()
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None if name == "Rscript" else which(name, *args, **kwargs))
    result = PageRun([block], project, tmp_path / "scratch").result(block)
    assert result.failure == "Rscript is missing; .ci/run installs r-base-core, r-cran-readr and r-cran-jsonlite"
