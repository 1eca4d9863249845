"""Numbers the prose quotes are computed at build time and follow their inputs.

docs/_ext/dmls_numbers.py turns the package's results into the strings the
pages show through MyST substitutions. These tests pin those strings, show
that changing an input changes them, and build a copy of the site with a
changed input to see the rendered prose change.
"""

import re
import subprocess
import sys
from pathlib import Path

import dmls_numbers
import pytest
from myst_pages import PAGES, page_id
from sphinx_builds import copy_for_one_page

from dmls_examples.datasets import BATCH_LIMIT_CHOICE, DASHBOARD_WINDOW, FanOut

ROOT = Path(__file__).resolve().parent.parent


def test_default_numbers_are_the_books(numbers):
    assert numbers["book_p90_nearest"] == "110"
    assert numbers["book_p90_linear"] == "399"
    assert numbers["book_p90_higher"] == "3,000"
    assert numbers["book_p90_weibull"] == "2,711"
    assert numbers["fanout_slow"] == "63%"
    assert numbers["fanout_rare_slow"] == "18%"
    assert numbers["ab_abs_n"] == "80,682"
    assert numbers["batch_large_qps"] == "2,500"
    # The rules' p90s differ by a factor of 27, and the two readings of
    # "0.2% better" by a factor of 50 in revenue (1 / the 2% CTR).
    assert numbers["book_p90_spread"] == "27"
    assert numbers["shop_ratio"] == "50"


def test_changing_an_input_changes_the_number():
    numbers = dmls_numbers.substitutions(latency__book=tuple(range(1, 11)))
    assert numbers["book_p90_nearest"] == "9"
    ten_servers = FanOut(p_slow=0.01, servers=10)
    assert dmls_numbers.substitutions(fanout__common=ten_servers)["fanout_slow"] == "10%"


def test_unknown_input_is_refused():
    with pytest.raises(TypeError, match="unknown input"):
        dmls_numbers.substitutions(book=(1, 2, 3))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_substitution_on_the_page_is_computed(page, numbers):
    used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", page.read_text()))
    missing = used - set(numbers)
    assert not missing, f"{page.name} quotes numbers nobody computes: {sorted(missing)}"


PROSE_MUST_NOT_TYPE = ["399", "2,711", "63%", "80,682", "80,700", "192,485,922"]


def prose(markdown: str) -> str:
    """The page without its code, doctest and directive-option lines."""
    without_fences = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    return "\n".join(line for line in without_fences.splitlines() if not line.startswith(":"))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_pages_do_not_type_computed_numbers(page):
    text = prose(page.read_text())
    typed = [number for number in PROSE_MUST_NOT_TYPE if number in text]
    assert not typed, f"{page.name} types {typed} by hand; use a substitution"


@pytest.mark.slow
def test_rendered_prose_follows_a_changed_input(tmp_path):
    page = "chapter-1/computational-priorities.md"
    project = copy_for_one_page(tmp_path, page)
    conf = (project / "conf.py").read_text()
    conf += "\nimport dmls_numbers\n"
    conf += "myst_substitutions = dmls_numbers.substitutions(latency__book=tuple(range(1, 11)))\n"
    (project / "conf.py").write_text(conf)

    subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-b", "text", "-q", "-c", "."),
            *("-D", f"root_doc={page.removesuffix('.md')}", "docs", "out"),
        ],
        cwd=project,
        check=True,
        capture_output=True,
    )

    text = (project / "out" / page.replace(".md", ".txt")).read_text()
    sentence = " ".join(text.split())
    assert "Nine of the ten, 90%, finished within 9 ms" in sentence
    assert "finished within 110 ms" not in sentence


def test_case_study_fill_time_follows_the_traffic(numbers):
    # 28,129 impressions per arm, two arms, at 250 requests/s showing 5 each.
    assert numbers["cs_ab_fill_seconds"] == "45"
    doubled = dmls_numbers.substitutions(casestudy__peak_qps=500.0)
    assert doubled["cs_ab_fill_seconds"] == "23"


def test_p999_exercise_follows_the_dashboard(numbers):
    assert (numbers["dash_hour_rank"], numbers["dash_hour_slower"]) == ("29,970", "30")
    busier = DASHBOARD_WINDOW._replace(requests_per_minute=1_000)
    changed = dmls_numbers.substitutions(dashboard__window=busier)
    assert (changed["dash_hour_rank"], changed["dash_hour_slower"]) == ("59,940", "60")


def test_batch_limit_exercise_follows_its_server(numbers):
    assert (numbers["bl_capacity_16"], numbers["bl_p99_16"]) == ("1,000", "8,248")
    assert (numbers["bl_month1_peak"], numbers["bl_batch_64"]) == ("1,272", "24")
    assert (numbers["bl_p99_64_month2"], numbers["bl_p99_64_month3"]) == ("60.4", "69.5")
    assert numbers["bl_capacity_64_lasts"] == "fifth"
    # The solution says the second month's p99 lies on both sides of the
    # objective, depending on the seed.
    low, high = (float(numbers[f"bl_month2_seeds_{end}"]) for end in ("low", "high"))
    assert (low, high) == (59.8, 63.6)
    assert low < BATCH_LIMIT_CHOICE.objective_p99_ms < high
    assert (numbers["bl_requests"], numbers["bl_seed"], numbers["bl_seed_last"]) == (
        "50,000",
        "0",
        "7",
    )
    faster = BATCH_LIMIT_CHOICE.server._replace(fixed_ms=4.0)
    changed = dmls_numbers.substitutions(
        batch_limit__choice=BATCH_LIMIT_CHOICE._replace(server=faster)
    )
    assert changed["bl_capacity_16"] == "1,333"
    assert changed["bl_p99_64_month2"] != numbers["bl_p99_64_month2"]
