"""Every page of the built site, in a real browser.

Each page must load without a console error and without a request that
leaves the local site; search must work and find hyphenated terms; the dark
theme must show the dark figures; nothing may scroll sideways on a 375-pixel
phone, and a doctest's table of results fits its code box there; axe-core
must find no serious or critical accessibility violation; a page loads at
most 350 KB and only the stylesheets and scripts it uses; and no page shows
raw TeX.

Each page is loaded once per view and the tests read what that visit
recorded (conftest.Visitor).
"""

import re
from itertools import pairwise
from urllib.parse import quote

import pytest
from card_tables import MEASURE_CARDS, check_cards
from playwright.sync_api import expect

from .conftest import DESKTOP, HTML, MEASURE, PHONE, new_page, site_pages

pytestmark = pytest.mark.browser
PAGES = site_pages()


def by_page(paths: list[str]) -> list:
    """*paths* as parameters that keep each page's tests on one xdist worker,
    where its visits are remembered."""
    return [pytest.param(path, marks=pytest.mark.xdist_group(path), id=path) for path in paths]


def test_the_site_has_its_pages():
    assert PAGES, "build/html is missing: run `nox -s docs` first"
    assert "index.html" in PAGES
    assert "chapter-1/computational-priorities.html" in PAGES
    assert "glossary.html" in PAGES
    assert "chapter-2/mind-versus-data.html" in MATHS_PAGES
    assert {"seed-map.html", "errata.html"} <= set(CARD_PAGES)


@pytest.mark.parametrize("path", by_page(PAGES))
def test_page_loads_cleanly_and_stays_local(visit, site_url, path):
    page = visit(path)
    assert page.status == 200 or path == "404.html"
    assert page.errors == []
    outside = [url for url in page.requested if not url.startswith((site_url, "data:", "blob:"))]
    assert outside == []


@pytest.mark.parametrize("path", PAGES)
def test_every_id_on_a_page_is_unique(path):
    """A link to a repeated id goes to whichever comes first. Index targets
    placed just before a table were written twice, once on furo's wrapper."""
    ids = re.findall(r'\sid="([^"]*)"', (HTML / path).read_text())
    assert not sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("term", ["take-rate", "percentile"])
def test_search_finds(page, site_url, term):
    page.goto(f"{site_url}search.html?q={term}", wait_until="networkidle")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=10_000)
    assert results.count() >= 1


def test_dark_mode_toggle_shows_dark_figures(page, site_url):
    """The toggle switches the theme, and with it every figure's variant."""
    page.goto(site_url + "chapter-1/computational-priorities.html", wait_until="networkidle")
    page.evaluate("localStorage.setItem('theme', 'light')")
    page.reload(wait_until="networkidle")
    assert page.locator("body").get_attribute("data-theme") == "light"
    expect(page.locator("img.only-light").first).to_be_visible()
    expect(page.locator("img.only-dark").first).to_be_hidden()

    toggle = page.locator("button.theme-toggle:visible").first
    for _ in range(3):
        if page.locator("body").get_attribute("data-theme") == "dark":
            break
        toggle.click()
    assert page.locator("body").get_attribute("data-theme") == "dark"
    # The dark drawing is lazy: it has no box until its file arrives, so wait
    # for it (a bare is_visible() raced the download and failed in CI).
    expect(page.locator("img.only-dark").first).to_be_visible()
    expect(page.locator("img.only-light").first).to_be_hidden()


FIGURE_PAGES = [path for path in PAGES if "only-dark" in (HTML / path).read_text()]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("path", by_page(FIGURE_PAGES))
def test_only_the_shown_figure_variant_is_fetched(visit, path, theme, phone):
    """Each figure is on the page in four drawings (light and dark, wide and
    narrow); only the one the theme and the screen show is downloaded."""
    page = visit(path, theme=theme, phone=phone)
    shown = f"-narrow-{theme}.svg" if phone else f"-{theme}.svg"
    svgs = [url for url in page.requested if url.endswith(".svg") and "/_images/" in url]
    assert len(svgs) == len(page.measured["figures"]) >= 1
    assert all(url.endswith(shown) for url in svgs), svgs
    assert all(url.endswith(shown) for url in [f["src"] for f in page.measured["figures"]])
    if not phone:
        assert not any("-narrow-" in url for url in svgs)
    assert all(figure["width"] > 100 for figure in page.measured["figures"])


