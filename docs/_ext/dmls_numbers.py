"""Numbers the prose quotes, computed by the package at build time.

conf.py passes :func:`substitutions` to MyST, so a page writes
``{{ book_p90_nearest }}`` and the build fills in what ``dmls_examples``
computes. If the code or an input changes, the prose changes with it: no
figure quoted from a computation is ever typed by hand.

Every group's inputs are keyword arguments whose defaults are the examples
in :mod:`dmls_examples.datasets`, the same objects the pages' doctests and
the figures read; a test can pass another value (``scenario._replace(...)``)
and watch the rendered page change.
"""

from __future__ import annotations

from dmls_examples import (
    batching,
    business,
    capacity,
    datasets,
    fairness,
    framing,
    imbalance,
    interpretability,
    latency,
    objectives,
    recommender,
    surveys,
)


def _ms(value: float) -> str:
    """A latency in ms as prose writes it: 110, 399, 2,711, 3,000."""
    return f"{value:,.0f}"


def _percent(value: float, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%"


def latency_numbers(book=datasets.BOOK_LATENCIES_MS) -> dict[str, str]:
    """Summary and p90 under several methods for the book's ten requests."""
    summary = latency.latency_summary(book)
    numbers = {
        "book_count": str(summary.count),
        "book_mean": _ms(summary.mean),
        "book_median": _ms(summary.p50),
        "book_max": _ms(summary.max),
        "book_mean_over_median": f"{summary.mean / summary.p50:.1f}",
    }
    for label, method in [
        ("nearest", "inverted_cdf"),
        ("linear", "linear"),
        ("higher", "higher"),
        ("lower", "lower"),
        ("weibull", "weibull"),
    ]:
        value = latency.percentiles(book, (90,), method=method)[90]
        numbers[f"book_p90_{label}"] = _ms(value)
    # How far apart the rules land: the book's `higher` p90 over nearest rank.
    higher, nearest = (
        latency.percentiles(book, (90,), method=method)[90] for method in ("higher", "inverted_cdf")
    )
    numbers["book_p90_spread"] = f"{higher / nearest:,.0f}"
    return numbers


def fanout_numbers(
    common=datasets.TAIL_AT_SCALE_FANOUT, rare=datasets.TAIL_AT_SCALE_RARE_FANOUT
) -> dict[str, str]:
    """Dean and Barroso's fan-out examples."""
    return {
        "fanout_p_slow": _percent(common.p_slow),
        "fanout_n": f"{common.servers:,}",
        "fanout_slow": _percent(latency.fanout_slow_probability(*common)),
        "fanout_rare_n": f"{rare.servers:,}",
        "fanout_rare_slow": _percent(latency.fanout_slow_probability(*rare)),
    }


def batching_numbers(batches=datasets.BOOK_BATCHES) -> dict[str, str]:
    """The book's three batching throughputs: one query, a small and a large batch."""
    numbers = {}
    single, _, large = batches
    for label, (size, ms) in zip(("single", "small", "large"), batches, strict=True):
        numbers[f"batch_{label}_size"] = f"{size:,}"
        numbers[f"batch_{label}_ms"] = f"{ms:,}"
        numbers[f"batch_{label}_qps"] = f"{batching.batch_throughput(size, ms):,.0f}"
    gain = batching.batch_throughput(*large) / batching.batch_throughput(*single)
    numbers["batch_large_gain"] = f"{gain:,.0f}"
    return numbers


def batching_simulation_numbers(scenario=datasets.BATCHING_SCENARIO) -> dict[str, str]:
    """The page's simulated server: capacities, and the largest batch's latencies
    at the shortest and the longest timeout its figure shows."""
    numbers = {
        "sim_rate": f"{scenario.arrival_rate_qps:,}",
        "sim_fixed_ms": f"{scenario.fixed_ms:g}",
        "sim_per_query_ms": f"{scenario.per_query_ms:g}",
        "sim_largest": str(scenario.largest_batch),
        "sim_requests": f"{scenario.n_requests:,}",
        "sim_plotted_sizes": str(scenario.plotted_batch_sizes),
        "sim_longest_wait": f"{scenario.timeouts_ms[-1]:g}",
    }
    for size in scenario.compared_batch_sizes:
        capacity = batching.capacity_qps(size, scenario.service_time_ms)
        numbers[f"sim_capacity_{size}"] = f"{capacity:,.0f}"
    for wait in (scenario.timeouts_ms[0], scenario.timeouts_ms[-1]):
        run = batching.simulate_batching(
            scenario.arrival_rate_qps,
            scenario.largest_batch,
            wait,
            scenario.service_time_ms,
            n_requests=scenario.n_requests,
            seed=scenario.seed,
        )
        numbers[f"sim_wait{wait:g}_p50"] = f"{run.p50_ms:.0f}"
        numbers[f"sim_wait{wait:g}_p99"] = f"{run.p99_ms:.0f}"
        numbers[f"sim_wait{wait:g}_batch"] = f"{run.mean_batch_size:.0f}"
    return numbers


def revenue_numbers(shop=datasets.SHOP_CTR_LIFT) -> dict[str, str]:
    """The page's shop: extra revenue from a relative and an absolute lift."""
    impressions, ctr, lift, per_click = shop

    def extra(relative):
        return business.ctr_lift_revenue(impressions, ctr, lift, per_click, relative=relative)

    def millions(relative):
        return f"{extra(relative) / 1e6:,.1f}".removesuffix(".0")

    return {
        "shop_ratio": f"{extra(False) / extra(True):,.0f}",
        "shop_impressions_billions": f"{impressions / 1e9:,.0f}",
        "shop_ctr": _percent(ctr, 0),
        "shop_per_click": f"{per_click:,.0f}",
        "shop_rel_millions": millions(True),
        "shop_abs_millions": millions(False),
        "shop_rel_target": _percent(business.lifted_rate(ctr, lift, relative=True), 3),
        "shop_abs_target": _percent(business.lifted_rate(ctr, lift, relative=False), 1),
    }


def ab_numbers(shop=datasets.SHOP_CTR_LIFT) -> dict[str, str]:
    """Sample sizes to detect the shop's lift in CTR, read as relative and as absolute."""
    baseline, lift = shop.baseline_ctr, shop.lift
    absolute = business.ab_sample_size(baseline, lift, relative=False)
    relative = business.ab_sample_size(baseline, lift, relative=True)
    return {
        "ab_baseline": _percent(baseline, 1),
        "ab_lift": _percent(lift, 1),
        "ab_abs_target": _percent(business.lifted_rate(baseline, lift, relative=False), 1),
        "ab_rel_target": _percent(business.lifted_rate(baseline, lift, relative=True), 3),
        "ab_abs_n": f"{absolute:,}",
        "ab_rel_n": f"{relative:,}",
        "ab_rel_n_millions": f"{relative / 1e6:,.0f} million",
        "ab_ratio": f"{relative / absolute:,.0f}",
    }


def _names(names) -> str:
    """A list of names as prose writes it: "A, B and C"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _count(n: int, noun: str) -> str:
    """A count as prose writes it: "no restaurant", "1 restaurant", "3 restaurants"."""
    if n == 0:
        return f"no {noun}"
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def objectives_numbers(data=None, sweep=datasets.BLEND_SWEEP) -> dict[str, str]:
    """How the restaurant app's top k moves as alpha goes from clicks to revenue.

    *data* defaults to :func:`dmls_examples.datasets.restaurants`.
    """
    data = datasets.restaurants() if data is None else data
    k, step = sweep
    revenue = objectives.min_max_scale(data.revenue)
    clicks = objectives.min_max_scale(data.click_probability)

    def top(alpha):
        return objectives.top_k(data.names, revenue, clicks, k=k, alpha=alpha)

    by_clicks, by_revenue, even = top(0.0), top(1.0), top(0.5)
    alphas = sweep.alphas()
    first_change = next(a for a in alphas if top(a) != by_clicks)
    last_change = next(a for a in alphas[::-1] if top(a) != by_revenue)
    newcomers = [name for name in even if name not in by_clicks]
    return {
        "blend_k": str(k),
        "blend_top_clicks": _names(by_clicks),
        "blend_top_revenue": _names(by_revenue),
        "blend_overlap": _count(len(set(by_clicks) & set(by_revenue)), "restaurant"),
        "blend_even_newcomers": _names(newcomers),
        "blend_even_kept": str(k - len(newcomers)),
        "blend_first_change": f"{first_change:.2f}",
        "blend_settled": f"{last_change + step:.2f}",
        "blend_step": f"{step:.2f}",
    }


def imbalance_numbers(ads=datasets.AD_CLICKS) -> dict[str, str]:
    """The ad-click example: a constant model, a useful one, and missing labels."""
    impressions, clicks, flagged = ads.impressions, ads.clicks, ads.flagged
    y_true, useful = ads.labels(), ads.flags()
    precision, recall, f1 = imbalance.precision_recall_f1(y_true, useful)
    counts = imbalance.confusion_counts(y_true, useful)
    measured_precision, _, _ = imbalance.precision_recall_f1(ads.logged_labels(), y_true)
    return {
        "ad_impressions": f"{impressions:,}",
        "ad_clicks": f"{clicks:,}",
        "ad_negative_share": _percent(1 - clicks / impressions, 2),
        "ad_baseline_accuracy": _percent(imbalance.majority_baseline_accuracy(y_true), 2),
        "ad_flagged": f"{flagged:,}",
        "ad_useful_tp": f"{counts.tp:,}",
        "ad_useful_fp": f"{counts.fp:,}",
        "ad_useful_accuracy": _percent(imbalance.accuracy(y_true, useful), 3),
        "ad_useful_precision": _percent(precision),
        "ad_useful_recall": _percent(recall),
        "ad_useful_f1": f"{f1:.2f}",
        "ad_base_rate": _percent(clicks / impressions, 2),
        "ad_precision_lift": f"{precision / (clicks / impressions):,.0f}",
        "ad_unlogged": f"{ads.unlogged_clicks:,}",
        "ad_measured_precision": _percent(measured_precision),
    }


def sparsity_numbers(shop=datasets.SPARSE_SHOP) -> dict[str, str]:
    """How empty a user-item matrix is when each user touches a few items."""
    users, items, per_user = shop
    filled = per_user / items
    return {
        "sparse_users": f"{users:,}",
        "sparse_items": f"{items:,}",
        "sparse_per_user": f"{per_user:,}",
        "sparse_cells": f"{users * items:,}",
        "sparse_filled": _percent(filled, 2),
        "sparse_empty": _percent(1 - filled, 2),
    }


def fairness_numbers(lender=datasets.LENDER) -> dict[str, str]:
    """The lender example: selection rates, their gap and ratio, recall by group."""
    groups, approved, even = lender.groups(), lender.approved(), lender.evened()
    rates = fairness.selection_rates(approved, groups)
    gap = fairness.selection_rate_gap(approved, groups)
    ratio = fairness.selection_rate_ratio(approved, groups)
    recall = fairness.true_positive_rates(lender.repaid(), even, groups)
    return {
        "lend_size_a": f"{lender.size_a:,}",
        "lend_size_b": f"{lender.size_b:,}",
        "lend_approved_a": f"{lender.approved_a:,}",
        "lend_approved_b": f"{lender.approved_b:,}",
        "lend_rate_a": _percent(rates["A"]),
        "lend_rate_b": _percent(rates["B"]),
        "lend_gap_points": f"{100 * gap:.0f}",
        "lend_ratio": f"{ratio:.2f}",
        "lend_even_gap": f"{fairness.selection_rate_gap(even, groups):.2f}",
        "lend_qualified_b": f"{lender.qualified_b:,}",
        "lend_found_b": f"{lender.found_b:,}",
        "lend_wrong_b": f"{lender.wrong_b:,}",
        "lend_recall_a": _percent(recall["A"]),
        "lend_recall_b": _percent(recall["B"]),
        "lend_small_group": str(lender.small_group),
        "lend_small_step": _percent(1 / lender.small_group),
    }


def interpretability_numbers(model=None) -> dict[str, str]:
    """The credit-score example: scores, probabilities and the main reasons.

    *model* defaults to :func:`dmls_examples.datasets.loan_model`.
    """
    model = datasets.loan_model() if model is None else model
    contributions = interpretability.linear_contributions(
        model.weights, model.applicant, reference=model.average
    )
    average = interpretability.linear_score(model.weights, model.average, bias=model.bias)
    applicant = interpretability.linear_score(model.weights, model.applicant, bias=model.bias)
    ranked = interpretability.largest_contributions(model.features, contributions)
    against = [name for name, value in ranked if value < 0]
    helping = [name for name, value in ranked if value > 0]

    return {
        "loan_average_score": f"{average:.2f}",
        "loan_applicant_score": f"{applicant:.2f}",
        "loan_score_change": f"{applicant - average:.2f}",
        "loan_average_probability": _percent(interpretability.logistic(average)),
        "loan_applicant_probability": _percent(interpretability.logistic(applicant)),
        "loan_top_reason": ranked[0][0],
        "loan_top_value": f"{ranked[0][1]:.2f}",
        "loan_reasons_against": _names(against),
        "loan_reasons_for": _names(helping),
    }


def delivery_numbers(deliveries=datasets.DELIVERIES) -> dict[str, str]:
    """The same training code on two days' data: how far one bad row moves a prediction."""
    monday = framing.fit_line(deliveries.distance_km, deliveries.monday_minutes)
    tuesday = framing.fit_line(deliveries.distance_km, deliveries.tuesday_minutes)
    return {
        "delivery_asked_km": f"{deliveries.asked_km:g}",
        "delivery_monday_slope": f"{monday.slope:g}",
        "delivery_monday_intercept": f"{monday.intercept:g}",
        "delivery_tuesday_slope": f"{tuesday.slope:g}",
        "delivery_tuesday_intercept": f"{tuesday.intercept:g}",
        "delivery_old_minutes": f"{monday.predict(deliveries.asked_km):.0f}",
        "delivery_new_minutes": f"{tuesday.predict(deliveries.asked_km):.0f}",
    }


def _points(value: float) -> str:
    """A difference of two rates in percentage points, with a true minus sign."""
    return f"{100 * value:.2f}".replace("-", "\N{MINUS SIGN}")


def recommender_numbers(
    pilot=datasets.RECOMMENDER_PILOT,
    full=datasets.RECOMMENDER_FULL,
    hours=datasets.CATALOG_HOURS,
) -> dict[str, str]:
    """Chapter 2's comparison of two recommenders: take-rates and spread."""
    numbers = {}
    for label, (plays_a, plays_b, shown) in [("pilot", pilot), ("full", full)]:
        low, high = recommender.take_rate_difference_interval(plays_a, shown, plays_b, shown)
        numbers[f"{label}_shown"] = f"{shown:,}"
        numbers[f"{label}_plays_a"] = f"{plays_a:,}"
        numbers[f"{label}_plays_b"] = f"{plays_b:,}"
        for arm, plays in [("a", plays_a), ("b", plays_b)]:
            arm_low, arm_high = recommender.take_rate_interval(plays, shown)
            numbers[f"{label}_rate_{arm}"] = _percent(recommender.take_rate(plays, shown), 2)
            numbers[f"{label}_low_{arm}"] = _percent(arm_low, 2)
            numbers[f"{label}_high_{arm}"] = _percent(arm_high, 2)
        numbers[f"{label}_diff"] = _points(plays_b / shown - plays_a / shown)
        numbers[f"{label}_diff_low"] = _points(low)
        numbers[f"{label}_diff_high"] = _points(high)
    numbers["ecs_a"] = f"{recommender.effective_catalog_size(hours.a):.2f}"
    numbers["ecs_b"] = f"{recommender.effective_catalog_size(hours.b):.2f}"
    numbers["ecs_titles"] = str(len(hours.a))
    return numbers


def survey_numbers() -> dict[str, str]:
    """The Algorithmia 2020 shares the text quotes, from the data the chart uses."""
    numbers = {"survey_respondents": f"{surveys.ALGORITHMIA_2020_RESPONDENTS:,}"}
    for share, key in zip(
        surveys.ALGORITHMIA_2020_BY_MATURITY, ("survey_mature", "survey_beginners"), strict=True
    ):
        numbers[key] = _percent(share.share)
    for share, key in zip(
        surveys.ALGORITHMIA_2020_ALL,
        ("survey_week", "survey_month", "survey_over_month"),
        strict=True,
    ):
        numbers[key] = _percent(share.share)
    covered = sum(share.share for share in surveys.ALGORITHMIA_2020_ALL)
    numbers["survey_covered"] = _percent(covered)
    return numbers


def capacity_numbers(scenario=datasets.CAPACITY_SCENARIO) -> dict[str, str]:
    """The capacity plan on the requirements page, and its figure's far end."""
    current_peak, growth = scenario.current_peak_qps, scenario.growth_per_month
    months, replica_qps, horizon = scenario.months, scenario.replica_qps, scenario.horizon_months
    target = scenario.target_utilization
    high_target, low_target = scenario.high_target, scenario.low_target
    peak = capacity.forecast_peak(current_peak, growth, months)
    replicas = capacity.replicas_needed(peak, replica_qps, target_utilization=target)
    lean = capacity.replicas_needed(peak, replica_qps, target_utilization=high_target)
    roomy = capacity.replicas_needed(peak, replica_qps, target_utilization=low_target)
    return {
        "cap_current": f"{current_peak:,}",
        "cap_growth": _percent(growth),
        "cap_months": str(months),
        "cap_peak": f"{peak:,.0f}",
        "cap_factor": f"{peak / current_peak:.2f}",
        "cap_simple_factor": f"{1 + growth * months:.2f}",
        "cap_replica_qps": f"{replica_qps:,}",
        "cap_target": _percent(target),
        "cap_replicas": str(replicas),
        "cap_util": _percent(capacity.utilization(peak, replicas, replica_qps)),
        "cap_util_minus_one": _percent(capacity.utilization(peak, replicas - 1, replica_qps)),
        "cap_high_target": _percent(high_target),
        "cap_high_replicas": str(lean),
        "cap_high_util_minus_one": _percent(capacity.utilization(peak, lean - 1, replica_qps)),
        "cap_low_target": _percent(low_target),
        "cap_low_replicas": str(roomy),
        "cap_horizon": str(horizon),
        "cap_horizon_peak": f"{capacity.forecast_peak(current_peak, growth, horizon):,.0f}",
    }


def framing_numbers(
    many=datasets.MANY_CLASSES,
    n_labels=datasets.MULTILABEL_LABELS,
    hesitant=datasets.HESITANT_PREDICTIONS,
    mistake=datasets.CONFIDENT_MISTAKE,
    certain=datasets.CERTAIN_MISTAKE,
) -> dict[str, str]:
    """Class counts, label combinations and log losses on the framing page."""
    per_class, n_classes = many
    confident = framing.log_loss(*hesitant)
    mistaken = framing.log_loss(*mistake)
    return {
        "frame_per_class": f"{per_class:,}",
        "frame_classes": f"{n_classes:,}",
        "frame_examples": f"{per_class * n_classes:,}",
        "frame_labels": str(n_labels),
        "frame_combinations": f"{2**n_labels:,}",
        "frame_loss": f"{confident:.2f}",
        "frame_loss_mistake": f"{mistaken:.2f}",
        "frame_loss_ratio": f"{mistaken / confident:.1f}",
        "frame_certain_mistake": f"{framing.log_loss(*certain):.0f}",
    }


def substitutions(**inputs) -> dict[str, str]:
    """Every substitution the pages use; keyword *inputs* override defaults.

    An input is named ``<group>__<argument>``, for example
    ``latency__book=(1, 2, 3)``.
    """
    groups = {
        "latency": latency_numbers,
        "fanout": fanout_numbers,
        "batching": batching_numbers,
        "simulation": batching_simulation_numbers,
        "revenue": revenue_numbers,
        "ab": ab_numbers,
        "objectives": objectives_numbers,
        "imbalance": imbalance_numbers,
        "sparsity": sparsity_numbers,
        "fairness": fairness_numbers,
        "interpretability": interpretability_numbers,
        "delivery": delivery_numbers,
        "recommender": recommender_numbers,
        "survey": survey_numbers,
        "capacity": capacity_numbers,
        "framing": framing_numbers,
    }
    overrides: dict[str, dict] = {name: {} for name in groups}
    for key, value in inputs.items():
        group, _, argument = key.partition("__")
        if group not in groups or not argument:
            raise TypeError(f"unknown input {key!r}; use <group>__<argument>")
        overrides[group][argument] = value
    numbers: dict[str, str] = {}
    for name, compute in groups.items():
        numbers.update(compute(**overrides[name]))
    return numbers
