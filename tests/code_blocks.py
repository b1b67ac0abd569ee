"""How tests/test_examples.py finds the fenced code blocks of a Markdown page, and runs them.

The convention they are held to is in the docstring of tests/test_examples.py.  The parsing is
markdown-it's (CommonMark), so a fence inside a list item, or one made of tildes, is found as
GitHub and mkdocs show it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

PYTHON, R, SHELL = "python", "r", "shell"
LANGUAGES = {"python": PYTHON, "py": PYTHON, "r": R, "sh": SHELL, "bash": SHELL, "console": SHELL, "shell": SHELL}
OUTPUT = "text"
MARKER = re.compile(r"<!--\s*not run\b(?P<rest>.*?)-->\s*\Z", re.S)
COMMAND = re.compile(r"(?:\$ )?(aidstats(?:\s.*)?)\Z", re.S)
VENV_BIN = Path(sys.executable).parent
AIDSTATS = VENV_BIN / "aidstats"
TIMEOUT = 600  # seconds for one block; a whole site takes tens


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: where it is, its language, code, expected output and whether it runs."""

    page: str  # the page's path in the project, as the test id shows it
    line: int  # the line of its opening fence, from 1
    language: str  # PYTHON, R or SHELL, or the fence's own first word for a block that does not run
    code: str
    expected: str | None = None  # the text block directly after it
    not_run: str | None = None  # the reason its marker gives
    problem: str | None = None  # what is wrong with its marker

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def runs(self) -> bool:
        if self.not_run is not None or self.problem is not None:
            return False
        return self.language in (PYTHON, R) or (self.language == SHELL and bool(self.commands()))

    def commands(self) -> list[str]:
        """The ``aidstats`` command lines of a shell block, ``$ `` taken off, continued lines joined."""
        lines = re.sub(r"\s*\\\n\s*", " ", self.code).splitlines()
        return [match.group(1).strip() for match in map(COMMAND.match, lines) if match]


def parse(text: str, page: str, offset: int = 0) -> list[Block]:
    """Every fenced block of ``text`` (its output block folded into it), and every misplaced not-run marker as a block with a problem.

    ``offset`` is the number of lines of the page above ``text``.  The body of an indented
    block is parsed too: CommonMark takes mkdocs' content tabs (``=== "R"``) and
    admonitions (``!!! note``), indented by four spaces, for indented code.
    """
    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Block] = []
    for i, token in enumerate(tokens):
        before, follows = tokens[i - 1] if i else None, tokens[i + 1] if i + 1 < len(tokens) else None
        line = offset + token.map[0] + 1 if token.map else offset
        if token.type == "code_block":
            blocks += parse(token.content, page, line - 1)
        if token.type == "html_block" and MARKER.match(token.content) and (follows is None or follows.type != "fence"):
            blocks.append(Block(page, line, "", "", problem="a not-run marker must stand directly before the block it stops"))
        if token.type != "fence" or (_word(token) == OUTPUT and _is_fence(before) and _word(before) != OUTPUT):
            continue  # not a fence, or the output of the block before it, folded into that block
        output = _word(token) != OUTPUT and _is_fence(follows) and _word(follows) == OUTPUT
        marked = MARKER.match(before.content) if before is not None and before.type == "html_block" else None
        rest = marked.group("rest").strip() if marked else ""
        reason = rest.removeprefix(":").strip() if rest.startswith(":") else None
        problem = "the not-run marker gives no reason: write <!-- not run: <reason> -->" if marked and not reason else None
        word = _word(token)
        blocks.append(Block(page, line, LANGUAGES.get(word, word), token.content, follows.content if output else None, reason, problem))
    return sorted(blocks, key=lambda block: block.line)


def _is_fence(token) -> bool:
    return token is not None and token.type == "fence"


def _word(token) -> str:
    """A fence's language, the first word of its info string, in lower case ("" for a fence without one)."""
    return token.info.split()[0].lower() if token.info.split() else ""


