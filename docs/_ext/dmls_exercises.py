"""Exercises with worked solutions: hidden in HTML, gathered at the back in print.

A page writes an exercise with its solution nested inside it::

    ::::{exercise} The p90 of a burst
    :level: compute

    The question, in MyST.

    :::{solution}
    The worked answer; a computing one holds a {doctest} block.
    :::
    ::::

``:level:`` is ``check`` (a short answer), ``compute`` (use the package on new
numbers) or ``design`` (reason about a scenario). Every exercise has exactly
one solution; the build warns otherwise, and ``-W`` makes that an error.

Numbers run through a chapter across its pages in reading order ("Exercise
1.3" is the third exercise of chapter 1), like a textbook's end-of-chapter
exercises: the site does not number its pages, so a page-level number
("1.4.3") would quote a page number no reader sees. A page's chapter is the
``N`` of ``chapter-N/``; other pages with exercises take their prefix from
``dmls_exercise_prefixes`` (``{"case-study": "CS"}`` gives "Exercise CS.2").

What each builder does with a solution:

- HTML keeps it under its exercise in a sphinx-design dropdown, which is a
  native ``<details>`` element: closed until the reader opens it, no script.
- LaTeX and EPUB leave a "Solution" link in its place and print it on the solutions page
  (``dmls_solutions_doc``), where a ``{solutions}`` directive gathers every
  solution by chapter and page, each linked back to its exercise. conf.py
  makes that page LaTeX's appendix (``latex_appendices``) and the EPUB's last
  page (``epub_post_files``).

Why not sphinx-exercise? It was the first candidate and does less of what
this site needs: it prints solutions inline in every output (hiding them
needs sphinx-togglebutton's script, and there is no gathering into an
appendix), numbers through numfig, which needs a numbered toctree and turns on
figure numbering for the whole site, and gives every exercise and solution
body the same HTML id (``exercise-content``, ``solution-content``), so a page
with two exercises has duplicate ids. Moving its nodes into an appendix would
mean working against its post-transforms. This extension is small, uses
sphinx-design (already a dependency) for the HTML dropdown, and keeps to
public Sphinx APIs: directives, post-transforms, ``env`` data merged through
``env-merge-info`` and ``env-purge-doc``, and links resolved by a small
domain, whose resolver Sphinx hands the builder.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.nodes import make_refnode
from sphinx_design.shared import create_component

logger = logging.getLogger(__name__)

LEVELS = ("check", "compute", "design")
_CHAPTER = re.compile(r"^chapter-(\d+)/")
_CSS = Path(__file__).with_name("dmls_exercises.css")


class exercise_node(nodes.General, nodes.Element):
    """An exercise as read; becomes an admonition when written."""


class solution_node(nodes.General, nodes.Element):
    """A solution as read; a dropdown in HTML, a link in gathered builders."""


class exercise_number(nodes.Inline, nodes.TextElement):
    """Stands for "Exercise 1.3" until every page is read and numbered."""


class solutions_list(nodes.General, nodes.Element):
    """Where the solutions page gathers solutions (or lists exercises)."""


def _exercise_id(n: int) -> str:
    return f"exercise-{n}"


def _solution_id(n: int) -> str:
    return f"solution-{n}"


def _gathered_solution_id(docname: str, n: int) -> str:
    return f"solution-{nodes.make_id(docname)}-{n}"


class ExerciseDirective(SphinxDirective):
    """``exercise``: a titled question at a level, holding one ``solution``."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"level": lambda value: directives.choice(value, LEVELS)}

    def run(self) -> list[nodes.Node]:
        if "level" not in self.options:
            raise self.error(f"exercise needs a :level: ({', '.join(LEVELS)})")
        level = self.options["level"]
        n = self.env.new_serialno("dmls-exercise") + 1
        title_nodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        title_text = nodes.paragraph("", "", *title_nodes).astext()

        node = exercise_node(docname=self.env.docname, n=n, level=level, title=title_text)
        node["ids"] = [_exercise_id(n)]
        self.set_source_info(node)
        node += nodes.title(
            "",
            "",
            exercise_number(),
            nodes.Text(" ("),
            nodes.inline(level, level, classes=["dmls-level", f"dmls-level-{level}"]),
            nodes.Text("): "),
            *title_nodes,
        )
        node += addnodes.index(
            entries=[
                ("single", f"exercises; {title_text}", _exercise_id(n), "", None),
                ("single", f"solutions; {title_text}", _solution_id(n), "", None),
            ]
        )
        self.env.current_document["dmls:exercise"] = n  # read by the nested solution
        try:
            self.state.nested_parse(self.content, self.content_offset, node)
        finally:
            self.env.current_document.pop("dmls:exercise", None)
        found = len(list(node.findall(solution_node)))
        if found != 1:
            logger.warning(
                "exercise %r has %d solutions; it needs exactly one",
                title_text,
                found,
                location=node,
            )
        return [*messages, node]


