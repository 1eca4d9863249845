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
theme; every other builder gets the light one. On a phone's screen, the HTML
and the EPUB show the narrow drawing instead of the wide one shrunk. A figure is redrawn only
when its own inputs change (see :func:`figure_inputs`), and a file is
rewritten only when its bytes change, so Sphinx re-reads only the pages whose
figures changed.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import importlib.util
import io
import logging
import posixpath
import re
import urllib.parse
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


# -- What each figure depends on ------------------------------------------------
#
# A figure is redrawn only when one of its own inputs changes: its function,
# the module-level helpers and constants it uses, the package modules whose
# names it uses (and what those import from the package), this extension, and
# the versions of matplotlib and numpy. Code is compared as a syntax tree
# without docstrings, so editing a comment or reformatting redraws nothing.


def _code(source: str) -> str:
    """*source* as a syntax tree without docstrings: what it does, not how it reads."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@functools.lru_cache(maxsize=256)
def _file_code(path: Path, stamp: tuple[int, int]) -> str:
    """:func:`_code` of a file, remembered while its (mtime, size) *stamp* holds."""
    return _code(path.read_text(encoding="utf-8"))


def _code_of(path: Path) -> str:
    status = path.stat()
    return _file_code(path, (status.st_mtime_ns, status.st_size))


def _package_modules(source: str) -> set[str]:
    """Modules of dmls_examples that *source* imports, as names like "batching"."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "dmls_examples":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("dmls_examples."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("dmls_examples.")
            )
    return found


@functools.lru_cache(maxsize=256)
def _file_imports(path: Path, stamp: tuple[int, int]) -> frozenset[str]:
    """:func:`_package_modules` of a file, remembered while its *stamp* holds."""
    return frozenset(_package_modules(path.read_text(encoding="utf-8")))


def _with_dependencies(modules: set[str], package: Path) -> set[str]:
    """*modules* and every package module they import, directly or not."""
    found, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        path = package / f"{name}.py"
        if name in found or not path.exists():
            continue
        found.add(name)
        status = path.stat()
        todo.extend(_file_imports(path, (status.st_mtime_ns, status.st_size)))
    return found


def _names_used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _figure_name(node: ast.AST) -> str | None:
    """The name in ``@figure("name")`` above a function, or None."""
    if not isinstance(node, ast.FunctionDef):
        return None
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Name)
            and decorator.func.id == "figure"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            return decorator.args[0].value
    return None


def _package_folder() -> Path:
    import dmls_examples

    return Path(dmls_examples.__file__).parent


def _versions() -> str:
    """The versions of the libraries that draw, from their metadata: importing
    matplotlib to ask would cost a second."""
    return " ".join(importlib.metadata.version(name) for name in ("matplotlib", "numpy"))


