"""The case study's assumptions, logs and findings, and how the page follows them.

The findings are computed with the package's own functions; these tests check
that the logs honour the assumptions, that the findings agree with the
functions they come from, and that changing one assumption changes exactly
the page's numbers that depend on it.
"""

import dataclasses
import math
import re
from pathlib import Path

import dmls_numbers
import numpy as np
import pytest
from page_length import prose_words, without_exercises

from dmls_examples import batching, business, capacity, imbalance, latency
from dmls_examples.casestudy import Assumptions, _ab_per_arm, analyse, carousel, generate_logs

ROOT = Path(__file__).resolve().parent.parent


# Function-scoped on purpose: mutmut credits a function to the tests that call
# it, and a test served from a cached fixture calls nothing, so mutmut would
# never run it against the mutants it kills.
@pytest.fixture
def findings():
    return analyse(Assumptions())


@pytest.fixture
def logs():
    return generate_logs(Assumptions())


def test_assumptions_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Assumptions().monthly_growth = 0.5


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("requests", 0, ValueError),
        ("requests", 2.5, TypeError),
        ("requests", True, TypeError),
        ("shown", 21, ValueError),
        ("order_rate", 0.0, ValueError),
        ("order_rate", 1.0, ValueError),
        ("order_rate", "2%", TypeError),
        ("independent_share", float("nan"), ValueError),
        ("latency_median_ms", 0, ValueError),
        ("slo_percentile", 101, ValueError),
        ("monthly_growth", float("inf"), ValueError),
        ("months", 61, ValueError),
        ("target_utilization", 0, ValueError),
        ("ab_lift", None, TypeError),
        ("batch_size", 10**9, ValueError),
    ],
)
def test_bad_assumptions_name_the_field(field, value, error):
    with pytest.raises(error, match=field):
        Assumptions(**{field: value})


#: Each field's range, as its docstring and the page describe it: (least,
#: greatest, least excluded, greatest excluded). Written out here, not read
#: from the module, so that a changed range fails a test.
REAL_RANGES = {
    "order_rate": (0, 1, True, True),
    "appeal_spread": (0, 10, False, False),
    "model_skill": (0, 10, False, False),
    "independent_share": (0, 1, True, True),
    "independent_penalty": (-10, 10, False, False),
    "rule_chain_bonus": (-10, 10, False, False),
    "latency_median_ms": (0, 1e6, True, False),
    "latency_spread": (0, 5, False, False),
    "slo_ms": (0, 1e9, True, False),
    "slo_percentile": (0, 100, True, False),
    "peak_qps": (0, 1e7, True, False),
    "monthly_growth": (-0.5, 1, False, False),
    "batch_wait_ms": (0, 1e6, False, False),
    "batch_fixed_ms": (0, 1e6, False, False),
    "batch_per_request_ms": (0, 1e6, False, False),
    "target_utilization": (0, 1, True, False),
    "ab_lift": (0, 10, True, False),
}
COUNT_RANGES = {
    "requests": (1, 5_000_000),
    "candidates": (1, 5_000_000),
    "shown": (1, 5_000_000),
    "months": (0, 60),
    "batch_size": (1, 10_000),
}


def _small(field, value) -> Assumptions:
    """Assumptions with *field* set, on a sample small enough for any count."""
    base = {"requests": 1, "candidates": 1, "shown": 1}
    if field == "shown":
        base["candidates"] = 5_000_000
    return Assumptions(**{**base, field: value})


def _accepts(field, value) -> bool:
    try:
        _small(field, value)
    except ValueError as error:
        message = str(error)
    else:
        return True
    assert re.match(rf"^{field} must (lie in|be at least|be at most)", message), message
    return False


@pytest.mark.parametrize("field", sorted(REAL_RANGES))
def test_each_real_assumption_has_its_documented_range(field):
    low, high, open_low, open_high = REAL_RANGES[field]
    assert _accepts(field, low) is not open_low
    assert _accepts(field, high) is not open_high
    assert not _accepts(field, low - 1e-9 * max(1, abs(low)) - 1e-12)
    assert not _accepts(field, high + 1e-9 * max(1, abs(high)))
    assert _accepts(field, (low + high) / 2)
    assert isinstance(getattr(Assumptions(**{field: (low + high) / 2}), field), float)


@pytest.mark.parametrize("field", sorted(COUNT_RANGES))
def test_each_count_assumption_has_its_documented_range(field):
    low, high = COUNT_RANGES[field]
    assert _accepts(field, low)
    assert _accepts(field, high)
    assert not _accepts(field, low - 1)
    assert not _accepts(field, high + 1)
    assert type(getattr(_small(field, np.int64(low)), field)) is int


