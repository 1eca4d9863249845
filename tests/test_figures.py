"""Figures: every registered figure draws, and both palettes are legible.

Legibility is measured as WCAG contrast against the background each variant
sits on: white for the light one, furo's dark background for the dark one.
"""

import re
import shutil

import dmls_figures
import pytest
from source_reading import ROOT, constant

#: The figure module of the iterative-process diagram, whose STEPS and
#: RETURNS the tests read as data, without running it.
ITERATIVE_PROCESS = ROOT / "docs" / "_figures" / "iterative_process.py"

#: The page furo draws behind a figure in each theme.
FURO_PAGES = {"light": "#ffffff", "dark": "#131416"}


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_text_is_legible(variant):
    """Axis labels and tick numbers: WCAG AA for text, 4.5:1."""
    palette = dmls_figures.PALETTES[variant]
    assert contrast(palette["text"], palette["page"]) >= 4.5


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_series_colours_stand_out(variant):
    """Lines and bars: WCAG AA for graphics, 3:1."""
    palette = dmls_figures.PALETTES[variant]
    for colour in palette["series"]:
        assert contrast(colour, palette["page"]) >= 3, colour


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_text_on_a_bar_is_legible(variant):
    """Labels written on a series colour: WCAG AA for text, 4.5:1."""
    palette = dmls_figures.PALETTES[variant]
    for colour in palette["series"]:
        assert contrast(palette["on_series"], colour) >= 4.5, colour


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_each_palette_knows_the_page_it_sits_on(variant):
    assert dmls_figures.PALETTES[variant]["page"] == FURO_PAGES[variant]


@pytest.mark.slow
def test_every_figure_draws_both_variants(tmp_path):
    """Every figure's files are there and sound, drawn now unless the docs
    build already drew them from the same inputs (figures it drew are copied
    in, and only those whose inputs changed are drawn again)."""
    built = ROOT / "docs" / "_generated" / "figures"
    if built.is_dir():
        shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    dmls_figures.draw_outdated(ROOT / "docs", tmp_path)
    names = sorted(stamp.stem for stamp in tmp_path.glob("*.inputs"))
    assert "iterative-process" in names
    for name in names:
        for variant in ("light", "dark"):
            svg = (tmp_path / f"{name}-{variant}.svg").read_text()
            assert "<!DOCTYPE" not in svg  # EPUB 3 forbids the DTD
            text_colour = dmls_figures.PALETTES[variant]["text"]
            assert text_colour.lower() in svg.lower(), f"{name}-{variant} lost its text colour"
            narrow = (tmp_path / f"{name}-narrow-{variant}.svg").read_text()
            for drawing in (svg, narrow):
                # One minus sign, the true one, as on the axes (axes.unicode_minus).
                texts = re.findall(r"<text[^>]*>([^<]*)</text>", drawing)
                assert not [t for t in texts if re.search(r"(?<![\w])-\d", t)], name
                # In the dark, the figure's own background is the page's.
                if variant == "dark":
                    background = re.search(r'<path d="M 0 [^"]*" style="fill: ([^";]+)', drawing)
                    assert background is None or background.group(1) in ("none", "#131416")
        assert (tmp_path / f"{name}-light.pdf").stat().st_size > 1000


def test_alt_text_takes_substitutions():
    numbers = {"blend_k": "5", "cap_replicas": "20"}
    text = "the top {{ blend_k }}; {{cap_replicas}} replicas"
    assert dmls_figures.substitute(text, numbers) == "the top 5; 20 replicas"
    with pytest.raises(KeyError):
        dmls_figures.substitute("{{ no_such_number }}", numbers)