def printed(text: str) -> list[str]:
    """Output as compared: its lines, without trailing whitespace, without trailing blank lines."""
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass
class Result:
    """What running a block gave, and why it failed (None if it passed)."""

    block: Block
    stdout: str = ""
    stderr: str = ""
    failure: str | None = None

    def report(self) -> str:
        return "\n".join(
            [
                f"{self.block} ({self.block.language}) failed: {self.failure}",
                "--- code ---",
                self.block.code.rstrip(),
                "--- stdout ---",
                self.stdout.rstrip(),
                "--- stderr ---",
                self.stderr.rstrip(),
            ]
        )


def copy_project(source: Path, target: Path) -> dict[str, str]:
    """Copy the project in ``source`` to ``target``; return the sha256 of each file copied, by path.

    In a git work tree: the tracked files and the untracked ones git does not ignore (so not
    .venv/, site/ or caches); elsewhere (an unzipped archive, mutmut's copy): every file but
    version control and byte code.
    """
    git = shutil.which("git")
    top = subprocess.run([git, "rev-parse", "--show-toplevel"], cwd=source, capture_output=True, text=True) if git else None
    if top is not None and top.returncode == 0 and Path(top.stdout.strip()).resolve() == source.resolve():
        listed = subprocess.run(
            [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=source, capture_output=True, check=True
        )
        for name in filter(None, listed.stdout.decode().split("\0")):
            if (source / name).is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / name, target / name)
    else:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "mutants"))
    return fingerprint(target, [p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()])


def fingerprint(folder: Path, names) -> dict[str, str]:
    """The sha256 of each of ``names`` in ``folder``; a missing file is left out."""
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in names if (folder / name).is_file()}


def environment(project: Path, scratch: Path) -> dict[str, str]:
    """The blocks' environment: this venv first on the path, the copy's aidstats imported, nothing cached outside ``scratch``."""
    env = {k: v for k, v in os.environ.items() if k not in ("AIDSTATS_DATA_URL", "FORCE_COLOR", "PYTHONSTARTUP")}
    env.update(
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(project),
        AIDSTATS_CACHE_DIR=str(scratch / "cache"),
        PYTHONIOENCODING="utf-8",
        PYTHONHASHSEED="0",
        COLUMNS="80",  # rich and pandas lay out to it, so the output a page shows is the same everywhere
        NO_COLOR="1",
    )
    return env


# Runs in the fresh interpreter: one JSON request a line on stdin (the code, and the files for its output),
# one reply a line on the original stdout ("ok" or "failed"). The code's stdin is /dev/null.
_DRIVER = """
import json, os, sys, traceback
requests, replies = os.fdopen(os.dup(0), encoding="utf-8"), os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
namespace = {"__name__": "__main__"}
for request in requests:
    block = json.loads(request)
    sys.stdout.flush(); sys.stderr.flush()
    with open(block["stdout"], "wb") as out, open(block["stderr"], "wb") as err:
        os.dup2(out.fileno(), 1); os.dup2(err.fileno(), 2)
        try:
            exec(compile(block["code"], block["page"], "exec"), namespace)
            status = "ok"
        except BaseException as error:
            traceback.print_exception(type(error), error, error.__traceback__.tb_next)  # from the block's own frame
            status = "failed"
        sys.stdout.flush(); sys.stderr.flush()
    replies.write(status + "\\n"); replies.flush()
"""