@pytest.mark.parametrize(
    "path", by_page([*PAGES, "genindex.html", "py-modindex.html", "search.html"])
)
def test_no_sideways_scroll_on_a_phone(visit, path):
    """No page, the indexes included, is wider than a phone or sets text
    beyond its edge: the general index set its entries in two columns side
    by side, and on a phone the second began at the screen's edge, cut off
    where no scroll could reach it."""
    measured = visit(path, phone=True).measured
    assert measured["overflow"] <= 0, f"{path} is {measured['overflow']}px wider than 375px"
    assert measured["offscreen"] == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_tables_of_results_fit_a_phone(visit, path):
    """Every doctest output of two or more lines fits its code box on a
    375-pixel phone, solutions included, so it is read without scrolling.

    Such an output is a table, a report or a value printed over lines, read
    across: its right-hand columns (a p99, a recall, the last post of a feed)
    carry the point, and a reader who must scroll sideways to reach them
    loses the row. A one-line output is a single value's repr, read as code
    is: like a line of input it may scroll, with its cue. The output of the
    ``dmls`` command line (``run(...)``, and its result's ``errors``) is
    exempt: it shows what a terminal prints, up to 80 columns. About 40
    characters fit (fewer in a solution's dropdown or an API entry, whose
    code is set smaller or indented).
    """
    assert visit(path, phone=True).measured["wideOutputs"] == []


def test_a_wide_table_is_caught(browser, site_url):
    """The rule above, on examples added to a page: a wide table is caught,
    in a closed solution too; a wide one-line value and the command line's
    output and errors are not; a table that fits is not."""
    wide = "wait  0 ms: batch 12.5, p50 18.9 ms, p99 26.1 ms"
    examples = {
        "table": f">>> for row in rows: ...\n{wide}\n{wide}",
        "fits": ">>> for row in rows: ...\ntimeout  batch  p50 ms\n   0 ms   12.5    18.9",
        "repr": f">>> book\n{wide}\n>>> next\n{wide}",
        "cli": f'>>> print(run("dmls batching").output)\n{wide}\n{wide}',
        "cli errors": f">>> print(result.errors)\n{wide}\n{wide}",
    }
    phone = new_page(browser, viewport=PHONE)
    phone.goto(site_url + "chapter-1/use-cases.html", wait_until="load")
    phone.evaluate(
        """(examples) => {
            const article = document.querySelector("article[role=main]");
            const solution = article.querySelector("details.dmls-solution > div");
            for (const [name, text] of Object.entries(examples)) {
                const pre = document.createElement("pre");
                for (const line of text.split("\\n")) {
                    const span = document.createElement("span");
                    span.className = line.startsWith(">>>") ? "n" : "go";
                    span.textContent = line;
                    pre.append(span, "\\n");
                }
                const box = document.createElement("div");
                box.className = "highlight";
                box.append(pre);
                (name === "table" ? solution : article).append(box);
            }
        }""",
        examples,
    )
    wide_outputs = phone.evaluate(MEASURE)["wideOutputs"]
    phone.context.close()
    assert len(wide_outputs) == 1
    assert wide_outputs[0].startswith('"wait  0 ms: batch 12.5')
    assert "(2 lines)" in wide_outputs[0]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(PAGES))
def test_no_serious_accessibility_violations(visit, path, phone):
    """On a phone, too: a signature that scrolls there once could not be
    reached by keyboard (scrollable-region-focusable)."""
    assert visit(path, phone=phone).violations == []


@pytest.mark.parametrize(
    ("path", "theme"),
    [
        pytest.param(path, theme, marks=pytest.mark.xdist_group(path), id=f"{path}-{theme}")
        for path in PAGES
        for theme in ["light", "dark"]
        # Dark visits are loads of their own: the pages with figures (which
        # have them already, and every kind of box: code and its output,
        # captions, key ideas, exercises) and one API page (signatures).
        if theme == "light" or path in [*FIGURE_PAGES, "api/casestudy.html"]
    ],
)
def test_text_contrasts_with_its_background(visit, path, theme):
    """Every text of the page, solutions opened, in both themes: WCAG AA
    contrast against what lies behind it (measure.js), where axe-core
    gives up on the scroll shadows' gradients."""
    assert visit(path, theme=theme).measured["lowContrast"] == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_headings_go_in_order_and_images_say_what_they_show(visit, path):
    """One title; each heading at most one level below the one before it
    (a screen reader's outline has no gaps); every figure, light and dark
    variant alike, has alt text."""
    measured = visit(path).measured
    levels = measured["headings"]
    assert levels[:1] == [1], levels
    assert levels.count(1) == 1, levels
    assert [b for a, b in pairwise(levels) if b > a + 1] == [], levels
    assert measured["imagesWithoutAlt"] == []


