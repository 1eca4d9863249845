"""Time the edit loop against a bare one-page Sphinx build measured in the same run.

Run from the repository root once the nox virtualenvs exist (`python3 -m nox`
creates them), with any Python 3.11+:

    python3 benchmarks/loop.py            # everything, several minutes
    python3 benchmarks/loop.py --quick    # the Sphinx builds only

What it times, each as wall-clock and as CPU time of the processes it starts
(CPU time is steadier on a shared machine):

- bare: a one-page Sphinx project with no extensions, built from scratch;
  the reference every ratio is taken against (median of five);
- clean: the whole site from scratch into a new folder (figures already drawn),
  on every core as `nox -s docs` builds it;
- no-op: the same build run again, nothing changed (median of three);
- one page: one page's modification time moved, then the build run again
  (median of three);
- one page, serve: the same edit rebuilt as `nox -s serve` rebuilds it, forked
  from a process that has already imported Sphinx and the extensions
  (docs/_ext/dmls_serve.py; median of three);
- tests, fast tests: `nox -s tests` and `nox -s tests -- -m "not slow"`;
- nox: `python3 -m nox`, the default sessions, with reused virtualenvs.

The targets (issue 10): one page <= 2x bare (checked for both ways of
rebuilding), clean <= 5x bare, nox <= 25 s.
Nothing in the working tree changes but the one page's modification time,
which is put back.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS_PYTHON = ROOT / ".nox" / "docs" / "bin" / "python"
EDITED_PAGE = ROOT / "docs" / "chapter-1" / "data.md"


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run *command*; return its wall-clock and CPU seconds (children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sphinx(*args: str, cwd: Path = ROOT) -> tuple[float, float]:
    return timed([str(DOCS_PYTHON), "-m", "sphinx", "-q", *args], cwd=cwd)


def bare(tmp: Path) -> tuple[float, float]:
    """A one-page project with no extensions, built from scratch three times."""
    project = tmp / "bare"
    project.mkdir()
    (project / "conf.py").write_text('project = "bare"\n')
    (project / "index.rst").write_text("Bare\n====\n\nOne page.\n")
    runs = [sphinx("-b", "html", ".", str(tmp / f"bare-{i}"), cwd=project) for i in range(5)]
    return median(runs)


def site_builds(tmp: Path) -> dict[str, tuple[float, float]]:
    out, doctrees = tmp / "site", tmp / "doctrees"
    # As `nox -s docs` runs it (noxfile.py, sphinx()), on every core.
    command = [
        "-b",
        "html",
        "-n",
        "-W",
        "-j",
        "auto",
        "-c",
        ".",
        "-d",
        str(doctrees),
        "docs",
        str(out),
    ]
    results = {"clean": sphinx(*command)}
    results["no-op"] = median([sphinx(*command) for _ in range(3)])
    status = EDITED_PAGE.stat()
    runs = []
    try:
        for _ in range(3):
            os.utime(EDITED_PAGE, ns=(status.st_atime_ns, time.time_ns()))
            runs.append(sphinx(*command))
    finally:
        os.utime(EDITED_PAGE, ns=(status.st_atime_ns, status.st_mtime_ns))
    results["one page"] = median(runs)
    results["one page, serve"] = forked_one_page(command)
    return results


#: Run in the docs virtualenv: preload as `nox -s serve` does, then time
#: three forked rebuilds after a one-page edit, wall-clock and CPU.
FORKED = """
import json, os, resource, sys, time
sys.path.insert(0, "docs/_ext")
import dmls_serve

dmls_serve.preload()
page, arguments = sys.argv[1], sys.argv[2:]
status = os.stat(page)
runs = []
try:
    for _ in range(3):
        os.utime(page, ns=(status.st_atime_ns, time.time_ns()))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        if dmls_serve.build(arguments) != 0:
            sys.exit("the forked build failed")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        runs.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
finally:
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
print(json.dumps(runs))
"""


def forked_one_page(command: list[str]) -> tuple[float, float]:
    arguments = [str(EDITED_PAGE), "-q", *command]
    done = subprocess.run(
        [str(DOCS_PYTHON), "-c", FORKED, *arguments],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return median([tuple(run) for run in json.loads(done.stdout)])


def median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def nox(*args: str) -> tuple[float, float]:
    return timed([sys.executable, "-m", "nox", *args])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="time the Sphinx builds only")
    options = parser.parse_args()
    if not DOCS_PYTHON.exists():
        sys.exit(f"{DOCS_PYTHON} is missing: run `python3 -m nox -s docs` first")

    with tempfile.TemporaryDirectory() as tmp:
        reference = bare(Path(tmp))
        results = site_builds(Path(tmp))
    if not options.quick:
        results["fast tests"] = nox("-s", "tests", "--", "-m", "not slow", "-q")
        results["tests"] = nox("-s", "tests", "--", "-q")
        results["nox"] = nox()

    targets = {
        "one page": ("x", 2.0),
        "one page, serve": ("x", 2.0),
        "clean": ("x", 5.0),
        "nox": ("s", 25.0),
    }
    print(f"{'':15} {'wall s':>8} {'x bare':>7} {'cpu s':>8} {'x bare':>7}  target")
    rows = [("bare", reference), *results.items()]
    for name, (wall, cpu) in rows:
        ratios = f"{wall / reference[0]:7.1f} {cpu:8.2f} {cpu / reference[1]:7.1f}"
        line = f"{name:15} {wall:8.2f} {ratios}"
        if name in targets:
            unit, limit = targets[name]
            value = wall if unit == "s" else wall / reference[0]
            verdict = "met" if value <= limit else "MISSED"
            line += f"  <= {limit:g}{' s' if unit == 's' else 'x'} (wall): {verdict}"
        print(line)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f} at the end of the run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
