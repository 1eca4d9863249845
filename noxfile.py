"""Every task a reader or contributor runs. `nox` alone runs the default set.

Each session installs its dependency group from pyproject.toml, with the
versions pinned in constraints.txt, into a virtualenv that is reused between
runs. Sphinx builds keep their doctrees apart, under build/doctrees/<builder>,
and run with -n -W: a warning is an error.
"""

from __future__ import annotations

import sys

# Checked before anything else, so an old Python gets this line and not a
# resolver error from deep inside an install.
if sys.version_info < (3, 11):  # noqa: UP036 (nox may run on any Python)
    sys.exit(
        f"dmls-notes needs Python 3.11 or newer; this is Python {sys.version.split()[0]}. "
        "Run nox with a newer python3."
    )

import collections
import hashlib
import os
import re
import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml("pyproject.toml")
CONSTRAINTS = ("-c", "constraints.txt")

#: Debian packages the PDF needs (xelatex, latexmk, fonts, and make, which
#: runs the LaTeX build Sphinx writes).
TEX_PACKAGES = (
    "latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended "
    "texlive-xetex fonts-freefont-otf tex-gyre fonts-texgyre-math make"
)

#: The Chromium the browser tests drive (tests/browser/conftest.py).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
# docs before tests: the tests that build copy the figures and numbers the
# docs build leaves in docs/_generated/, instead of drawing them again.
nox.options.sessions = ["lint", "docs", "tests", "doctest"]


#: Checks, in the tests-lowest virtualenv, that each requirement given as an
#: argument is installed at exactly its lower bound, so the tests that follow
#: test the claim and not some later version the resolver had to pick.
AT_LOWER_BOUNDS = """
import sys
from importlib.metadata import version
from packaging.requirements import Requirement
from packaging.version import Version

wrong = []
for requirement in map(Requirement, sys.argv[1:]):
    for bound in requirement.specifier:
        installed = version(requirement.name)
        if bound.operator == ">=" and Version(installed) != Version(bound.version):
            wrong.append(f"{requirement.name} {installed} (bound {bound.version})")
if wrong:
    sys.exit("not at their lower bounds, raise them: " + ", ".join(wrong))
print(f"all {len(sys.argv) - 1} requirements at their lower bounds")
"""

#: sphinx-autobuild rebuilds on any change under docs/, conf.py and src/
#: except these: files that a build or an import writes, which would
#: otherwise set off a second build after every first one.
SERVE_IGNORE = r"/__pycache__/|\.pyc$|\.egg-info/|/docs/_generated/|/\.hypothesis/"


def install(
    session: nox.Session, group: str, *, project: bool = True, lowest: bool = False
) -> None:
    """Install a dependency group (and the package) at the pinned versions.

    With *lowest*, install instead the lowest versions that pyproject.toml
    allows for the package's and the group's own requirements (uv's
    lowest-direct resolution), unpinned.

    A reused virtualenv that already has exactly this is left alone: the
    install is skipped unless pyproject.toml, constraints.txt or the
    package's version changed since it ran (nox's --no-install, automatic).
    """
    inputs = [group, str(project), str(lowest), "bytecode"]
    for path in ("pyproject.toml", "constraints.txt", "src/dmls_examples/__init__.py"):
        inputs.append((ROOT / path).read_text())
    wanted = hashlib.sha256("\0".join(inputs).encode()).hexdigest()
    location = getattr(session.virtualenv, "location", None)
    stamp = Path(location) / ".dmls-installed" if location else None
    if stamp and stamp.is_file() and stamp.read_text() == wanted:
        session.log(f"{group}: installed and unchanged, skipping the install")
        return
    requirements = nox.project.dependency_groups(PYPROJECT, group)
    # Compile the bytecode once, at install, as pip does: uv leaves it to the
    # first import, and where PYTHONDONTWRITEBYTECODE is set, to every import.
    session.env["UV_COMPILE_BYTECODE"] = "1"
    if lowest:
        # Wheels only: a bound that names a version without a wheel for this
        # Python would otherwise mean minutes of compiling, or a failure.
        direct = [*PYPROJECT["project"]["dependencies"], *requirements]
        session.install("--resolution=lowest-direct", "--no-build", *direct)
        session.install("--no-deps", "-e", ".")
        report = session.run("python", "-c", AT_LOWER_BOUNDS, *direct, silent=True)
        if report is not None:  # None under nox --install-only, which skips the check
            session.log(report.strip())
    else:
        session.install(*CONSTRAINTS, *requirements)
        if project:
            session.install(*CONSTRAINTS, "-e", ".")
    if stamp:
        stamp.write_text(wanted)


