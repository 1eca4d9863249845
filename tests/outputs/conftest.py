"""The PDF and EPUB checks read what `nox -s pdf epub` built."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PDF = ROOT / "build" / "dmls-notes.pdf"
EPUB = ROOT / "build" / "epub" / "dmls-notes.epub"


def require(path: Path) -> Path:
    if not path.is_file():
        pytest.exit(f"{path.relative_to(ROOT)} is missing: run `nox -s pdf epub`", returncode=2)
    return path


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
