"""Shared by the tests: the docs extensions on the import path, and the
substitutions the pages quote, computed once per session (they run
simulations, so each call costs a fraction of a second)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))


@pytest.fixture(scope="session")
def numbers() -> dict[str, str]:
    import dmls_numbers

    return dmls_numbers.substitutions()
