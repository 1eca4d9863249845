"""The doctest checks catch a wrong example.

Each test builds, with the project's own configuration and extensions, a
copy of the project whose one page is a small probe, never the real pages,
and runs the command the `doctest` nox session runs. A right example passes
and a wrong one fails the build; a wrong docstring example fails pytest's
doctest run.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from sphinx_builds import copy_for_one_page

PROBE = """\
# Probe

```{testsetup}
from dmls_examples.batching import batch_throughput
```

```{doctest}
>>> batch_throughput(50, 20)
2500.0
```
"""


def sphinx_doctest(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-b", "doctest", "-n", "-W", "-q", "-c", "."),
            *("-D", "root_doc=probe", "-d", "build/doctrees", "docs", "build/doctest"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_wrong_page_example_fails_the_build(tmp_path):
    wrong = PROBE.replace("2500.0", "2501.0")
    project = copy_for_one_page(tmp_path, "probe.md", wrong)

    result = sphinx_doctest(project)

    assert result.returncode != 0
    report = (project / "build" / "doctest" / "output.txt").read_text()
    assert "1 failure in tests" in report
    assert "2501.0" in report


@pytest.mark.slow
def test_right_page_example_passes(tmp_path):
    """The control: the copy itself is sound, so the failure above is the edit."""
    project = copy_for_one_page(tmp_path, "probe.md", PROBE)
    result = sphinx_doctest(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in (project / "build" / "doctest" / "output.txt").read_text()


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