def figure_inputs(module: Path, *, package: Path | None = None) -> dict[str, str]:
    """For each figure *module* defines, a digest of everything it depends on.

    *package* is the folder of dmls_examples (the installed one by default).
    """
    package = package or _package_folder()
    tree = ast.parse(module.read_text(encoding="utf-8"))
    # What each top-level name is: a helper or constant (its code), or a name
    # imported from a package module.
    definitions: dict[str, ast.AST] = {}
    imported_from: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            definitions[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in _names_used(target):
                    definitions[name] = node
        elif isinstance(node, ast.ImportFrom | ast.Import):
            for module_name in _package_modules(ast.unparse(node)):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    if isinstance(node, ast.ImportFrom) and node.module == "dmls_examples":
                        imported_from[bound] = alias.name
                    else:
                        imported_from[bound] = module_name
    common = [_versions(), _code_of(Path(__file__))]
    inputs = {}
    for node in tree.body:
        name = _figure_name(node)
        if name is None:
            continue
        seen, todo, modules = set(), [node], set()
        while todo:
            current = todo.pop()
            for used in _names_used(current) - seen:
                seen.add(used)
                if used in imported_from:
                    modules.add(imported_from[used])
                elif used in definitions and definitions[used] is not node:
                    todo.append(definitions[used])
        helpers = sorted({ast.dump(definitions[n]) for n in seen if n in definitions})
        sources = [
            _code_of(package / f"{m}.py") for m in sorted(_with_dependencies(modules, package))
        ]
        digest = hashlib.sha256()
        for part in [*common, ast.dump(node), *helpers, *sources]:
            digest.update(part.encode())
            digest.update(b"\0")
        inputs[name] = digest.hexdigest()
    return inputs


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
        # Text stays text in the SVG (no glyph outlines), named by one font.
        "font.sans-serif": ["DejaVu Sans"],
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


_NUMBER = re.compile(rb"(?<![\w#.])(-?\d+\.\d{3,})")
_USE_RUN = re.compile(rb"<g([^>]*)>((?:\s*<use [^>]*/>)+)(\s*)</g>")
_STYLE = re.compile(rb' style="([^"]*)"')
_HASH_ID = re.compile(rb'id="([mp][0-9a-f]{10})"')
_LONE_CHILD = re.compile(
    rb'<g id="[^"]*">\n(<(?:path|use|text)[^>]*/>|<text[^>]*>[^<]*</text>|<g[^>]*>[^<]*</g>)\n</g>'
)


def _round(match: re.Match) -> bytes:
    text = b"%.2f" % float(match.group(1))
    text = text.rstrip(b"0").rstrip(b".")
    return b"0" if text == b"-0" else text


def _share_style(match: re.Match) -> bytes:
    """A group of markers that all carry one style: the group carries it once."""
    attributes, uses, space = match.groups()
    styles = set(_STYLE.findall(uses))
    if len(styles) != 1 or b"style=" in attributes or _STYLE.sub(b"", uses).count(b"style="):
        return match.group(0)
    return b'<g%s style="%s">%s%s</g>' % (attributes, styles.pop(), _STYLE.sub(b"", uses), space)


def slim_svg(data: bytes) -> bytes:
    """matplotlib's SVG without what a page pays for and no reader sees.

    No DTD (EPUB 3 forbids it) and no metadata; coordinates to a hundredth
    of a point; no indentation; no "rotate(-0 ...)" on level text; and a run of markers
    that share a style (a scatter of 800 points) states it once.
    """
    data = re.sub(rb"<!DOCTYPE svg[^>]*>\s*", b"", data, count=1)
    data = re.sub(rb"\s*<metadata>.*?</metadata>", b"", data, count=1, flags=re.S)
    data = re.sub(rb' transform="rotate\(-?0 [^)]*\)"', b"", data)
    data = _NUMBER.sub(_round, data)
    data = re.sub(rb">\s+<", b">\n<", data)  # no indentation
    data = re.sub(rb" ?\n([LMCQz])", rb" \1", data)  # a path's data on one line
    data = re.sub(rb" ?\n\"", b'"', data)
    # Every text names the one font: say it once, in the stylesheet.
    font = b"font-family: 'DejaVu Sans', sans-serif"
    data = data.replace(b"; " + font, b"").replace(font + b"; ", b"")
    data = data.replace(b"</style>", b"\ntext{" + font + b"}</style>", 1)
    # A group that only names its one element goes; the element stays.
    while True:
        slimmer = _LONE_CHILD.sub(rb"\1", data)
        if slimmer == data:
            break
        data = slimmer
    # matplotlib's ids are hashes of 11 characters, repeated at every use.
    for number, long_id in enumerate(dict.fromkeys(_HASH_ID.findall(data))):
        data = re.sub(rb"\b%s\b" % long_id, b"%c%d" % (long_id[0], number), data)
    return _USE_RUN.sub(_share_style, data)


def render(name: str, variant: str, *, narrow: bool = False) -> dict[str, bytes]:
    """The files of one registered figure in one variant: {"svg": ..., "pdf": ...}.

    Only the light variant has a PDF: print has no dark mode. A *narrow*
    figure is the phone's: the drawing function sees ``palette["narrow"]``
    (true; a palette without the key, as tests pass it, means wide)
    and lays itself out for a column of about 340 CSS pixels (3.5 inches at
    matplotlib's 96 px to the inch in SVG), so that its text is not shrunk;
    it has only an SVG.
    """
    plt = _matplotlib()
    palette = {**PALETTES[variant], "narrow": narrow}
    # No dates in the files: two builds of one commit are identical whatever
    # the clock or SOURCE_DATE_EPOCH says.
    formats = {"svg": {"Date": None}}
    if variant == "light" and not narrow:
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
                    data = slim_svg(data)
                files[fmt] = data
        finally:
            plt.close(fig)
    return files


def draw_outdated(srcdir: Path, outdir: Path, *, package: Path | None = None) -> list[str]:
    """Draw the figures whose inputs changed since they were last drawn into
    *outdir*, remove those no module defines any more; return the names drawn.

    *package* is passed on to :func:`figure_inputs`.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    # Fast path: when no file a figure could depend on changed by a byte,
    # nothing needs drawing, and nothing needs parsing to know it.
    files = [*_figure_sources(srcdir), Path(__file__)]
    files += sorted((package or _package_folder()).glob("*.py"))
    untouched = hashlib.sha256(
        b"\0".join([path.read_bytes() for path in files] + [_versions().encode()])
    ).hexdigest()
    seen = outdir / ".sources"
    drawn_before = [_stamp(outdir, stamp.stem) for stamp in outdir.glob("*.inputs")]
    if seen.exists() and seen.read_text() == untouched and all(drawn_before):
        return []
    drawn, defined = [], set()
    for module in _figure_sources(srcdir):
        inputs = figure_inputs(module, package=package)
        defined.update(inputs)
        outdated = [name for name, digest in inputs.items() if _stamp(outdir, name) != digest]
        if not outdated:
            continue
        load_figure_module(module)
        for name in outdated:
            for variant in PALETTES:
                for fmt, data in render(name, variant).items():
                    _write_if_changed(outdir / f"{name}-{variant}.{fmt}", data)
                narrow = render(name, variant, narrow=True)["svg"]
                _write_if_changed(outdir / f"{name}-narrow-{variant}.svg", narrow)
            (outdir / f"{name}.inputs").write_text(inputs[name])
            drawn.append(name)
    for stamp in outdir.glob("*.inputs"):
        if stamp.stem not in defined:
            for old in outdir.glob(f"{stamp.stem}-*"):
                old.unlink()
            stamp.unlink()
    seen.write_text(untouched)
    return drawn


def _stamp(outdir: Path, name: str) -> str | None:
    """The digest a figure was last drawn with, if all its files are there."""
    stamp = outdir / f"{name}.inputs"
    files = [f"{name}-light.svg", f"{name}-dark.svg", f"{name}-light.pdf"]
    files += [f"{name}-narrow-light.svg", f"{name}-narrow-dark.svg"]
    if not stamp.exists() or not all((outdir / file).exists() for file in files):
        return None
    return stamp.read_text()


def _on_builder_inited(app: Sphinx) -> None:
    srcdir = Path(app.srcdir)
    draw_outdated(srcdir, srcdir / "_generated" / "figures")


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
        # the theme; print and e-book readers get the light one. The images
        # load lazily, so the browser never fetches the variant it hides: a
        # lazy image that is not displayed never nears the viewport.
        # On a phone (a column narrower than the wide figure), a <picture>
        # swaps in the narrow drawing, whose text is not shrunk.
        web = addnodes.only(expr="html and not epub")
        for variant in ("light", "dark"):
            web += picture(
                "",
                picture_source(uri=f"{base}-narrow-{variant}.svg", media=NARROW_SCREEN),
                nodes.image(
                    uri=f"{base}-{variant}.svg",
                    alt=alt,
                    classes=[f"only-{variant}"],
                    loading="lazy",
                ),
                classes=[f"only-{variant}"],
            )
        # An e-book's page may be a phone's: it too gets the narrow drawing
        # there, in the light variant only.
        book = addnodes.only(expr="epub")
        book += picture(
            "",
            picture_source(uri=f"{base}-narrow-light.svg", media=NARROW_SCREEN),
            nodes.image(uri=f"{base}-light.svg", alt=alt),
        )
        printed = addnodes.only(expr="not html")
        printed += nodes.image(uri=f"{base}-light.*", alt=alt)
        figure_node += [web, book, printed]
        if self.content:
            caption_text = "\n".join(self.content)
            parsed, messages = self.parse_inline(caption_text, lineno=self.lineno)
            figure_node += nodes.caption(caption_text, "", *parsed)
            figure_node += messages
        self.add_name(figure_node)
        self.set_source_info(figure_node)
        return [figure_node]


#: Screens on which a figure is drawn narrow: phones, up to 600 CSS pixels.
NARROW_SCREEN = "(max-width: 37.5em)"


class picture(nodes.General, nodes.Element):
    """HTML's <picture>: sources for some screens, then the image for the rest."""


class picture_source(nodes.image):
    """An image that a <picture> offers as a <source>. An image node, so that
    Sphinx collects and copies the file as it does any other."""


def _visit_picture(self, node: picture) -> None:
    self.body.append(self.starttag(node, "picture", suffix=""))


def _depart_picture(self, node: picture) -> None:
    self.body.append("</picture>\n")


def _visit_picture_source(self, node: picture_source) -> None:
    uri = node["uri"]
    if uri in self.builder.images:
        uri = posixpath.join(self.builder.imgpath, urllib.parse.quote(self.builder.images[uri]))
    # Self-closed: the EPUB's pages are XHTML.
    self.body.append(f'<source media="{node["media"]}" srcset="{uri}" type="image/svg+xml" />')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_node(picture, html=(_visit_picture, _depart_picture))
    app.add_node(picture_source, html=(_visit_picture_source, None))
    app.connect("builder-inited", _on_builder_inited)
    app.add_directive("dmls-figure", FigureDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