def test_faint_text_is_caught(browser, site_url):
    """The rule above, on text added to a page: grey output in a code box
    (on its scroll shadows' gradient, which axe-core cannot judge) and in a
    closed solution is caught; the same grey set large, and dark grey, are not."""
    page = new_page(browser, viewport=DESKTOP, theme="dark")
    page.goto(site_url + "chapter-1/use-cases.html", wait_until="load")
    page.evaluate(
        """() => {
            const article = document.querySelector("article[role=main]");
            const add = (where, text, style) => {
                const span = document.createElement("span");
                span.textContent = text;
                span.style.cssText = style;
                where.append(span);
            };
            const grey = "color: #505050";
            add(article.querySelector("div.highlight pre"), "faint output", grey);
            add(article.querySelector("details.dmls-solution > div"), "faint answer", grey);
            add(article, "large heading", "color: #707070; font-size: 24px");
            add(article, "readable note", "color: #a0a0a0");
        }"""
    )
    faint = page.evaluate(MEASURE)["lowContrast"]
    page.context.close()
    assert sorted(item.split('"')[1] for item in faint) == ["faint answer", "faint output"]


def test_arrow_keys_scroll_what_is_focused(browser, site_url):
    """A keyboard scrolls a wide signature with → once it has focus, and stays
    on the page: furo's navigation by keys went to the next page instead."""
    phone = new_page(browser, viewport=PHONE)
    phone.goto(site_url + "api/datasets.html", wait_until="load")
    signature = phone.locator("#dmls_examples\\.datasets\\.DELIVERY_PREDICTIONS")
    assert signature.evaluate("(node) => node.scrollWidth > node.clientWidth")
    signature.focus()
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_timeout(500)
    assert phone.url.endswith("api/datasets.html")
    assert signature.evaluate("(node) => node.scrollLeft") > 0
    phone.context.close()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(PAGES))
def test_no_text_is_cut_off(visit, path, phone):
    """No table cell, code block, signature or box hides text past its edge."""
    assert visit(path, phone=phone).measured["clipped"] == []


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(PAGES))
def test_what_scrolls_sideways_shows_that_it_does(visit, path, phone):
    """A table, code block or formula wider than the column scrolls inside
    itself, with a shadow on the side where more is hidden."""
    scrollers = visit(path, phone=phone).measured["scrollers"]
    assert [s["what"] for s in scrollers if not s["cue"]] == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_scroll_shadows_show_only_where_there_is_more(visit, path):
    """The covers that hide a scroll shadow at either end are opaque, so a
    box that does not scroll shows no shadow (an API signature once did)."""
    assert visit(path, phone=True).measured["seeThroughCovers"] == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_titles_and_api_names_break_between_words_on_a_phone(visit, path):
    assert visit(path, phone=True).measured["brokenWords"] == []


def test_index_entries_break_between_words_on_a_phone(visit):
    """A long entry of the general index breaks between its words or after
    a dot of a dotted name: "(dmls_examples.datasets.DeliveryPredi" /
    "ctions attribute)" broke inside a name."""
    assert visit("genindex.html", phone=True).measured["brokenWords"] == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_page_links_and_references_break_between_words_on_a_phone(visit, path):
    """The previous and next pages' titles at a page's foot, and the
    references' entries: "1.11. Interpretabilit" / "y" in the half-width
    next-page link; "[Computer Business Review, 2018] Compu" / "ter
    Business Review" beside a long label."""
    assert visit(path, phone=True).measured["brokenEntries"] == []


def measured_on_a_phone(browser, site_url, path: str, width: int) -> dict:
    """What :data:`MEASURE` finds on *path* on a phone *width* pixels wide:
    the phones the tests below try besides the 375-pixel one every page is
    checked at."""
    page = new_page(browser, viewport={**PHONE, "width": width})
    page.goto(site_url + path, wait_until="load")
    measured = page.evaluate(MEASURE)
    page.context.close()
    return measured


@pytest.mark.parametrize("width", [320, 360, 414])
@pytest.mark.parametrize("path", ["references.html", "chapter-1/ml-vs-traditional-software.html"])
def test_page_links_and_references_keep_their_words_on_other_phones(browser, site_url, path, width):
    """The references, and a page whose previous page is "1.11.
    Interpretability", on phones narrower and wider than 375 pixels: words
    stay whole, and nothing reaches past the screen's edge."""
    measured = measured_on_a_phone(browser, site_url, path, width)
    assert measured["brokenEntries"] == []
    assert measured["overflow"] <= 0
    assert measured["offscreen"] == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_a_section_number_keeps_to_its_title_on_a_phone(visit, path):
    """A long first word ("Interpretability") left "1.11." alone on the
    title's first line; the number and the word share a line."""
    assert visit(path, phone=True).measured["strandedNumbers"] == []