class PythonSession:
    """One interpreter for a page's Python blocks, fed one block at a time."""

    def __init__(self, project: Path, scratch: Path, env: dict[str, str]):
        self.scratch = scratch
        self.log = (scratch / "python.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _DRIVER], cwd=project, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True
        )

    def run(self, block: Block) -> Result:
        out, err = self.scratch / f"{block.line}.out", self.scratch / f"{block.line}.err"
        # Blank lines before the code, so that a traceback gives the page's line numbers.
        request = {"code": "\n" * block.line + block.code, "page": block.page, "stdout": str(out), "stderr": str(err)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
        reply = self.process.stdout.readline().strip() if ready else "timeout"
        result = Result(block, _read(out), _read(err))
        if reply != "ok":
            self.close()
            log = _read(self.scratch / "python.log")
            result.failure = {"failed": "it raised an exception", "timeout": f"no end after {TIMEOUT} s"}.get(
                reply, f"Python exited: {log}"
            )
        return result

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def run_r(block: Block, project: Path, scratch: Path) -> Result:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return Result(block, failure="Rscript is missing; .ci/run installs r-base-core, r-cran-readr and r-cran-jsonlite")
    script = scratch / f"{block.line}.R"  # beside the copy, not in it
    script.write_text(block.code, encoding="utf-8")
    return _finished(block, [[rscript, str(script)]], project, environment(project, scratch))


def run_shell(block: Block, project: Path, env: dict[str, str]) -> Result:
    if not AIDSTATS.exists():
        return Result(block, failure=f"no aidstats entry point at {AIDSTATS}; pip install -e . in this environment")
    # This environment's entry point, by its path, whatever PATH holds.
    commands = [shlex.quote(str(AIDSTATS)) + command.removeprefix("aidstats") for command in block.commands()]
    return _finished(block, commands, project, env, shell=True)


def _finished(block: Block, commands: list, cwd: Path, env: dict[str, str], shell: bool = False) -> Result:
    """Run ``commands`` in turn, stopping at the first that fails; their output together is the block's."""
    result = Result(block)
    for command in commands:
        try:
            bash = shutil.which("bash") if shell else None
            done = subprocess.run(
                command,
                cwd=cwd,
                env=env,
                shell=shell,
                executable=bash,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            result.failure = f"no end after {TIMEOUT} s: {command}"
            return result
        result.stdout += done.stdout
        result.stderr += done.stderr
        if done.returncode != 0:
            result.failure = f"exit status {done.returncode}: {command if shell else ' '.join(command)}"
            return result
    return result


@dataclass
class PageRun:
    """A page's blocks run as a reader would, each once, when a test first asks for it (and those before it)."""

    blocks: list[Block]
    source: Path  # the project the copies are made from
    scratch: Path
    results: dict[Block, Result] = field(default_factory=dict)

    def __post_init__(self):
        self.project = self.scratch / "project"
        self.files = copy_project(self.source, self.project)
        self.env = environment(self.project, self.scratch)
        self.python: PythonSession | None = None
        self.broken: Block | None = None  # a Python block that failed: the names later ones need may be missing

    def result(self, block: Block) -> Result:
        if block not in self.blocks:
            return Result(block, failure=f"{block.page} changed while the tests ran; run them again")
        if block.language == R:
            scratch = self.scratch / f"r-{block.line}"
            copy = scratch / "project"
            files = copy_project(self.source, copy)
            return self._checked(run_r(block, copy, scratch), copy, files)
        for earlier in (b for b in self.blocks if b.runs and b.language != R):
            if earlier not in self.results:
                self.results[earlier] = self._run(earlier)
            if earlier == block:
                break
        return self.results[block]

    def _run(self, block: Block) -> Result:
        if block.language == SHELL:
            result = run_shell(block, self.project, self.env)
        elif self.broken is not None:
            return Result(block, failure=f"not run: the Python block at {self.broken} failed before it")
        else:
            if self.python is None:
                self.python = PythonSession(self.project, self.scratch, self.env)
            result = self.python.run(block)
            if result.failure:
                self.broken = block
        result = self._checked(result, self.project, self.files)
        self.files = fingerprint(self.project, self.files)  # the next block is held to what this one left
        return result

    @staticmethod
    def _checked(result: Result, project: Path, files: dict[str, str]) -> Result:
        """``result``, failed if the project's files changed or its output is not the expected."""
        changed = sorted(name for name, digest in files.items() if fingerprint(project, [name]).get(name) != digest)
        if result.failure is None and changed:
            result.failure = f"it changed or deleted files of the project: {', '.join(changed)}"
        expected = result.block.expected
        if result.failure is None and expected is not None and printed(result.stdout) != printed(expected):
            diff = difflib.unified_diff(printed(expected), printed(result.stdout), "expected (the text block)", "printed", lineterm="")
            result.failure = "it printed other than its text block says:\n" + "\n".join(diff)
        return result

    def close(self) -> None:
        if self.python is not None:
            self.python.close()
