"""Every page of the built site, in a real browser.

Each page must load without a console error and without a request that
leaves the local site; search must work and find hyphenated terms; the dark
theme must show the dark figures; nothing may scroll sideways on a 375-pixel
phone; axe-core must find no serious or critical accessibility violation; a
page loads at most 350 KB and only the stylesheets and scripts it uses; and
no page shows raw TeX.
"""

import re
from urllib.parse import quote

import pytest

from .conftest import HTML, site_pages

pytestmark = pytest.mark.browser
PAGES = site_pages()
PHONE = {"width": 375, "height": 740}


def test_the_site_has_its_pages():
    assert PAGES, "build/html is missing: run `nox -s docs` first"
    assert "index.html" in PAGES
    assert "chapter-1/computational-priorities.html" in PAGES
    assert "glossary.html" in PAGES


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_and_stays_local(page, site_url, path):
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else outside.append(r.url),
    )
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response is not None
    assert response.ok or path == "404.html"
    assert errors == []
    assert outside == []


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
    assert page.locator("img.only-light").first.is_visible()
    assert not page.locator("img.only-dark").first.is_visible()

    toggle = page.locator("button.theme-toggle:visible").first
    for _ in range(3):
        if page.locator("body").get_attribute("data-theme") == "dark":
            break
        toggle.click()
    assert page.locator("body").get_attribute("data-theme") == "dark"
    assert page.locator("img.only-dark").first.is_visible()
    assert not page.locator("img.only-light").first.is_visible()


FIGURE_PAGES = [path for path in PAGES if "only-dark" in (HTML / path).read_text()]


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_every_figure_has_a_dark_variant_that_loads(page, site_url, path):
    page.goto(site_url + path, wait_until="networkidle")
    page.evaluate("localStorage.setItem('theme', 'dark')")
    page.reload(wait_until="networkidle")
    dark = page.locator("img.only-dark")
    assert dark.count() == page.locator("img.only-light").count() >= 1
    for index in range(dark.count()):
        image = dark.nth(index)
        image.scroll_into_view_if_needed()
        # A lazy image loads once it nears the viewport (until then it has
        # no size, and counts as invisible): wait for it.
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth > 0)")
        assert image.is_visible()
        assert image.get_attribute("src").endswith("-dark.svg")
        assert not page.locator("img.only-light").nth(index).is_visible()


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_the_hidden_figure_variant_is_never_fetched(page, site_url, path):
    """Both variants are on the page; only the one the theme shows is downloaded."""
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(site_url + path, wait_until="networkidle")
    page.evaluate("localStorage.setItem('theme', 'light')")
    loaded.clear()
    page.reload(wait_until="networkidle")
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("-light.svg") for url in loaded)
    assert not any(url.endswith("-dark.svg") for url in loaded)


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scroll_on_a_phone(page, site_url, path):
    page.set_viewport_size(PHONE)
    page.goto(site_url + path, wait_until="networkidle")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} is {overflow}px wider than a 375px screen"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path, wait_until="networkidle")
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


#: A page's whole download, as a plain file server sends it (no compression).
PAGE_BUDGET = 350 * 1024


@pytest.mark.parametrize("path", PAGES)
def test_page_weight_stays_within_budget(page, site_url, path):
    """HTML, styles, scripts, images and fonts: every byte the page loads."""
    sizes = {}

    def record(response):
        if response.url.startswith(site_url):
            sizes[response.url] = len(response.body())

    page.on("response", record)
    page.goto(site_url + path, wait_until="networkidle")
    # Lazy images load when they come into view: scroll through the page.
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert total <= PAGE_BUDGET, f"{total / 1024:.0f} KB: {largest}"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_only_what_it_uses(page, site_url, path):
    """No extension's stylesheet or script on a page without its markup."""
    loaded = []
    page.on("request", lambda request: loaded.append(request.url.split("?")[0]))
    page.goto(site_url + path, wait_until="networkidle")
    uses = {
        "copybutton.js": "div.highlight pre",
        "clipboard.min.js": "div.highlight pre",
        "copybutton.css": "div.highlight pre",
        "pygments.css": "div.highlight",
        "sphinx-design.min.css": "[class*='sd-']",
        "design-tabs.js": ".sd-tab-set",
    }
    unused = [
        name
        for name, selector in uses.items()
        if any(url.endswith("/" + name) for url in loaded) and page.locator(selector).count() == 0
    ]
    assert unused == []
    assert not any("mathjax" in url.lower() for url in loaded)


@pytest.mark.parametrize("path", PAGES)
def test_no_raw_tex_in_the_text(page, site_url, path):
    """Formulas are MathML; what a reader sees never contains TeX source."""
    page.goto(site_url + path, wait_until="networkidle")
    text = page.evaluate(
        """() => {
            const main = document.querySelector('[role=main]') || document.body;
            const copy = main.cloneNode(true);
            copy.querySelectorAll('pre, script').forEach((node) => node.remove());
            return copy.innerText;
        }"""
    )
    tex = re.compile(r"\\[()\[\]]|\\(frac|lambda|alpha|sum|sqrt|mathrm|text|left|right)\b")
    assert tex.findall(text) == []


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
