"""The noxfile's settings for the edit loop, read without importing it
(pytest must not import noxfile.py)."""

import __future__

import ast
import re
import sys
import tomllib

import pytest
from source_reading import NOXFILE, ROOT, constant, nox_sessions, tree


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
    assert re.search(constant(NOXFILE, "SERVE_IGNORE"), f"/work/project/{path}")


@pytest.mark.parametrize(
    "path", ["docs/chapter-1/data.md", "src/dmls_examples/batching.py", "conf.py"]
)
def test_serve_watches_what_people_edit(path):
    assert not re.search(constant(NOXFILE, "SERVE_IGNORE"), f"/work/project/{path}")


def test_the_default_sessions_are_the_readme_test_command():
    sessions = constant(NOXFILE, "nox.options.sessions")
    assert sorted(sessions) == ["docs", "doctest", "lint", "tests"]


def test_every_test_folder_pytest_skips_runs_in_a_session_ci_runs():
    # tests/browser, tests/outputs and tests/site are not collected by the
    # default sessions (norecursedirs); each must run in a session of its
    # own, and CI must run that session, or its tests would run nowhere.
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    skipped = pytest_options["ini_options"]["norecursedirs"]
    folders = sorted(
        path.name for path in (ROOT / "tests").iterdir() if path.is_dir() and path.name in skipped
    )
    assert folders, "no test folder is kept out of the default run"
    runs = {}
    for name, node in nox_sessions().items():
        strings = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and n.value}
        for folder in folders:
            if f"tests/{folder}" in strings:
                runs[folder] = name
    ci_sessions = set()
    for line in (ROOT / ".ci" / "run").read_text().splitlines():
        if line.lstrip().startswith("python3 -m nox -s "):
            ci_sessions.update(line.split("-s", 1)[1].split())
    assert {folder: runs.get(folder) in ci_sessions for folder in folders} == dict.fromkeys(
        folders, True
    ), runs


def definitions(*names: str, nox: object = None) -> dict:
    """Functions and constants of noxfile.py, run apart from the module,
    with its imports of the standard library (not nox's). A session's
    function needs *nox*, a stand-in for its decorator."""
    namespace: dict = {"nox": nox} if nox else {}
    for node in tree(NOXFILE).body:
        defined = getattr(node, "name", None) or getattr(
            getattr(node, "targets", [None])[0], "id", None
        )
        standard = (
            isinstance(node, ast.Import)
            and all(alias.name.split(".")[0] != "nox" for alias in node.names)
        ) or (isinstance(node, ast.ImportFrom) and node.module.split(".")[0] != "nox")
        if defined in names or standard:
            # As noxfile.py does, leave annotations (`nox.Session`) unevaluated.
            flags = __future__.annotations.compiler_flag
            exec(compile(ast.Module([node], []), "noxfile.py", "exec", flags), namespace)
    return namespace


def test_the_mutation_table_counts_each_outcome_in_its_module():
    table = definitions("MUTANT_OUTCOMES", "mutation_table")["mutation_table"]
    listing = "\n".join(
        [
            "    dmls_examples.cli.x_main__mutmut_1: killed",
            "    dmls_examples.cli.x_main__mutmut_2: timeout",
            "    dmls_examples.cli.x_main__mutmut_3: survived",
            "    dmls_examples.sketch.xǁQuantileSketchǁadd__mutmut_1: no tests",
            "    dmls_examples.sketch.xǁQuantileSketchǁadd__mutmut_2: not checked",
            "    dmls_examples.sketch.xǁQuantileSketchǁadd__mutmut_3: killed",
        ]
    )
    rows = table(listing).splitlines()
    assert rows[2] == "| `cli` | 3 | 2 | 1 | 0 |"
    assert rows[3] == "| `sketch` | 2 | 1 | 1 | 1 |"
    assert rows[4] == "| all | 5 | 3 | 2 | 1 |"
    assert rows[-1] == "3 of 5 checked caught (60.0%)"