def test_batch_service_time_grows_by_the_cost_per_request():
    a = Assumptions(batch_fixed_ms=12.0, batch_per_request_ms=1.5)
    assert a.batch_service_ms(1) == 13.5
    assert a.batch_service_ms(16) == 36.0
    with pytest.raises(ValueError, match=r"^batch must be at least 1, got 0$"):
        a.batch_service_ms(0)
    with pytest.raises(ValueError, match=r"^batch_fixed_ms \+ batch_per_request_ms must be"):
        Assumptions(batch_fixed_ms=0.0, batch_per_request_ms=0.0)
    assert Assumptions(batch_fixed_ms=0.0, batch_per_request_ms=0.5).batch_service_ms(2) == 1.0


def test_too_many_rows_are_refused():
    message = r"^requests \* candidates must be at most 5,000,000, got 100,000,000$"
    with pytest.raises(ValueError, match=message):
        Assumptions(requests=1_000_000, candidates=100)


def test_logs_have_one_row_per_request_and_candidate(logs):
    a = Assumptions()
    assert (
        len(logs.request) == len(logs.group) == len(logs.would_order) == a.requests * a.candidates
    )
    assert len(logs.latency_ms) == a.requests
    assert set(np.unique(logs.would_order)) == {0, 1}
    assert logs.would_order.dtype.kind == "i"  # labels, as the imbalance functions take
    assert ((logs.model_score > 0) & (logs.model_score < 1)).all()


def test_logs_follow_the_assumptions(logs):
    a = Assumptions()
    independent = np.mean(logs.group == "independent")
    assert independent == pytest.approx(a.independent_share, abs=0.01)
    assert np.median(logs.latency_ms) == pytest.approx(a.latency_median_ms, rel=0.03)
    # Appeal is symmetric on the log-odds scale, so more users order than at
    # the average restaurant's rate, but not more than twice as many.
    assert a.order_rate < logs.would_order.mean() < 2 * a.order_rate


def test_scores_centre_where_the_assumptions_put_them(logs):
    """The model's and the rule's scores, as generate_logs describes them.

    Appeal and noise are symmetric about 0, so the median model score of a
    chain is sigmoid(logit(order_rate)) = order_rate, and an independent's
    sits independent_penalty lower on the log-odds scale:
    logit(0.02) = ln(0.02 / 0.98) = -3.892, less 0.6 is -4.492, and
    1 / (1 + e^4.492) = 0.01108. The rule's score is on no scale, but chains
    sit rule_chain_bonus = 0.8 above independents.
    """
    chain = logs.group == "chain"
    assert np.median(logs.model_score[chain]) == pytest.approx(0.02, rel=0.03)
    assert np.median(logs.model_score[~chain]) == pytest.approx(0.01108, rel=0.03)
    gap = np.median(logs.rule_score[chain]) - np.median(logs.rule_score[~chain])
    assert gap == pytest.approx(0.8, abs=0.05)


def test_the_same_seed_gives_the_same_logs():
    a = Assumptions(requests=50)
    first, again = generate_logs(a, seed=3), generate_logs(a, seed=3)
    other = generate_logs(a, seed=4)
    assert np.array_equal(first.model_score, again.model_score)
    assert not np.array_equal(first.model_score, other.model_score)
    from_generator = generate_logs(a, seed=np.random.default_rng(3))
    assert np.array_equal(first.latency_ms, from_generator.latency_ms)
    assert len(generate_logs(a, seed=None).request) == 50 * a.candidates


@pytest.mark.parametrize(("seed", "error"), [(True, TypeError), (1.5, TypeError), (-1, ValueError)])
def test_bad_seeds_are_refused(seed, error):
    with pytest.raises(error, match="seed"):
        generate_logs(Assumptions(requests=5), seed=seed)


@pytest.mark.parametrize("function", [generate_logs, analyse])
def test_assumptions_must_be_assumptions(function):
    with pytest.raises(TypeError, match=r"^assumptions must be an Assumptions, not dict$"):
        function({"requests": 5})


def test_carousel_shows_the_top_scores_of_each_request():
    scores = [0.1, 0.9, 0.5, 0.3, 0.2, 0.8, 0.7]
    requests = [0, 0, 0, 1, 1, 1, 0]  # rows of a request need not be adjacent
    assert carousel(scores, requests, shown=1).tolist() == [0, 1, 0, 0, 0, 1, 0]
    chosen = carousel(scores, requests, shown=2)
    assert chosen.tolist() == [0, 1, 0, 1, 0, 1, 1]
    assert chosen.dtype.kind == "i"  # a 0/1 integer array, as documented
    # Asking for more than a request has shows all of it.
    assert carousel(scores, requests, shown=10).tolist() == [1] * 7


