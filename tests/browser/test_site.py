"""Every page of the built site, in a real browser.

Each page must load without a console error and without a request that
leaves the local site; search must work; the dark theme must show the dark
figures; nothing may scroll sideways on a 375-pixel phone; and axe-core must
find no serious or critical accessibility violation.
"""

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
        assert image.is_visible()
        assert image.get_attribute("src").endswith("-dark.svg")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert not page.locator("img.only-light").nth(index).is_visible()


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
