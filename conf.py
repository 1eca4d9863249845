"""Sphinx configuration. Build with: sphinx-build -c . docs build/<builder>.

The configuration lives at the root; the pages live in docs/. Paths to
templates, static files and logos are relative to this directory; paths to
excluded files are relative to docs/; the bibliography is relative to here.
"""

from __future__ import annotations

import datetime
import os
import sys
import tomllib
import types
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from dmls_site import git, remembered  # noqa: E402

import dmls_examples  # noqa: E402
from dmls_examples import __version__  # noqa: E402

# Two builds of one commit must be byte-identical: dates come from the commit
# (or from SOURCE_DATE_EPOCH, when the caller sets it), never from the clock,
# and they are passed to Sphinx as settings, not through the environment.
_epoch = os.environ.get("SOURCE_DATE_EPOCH") or git("log", "-1", "--format=%ct", cwd=ROOT)
_built = (
    datetime.datetime.fromtimestamp(int(_epoch), datetime.UTC)
    if _epoch and _epoch.strip()
    else datetime.datetime.now(datetime.UTC)
)

# -- Project -----------------------------------------------------------------

project = "Designing ML Systems, executable notes"
author = "The dmls-notes contributors"
copyright = f"{_built.year}, {author}"
version = release = __version__
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "notfound.extension",
    "dmls_figures",
    "dmls_site",
    "dmls_exercises",
    "dmls_notebooks",
    "dmls_lean",
]

exclude_patterns = ["_generated/**/*.md", "**/README.md"]
templates_path = ["docs/_templates"]
template_bridge = "dmls_site.CachingTemplateLoader"
nitpicky = True

# -- MyST ----------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "substitution"]
myst_heading_anchors = 3
# "$0.4 million ... $20 million" must stay money, not become math: a "$" that
# opens or closes math may not touch a space or a digit on its inner side.
myst_dmath_allow_space = False
myst_dmath_allow_digits = False
# Numbers that prose quotes from a computation are filled in here, from the
# package, at build time: they cannot drift from the code. They are computed
# again whenever the package or the extension that formats them changes.
myst_substitutions = remembered(
    lambda: __import__("dmls_numbers").substitutions(),
    inputs=[
        ROOT / "docs" / "_ext" / "dmls_numbers.py",
        *sorted(Path(dmls_examples.__file__).parent.glob("*.py")),
    ],
    versions=("numpy",),
    cache=ROOT / "docs/_generated/numbers.json",
)

# -- Autodoc -------------------------------------------------------------------

autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
# An "Attributes:" entry's type beside its name, not in a field of its own
# (docs/_ext/dmls_attributes.py).
extensions.append("dmls_attributes")

# -- Doctest -------------------------------------------------------------------

doctest_global_setup = ""
doctest_test_doctest_blocks = ""  # only {doctest} blocks run, not stray >>> text

# -- Exercises -------------------------------------------------------------------

# Exercise numbers run through a chapter ("Exercise 1.3"); the case study's
# questions are "Exercise CS.1". HTML hides each solution under its exercise;
# the PDF and the EPUB gather them on docs/solutions.md, printed last.
dmls_exercise_prefixes = {"case-study": "CS"}
latex_appendices = ["solutions"]
epub_post_files = [("solutions.xhtml", "Solutions")]

# -- Notebooks -----------------------------------------------------------------

# The HTML build writes each of these pages as a notebook beside it and links
# it under the title; `nox -s notebooks` runs them all.
dmls_notebook_pages = ["chapter-*/*", "case-study"]
dmls_notebook_exclude = ["chapter-*/index"]
# Nothing publishes the package: each notebook says to install it from a
# clone of this repository.
_project_urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
dmls_notebook_repository = _project_urls["Source"]

# -- Bibliography ---------------------------------------------------------------

# sphinxcontrib-bibtex >= 2.6 resolves this against the config dir, not docs/.
bibtex_bibfiles = ["docs/references.bib"]
# One author-year style everywhere (docs/_ext/dmls_bibstyle.py): the text
# cites "[Huyen, 2022a]" and every bibliography lists the work under that label.
extensions.append("dmls_bibstyle")
bibtex_reference_style = "dmls_author_year"
bibtex_default_style = "dmls"

# -- Numbering -----------------------------------------------------------------

# Figures and tables are numbered per chapter, "Figure 1.3", the same in the
# HTML, the EPUB (from the numbered toctree) and the PDF (from LaTeX).
numfig = True
numfig_secnum_depth = 1
numfig_format = {
    "figure": "Figure %s",
    "table": "Table %s",
    "code-block": "Listing %s",
    "section": "Section %s",
}
# Sphinx numbers them in every build by walking every page's whole doctree;
# dmls_fignumbers hands that walk outlines of the pages instead.
extensions.append("dmls_fignumbers")

# -- HTML ------------------------------------------------------------------------

