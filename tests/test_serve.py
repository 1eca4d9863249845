"""The live preview forks each build from a process that has imported Sphinx
(docs/_ext/dmls_serve.py): the builds must be the ones ``python -m sphinx``
makes, and an edit to the project's own code must reach the next build."""

import ast
import inspect
import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import dmls_serve
import pytest
from source_reading import CONF

EXTENSIONS = Path(dmls_serve.__file__).parent


def test_the_site_preloads_installed_extensions_and_none_of_its_own():
    names = dmls_serve.modules_to_preload(CONF)
    assert {"myst_parser", "sphinx.ext.autodoc", "furo"} <= set(names)
    assert "sphinxcontrib.bibtex" in names  # a namespace package: folders, no file
    assert not [name for name in names if name.startswith("dmls_")]


def test_an_extension_beside_conf_py_is_not_preloaded(tmp_path):
    (tmp_path / "local_ext.py").write_text("def setup(app):\n    pass\n")
    (tmp_path / "conf.py").write_text('extensions = ["local_ext", "sphinx.ext.todo"]\n')
    sys.path.insert(0, str(tmp_path))
    try:
        assert dmls_serve.modules_to_preload(tmp_path / "conf.py") == ["sphinx.ext.todo"]
    finally:
        sys.path.remove(str(tmp_path))


def test_the_builder_survives_the_trip_to_sphinx_autobuild_s_worker():
    # sphinx-autobuild hands its builder to a process pool after each change:
    # a builder that cannot be pickled never rebuilds, and says nothing.
    builder = dmls_serve.ForkingBuilder(
        ["-b", "html", "docs", "out"],
        url_host="127.0.0.1:8000",
        pre_build_commands=[],
        post_build_commands=[["true"]],
    )
    copy = pickle.loads(pickle.dumps(builder))
    assert copy.sphinx_args == builder.sphinx_args
    assert copy.uri == "http://127.0.0.1:8000"
    assert copy.post_build_commands == [["true"]]


WARM_BUILDS = """
import json, sys
from pathlib import Path
sys.path.insert(0, {extensions!r})
import dmls_serve

project = Path({project!r})
preloaded = dmls_serve.preload(project / "conf.py")
own = sorted(
    name for name, module in sys.modules.items()
    if str(getattr(module, "__file__", None) or "").startswith(str(project))
)
arguments = ["-q", "-b", "html", "-n", "-W", str(project), str(project / "warm")]
first = dmls_serve.build(arguments)
first_html = (project / "warm" / "index.html").read_text()
(project / "words.py").write_text('WORD = "second"\\n')
second = dmls_serve.build(arguments)
second_html = (project / "warm" / "index.html").read_text()
(project / "index.rst").write_text("Page\\n====\\n\\nSee :ref:`nowhere`.\\n")
broken = dmls_serve.build(arguments)
print(json.dumps({{
    "preloaded": preloaded, "own": own, "statuses": [first, second, broken],
    "first": first_html, "second": second_html,
}}))
"""


@pytest.mark.slow
def test_forked_builds_match_sphinx_build_and_see_edits(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text(
        textwrap.dedent(
            """
            import sys
            sys.path.insert(0, ".")
            from words import WORD
            extensions = ["sphinx.ext.autodoc"]
            rst_epilog = f".. |word| replace:: {WORD}"
            """
        )
    )
    (project / "words.py").write_text('WORD = "first"\n')
    (project / "index.rst").write_text("Page\n====\n\nThe word is |word|.\n")
    cold = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-n", "-W", ".", "cold"],
        cwd=project,
        check=True,
    )
    assert cold.returncode == 0
    cold_html = (project / "cold" / "index.html").read_text()

    script = WARM_BUILDS.format(extensions=str(EXTENSIONS), project=str(project))
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, check=True
    )
    result = json.loads(run.stdout.splitlines()[-1])

    assert result["preloaded"] == ["sphinx.cmd.build", "sphinx.ext.autodoc"]
    assert result["own"] == []  # conf.py and words.py are left to the builds
    assert result["statuses"][:2] == [0, 0]
    assert result["statuses"][2] != 0  # -n -W: an unknown reference fails the build
    assert result["first"] == cold_html
    assert "The word is first." in result["first"]
    assert "The word is second." in result["second"]


def test_sphinx_autobuild_makes_its_builder_as_dmls_serve_expects():
    # dmls_serve replaces the module-level name `Builder` that
    # sphinx-autobuild's main() calls; a release that renames it, or passes
    # an argument ForkingBuilder does not take, would serve without it.
    import sphinx_autobuild.__main__ as autobuild

    assert "Builder" in autobuild.main.__code__.co_names
    calls = [
        node
        for node in ast.walk(ast.parse(inspect.getsource(autobuild.main)))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Builder"
    ]
    assert len(calls) == 1
    keywords = {keyword.arg: [] for keyword in calls[0].keywords}
    keywords["url_host"] = "127.0.0.1:8000"
    builder = dmls_serve.ForkingBuilder(["-b", "html", "docs", "out"], **keywords)
    assert builder.uri == "http://127.0.0.1:8000"


def _page(url: str) -> str:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_for(text: str, url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _page(url):
            return
        assert server.poll() is None, f"the server stopped:\n{server.stdout.read()}"
        time.sleep(0.2)
    server.terminate()
    pytest.fail(f"{text!r} never served:\n{server.communicate(timeout=10)[0]}")


@pytest.mark.slow
def test_the_server_serves_a_page_and_rebuilds_it_after_an_edit(tmp_path):
    # End to end, as `nox -s serve` runs it: sphinx-autobuild watching,
    # ForkingBuilder building in its worker, the page served over HTTP.
    import socket

    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text("extensions = []\n")
    (project / "index.rst").write_text("Page\n====\n\nThe first version.\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, str(EXTENSIONS / "dmls_serve.py"), "--port", str(port), "-q"]
    server = subprocess.Popen(
        [*command, str(project), str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/index.html"
    try:
        _wait_for("The first version.", url, server)
        (project / "index.rst").write_text("Page\n====\n\nThe second version.\n")
        _wait_for("The second version.", url, server)
    finally:
        server.terminate()
        server.communicate(timeout=20)
