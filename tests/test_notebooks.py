"""The MyST-to-notebook converter, on small snippets and on every real page.

docs/_ext/dmls_notebooks.py turns a page into a notebook at build time. These
tests pin its mapping (prose to markdown, doctests to prompt-free code cells,
exercises to a question and an empty cell, solutions left out), check that
every page converts into code that compiles, and that the runner fails on a
notebook that raises.
"""

import ast
import os
import re
import sys
import tomllib
from pathlib import Path

import dmls_notebooks
import nbformat
import pytest
from dmls_notebooks import doctest_cells, parse, render_roles, to_notebook
from myst_pages import CHAPTER_PAGES
from sphinx_builds import build_in_process

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = [*CHAPTER_PAGES, *sorted(DOCS.glob("case-study.md"))]


def cells(notebook, kind):
    return [cell.source for cell in notebook.cells if cell.cell_type == kind]


def test_prose_becomes_markdown_with_substitutions_and_roles():
    page = (
        "---\nog:description: x\n---\n\n(label)=\n# Title\n\n"
        "The {term}`p90` of {{ n }} requests is {{ p90 }} ms {cite:p}`huyen2022`; see "
        "{doc}`the errata <../errata>` and {py:func}`~dmls_examples.latency.percentiles`.\n"
    )
    notebook = to_notebook(
        page,
        substitutions={"n": "ten", "p90": "110"},
        cite=lambda keys, role: "(Huyen, 2022)",
    )
    (markdown,) = cells(notebook, "markdown")
    assert markdown == (
        "# Title\n\nThe p90 of ten requests is 110 ms (Huyen, 2022); see "
        "the errata and `percentiles()`."
    )
    assert cells(notebook, "code") == []


def test_an_unknown_substitution_is_an_error():
    with pytest.raises(ValueError, match="'missing'"):
        to_notebook("{{ missing }}")


def test_roles_without_explicit_text_are_resolved():
    def resolve(role, target):
        return {"take-rate": "Take-rate", "../errata": "Errata"}.get(target)

    text = "{ref}`take-rate`, {doc}`../errata`, {ref}`unknown`, {math}`p_q`, {cite:t}`a,b`"
    rendered = render_roles(text, resolve=resolve, cite=lambda keys, role: f"{role}{keys}")
    assert rendered == "Take-rate, Errata, unknown, $p_q$, cite:t['a', 'b']"


def test_doctest_loses_prompts_and_output_and_splits_after_each_output():
    body = (
        ">>> from math import sqrt\n"
        ">>> sqrt(4)\n"
        "2.0\n"
        ">>> for x in (1, 2):\n"
        "...     print(x)\n"
        "1\n"
        "2\n"
        ">>> y = 3\n"
    )
    assert doctest_cells(body) == [
        ("from math import sqrt\nsqrt(4)", False),
        ("for x in (1, 2):\n    print(x)", False),
        ("y = 3", False),
    ]


def test_a_doctest_that_expects_an_error_is_tagged():
    body = ">>> x = 1\n>>> int('a')\nTraceback (most recent call last):\nValueError: no\n"
    assert doctest_cells(body) == [("x = 1", False), ("int('a')", True)]
    notebook = to_notebook(f"```{{doctest}}\n{body}```\n")
    assert notebook.cells[-1].metadata["tags"] == ["raises-exception"]


def test_skipped_examples_are_left_out():
    assert doctest_cells(">>> slow()  # doctest: +SKIP\n>>> 1\n1\n") == [("1", False)]


def test_testsetup_is_a_code_cell_and_comes_first():
    page = (
        "# T\n\n```{testsetup}\nimport math\n```\n\nText.\n\n"
        "```{doctest}\n>>> math.pi > 3\nTrue\n```\n"
    )
    notebook = to_notebook(page)
    assert cells(notebook, "code") == ["import math", "math.pi > 3"]


EXERCISE = """\
## Exercises

::::{exercise} A *burst*
:level: compute

What is the p90 of {{ burst }}?

:::{solution}
The answer.

```{doctest}
>>> secret = 42
```
:::
::::
"""


def test_exercise_is_a_question_and_an_empty_cell_without_its_solution():
    notebook = to_notebook(EXERCISE, substitutions={"burst": "[1, 2]"}, exercise_numbers=["1.3"])
    markdown = cells(notebook, "markdown")
    assert markdown == [
        "## Exercises",
        "**Exercise 1.3 (compute): A *burst***\n\nWhat is the p90 of [1, 2]?",
    ]
    assert cells(notebook, "code") == ["# Your answer here"]
    assert "secret" not in nbformat.writes(notebook)
    assert "The answer" not in nbformat.writes(notebook)