class SolutionDirective(SphinxDirective):
    """``solution``: the worked answer, nested in its ``exercise``."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        n = self.env.current_document.get("dmls:exercise")
        if n is None:
            logger.warning("a solution must be inside an exercise", location=self.get_location())
            return []
        node = solution_node(n=n)
        node["ids"] = [_solution_id(n)]
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class SolutionsDirective(SphinxDirective):
    """``solutions``: gather every solution here (print) or list the exercises (HTML)."""

    def run(self) -> list[nodes.Node]:
        return [solutions_list()]


# -- Environment data ---------------------------------------------------------
#
# env.dmls_exercises: docname -> [(title, level), ...] in page order.
# env.dmls_exercise_numbers: docname -> ["1.3", ...], computed once all pages
# are read, because numbers run across a chapter's pages.


def _records(env: BuildEnvironment) -> dict[str, list[tuple[str, str]]]:
    if not hasattr(env, "dmls_exercises"):
        env.dmls_exercises = {}
    return env.dmls_exercises


def _on_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _records(env).pop(docname, None)


def _on_merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    theirs = _records(other)
    _records(env).update({name: theirs[name] for name in docnames if name in theirs})


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    found = [(node["title"], node["level"]) for node in doctree.findall(exercise_node)]
    if found:
        _records(app.env)[app.env.docname] = found


def _listing(env: BuildEnvironment, docname: str) -> tuple[str | None, list]:
    """What a list of the exercises shows of a page: its title and its exercises."""
    title = env.titles.get(docname)
    return (title.astext() if title is not None else None, list(_records(env).get(docname, [])))


def _on_before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    env.dmls_exercises_read = set(docnames)
    # As listed before the pages are read again (Sphinx purges each one just
    # before it reads it), to tell whether the list of exercises changed.
    env.dmls_exercises_listed = {docname: _listing(env, docname) for docname in docnames}


def _reading_order(env: BuildEnvironment) -> list[str]:
    """Every document in the order a reader meets it: the toctree, depth first."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(docname: str) -> None:
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.found_docs) - seen)


