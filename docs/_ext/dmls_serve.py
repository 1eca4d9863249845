"""The live preview (`nox -s serve`): sphinx-autobuild, with Sphinx already imported.

sphinx-autobuild rebuilds by starting ``python -m sphinx`` afresh, so every
edit pays again for importing Sphinx, MyST, furo and the other extensions:
about a third of a one-page rebuild of this site. This program imports them
once, before it serves, and runs each build in a child forked from that
process. The child starts with those modules loaded and nothing else, runs
sphinx-build's own entry point with a new Sphinx application, and exits, so
a build here is the build ``python -m sphinx`` would make.

Only modules from outside the working tree are imported ahead: conf.py, the
extensions under docs/_ext and the package under src/ are left to each
build, which reads them as they are after an edit.

sphinx-autobuild runs its builder in a process-pool worker after each edit.
Where that worker is forked (Python's default on Linux up to 3.13) it holds
the preloaded modules; where it is started afresh (3.14's forkserver, or
macOS) the builds are the same, only not faster.

This is a program, not a Sphinx extension: the serve session runs it with
sphinx-autobuild's arguments. Its helpers need only Sphinx, so the benchmark
(benchmarks/loop.py) and the tests time and check the same build.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import multiprocessing
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def modules_to_preload(conf: Path) -> list[str]:
    """The extensions and the HTML theme *conf* names, without the project's
    own: those that lie in *conf*'s folder or below it, outside the running
    virtualenv.

    conf.py is read as source, not run: running it would import the
    project's own code into the process every build is forked from.
    """
    names: list[str] = []
    for node in ast.parse(conf.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == "extensions":
                names.extend(ast.literal_eval(node.value))
            elif isinstance(target, ast.Name) and target.id == "html_theme":
                names.append(ast.literal_eval(node.value))
    root = conf.resolve().parent
    return [name for name in names if _installed_outside(name, root)]


def _installed_outside(name: str, root: Path) -> bool:
    # find_spec imports a dotted name's parent packages, so ask for the
    # top-level package first: the project's own modules are never imported.
    # The virtualenvs nox makes lie under the working tree too (.nox/).
    environment = Path(sys.prefix).resolve()
    for part in (name.partition(".")[0], name):
        spec = importlib.util.find_spec(part)
        if spec is None:
            return False
        # A namespace package (sphinxcontrib) has folders, not a file.
        places = [spec.origin] if spec.origin else list(spec.submodule_search_locations or ())
        for place in (Path(place).resolve() for place in places):
            if place.is_relative_to(root) and not place.is_relative_to(environment):
                return False
    return True


def preload(conf: Path = ROOT / "conf.py") -> list[str]:
    """Import Sphinx's command line and what :func:`modules_to_preload` names."""
    names = ["sphinx.cmd.build", *modules_to_preload(conf)]
    for name in names:
        importlib.import_module(name)
    return names


def _run_sphinx(arguments: Sequence[str]) -> None:
    from sphinx.cmd.build import main  # the `sphinx-build` command's entry point

    sys.exit(main(list(arguments)))


def build(arguments: Sequence[str]) -> int:
    """Run sphinx-build with *arguments* in a forked child; return its exit status."""
    child = multiprocessing.get_context("fork").Process(target=_run_sphinx, args=(arguments,))
    child.start()
    child.join()
    return child.exitcode


class ForkingBuilder:
    """Stands in for sphinx-autobuild's ``Builder``, with the same constructor
    and call, and builds through :func:`build`.

    sphinx-autobuild calls it in a worker process after each change, so it
    must be picklable: a class at module level holding plain values.
    """

    def __init__(
        self,
        sphinx_args: Sequence[str],
        *,
        url_host: str,
        pre_build_commands: Sequence[Sequence[str]] = (),
        post_build_commands: Sequence[Sequence[str]] = (),  # sphinx-autobuild 2025.8 on
    ) -> None:
        self.sphinx_args = list(sphinx_args)
        self.uri = f"http://{url_host}"
        self.pre_build_commands = [list(command) for command in pre_build_commands]
        self.post_build_commands = [list(command) for command in post_build_commands]

    def __call__(self, *, changed_paths: Sequence[Path]) -> None:
        from sphinx_autobuild.utils import show_message

        if changed_paths:
            changed = ", ".join(sorted({Path(path).name for path in changed_paths}))
            show_message(f"Rebuilding after a change to {changed}")
        if not self._run(self.pre_build_commands, "pre-build"):
            return
        status = build(self.sphinx_args)
        if status == 0:
            self._run(self.post_build_commands, "post-build")
        else:
            print(
                f"Sphinx exited with status {status}: the server goes on serving "
                "the last build until the cause is fixed."
            )
        show_message(f"Serving on {self.uri}")

    @staticmethod
    def _run(commands: Sequence[Sequence[str]], stage: str) -> bool:
        for command in commands:
            status = subprocess.run(command, check=False).returncode
            if status != 0:
                print(f"The {stage} command {shlex.join(command)} exited with status {status}.")
                return False
        return True


def main(argv: Sequence[str]) -> None:
    """Serve as sphinx-autobuild does, building through :class:`ForkingBuilder`."""
    preload()
    import sphinx_autobuild.__main__ as autobuild

    # sphinx-autobuild's main() makes its builder from this module-level
    # name; it has no option for how a build is run.
    autobuild.Builder = ForkingBuilder
    autobuild.main(list(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