@pytest.mark.parametrize("width", [320, 360, 414])
@pytest.mark.parametrize("path", ["chapter-1/interpretability.html", "chapter-2/requirements.html"])
def test_the_longest_numbered_titles_fit_other_phones(browser, site_url, path, width):
    """The pages whose titles have the longest first words ("1.11.
    Interpretability", "2.3.3. Maintainability:"), on phones narrower and
    wider than the 375 pixels every page is checked at: the number keeps to
    the word, and the pair still fits the line (nothing past its edge)."""
    measured = measured_on_a_phone(browser, site_url, path, width)
    assert measured["strandedNumbers"] == []
    assert measured["overflow"] <= 0
    assert measured["offscreen"] == []
    assert measured["brokenWords"] == []


#: What test_every_title_starts_at_the_top and test_no_table_is_wider_than_its_box
#: read on a screen: where the page's title starts, below the top of its
#: column; whether furo's "view source" icons are out of the title's way,
#: on the screen and not covered (each an entry of *iconsInTheWay*); and
#: each visible table wider than the room its box gives it.
FIT = """() => {
    const top = document.querySelector(".article-container").getBoundingClientRect().top;
    // A letter of the title's own size joined to its first word (a word
    // joiner, which has no width and allows no break): its top is the first
    // line's, whether the title starts with a word or with smaller code.
    const h1 = document.querySelector("article[role=main] h1");
    let title = null;
    const iconsInTheWay = [];
    if (h1) {
        const marker = document.createElement("span");
        marker.textContent = "\u2060";
        h1.prepend(marker);
        title = marker.getBoundingClientRect().top - top;
        marker.remove();
        const words = document.createRange();
        words.selectNodeContents(h1);
        for (const icon of document.querySelectorAll(".content-icon-container > *")) {
            if (!icon.checkVisibility()) continue;
            const box = icon.getBoundingClientRect();
            const name = icon.className || icon.tagName;
            if (box.left < 0 || box.right > document.documentElement.clientWidth) {
                iconsInTheWay.push(`${name} off the screen`);
            }
            const x = box.left + box.width / 2;
            const hit = document.elementFromPoint(x, box.top + box.height / 2);
            if (!icon.contains(hit)) iconsInTheWay.push(`${name} covered`);
            for (const line of words.getClientRects()) {
                if (line.width > 0 && line.left < box.right && box.left < line.right
                    && line.top < box.bottom && box.top < line.bottom) {
                    iconsInTheWay.push(`${name} over the title`);
                    break;
                }
            }
        }
    }
    const wideTables = [];
    for (const table of document.querySelectorAll("article[role=main] table")) {
        if (!table.checkVisibility()) continue;
        const box = getComputedStyle(table.parentElement);
        const room = table.parentElement.clientWidth
            - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight);
        const width = table.getBoundingClientRect().width;
        if (width > room + 1) {
            const head = table.querySelector("th, td").textContent.trim().slice(0, 20);
            wideTables.push(`"${head}" ${Math.round(width - room)}px too wide`);
        }
    }
    return { title, iconsInTheWay, wideTables };
}"""

#: Every page with a title or a table, the indexes included.
FIT_PAGES = [*PAGES, "genindex.html", "py-modindex.html"]


@pytest.fixture(scope="session")
def on_screen(browser, site_url):
    """``on_screen(width, theme)``: what :data:`FIT` finds on every page of
    :data:`FIT_PAGES` at *width* pixels, by page; each screen is measured
    once per worker and remembered."""
    seen = {}

    def measure(width: int, theme: str = "light") -> dict[str, dict]:
        if (width, theme) not in seen:
            page = new_page(browser, viewport={"width": width, "height": 740}, theme=theme)
            found = {}
            for path in FIT_PAGES:
                page.goto(site_url + path, wait_until="load")
                found[path] = page.evaluate(FIT)
            page.context.close()
            seen[width, theme] = found
        return seen[width, theme]

    return measure


def screens(*views: tuple[int, str]) -> list:
    """*views* as parameters that keep each screen's tests on one xdist
    worker, which measures it once."""
    return [
        pytest.param(
            width,
            theme,
            marks=pytest.mark.xdist_group(f"screen-{width}-{theme}"),
            id=f"{width}-{theme}",
        )
        for width, theme in views
    ]


