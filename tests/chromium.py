"""Debian's Chromium, driven by playwright, for the tests that render pages.

The site's browser tests (tests/browser) and the EPUB's output tests
(tests/outputs) both open what was built in this Chromium
(/usr/bin/chromium, or $CHROMIUM); playwright only drives it, it downloads
nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium, closed on exit; the run stops if it is missing."""
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
