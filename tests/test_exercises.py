"""Exercises: every page's set is complete, and the machinery does what it says.

The per-page checks apply to every page with an "## Exercises" section, so a
page is covered from the moment it gets one. The build checks run the
extension (docs/_ext/dmls_exercises.py) on a small project in a temporary
folder: HTML hides each solution in a <details> element, LaTeX prints it in
the Solutions appendix with links both ways, and the doctest builder runs the
examples inside solutions.
"""

import re
from pathlib import Path

import pytest
from dmls_notebooks import Directive, Text, exercises, parse
from myst_pages import CHAPTER_PAGES, PAGES, numbers_in, page_id
from sphinx_builds import build_in_process

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXTENSIONS = DOCS / "_ext"
LEVELS = {"check", "compute", "design"}

PAGES_WITH_EXERCISES = [
    page for page in PAGES if re.search(r"^## Exercises\s*$", page.read_text(), re.M)
]
ALL_EXERCISE_PAGES = [page for page in PAGES if "{exercise}" in page.read_text()]


def is_label(text: str) -> bool:
    return all(re.fullmatch(r"\([\w-]+\)=", line) for line in text.split())


def solutions(exercise: Directive) -> list[Directive]:
    return [b for b in exercise.blocks if isinstance(b, Directive) and b.name == "solution"]


def exercises_section(text: str) -> str:
    """The page from its "## Exercises" heading to the next heading of that level."""
    start = re.search(r"^## Exercises\s*$", text, re.M).end()
    following = re.search(r"^#{1,2} ", text[start:], re.M)
    return text[start : start + following.start()] if following else text[start:]


def section_counts(pages) -> dict[Path, int]:
    return {p: len(list(exercises(exercises_section(p.read_text())))) for p in pages}


def test_each_exercises_section_has_three_to_six():
    # One test over every page with the section, so it covers a page as soon
    # as the page gets one (a parametrised test would skip while none has).
    counts = section_counts(PAGES_WITH_EXERCISES)
    wrong = {page_id(page): n for page, n in counts.items() if not 3 <= n <= 6}
    assert not wrong, f"pages whose Exercises section does not hold 3 to 6: {wrong}"


def test_the_section_count_stops_at_the_next_heading(tmp_path):
    page = tmp_path / "page.md"
    one = "::::{exercise} T\n:level: check\n\nQ.\n\n:::{solution}\nA.\n:::\n::::\n\n"
    page.write_text(f"# P\n\n{one}## Exercises\n\n{one * 2}## Going further\n\n{one}")
    assert section_counts([page]) == {page: 2}


@pytest.mark.parametrize("page", ALL_EXERCISE_PAGES, ids=page_id)
def test_every_exercise_has_a_level_and_one_solution(page):
    for exercise in exercises(page.read_text()):
        assert exercise.options.get("level") in LEVELS, exercise.argument
        assert len(solutions(exercise)) == 1, exercise.argument
        assert exercise.argument.strip(), "an exercise needs a title"


@pytest.mark.parametrize("page", ALL_EXERCISE_PAGES, ids=page_id)
def test_every_compute_solution_runs_a_doctest(page):
    for exercise in exercises(page.read_text()):
        if exercise.options["level"] != "compute":
            continue
        (solution,) = solutions(exercise)
        blocks = solution.blocks
        assert any(isinstance(b, Directive) and b.name == "doctest" for b in blocks), (
            f"{exercise.argument!r} computes without a doctest"
        )


@pytest.mark.parametrize("page", ALL_EXERCISE_PAGES, ids=page_id)
def test_a_design_solution_says_what_a_good_and_a_weak_answer_contain(page):
    for exercise in exercises(page.read_text()):
        if exercise.options["level"] == "design":
            (solution,) = solutions(exercise)
            text = solution.body.lower()
            assert "good answer" in text, exercise.argument
            assert "weak answer" in text, exercise.argument


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_every_chapter_page_ends_with_exercises_at_every_level(page):
    text = page.read_text()
    heading = re.search(r"^## Exercises\s*$", text, re.M)
    assert heading, "no Exercises section"
    assert text.rfind(":class: key-ideas") < heading.start(), "Exercises come before Key ideas"
    assert not re.search(r"^#{1,2} ", text[heading.end() :], re.M), "a section follows Exercises"
    found = list(exercises(text[heading.end() :]))
    assert 3 <= len(found) <= 6, f"{len(found)} exercises"
    assert {exercise.options.get("level") for exercise in found} == LEVELS


