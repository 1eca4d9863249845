"""Shared by the tests: the docs extensions on the import path, and the
substitutions the pages quote, computed once per session (they run
simulations, so each call costs a fraction of a second)."""

import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

# `nox -s mutate` runs the tests under mutmut's tracing, several times
# slower, and wants every mutant to meet the same examples: no deadline, a
# fixed seed, no database of past failures.
settings.register_profile("mutate", deadline=None, derandomize=True, database=None)


@pytest.fixture(scope="session")
def numbers() -> dict[str, str]:
    import dmls_numbers

    return dmls_numbers.substitutions()
