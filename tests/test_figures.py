"""Figures: every registered figure draws, and both palettes are legible.

Legibility is measured as WCAG contrast against the background each variant
sits on: white for the light one, furo's dark background for the dark one.
"""

import shutil
from pathlib import Path

import dmls_figures
import pytest

ROOT = Path(__file__).resolve().parent.parent

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
        assert (tmp_path / f"{name}-light.pdf").stat().st_size > 1000


def test_alt_text_takes_substitutions():
    numbers = {"blend_k": "5", "cap_replicas": "20"}
    text = "the top {{ blend_k }}; {{cap_replicas}} replicas"
    assert dmls_figures.substitute(text, numbers) == "the top 5; 20 replicas"
    with pytest.raises(KeyError):
        dmls_figures.substitute("{{ no_such_number }}", numbers)


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_diagram_labels_sit_inside_their_boxes(variant):
    """Every step's text fits inside its box, every reason to go back sits
    clear of the boxes, and no two texts overlap."""
    import matplotlib

    matplotlib.use("agg")
    from matplotlib.patches import FancyBboxPatch

    module = ROOT / "docs" / "_figures" / "iterative_process.py"
    dmls_figures.load_figure_module(module)
    palette = dmls_figures.PALETTES[variant]
    fig = dmls_figures.FIGURES["iterative-process"](palette)
    renderer = fig.canvas.get_renderer()
    (ax,) = fig.axes
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    texts = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) == 6
    reasons = [t for t in ax.texts if t.get_text() in {r[2] for r in _returns(module)}]
    assert len(reasons) == 5
    assert len(texts) == 12 + len(reasons)
    for text, artist in zip(texts, ax.texts, strict=True):
        inside = [
            box.x0 < text.x0 and text.x1 < box.x1 and box.y0 < text.y0 and text.y1 < box.y1
            for box in boxes
        ]
        if artist in reasons:
            assert not any(text.overlaps(box) for box in boxes), f"{artist.get_text()!r} hits a box"
        else:
            assert any(inside), f"a label at {text} sticks out of its box"
    for i, first in enumerate(texts):
        for second in texts[i + 1 :]:
            assert not first.overlaps(second)


def _returns(module: Path) -> list:
    """The figure module's RETURNS, read without running it."""
    import ast

    for node in ast.parse(module.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "RETURNS":
            return ast.literal_eval(node.value)
    raise AssertionError("no RETURNS")


def test_figure_files_carry_no_date(monkeypatch):
    """The files are the same whatever SOURCE_DATE_EPOCH says, or the clock."""
    dmls_figures.load_figure_module(ROOT / "docs" / "_figures" / "iterative_process.py")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    first = dmls_figures.render("iterative-process", "light")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dmls_figures.render("iterative-process", "light") == first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert dmls_figures.render("iterative-process", "light") == first


def test_diagram_draws_the_steps_and_returns_the_page_describes():
    """The ring's boxes are the page's six steps, in order, and every dashed
    return, with its reason, is one the alt text describes."""
    import ast
    import re

    module = ROOT / "docs" / "_figures" / "iterative_process.py"
    page = (ROOT / "docs" / "chapter-2" / "iterative-process.md").read_text()
    steps = next(
        ast.literal_eval(node.value)
        for node in ast.parse(module.read_text()).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "STEPS"
    )
    listed = re.findall(r"^\d\. \*\*(.+?)\.\*\*", page, re.M)
    drawn = [re.sub(r"^\d\. ", "", name).replace("\n", " ") for name, _ in steps]
    assert [name.lower() for name in drawn] == [name.lower() for name in listed]

    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z]+", text.lower()))

    alt = words(re.search(r"\{dmls-figure\} iterative-process\n:alt: (.*)", page).group(1))
    for start, end, reason, _ in _returns(module):
        source, target = words(drawn[start - 1]).split()[0], words(drawn[end - 1]).split()[-1]
        assert re.search(rf"from {source}[a-z ]*? to [a-z ]*?{target} {words(reason)}", alt), (
            f"the alt text lacks the return from {start} to {end}, {reason!r}"
        )
