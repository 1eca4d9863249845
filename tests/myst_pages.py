"""The pages as the build reads them, for the tests that check their prose.

tests/test_prose_numbers.py and tests/test_prose_claims.py both read the
pages through this module. Each page is parsed once, with MyST's own
markdown-it parser configured from conf.py's settings, so code, maths, roles
and substitutions are told apart exactly as the build tells them apart. A
directive's body is parsed again, as MyST parses it, unless the directive
holds code or markup.

A parsed page is a sequence of blocks in reading order:

- :class:`Prose`: a paragraph, list item, heading, definition, admonition
  or exercise title, figure caption, table row or the page's description.
  Its ``text`` keeps the words a reader reads: code, maths, substitutions
  and cross-references become ``HIDDEN`` (a reference's text names a
  target, not a claim), a ``{term}`` keeps its words, and a ``{cite:p}`` or
  ``{cite:t}`` becomes ``CITE``. A table row is one block, each cell after
  its column's heading ("photo 4 | dishes dessert"), so that a citation in
  one cell covers the row. A list item or table row also keeps the sentence
  that introduced its list with a colon, which may carry the citation.
- :class:`Code`: the body of a ``{doctest}``, ``{testsetup}``,
  ``{testcode}`` or ``{testoutput}`` block.

Each block knows its section (headings counted from the top), whether it is
page text or an exercise's question or solution, and which exercise.

Both tests also read a substitution's rendered text as a number the same
way, through :func:`rendered_value`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from source_reading import CONF, constants

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: Every page of the site (folders starting with _ hold templates and data).
PAGES = sorted(p for p in DOCS.rglob("*.md") if p.relative_to(DOCS).parts[0][0] != "_")
#: The chapters' pages, without the chapters' index pages.
CHAPTER_PAGES = sorted(p for p in DOCS.glob("chapter-*/*.md") if p.name != "index.md")

HIDDEN = "\x00"
CITE = "\x00cite\x00"


def conf_settings() -> dict[str, object]:
    """The ``myst_*`` settings conf.py assigns literally, read without importing it
    (pytest must not import conf.py)."""
    return constants(CONF, "myst_")


#: The parser the build uses, configured from conf.py's own settings.
_SETTINGS = conf_settings()
_PARSER = create_md_parser(
    MdParserConfig(
        enable_extensions=set(_SETTINGS["myst_enable_extensions"]),
        dmath_allow_space=_SETTINGS["myst_dmath_allow_space"],
        dmath_allow_digits=_SETTINGS["myst_dmath_allow_digits"],
    ),
    RendererHTML,
)

#: Directives whose body is run as an example.
CODE = {"doctest", "testsetup", "testcode", "testoutput"}
#: Directives whose body is other code, a list of names, or markup, never prose.
NOT_PROSE = {
    "testcleanup", "code-block", "code", "math", "raw", "index", "toctree",
    "bibliography", "solutions", "seed-map", "book-map", "rubric", "eval-rst",
}  # fmt: skip
#: Directives whose argument is a title a reader reads; others name a file or a figure.
TITLED = {"admonition", "exercise", "note", "warning", "tip", "seealso"}


@dataclass(frozen=True)
class Block:
    section: int  # headings before it on the page
    where: str  # "page", "question" or "solution"
    exercise: int | None  # index into Page.exercises, None outside exercises
    line: int  # the page's line where it starts (a paragraph's first line)


@dataclass(frozen=True)
class Prose(Block):
    text: str
    substitutions: tuple[str, ...]  # the {{ names }} it uses, in order
    summary: bool = False  # in a "Key ideas" admonition, which restates the page
    lead: str = ""  # the sentence that introduces its list or table with a colon


@dataclass(frozen=True)
class Code(Block):
    directive: str  # doctest, testsetup, testcode or testoutput
    text: str


@dataclass(frozen=True)
class Exercise:
    title: str
    level: str  # "check", "compute" or "design", from its :level: option


@dataclass(frozen=True)
class Page:
    name: str  # path under docs/, "chapter-1/data.md"
    blocks: tuple[Prose | Code, ...]
    exercises: tuple[Exercise, ...]  # in order

    @property
    def prose(self) -> list[Prose]:
        return [b for b in self.blocks if isinstance(b, Prose)]

    @property
    def code(self) -> list[Code]:
        return [b for b in self.blocks if isinstance(b, Code)]

    def sections(self) -> dict[int, list[Prose | Code]]:
        """Blocks by section, heading to heading."""
        found: dict[int, list[Prose | Code]] = {}
        for block in self.blocks:
            found.setdefault(block.section, []).append(block)
        return found


@dataclass(frozen=True)
class _Directive:
    name: str
    argument: str
    options: dict[str, str]
    body: str  # without the options
    skipped: int  # lines the options took


def _directive(token) -> _Directive:
    """A fence's directive: name, argument, options and body."""
    name, _, argument = token.info.strip()[1:].partition("}")
    body = token.content
    if body.startswith("---\n"):
        block, _, body = body[4:].partition("\n---\n")
        lines, skipped = block.splitlines(), block.count("\n") + 3
    else:
        lines = []
        while match := re.match(r"^:[\w-]+:.*\n?", body):
            lines.append(match.group(0).strip())
            body = body[match.end() :]
        skipped = len(lines)
    options = {}
    for line in lines:  # ":level: compute", or "level: compute" in a --- block
        key, _, value = line.removeprefix(":").partition(":")
        options[key.strip()] = value.strip()
    return _Directive(name, argument.strip(), options, body, skipped)