def test_carousel_breaks_ties_by_row_order():
    # Two interleaved requests of 20 rows each, all scored alike: each shows
    # its first three rows. (numpy's default sort is unstable past 16 items.)
    chosen = carousel([0.5] * 40, [0, 1] * 20, shown=3)
    assert np.flatnonzero(chosen).tolist() == [0, 1, 2, 3, 4, 5]


def test_carousel_shows_exactly_shown_per_request(logs):
    a = Assumptions()
    chosen = carousel(logs.model_score, logs.request, shown=a.shown)
    per_request = np.bincount(logs.request, weights=chosen)
    assert (per_request == a.shown).all()
    # Every shown row outscores every hidden row of its request.
    first = logs.request == 0
    shown_scores = logs.model_score[first & (chosen == 1)]
    hidden_scores = logs.model_score[first & (chosen == 0)]
    assert shown_scores.min() > hidden_scores.max()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"scores": "abc", "requests": [0], "shown": 1}, TypeError, "scores must be a sequence"),
        ({"scores": [0.1], "requests": [0.5], "shown": 1}, TypeError, "requests must be integers"),
        (
            {"scores": [0.1, 0.2], "requests": [2**64, 0.5], "shown": 1},
            TypeError,
            "requests must be integers",
        ),
        ({"scores": [0.1], "requests": [[0]], "shown": 1}, ValueError, "requests must be one-dim"),
        (
            {"scores": [0.1, 0.2], "requests": [0], "shown": 1},
            ValueError,
            "requests must have the same length as scores",
        ),
        ({"scores": [0.1], "requests": [0], "shown": 0}, ValueError, "shown must be at least 1"),
        ({"scores": [float("nan")], "requests": [0], "shown": 1}, ValueError, "scores must not"),
    ],
)
def test_carousel_rejects_bad_input(kwargs, error, message):
    with pytest.raises(error, match=f"^{message}"):
        carousel(**kwargs)


def test_findings_agree_with_the_functions_they_come_from(findings, logs):
    a = Assumptions()
    assert findings.impressions == a.requests * a.shown
    # Precision of the "show it" decision is the take-rate, by definition.
    assert findings.precision == pytest.approx(findings.model_take_rate)
    assert findings.model_take_rate == findings.model_orders / findings.impressions
    for rate, (low, high) in [
        (findings.rule_take_rate, findings.rule_interval),
        (findings.model_take_rate, findings.model_interval),
    ]:
        assert low < rate < high
    low, high = findings.lift_interval
    assert low < findings.model_take_rate - findings.rule_take_rate < high
    assert findings.baseline_accuracy == pytest.approx(1 - findings.base_rate)
    expected = latency.percentiles(logs.latency_ms, (99,))[99]
    assert findings.latency_p99 == expected
    assert findings.meets_slo == (findings.latency_at_slo_percentile <= a.slo_ms)
    assert findings.replicas == capacity.replicas_needed(
        findings.forecast_peak_qps, findings.replica_qps, target_utilization=a.target_utilization
    )
    assert findings.replica_load_qps * findings.replicas == pytest.approx(
        findings.forecast_peak_qps
    )


def test_the_default_story_holds(findings):
    """The claims the page's prose makes about the default assumptions."""
    # The model beats the rule, and the interval for the difference excludes 0.
    assert findings.lift_interval[0] > 0
    # Accuracy prefers the useless constant to the useful model.
    assert findings.baseline_accuracy > findings.model_accuracy
    assert imbalance.majority_baseline_accuracy([0] * 9 + [1]) == 0.9
    # Independents are shown less often, and less often when a user would order.
    rates, recall = findings.selection_rates, findings.recall_by_group
    assert rates["independent"] < rates["chain"]
    assert recall["independent"] < recall["chain"]
    assert findings.meets_slo
    assert findings.simulated_meets_slo


def test_pinned_numbers(numbers):
    """The seeded logs give these numbers; a change in generation shows here."""
    assert numbers["cs_rule_rate"] == "5.5%"
    assert numbers["cs_model_rate"] == "7.8%"
    assert numbers["cs_p99"] == "89"
    assert numbers["cs_forecast"] == "630"
    assert numbers["cs_replicas"] == "3"
    # The campaign evening: five replicas at 252/s each, four at 71% of theirs.
    campaign = ("cs_campaign_replicas", "cs_campaign_load", "cs_campaign_p99")
    assert tuple(numbers[key] for key in campaign) == ("5", "252", "51")
    fewer = ("cs_campaign_fewer", "cs_campaign_fewer_share", "cs_campaign_fewer_p99")
    assert tuple(numbers[key] for key in fewer) == ("4", "71%", "63")
    assert numbers["cs_campaign_slo_left"] == "49"


