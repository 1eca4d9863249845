"""Shared by the tests: the docs extensions on the import path, the
substitutions the pages quote, computed once per session (they run
simulations, so each call costs a fraction of a second), and hypothesis's
settings profiles."""

import os
import sys
import threading
from pathlib import Path

import pytest

try:  # the browser and output sessions install no hypothesis
    from hypothesis import settings
except ImportError:
    settings = None
else:
    # Two profiles, chosen with HYPOTHESIS_PROFILE. "ci", which .ci/run
    # selects, tries hypothesis's full 100 examples a property; "dev", the
    # default for a contributor's `nox`, tries 10, enough to catch a broken
    # invariant in seconds, while failures hypothesis found before are
    # replayed from its database (.hypothesis/) in either profile. Neither
    # has a per-example deadline: a deadline measures the machine, not the
    # code, and on a loaded machine or with tests running in parallel a
    # correct example can take seconds.
    settings.register_profile("ci", deadline=None)
    settings.register_profile("dev", deadline=None, max_examples=10)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
    # `nox -s mutate` runs the tests under mutmut's tracing, several times
    # slower, and wants every mutant to meet the same examples: a fixed
    # seed, no database of past failures.
    settings.register_profile("mutate", deadline=None, derandomize=True, database=None)


def _fork_safe_for_mutmut() -> None:
    """Keep the tests from hanging in the processes mutmut forks.

    mutmut runs each mutant's tests in a process forked from one that has
    already run the whole suite. Two libraries leave state there that a fork
    breaks: Dask's threaded scheduler keeps a pool whose threads do not come
    through the fork, so a computation waits for ever; tqdm guards its bars
    with a multiprocessing lock that every forked process shares, so one
    process stopped at its timeout while holding it blocks all that follow.
    A mutant that hangs this way is counted as caught by its timeout, which
    would make the score a lie. Here Dask computes in the calling thread and
    tqdm takes a lock of its own per process; neither changes a result.
    """
    try:
        import dask
    except ImportError:
        pass
    else:
        dask.config.set(scheduler="synchronous")
    try:
        from tqdm import tqdm
    except ImportError:
        pass
    else:
        tqdm.set_lock(threading.RLock())
        tqdm.monitor_interval = 0


if "MUTANT_UNDER_TEST" in os.environ:  # set by mutmut, in its own process too
    _fork_safe_for_mutmut()

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_ext"))


@pytest.fixture(scope="session")
def numbers() -> dict[str, str]:
    import dmls_numbers

    return dmls_numbers.substitutions()


# -- Tests never write into the working tree's docs/ ---------------------------
# Tests that build the site build a copy of it in a temporary folder. This
# check compares docs/ before and after the whole run (on the controller when
# pytest-xdist runs workers) and fails the run if a test wrote there.

DOCS = ROOT / "docs"
_DOCS_BEFORE = pytest.StashKey[dict]()


def _docs_files() -> dict[str, tuple[int, int]]:
    files = {}
    for path in DOCS.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            status = path.stat()
            files[path.relative_to(ROOT).as_posix()] = (status.st_mtime_ns, status.st_size)
    return files


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):
        session.config.stash[_DOCS_BEFORE] = _docs_files()


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_DOCS_BEFORE, None)
    if before is None:
        return
    after = _docs_files()
    touched = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    if touched:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            shown = ", ".join(touched[:5]) + (" ..." if len(touched) > 5 else "")
            reporter.write_line(f"tests wrote into docs/: {shown}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
