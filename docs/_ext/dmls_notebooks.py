"""Every chapter page as a Jupyter notebook, generated from its MyST source.

Why not jupytext? Its MyST reader turns ``{code-cell}`` directives into code
cells and leaves every other fence, ``{doctest}`` and ``{testsetup}``
included, as markdown text with its prompts, so the notebook would have
nothing to run. The pages need a different mapping:

- prose becomes markdown cells, one per section, with the substitutions
  (``{{ name }}``) filled in and roles written as plain text: a glossary
  term as its word, a citation as "(Huyen, 2022)", a cross-reference as the
  title it points to, an API role as ``take_rate()``;
- ``{testsetup}`` becomes a code cell, and each ``{doctest}`` becomes code
  cells without prompts or expected output, split after every statement
  that shows output, so each result the page shows is a result the notebook
  shows;
- an exercise becomes its question in a markdown cell and an empty code
  cell to answer in; its solution is left out;
- a figure becomes a sentence with its caption and description, since the
  notebook must work offline, away from the site.

The HTML build writes ``<page>.ipynb`` beside each page named by
``dmls_notebook_pages`` (glob patterns, minus ``dmls_notebook_exclude``)
and puts a "Download as notebook" link under its title. The package the
notebooks import is installed from a clone of the repository
(``dmls_notebook_repository``); each notebook's first cell says how. Run
this file as a script to execute the notebooks of a built site with
nbclient::

    python docs/_ext/dmls_notebooks.py run build/html
"""

from __future__ import annotations

import fnmatch
import hashlib
import html
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging

if TYPE_CHECKING:
    import nbformat

logger = logging.getLogger(__name__)

# -- Parsing MyST into blocks --------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<marker>`{3,}|:{3,})\s*(?P<info>.*?)\s*$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")


@dataclass
class Text:
    """Markdown between fences."""

    text: str


@dataclass
class Code:
    """A fenced code block that is not a directive."""

    language: str
    text: str
    marker: str = "```"


@dataclass
class Directive:
    """A fenced directive: ``{name} argument``, its options and its body."""

    name: str
    argument: str
    options: dict[str, str] = field(default_factory=dict)
    body: str = ""

    @property
    def blocks(self) -> list[Text | Code | Directive]:
        """The body parsed as MyST, for directives that hold markup."""
        return parse(self.body)


def _closes(line: str, marker: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(marker) and set(stripped) == {marker[0]} and marker[0] in "`:"


def _fenced(lines: list[str], start: int, marker: str) -> int:
    """Index of the line that closes the fence opened at *start* (or len(lines))."""
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if _closes(line, marker):
            return i
        inner = _FENCE.match(line)
        if marker[0] == ":" and inner and inner["marker"][0] == "`":
            i = _fenced(lines, i, inner["marker"])  # a ":::" inside code closes nothing
        i += 1
    return len(lines)


def _split_options(body_lines: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    for i, line in enumerate(body_lines):
        match = _OPTION.match(line)
        if not match:
            return options, body_lines[i:]
        options[match["key"]] = match["value"]
    return options, []


def parse(text: str) -> list[Text | Code | Directive]:
    """Split MyST *text* into prose, code fences and directives, in order.

    Fences nest: a colon fence ends at a line of at least as many colons, so
    ``::::{exercise}`` can hold ``:::{solution}``, which can hold a
    ``{doctest}`` fence. Front matter is dropped.
    """
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    lines = text.splitlines()
    blocks: list[Text | Code | Directive] = []
    prose: list[str] = []

    def flush() -> None:
        if any(line.strip() for line in prose):
            blocks.append(Text("\n".join(prose).strip("\n")))
        prose.clear()

    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            prose.append(lines[i])
            i += 1
            continue
        end = _fenced(lines, i, match["marker"])
        indent = len(match["indent"])
        body = [line[indent:] if line[:indent].isspace() else line for line in lines[i + 1 : end]]
        flush()
        directive = _DIRECTIVE.match(match["info"])
        if directive:
            options, body = _split_options(body)
            blocks.append(
                Directive(directive["name"], directive["argument"], options, "\n".join(body))
            )
        else:
            blocks.append(Code(match["info"], "\n".join(body), match["marker"]))
        i = end + 1
    flush()
    return blocks


def exercises(text: str) -> Iterator[Directive]:
    """Every ``{exercise}`` directive in *text*, however deeply nested."""
    for block in parse(text):
        if isinstance(block, Directive):
            if block.name == "exercise":
                yield block
            else:
                yield from exercises(block.body)


# -- Rendering roles and substitutions as plain markdown -------------------------

_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]+)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>\w+)\s*\}\}")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")
_LABEL = re.compile(r"^\([\w:-]+\)=\s*$")