#: A page whose title is one short word, which never made room for the icons.
SHORT_TITLE = "glossary.html"


@pytest.mark.parametrize(
    ("width", "theme"),
    screens((320, "light"), (375, "light"), (375, "dark"), (414, "light"), (1400, "light")),
)
def test_every_title_starts_at_the_top(on_screen, width, theme):
    """furo floats its "view source" icons to the right of a page's title.
    On a phone a title whose first word did not fit beside them started
    below them: "1.11. Interpretability" under an empty band 36 pixels high,
    and an API page's name broke after "dmls_examples." to fit beside them.
    There the icons sit above the title (dmls.css), and every title starts
    where a short one does, on phones narrow and wide and on the desktop;
    the icons stay on the screen, uncovered, clear of the title's words."""
    measured = on_screen(width, theme)
    reference = measured[SHORT_TITLE]["title"]
    assert reference is not None
    lower = {
        path: f"{found['title'] - reference:.0f}px lower"
        for path, found in measured.items()
        if found["title"] is not None and found["title"] > reference + 3
    }
    assert lower == {}
    in_the_way = {
        path: found["iconsInTheWay"] for path, found in measured.items() if found["iconsInTheWay"]
    }
    assert in_the_way == {}


@pytest.mark.parametrize(("width", "theme"), screens((360, "light"), (375, "light")))
def test_no_table_is_wider_than_its_box(on_screen, width, theme):
    """No table of any page needs a sideways scroll on a phone: the
    chapter's table of research against production was 24 pixels wider
    than its box at 375, "production" cut at the edge, its columns as
    narrow as their longest words ("computational", "stakeholders"). A
    table too wide for a phone is a card a row there (dmls-common.css)."""
    wide = {
        path: found["wideTables"]
        for path, found in on_screen(width, theme).items()
        if found["wideTables"]
    }
    assert wide == {}


MATHS_PAGES = [path for path in PAGES if "<msqrt" in (HTML / path).read_text()]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(MATHS_PAGES))
def test_a_square_root_takes_no_space_after_it(visit, path, phone):
    """Chromium sizes a square root by its font's widest radical sign and
    draws a smaller one: "√d" had 3 pixels of nothing before "plus" and
    before a full stop (exercise 2.20)."""
    assert visit(path, phone=phone).measured["radicalGaps"] == []


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(PAGES))
def test_code_words_break_only_after_a_dot(visit, path, phone):
    """An option stays whole ("--" at a line's end and "help" on the next
    read as two things); a long dotted name breaks after a dot, where it
    broke anywhere ("dmls_examples.interpretabil" / "ity" in the sidebar,
    "dmls_examples.latenc" / "y" in a phone's next-page link)."""
    assert visit(path, phone=phone).measured["splitCode"] == []


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(PAGES))
def test_a_formula_keeps_the_punctuation_it_touches(visit, path, phone):
    """A line may break before and after a formula as around an image: on a
    phone ", which holds the values" began a line of its own after the
    bucket's formula (percentiles at scale)."""
    assert visit(path, phone=phone).measured["detached"] == []


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(PAGES))
def test_a_heading_keeps_its_link_on_its_last_line(visit, path, phone):
    """The hidden "¶" after a title takes room; after "?" a line could break
    before it, and the title got an empty-looking line of its own."""
    assert visit(path, phone=phone).measured["strandedLinks"] == []


#: The smallest text a figure may show, in CSS pixels, on any screen.
SMALLEST_FIGURE_TEXT = 9


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", by_page(FIGURE_PAGES))
def test_figure_text_is_legible(visit, path, phone):
    """Every text of every figure, as the figure is shown on the screen: on a
    phone, the narrow drawing the <picture> swaps in. No figure reaches past
    the column."""
    figures = visit(path, phone=phone).measured["figures"]
    assert figures
    small = [
        f"{figure['src']}: {figure['smallest']:.1f}px ({figure['smallestText']!r})"
        for figure in figures
        if figure["smallest"] < SMALLEST_FIGURE_TEXT
    ]
    assert small == []
    assert all(figure["beyond"] <= 0 for figure in figures)


#: A page's whole download, as a plain file server sends it (no compression).
PAGE_BUDGET = 350 * 1024


@pytest.mark.parametrize("path", by_page(PAGES))
def test_page_weight_stays_within_budget(visit, path):
    """HTML, styles, scripts, images and fonts: every byte the page loads,
    with every image it shows loaded."""
    sizes = visit(path).sizes
    total = sum(sizes.values())
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert total <= PAGE_BUDGET, f"{total / 1024:.0f} KB: {largest}"