CAPACITY_KEYS = {
    "cs_growth",
    "cs_forecast",
    "cs_replicas",
    "cs_campaign_replicas",
    "cs_campaign_load",
    "cs_campaign_p99",
    "cs_campaign_slo_left",
    "cs_campaign_fewer",
    "cs_campaign_fewer_share",
    "cs_campaign_fewer_p99",
    "cs_replica_load",
    "cs_sim_p99",
    "cs_sim_batch",
    "cs_sim_batch_ms",
    "cs_sim_busy",
    "cs_slo_left",
}


def test_changing_growth_changes_only_the_capacity_numbers(numbers):
    faster = dmls_numbers.substitutions(casestudy__monthly_growth=0.15)
    changed = {key for key in numbers if numbers[key] != faster[key]}
    assert changed == CAPACITY_KEYS
    assert int(faster["cs_replicas"]) > int(numbers["cs_replicas"])


def test_changing_the_order_rate_leaves_latency_and_capacity_alone(numbers):
    keen = dmls_numbers.substitutions(casestudy__order_rate=0.04)
    changed = {key for key in numbers if numbers[key] != keen[key]}
    assert {"cs_order_rate", "cs_rule_rate", "cs_model_rate", "cs_base_rate"} <= changed
    untouched = CAPACITY_KEYS | {"cs_p50", "cs_p99", "cs_slo_ms"}
    assert not changed & untouched


def test_the_page_meets_the_page_standards():
    text = (ROOT / "docs" / "case-study.md").read_text()
    assert 400 <= prose_words(without_exercises(text)) <= 1500
    assert ":class: key-ideas" in text
    assert "{cite:p}" in text
    assert "{term}" in text
    index = (ROOT / "docs" / "index.md").read_text()
    assert re.search(r":caption: Case study\n(:.*\n)*\ncase-study\n", index)


def test_the_page_links_back_to_each_idea_it_uses():
    text = (ROOT / "docs" / "case-study.md").read_text()
    for target in [
        "chapter-1/when-to-use-ml",
        "chapter-1/stakeholders",
        "decoupling-objectives",
        "take-rate",
        "chapter-2/framing-ml-problems",
        "percentile-methods",
        "chapter-2/requirements",
        "batching",
        "imbalance",
        "chapter-1/fairness",
        "chapter-2/iterative-process",
    ]:
        assert re.search(rf"\{{(doc|ref)\}}`([^`]*<)?{re.escape(target)}>?`", text), target


def test_numpy_scalars_are_stored_as_plain_numbers():
    a = Assumptions(requests=np.int64(10), order_rate=np.float32(0.25))
    assert type(a.requests) is int
    assert type(a.order_rate) is float
    with pytest.raises(ValueError, match="requests"):
        Assumptions(requests=np.int64(2**62), candidates=4)


def test_analyse_reads_the_logs_and_simulation_of_its_seed():
    """An int seed gives generate_logs' logs and the page's simulation for it."""
    a = Assumptions(requests=200)
    findings = analyse(a, seed=7)
    logs = generate_logs(a, seed=7)
    by_rule = carousel(logs.rule_score, logs.request, shown=a.shown)
    by_model = carousel(logs.model_score, logs.request, shown=a.shown)
    assert findings.rule_orders == logs.would_order[by_rule == 1].sum()
    assert findings.model_orders == logs.would_order[by_model == 1].sum()
    # Nearest rank of 200 latencies: the p-th percentile is the
    # ceil(p / 100 * 200)-th smallest, so p50, p90 and p99 are the 100th,
    # 180th and 198th.
    ranked = np.sort(logs.latency_ms)
    assert findings.latency_p50 == ranked[99]
    assert findings.latency_p90 == ranked[179]
    assert findings.latency_p99 == findings.latency_at_slo_percentile == ranked[197]
    assert findings.latency_max == ranked[-1]
    # The page reruns the batching simulation with this call and this seed.
    run = batching.simulate_batching(
        findings.replica_load_qps,
        a.batch_size,
        a.batch_wait_ms,
        a.batch_service_ms,
        n_requests=20_000,
        seed=7,
    )
    assert findings.simulated_p99 == run.p99_ms
    assert findings.simulated_batch_size == run.mean_batch_size
    assert findings.simulated_busy_share == run.busy_share