#: Formats citation keys for a role ("cite:p" or "cite:t").
Cite = Callable[[list[str], str], str]
#: The title a reference points to, from its role ("doc", "ref") and target.
Resolve = Callable[[str, str], str | None]


def _api_name(content: str, role: str) -> str:
    short = content.startswith("~")
    name = content.lstrip("~")
    if short:
        name = name.rpartition(".")[2]
    if role.endswith(("func", "meth")):
        name += "()"
    return f"`{name}`"


def render_roles(text: str, *, cite: Cite | None = None, resolve: Resolve | None = None) -> str:
    """Write MyST roles as the words a reader would see on the page."""

    def replace(match: re.Match) -> str:
        role, content = match["role"], match["content"]
        explicit = _EXPLICIT.match(content)
        if role.startswith("cite"):
            keys = [key.strip() for key in content.split(",")]
            return cite(keys, role) if cite else f"[{', '.join(keys)}]"
        if role in ("math",):
            return f"${content}$"
        if role.startswith("py:") or role in ("func", "class", "mod", "meth", "attr"):
            return _api_name(content, role)
        if explicit:
            return explicit["text"]
        if role in ("doc", "ref", "numref") and resolve:
            return resolve(role, content) or content
        return content

    return _ROLE.sub(replace, text)


def fill_substitutions(text: str, substitutions: dict[str, str]) -> str:
    """Replace ``{{ name }}`` with its value; an unknown name is an error."""

    def replace(match: re.Match) -> str:
        name = match["name"]
        if name not in substitutions:
            raise ValueError(f"substitution {name!r} is not defined")
        return str(substitutions[name])

    return _SUBSTITUTION.sub(replace, text)


# -- Doctest blocks as code cells ------------------------------------------------


@dataclass
class _Statement:
    source: list[str]
    output: list[str]


def _statements(body: str) -> list[_Statement]:
    statements: list[_Statement] = []
    for line in body.splitlines():
        if line.startswith(">>>"):
            statements.append(_Statement([line[4:] if len(line) > 3 else ""], []))
        elif line.startswith("...") and statements and not statements[-1].output:
            statements[-1].source.append(line[4:] if len(line) > 3 else "")
        elif statements and line.strip():
            statements[-1].output.append(line)
    return statements


def doctest_cells(body: str) -> list[tuple[str, bool]]:
    """Code cells for a doctest block: (source, whether it raises).

    Prompts and expected output go; a cell ends after each statement that
    shows output, so the notebook shows what the page shows. A statement
    marked ``+SKIP`` is left out; one whose expected output is a traceback
    gets a cell of its own, tagged so that the run expects the error.
    """
    cells: list[tuple[str, bool]] = []
    pending: list[str] = []
    for statement in _statements(body):
        source = "\n".join(statement.source).rstrip()
        if "doctest: +SKIP" in source:
            continue
        raises = bool(statement.output) and statement.output[0].startswith("Traceback")
        if raises:
            if pending:
                cells.append(("\n".join(pending), False))
                pending = []
            cells.append((source, True))
            continue
        pending.append(source)
        if statement.output:
            cells.append(("\n".join(pending), False))
            pending = []
    if pending:
        cells.append(("\n".join(pending), False))
    return cells


# -- MyST page to notebook ------------------------------------------------------


@dataclass
class _Notebook:
    # Cells as plain dicts: nbformat's new_*_cell would validate each one
    # against the schema, and to_notebook validates the whole notebook anyway.
    cells: list[dict] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)

    def text(self, text: str) -> None:
        if text.strip():
            self.markdown.append(text.strip("\n"))

    def flush(self) -> None:
        if self.markdown:
            source = "\n\n".join(self.markdown)
            self.cells.append({"cell_type": "markdown", "metadata": {}, "source": source})
            self.markdown = []

    def code(self, source: str, *, raises: bool = False) -> None:
        self.flush()
        metadata = {"tags": ["raises-exception"]} if raises else {}
        cell = {"cell_type": "code", "execution_count": None, "metadata": metadata}
        self.cells.append({**cell, "outputs": [], "source": source})


_ADMONITIONS = {"note", "tip", "important", "warning", "caution", "attention", "seealso"}
_SKIPPED = {"toctree", "testcleanup", "testoutput", "solution", "solutions", "eval-rst"}