#: Numbers any solution may state without its exercise showing them, and why.
STATED_FREELY = {95.0: "the confidence level of the package's intervals (95%)"}
#: Numbers one solution derives in words from what its doctest shows, keyed
#: by (exercise title, number), with the derivation; keep it short.
DERIVED: dict[tuple[str, float], str] = {}


def doctest_bodies(blocks) -> list[str]:
    found = []
    for block in blocks:
        if isinstance(block, Directive):
            found += [block.body] if block.name == "doctest" else doctest_bodies(block.blocks)
    return found


def prose_of(blocks) -> str:
    """The words of *blocks* outside doctests, with roles (links, citations) removed."""
    parts = []
    for block in blocks:
        if isinstance(block, Text):
            parts.append(re.sub(r"\{[\w:-]+\}`[^`]*`", "", block.text))
        elif isinstance(block, Directive) and block.name != "doctest":
            parts.append(prose_of(block.blocks))
    return "\n".join(parts)


def unshown_numbers(exercise: Directive) -> list[float]:
    """Numbers in a solution's words that neither the exercise nor its doctests show.

    A solution explains what its doctest printed, so every number it quotes
    should be an input of the exercise or a value the doctest shows, as
    printed or as a percentage of it (0.07 as "7 points").
    """
    blocks = exercise.blocks  # parsed anew on each access
    (solution,) = (b for b in blocks if isinstance(b, Directive) and b.name == "solution")
    question = [block for block in blocks if block is not solution]
    shown = set(numbers_in(exercise.argument) + numbers_in(prose_of(question)))
    for body in doctest_bodies(blocks):
        shown |= set(numbers_in(body))
    allowed = {round(x * scale, 9) for x in shown for scale in (1, 100, 0.01)}
    quoted = set(numbers_in(prose_of(solution.blocks))) - set(STATED_FREELY)
    derived = {n for title, n in DERIVED if title == exercise.argument}
    return sorted(n for n in quoted - derived if round(n, 9) not in allowed)


@pytest.mark.parametrize("page", ALL_EXERCISE_PAGES, ids=page_id)
def test_a_compute_solution_quotes_only_numbers_it_shows(page):
    wrong = {
        exercise.argument: unshown_numbers(exercise)
        for exercise in exercises(page.read_text())
        if exercise.options["level"] == "compute" and unshown_numbers(exercise)
    }
    assert not wrong, f"solutions quote numbers their exercise does not show: {wrong}"


def test_a_number_typed_by_hand_is_caught():
    text = (
        "::::{exercise} T\n:level: compute\n\nOf 400, 150 left.\n\n:::{solution}\n"
        "```{doctest}\n>>> round(150 / 400, 3)\n0.375\n```\n\n{text}\n:::\n::::\n"
    )
    (shown,) = exercises(text.replace("{text}", "Precision 0.375, or 37.5%, of 400."))
    assert unshown_numbers(shown) == []
    (typed,) = exercises(text.replace("{text}", "About 0.38 of them."))
    assert unshown_numbers(typed) == [0.38]


@pytest.mark.parametrize("page", ALL_EXERCISE_PAGES, ids=page_id)
def test_exercise_code_fits_a_printed_line(page):
    # The PDF sets code in a fixed-width font; 80 characters fit a line.
    long = [
        line
        for exercise in exercises(page.read_text())
        for body in doctest_bodies(exercise.blocks)
        for line in body.splitlines()
        if len(line) > 80
    ]
    assert not long, long


def test_the_case_study_ends_each_section_with_one_question():
    text = (DOCS / "case-study.md").read_text()
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    asked = [s for s in sections if not s.startswith("Going further")]
    assert len(asked) >= 8
    for section in asked:
        blocks = [b for b in parse(section) if not (isinstance(b, Text) and is_label(b.text))]
        found = [b for b in blocks if isinstance(b, Directive) and b.name == "exercise"]
        assert len(found) == 1, section.splitlines()[0]
        assert blocks[-1] is found[0], f"{section.splitlines()[0]!r} does not end with it"


# -- The machinery, on a small project ---------------------------------------------

