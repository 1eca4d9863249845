"""Every task a reader or contributor runs. `nox` alone runs the default set.

Each session installs its dependency group from pyproject.toml, with the
versions pinned in constraints.txt, into a virtualenv that is reused between
runs. Sphinx builds keep their doctrees apart, under build/doctrees/<builder>,
and run with -n -W: a warning is an error.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build"
PYPROJECT = nox.project.load_toml("pyproject.toml")
CONSTRAINTS = ("-c", "constraints.txt")

#: Debian packages the PDF needs (xelatex, latexmk, fonts).
TEX_PACKAGES = (
    "latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended "
    "texlive-xetex fonts-freefont-otf tex-gyre"
)

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "doctest", "docs"]


def install(session: nox.Session, group: str, *, project: bool = True) -> None:
    """Install a dependency group (and the package) at the pinned versions."""
    requirements = nox.project.dependency_groups(PYPROJECT, group)
    session.install(*CONSTRAINTS, *requirements)
    if project:
        session.install(*CONSTRAINTS, "-e", ".")


def require_graphviz(session: nox.Session) -> None:
    """Diagrams need Graphviz's dot; stop with the package to install."""
    if shutil.which("dot") is None:
        session.error("Graphviz's dot not found; install it with: sudo apt-get install graphviz")


def sphinx(session: nox.Session, builder: str, *extra: str) -> Path:
    """Run sphinx-build for *builder* with -n -W; return its output folder.

    conf.py sets SOURCE_DATE_EPOCH from the last commit, so the output does
    not depend on the day of the build.
    """
    if builder != "doctest":
        require_graphviz(session)
    outdir = BUILD / builder
    session.run(
        "sphinx-build",
        "-b",
        builder,
        "-n",
        "-W",
        "--keep-going",
        "-c",
        ".",
        "-d",
        str(BUILD / "doctrees" / builder),
        *extra,
        *session.posargs,
        "docs",
        str(outdir),
    )
    return outdir


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    install(session, "lint", project=False)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the unit, property and build tests with pytest."""
    install(session, "tests")
    session.run("pytest", *session.posargs)


@nox.session
def doctest(session: nox.Session) -> None:
    """Run every example: the pages' {doctest} blocks and the docstrings."""
    install(session, "doctest")
    outdir = sphinx(session, "doctest")
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
    outdir = sphinx(session, "html")
    session.log(f"open {outdir / 'index.html'}")


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the PDF with xelatex through latexmk into build/dmls-notes.pdf."""
    missing = [tool for tool in ("latexmk", "xelatex") if shutil.which(tool) is None]
    if missing:
        session.error(
            f"{' and '.join(missing)} not found; install TeX with: "
            f"sudo apt-get install --no-install-recommends {TEX_PACKAGES}"
        )
    install(session, "docs")
    outdir = sphinx(session, "latex")
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
    outdir = sphinx(session, "epub")
    session.log(f"EPUB: {outdir / 'dmls-notes.epub'}")


@nox.session
def browser(session: nox.Session) -> None:
    """Build the HTML, then test every page in Debian's Chromium."""
    install(session, "browser-and-docs")
    sphinx(session, "html")
    session.run("pytest", "-m", "browser", "tests/browser")


@nox.session
def outputs(session: nox.Session) -> None:
    """Check the PDF and EPUB that `nox -s pdf epub` built."""
    install(session, "outputs", project=False)
    session.run("pytest", "-m", "outputs", "tests/outputs")


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on edits to docs/, conf.py and src/."""
    install(session, "serve")
    require_graphviz(session)
    session.run(
        "sphinx-autobuild",
        "-n",
        "-W",
        "-c",
        ".",
        "-d",
        str(BUILD / "doctrees" / "serve"),
        "--watch",
        "conf.py",
        "--watch",
        "src",
        "--ignore",
        "docs/_generated/*",
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
    session.run("mutmut", "export-cicd-stats", silent=True)
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    tested = stats["total"] - stats["skipped"]
    caught = stats["killed"] + stats["timeout"]
    session.log(f"mutation score: {caught}/{tested} mutants caught ({100 * caught / tested:.1f}%)")
