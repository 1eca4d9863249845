"""dmls_epub's rewriting of a page for a narrow reader, on its own."""

from dmls_epub import for_a_narrow_page

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
