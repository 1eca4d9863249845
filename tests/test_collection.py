"""Collecting the tests stays cheap.

Every pytest worker imports every test module before it runs a test, so a
library imported at a module's top costs each worker its import time,
whichever tests that worker runs: scikit-learn, scipy.stats and dask.dataframe
cost a second or more each. Tests that cross-check against them import them
inside the test, or through a fixture.
"""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

#: Libraries that take about a second or more to import, and that only some
#: tests use.
HEAVY = ("dask", "distributed", "matplotlib", "pandas", "scipy", "sklearn")


def top_level_imports(path: Path) -> list[str]:
    """The modules *path* imports at its top level, outside any function."""
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            if getattr(call.func, "attr", None) == "importorskip" and call.args:
                names.append(ast.literal_eval(call.args[0]))
    return names


@pytest.mark.parametrize("path", sorted(TESTS.rglob("*.py")), ids=lambda path: path.name)
def test_no_heavy_import_at_collection(path):
    heavy = [name for name in top_level_imports(path) if name.split(".")[0] in HEAVY]
    assert not heavy, f"{path.name} imports {', '.join(heavy)} at its top"


def test_the_check_sees_each_kind_of_import(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "import scipy.stats\nfrom sklearn.metrics import f1_score\n"
        'pd = pytest.importorskip("pandas")\n'
        "def test_inside():\n    import dask.array\n"
    )
    assert top_level_imports(module) == ["scipy.stats", "sklearn.metrics", "pandas"]
