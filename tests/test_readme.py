"""The README is the front door: what it tells a reader to run must exist.

Each check here caught, or would catch, a README that drifted from the tree:
a session renamed, a file moved, the TeX packages changed in one place only.
"""

import re

import pytest
from myst_pages import PAGES
from source_reading import NOXFILE, ROOT, constant, nox_sessions

README = (ROOT / "README.md").read_text()


def sessions_named(text: str) -> set[str]:
    """Every session a `nox -s A B ...` command in *text* runs (up to `--`)."""
    names = set()
    for match in re.finditer(r"\bnox -s ((?:[\w-]+ ?)+)", text):
        names.update(name for name in match.group(1).split() if not name.startswith("-"))
    return names


def test_the_readme_lists_every_session():
    assert set(nox_sessions()) - sessions_named(README) == set()


@pytest.mark.parametrize("path", [ROOT / "README.md", *PAGES], ids=lambda p: p.name)
def test_every_nox_command_names_a_session(path):
    assert sessions_named(path.read_text()) - set(nox_sessions()) == set()


def test_sessions_named_reads_a_command_up_to_its_options():
    text = '`nox -s tests -- -m "not slow"` and\n`python3 -m nox -s pdf epub outputs`'
    assert sessions_named(text) == {"tests", "pdf", "epub", "outputs"}


#: What a build, a run or a reader's own work makes: not in a clone.
MADE = ("build/", ".nox/", ".venv/", ".hypothesis/", "docs/_generated/", "mutants/", "~")
FILE_SUFFIXES = (".py", ".toml", ".txt", ".md", ".bib", ".cfg", ".yaml", ".sty")


def repository_paths(text: str) -> set[str]:
    """Paths in the repository that *text* names, in `code` or in commands (sh blocks)."""
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M)
    words = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))
    words += [word for block in blocks for word in block.split()]
    return {
        word.rstrip(",.:")
        for word in words
        if re.fullmatch(r"[\w.-]+(/[\w.-]*)*", word.rstrip(",.:"))
        and ("/" in word or (word.endswith(FILE_SUFFIXES) and not word.startswith(".")))
        and not word.startswith(MADE)
        and "://" not in word
    }


def layout_paths(text: str) -> set[str]:
    """The paths of the README's Layout listing, nested entries under their folder."""
    block = re.search(r"^## Layout\n+```\n(.*?)^```", text, re.S | re.M).group(1)
    paths, folder = set(), ""
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        entries = re.split(r"\s{2,}", line.strip())[0]
        if indent == 0:
            folder = entries if entries.endswith("/") else ""
            paths.add(entries)
        elif indent == 2:
            paths.update(folder + entry for entry in entries.split(", "))
    return paths


def test_the_readme_names_only_paths_that_exist():
    paths = repository_paths(README) | layout_paths(README)
    assert {"noxfile.py", ".ci/run", "benchmarks/sketch.py", "docs/_ext/"} <= paths
    # A bare file name ("`_validation.py`") names a file in some folder.
    assert sorted(path for path in paths if not exists(path)) == []


def exists(path: str) -> bool:
    if "/" in path:
        return (ROOT / path).exists()
    return any(ROOT.glob(path)) or any(ROOT.glob(f"[!.]*/**/{path}"))


def test_layout_paths_nest_entries_under_their_folder():
    text = "## Layout\n\n```\nREADME.md  this\ntests/     pytest\n  a/, b/  run apart\n```\n"
    assert layout_paths(text) == {"README.md", "tests/", "tests/a/", "tests/b/"}


def tex_install(text: str) -> list[str]:
    """The packages of the code block in *text* that installs latexmk with apt-get."""
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M):
        if "apt-get install" in block and "latexmk" in block:
            words = block.split("--no-install-recommends", 1)[1].split()
            return [word for word in words if word != "\\"]
    raise AssertionError("no code block installs latexmk")


def test_the_tex_packages_are_the_same_in_readme_noxfile_and_ci():
    noxfile = constant(NOXFILE, "TEX_PACKAGES").split()
    assert tex_install(README) == noxfile
    ci = (ROOT / ".ci" / "run").read_text()
    listed = re.search(r"packages\+=\((\s*latexmk.*?)\)", ci, re.S).group(1).split()
    assert listed == noxfile
