"""The EPUB passes EPUBCheck and carries the pages and their figures."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import DOCS, EPUB, figure_count, printed_pages, require

pytestmark = pytest.mark.outputs
EPUBCHECK_JARS = [Path("/usr/share/java/epubcheck.jar")]


def epubcheck_command() -> list[str]:
    """Debian ships EPUBCheck as a jar; run it with java when binfmt is absent."""
    for jar in EPUBCHECK_JARS:
        if jar.is_file() and shutil.which("java"):
            return ["java", "-jar", str(jar)]
    if shutil.which("epubcheck"):
        return ["epubcheck"]
    pytest.fail("EPUBCheck not found: sudo apt-get install epubcheck")


def test_epubcheck_finds_no_error():
    result = subprocess.run(
        [*epubcheck_command(), str(require(EPUB))], capture_output=True, text=True, check=False
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "ERROR" not in report, report
    assert "FATAL" not in report, report


def test_epub_holds_every_page_and_figure():
    with zipfile.ZipFile(require(EPUB)) as book:
        names = book.namelist()
    for page in printed_pages():
        assert page.relative_to(DOCS).with_suffix(".xhtml").as_posix() in names
    images = [name for name in names if name.startswith("_images/")]
    assert len(images) >= sum(figure_count(page) for page in printed_pages())
