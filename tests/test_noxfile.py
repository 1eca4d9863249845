"""The noxfile's settings for the edit loop, read without importing it
(pytest must not import noxfile.py)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def constant(name: str):
    """A module-level constant of noxfile.py."""
    for node in ast.parse((ROOT / "noxfile.py").read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"noxfile.py has no {name}")


@pytest.mark.parametrize(
    "path",
    [
        "src/dmls_examples/__pycache__/batching.cpython-311.pyc",
        "docs/_ext/__pycache__/dmls_figures.cpython-311.pyc",
        "docs/_generated/figures/loss-curves-dark.svg",
        "docs/_generated/numbers.json",
        "src/dmls_examples.egg-info/PKG-INFO",
    ],
)
def test_serve_ignores_what_builds_and_imports_write(path):
    assert re.search(constant("SERVE_IGNORE"), f"/work/project/{path}")


@pytest.mark.parametrize(
    "path", ["docs/chapter-1/data.md", "src/dmls_examples/batching.py", "conf.py"]
)
def test_serve_watches_what_people_edit(path):
    assert not re.search(constant("SERVE_IGNORE"), f"/work/project/{path}")


def test_the_default_sessions_are_the_readme_test_command():
    sessions = None
    for node in ast.parse((ROOT / "noxfile.py").read_text()).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Attribute)
            and node.targets[0].attr == "sessions"
        ):
            sessions = ast.literal_eval(node.value)
    assert sorted(sessions) == ["docs", "doctest", "lint", "tests"]
