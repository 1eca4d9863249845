"""Site details: each page's "last updated" date comes from git.

The date is that of the last commit that touched the page's source, so two
builds of one commit print the same dates, whatever day they run. Outside a
git checkout the page keeps Sphinx's own date, which honours
SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sphinx.application import Sphinx


def _git_dates(srcdir: Path) -> dict[str, str]:
    """Map each file under *srcdir* (relative path) to its last commit date."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=srcdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", "."],
            cwd=srcdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith("\0"):
            date = line[1:]
        elif line:
            path = (Path(top) / line).resolve()
            try:
                relative = path.relative_to(srcdir.resolve()).as_posix()
            except ValueError:
                continue
            dates.setdefault(relative, date)  # the log is newest first
    return dates


def _on_builder_inited(app: Sphinx) -> None:
    app.builder._dmls_git_dates = _git_dates(Path(app.srcdir))


def _on_page_context(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if doctree is None:
        return
    source = Path(app.env.doc2path(pagename, base=False)).as_posix()
    date = getattr(app.builder, "_dmls_git_dates", {}).get(source)
    if date:
        context["last_updated"] = date


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
