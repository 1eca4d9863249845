"""Sphinx builds the tests run: a one-page copy of the site, and a small
project built again in the same process."""

import re
import shutil
from io import StringIO
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def copy_for_one_page(tmp_path: Path, page: str, text: str | None = None) -> Path:
    """A copy of the project that builds only *page* (path under docs/).

    The copy holds the configuration, the extensions, the figure code and
    what the build generated (figures, numbers), the bibliography, and the
    page itself, with *text* in place of its own if given. Build it with
    ``-D root_doc=<page without .md>``: the page is then the whole site.
    Building one page instead of the site keeps a build test to seconds.
    """
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "conf.py", project / "conf.py")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")  # conf.py reads its URLs
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("_ext", "_figures", "_static", "_templates", "_generated"):
        if (DOCS / folder).is_dir():
            shutil.copytree(DOCS / folder, project / "docs" / folder, ignore=ignore)
    shutil.copy(DOCS / "references.bib", project / "docs" / "references.bib")
    target = project / "docs" / page
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text if text is not None else (DOCS / page).read_text())
    return project


class Built(NamedTuple):
    """What a build in this process left: its output folder, what it printed
    (without colours), its warnings, which ``-W`` would make errors, and its
    status code."""

    outdir: Path
    status: str
    warnings: str
    statuscode: int


def build_in_process(
    srcdir: Path,
    builder: str = "html",
    *,
    builddir: Path | None = None,
    fresh: bool = False,
    parallel: int = 0,
) -> Built:
    """Build the Sphinx project in *srcdir* in this process (a subprocess
    costs seconds), into *builddir* (default ``srcdir/_build``), keeping the
    environment of an earlier build unless *fresh*, on *parallel* processes
    if more than 0."""
    from sphinx.testing.util import SphinxTestApp

    status, warnings = StringIO(), StringIO()
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        builddir=builddir,
        status=status,
        warning=warnings,
        freshenv=fresh,
        parallel=parallel,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    printed = re.sub(r"\x1b\[[\d;]*m", "", status.getvalue())
    return Built(Path(app.outdir), printed, warnings.getvalue(), app.statuscode)
