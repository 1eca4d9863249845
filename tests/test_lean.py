"""dmls_lean keeps the formatted bibliography between builds only while
everything it was formatted from holds, the style's own code included."""

import subprocess
import sys
from pathlib import Path

import dmls_lean
import pytest

EXTENSIONS = Path(dmls_lean.__file__).parent

CONF = f"""
import sys
sys.path[:0] = [{str(EXTENSIONS)!r}, "."]
extensions = ["sphinxcontrib.bibtex", "dmls_lean", "labelled"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "labelled"
"""

STYLE = """
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style
from pybtex.style.template import field, sentence, words


class Labelled(Style):
    def get_misc_template(self, e):
        return sentence[words["{word}", field("title")]]


def setup(app):
    register_plugin("pybtex.style.formatting", "labelled", Labelled)
    return {{"parallel_read_safe": True}}
"""

BIB = "@misc{key2020, title = {A cited work}, author = {Some One}, year = {2020}}\n"
PAGE = "Page\n====\n\nSee :cite:p:`key2020`.\n\n.. bibliography::\n"


def build(project: Path) -> str:
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", ".", "out"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return (project / "out" / "index.html").read_text()


@pytest.mark.slow
def test_a_changed_style_formats_the_bibliography_again(tmp_path):
    (tmp_path / "conf.py").write_text(CONF)
    (tmp_path / "refs.bib").write_text(BIB)
    (tmp_path / "index.rst").write_text(PAGE)
    (tmp_path / "labelled.py").write_text(STYLE.format(word="FIRSTSTYLE"))
    assert "FIRSTSTYLE" in build(tmp_path)

    # An unchanged rebuild keeps the saved result; a changed style does not.
    (tmp_path / "index.rst").touch()
    assert "FIRSTSTYLE" in build(tmp_path)
    (tmp_path / "labelled.py").write_text(STYLE.format(word="SECONDSTYLE"))
    (tmp_path / "index.rst").touch()
    html = build(tmp_path)
    assert "SECONDSTYLE" in html
    assert "FIRSTSTYLE" not in html


#: The site's own styles: author-year labels ("One, 2020") and tooltips.
SITE_CONF = f"""
import sys
sys.path.insert(0, {str(EXTENSIONS)!r})
extensions = ["sphinxcontrib.bibtex", "dmls_bibstyle", "dmls_lean"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "dmls"
bibtex_reference_style = "dmls_author_year"
"""

SITE_BIB = """
@misc{{changed, title = {{Changed work}}, author = {{One, Some}}, year = {{{year}}}}}
@misc{{kept, title = {{Kept work}}, author = {{Two, Other}}, year = {{2019}}}}
"""


@pytest.mark.slow
def test_a_changed_entry_rewrites_the_pages_that_cite_it_and_no_others(tmp_path):
    # sphinxcontrib-bibtex notes the .bib as a dependency of the page with
    # the bibliography only; a page citing the entry elsewhere is written
    # again only because dmls_lean names it.
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "refs.bib").write_text(SITE_BIB.format(year=2020))
    (tmp_path / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n   cites\n   other\n\n.. bibliography::\n"
    )
    (tmp_path / "cites.rst").write_text("Cites\n=====\n\nSee :cite:p:`changed`.\n")
    (tmp_path / "other.rst").write_text("Other\n=====\n\nSee :cite:p:`kept`.\n")
    build(tmp_path)
    cites = (tmp_path / "out" / "cites.html").read_text()
    assert "One, 2020" in cites
    assert 'title="Some One. Changed work. 2020."' in cites
    other = tmp_path / "out" / "other.html"
    other_written = other.stat().st_mtime_ns

    (tmp_path / "refs.bib").write_text(SITE_BIB.format(year=2021))
    build(tmp_path)
    cites = (tmp_path / "out" / "cites.html").read_text()
    assert "One, 2021" in cites
    assert 'title="Some One. Changed work. 2021."' in cites
    assert "2020" not in cites
    assert "One, 2021" in (tmp_path / "out" / "index.html").read_text()
    assert other.stat().st_mtime_ns == other_written


