"""The PDF holds every title and figure, embeds its fonts, and keeps code inside the margin."""

import re
import shutil
import subprocess
from functools import cache

import pytest
from pypdf import PdfReader

from .conftest import PDF, figure_count, headings, printed_pages, require

pytestmark = pytest.mark.outputs


def squash(text: str) -> str:
    """Lower case letters and digits only: survives line breaks, caps and ligatures."""
    text = text.replace("ﬁ", "fi").replace("ﬂ", "fl").replace("’", "'")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def poppler(tool: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} not found: sudo apt-get install poppler-utils")
    return tool


@cache
def pdf_text() -> str:
    return subprocess.run(
        [poppler("pdftotext"), str(require(PDF)), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("page", printed_pages(), ids=lambda p: p.stem)
def test_every_title_is_in_the_pdf(page):
    text = squash(pdf_text())
    missing = [title for title in headings(page) if squash(title) not in text]
    assert missing == []


def test_every_figure_is_embedded():
    expected = sum(figure_count(page) for page in printed_pages())
    assert expected >= 3
    reader = PdfReader(require(PDF))
    embedded = set()
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, ref in xobjects.items():
            if ref.get_object().get("/Subtype") in ("/Form", "/Image"):
                embedded.add((page.page_number, name))
    captions = re.findall(r"^Fig\. \d+:", pdf_text(), re.M)  # numbered per chapter
    assert len(captions) >= expected, "a figure lost its caption"
    assert len(embedded) >= expected, "a figure is not embedded"


def test_fonts_are_embedded():
    out = subprocess.run(
        [poppler("pdffonts"), str(require(PDF))], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows, "the PDF lists no fonts"
    # Columns: name type encoding emb sub uni object ID; emb is 5th from the end.
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []


def test_no_line_runs_past_the_right_margin():
    out = subprocess.run(
        [poppler("pdftotext"), "-bbox", str(require(PDF)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    overruns = []
    for number, (width, body) in enumerate(
        re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S), 1
    ):
        right_margin = float(width) - 72  # Sphinx's LaTeX layout: one inch each side
        for x_max, word in re.findall(r'xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', body):
            if float(x_max) > right_margin + 1:
                overruns.append(f"page {number}: {word!r} ends at {float(x_max):.0f}pt")
    assert overruns == []
