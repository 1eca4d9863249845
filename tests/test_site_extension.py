"""The site extension (docs/_ext/dmls_site.py): dates from git, and the
accessibility attributes it adds to Sphinx's HTML.

The browser tests run axe-core on the real site; these check the same
attributes on a tiny project, so that a Sphinx or docutils upgrade that
changes the tags the fixes amend fails here, in seconds, with a clear message.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import dmls_site
import pytest
from sphinx_builds import copy_for_one_page


def commit(repo: Path, message: str, date: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, env=env, check=True)


def test_git_dates_are_per_file_and_relative_to_the_sources(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    docs = tmp_path / "docs"
    (docs / "chapter").mkdir(parents=True)
    (docs / "index.md").write_text("one")
    (docs / "chapter" / "page.md").write_text("one")
    (tmp_path / "outside.txt").write_text("one")
    commit(tmp_path, "first", "2020-01-02T12:00:00+00:00")
    (docs / "chapter" / "page.md").write_text("two")
    commit(tmp_path, "second", "2021-03-04T12:00:00+00:00")

    assert dmls_site.git_dates(docs) == {"chapter/page.md": "2021-03-04", "index.md": "2020-01-02"}
    assert dmls_site.git("log", "-1", "--format=%cs", cwd=tmp_path) == "2021-03-04\n"


def test_git_outside_a_checkout_answers_none(tmp_path):
    assert dmls_site.git("log", "-1", cwd=tmp_path) is None
    assert dmls_site.git_dates(tmp_path) == {}


PAGE = """\
Home
====

.. toctree::
   :caption: Chapters

   other

.. code-block:: python

   print("a line long enough to scroll sideways on a phone")

See [Ref2020]_.

.. py:data:: a_module_name.A_CONSTANT_NAME_TOO_LONG_FOR_A_PHONE
   :value: (30, 45, 25)

.. [Ref2020] A cited work.
"""


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("tiny")
    (project / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(Path(dmls_site.__file__).parent)!r})\n"
        "extensions = ['dmls_site']\nhtml_theme = 'basic'\n"
        "html_last_updated_fmt = '%Y-%m-%d'\n"
        "dmls_build_date = '2001-02-03'\n"
    )
    (project / "index.rst").write_text(PAGE)
    (project / "other.rst").write_text("Other\n=====\n\nText.\n")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "-q", ".", "out"],
        cwd=project,
        check=True,
    )
    return project / "out"


@pytest.mark.slow
def test_toctree_captions_have_a_heading_level(tiny_site):
    html = (tiny_site / "index.html").read_text()
    assert 'role="heading" aria-level="2"' in html
    assert html.count('role="heading"') == html.count('aria-level="2"')


@pytest.mark.slow
def test_a_page_has_one_viewport_tag(tiny_site):
    """The theme's own, not docutils' beside it."""
    for page in ("index.html", "other.html", "genindex.html"):
        assert (tiny_site / page).read_text().count('name="viewport"') == 1, page


@pytest.mark.slow
def test_code_blocks_take_keyboard_focus(tiny_site):
    html = (tiny_site / "index.html").read_text()
    assert '<pre tabindex="0">' in html
    assert "<pre>" not in html


@pytest.mark.slow
def test_api_signatures_take_keyboard_focus(tiny_site):
    html = (tiny_site / "index.html").read_text()
    signatures = re.findall(r'<dt [^>]*class="sig sig-object[^>]*>', html)
    assert len(signatures) == 1
    assert 'tabindex="0"' in signatures[0]


@pytest.mark.slow
def test_citations_are_list_items(tiny_site):
    html = (tiny_site / "index.html").read_text()
    assert 'role="list"' in html
    assert 'role="listitem"' in html
    assert "doc-biblioentry" not in html


@pytest.mark.slow
def test_a_page_without_a_source_takes_the_build_date(tiny_site):
    assert "2001-02-03" in (tiny_site / "genindex.html").read_text()


def test_remembered_computes_once_until_an_input_changes(tmp_path):
    source = tmp_path / "inputs.py"
    source.write_text("X = 1\n")
    cache = tmp_path / "cache" / "value.json"
    calls = []

    def compute():
        calls.append(1)
        return {"answer": len(calls)}

    def value():
        return dmls_site.remembered(compute, inputs=[source], versions=("pytest",), cache=cache)

    assert value() == {"answer": 1}
    assert value() == {"answer": 1}
    assert len(calls) == 1
    source.write_text("X = 2\n")
    assert value() == {"answer": 2}
    cache.write_text("not json")
    assert value() == {"answer": 3}


@pytest.mark.slow
def test_a_change_to_an_extensions_code_reads_the_pages_again(tmp_path):
    """Sphinx reads a page again when its source or a setting changes, not
    when an extension's code does: the EPUB kept the seed map's tables as
    they were before its directive marked them as cards."""
    page = "errata.md"
    project = copy_for_one_page(tmp_path, page)
    command = [
        *(sys.executable, "-m", "sphinx", "-b", "text", "-c", "."),
        *("-D", f"root_doc={page.removesuffix('.md')}", "docs", "out"),
    ]

    def build() -> str:
        done = subprocess.run(command, cwd=project, check=True, capture_output=True, text=True)
        return done.stdout

    build()
    assert "0 added, 0 changed, 0 removed" in build()
    book = project / "docs" / "_ext" / "dmls_book.py"
    book.write_text(book.read_text() + "\n# an edit to an extension's code\n")
    again = build()
    assert "dmls_extensions_digest" in again
    assert "1 added, 0 changed, 0 removed" in again
    assert "0 added, 0 changed, 0 removed" in build()


@pytest.mark.slow
def test_module_pages_follow_a_change_to_the_configuration(tmp_path):
    """sphinx.ext.viewcode writes a module's page again only when the module
    is newer than the page: its pages kept the old title after conf.py
    changed, through any number of builds."""
    project = copy_for_one_page(tmp_path, "api/latency.md")
    command = [
        *(sys.executable, "-m", "sphinx", "-q", "-b", "html", "-c", "."),
        *("-D", "root_doc=api/latency", "docs", "out"),
    ]
    module_page = project / "out" / "_modules" / "dmls_examples" / "latency.html"

    def build() -> str:
        subprocess.run(command, cwd=project, check=True, capture_output=True)
        return module_page.read_text(encoding="utf-8")

    assert "Edited title" not in build()
    written = module_page.stat().st_mtime_ns
    build()
    assert module_page.stat().st_mtime_ns == written, "rewritten with nothing changed"
    conf = project / "conf.py"
    conf.write_text(conf.read_text() + '\nhtml_title = "Edited title"\n')
    assert "<title>dmls_examples.latency - Edited title</title>" in build()
