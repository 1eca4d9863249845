"""Figures drawn at build time by the package's own functions.

Each module in ``docs/_figures/`` registers drawing functions with
:func:`figure`. Before Sphinx reads a page, every figure is drawn twice, in a
light and a dark palette, and saved as SVG (HTML, EPUB) and PDF (LaTeX) under
``docs/_generated/figures/``. A page shows one with::

    :::{dmls-figure} latency-distribution
    :alt: What the reader would see.

    The caption.
    :::

The alt text may quote computed numbers with the same ``{{ name }}``
substitutions as the prose, so a description never drifts from its figure.

The HTML gets both variants, and furo shows the one that matches the reader's
theme; every other builder gets the light one. Files are rewritten only when
their bytes change, and nothing is drawn at all when neither the figure code
nor the package has changed since the last build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import logging
import re
from collections.abc import Callable
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

FIGURES: dict[str, Callable] = {}

#: Colours chosen to read well on white and on furo's dark background.
#: ``background`` fills the figure ("none" lets the page show through);
#: ``page`` is the colour the figure sits on, for anything mixed with it;
#: ``on_series`` is text written on top of a bar in a series colour.
PALETTES = {
    "light": {
        "text": "#1f2328",
        "grid": "#d0d7de",
        "background": "#ffffff",
        "page": "#ffffff",
        "on_series": "#ffffff",
        "series": ["#0b62c4", "#c2410c", "#15803d", "#7e22ce", "#b91c1c"],
    },
    "dark": {
        "text": "#e6edf3",
        "grid": "#3d444d",
        "background": "none",
        "page": "#131416",
        "on_series": "#131416",
        "series": ["#6cb6ff", "#fb923c", "#4ade80", "#c084fc", "#f87171"],
    },
}


def figure(name: str) -> Callable:
    """Register a drawing function ``draw(palette) -> matplotlib Figure``."""

    def register(draw: Callable) -> Callable:
        if name in FIGURES:
            raise ValueError(f"figure {name!r} is registered twice")
        FIGURES[name] = draw
        return draw

    return register


def _figure_sources(srcdir: Path) -> list[Path]:
    return sorted((srcdir / "_figures").glob("*.py"))


def _fingerprint(srcdir: Path) -> str:
    """Hash of everything a figure depends on: its code, the shared scenarios
    in the extensions (dmls_numbers) and the package."""
    import matplotlib

    import dmls_examples

    digest = hashlib.sha256(matplotlib.__version__.encode())
    package = Path(dmls_examples.__file__).parent
    extensions = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*extensions, *_figure_sources(srcdir), *sorted(package.glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def load_figure_module(path: Path) -> None:
    """Run a figure module, so that its figures register themselves."""
    for name in [name for name, draw in FIGURES.items() if draw.__module__ == _module_name(path)]:
        del FIGURES[name]
    spec = importlib.util.spec_from_file_location(_module_name(path), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


def _module_name(path: Path) -> str:
    return f"dmls_figures_{path.stem}"


def _load_figure_modules(srcdir: Path) -> None:
    FIGURES.clear()
    for path in _figure_sources(srcdir):
        load_figure_module(path)


def _style(palette: dict) -> dict:
    from matplotlib import cycler  # matplotlib loads only when figures are drawn

    return {
        "figure.facecolor": palette["background"],
        "axes.facecolor": palette["background"],
        "savefig.facecolor": palette["background"],
        "text.color": palette["text"],
        "axes.labelcolor": palette["text"],
        "axes.edgecolor": palette["text"],
        "xtick.color": palette["text"],
        "ytick.color": palette["text"],
        "grid.color": palette["grid"],
        "axes.grid": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=palette["series"]),
        "legend.frameon": False,
        "font.size": 10,
        "svg.hashsalt": "dmls-notes",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
    }


def _matplotlib():
    """matplotlib's pyplot, set up for drawing files; loaded only when needed."""
    import matplotlib

    matplotlib.use("agg")
    # Subsetting fonts for the PDFs logs every table at INFO; keep builds quiet.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    import matplotlib.pyplot as plt

    return plt


