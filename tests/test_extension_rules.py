"""The site's Sphinx extensions keep to Sphinx's public interface (issue 10).

Read as source, never imported: every module under docs/_ext and conf.py.

- No private attribute of an object the extension does not own
  (``env._registry``, a translator's ``_has_maths_elements``): the next
  Sphinx release may rename it without notice. An extension's own classes,
  its own modules and a named tuple's ``_asdict`` family are its own.
- No change to a configuration value once Sphinx has read conf.py. Sphinx
  pickles the configuration with the environment, changes included, and
  compares it with conf.py's on the next build: a changed value is reported
  as a changed setting, and for a setting pages depend on, every page is
  read again.
- No change to the process's environment variables, which outlive the build
  (the tests build several sites in one process).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from source_reading import CONF, ROOT, tree

EXTENSIONS = sorted((ROOT / "docs" / "_ext").glob("*.py"))
OWN_MODULES = {path.stem for path in EXTENSIONS} | {"dmls_examples"}
#: A named tuple's public methods, underscored so they cannot clash with a field.
NAMED_TUPLE_API = {"_asdict", "_replace", "_fields", "_make", "_field_defaults"}
MUTATORS = {
    "append", "extend", "insert", "update", "setdefault", "pop", "popitem",
    "remove", "clear", "add", "discard",
}  # fmt: skip

#: Changes to configuration that Sphinx offers no other way to make, each with
#: why: (module, the changed value as written).
ALLOWED_CONFIG_CHANGES = {
    # Sphinx has no call that adds a folder of static files; appending to
    # html_static_path in builder-inited is how extensions do it (sphinx-design
    # and sphinx-copybutton do the same). Only a folder listed there is copied
    # before the pages are written, which is what their "?v=" checksums need.
    ("dmls_assets", "app.config.html_static_path"),
}


def _parents(module: ast.Module) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(module) for child in ast.iter_child_nodes(node)}


def _in_own_class(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.ClassDef):
            return True
    return False


def private_attributes(module: ast.Module) -> list[str]:
    """``obj._name`` where *obj* is not the extension's own."""
    parents = _parents(module)
    found = []
    for node in ast.walk(module):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
            continue
        if node.attr.startswith("__") or node.attr in NAMED_TUPLE_API:
            continue
        owner = ast.unparse(node.value)
        if owner in OWN_MODULES or (owner in ("self", "cls") and _in_own_class(node, parents)):
            continue
        found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _changed(node: ast.AST) -> list[ast.expr]:
    """What *node* changes in place: the targets of an assignment or a
    deletion, the object of a mutating method call."""
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Delete):
        return node.targets
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MUTATORS
    ):
        return [node.func.value]
    if isinstance(node, ast.Call) and ast.unparse(node.func) in ("setattr", "os.putenv"):
        return node.args[:1] or [node.func]
    return []


def _roots(target: ast.expr) -> list[str]:
    """The names a changed expression goes through, outermost last
    (``app.config.html_static_path`` -> app, config, html_static_path)."""
    names = []
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        if isinstance(target, ast.Attribute):
            names.append(target.attr)
        target = target.value
    if isinstance(target, ast.Name):
        names.append(target.id)
    return names[::-1]


def changes_to(module: ast.Module, watched: str) -> list[str]:
    """Changes to anything reached through an attribute or name *watched*;
    binding a local name (``config = env.config``) changes nothing."""
    return [
        ast.unparse(target)
        for node in ast.walk(module)
        for target in _changed(node)
        if not isinstance(target, ast.Name) and watched in _roots(target)
    ]


@pytest.mark.parametrize("path", [*EXTENSIONS, CONF], ids=lambda path: path.name)
def test_no_private_attribute_of_sphinx(path: Path):
    assert private_attributes(tree(path)) == []


@pytest.mark.parametrize("path", EXTENSIONS, ids=lambda path: path.name)
def test_no_configuration_change_after_conf_py(path: Path):
    changes = {
        change
        for change in changes_to(tree(path), "config")
        if (path.stem, change) not in ALLOWED_CONFIG_CHANGES
    }
    assert changes == set()


@pytest.mark.parametrize("path", [*EXTENSIONS, CONF], ids=lambda path: path.name)
def test_no_change_to_the_process_environment(path: Path):
    assert changes_to(tree(path), "environ") == []


def test_every_allowed_change_is_still_made():
    """An allowance outlives its reason silently unless it must match code."""
    for stem, change in ALLOWED_CONFIG_CHANGES:
        module = tree(ROOT / "docs" / "_ext" / f"{stem}.py")
        assert change in changes_to(module, "config"), (stem, change)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("env._registry.get_post_transforms()", ["line 1: env._registry"]),
        ("def visit(self, node):\n    self._flag = True", ["line 2: self._flag"]),
        ("class Mine:\n    def f(self):\n        self._flag = True", []),
        ("value._asdict()", []),
        ("dmls_numbers._cache", []),
    ],
)
def test_private_attributes_are_found(source, expected):
    assert private_attributes(ast.parse(source)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("app.config.html_static_path.append(x)", ["app.config.html_static_path"]),
        ("app.config.numfig = False", ["app.config.numfig"]),
        ("config['numfig'] = False", ["config['numfig']"]),
        ("setattr(app.config, 'numfig', False)", ["app.config"]),
        ("app.config.latex_appendices.count(x)", []),
        ("x = app.config.numfig", []),
        ("self.environment.cache = 1", []),
        ("config = env.config", []),
    ],
)
def test_configuration_changes_are_found(source, expected):
    assert changes_to(ast.parse(source), "config") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("os.environ['TZ'] = 'UTC'", ["os.environ['TZ']"]),
        ("os.environ.setdefault('TZ', 'UTC')", ["os.environ"]),
        ("os.environ.get('TZ')", []),
    ],
)
def test_environment_changes_are_found(source, expected):
    assert changes_to(ast.parse(source), "environ") == expected