CONF = f"""
import sys
sys.path.insert(0, {str(EXTENSIONS)!r})
nitpicky = True
project = "Sample"
version = "1"
copyright = "2025, Sample"
extensions = ["myst_parser", "sphinx_design", "sphinx.ext.doctest", "dmls_exercises"]
myst_enable_extensions = ["colon_fence"]
latex_appendices = ["solutions"]
epub_post_files = [("solutions.xhtml", "Solutions")]
dmls_exercise_prefixes = {{"case": "CS"}}
"""

SOURCES = {
    "index.md": "# Sample\n\n```{toctree}\nchapter-1/index\ncase\n```\n",
    "chapter-1/index.md": "# Chapter 1: Basics\n\n```{toctree}\nfirst\nsecond\n```\n",
    "chapter-1/first.md": """\
# First page

## Exercises

::::{exercise} Add two
:level: compute

What is 1 + 1?

:::{solution}
Two, as on {doc}`second`:

```{doctest}
>>> 1 + 1
2
```
:::
::::

::::{exercise} Name it
:level: check

What is this?

:::{solution}
SECRETTWO, an {index}`answer`
:::
::::
""",
    "chapter-1/second.md": """\
# Second page

::::{exercise} Plan it
:level: design

Plan.

:::{solution}
SECRETTHREE, an {index}`answer` too
:::
::::
""",
    "case.md": (
        "# Case\n\n::::{exercise} Ask\n:level: check\n\nQ.\n\n:::{solution}\nA.\n:::\n::::\n"
    ),
    "solutions.md": "---\norphan: true\n---\n# Solutions\n\n```{solutions}\n```\n",
}


def build(project: Path, builder: str, *, parallel: int = 0) -> tuple[int, str]:
    """Build *project* afresh; return the status code and the warnings."""
    builddir = project / "out" / (builder + ("-parallel" if parallel else ""))
    result = build_in_process(
        project / "src", builder, builddir=builddir, fresh=True, parallel=parallel
    )
    return result.statuscode, result.warnings


def built(project: Path, builder: str) -> Path:
    """Build *project* warning-free; return the output folder."""
    status, warnings = build(project, builder)
    assert not warnings, warnings
    assert status == 0
    return project / "out" / builder / builder


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("exercises")
    (root / "src" / "chapter-1").mkdir(parents=True)
    (root / "src" / "conf.py").write_text(CONF)
    for name, text in SOURCES.items():
        (root / "src" / name).write_text(text)
    return root


@pytest.mark.slow
def test_html_hides_each_solution_in_a_closed_details_element(project):
    out = built(project, "html")
    page = (out / "chapter-1/first.html").read_text()
    details = re.findall(r"<details[^>]*>.*?</details>", page, re.S)
    assert len(details) == 2
    assert all(" open" not in d.split(">", 1)[0] for d in details)
    assert "SECRETTWO" in details[1]
    assert page.count("SECRETTWO") == 1  # inside the dropdown, nowhere else
    # Numbers run across the chapter's pages, in reading order.
    assert "Exercise 1.1" in page
    assert "Exercise 1.2" in page
    second = (out / "chapter-1/second.html").read_text()
    assert "Exercise 1.3" in second
    assert "Exercise CS.1" in (out / "case.html").read_text()
    # Each exercise and its solution are in the general index.
    index = (out / "genindex.html").read_text()
    assert 'href="chapter-1/first.html#exercise-1"' in index
    assert 'href="chapter-1/first.html#solution-1"' in index
    # The HTML solutions page lists exercises, not their answers.
    listing = (out / "solutions.html").read_text()
    assert 'href="chapter-1/second.html#exercise-1"' in listing
    assert "SECRETTHREE" not in listing


@pytest.mark.slow
def test_a_parallel_build_numbers_the_same(project):
    # Six pages: enough for Sphinx to read them in two processes and merge
    # the exercises each process found (env-merge-info).
    built(project, "html")
    status, warnings = build(project, "html", parallel=2)
    assert not warnings
    assert status == 0
    serial = (project / "out/html/html/solutions.html").read_text()
    parallel = (project / "out/html-parallel/html/solutions.html").read_text()
    numbers = re.findall(r"Exercise [\w.]+ \(\w+\): \w+", serial)
    assert numbers == re.findall(r"Exercise [\w.]+ \(\w+\): \w+", parallel)
    assert len(numbers) == 4