def _inline(token) -> tuple[str, tuple[str, ...]]:
    """An inline token's words, and the substitutions it uses."""
    parts, names = [], []
    for child in token.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "myst_role" and child.meta.get("name", "").startswith("cite"):
            parts.append(CITE)
        elif child.type == "myst_role" and child.meta.get("name") == "term":
            parts.append(re.sub(r"\s*<[^<>]*>$", "", child.content))
        elif child.type == "substitution_inline":
            names.append(child.content.strip())
            parts.append(f" {HIDDEN} ")
        elif child.type in ("code_inline", "math_inline", "myst_role"):
            parts.append(f" {HIDDEN} ")
    return "".join(parts), tuple(names)


class _Reader:
    """Walks a page's tokens, and its directives' bodies, into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Prose | Code] = []
        self.exercises: list[Exercise] = []
        self.section = 0
        self.summary = False
        self.leads: list[str] = []  # for each open list or table

    def _exercise(self, where: str) -> int | None:
        return len(self.exercises) - 1 if where != "page" else None

    def prose(self, text: str, names: tuple[str, ...], where: str, line: int) -> None:
        lead = self.leads[-1] if self.leads else ""
        block = Prose(
            self.section, where, self._exercise(where), line, text, names, self.summary, lead
        )
        self.blocks.append(block)

    def walk(self, markdown: str, where: str, offset: int) -> None:
        row: list[tuple[str, tuple[str, ...]]] | None = None
        header: list[str] = []
        row_line = 0
        colon = ""  # the last paragraph, if it ends with a colon
        for token in _PARSER.parse(markdown):
            line = offset + (token.map[0] if token.map else 0) + 1
            if token.type == "heading_open":
                self.section += 1
            elif token.type in ("bullet_list_open", "ordered_list_open", "table_open"):
                self.leads.append(colon or (self.leads[-1] if self.leads else ""))
                if token.type == "table_open":
                    header = []
            elif token.type in ("bullet_list_close", "ordered_list_close", "table_close"):
                self.leads.pop()
                colon = ""
            elif token.type == "tr_open":
                row, row_line = [], line
            elif token.type == "tr_close" and row is not None:
                # A table row reads as one sentence, each cell after its heading.
                cells = [cell for cell, _ in row]
                if not header:
                    header = cells
                else:
                    cells = [f"{h} {c}".strip() for h, c in zip(header, cells, strict=False)]
                names = tuple(n for _, cell_names in row for n in cell_names)
                self.prose(" | ".join(cells), names, where, row_line)
                row = None
            elif token.type == "inline":
                text, names = _inline(token)
                if row is not None:
                    row.append((text, names))
                else:
                    self.prose(text, names, where, line)
                    colon = text if text.rstrip().endswith(":") else ""
            elif token.type == "front_matter":
                for key, _, value in (m.partition(": ") for m in token.content.splitlines()):
                    if key.strip().endswith("description"):
                        self.prose(value.strip(), (), where, line)
            elif token.type in ("fence", "colon_fence") and token.info.startswith("{"):
                self.directive(token, where, line)
                colon = ""

    def directive(self, token, where: str, line: int) -> None:
        d = _directive(token)
        inner = line + d.skipped  # the body's first line, less one
        if d.name in CODE:
            self.blocks.append(
                Code(self.section, where, self._exercise(where), line, d.name, d.body)
            )
            return
        if d.name == "exercise":
            self.exercises.append(Exercise(d.argument, d.options.get("level", "")))
            self.prose(d.argument, (), "question", line)
            self.walk(d.body, "question", inner)
        elif d.name == "solution":
            self.walk(d.body, "solution", inner)
        elif d.name not in NOT_PROSE:
            if d.name in TITLED and d.argument:
                self.prose(d.argument, (), where, line)
            summary = self.summary
            self.summary = summary or "key-ideas" in d.options.get("class", "")
            self.walk(d.body, where, inner)
            self.summary = summary


def examples_around(blocks: tuple[Prose | Code, ...]) -> dict[Prose, tuple[Code, ...]]:
    """The examples either side of each block of prose, within its scope.

    An example is a run of code blocks with no prose between them; a block's
    scope is its section's page text, or its exercise's question, or its
    exercise's solution. A block gets the example before it and the one
    after it in its scope, as one tuple of code blocks.
    """
    scopes: dict[tuple, list[Prose | Code]] = {}
    for block in blocks:
        key = (block.where, block.exercise, block.section if block.where == "page" else None)
        scopes.setdefault(key, []).append(block)
    around: dict[Prose, tuple[Code, ...]] = {}
    for scope in scopes.values():
        runs: list[list[Code]] = []  # the examples, in order
        prose: list[tuple[Prose, int]] = []  # each block, and how many examples precede it
        after_code = False
        for block in scope:
            if isinstance(block, Prose):
                prose.append((block, len(runs)))
            elif after_code:
                runs[-1].append(block)
            else:
                runs.append([block])
            after_code = isinstance(block, Code)
        for block, before in prose:
            either_side = runs[max(before - 1, 0) : before + 1]
            around[block] = tuple(code for run in either_side for code in run)
    return around


@cache
def parse(markdown: str, name: str = "page.md") -> Page:
    """A page's blocks; *name* is its path under docs/, for messages."""
    reader = _Reader()
    reader.walk(markdown, "page", 0)
    return Page(name, tuple(reader.blocks), tuple(reader.exercises))


