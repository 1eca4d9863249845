"""The PDF and EPUB checks read what `nox -s pdf epub` built."""

import ast
import datetime
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from chromium import chromium
from source_reading import constant, tree

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PDF = ROOT / "build" / "dmls-notes.pdf"
EPUB = ROOT / "build" / "epub" / "dmls-notes.epub"


def pytest_sessionstart(session):
    # One line before any test when a book is missing, rather than a failure
    # per test. The nox session leaves this check to pytest, so that
    # `nox --install-only` can install its virtualenv before anything is built.
    require(PDF, EPUB)


def require(*paths: Path) -> Path:
    """The first of *paths*, once all are files; else stop the run with one
    line naming those that are not."""
    if absent := [str(path.relative_to(ROOT)) for path in paths if not path.is_file()]:
        pytest.exit(f"{' and '.join(absent)} not built yet: run `nox -s pdf epub` first", 2)
    return paths[0]


@pytest.fixture(scope="session")
def unpacked_epub(tmp_path_factory) -> Path:
    """The EPUB's files in a folder, for a browser to open its pages."""
    folder = tmp_path_factory.mktemp("epub")
    with zipfile.ZipFile(require(EPUB)) as book:
        book.extractall(folder)
    return folder


@pytest.fixture(scope="session")
def browser():
    """Chromium, in which a web-engine reader's pages are rendered."""
    with chromium() as browser:
        yield browser


def last_commit_day() -> datetime.date:
    """The day (UTC) of the last commit, which dates the PDF and the EPUB (conf.py)."""
    out = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return datetime.datetime.fromtimestamp(int(out.stdout), datetime.UTC).date()


def printed_pages() -> list[Path]:
    """The pages that go into the PDF and EPUB: all but the orphans."""
    return [
        page
        for page in sorted(DOCS.rglob("*.md"))
        if "_" not in page.relative_to(DOCS).parts[0][:1] and "orphan: true" not in page.read_text()
    ]


def headings(page: Path) -> list[str]:
    """The titles of a page's sections, as they read (markup removed)."""
    text = re.sub(r"^(```|:::).*?^\1", "", page.read_text(), flags=re.S | re.M)
    found = re.findall(r"^#{1,6}\s+(.+?)\s*$", text, re.M)
    return [re.sub(r"[`*_]|\{[a-z:]+\}", "", title) for title in found]


def figure_count(page: Path) -> int:
    text = page.read_text()
    return len(re.findall(r"^:::+\{dmls-figure\}", text, re.M))


def glossary_terms() -> list[str]:
    """Every term the glossary defines (a term line is not indented)."""
    text = (DOCS / "glossary.md").read_text()
    block = re.search(r"^```\{glossary\}\n(.*?)^```", text, re.S | re.M).group(1)
    lines = block.splitlines()
    return [line for line in lines if line and not line[0].isspace() and line[0] != ":"]


def api_sources() -> list[Path]:
    """The source files of the modules the API reference documents (automodule)."""
    pages = [DOCS / "api.md", *sorted((DOCS / "api").glob("*.md"))]
    modules = [
        m
        for page in pages
        for m in re.findall(r"automodule:: (dmls_examples\.\w+)", page.read_text())
    ]
    return [ROOT / "src" / (module.replace(".", "/") + ".py") for module in modules]


def api_functions() -> list[str]:
    """The public functions the API reference documents (autodoc, a page per module)."""
    names = []
    for source in api_sources():
        exported = constant(source, "__all__")
        names += [
            node.name
            for node in tree(source).body
            if isinstance(node, ast.FunctionDef)
            and node.name in exported
            and ast.get_docstring(node)
        ]
    return names


def bibliography_entries() -> dict[str, dict[str, str]]:
    """references.bib as {key: {field: raw value}}, enough for the checks here."""
    text = (DOCS / "references.bib").read_text()
    entries = {}
    for key, body in re.findall(r"^@\w+\{([^,]+),(.*?)^\}", text, re.S | re.M):
        entries[key] = dict(re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", body, re.M))
    return entries


#: TeX a reader should never see: a control symbol (a backslash before a
#: character that is not a letter: "\$", "\&", "\(") or one of the control
#: words a formula or a bibliography would leak.
RAW_TEX = re.compile(
    r"\\[^\sA-Za-z]|\\(?:frac|lambda|alpha|sum|sqrt|mathrm|text\w*|left|right|url|emph)\b"
)


#: An author-year label: "Huyen, 2022a", "Dean and Barroso, 2013", "Beyer et al., 2016".
LABEL = re.compile(r"[A-Z][^\[\];]*?, (?:\d{4}|n\.d\.)[a-z]?")


def cited_labels(text: str) -> set[str]:
    """The labels of the citations in *text*: "[A, 2019; B and C, 2020, ch. 2]"."""
    text = " ".join(text.split())
    labels = set()
    for group in re.findall(r"\[([^\[\]]+)\]", text):
        for part in group.split("; "):
            if match := LABEL.match(part):
                labels.add(match.group())
    return labels
