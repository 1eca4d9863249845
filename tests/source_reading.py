"""The project's Python files read as source, never imported.

Several tests check what conf.py, noxfile.py or a figure module sets:
pytest must not import conf.py or noxfile.py (they run Sphinx's and nox's
machinery), and a figure module's constants are data the tests compare with
a page. Each file is parsed once; a constant is read with
:func:`ast.literal_eval`, so only a literal can be read, and a missing one
is an error that names the file.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "conf.py"
NOXFILE = ROOT / "noxfile.py"


@cache
def tree(path: Path) -> ast.Module:
    """The module's syntax tree, parsed once per test session."""
    return ast.parse(path.read_text(), filename=str(path))


def assignments(path: Path) -> dict[str, ast.expr]:
    """What the module assigns at its top level, by the target as written
    (``STEPS``, ``nox.options.sessions``); a later assignment wins."""
    found = {}
    for node in tree(path).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            found[ast.unparse(node.targets[0])] = node.value
    return found


def constant(path: Path, name: str):
    """The literal the module assigns to *name* at its top level."""
    try:
        value = assignments(path)[name]
    except KeyError:
        raise AssertionError(f"{path.name} assigns no {name}") from None
    return ast.literal_eval(value)


def constants(path: Path, prefix: str) -> dict[str, object]:
    """The module's top-level literals whose names start with *prefix*; a
    value computed at run time is left out."""
    found = {}
    for name, value in assignments(path).items():
        if name.startswith(prefix):
            try:
                found[name] = ast.literal_eval(value)
            except ValueError:
                continue
    return found


def nox_sessions() -> dict[str, ast.FunctionDef]:
    """noxfile.py's sessions, by the name nox runs them under (a session's
    ``name=`` if it has one, else its function's name)."""
    sessions = {}
    for node in tree(NOXFILE).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            if ast.unparse(call.func if call else decorator) == "nox.session":
                keywords = call.keywords if call else []
                renamed = [k.value.value for k in keywords if k.arg == "name"]
                sessions[renamed[0] if renamed else node.name] = node
    return sessions