def test_figures_become_a_sentence_and_key_ideas_keep_their_title():
    page = (
        ":::{dmls-figure} capacity-plan\n:alt: Bars that rise.\n\nThe plan for {{ n }}.\n:::\n\n"
        ":::{admonition} Key ideas\n:class: key-ideas\n\n- One.\n:::\n"
    )
    markdown = cells(to_notebook(page, substitutions={"n": "12"}), "markdown")
    assert markdown == [
        "*Figure (on the web page):* The plan for 12.\n\n*What it shows:* Bars that rise."
        "\n\n**Key ideas**\n\n- One."
    ]


def test_colon_fences_nest_and_backticks_inside_them_close_nothing():
    blocks = parse(
        "::::{exercise} T\n:level: check\n\n```text\n:::\n```\n\n:::{solution}\nA\n:::\n::::\n"
    )
    (exercise,) = blocks
    assert exercise.name == "exercise"
    assert exercise.options == {"level": "check"}
    kinds = [type(block).__name__ for block in exercise.blocks]
    assert kinds == ["Code", "Directive"]


def test_cell_ids_are_stable():
    first, second = (
        nbformat.writes(to_notebook(EXERCISE, substitutions={"burst": "x"})) for _ in "ab"
    )
    assert first == second
    assert '"id": "cell-0"' in first


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_page_converts_to_code_that_compiles(page, numbers):
    notebook = to_notebook(page.read_text(), substitutions=numbers)
    code = cells(notebook, "code")
    for source in code:
        ast.parse(source)
    # Every doctest statement made it into a cell: count the prompts.
    prompts = len(re.findall(r"^>>> ", page.read_text(), re.M))
    solution_prompts = sum(
        len(re.findall(r"^>>> ", solution.body, re.M))
        for exercise in dmls_notebooks.exercises(page.read_text())
        for solution in exercise.blocks
        if getattr(solution, "name", None) == "solution"
    )
    statements = sum(len(ast.parse(source).body) for source in code)
    assert statements >= prompts - solution_prompts
    assert "{{" not in nbformat.writes(notebook)


def shell_commands(markdown: str) -> list[str]:
    """The lines of the first ```sh block in *markdown*."""
    return re.search(r"```sh\n(.*?)```", markdown, re.S).group(1).splitlines()


def test_a_notebook_installs_the_package_as_the_readme_does():
    """Nothing publishes the package: the notebook's first cell clones the
    repository and installs from it, with the README's own commands."""
    readme = (DOCS.parent / "README.md").read_text()
    section = readme.split("## Exercises, notebooks and the case study")[1].split("\n## ")[0]
    install, open_it = shell_commands(section)
    notebook = open_it.rpartition("/")[2]
    steps = shell_commands(dmls_notebooks.how_to_run("https://github.com/o/notes", notebook))
    assert steps == ["git clone https://github.com/o/notes", "cd notes", install, open_it]


