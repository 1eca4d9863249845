"""Sphinx configuration. Build with: sphinx-build -c . docs build/<builder>.

The configuration lives at the root; the pages live in docs/. Paths to
templates, static files and logos are relative to this directory; paths to
excluded files are relative to docs/; the bibliography is relative to here.
"""

from __future__ import annotations

import datetime
import os
import sys
import types
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
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "notfound.extension",
    "dmls_figures",
    "dmls_site",
    "dmls_searchindex",
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

# -- Doctest -------------------------------------------------------------------

doctest_global_setup = ""
doctest_test_doctest_blocks = ""  # only {doctest} blocks run, not stray >>> text

# -- Bibliography ---------------------------------------------------------------

# sphinxcontrib-bibtex >= 2.6 resolves this against the config dir, not docs/.
bibtex_bibfiles = ["docs/references.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"

# -- HTML ------------------------------------------------------------------------

html_theme = "furo"
html_title = "DMLS executable notes"
html_static_path = ["docs/_static"]
html_css_files = ["dmls.css"]
html_logo = "docs/_static/logo.svg"
html_favicon = "docs/_static/favicon.svg"
html_show_sourcelink = True
html_copy_source = True
html_last_updated_fmt = "%Y-%m-%d"
# The date of pages without a source of their own (dmls_site).
dmls_build_date = _built.strftime(html_last_updated_fmt)
# MathJax is served from this site, never from a CDN: the site works offline.
mathjax_path = "mathjax/tex-svg.js"
html_theme_options = {
    "navigation_with_keys": True,
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
latex_documents = [
    ("index", "dmls-notes.tex", project, author, "manual"),
]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "sphinxsetup": "verbatimwrapslines=true, verbatimforcewraps=true",
    "printindex": "",
}
latex_show_urls = "footnote"

# -- EPUB ------------------------------------------------------------------------

epub_basename = "dmls-notes"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
# Sphinx writes epub_uid into the NCX and epub_identifier into the OPF, and
# EPUBCheck wants the two to match, so one value (a valid XML name) serves both.
epub_uid = epub_identifier = "dmls-executable-notes"
epub_show_urls = "no"
epub_exclude_files = [
    "_static/mathjax/tex-svg.js",
    "_static/mathjax/LICENSE",
    "404.html",
    "404.xhtml",
    # Sphinx keeps the previous build info here when the configuration changes.
    ".buildinfo.bak",
]