def require_debian(session: nox.Session, programs: dict[str, str], what: str) -> None:
    """Stop *session* with one line if a program it needs is missing.

    *programs* maps each program the session runs (a name on PATH or a full
    path) to the Debian packages that install it. If any is missing, the line
    names them and the apt-get command for *what*, so a reader without them
    gets that and not a page of failed tests.
    """
    missing = {program: needs for program, needs in programs.items() if not shutil.which(program)}
    if missing:
        *others, last = missing
        names = f"{', '.join(others)} and {last}" if others else last
        packages = " ".join(dict.fromkeys(missing.values()))
        session.error(
            f"{names} not found; install {what} with: "
            f"sudo apt-get install --no-install-recommends {packages}"
        )


def sphinx(
    session: nox.Session, builder: str, *extra: str, posargs_to_sphinx: bool = True
) -> Path | None:
    """Run sphinx-build for *builder* with -n -W; return its output folder.

    Under `nox --install-only` nothing is built and the result is None, so
    that a session stops there instead of reading what a build would write.

    The session's arguments after `--` go to sphinx-build unless the session
    hands them to pytest (*posargs_to_sphinx* false): `-k name` would stop a
    build.

    conf.py takes the dates the HTML, the PDF and the EPUB print from the
    last commit, so the output does not depend on the day of the build.

    Pages are read (and, for the HTML, written) on every core: a build from
    scratch takes about a fifth less time on two. A rebuild that reads fewer
    than a dozen pages runs in one process, where it is faster
    (docs/_ext/dmls_lean.py). The output is the same byte for byte
    (tests/site/test_reproducible.py builds this way).
    """
    outdir = BUILD / builder
    built = session.run(
        "sphinx-build",
        "-b",
        builder,
        "-n",
        "-W",
        "--keep-going",
        "-j",
        "auto",
        "-c",
        ".",
        "-d",
        str(BUILD / "doctrees" / builder),
        *extra,
        *(session.posargs if posargs_to_sphinx else ()),
        "docs",
        str(outdir),
    )
    return outdir if built is not None else None


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    install(session, "lint", project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the unit, property and build tests with pytest, on every core.

    For the fast loop, skip the tests that build the site:
    `nox -s tests -- -m "not slow"`. The browser and output checks have
    sessions of their own and are never collected here.
    """
    install(session, "tests")
    # pytest caches each test module with its asserts rewritten, as bytecode;
    # where PYTHONDONTWRITEBYTECODE is set it rewrites all of them in every
    # worker on every run (6 of the run's 68 CPU-seconds). Empty means unset.
    session.env["PYTHONDONTWRITEBYTECODE"] = ""
    session.run("pytest", "-n", "auto", "--dist", "loadscope", *session.posargs)


@nox.session(name="tests-lowest", venv_backend="uv")
def tests_lowest(session: nox.Session) -> None:
    """Run the fast tests with the lowest versions pyproject.toml allows.

    A lower bound such as numpy>=1.23 is a claim; this session checks it.
    """
    install(session, "tests", lowest=True)
    session.run(
        "pytest", "-n", "auto", "-m", "not slow", "-p", "no:cacheprovider", *session.posargs
    )


@nox.session
def doctest(session: nox.Session) -> None:
    """Run every example: the pages' {doctest} blocks and the docstrings."""
    install(session, "doctest")
    outdir = sphinx(session, "doctest")
    if outdir is None:
        return
    summary = re.search(r"^\s*(\d+) tests?$", (outdir / "output.txt").read_text(), re.M)
    session.log(f"pages: {summary.group(1)} examples ran, all passed")
    session.run(
        "pytest",
        "--doctest-modules",
        "-p",
        "no:cacheprovider",
        "-o",
        "testpaths=",
        "src/dmls_examples",
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site into build/html."""
    install(session, "docs")
    if outdir := sphinx(session, "html"):
        session.log(f"open {outdir / 'index.html'}")


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the PDF with xelatex through latexmk into build/dmls-notes.pdf."""
    require_debian(session, dict.fromkeys(("latexmk", "xelatex", "make"), TEX_PACKAGES), "TeX")
    install(session, "docs")
    outdir = sphinx(session, "latex")
    if outdir is None:
        return
    session.run("make", "-C", str(outdir), "LATEXMKOPTS=-silent", external=True)
    target = BUILD / "dmls-notes.pdf"
    shutil.copyfile(outdir / "dmls-notes.pdf", target)
    session.log(f"PDF: {target}")


@nox.session
def epub(session: nox.Session) -> None:
    """Build the EPUB into build/epub."""
    install(session, "docs")
    # The EPUB packs every file in its folder: start empty, so nothing stale
    # from an earlier build ends up in the book.
    shutil.rmtree(BUILD / "epub", ignore_errors=True)
    if outdir := sphinx(session, "epub"):
        session.log(f"EPUB: {outdir / 'dmls-notes.epub'}")


@nox.session
def notebooks(session: nox.Session) -> None:
    """Build the HTML, then run every page's notebook top to bottom with nbclient."""
    install(session, "notebooks")
    outdir = sphinx(session, "html")
    session.run("python", "docs/_ext/dmls_notebooks.py", "run", str(outdir))


@nox.session
def browser(session: nox.Session) -> None:
    """Build the HTML, then test every page in Debian's Chromium.

    One Chromium per core; each page's tests stay on one of them, which
    loads the page once per view (tests/browser/conftest.py).
    """
    require_debian(session, {CHROMIUM: "chromium"}, "Chromium")
    install(session, "browser-and-docs")
    sphinx(session, "html", posargs_to_sphinx=False)
    session.run(
        "pytest",
        "-n",
        "auto",
        "--dist",
        "loadgroup",
        "-m",
        "browser",
        "tests/browser",
        *session.posargs,
    )


@nox.session
def outputs(session: nox.Session) -> None:
    """Check the PDF and EPUB that `nox -s pdf epub` built; the EPUB's pages
    are rendered in Debian's Chromium, as a web-engine reader renders them."""
    tools = {
        "pdftotext": "poppler-utils",
        "pdffonts": "poppler-utils",
        "epubcheck": "epubcheck",
        CHROMIUM: "chromium",
    }
    require_debian(session, tools, "them")
    install(session, "outputs", project=False)
    session.run("pytest", "-m", "outputs", "tests/outputs")


@nox.session
def reproducible(session: nox.Session) -> None:
    """Build the whole site twice from scratch: byte-identical, rebuilds included.

    Two clean builds take half a minute, too long for the default sessions'
    loop; CI runs this session (.ci/run).
    """
    install(session, "doctest")  # the docs toolchain and pytest
    session.run("pytest", "-p", "no:cacheprovider", "tests/site", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on edits to docs/, conf.py and src/.

    sphinx-autobuild, run by docs/_ext/dmls_serve.py: Sphinx and the
    extensions are imported once, and each rebuild is forked from that
    process instead of starting Python again, which takes about half as long
    after a one-page edit (benchmarks/loop.py).
    """
    install(session, "serve")
    session.run(
        "python",
        "docs/_ext/dmls_serve.py",
        "-n",
        "-W",
        "-j",
        "auto",
        "-c",
        ".",
        "-d",
        str(BUILD / "doctrees" / "serve"),
        "--watch",
        "conf.py",
        "--watch",
        "src",
        "--re-ignore",
        SERVE_IGNORE,
        *session.posargs,
        "docs",
        str(BUILD / "serve"),
    )


@nox.session
def mutate(session: nox.Session) -> None:
    """Mutation testing with mutmut: how many small bugs in src/ the tests catch.

    mutmut works in a copy under mutants/ (git ignores it) and resumes an
    interrupted run; `nox -s mutate -- <pattern>` reruns matching mutants.
    `mutmut results` and `mutmut show <name>` (in this session's venv) list
    and show the survivors.
    """
    install(session, "mutate")
    # The contract test's examples are fixed by the seed; fewer keep a run
    # of hundreds of mutants to minutes.
    session.env["DMLS_CONTRACT_EXAMPLES"] = "20"
    session.run("mutmut", "run", *session.posargs)
    # A run limited to some mutants (`-- "dmls_examples.sketch*"`) leaves the
    # others unchecked: score what was checked, and say how much was not.
    listing = session.run("mutmut", "results", "--all", "true", silent=True)
    if listing is None:  # nox --install-only
        return
    rows = mutation_table(listing)
    session.log("mutation score by module (README.md, Benchmarks):\n" + rows)


#: How `mutmut results --all true` words each outcome, as this table counts it.
MUTANT_OUTCOMES = {
    "killed": "caught",
    "timeout": "caught",
    "survived": "survived",
    "suspicious": "survived",
    "no tests": "survived",
    "segfault": "survived",
    "not checked": "not checked",
    "skipped": "skipped",
}


def mutation_table(listing: str) -> str:
    """A Markdown table of mutants caught, survived and unchecked, per module.

    *listing* is `mutmut results --all true`: one "name: outcome" a line,
    where the name is the module's dotted path, then the mutated function.
    """
    counts: dict[str, collections.Counter] = {}
    for line in listing.splitlines():
        name, _, outcome = line.strip().rpartition(": ")
        if name:
            module = name.rsplit(".", 1)[0].removeprefix("dmls_examples.")
            counts.setdefault(module, collections.Counter())[MUTANT_OUTCOMES[outcome]] += 1
    total = sum(counts.values(), collections.Counter())

    def row(label: str, count: collections.Counter) -> str:
        caught, survived = count["caught"], count["survived"]
        return f"| {label} | {caught + survived} | {caught} | {survived} | {count['not checked']} |"

    lines = [
        "| module | checked | caught | survived | not checked |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(row(f"`{module}`", count) for module, count in sorted(counts.items())),
        row("all", total),
    ]
    checked = total["caught"] + total["survived"]
    score = 100 * total["caught"] / max(checked, 1)
    return "\n".join(lines) + f"\n\n{total['caught']} of {checked} checked caught ({score:.1f}%)"