def render(name: str, variant: str) -> dict[str, bytes]:
    """The files of one registered figure in one variant: {"svg": ..., "pdf": ...}.

    Only the light variant has a PDF: print has no dark mode.
    """
    plt = _matplotlib()
    palette = PALETTES[variant]
    # No dates in the files: two builds of one commit are identical whatever
    # the clock or SOURCE_DATE_EPOCH says.
    formats = {"svg": {"Date": None}}
    if variant == "light":
        formats["pdf"] = {"CreationDate": None, "ModDate": None}
    files = {}
    with plt.rc_context(_style(palette)):
        fig = FIGURES[name](palette)
        try:
            for fmt, metadata in formats.items():
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight")
                data = buffer.getvalue()
                if fmt == "svg":
                    # EPUB 3 forbids the DTD reference matplotlib writes.
                    data = re.sub(rb"<!DOCTYPE svg[^>]*>\s*", b"", data, count=1)
                files[fmt] = data
        finally:
            plt.close(fig)
    return files


def draw_all(srcdir: Path, outdir: Path) -> list[str]:
    """Draw every registered figure into *outdir*; return the names drawn."""
    _load_figure_modules(srcdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for name in FIGURES:
        for variant in PALETTES:
            for fmt, data in render(name, variant).items():
                _write_if_changed(outdir / f"{name}-{variant}.{fmt}", data)
    return list(FIGURES)


def _on_builder_inited(app: Sphinx) -> None:
    srcdir = Path(app.srcdir)
    outdir = srcdir / "_generated" / "figures"
    stamp = outdir / ".fingerprint"
    fingerprint = _fingerprint(srcdir)
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    draw_all(srcdir, outdir)
    stamp.write_text(fingerprint)


_SUBSTITUTION = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def substitute(text: str, substitutions: dict[str, str]) -> str:
    """Fill ``{{ name }}`` in *text* from *substitutions*; an unknown name is a KeyError."""
    return _SUBSTITUTION.sub(lambda match: str(substitutions[match.group(1)]), text)


class FigureDirective(SphinxDirective):
    """``dmls-figure NAME``: a registered figure, with its caption as content."""

    required_arguments = 1
    has_content = True
    option_spec = {"alt": directives.unchanged_required, "name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        outdir = Path(self.env.srcdir) / "_generated" / "figures"
        if not (outdir / f"{name}-light.svg").exists():
            raise self.error(f"no figure named {name!r}; see docs/_figures/")
        if "alt" not in self.options:
            raise self.error(f"figure {name!r} needs an :alt: text")
        try:
            alt = substitute(self.options["alt"], self.config.myst_substitutions)
        except KeyError as missing:
            message = f"figure {name!r}: no substitution {missing} for its :alt: text"
            raise self.error(message) from None
        base = f"/_generated/figures/{name}"
        figure_node = nodes.figure(classes=["dmls-figure"])
        # The web pages carry both variants and furo shows the one matching
        # the theme; print and e-book readers get the light one.
        web = addnodes.only(expr="html and not epub")
        for variant in ("light", "dark"):
            web += nodes.image(uri=f"{base}-{variant}.svg", alt=alt, classes=[f"only-{variant}"])
        printed = addnodes.only(expr="not html or epub")
        printed += nodes.image(uri=f"{base}-light.*", alt=alt)
        figure_node += [web, printed]
        if self.content:
            caption_text = "\n".join(self.content)
            parsed, messages = self.parse_inline(caption_text, lineno=self.lineno)
            figure_node += nodes.caption(caption_text, "", *parsed)
            figure_node += messages
        self.add_name(figure_node)
        self.set_source_info(figure_node)
        return [figure_node]


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _on_builder_inited)
    app.add_directive("dmls-figure", FigureDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