def to_notebook(
    text: str,
    *,
    title: str | None = None,
    substitutions: dict[str, str] | None = None,
    cite: Cite | None = None,
    resolve: Resolve | None = None,
    exercise_numbers: list[str] | None = None,
    preamble: str | None = None,
) -> nbformat.NotebookNode:
    """Convert a MyST page to a notebook (see the module docstring for the mapping).

    Args:
        text: The page's MyST source.
        title: The page's title, for the notebook's metadata.
        substitutions: Values for ``{{ name }}``.
        cite: Formats citation keys; by default ``[key]``.
        resolve: Gives the title a ``{doc}`` or ``{ref}`` target points to.
        exercise_numbers: "1.3" and so on, one per exercise in page order;
            without them an exercise is just "Exercise".
        preamble: Markdown for a first cell, such as where the page lives.

    Returns:
        An nbformat 4 notebook whose cell ids are stable: the same page
        gives the same file.
    """
    substitutions = substitutions or {}
    numbers = iter(exercise_numbers or [])
    book = _Notebook()
    if preamble:
        book.text(preamble)

    def prose(markdown: str) -> str:
        lines = [
            line
            for line in markdown.splitlines()
            if not _LABEL.match(line) and not line.startswith("%")
        ]
        markdown = fill_substitutions("\n".join(lines), substitutions)
        markdown = render_roles(markdown, cite=cite, resolve=resolve)
        return _LINK.sub(
            lambda m: m[0] if re.match(r"https?://", m["target"]) else m["text"], markdown
        )

    def walk(blocks: list[Text | Code | Directive]) -> None:
        for block in blocks:
            if isinstance(block, Text):
                for part in re.split(r"(?m)^(?=#{1,6} )", block.text):
                    if part.lstrip().startswith("#"):
                        book.flush()
                    book.text(prose(part))
            elif isinstance(block, Code):
                book.text(f"{block.marker}{block.language}\n{block.text}\n{block.marker}")
            else:
                directive(block)

    def directive(block: Directive) -> None:
        name = block.name
        if name in _SKIPPED:
            return
        if name in ("testsetup", "testcode"):
            book.code(block.body.strip("\n"))
        elif name == "doctest":
            for source, raises in doctest_cells(block.body):
                book.code(source, raises=raises)
        elif name == "exercise":
            number = next(numbers, None)
            label = f"Exercise {number}" if number else "Exercise"
            level = block.options.get("level", "")
            heading = f"**{label} ({level}): {prose(block.argument)}**"
            book.flush()
            book.text(heading)
            walk(block.blocks)
            book.flush()
            book.code("# Your answer here")
        elif name in ("admonition", *_ADMONITIONS):
            title = block.argument or name.capitalize()
            book.text(f"**{prose(title)}**")
            walk(block.blocks)
        elif name == "rubric":
            book.text(f"**{prose(block.argument)}**")
        elif name in ("dmls-figure", "figure"):
            # A figure's body is its caption.
            caption = block.body.strip()
            alt = block.options.get("alt", "")
            sentence = f"*Figure (on the web page):* {prose(caption)}"
            if alt:
                sentence += f"\n\n*What it shows:* {prose(alt)}"
            book.text(sentence)
        elif name == "math":
            book.text(f"$$\n{block.body.strip()}\n$$")
        elif name == "only":
            if re.search(r"\bhtml\b", block.argument) and "not html" not in block.argument:
                walk(block.blocks)
        else:
            walk(block.blocks)

    import nbformat  # loaded only when a notebook is made

    walk(parse(text))
    book.flush()
    metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    if title:
        metadata["title"] = title
    notebook = nbformat.from_dict(
        {
            "nbformat": nbformat.v4.nbformat,
            "nbformat_minor": nbformat.v4.nbformat_minor,
            "metadata": metadata,
            "cells": [{**cell, "id": f"cell-{i}"} for i, cell in enumerate(book.cells)],
        }
    )
    nbformat.validate(notebook)
    return notebook


# -- Citations ----------------------------------------------------------------------


