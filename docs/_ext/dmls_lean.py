"""Trim the fixed cost of a build: skip work whose answer cannot have changed.

sphinxcontrib-bibtex formats every bibliography entry (twice, for the
tooltips) at the end of reading, in every build, even when nothing it depends
on changed. Its result is kept in the environment that Sphinx saves, so this
extension keeps, next to it, a digest of what the result depends on: which
pages cite which keys, in which order the pages come, each bibliography
directive's settings, the .bib files' modification times, the bibtex
options and the source of the formatting style they name (this project's
own, docs/_ext/dmls_bibstyle.py, changes with the project). When the digest
is unchanged, the saved result stands and nothing
is formatted again; any change formats everything, as before.

(conf.py trims the other large fixed cost, sphinxext-opengraph's import of
matplotlib's pyplot.)
"""

from __future__ import annotations

import ast
import hashlib
import inspect

import pybtex.plugin
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.domain import BibtexDomain, get_docnames

_format_entries = BibtexDomain.env_updated
#: Where the digest and the result it produced live in the domain's data,
#: which Sphinx saves with the environment. A copy of the result, because
#: the domain drops a page's entries when it reads the page again.
SAVED = "dmls_formatted"


def bibliography_inputs(domain: BibtexDomain) -> str:
    """A digest of everything BibtexDomain.env_updated reads."""
    env = domain.env
    refs = sorted(
        (ref.docname, tuple((t.key, t.pre, t.post) for t in ref.targets))
        for ref in domain.citation_refs
    )
    bibliographies = []
    for key, value in sorted(domain.bibliographies.items()):
        fields = value._asdict()
        nodes = fields.pop("citation_nodes")
        filter_ = fields.pop("filter_")
        bibliographies.append(
            (
                tuple(key),
                repr(sorted((name, repr(field)) for name, field in fields.items())),
                ast.dump(filter_),
                sorted((cited, tuple(node["ids"])) for cited, node in nodes.items()),
            )
        )
    bibdata = domain.bibdata
    files = sorted((str(path), info.mtime) for path, info in bibdata.bibfiles.items())
    options = [
        str(env.config[name])
        for name in ("bibtex_tooltips", "bibtex_tooltips_style", "bibtex_default_style")
    ]
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", env.config.bibtex_default_style)
    style_source = inspect.getsource(inspect.getmodule(style))
    inputs = (
        list(get_docnames(env)),
        refs,
        bibliographies,
        bibdata.encoding,
        files,
        options,
        style_source,
    )
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


def _env_updated(domain: BibtexDomain):
    """BibtexDomain.env_updated, skipped when its saved result still holds."""
    digest = bibliography_inputs(domain)
    saved_digest, saved = domain.data.get(SAVED, (None, []))
    if saved_digest == digest:
        domain.data["citations"] = list(saved)
        return []
    result = _format_entries(domain)
    domain.data[SAVED] = (digest, list(domain.citations))
    return result


def setup(app: Sphinx) -> dict:
    BibtexDomain.env_updated = _env_updated
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
