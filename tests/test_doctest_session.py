"""The doctest checks catch a wrong example.

Each test breaks one example in a temporary copy of the project, never in
the real pages, and runs the same command the `doctest` nox session runs.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = Path("docs/chapter-1/computational-priorities.md")


@pytest.fixture
def project_copy(tmp_path):
    copy = tmp_path / "project"
    # Figures already drawn are reused (their fingerprint matches): faster.
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "conf.py", copy / "conf.py")
    return copy


def sphinx_doctest(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-b", "doctest", "-n", "-W", "-q", "-c", "."),
            *("-d", "build/doctrees", "docs", "build/doctest"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_wrong_page_example_fails_the_build(project_copy):
    page = project_copy / PAGE
    text = page.read_text()
    right = ">>> batch_throughput(50, 20)\n2500.0\n"
    assert right in text, "the page no longer has the example this test breaks"
    page.write_text(text.replace(right, ">>> batch_throughput(50, 20)\n2501.0\n"))

    result = sphinx_doctest(project_copy)

    assert result.returncode != 0
    report = (project_copy / "build" / "doctest" / "output.txt").read_text()
    assert "1 failure in tests" in report
    assert "2501.0" in report


@pytest.mark.slow
def test_unchanged_copy_passes(project_copy):
    """The control: the copy itself is sound, so the failure above is the edit."""
    result = sphinx_doctest(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_wrong_docstring_example_fails_pytest(tmp_path):
    module = tmp_path / "wrong_example.py"
    module.write_text(
        'def double(x):\n    """Twice x.\n\n    >>> double(2)\n    5\n    """\n    return 2 * x\n'
    )
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "--doctest-modules", "-p", "no:cacheprovider"),
            *("-q", "-o", "testpaths=", str(module)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "1 failed" in result.stdout