def test_a_generator_seed_gives_repeatable_findings():
    a = Assumptions(requests=50)
    first = analyse(a, seed=np.random.default_rng(3))
    assert analyse(a, seed=np.random.default_rng(3)) == first
    # The logs come from the generator as they would from its int seed.
    assert first.model_orders == analyse(a, seed=3).model_orders


def test_relative_lift_and_test_size_follow_the_take_rates(findings):
    # Both arms have 20,000 impressions, so the lift is a ratio of orders:
    # 1562 / 1104 - 1 = 0.4149, the page's "41% better".
    assert (findings.rule_orders, findings.model_orders) == (1104, 1562)
    assert findings.relative_lift == pytest.approx(1562 / 1104 - 1)
    # The page's exercise sizes the test from the rule's take-rate.
    assert findings.ab_per_arm == business.ab_sample_size(findings.rule_take_rate, 0.1) == 28129


def test_a_world_without_orders_gives_no_lift_and_no_test():
    # With no spread in appeal, each row orders with probability 1e-12.
    nobody = Assumptions(requests=10, order_rate=1e-12, appeal_spread=0.0)
    findings = analyse(nobody)
    assert findings.rule_orders == findings.model_orders == 0
    assert findings.relative_lift == 0.0
    assert findings.ab_per_arm == 0
    assert findings.recall_by_group == {}


def test_a_test_is_sized_only_when_the_lift_leaves_a_rate():
    # Without spread in appeal, the rule's take-rate is about order_rate.
    # From about 0.6, a 10% lift reaches 0.66, which a test can detect.
    keen = analyse(Assumptions(requests=200, order_rate=0.6, appeal_spread=0.0, ab_lift=0.1))
    assert 0.5 < keen.rule_take_rate < 0.7
    assert keen.ab_per_arm == business.ab_sample_size(keen.rule_take_rate, 0.1)
    assert keen.ab_per_arm > 0
    # From about 0.9, doubling would need a take-rate near 1.8: no test.
    keener = analyse(Assumptions(requests=200, order_rate=0.9, appeal_spread=0.0, ab_lift=1.0))
    assert keener.rule_take_rate > 0.8
    assert keener.ab_per_arm == 0


def test_with_one_group_its_recall_is_the_carousels():
    # 1,000 rows, each an independent with probability 1e-9: all chains.
    chains = Assumptions(requests=50, independent_share=1e-9, order_rate=0.5)
    findings = analyse(chains)
    assert findings.recall_by_group == {"chain": findings.recall}
    assert findings.selection_rates == {"chain": 5 / 20}


def test_the_utilisation_target_sets_the_replicas():
    # The forecast is 250 * 1.08 ** 12 = 629.5 requests per second, and a
    # replica finishes 16 requests per 12 + 16 * 1.5 = 36 ms, 444.4 a second.
    # Two replicas carry 888.9 at full load; at 70% each carries at most
    # 311.1, so it takes three.
    assert analyse(Assumptions(requests=10, target_utilization=1.0)).replicas == 2
    assert analyse(Assumptions(requests=10, target_utilization=0.7)).replicas == 3


def test_an_objective_is_met_at_its_threshold_and_on_its_percentile():
    base = analyse(Assumptions(requests=200))
    # The SLO on the median, with the median as its threshold: met, though
    # the p99 is well above it; a hair lower, missed.
    p50 = base.latency_p50
    assert base.latency_p99 > p50
    on_median = analyse(Assumptions(requests=200, slo_percentile=50, slo_ms=p50))
    assert on_median.latency_at_slo_percentile == p50
    assert on_median.meets_slo
    below = Assumptions(requests=200, slo_percentile=50, slo_ms=math.nextafter(p50, 0))
    assert not analyse(below).meets_slo
    # The same for the simulated p99: at the threshold is within it.
    p99 = base.simulated_p99
    assert analyse(Assumptions(requests=200, slo_ms=p99)).simulated_meets_slo
    assert not analyse(Assumptions(requests=200, slo_ms=math.nextafter(p99, 0))).simulated_meets_slo


def test_a_lift_to_a_rate_of_exactly_one_is_still_sized():
    """0.5 lifted by 100% is 1.0, a rate ab_sample_size accepts: a test is
    possible there and is sized; one step past it, none is."""
    assert _ab_per_arm(0.5, 1.0) == business.ab_sample_size(0.5, 1.0) > 0
    assert _ab_per_arm(0.5, 1.0 + 1e-9) == 0
    assert _ab_per_arm(0.0, 0.1) == 0
    # A lift too small to move the rate in floating point: no test can detect it.
    assert _ab_per_arm(0.05, 1e-17) == 0
    assert analyse(Assumptions(requests=50, ab_lift=1e-17)).ab_per_arm == 0