def _diagram(variant: str, *, narrow: bool = False):
    import matplotlib

    matplotlib.use("agg")
    dmls_figures.load_figure_module(ITERATIVE_PROCESS)
    palette = {**dmls_figures.PALETTES[variant], "narrow": narrow}
    fig = dmls_figures.FIGURES["iterative-process"](palette)
    return fig, fig.canvas.get_renderer()


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("variant", ["light", "dark"])
def test_diagram_labels_sit_inside_their_boxes(variant, narrow):
    """Every step's text fits inside its box, every return's letter sits clear
    of the boxes, and no two texts overlap."""
    from matplotlib.patches import FancyBboxPatch

    fig, renderer = _diagram(variant, narrow=narrow)
    (ax,) = fig.axes
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 6
    letters = {r[2] for r in _returns()}
    on_arrows = [t for t in ax.texts if t.get_text() in letters]
    assert len(on_arrows) == len(letters) == 5
    in_boxes = [t for t in ax.texts if t.get_text() in _step_texts()]
    assert len(in_boxes) == 12
    for artist in in_boxes:
        text = artist.get_window_extent(renderer)
        inside = [
            box.x0 < text.x0 and text.x1 < box.x1 and box.y0 < text.y0 and text.y1 < box.y1
            for box in boxes
        ]
        assert any(inside), f"{artist.get_text()!r} sticks out of its box"
    for artist in on_arrows:
        text = artist.get_window_extent(renderer)
        assert not any(text.overlaps(box) for box in boxes), f"{artist.get_text()!r} hits a box"
    texts = [t.get_window_extent(renderer) for t in [*fig.texts, *ax.texts]]
    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            assert not first.overlaps(second)


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_diagram_letters_sit_on_their_arrows(narrow):
    """Each return's letter is on its own dashed arrow (within 1.5 px of the
    line), and the key under the diagram gives its reason."""
    import numpy as np
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyArrowPatch

    fig, renderer = _diagram("light", narrow=narrow)
    (ax,) = fig.axes
    back = to_rgba(dmls_figures.PALETTES["light"]["series"][1])
    dashed = [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_edgecolor() == back]
    assert len(dashed) == len(_returns())
    texts = {t.get_text(): t for t in [*ax.texts, *fig.texts]}
    for arrow, (_, _, letter, reason) in zip(dashed, _returns(), strict=True):
        centre = texts[letter].get_window_extent(renderer)
        centre = np.array([(centre.x0 + centre.x1) / 2, (centre.y0 + centre.y1) / 2])
        path = arrow.get_path().transformed(ax.transData)
        line = np.concatenate(path.to_polygons(closed_only=False))
        # Distance from the letter's centre to the nearest segment of the line.
        a, b = line[:-1], line[1:]
        t = np.clip(
            np.einsum("ij,ij->i", centre - a, b - a)
            / np.einsum("ij,ij->i", b - a, b - a).clip(1e-9),
            0,
            1,
        )
        nearest = np.min(np.linalg.norm(a + t[:, None] * (b - a) - centre, axis=1))
        assert nearest < 1.5, f"{letter!r} is {nearest:.1f} px off its arrow"
        assert f"{letter}  {reason}" in texts


def _step_texts() -> set[str]:
    return {text for step in constant(ITERATIVE_PROCESS, "STEPS") for text in step}


def _returns() -> list:
    return constant(ITERATIVE_PROCESS, "RETURNS")


def test_figure_files_carry_no_date(monkeypatch):
    """The files are the same whatever SOURCE_DATE_EPOCH says, or the clock."""
    dmls_figures.load_figure_module(ITERATIVE_PROCESS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    first = dmls_figures.render("iterative-process", "light")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dmls_figures.render("iterative-process", "light") == first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert dmls_figures.render("iterative-process", "light") == first


def test_diagram_draws_the_steps_and_returns_the_page_describes():
    """The ring's boxes are the page's six steps, in order, and every dashed
    return, with its reason, is one the alt text describes."""
    page = (ROOT / "docs" / "chapter-2" / "iterative-process.md").read_text()
    steps = constant(ITERATIVE_PROCESS, "STEPS")
    listed = re.findall(r"^\d\. \*\*(.+?)\.\*\*", page, re.M)
    drawn = [re.sub(r"^\d\. ", "", name).replace("\n", " ") for name, _ in steps]
    assert [name.lower() for name in drawn] == [name.lower() for name in listed]

    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z]+", text.lower()))

    alt = words(re.search(r"\{dmls-figure\} iterative-process\n:alt: (.*)", page).group(1))
    for start, end, _, reason in _returns():
        source, target = words(drawn[start - 1]).split()[0], words(drawn[end - 1]).split()[-1]
        assert re.search(rf"from {source}[a-z ]*? to [a-z ]*?{target} {words(reason)}", alt), (
            f"the alt text lacks the return from {start} to {end}, {reason!r}"
        )


def test_slim_svg_keeps_what_is_drawn():
    """The slimmed SVG has every text, mark and shape of matplotlib's, at
    the same places to a hundredth of a point, and every marker keeps its
    style (on itself or on its group)."""
    import io
    import xml.etree.ElementTree as ET

    dmls_figures.load_figure_module(ROOT / "docs" / "_figures" / "percentiles_at_scale.py")
    plt = dmls_figures._matplotlib()
    with plt.rc_context(dmls_figures._style(dmls_figures.PALETTES["light"])):
        palette = {**dmls_figures.PALETTES["light"], "narrow": False}
        fig = dmls_figures.FIGURES["sketch-error"](palette)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
        plt.close(fig)
    whole = buffer.getvalue()
    slim = dmls_figures.slim_svg(whole)
    assert len(slim) < 0.5 * len(whole)

    svg = "{http://www.w3.org/2000/svg}"
    before, after = ET.fromstring(whole), ET.fromstring(slim)
    for tag in ("text", "path", "use"):
        assert len(after.findall(f".//{svg}{tag}")) == len(before.findall(f".//{svg}{tag}")), tag
    assert [t.text for t in after.iter(f"{svg}text")] == [t.text for t in before.iter(f"{svg}text")]
    for old, new in zip(before.iter(f"{svg}use"), after.iter(f"{svg}use"), strict=True):
        for axis in "xy":
            assert float(new.get(axis)) == pytest.approx(float(old.get(axis)), abs=0.006)
    parents = {child: parent for parent in after.iter() for child in parent}
    for use in after.iter(f"{svg}use"):
        assert use.get("style") or parents[use].get("style")
    assert b"<metadata>" not in slim
    assert b"<!DOCTYPE" not in slim
    assert b"font-family" in slim.split(b"</style>")[0]