def test_the_install_command_installs_every_module_a_notebook_imports(numbers):
    """A reader runs a notebook after its first cell's command and nothing
    else: every module its code imports comes with the package or an extra
    that command names. (It once installed no extra, and the Dask example of
    percentiles-at-scale stopped at 'No module named dask'.)"""
    project = tomllib.loads((DOCS.parent / "pyproject.toml").read_text())["project"]
    steps = shell_commands(dmls_notebooks.how_to_run("https://github.com/o/notes", "x.ipynb"))
    (install,) = [step for step in steps if " pip install " in step]
    extras = re.search(r"-e \"?\.(?:\[([\w,]+)\])?", install)[1] or ""
    requirements = project["dependencies"] + [
        requirement
        for extra in filter(None, extras.split(","))
        for requirement in project["optional-dependencies"][extra]
    ]
    installed = {re.match(r"[\w.-]+", r)[0].lower() for r in requirements} | {"dmls_examples"}
    imported = set()
    for page in PAGES:
        for source in cells(to_notebook(page.read_text(), substitutions=numbers), "code"):
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.partition(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    imported.add(node.module.partition(".")[0])
    imported -= set(sys.stdlib_module_names)
    assert "dask" in imported  # the check sees the imports it is about
    assert imported <= installed


def test_citations_are_author_year():
    cite = dmls_notebooks.bibliography_citer([DOCS / "references.bib"])
    assert cite(["huyen2022"], "cite:p") == "(Huyen, 2022)"
    assert cite(["huyen2022"], "cite:t") == "Huyen (2022)"


@pytest.mark.slow
def test_the_runner_fails_on_a_notebook_that_raises(tmp_path, capsys):
    fine = to_notebook("```{doctest}\n>>> 1 + 1\n2\n```\n")
    broken = to_notebook("```{doctest}\n>>> 1 / 0\n0\n```\n")
    nbformat.write(fine, tmp_path / "fine.ipynb")
    nbformat.write(broken, tmp_path / "broken.ipynb")
    assert dmls_notebooks.run_notebooks(tmp_path) == 1
    assert "notebooks: 1 passed, 1 failed" in capsys.readouterr().out
    # Each kernel is shut down when its notebook is done, passed or failed,
    # not left running until this process exits.
    assert kernels_started_here() == []


def kernels_started_here() -> list[str]:
    """The command lines of the IPython kernels this process started and
    that still run (Linux's /proc)."""
    parent = f"\nPPid:\t{os.getpid()}\n"
    kernels = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if parent not in status.read_text():
                continue
            command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # the process ended while we looked
            continue
        if "ipykernel" in command:
            kernels.append(command)
    return kernels


REPOSITORY = "https://example.org/sample/sample-notes.git"
SAMPLE_CONF = f"""
import sys
sys.path.insert(0, {str(DOCS / "_ext")!r})
project = "Sample"
version = "1"
copyright = "2025, Sample"
extensions = ["myst_parser", "sphinx_design", "sphinx.ext.doctest"]
extensions += ["dmls_exercises", "dmls_notebooks"]
epub_post_files = [("solutions.xhtml", "Solutions")]
myst_enable_extensions = ["colon_fence", "substitution"]
myst_substitutions = {{"answer": "42"}}
dmls_notebook_pages = ["chapter-*/*"]
dmls_notebook_exclude = ["chapter-*/index"]
dmls_notebook_repository = {REPOSITORY!r}
"""

SAMPLE = {
    "index.md": "# Sample\n\n```{toctree}\nchapter-1/index\n```\n",
    "chapter-1/index.md": "# Chapter 1: Basics\n\n```{toctree}\npage\n```\n",
    "chapter-1/page.md": (
        "# A page\n\nThe answer is {{ answer }}; see {doc}`index`.\n\n"
        "```{doctest}\n>>> 6 * 7\n42\n```\n\n## Exercises\n\n"
        "::::{exercise} Again\n:level: compute\n\nQ.\n\n:::{solution}\n```{doctest}\n"
        ">>> hidden = 1\n```\n:::\n::::\n"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["html", "epub"])
def test_the_html_build_writes_and_links_a_notebook_per_page(tmp_path, builder):
    (tmp_path / "src/chapter-1").mkdir(parents=True)
    (tmp_path / "src/conf.py").write_text(SAMPLE_CONF)
    for name, text in SAMPLE.items():
        (tmp_path / "src" / name).write_text(text)
    built = build_in_process(tmp_path / "src", builder)
    assert not built.warnings
    out = built.outdir
    suffix = ".html" if builder == "html" else ".xhtml"
    page = (out / f"chapter-1/page{suffix}").read_text()
    notebooks = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ipynb"))
    if builder == "epub":  # the EPUB, like the PDF, offers no notebook
        assert notebooks == []
        assert "Download as notebook" not in page
        return
    assert notebooks == ["chapter-1/page.ipynb"]
    assert '<a href="page.ipynb" download>Download as notebook</a>' in page
    assert f'a clone of <a href="{REPOSITORY}">the repository</a>' in page
    assert "Download as notebook" not in (out / "chapter-1/index.html").read_text()
    notebook = nbformat.read(out / "chapter-1/page.ipynb", as_version=4)
    text = nbformat.writes(notebook)
    assert "The answer is 42; see Chapter 1: Basics." in text
    first = notebook.cells[0].source
    for command in (
        f"git clone {REPOSITORY}",
        "cd sample-notes",
        "jupyter lab ~/Downloads/page.ipynb",
    ):
        assert f"\n{command}\n" in first
    assert "Exercise 1.1 (compute): Again" in text
    assert "hidden" not in text
    assert cells(notebook, "code") == ["6 * 7", "# Your answer here"]


@pytest.mark.slow
def test_a_notebook_is_written_again_only_when_its_inputs_change(tmp_path):
    (tmp_path / "src/chapter-1").mkdir(parents=True)
    (tmp_path / "src/conf.py").write_text(SAMPLE_CONF)
    for name, text in SAMPLE.items():
        (tmp_path / "src" / name).write_text(text)
    page = tmp_path / "src/chapter-1/page.md"

    def build() -> str:
        built = build_in_process(tmp_path / "src")
        assert (built.outdir / "chapter-1/page.ipynb").is_file()
        return re.search(r"notebooks: wrote (\d+) of 1", built.status)[1]

    assert build() == "1"
    assert build() == "0"  # nothing changed
    page.touch()
    assert build() == "0"  # read again, but the same text
    page.write_text(page.read_text().replace("The answer is", "Now the answer is"))
    assert build() == "1"
    (tmp_path / "src/conf.py").write_text(SAMPLE_CONF.replace('"42"', '"43"'))
    assert build() == "1"  # a substitution the page quotes
    (tmp_path / "src/_build/html/chapter-1/page.ipynb").unlink()
    assert build() == "1"
