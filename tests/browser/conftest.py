"""Fixtures for the browser tests: the built site on localhost, Chromium, and
one visit per page and view, shared by every test that checks that view.

The site is served from build/html (the `browser` nox session builds it
first). Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); playwright
only drives it, it downloads nothing.

Loading a page is most of a browser test's time. So each page is loaded
once per view (desktop or phone, light or dark): the visit records what the
page fetched and logged, measures what the tests check (measure.js) and,
in the light theme, runs axe-core; the tests then assert on the record.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from chromium import chromium

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "build" / "html"
MEASURE = (Path(__file__).parent / "measure.js").read_text()

#: The two screens every page is checked on.
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 740}

#: axe-core's rules run again on the phone (all of them run on the desktop).
PHONE_AXE_RULES = ["scrollable-region-focusable"]


def site_pages() -> list[str]:
    """Every page of the built site, as a path relative to its root."""
    skip = {"genindex.html", "search.html", "py-modindex.html"}
    pages = [
        path.relative_to(HTML).as_posix()
        for path in sorted(HTML.rglob("*.html"))
        if not path.relative_to(HTML).as_posix().startswith(("_", "search"))
        and path.name not in skip
    ]
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site_url():
    if not (HTML / "index.html").is_file():
        pytest.exit("build/html is missing: run `nox -s docs` first", returncode=2)
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    with chromium() as browser:
        yield browser


def new_page(browser, *, viewport=DESKTOP, theme: str | None = None):
    """A page in a fresh context; with *theme*, furo starts in that theme."""
    context = browser.new_context(viewport=viewport)
    if theme:
        context.add_init_script(f"localStorage.setItem('theme', {json.dumps(theme)})")
    return context.new_page()


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@dataclasses.dataclass
class Visit:
    """What one page did and showed in one view."""

    path: str
    status: int
    #: Console errors and uncaught exceptions.
    errors: list[str]
    #: Every URL requested, in order, without its query.
    requested: list[str]
    #: Bytes of every response from the site, by URL.
    sizes: dict[str, int]
    #: What measure.js found (see there).
    measured: dict
    #: axe-core's serious and critical violations (light only; on the phone,
    #: only PHONE_AXE_RULES).
    violations: list[str] | None

    def loaded(self, name: str) -> bool:
        return any(url.endswith("/" + name) for url in self.requested)


#: JavaScript that resolves once every image the page shows has loaded.
IMAGES_LOADED = """async () => {
    const shown = [...document.images].filter((img) => img.checkVisibility());
    const pending = shown.filter((img) => !img.complete).map((img) => new Promise((done) => {
        img.addEventListener('load', done);
        img.addEventListener('error', done);
    }));
    const timeout = new Promise((done) => setTimeout(done, 10000));
    await Promise.race([Promise.all(pending), timeout]);
    await document.fonts.ready;
}"""


class Visitor:
    def __init__(self, browser, site_url: str):
        self.browser = browser
        self.site_url = site_url
        self.visits: dict[tuple, Visit] = {}

    def __call__(self, path: str, *, phone: bool = False, theme: str = "light") -> Visit:
        key = (path, phone, theme)
        if key not in self.visits:
            self.visits[key] = self._visit(path, PHONE if phone else DESKTOP, theme)
        return self.visits[key]

    def _visit(self, path: str, viewport: dict, theme: str) -> Visit:
        site = self.site_url
        page = new_page(self.browser, viewport=viewport, theme=theme)
        errors, requested, responses = [], [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requested.append(r.url.split("?")[0]))
        page.on("response", lambda r: responses.append(r) if r.url.startswith(site) else None)
        try:
            response = page.goto(site + path, wait_until="load")
            # A lazy image loads once it nears the viewport: make the
            # viewport as tall as the page, so that every image the page
            # shows loads (and no hidden one does), then size it back.
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": viewport["width"], "height": min(height, 30000)})
            page.evaluate(IMAGES_LOADED)
            page.set_viewport_size(viewport)
            # The file server sends every file whole, with its length.
            sizes = {
                r.url.split("?")[0]: int(r.headers["content-length"]) for r in responses if r.ok
            }
            fetched = len(requested)
            measured = page.evaluate(MEASURE)
            del requested[fetched:]  # measure.js reads figures again; not the page's doing
            violations = None
            if theme == "light":
                from axe_playwright_python.sync_playwright import Axe

                # On a phone, only the rules whose outcome the narrow screen
                # changes: what scrolls sideways there must take focus.
                options = {"resultTypes": ["violations"]}
                if viewport is PHONE:
                    options["runOnly"] = {"type": "rule", "values": PHONE_AXE_RULES}
                violations = [
                    f"{v['id']} ({v['impact']}): {v['help']} at "
                    f"{[n['target'] for n in v['nodes']][:3]}"
                    for v in Axe().run(page, options=options).response["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
            return Visit(path, response.status, errors, requested, sizes, measured, violations)
        finally:
            page.context.close()


@pytest.fixture(scope="session")
def visit(browser, site_url) -> Visitor:
    """``visit(path, phone=False, theme="light")``: the page's :class:`Visit`,
    loaded on the first call and remembered for the rest of the session."""
    return Visitor(browser, site_url)
