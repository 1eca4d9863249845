"""Two builds of one commit give byte-identical HTML, with Python alone, and
an incremental rebuild writes what a clean build writes.

conf.py takes its dates from the last commit and dmls_site takes each page's
date from git, so nothing in the output depends on when or where the build
ran, and neither needs SOURCE_DATE_EPOCH in the environment: the builds here
run without it. They run in a copy of the project, committed to a git
repository of its own, so the test never writes into the working tree; and
with a PATH that holds only the virtualenv's programs and git, so a build
that needed any other program (Graphviz's dot, LaTeX) would fail here.
"""

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMIT_DATE = "2024-05-06T07:08:09+00:00"


def python_and_git_only(tmp_path: Path) -> str:
    """A PATH with the running Python's folder and a folder holding only git."""
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    git = tools / "git"
    if not git.exists():
        git.symlink_to(shutil.which("git"))
    return os.pathsep.join([str(Path(sys.executable).parent), str(tools)])


def committed_copy(tmp_path: Path) -> Path:
    """The sources, configuration and package, committed on COMMIT_DATE."""
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "docs", project / "docs", ignore=ignore)
    shutil.copytree(ROOT / "src", project / "src", ignore=ignore)
    shutil.copy(ROOT / "conf.py", project / "conf.py")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")  # conf.py reads its URLs
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_DATE": COMMIT_DATE,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True)
    return project


def build(project: Path, outdir: Path, path: str, *, jobs: str = "auto") -> None:
    """Build *project*'s HTML as `nox -s docs` does, on every core unless *jobs* says."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PATH"] = path
    subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "-q", "-c", "."),
            *("-j", jobs),
            *("-d", str(outdir / "doctrees"), "docs", str(outdir / "html")),
        ],
        cwd=project,
        env=env,
        check=True,
    )


def differing(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = [f"{left.name}/{name}" for name in comparison.left_only + comparison.right_only]
    _, mismatch, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    found += [str(left / name) for name in mismatch + errors]
    for name in comparison.common_dirs:
        found += differing(left / name, right / name)
    return found


@pytest.mark.slow
def test_two_builds_are_byte_identical_and_rebuilds_match_them(tmp_path):
    project = committed_copy(tmp_path)
    path = python_and_git_only(tmp_path)
    build(project, tmp_path / "first", path)
    # The second on one core: pages read and written in parallel, in
    # whatever order the processes finish, must give the serial bytes.
    build(project, tmp_path / "second", path, jobs="1")
    assert differing(tmp_path / "first" / "html", tmp_path / "second" / "html") == []
    assert "2024-05-06" in (tmp_path / "first" / "html" / "search.html").read_text()
    # conf.py spares opengraph its matplotlib import; its tags must remain.
    page = (tmp_path / "first" / "html" / "chapter-1" / "data.html").read_text()
    assert '<meta property="og:description"' in page

    # Nothing changed: the rebuild must leave the site as a clean build has
    # it, search index included (Sphinx issue 12599, see dmls_searchindex).
    build(project, tmp_path / "first", path)
    assert differing(tmp_path / "first" / "html", tmp_path / "second" / "html") == []

    # Two pages read again, one of them the bibliography's: the kept
    # bibliography (dmls_lean) and the merged index give the clean result.
    for page in ("references.md", "chapter-1/computational-priorities.md"):
        (project / "docs" / page).touch()
    build(project, tmp_path / "first", path)
    assert differing(tmp_path / "first" / "html", tmp_path / "second" / "html") == []