@pytest.mark.slow
def test_an_entry_newly_cited_elsewhere_rewrites_the_bibliography_that_lists_it(tmp_path):
    # The bibliography (cited entries only) is not read again when another
    # page cites one more entry; its list is made when it is written.
    (tmp_path / "conf.py").write_text(SITE_CONF)
    (tmp_path / "refs.bib").write_text(SITE_BIB.format(year=2020))
    # A sibling of the citing page: Sphinx writes again a page's parent in
    # the table of contents, not its siblings.
    (tmp_path / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   cites\n   refs\n")
    (tmp_path / "refs.rst").write_text("Refs\n====\n\n.. bibliography::\n")
    (tmp_path / "cites.rst").write_text("Cites\n=====\n\nSee :cite:p:`changed`.\n")
    build(tmp_path)
    refs = tmp_path / "out" / "refs.html"
    assert "Kept work" not in refs.read_text()

    (tmp_path / "cites.rst").write_text("Cites\n=====\n\nSee :cite:p:`changed,kept`.\n")
    build(tmp_path)
    assert "Kept work" in refs.read_text()


@pytest.mark.slow
def test_a_saved_doctree_holds_its_page_and_not_the_environment(tmp_path):
    # MyST's {eval-rst}, as on the API pages, parses into a document of its
    # own whose settings point at the build environment; without dmls_lean
    # each such page's saved doctree carried a copy of the environment.
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXTENSIONS)!r})\n"
        'extensions = ["myst_parser", "dmls_lean"]\n'
    )
    (tmp_path / "index.md").write_text("# Page\n\n```{eval-rst}\n* Some *rST*.\n* More.\n```\n")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", "doctrees", ".", "out"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    saved = (tmp_path / "doctrees" / "index.doctree").read_bytes()
    assert b"BuildEnvironment" not in saved
    assert b"Some " in saved


def test_the_plaintext_backend_is_found_without_searching_entry_points(monkeypatch):
    import pybtex.plugin
    from pybtex.backends.plaintext import Backend

    assert dmls_lean.remember_plaintext_backend() is Backend

    def no_search(**kwargs):
        raise AssertionError(f"searched the entry points for {kwargs}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_search)
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is Backend


#: Records, when writing starts, the -j the build ended up with and whether
#: Sphinx writes in parallel.
RECORD_PARALLEL = """
def setup(app):
    def record(app, builder):
        with open("parallel.txt", "a") as out:
            out.write(f"{app.parallel} {builder.parallel_ok}\\n")
    app.connect("write-started", record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""


@pytest.mark.slow
def test_a_build_reading_few_pages_runs_in_one_process(tmp_path):
    pages = [f"page{number:02}" for number in range(dmls_lean.SERIAL_BELOW)]
    (tmp_path / "conf.py").write_text(
        f'import sys\nsys.path[:0] = [{str(EXTENSIONS)!r}, "."]\n'
        'extensions = ["dmls_lean", "record_parallel"]\n'
    )
    (tmp_path / "record_parallel.py").write_text(RECORD_PARALLEL)
    toctree = "\n".join(f"   {page}" for page in pages)
    (tmp_path / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toctree}\n")
    for page in pages:
        (tmp_path / f"{page}.rst").write_text(f"{page}\n======\n\nText.\n")

    def build() -> str:
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "2", ".", "out"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )
        return (tmp_path / "parallel.txt").read_text().splitlines()[-1]

    # From scratch every page is read: as many as SERIAL_BELOW and more.
    assert build() == "2 True"
    # After an edit to SERIAL_BELOW - 1 pages, those are read and written here.
    for page in pages[1:]:
        (tmp_path / f"{page}.rst").write_text(f"{page}\n======\n\nNew text.\n")
    assert build() == "1 False"
    assert "New text" in (tmp_path / "out" / f"{pages[-1]}.html").read_text()