#: An extension's file, and the markup that needs it.
USES = {
    "copybutton.js": "div.highlight pre",
    "clipboard.min.js": "div.highlight pre",
    "copybutton.css": "div.highlight pre",
    "pygments.css": "div.highlight",
    "sphinx-design.min.css": "[class*='sd-']",
    "design-tabs.js": ".sd-tab-set",
}


@pytest.mark.parametrize("path", by_page(PAGES))
def test_page_loads_only_what_it_uses(visit, path):
    """No extension's stylesheet or script on a page without its markup."""
    page = visit(path)
    present = page.measured["present"]
    unused = [
        name for name, selector in USES.items() if page.loaded(name) and not present[selector]
    ]
    assert unused == []
    # Formulas are MathML: no MathJax script, and no markup left for one.
    assert not any("mathjax" in url.lower() for url in page.requested)
    assert not present["[class*='mathjax'], [class*='tex2jax']"]


@pytest.mark.parametrize("path", by_page(PAGES))
def test_no_raw_tex_in_the_text(visit, path):
    """Formulas are MathML; what a reader sees never contains TeX source."""
    text = visit(path).measured["text"]
    # A control symbol ("\$", "\(") or a control word, as tests/outputs/conftest.py's RAW_TEX.
    tex = re.compile(
        r"\\[^\sA-Za-z]|\\(?:frac|lambda|alpha|sum|sqrt|mathrm|text\w*|left|right|url|emph)\b"
    )
    assert tex.findall(text) == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_command_line_options_keep_their_two_hyphens(visit, path):
    """Typography turns "--" in prose into an en dash: the API page said
    "(MAX_BATCH, –slo, ...)" for the option --slo. An option is code."""
    assert re.findall(r"(?:^|[\s(])–[a-z][\w-]*", visit(path).measured["text"]) == []


@pytest.mark.parametrize("path", by_page(PAGES))
def test_every_api_field_says_what_it_holds(visit, path):
    """A NamedTuple field without a doc comment of its own is documented
    by autodoc as "Alias for field number 13", which tells a reader nothing."""
    assert "Alias for field number" not in visit(path).measured["text"]


def search_results(page, site_url, query):
    """The results of a search, best first, as (link, text)."""
    page.goto(f"{site_url}search.html?q={quote(query)}", wait_until="networkidle")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=10_000)
    page.wait_for_function(
        "() => !document.querySelector('#search-progress')?.textContent.includes('Preparing')"
    )
    return [
        (results.nth(i).locator("a").first.get_attribute("href"), results.nth(i).inner_text())
        for i in range(results.count())
    ]


@pytest.mark.parametrize(
    ("query", "anchor"),
    [("take-rate", "#term-Take-rate"), ("p99", "#term-p99"), ("A/B test", "#term-A-B-test")],
)
def test_search_finds_a_hyphenated_term_first(page, site_url, query, anchor):
    """The term's own entry comes first, and no page matches on a fragment of it."""
    results = search_results(page, site_url, query)
    assert results[0][0].endswith("glossary.html" + anchor), results[:3]
    joined = query.split()[0].lower()
    for link, _ in results:
        source = (HTML / link.split("#")[0]).read_text().lower()
        assert joined in source.replace("_", "-"), f"{link} lacks {joined!r}"


@pytest.mark.parametrize("query", ["p99", "percentile"])
def test_every_search_result_shows_what_it_matched(page, site_url, query):
    """Sphinx looks a result's anchor up as a CSS selector, and "#term-p99.9"
    is not one: a search for p99 threw, and its p99.9 result came as a bare
    "Glossary", without the text it matched."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    search_results(page, site_url, query)
    page.wait_for_load_state("networkidle")
    bare = page.evaluate(
        """() => [...document.querySelectorAll("#search-results ul.search li")]
            .filter((li) => !li.querySelector("p.context, a + span"))
            .map((li) => li.querySelector("a").getAttribute("href"))"""
    )
    assert errors == []
    assert bare == []


@pytest.mark.parametrize("path", ["glossary.html", "errata.html"])
def test_search_snippets_keep_terms_apart_from_definitions(page, site_url, path):
    """Snippets are cut from the page's text; a term must not run into its definition."""
    page.goto(site_url + "search.html", wait_until="networkidle")
    joined = page.evaluate(
        """async (path) => {
            const html = await (await fetch(path)).text();
            const text = Search.htmlToText(html);
            const doc = new DOMParser().parseFromString(html, 'text/html');
            doc.querySelectorAll('.headerlink').forEach((node) => node.remove());
            return [...doc.querySelectorAll('[role=main] dt')]
                .map((dt) => dt.textContent)
                .filter((term) => !new RegExp(
                    term.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&') + '\\\\s').test(text));
        }""",
        path,
    )
    assert joined == []