def _prefix(config, docname: str) -> str | None:
    if match := _CHAPTER.match(docname):
        return match.group(1)
    return config.dmls_exercise_prefixes.get(docname)


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Number every exercise; return the pages whose numbers or solutions changed."""
    records = _records(env)
    counters: dict[str, int] = {}
    numbers: dict[str, list[str]] = {}
    for docname in _reading_order(env):
        if docname not in records:
            continue
        prefix = _prefix(app.config, docname)
        if prefix is None:
            logger.warning(
                "exercises on %s need a prefix: add the page to dmls_exercise_prefixes",
                docname,
                location=docname,
            )
            prefix = "?"
        start = counters.get(prefix, 0)
        numbers[docname] = [f"{prefix}.{start + i + 1}" for i in range(len(records[docname]))]
        counters[prefix] = start + len(records[docname])
    old = getattr(env, "dmls_exercise_numbers", {})
    env.dmls_exercise_numbers = numbers
    changed = {doc for doc in numbers.keys() | old.keys() if numbers.get(doc) != old.get(doc)}
    read = getattr(env, "dmls_exercises_read", set())
    listed = getattr(env, "dmls_exercises_listed", {})
    env.dmls_exercises_read, env.dmls_exercises_listed = set(), {}
    if app.builder.name in GATHERING_BUILDERS:
        # The solutions page prints every solution: any page with exercises
        # that was read again may have changed one.
        touched = read & (records.keys() | old.keys())
    else:
        # It lists each page's title and exercises: write it again only if
        # those changed, not whenever a page with exercises is edited.
        touched = {docname for docname in read if listed.get(docname) != _listing(env, docname)}
    solutions = app.config.dmls_solutions_doc
    if (changed or touched) and solutions in env.found_docs:
        changed.add(solutions)
    return sorted(changed - read)


# -- Writing --------------------------------------------------------------------


def _number(env: BuildEnvironment, docname: str, n: int) -> str:
    try:
        return env.dmls_exercise_numbers[docname][n - 1]
    except (AttributeError, KeyError, IndexError):
        return "?"


#: The builders that print solutions at the back instead of under each exercise.
GATHERING_BUILDERS = ("latex", "epub")


def _xref(kind: str, docname: str, n: int, text: str, fromdocname: str) -> addnodes.pending_xref:
    """A link to exercise or solution *n* of *docname*, resolved by :class:`ExerciseDomain`."""
    return addnodes.pending_xref(
        "",
        nodes.inline(text, text),
        refdomain="dmls",
        reftype=kind,
        reftarget=f"{docname}#{n}",
        refdoc=fromdocname,
        refexplicit=True,
    )


class _ExerciseTransform(SphinxPostTransform):
    # Before cross-references are resolved (priority 10), so the links made
    # here and the references inside gathered solutions resolve where they
    # land; before sphinx-design turns dropdowns into <details> (199).
    default_priority = 5

    def _fromdocname(self) -> str:
        return self.env.current_document.docname

    def _groups(self):
        """(heading, [(docname, page title, [(n, title, level), ...]), ...]) per prefix."""
        records = _records(self.env)
        groups: dict[str, tuple[str, list]] = {}
        for docname in _reading_order(self.env):
            if docname not in records:
                continue
            prefix = _prefix(self.config, docname) or "?"
            if prefix not in groups:
                index = f"chapter-{prefix}/index"
                heading_doc = index if index in self.env.titles else docname
                groups[prefix] = (self.env.titles[heading_doc].astext(), [])
            exercises = [(i + 1, *record) for i, record in enumerate(records[docname])]
            groups[prefix][1].append((docname, self.env.titles[docname].astext(), exercises))
        return list(groups.values())


class GatherSolutions(_ExerciseTransform):
    """Print: a "Solution" link under each exercise, the solutions on one page.

    The solutions page gathers every solution by chapter and page, each with
    a link back to its exercise.
    """

    builders = GATHERING_BUILDERS
    default_priority = 4  # before InlineExercises

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(solutions_list)):
            node.replace_self(self._gathered())
        for node in list(self.document.findall(solution_node)):
            node.replace_self(self._solution_link(node))

    def _solution_link(self, node: solution_node) -> list[nodes.Node]:
        exercise = node.parent
        while not isinstance(exercise, exercise_node):
            exercise = exercise.parent
        docname, n = exercise["docname"], exercise["n"]
        text = f"Solution {_number(self.env, docname, n)}"
        link = _xref("solution", docname, n, text, self._fromdocname())
        paragraph = nodes.paragraph("", "", link, classes=["dmls-solution-link"])
        return [nodes.target("", "", ids=node["ids"]), paragraph]

    def _gathered(self) -> list[nodes.Node]:
        fromdoc = self._fromdocname()
        result: list[nodes.Node] = []
        for heading, pages in self._groups():
            chapter = nodes.section(ids=[nodes.make_id(f"solutions-{heading}")])
            chapter += nodes.title(heading, heading)
            for docname, page_title, _ in pages:
                solutions = [
                    node
                    for exercise in self.env.get_doctree(docname).findall(exercise_node)
                    for node in self._gathered_solution(exercise, fromdoc)
                ]
                if page_title == heading:  # a page that is a part of its own
                    chapter.extend(solutions)
                    continue
                page = nodes.section(ids=[nodes.make_id(f"solutions-{docname}")])
                page += nodes.title(page_title, page_title)
                page.extend(solutions)
                chapter += page
            result.append(chapter)
        return result

    def _gathered_solution(self, exercise: exercise_node, fromdoc: str) -> list[nodes.Node]:
        docname, n = exercise["docname"], exercise["n"]
        number = _number(self.env, docname, n)
        solution = next(iter(exercise.findall(solution_node)), None)
        if solution is None:
            return []
        content = [child.deepcopy() for child in solution.children]
        for container in content:
            for xref in container.findall(addnodes.pending_xref):
                _rebase(xref, fromdoc)
        anchor = _gathered_solution_id(docname, n)
        _prefix_ids(content, anchor)
        heading = f"Solution {number} ({exercise['level']}): {exercise['title']}"
        back = _xref("exercise", docname, n, f"back to Exercise {number}", fromdoc)
        return [
            nodes.target("", "", ids=[anchor]),
            nodes.rubric(heading, heading, classes=["dmls-solution-title"]),
            nodes.paragraph("", "", back, classes=["dmls-solution-back"]),
            *content,
        ]


class InlineExercises(_ExerciseTransform):
    """Every builder: exercises become admonitions; what is left of solutions,
    dropdowns; the solutions page, a list of the exercises."""

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(solutions_list)):
            node.replace_self(self._exercise_list())
        for node in list(self.document.findall(solution_node)):
            node.replace_self(self._dropdown(node))
        for node in list(self.document.findall(exercise_node)):
            node.replace_self(self._admonition(node))

    def _admonition(self, node: exercise_node) -> list[nodes.Node]:
        number = _number(self.env, node["docname"], node["n"])
        for placeholder in node.findall(exercise_number):
            placeholder.replace_self(nodes.Text(f"Exercise {number}"))
        box = nodes.admonition(
            "", *node.children, classes=["dmls-exercise", f"dmls-level-{node['level']}"]
        )
        box.source, box.line = node.source, node.line
        return [nodes.target("", "", ids=node["ids"]), box]

    def _dropdown(self, node: solution_node) -> list[nodes.Node]:
        dropdown = create_component(
            "dropdown",
            opened=False,
            type="dropdown",
            has_title=True,
            icon=None,
            chevron=None,
            container_classes=["sd-mb-3", "dmls-solution"],
            title_classes=[],
            body_classes=[],
        )
        dropdown += nodes.rubric("Solution", "Solution")
        dropdown.extend(node.children)
        return [nodes.target("", "", ids=node["ids"]), dropdown]

    def _exercise_list(self) -> list[nodes.Node]:
        fromdoc = self._fromdocname()
        result: list[nodes.Node] = []
        for heading, pages in self._groups():
            result.append(nodes.rubric(heading, heading))
            items = nodes.bullet_list()
            for docname, page_title, exercises in pages:
                for n, title, level in exercises:
                    text = f"Exercise {_number(self.env, docname, n)} ({level}): {title}"
                    link = _xref("exercise", docname, n, text, fromdoc)
                    paragraph = nodes.paragraph("", "", link, nodes.Text(f", in {page_title}"))
                    items += nodes.list_item("", paragraph)
            result.append(items)
        return result


class ExerciseDomain(Domain):
    """Resolves links to exercises and gathered solutions for any builder.

    A domain's resolver is handed the builder, so the links are right in
    HTML (relative URLs), EPUB and LaTeX (``\\hyperref``) alike. Targets are
    ``<docname>#<n>``: the page's *n*-th exercise, or its solution.
    """

    name = "dmls"
    label = "Exercises"

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        docname, _, n = target.rpartition("#")
        if typ == "exercise":
            return make_refnode(builder, fromdocname, docname, _exercise_id(int(n)), contnode)
        solutions = env.config.dmls_solutions_doc
        targetid = _gathered_solution_id(docname, int(n))
        return make_refnode(builder, fromdocname, solutions, targetid, contnode)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        return []

    def merge_domaindata(self, docnames, otherdata) -> None:
        pass  # the domain keeps no data; exercises live in env.dmls_exercises


def _prefix_ids(content: list[nodes.Node], prefix: str) -> None:
    """Make the ids in a solution copied onto the solutions page unique there.

    Ids are unique only within the page they were read on: a citation or an
    index entry is ``id19`` or ``index-0`` on many pages, and two such
    solutions side by side would repeat it (EPUBCheck rejects that). Each id
    takes the solution's own anchor as a prefix, and the links inside the
    copy that pointed to it follow.
    """
    elements = [node for part in content for node in part.findall(nodes.Element)]
    renamed = {}
    for node in elements:
        renamed.update((old, f"{prefix}-{old}") for old in node["ids"])
        node["ids"] = [f"{prefix}-{old}" for old in node["ids"]]
    for node in elements:
        if node.get("refid") in renamed:
            node["refid"] = renamed[node["refid"]]
        if node.get("backrefs"):
            node["backrefs"] = [renamed.get(old, old) for old in node["backrefs"]]


def _rebase(xref: addnodes.pending_xref, docname: str) -> None:
    """Resolve *xref* as if written on *docname*; keep relative doc targets right."""
    refdoc = xref.get("refdoc")
    if refdoc and xref.get("reftype") == "doc":
        xref["reftarget"] = "/" + docname_join(refdoc, xref["reftarget"])
    xref["refdoc"] = docname


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        copy_asset_file(_CSS, static)
    solutions = app.config.dmls_solutions_doc
    if app.builder.name == "latex" and solutions not in app.config.latex_appendices:
        logger.warning("add %r to latex_appendices to print the solutions", solutions)
    epub_page = f"{solutions}.xhtml"
    if app.builder.name == "epub" and epub_page not in dict(app.config.epub_post_files):
        logger.warning("add (%r, 'Solutions') to epub_post_files", epub_page)


def setup(app: Sphinx) -> dict:
    app.add_config_value("dmls_exercise_prefixes", {}, "env", types=[dict])
    app.add_config_value("dmls_solutions_doc", "solutions", "env", types=[str])
    app.add_node(exercise_node)
    app.add_node(solution_node)
    app.add_node(exercise_number)
    app.add_node(solutions_list)
    app.add_directive("exercise", ExerciseDirective)
    app.add_directive("solution", SolutionDirective)
    app.add_directive("solutions", SolutionsDirective)
    app.add_domain(ExerciseDomain)
    app.add_post_transform(GatherSolutions)
    app.add_post_transform(InlineExercises)
    app.add_css_file("dmls_exercises.css")
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-before-read-docs", _on_before_read)
    app.connect("env-purge-doc", _on_purge_doc)
    app.connect("env-merge-info", _on_merge_info)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-updated", _on_env_updated)
    return {
        "version": "1",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
