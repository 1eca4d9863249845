"""A figure is redrawn only when its own inputs change.

docs/_ext/dmls_figures.py digests, for each figure, its function, the helpers
and constants it uses, the package modules whose names it uses (and their own
package imports), the extension itself and the library versions. These tests
edit copies of the sources and check which digests move.
"""

import re
import shutil
from pathlib import Path

import dmls_figures
import pytest

import dmls_examples

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "docs" / "_figures"
PACKAGE = Path(dmls_examples.__file__).parent


@pytest.fixture
def sources(tmp_path):
    """Copies of the figure modules and the package, to edit."""
    shutil.copytree(FIGURES, tmp_path / "_figures")
    shutil.copytree(PACKAGE, tmp_path / "dmls_examples", ignore=shutil.ignore_patterns("__py*"))
    return tmp_path


def digests(sources: Path) -> dict[str, str]:
    found = {}
    for module in sorted((sources / "_figures").glob("*.py")):
        found.update(dmls_figures.figure_inputs(module, package=sources / "dmls_examples"))
    return found


def changed(before: dict, after: dict) -> set[str]:
    assert before.keys() == after.keys()
    return {name for name in before if before[name] != after[name]}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name} no longer has {old!r}"
    path.write_text(text.replace(old, new, 1))


def add_code_before(path: Path, definition: str) -> None:
    """Add a statement to *path*, just before *definition*."""
    edit(path, definition, f"X = 1\n\n\n{definition}")


def test_every_figure_drawn_is_one_a_page_shows(sources):
    """Each figure module draws exactly the figures the pages place, no more."""
    shown = set()
    for page in (ROOT / "docs").rglob("*.md"):
        shown.update(re.findall(r"^:::+\{dmls-figure\} (\S+)", page.read_text(), re.MULTILINE))
    assert "iterative-process" in shown
    assert set(digests(sources)) == shown


def test_comments_docstrings_and_layout_redraw_nothing(sources):
    before = digests(sources)
    for path in [*(sources / "dmls_examples").glob("*.py"), *(sources / "_figures").glob("*.py")]:
        text = path.read_text()
        path.write_text("# An added comment.\n\n\n" + text.replace("\n\n\n", "\n\n\n\n"))
    edit(sources / "dmls_examples" / "batching.py", '"""', '"""A reworded docstring. ')
    assert changed(before, digests(sources)) == set()


def test_a_module_no_figure_uses_redraws_nothing(sources):
    before = digests(sources)
    edit(
        sources / "dmls_examples" / "versioning.py", "def fingerprint", "X = 1\n\n\ndef fingerprint"
    )
    assert changed(before, digests(sources)) == set()


def test_a_package_module_redraws_the_figures_that_use_it(sources):
    before = digests(sources)
    edit(
        sources / "dmls_examples" / "capacity.py",
        "def replicas_needed",
        "X = 1\n\n\ndef replicas_needed",
    )
    assert changed(before, digests(sources)) == {"capacity-plan"}


def test_a_module_imported_by_the_package_counts_too(sources):
    before = digests(sources)
    add_code_before(sources / "dmls_examples" / "latency.py", "def percentiles")
    # sketch imports latency: the figure drawn with the sketch depends on it too.
    assert changed(before, digests(sources)) == {"latency-distribution", "sketch-error"}


def test_the_datasets_redraw_the_figures_that_read_them(sources):
    before = digests(sources)
    edit(sources / "dmls_examples" / "datasets.py", "seed=7", "seed=8")
    moved = changed(before, digests(sources))
    assert {"latency-distribution", "sketch-error", "capacity-plan", "objective-blend"} <= moved
    assert not moved & {"loss-curves", "deployment-time", "iterative-process"}


def test_editing_one_figure_redraws_only_it(sources):
    before = digests(sources)
    edit(sources / "_figures" / "computational_priorities.py", '"requests"', '"requests "')
    assert changed(before, digests(sources)) == {"latency-distribution"}


def test_a_shared_helper_redraws_the_figures_that_call_it(sources):
    before = digests(sources)
    step_box_fill = 'palette["page"], 0.14)'
    edit(sources / "_figures" / "iterative_process.py", step_box_fill, 'palette["page"], 0.2)')
    assert changed(before, digests(sources)) == {"iterative-process"}
    before = digests(sources)
    edit(sources / "_figures" / "business_and_ml_objectives.py", "fontsize=10)", "fontsize=11)")
    assert changed(before, digests(sources)) == {"deployment-time"}


@pytest.mark.slow
def test_drawing_only_what_changed(tmp_path, sources):
    """A second pass draws nothing; an edit draws just the figure it touches."""
    outdir = tmp_path / "out"
    built = ROOT / "docs" / "_generated" / "figures"
    if built.is_dir():  # figures the docs build drew: up to date, or drawn now
        shutil.copytree(built, outdir)
    package = sources / "dmls_examples"
    dmls_figures.draw_outdated(sources, outdir, package=package)
    assert dmls_figures.draw_outdated(sources, outdir, package=package) == []
    edit(sources / "_figures" / "framing_ml_problems.py", "ax.set_ylim(0, 5)", "ax.set_ylim(0, 6)")
    assert dmls_figures.draw_outdated(sources, outdir, package=package) == ["loss-curves"]
    assert (outdir / "loss-curves-dark.svg").exists()