class StoppedSession(Exception):
    pass


class FakeSession:
    def error(self, message: str):
        raise StoppedSession(message)


def test_a_session_missing_programs_stops_with_one_line_naming_the_packages():
    require_debian = definitions("require_debian")["require_debian"]
    programs = {
        "dmls-no-pdftotext": "poppler-utils",
        "dmls-no-pdffonts": "poppler-utils",
        "dmls-no-epubcheck": "epubcheck",
        sys.executable: "python3",  # found: not named
    }
    with pytest.raises(StoppedSession) as stopped:
        require_debian(FakeSession(), programs, "them")
    assert str(stopped.value) == (
        "dmls-no-pdftotext, dmls-no-pdffonts and dmls-no-epubcheck not found; install them with: "
        "sudo apt-get install --no-install-recommends poppler-utils epubcheck"
    )
    stops = r"^/no/xelatex not found; install TeX with: .* tex-gyre$"
    with pytest.raises(StoppedSession, match=stops):
        require_debian(FakeSession(), {"/no/xelatex": "texlive-xetex tex-gyre"}, "TeX")
    require_debian(FakeSession(), {sys.executable: "python3"}, "Python")  # found: no error


class RecordingSession:
    def __init__(self, posargs):
        self.posargs = posargs
        self.commands = []

    def run(self, *command):
        self.commands.append(command)
        return True


@pytest.mark.parametrize(("to_sphinx", "passed"), [(True, True), (False, False)])
def test_a_session_that_hands_its_arguments_to_pytest_keeps_them_from_sphinx(to_sphinx, passed):
    namespace = definitions("sphinx")
    namespace["BUILD"] = ROOT / "build"
    sphinx = namespace["sphinx"]
    session = RecordingSession(["-k", "phone"])
    sphinx(session, "html", posargs_to_sphinx=to_sphinx)
    (command,) = session.commands
    assert command[:3] == ("sphinx-build", "-b", "html")
    assert ("-k" in command) is passed
    assert command[-2] == "docs"


class NoxDecorators:
    """Enough of nox to define the sessions: `@nox.session` and
    `@nox.session(name=...)` leave the function as it is."""

    class project:
        @staticmethod
        def dependency_groups(pyproject, group):
            return [f"{group}-requirement"]

    @staticmethod
    def session(function=None, **options):
        return function if function else lambda function: function


class InstallOnlySession(FakeSession):
    """A session as `nox --install-only` runs it: installs happen, and
    run() runs nothing and returns None."""

    def __init__(self, venv):
        self.posargs = []
        self.env = {}
        self.installed = []
        self.virtualenv = type("Venv", (), {"location": str(venv)})()

    def install(self, *arguments):
        self.installed.append(arguments)

    def run(self, *command, **options):
        return None

    def log(self, message):
        pass


@pytest.mark.parametrize("name", sorted(nox_sessions()))
def test_every_session_installs_under_install_only_without_reading_what_a_run_writes(
    name, tmp_path
):
    # `nox --install-only` skips every session.run and returns None from it;
    # the doctest session used to read the output a build would have written.
    function = nox_sessions()[name].name
    helpers = ("install", "sphinx", "mutation_table", "MUTANT_OUTCOMES", "AT_LOWER_BOUNDS")
    constants = ("TEX_PACKAGES", "CHROMIUM", "SERVE_IGNORE")
    namespace = definitions(function, *helpers, *constants, nox=NoxDecorators)
    namespace.update(
        BUILD=tmp_path / "build",  # empty: nothing has been built
        ROOT=ROOT,
        PYPROJECT={"project": {"dependencies": ["numpy>=1"]}},
        CONSTRAINTS=("-c", "constraints.txt"),
        require_debian=lambda *arguments: None,  # what a machine has is not this test's
    )
    session = InstallOnlySession(tmp_path)
    namespace[function](session)
    assert session.installed, f"{name} installed nothing"
