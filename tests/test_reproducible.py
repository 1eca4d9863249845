"""Two builds of one commit give byte-identical HTML, with Python alone.

conf.py takes its dates from the last commit and dmls_site takes each page's
date from git, so nothing in the output depends on when or where the build
ran, and neither needs SOURCE_DATE_EPOCH in the environment: the builds here
run without it. Each build here starts from scratch, with its own doctrees, and
with a PATH that holds only the virtualenv's programs and git: a build that
needed any other program (Graphviz's dot, LaTeX) would fail here.
"""

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def python_and_git_only(tmp_path: Path) -> str:
    """A PATH with the running Python's folder and a folder holding only git."""
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    git = tools / "git"
    if not git.exists():
        git.symlink_to(shutil.which("git"))
    return os.pathsep.join([str(Path(sys.executable).parent), str(tools)])


def build(outdir: Path, path: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PATH"] = path
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-c",
            ".",
            "-d",
            str(outdir / "doctrees"),
            "docs",
            str(outdir / "html"),
        ],
        cwd=ROOT,
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
def test_two_builds_are_byte_identical(tmp_path):
    path = python_and_git_only(tmp_path)
    build(tmp_path / "first", path)
    build(tmp_path / "second", path)
    assert differing(tmp_path / "first" / "html", tmp_path / "second" / "html") == []
