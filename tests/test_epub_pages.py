"""dmls_epub's rewriting of a page for a narrow reader and its packing, on their own."""

import os
import zipfile

from dmls_epub import for_a_narrow_page, pack

PAGE = (
    '<p><code class="docutils literal notranslate"><span class="pre">'
    "take_rate_difference_interval()</span></code> and "
    '<span class="pre">tests/test_prose.py</span></p>'
    '<table class="docutils align-default"><tr><td>a</td></tr></table>'
    '<td><code class="xref">dmls_examples.sketch</code></td>'
)


def test_long_code_words_and_module_names_get_break_points():
    page = for_a_narrow_page(PAGE)
    assert "take_<wbr />rate_<wbr />difference_<wbr />interval()" in page
    assert "tests/<wbr />test_<wbr />prose.py" in page
    assert "dmls_examples.<wbr />sketch" in page


def test_a_table_of_text_goes_into_a_box_that_scrolls():
    page = for_a_narrow_page(PAGE)
    assert '<div class="dmls-table-box" tabindex="0"><table class="docutils' in page
    assert page.count("dmls-table-box") == 1


def test_a_page_rewritten_twice_is_the_same():
    """Sphinx leaves a page an incremental build does not write again, and
    the builder rewrites every page it finds."""
    once = for_a_narrow_page(PAGE)
    assert for_a_narrow_page(once) == once


def test_packing_twice_gives_the_same_bytes_whatever_the_files_times(tmp_path):
    book = tmp_path / "book"
    files = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": "<container />",
        "content.opf": "<package />",
        "toc.ncx": "<ncx />",
        "index.xhtml": "<html />",
    }
    for name, text in files.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / name).write_text(text)
    pack(book, tmp_path / "first.epub", ["index.xhtml"], "2024-05-06")
    for name in files:
        os.utime(book / name, (1_900_000_000, 1_900_000_000))
    pack(book, tmp_path / "second.epub", ["index.xhtml"], "2024-05-06")
    assert (tmp_path / "first.epub").read_bytes() == (tmp_path / "second.epub").read_bytes()

    with zipfile.ZipFile(tmp_path / "second.epub") as epub:
        entries = epub.infolist()
        assert [entry.filename for entry in entries] == list(files)
        assert entries[0].compress_type == zipfile.ZIP_STORED
        assert {entry.date_time for entry in entries} == {(2024, 5, 6, 0, 0, 0)}
        assert epub.read("index.xhtml") == b"<html />"