html_theme = "furo"
html_title = "DMLS executable notes"
html_static_path = ["docs/_static"]
html_css_files = ["dmls-common.css", "dmls.css"]
# A page loads an extension's stylesheet or script only if it uses it
# (docs/_ext/dmls_assets.py).
extensions.append("dmls_assets")
# Search keeps "take-rate" and "A/B" whole (docs/_ext/dmls_search.py), and an
# incremental build keeps the index entries of the pages it does not rewrite
# (docs/_ext/dmls_searchindex.py, Sphinx issue 12599).
extensions += ["dmls_search", "dmls_searchindex"]
# furo's sidebar asks Sphinx for a titles-only tree on every page; Sphinx
# copies every section of every page to make it (docs/_ext/dmls_navtree.py).
extensions.append("dmls_navtree")
html_logo = "docs/_static/logo.svg"
html_favicon = "docs/_static/favicon.svg"
html_show_sourcelink = True
html_copy_source = True
html_last_updated_fmt = "%Y-%m-%d"
# The hidden "¶" after a title is joined to its last word (U+2060, WORD
# JOINER): after a "?" a line could break before it, and on a phone such a
# title got an empty-looking line of its own.
html_permalinks_icon = "\u2060¶"
# The date of pages without a source of their own (dmls_site).
dmls_build_date = _built.strftime(html_last_updated_fmt)
# Formulas become MathML at build time (docs/_ext/dmls_math.py): no maths
# script, nothing fetched, no TeX shown to a reader, in the HTML and the EPUB.
extensions.append("dmls_math")
html_math_renderer = "mathml"
# With no MathJax on the pages, MyST's MathJax settings and the classes it
# marks each page's section with for MathJax have nothing to act on.
myst_update_mathjax = False
html_theme_options = {
    # Arrow keys scroll what is focused (a wide code block, formula or
    # signature); with navigation by keys, → left the page instead.
    "navigation_with_keys": False,
    "top_of_page_buttons": ["view"],
}
copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# The 404 page's links are absolute (it is served at any depth); the prefix
# follows Read the Docs' /<language>/<version>/ there, and is / elsewhere.
notfound_urls_prefix = (
    f"/{os.environ['READTHEDOCS_LANGUAGE']}/{os.environ['READTHEDOCS_VERSION']}/"
    if "READTHEDOCS_VERSION" in os.environ
    else "/"
)

ogp_site_name = project
ogp_social_cards = {"enable": False}
# sphinxext-opengraph imports matplotlib's pyplot when it loads, to draw the
# social cards this site does not make: the largest part of a rebuild's
# start-up. Give it the two names it takes from that module, which say "no
# cards", so the import never happens. Remove when opengraph imports lazily.
_no_social_cards = types.ModuleType("sphinxext.opengraph._social_cards")
_no_social_cards.DEFAULT_SOCIAL_CONFIG = {"enable": False}
_no_social_cards.create_social_card = None
sys.modules.setdefault(_no_social_cards.__name__, _no_social_cards)
ogp_description_length = 200
ogp_type = "website"
ogp_enable_meta_description = True
ogp_site_url = os.environ.get("READTHEDOCS_CANONICAL_URL", "")

# -- LaTeX / PDF -----------------------------------------------------------------

latex_engine = "xelatex"
latex_use_xindy = False
# The title page breaks the title after its comma, not inside its last words;
# the PDF's metadata and the page headers keep the plain title.
_series, _subtitle = project.split(", ")
latex_documents = [
    (
        "index",
        "dmls-notes.tex",
        rf"{_series}, \texorpdfstring{{\mbox{{{_subtitle}}}}}{{{_subtitle}}}",
        author,
        "manual",
    ),
]
# The PDF is a book (docs/_ext/dmls_book.py, docs/_latex/dmlsbook.sty):
# chapter titles once, reference pages as appendices, one bibliography in
# the References appendix, a general index, no blank pages, and no chapter
# whose last page holds only its last item (dmlsbook.sty runs the page before
# short).
extensions.append("dmls_book")
dmls_appendix_caption = "Reference"
dmls_unnumbered_chapters = ["case-study"]
latex_additional_files = ["docs/_latex/dmlsbook.sty", "docs/_latex/latexmkrc"]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    # One-sided, and a chapter opens on the next page, left or right.
    "extraclassoptions": "openany,oneside",
    "fncychap": "",
    # Long code lines wrap at spaces and punctuation, never inside a name.
    "sphinxsetup": "verbatimwrapslines=true, verbatimforcewraps=false",
    "preamble": r"\usepackage{dmlsbook}",
    "printindex": r"\footnotesize\raggedright\printindex",
}
# The general index lists glossary terms, API functions and {index} entries;
# a separate module index would repeat the API chapter's contents.
latex_domain_indices = False
latex_show_urls = "footnote"

# -- EPUB ------------------------------------------------------------------------

# An e-book (docs/_ext/dmls_epub.py): a cover drawn at build time, MathML pages
# declared, and only the files the pages use.
extensions.append("dmls_epub")
epub_basename = "dmls-notes"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_description = (
    "Chapters 1 and 2 of Chip Huyen's Designing Machine Learning Systems "
    "(O'Reilly, 2022), explained in plain words, corrected where the popular "
    "notes go wrong, with every number computed by tested Python."
)
epub_contributor = author
# A name-based UUID: the same book always has the same identifier. Sphinx
# writes epub_uid as the XML id of the identifier element.
epub_identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'dmls-notes executable notes')}"
epub_uid = "book-id"
epub_scheme = "UUID"
epub_cover = ("_static/cover.png", "epub-cover.html")
epub_css_files = ["dmls-common.css", "dmls-epub.css"]
epub_show_urls = "no"
# The contents list every chapter, page and appendix. All of index.md's
# toctrees are :hidden: (furo's sidebar shows them); Sphinx's default scope
# leaves hidden toctrees out, which left the book only its title page and
# the solutions.
epub_tocscope = "includehidden"
epub_exclude_files = [
    "404.html",
    "404.xhtml",
    # Sphinx keeps the previous build info here when the configuration changes.
    ".buildinfo.bak",
]
