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

An incremental build after an edit to an entry wrote only some of the pages
it shows on. sphinxcontrib-bibtex notes the .bib files as a dependency of the
pages with a bibliography directive alone, and its handler for Sphinx's
env-updated event, whose answer names pages to write again, names none
(2.7.0): every other page citing the entry kept the old label and tooltip
until a clean build. So when the entries are formatted again, what each key
shows on a citing page (where its link goes, its label, its entry's text and
its tooltip as the page renders it) is compared with the saved one, and the
pages that cite a key whose values differ, or that was added or removed, are
named, with the pages of the bibliographies that list it (a bibliography's
list is made when its page is written). A page citing only unchanged
entries is not written again.

Each page's saved doctree holds that page alone. MyST's ``{eval-rst}``
(the API pages' ``automodule``) parses into a document of its own and moves
the nodes into the page, each still pointing at that document, whose
settings point at the whole build environment; Sphinx clears the settings of
the page's own document before saving it, not those of the other one. Each
API page's doctree therefore carried a copy of the environment: ten times the
page's size, read back whenever Sphinx loads the doctrees, as it does on
every build to number the figures. Here each node is moved into its page's
document once the page is read.

sphinxcontrib-bibtex asks pybtex for its plain-text backend once for every
citation it resolves, and pybtex answers by searching the entry points of
every installed distribution, 4 ms each time: 0.8 s of a clean build for
this site's 206 citations. pybtex checks the plugins registered at run time
first, so the backend is registered once, the very class the entry point
names, and each later lookup is a dictionary's.

A build that reads few pages reads and writes them in this one process,
whatever ``-j`` asks for. Sphinx reads in parallel by forking workers, each
of which sends the whole environment back pickled, to be merged; it writes
in parallel by forking again. Up to 2024 it read in parallel only when more
than five pages were to be read; pull request 12796 dropped that threshold,
so since then a one-page edit forks too. For this site, on two cores, the
forks cost more than they save when a few pages are read: medians of edits
alternating serial and parallel builds on an Intel Xeon gave 2.06 s against
2.30 s for one page (fifteen each), 2.34 s against 2.64 s for six pages,
3.15 s against 3.76 s for ten and 3.79 s against 4.06 s for fourteen pages
of prose. Twenty pages, six of them API pages, took 7.73 s against 6.85 s,
and a build from scratch 12.2 s against 10.2 s: there the workers pay.

(conf.py trims the other large fixed cost, sphinxext-opengraph's import of
matplotlib's pyplot.)
"""

from __future__ import annotations

import ast
import hashlib
import inspect

import pybtex.plugin
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinxcontrib.bibtex.domain import BibtexDomain, get_docnames

_format_entries = BibtexDomain.env_updated
#: Where the digest, the result it produced (a copy, because the domain drops
#: a page's entries when it reads the page again) and what that result shows
#: on the citing pages (shown_by_key) live in the domain's data, which Sphinx
#: saves with the environment.
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


def shown_by_key(domain: BibtexDomain) -> dict[str, tuple]:
    """What a page citing each key shows of it, from every bibliography that
    lists the key, in the domain's order (the order it resolves them in):
    where the link goes, the label, the entry's text and the tooltip."""
    plaintext = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")()
    shown: dict[str, list] = {}
    for citation in domain.citations:
        tooltip = citation.tooltip_entry
        shown.setdefault(citation.key, []).append(
            (
                tuple(citation.bibliography_key),
                domain.bibliographies[citation.bibliography_key].list_,
                citation.citation_id,
                citation.formatted_entry.label,
                # Its structure, links' addresses included (plain text drops them).
                repr(citation.formatted_entry.text),
                # As resolve_xref renders it into the link's title.
                tooltip.text.render(plaintext).replace("\\url ", "") if tooltip else None,
            )
        )
    return {key: tuple(each) for key, each in shown.items()}


def pages_showing_changes(domain: BibtexDomain, before: dict, after: dict) -> set[str]:
    """The pages that show a key whose *before* and *after* differ (or that
    only one of them has): the pages citing it and its bibliographies'."""
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    pages = {
        ref.docname
        for ref in domain.citation_refs
        if any(target.key in changed for target in ref.targets)
    }
    for key in changed:
        pages.update(shown[0][0] for shown in (*before.get(key, ()), *after.get(key, ())))
    return pages & domain.env.found_docs


def _env_updated(domain: BibtexDomain) -> list[str]:
    """BibtexDomain.env_updated, skipped when its saved result still holds;
    otherwise it also names the pages whose citations now read differently."""
    digest = bibliography_inputs(domain)
    saved_digest, saved, saved_shown = domain.data.get(SAVED, (None, [], {}))
    if saved_digest == digest:
        domain.data["citations"] = list(saved)
        return []
    result = list(_format_entries(domain))
    shown = shown_by_key(domain)
    domain.data[SAVED] = (digest, list(domain.citations), shown)
    return sorted({*result, *pages_showing_changes(domain, saved_shown, shown)})


def rehome(doctree: nodes.document) -> int:
    """Point every node of *doctree* at *doctree* as its document; return how
    many pointed elsewhere (at a document a nested parser made)."""
    moved = 0
    for node in doctree.findall(nodes.Node):
        if node.document is not doctree:
            node.document = doctree
            moved += 1
    return moved


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    rehome(doctree)


def remember_plaintext_backend() -> type:
    """Register pybtex's plain-text backend at run time, as itself; return it."""
    backend = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", backend, force=True)
    return backend


#: A build reading fewer pages than this reads and writes them serially.
SERIAL_BELOW = 12


def _serial_for_few_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    # app.parallel is the -j the build was started with; Sphinx reads it
    # right after this event to choose how to read, and again after reading
    # to choose how to write. Setting it to 1 makes both serial.
    if len(docnames) < SERIAL_BELOW:
        app.parallel = 1


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", _serial_for_few_pages)
    BibtexDomain.env_updated = _env_updated
    remember_plaintext_backend()
    # Last, after every other handler has added what it adds to the doctree.
    app.connect("doctree-read", _on_doctree_read, priority=900)
    # env_version: an environment saved with an older shape of SAVED is
    # discarded, not read.
    return {
        "version": "2",
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