def test_search_snippets_keep_paragraphs_apart(page, site_url):
    """A snippet is cut from the page's text content, in which a paragraph
    written without a line break after it ran into the next one: "its first
    cell says how)The book asks", under every page with a notebook."""
    page.goto(site_url + "search.html", wait_until="networkidle")
    joined = page.evaluate(
        r"""async (paths) => {
            // Search.htmlToText is the text content of [role=main]: its text
            // nodes in order. A block runs into what follows it when the next
            // text node begins with neither a space nor a line break.
            const joined = [];
            for (const path of paths) {
                const html = await (await fetch(path)).text();
                const doc = new DOMParser().parseFromString(html, "text/html");
                doc.querySelectorAll(".headerlink, script, style").forEach((n) => n.remove());
                const main = doc.querySelector("[role=main]");
                for (const block of main.querySelectorAll("p, li, dd, dt")) {
                    const after = doc.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
                        acceptNode: (node) => (block.contains(node)
                            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
                    });
                    after.currentNode = block;
                    const next = after.nextNode();
                    if (block.textContent.trim() && next && /^\S/.test(next.textContent)) {
                        const end = block.textContent.trim().slice(-20);
                        joined.push(`${path}: ${end}|${next.textContent.slice(0, 20)}`);
                    }
                }
            }
            return joined;
        }""",
        PAGES,
    )
    assert joined == [], "\n".join(joined)


def design_pages() -> list[str]:
    """One page for each distinct set of sphinx-design classes the site uses."""
    seen = {}
    for path in PAGES:
        attributes = " ".join(re.findall(r'class="([^"]*)"', (HTML / path).read_text()))
        classes = frozenset(re.findall(r"\bsd-[\w-]+", attributes))
        if classes:
            seen.setdefault(classes, path)
    return sorted(seen.values())


