"""Time the full HTML build against a bare Sphinx build of one empty page.

Run: python benchmarks/html_build.py from the repository root, in the docs
nox venv (`nox -s docs` creates it; it is reused between runs):

    .nox/docs/bin/python benchmarks/html_build.py

Three builds are timed, each in a fresh output folder: a bare one-page
Sphinx project with no extensions (the reference: Sphinx's own start-up
cost), the site from scratch (no doctrees, figures already drawn), and the
site again with its doctrees kept (what an edit-and-rebuild costs).
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sphinx", "-q", *args], cwd=cwd, check=True)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bare = tmp / "bare"
        bare.mkdir()
        (bare / "conf.py").write_text('project = "bare"\n')
        (bare / "index.rst").write_text("Bare\n====\n\nOne page.\n")
        reference = timed_build(["-b", "html", ".", str(tmp / "bare-out")], bare)

        out, doctrees = tmp / "site", tmp / "doctrees"
        common = ["-b", "html", "-n", "-W", "-c", ".", "-d", str(doctrees), "docs", str(out)]
        full = timed_build(common, ROOT)
        shutil.rmtree(out)
        rebuild = timed_build(common, ROOT)

    pages = len(list((ROOT / "docs").rglob("*.md")))
    print(f"bare Sphinx, 1 page:         {reference:6.2f} s  (reference)")
    print(f"site from scratch, {pages:2d} pages: {full:6.2f} s  ({full / reference:5.1f}x)")
    print(f"site, doctrees reused:       {rebuild:6.2f} s  ({rebuild / reference:5.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