def _all_figures() -> list[str]:
    for module in sorted((ROOT / "docs" / "_figures").glob("*.py")):
        dmls_figures.load_figure_module(module)
    return sorted(dmls_figures.FIGURES)


@pytest.mark.slow
@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
@pytest.mark.parametrize("variant", ["light", "dark"])
def test_every_text_of_every_figure_is_legible_where_it_sits(variant, narrow):
    """Each text as drawn, against what lies under it: the fill of a bar, cell
    or box it sits on, else the page. WCAG AA for text, 4.5:1. (Rank numbers
    on the blend grid's mid-blue cells once measured 3:1.)"""
    from matplotlib.colors import to_hex, to_rgba
    from matplotlib.patches import FancyArrowPatch, Patch
    from matplotlib.text import Text

    plt = dmls_figures._matplotlib()
    palette = {**dmls_figures.PALETTES[variant], "narrow": narrow}
    illegible = []
    for name in _all_figures():
        with plt.rc_context(dmls_figures._style(palette)):
            fig = dmls_figures.FIGURES[name](palette)
            renderer = fig.canvas.get_renderer()
            backgrounds = {fig.patch, *(ax.patch for ax in fig.axes)}
            # An arrow is a stroke: what its curve encloses is not filled.
            fills = [
                patch
                for patch in fig.findobj(Patch)
                if patch not in backgrounds
                and not isinstance(patch, FancyArrowPatch)
                and patch.get_fill()
                and to_rgba(patch.get_facecolor())[3] == 1
            ]
            for text in fig.findobj(Text):
                if not (text.get_visible() and text.get_text().strip()):
                    continue
                box = text.get_window_extent(renderer)
                centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
                under = [p for p in fills if p.get_zorder() <= text.get_zorder()]
                under = [p for p in under if p.contains_point(centre, radius=0)]
                behind = to_hex(under[-1].get_facecolor()) if under else palette["page"]
                ink = to_hex(text.get_color())
                if contrast(ink, behind) < 4.5:
                    illegible.append(f"{name}: {text.get_text()!r} {ink} on {behind}")
            plt.close(fig)
    assert illegible == []


def test_the_latency_figures_alt_text_gives_the_values_its_legend_shows(numbers):
    """A reader who cannot see the legend gets the same p50, p90, p99 and mean from the alt text."""
    import matplotlib

    matplotlib.use("agg")
    dmls_figures.load_figure_module(ROOT / "docs" / "_figures" / "computational_priorities.py")
    palette = {**dmls_figures.PALETTES["light"], "narrow": False}
    fig = dmls_figures.FIGURES["latency-distribution"](palette)
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    expected = [f"{name} = {numbers[f'dist_{name}']} ms" for name in ("p50", "p90", "p99", "mean")]
    assert legend == expected
    page = ROOT / "docs" / "chapter-1" / "computational-priorities.md"
    (alt,) = re.findall(
        r"\{dmls-figure\} latency-distribution\n:alt: (.*)$", page.read_text(), re.M
    )
    for name in ("dist_count", "dist_p50", "dist_p90", "dist_p99", "dist_mean"):
        assert "{{ " + name + " }}" in alt


@pytest.mark.slow
@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_no_legend_sits_on_what_it_names(narrow):
    """A legend has no frame, so a line or bar under it shows through its
    entries: in the latency histogram's upper right corner the p99 line ran
    through the legend, between its handles and their labels."""
    from matplotlib.patches import Rectangle

    plt = dmls_figures._matplotlib()
    palette = {**dmls_figures.PALETTES["light"], "narrow": narrow}
    covered = []
    for name in _all_figures():
        with plt.rc_context(dmls_figures._style(palette)):
            fig = dmls_figures.FIGURES[name](palette)
            renderer = fig.canvas.get_renderer()
            for ax in fig.axes:
                legend = ax.get_legend()
                if legend is None:
                    continue
                box = legend.get_window_extent(renderer)
                for line in ax.get_lines():
                    path = line.get_transform().transform_path(line.get_path())
                    if len(path.vertices) > 1:
                        path = path.interpolated(50)
                    if any(box.contains(x, y) for x, y in path.vertices):
                        covered.append(f"{name}: {line.get_label()!r}")
                bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height()]
                if any(bar.get_window_extent(renderer).overlaps(box) for bar in bars):
                    covered.append(f"{name}: a bar")
            plt.close(fig)
    assert covered == []
