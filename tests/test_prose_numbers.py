"""Numbers the prose restates from an example match that example.

It reads every page.

Prose beside a doctest often repeats one of its results in words through a
substitution ("batches fill to {{ sim_wait20_batch }}"). If the substitution
rounds differently from the doctest, the page says "about 12" beside an
example that prints 12.5. This test reads each page, and for every numeric
substitution in a section that runs a doctest (heading to heading) requires
that the rendered number appear among the numbers of the section's doctests,
in its code or its output, exactly, or as the exact percentage of a printed
fraction (0.941 as 94.1%, not 94%). Numbers derived from the example rather than shown by it are
listed in DERIVED, each with the reason.
"""

import pytest
from myst_pages import PAGES, Code, Prose, numbers_in, page_id, read, rendered_value

#: Substitutions the prose may quote after a doctest without the doctest
#: showing them, because the prose derives them from what it shows.
DERIVED = {
    "batch_large_gain": "the ratio of two printed throughputs",
    "dist_count": "the size of the figure's sample, which the figure draws, not the example",
    "book_mean_over_median": "the ratio of the printed mean and median",
    "book_p90_strict_rank": "a rank the prose computes from the count",
    "ad_precision_lift": "printed precision over the base rate",
    "ad_base_rate": "100 clicks in 1,000,000 impressions, both inputs",
    "minority_total": "980 + 20 applicants",
    "minority_share": "20 of the 1,000 applicants",
    "sim_fill_ms": "(B - 1) / lambda from the example's inputs",
    "lend_small_step": "one person in a group of five",
    "lend_gap_points": "the printed gap in percentage points",
    "fanout_slow": "the printed probability as a percentage",
    "ab_ratio": "the ratio of the two printed sample sizes",
    "board_luck_points": "the printed best score minus the input accuracy",
    "shop_impressions_billions": "the printed impressions, 10,000,000,000, in billions",
    "shop_rel_millions": "the printed revenue in millions",
    "shop_abs_millions": "the printed revenue in millions",
    "shop_rel_target": "the lifted rate from the example's inputs",
    "shop_abs_target": "the lifted rate from the example's inputs",
    "fleet_slow_share": "the slow server's 3,000 of the 93,000 printed requests",
    "fleet_healthy_p99": "server A's p99, printed in the section before",
    "fleet_p99": "the fleet's p99, printed in the section before",
    "sketch_gamma": "(1 + a) / (1 - a), the formula the prose gives, at the printed a",
    "sketch_span_buckets": "log(1 h / 1 µs) / log(gamma), from the prose's bucket formula",
    "pilot_rate_a": "the printed 430 plays of 10,000 shown",
    "pilot_rate_b": "the printed 458 plays of 10,000 shown",
    "pilot_diff": "the difference of the two printed play counts, per 10,000",
    "ecs_titles": "the length of the printed hours per title",
    "blend_posts": "the number of posts the example lists",
    "blend_k": "the feed length, an input the prose states",
    "cap_factor": "1.06 ** 12, from the printed growth and months",
    "cap_simple_factor": "1 + 12 * 0.06, from the printed growth and months",
    "cs_candidates": "an input of the synthetic logs, stated in the introduction",
    "cs_rule_rate": "the printed 1,104 orders of 20,000 shown",
    "cs_model_rate": "the printed 1,562 orders of 20,000 shown",
    "cs_relative_lift": "the ratio of the two printed order counts",
    "cs_sim_batch_ms": "12 ms + 1.5 ms per request, printed, at the printed mean batch",
    "cs_slo_left": "the printed 100 ms objective minus the printed p99",
    "cs_campaign_slo_left": "the printed 100 ms objective minus the printed p99",
    "cs_replica_load": "the printed peak over the printed three replicas",
    "cs_base_rate": "one minus the printed majority-class accuracy",
}


def sections_with_doctests(page):
    """Yield (doctest sources, substitutions its prose uses) for each section
    of *page* that runs an example.

    A section runs from one heading to the next; its prose is everything
    MyST reads as words (tests/myst_pages.py), so code, directive options
    (a figure's alt text describes the figure, not the example) and roles
    are not prose.
    """
    for blocks in page.sections().values():
        doctests = "\n".join(
            b.text for b in blocks if isinstance(b, Code) and b.directive == "doctest"
        )
        names = [name for b in blocks if isinstance(b, Prose) for name in b.substitutions]
        if doctests:
            yield doctests, names


def shown(value: str, printed: set[float]) -> bool:
    """Whether a rendered substitution restates a printed number."""
    rendered = rendered_value(value)
    if rendered is None:
        return True  # names and phrases are not numbers
    number, percent = rendered
    if percent:
        return any(abs(100 * p - number) < 1e-9 or p == number for p in printed)
    return abs(number) in {abs(p) for p in printed}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_prose_restates_its_example_exactly(page, numbers):
    wrong = []
    for doctest, names in sections_with_doctests(read(page)):
        printed = numbers_in(doctest)
        for name in names:
            if name not in DERIVED and not shown(numbers[name], printed):
                wrong.append(f"{name} = {numbers[name]!r}")
    assert not wrong, f"prose quotes numbers its example does not show: {wrong}"


def test_a_rounded_restatement_is_caught():
    """The defect this file exists for: 'about 12' beside a printed 12.5."""
    printed = numbers_in(">>> run.mean_batch_size\n12.5\n")
    assert not shown("12", printed)
    assert shown("12.5", printed)
    assert shown("94.1%", numbers_in("0.941"))
    assert not shown("94%", numbers_in("0.941"))
    assert shown("\N{MINUS SIGN}1.20", numbers_in("-1.2"))  # print's minus, set properly
    assert not shown("\N{MINUS SIGN}1.21", numbers_in("-1.2"))


def test_every_exemption_is_needed(numbers):
    """A stale exemption would hide a future mismatch: keep DERIVED minimal."""
    needed = set()
    for page in PAGES:
        for doctest, names in sections_with_doctests(read(page)):
            printed = numbers_in(doctest)
            for name in names:
                if not shown(numbers[name], printed):
                    needed.add(name)
    assert set(DERIVED) - needed == set()