@pytest.mark.slow
def test_latex_gathers_solutions_in_an_appendix_linked_both_ways(project):
    tex = (built(project, "latex") / "sample.tex").read_text()
    body, appendix = tex.split(r"\appendix", 1)
    assert "SECRETTWO" not in body
    assert "SECRETTWO" in appendix
    assert r"\chapter{Solutions}" in appendix
    assert r"\section{Chapter 1: Basics}" in appendix
    # Exercise to solution ...
    assert r"\hyperref[\detokenize{solutions:solution-chapter-1-first-2}]" in body
    assert r"\label{\detokenize{solutions:solution-chapter-1-first-2}}" in appendix
    # ... and back.
    assert r"\hyperref[\detokenize{chapter-1/first:exercise-2}]" in appendix
    assert r"\label{\detokenize{chapter-1/first:exercise-2}}" in body
    assert "back to Exercise 1.2" in appendix
    assert "Solution 1.3 (design): Plan it" in appendix
    # A reference inside a gathered solution still resolves.
    assert r"\hyperref[\detokenize{chapter-1/second::doc}]" in appendix


@pytest.mark.slow
def test_epub_prints_solutions_on_its_last_page(project):
    out = built(project, "epub")
    page = (out / "chapter-1/first.xhtml").read_text()
    assert "SECRETTWO" not in page
    assert 'href="../solutions.xhtml#solution-chapter-1-first-2"' in page
    solutions_page = (out / "solutions.xhtml").read_text()
    assert "SECRETTWO" in solutions_page
    assert 'href="chapter-1/first.xhtml#exercise-2"' in solutions_page
    assert 'href="chapter-1/second.xhtml"' in solutions_page  # rebased {doc} link
    spine = (out / "content.opf").read_text().split("<spine", 1)[1]
    assert re.search(r'idref="epub-\d+"', spine)
    manifest = (out / "content.opf").read_text()
    solutions_id = re.search(r'id="(epub-\d+)" href="solutions.xhtml"', manifest).group(1)
    assert f'idref="{solutions_id}"' in spine
    # Both solutions' index entries were index-0 on their own pages.
    ids = re.findall(r' id="([^"]+)"', solutions_page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert "solution-chapter-1-second-1-index-0" in ids


@pytest.mark.slow
def test_the_doctest_builder_runs_examples_inside_solutions(project, tmp_path):
    out = built(project, "doctest")
    assert "1 passed and 0 failed" in (out / "output.txt").read_text()
    broken = project / "src/chapter-1/first.md"
    original = broken.read_text()
    broken.write_text(original.replace(">>> 1 + 1\n2", ">>> 1 + 1\n3"))
    try:
        status, _ = build(project, "doctest")
    finally:
        broken.write_text(original)
    assert status != 0


@pytest.mark.slow
def test_an_exercise_without_a_solution_fails_the_build(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src/conf.py").write_text(CONF)
    lonely = "# T\n\n::::{exercise} Lonely\n:level: check\n\nQ.\n::::\n"
    (tmp_path / "src/index.md").write_text(lonely)
    _status, warnings = build(tmp_path, "html")
    assert "has 0 solutions" in warnings


@pytest.mark.slow
def test_html_writes_the_solutions_page_again_only_when_the_list_changes(tmp_path):
    (tmp_path / "src" / "chapter-1").mkdir(parents=True)
    (tmp_path / "src" / "conf.py").write_text(CONF)
    for name, text in SOURCES.items():
        (tmp_path / "src" / name).write_text(text)
    first = tmp_path / "src" / "chapter-1" / "first.md"

    def written() -> set[str]:
        status = build_in_process(tmp_path / "src").status
        return set(re.findall(r"writing output\.\.\. \[[ \d]+%\] (\S+)", status))

    assert "solutions" in written()
    first.write_text(first.read_text() + "\nMore prose, same exercises.\n")
    assert "solutions" not in written()
    second = tmp_path / "src" / "chapter-1" / "second.md"
    second.write_text(second.read_text().replace("Plan it", "Plan it well"))
    assert "solutions" in written()
    second.write_text(second.read_text().replace("# Second page", "# The second page"))
    assert "solutions" in written()