def _unbraced(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def bibliography_citer(paths: list[Path]) -> Cite:
    """A *cite* function that writes keys author-year, as the site does."""
    from pybtex.database import parse_file

    labels: dict[str, tuple[str, str]] = {}
    for path in paths:
        for key, entry in parse_file(str(path)).entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [_unbraced(" ".join(person.last_names)) for person in people]
            if not names:
                names = [_unbraced(entry.fields.get("organization", key))]
            if len(names) == 1:
                author = names[0]
            elif len(names) == 2:
                author = f"{names[0]} and {names[1]}"
            else:
                author = f"{names[0]} et al."
            labels[key] = (author, entry.fields.get("year", "n.d."))

    def cite(keys: list[str], role: str) -> str:
        found = [labels.get(key, (key, "")) for key in keys]
        if role == "cite:t":
            return "; ".join(f"{author} ({year})" for author, year in found)
        return "(" + "; ".join(f"{author}, {year}" for author, year in found) + ")"

    return cite


# -- Sphinx ---------------------------------------------------------------------


def notebook_pages(env) -> list[str]:
    """The docnames that get a notebook, in sorted order."""
    config = env.config

    def matches(docname: str, patterns) -> bool:
        return any(fnmatch.fnmatchcase(docname, pattern) for pattern in patterns)

    return sorted(
        docname
        for docname in env.found_docs
        if matches(docname, config.dmls_notebook_pages)
        and not matches(docname, config.dmls_notebook_exclude)
    )


#: Only the HTML site offers notebooks: not the EPUB, not the PDF.
NOTEBOOK_BUILDERS = ("html",)


def how_to_run(repository: str, notebook: str) -> str:
    """Markdown: how to run *notebook* with the package it imports.

    Nothing publishes the package: it is installed from a clone of
    *repository*, as the README's section on notebooks does, with the
    ``dask`` extra, which the Dask example of a chapter page imports.
    """
    folder = repository.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    return (
        "It needs the examples package: install it, with its Dask extra, and JupyterLab into a "
        "virtualenv from a clone of the repository, then open the notebook "
        "where your browser saved it:\n\n"
        "```sh\n"
        f"git clone {repository}\n"
        f"cd {folder}\n"
        'python3 -m pip install -e ".[dask]" jupyterlab\n'
        f"jupyter lab ~/Downloads/{notebook}\n"
        "```"
    )


class NotebookLink(SphinxPostTransform):
    """Put "Download as notebook" under the title of each page with a notebook."""

    builders = NOTEBOOK_BUILDERS
    default_priority = 900

    def run(self, **kwargs) -> None:
        docname = self.env.current_document.docname
        if docname not in notebook_pages(self.env):
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not isinstance(section[0], nodes.title):
            return
        href = f"{PurePosixPath(docname).name}.ipynb"  # written beside the page
        repository = html.escape(self.config.dmls_notebook_repository)
        link = (
            f'<p class="dmls-notebook-link"><a href="{href}" download>'
            "Download as notebook</a> (.ipynb; it needs the examples package, "
            f'installed from a clone of <a href="{repository}">the repository</a>: '
            # The line break keeps the paragraph apart from the next in the
            # text search snippets are cut from ("says how)The book ...").
            "its first cell says how)</p>\n"
        )
        section.insert(1, nodes.raw("", link, format="html"))


def _resolver(app: Sphinx, docname: str) -> Resolve:
    env = app.env
    labels = env.get_domain("std").labels

    def resolve(role: str, target: str) -> str | None:
        if role == "doc":
            title = env.titles.get(docname_join(docname, target))
            return title.astext() if title else None
        entry = labels.get(target.lower())
        return entry[2] if entry else None

    return resolve


def _shared_inputs(app: Sphinx, bibfiles: list[Path], substitutions: dict) -> str:
    """A digest of what every notebook is made from besides its own page:
    this converter, nbformat, the substitutions, the bibliography, and the
    titles and labels that ``{doc}`` and ``{ref}`` roles resolve to."""
    from importlib.metadata import version

    env = app.env
    labels = env.get_domain("std").labels
    inputs = [
        Path(__file__).read_text(encoding="utf-8"),
        version("nbformat"),
        app.config.project,
        app.config.dmls_notebook_repository,
        json.dumps(substitutions, sort_keys=True, default=str),
        [path.read_text(encoding="utf-8") for path in bibfiles],
        sorted((docname, title.astext()) for docname, title in env.titles.items()),
        sorted((name, list(entry)) for name, entry in labels.items()),
    ]
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()


def write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Write a notebook beside each page named by ``dmls_notebook_pages``.

    A notebook is written again only when what it is made from changed (its
    page, its exercise numbers, or the inputs of :func:`_shared_inputs`), or
    when its file is missing: the digests of the last notebooks written are
    kept beside the doctrees. Every build would otherwise convert every page.
    """
    if exception is not None or app.builder.name not in NOTEBOOK_BUILDERS:
        return
    repository = app.config.dmls_notebook_repository
    if not repository:
        logger.warning("set dmls_notebook_repository: the notebooks say where to install from")
        return
    env = app.env
    bibfiles = [Path(app.confdir) / name for name in getattr(app.config, "bibtex_bibfiles", [])]
    substitutions = getattr(app.config, "myst_substitutions", {}) or {}
    numbers = getattr(env, "dmls_exercise_numbers", {})
    shared = _shared_inputs(app, bibfiles, substitutions)
    stamps_file = Path(app.doctreedir) / "dmls_notebooks.json"
    try:
        stamps = json.loads(stamps_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamps = {}
    cite: Cite | None = None
    written = 0
    pages = notebook_pages(env)
    for docname in pages:
        source = Path(env.doc2path(docname)).read_text(encoding="utf-8")
        title = env.titles[docname].astext()
        target = Path(app.outdir) / f"{docname}.ipynb"
        inputs = json.dumps([shared, source, title, numbers.get(docname)])
        digest = hashlib.sha256(inputs.encode()).hexdigest()
        if stamps.get(str(target)) == digest and target.is_file():
            continue
        if cite is None and bibfiles:
            cite = bibliography_citer(bibfiles)
        notebook = to_notebook(
            source,
            title=title,
            substitutions=substitutions,
            cite=cite,
            resolve=_resolver(app, docname),
            exercise_numbers=numbers.get(docname),
            preamble=(
                f"*{title}*, from {app.config.project}, generated from the page's "
                "source. Run the cells in order, and try your own inputs.\n\n"
                + how_to_run(repository, target.name)
            ),
        )
        import nbformat

        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
        stamps[str(target)] = digest
        written += 1
    if written:
        stamps_file.write_text(json.dumps(stamps, sort_keys=True, indent=0), encoding="utf-8")
    logger.info("notebooks: wrote %d of %d (the others had not changed)", written, len(pages))


def setup(app: Sphinx) -> dict:
    app.add_config_value("dmls_notebook_pages", [], "html", types=[list])
    app.add_config_value("dmls_notebook_exclude", [], "html", types=[list])
    app.add_config_value("dmls_notebook_repository", "", "html", types=[str])
    app.add_post_transform(NotebookLink)
    app.connect("build-finished", write_notebooks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


# -- Running the notebooks ------------------------------------------------------


def run_notebooks(folder: Path, *, timeout: int = 300, parallel: int = 4) -> int:
    """Execute every notebook under *folder* top to bottom; return the failures.

    Each notebook gets a fresh kernel. A kernel spends most of its start-up
    waiting, so *parallel* notebooks run at once. Each kernel talks over Unix
    sockets in a folder of its own, not TCP ports: a port is chosen free
    before the kernel binds it, and one of several kernels started together
    found its port taken ("Address already in use") and never answered.
    """
    import asyncio
    import tempfile

    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    paths = sorted(folder.rglob("*.ipynb"))
    if not paths:
        print(f"notebooks: none found under {folder}; build the HTML first", file=sys.stderr)
        return 1
    gate = asyncio.Semaphore(parallel)

    async def run(path: Path) -> bool:
        notebook = nbformat.read(path, as_version=4)
        async with gate:
            with tempfile.TemporaryDirectory(prefix="dmls-kernel-") as sockets:
                kernel = AsyncKernelManager(
                    kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel")
                )
                client = NotebookClient(
                    notebook,
                    km=kernel,  # the kernel to start: its name is given there
                    timeout=timeout,
                    shutdown_kernel="immediate",
                    resources={"metadata": {"path": str(path.parent)}},
                )
                try:
                    # nbclient shuts down only a kernel it started itself;
                    # this one is ours, so ask, or every kernel would live on
                    # until this process exits, its socket folder gone.
                    await client.async_execute(cleanup_kc=True)
                except CellExecutionError as error:
                    print(f"FAILED {path.relative_to(folder)}\n{error}", file=sys.stderr)
                    return False
        print(f"ok     {path.relative_to(folder)}")
        return True

    async def run_all() -> list[bool]:
        return await asyncio.gather(*(run(path) for path in paths))

    passed = sum(asyncio.run(run_all()))
    failed = len(paths) - passed
    print(f"notebooks: {passed} passed, {failed} failed")
    return failed


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "run":
        sys.exit("usage: python docs/_ext/dmls_notebooks.py run BUILD_HTML_FOLDER")
    sys.exit(1 if run_notebooks(Path(sys.argv[2])) else 0)