@pytest.mark.parametrize("path", design_pages())
def test_the_trimmed_design_stylesheet_styles_as_the_whole_one(page, site_url, path):
    """The site serves only the rules of sphinx-design's stylesheet that its
    pages use (docs/_ext/dmls_assets.py); every element looks the same as
    with the whole stylesheet, open or closed."""
    from pathlib import Path

    import sphinx_design

    whole = (Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css").read_text()
    page.goto(site_url + path, wait_until="load")
    # No transitions: a chevron caught turning would differ for that reason.
    page.add_style_tag(content="* { transition: none !important; animation: none !important }")
    styles = """() => [...document.querySelectorAll("[class*='sd-'], [class*='sd-'] *")].map(
        (node) => JSON.stringify(Object.fromEntries(
            [...getComputedStyle(node)].map((name) => [name, getComputedStyle(node)[name]]))))"""
    closed = page.evaluate(styles)
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    opened = page.evaluate(styles)
    assert page.locator("link[href*='sphinx-design.min.css']").count() == 1
    page.evaluate(
        """(css) => {
            document.querySelectorAll('details').forEach((d) => { d.open = false; });
            const link = document.querySelector("link[href*='sphinx-design.min.css']");
            const style = document.createElement('style');
            style.textContent = css;
            link.replaceWith(style);
        }""",
        whole,
    )
    assert page.evaluate(styles) == closed
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert page.evaluate(styles) == opened


def computed(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"(n) => getComputedStyle(n).{prop}")


def test_key_ideas_are_read_at_body_size(page, site_url):
    """The key-ideas box is the page's summary: its text is body size, not
    the smaller print of furo's admonitions."""
    page.goto(site_url + "chapter-1/data.html", wait_until="load")
    body = computed(page, "article[role=main] section > p", "fontSize")
    assert computed(page, ".admonition.key-ideas li, .admonition.key-ideas p", "fontSize") == body
    assert computed(page, ".admonition.key-ideas > .admonition-title", "fontSize") == body


def test_captions_look_like_captions(page, site_url):
    """Smaller and muted beside the body, with the figure's number in bold."""
    page.goto(site_url + "chapter-2/requirements.html", wait_until="load")
    body = float(computed(page, "article[role=main] section > p", "fontSize").rstrip("px"))
    caption = float(computed(page, "figure figcaption", "fontSize").rstrip("px"))
    assert caption < body
    assert computed(page, "figure figcaption", "color") != computed(
        page, "article[role=main] section > p", "color"
    )
    assert int(computed(page, "figcaption .caption-number", "fontWeight")) >= 700


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_headings_shrink_level_by_level(browser, site_url, viewport):
    """A section's title is set smaller than its page's and larger than its
    subsections', on either screen: on a phone the page title was made
    smaller to fit, and furo's h2 came out larger than the h1 above it."""
    page = new_page(browser, viewport=viewport)
    page.goto(site_url + "chapter-1/data.html", wait_until="load")
    sizes = page.evaluate(
        """() => {
            const article = document.querySelector("article[role=main]");
            const size = (node) => parseFloat(getComputedStyle(node).fontSize);
            const levels = [1, 2, 3, 4, 5, 6].map((level) => {
                const heading = article.querySelector("h" + level)
                    || article.appendChild(document.createElement("h" + level));
                return size(heading);
            });
            return [...levels, size(article.querySelector("section > p"))];
        }"""
    )
    page.context.close()
    assert sizes == sorted(sizes, reverse=True), sizes
    assert len(set(sizes[:5])) == 5, sizes  # h6 may be body size


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_source_pages_colour_their_code(browser, site_url, theme):
    """An API entry's [source] link leads to its module's code, coloured as
    every other code block: the page has no document of its own, and the
    check for code in the document dropped the colours' stylesheet."""
    page = new_page(browser, theme=theme)
    page.goto(site_url + "_modules/dmls_examples/latency.html", wait_until="load")
    colours = page.evaluate(
        """() => ["k", "sd", "s2", "n"].map((token) => getComputedStyle(
            document.querySelector(`div.highlight .${token}`)).color)"""
    )
    page.context.close()
    assert len(set(colours)) >= 3, colours


CARD_PAGES = [path for path in PAGES if "dmls-cards" in (HTML / path).read_text()]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", CARD_PAGES)
def test_wide_tables_are_cards_on_a_phone(browser, site_url, path, viewport):
    """The seed map's tables and the errata's summary scrolled sideways on a
    phone, three columns of prose and links in 375 pixels. There each row
    is a card that needs no sideways scroll: every cell that holds something
    shown under its column's header, an empty one (the errata's page, given
    once for its entries) not shown. The desktop keeps the table."""
    page = new_page(browser, viewport=viewport)
    page.goto(site_url + path, wait_until="load")
    tables = page.evaluate(MEASURE_CARDS)
    page.context.close()
    check_cards(tables, narrow=viewport is PHONE)


def test_glossary_terms_are_bold(page, site_url):
    page.goto(site_url + "glossary.html", wait_until="load")
    weights = page.locator("dl.glossary > dt").evaluate_all(
        "(terms) => terms.map((t) => parseInt(getComputedStyle(t).fontWeight))"
    )
    assert len(weights) >= 50
    assert min(weights) >= 700


def test_the_landing_page_lists_each_chapter_once(page, site_url):
    """The page's own text links each chapter once (the sidebar is furo's)."""
    page.goto(site_url + "index.html", wait_until="load")
    for chapter in ("chapter-1/index.html", "chapter-2/index.html"):
        links = page.locator(f"article[role=main] a[href^='{chapter}']")
        assert links.count() == 1, chapter


def test_the_404_page_says_where_the_search_box_is(browser, site_url):
    """At the top of the menu on the left; on a phone, behind ☰ at the top left."""
    desktop = new_page(browser, viewport=DESKTOP)
    desktop.goto(site_url + "404.html", wait_until="load")
    advice = desktop.locator("article[role=main]").inner_text()
    assert "top of the menu on the left" in advice
    assert "☰ at the top left" in advice
    search = desktop.locator("input.sidebar-search").bounding_box()
    article = desktop.locator("article[role=main]").bounding_box()
    assert search["x"] + search["width"] <= article["x"]
    assert search["y"] < desktop.locator(".sidebar-tree").bounding_box()["y"]
    desktop.context.close()

    phone = new_page(browser, viewport=PHONE)
    phone.goto(site_url + "404.html", wait_until="load")
    search = phone.locator("input.sidebar-search")
    assert search.bounding_box()["x"] + search.bounding_box()["width"] <= 0, "not off screen"
    menu = phone.locator(".header-left label.nav-overlay-icon")
    box = menu.bounding_box()
    assert box["x"] < PHONE["width"] / 4, "not at the left"
    assert box["y"] < 60, "not at the top"
    menu.click()
    # furo slides the menu in; wait until the search box is on screen.
    phone.wait_for_function(
        "() => document.querySelector('input.sidebar-search').getBoundingClientRect().left >= 0"
    )
    expect(search).to_be_visible()
    phone.context.close()