def read(path: Path) -> Page:
    """A page of the site, parsed once per test session."""
    return parse(path.read_text(), page_id(path))


def page_id(path: Path) -> str:
    """A page's name in test ids and messages: its path under docs/."""
    return path.relative_to(DOCS).as_posix()


def split_doctest(text: str) -> tuple[str, str]:
    """A doctest's program (its >>> and ... lines, without the prompts) and
    what it prints (the other lines)."""
    program, output = [], []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith((">>>", "...")):
            program.append(stripped[4:])
        else:
            output.append(line)
    return "\n".join(program), "\n".join(output)


#: A number in code or its output: 1_000, 1e-3, a printed 1,100 and a minus
#: sign are read; the 99 of a name such as p99 or x99 is not one.
NUMBER = re.compile(
    r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d[\d_]*)(?:\.\d+)?(?:[eE][-+]?\d+)?"
)


def numbers_in(text: str) -> Counter[float]:
    """The numbers *text* writes, each as often as it writes it."""
    return Counter(float(n.replace("_", "").replace(",", "")) for n in NUMBER.findall(text))


def rendered_value(value: str) -> tuple[float, bool] | None:
    """A substitution's rendered text as a number, and whether it is a percentage."""
    text = value.replace(",", "").replace("\N{MINUS SIGN}", "-").removeprefix("$")
    try:
        return float(text.removesuffix("%")), text.endswith("%")
    except ValueError:
        return None  # a name or a phrase
