"""Fixtures for the browser tests: the built site on localhost, and Chromium.

The site is served from build/html (the `browser` nox session builds it
first). Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); playwright
only drives it, it downloads nothing.
"""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


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
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} not found: sudo apt-get install chromium", returncode=2)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
