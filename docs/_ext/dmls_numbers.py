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

import math

import numpy as np

from dmls_examples import (
    batching,
    business,
    capacity,
    casestudy,
    datasets,
    fairness,
    framing,
    imbalance,
    interpretability,
    latency,
    objectives,
    recommender,
    sketch,
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
    # "The value 90% of requests are strictly below": rank floor(0.9 n) + 1.
    ranked = sorted(book)
    numbers["book_p90_strict_rank"] = str(math.floor(0.9 * len(ranked)) + 1)
    numbers["book_p90_strict"] = _ms(ranked[math.floor(0.9 * len(ranked))])
    return numbers


def distribution_numbers(sample=datasets.SLOW_PATH_LATENCIES) -> dict[str, str]:
    """The simulated latencies of the latency-distribution figure, as its legend gives them."""
    latencies = sample.sample()
    marks = latency.percentiles(latencies, (50, 90, 99))
    return {
        "dist_count": f"{latencies.size:,}",
        "dist_p50": _ms(marks[50]),
        "dist_p90": _ms(marks[90]),
        "dist_p99": _ms(marks[99]),
        "dist_mean": _ms(latency.latency_summary(latencies).mean),
    }


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
    """The page's simulated server: capacities, and the largest batch's latencies.

    The runs match the page's doctests, and every value is rounded as the
    doctests print it.
    """
    rate_qps, fixed_ms, per_query_ms = (
        scenario.arrival_rate_qps,
        scenario.fixed_ms,
        scenario.per_query_ms,
    )
    largest = scenario.largest_batch
    numbers = {
        "sim_rate": f"{rate_qps:,}",
        "sim_fixed_ms": f"{fixed_ms:g}",
        "sim_per_query_ms": f"{per_query_ms:g}",
        "sim_largest": str(largest),
        "sim_fill_ms": f"{scenario.mean_fill_ms():,.0f}",
        "sim_steady_batch": f"{scenario.steady_batch_size():.1f}",
    }
    for size in scenario.compared_batch_sizes:
        capacity_qps = batching.capacity_qps(size, scenario.service_time_ms)
        numbers[f"sim_capacity_{size}"] = f"{capacity_qps:,.0f}"
    for wait in scenario.compared_timeouts_ms:
        run = batching.simulate_batching(
            rate_qps,
            largest,
            wait,
            scenario.service_time_ms,
            n_requests=scenario.n_requests,
            seed=scenario.seed,
        )
        numbers[f"sim_wait{wait:g}_p50"] = f"{run.p50_ms:.1f}"
        numbers[f"sim_wait{wait:g}_p99"] = f"{run.p99_ms:.1f}"
        numbers[f"sim_wait{wait:g}_batch"] = f"{run.mean_batch_size:.1f}"
    return numbers


def dashboard_numbers(window=datasets.DASHBOARD_WINDOW) -> dict[str, str]:
    """The p99.9 exercise: one minute's requests against an hour's."""
    per_minute, minutes = window.requests_per_minute, window.minutes
    requests = per_minute * minutes
    rank = latency.percentiles(range(1, requests + 1), (99.9,))[99.9]
    return {
        "dash_per_minute": f"{per_minute:,}",
        "dash_minutes": str(minutes),
        "dash_hour_rank": f"{rank:,.0f}",
        "dash_hour_slower": f"{requests - rank:,.0f}",
    }


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def batch_limit_numbers(choice=datasets.BATCH_LIMIT_CHOICE) -> dict[str, str]:
    """The batch-limit exercise: each limit at today's peak, then as traffic grows.

    Values are rounded as the solution's doctests print them.
    """
    server = choice.server
    limits = server.compared_batch_sizes
    wait_ms = server.compared_timeouts_ms[0]

    def run(peak_qps, size, seed=server.seed):
        return batching.simulate_batching(
            peak_qps,
            size,
            wait_ms,
            server.service_time_ms,
            n_requests=server.n_requests,
            seed=seed,
        )

    numbers = {
        "bl_peak": f"{server.arrival_rate_qps:,}",
        "bl_fixed_ms": f"{server.fixed_ms:g}",
        "bl_per_query_ms": f"{server.per_query_ms:g}",
        "bl_wait_ms": f"{wait_ms:g}",
        "bl_limits": f"{', '.join(map(str, limits[:-1]))} or {limits[-1]}",
        "bl_objective_ms": f"{choice.objective_p99_ms:g}",
        "bl_growth": _percent(choice.monthly_growth),
        "bl_requests": f"{server.n_requests:,}",
        "bl_seed": f"{server.seed}",
        "bl_seed_last": f"{server.seed + choice.verdict_seeds - 1}",
    }
    for size in limits:
        capacity_qps = batching.capacity_qps(size, server.service_time_ms)
        today = run(server.arrival_rate_qps, size)
        numbers[f"bl_capacity_{size}"] = f"{capacity_qps:,.0f}"
        numbers[f"bl_p99_{size}"] = f"{today.p99_ms:,.0f}"
        numbers[f"bl_batch_{size}"] = f"{today.mean_batch_size:.0f}"
        if capacity_qps > server.arrival_rate_qps:
            # The month in which the forecast peak first exceeds the capacity.
            months_left = math.log(capacity_qps / server.arrival_rate_qps) / math.log1p(
                choice.monthly_growth
            )
            numbers[f"bl_capacity_{size}_lasts"] = _ordinal(math.floor(months_left) + 1)
        for month in range(1, choice.months + 1):
            peak = capacity.forecast_peak(server.arrival_rate_qps, choice.monthly_growth, month)
            numbers[f"bl_month{month}_peak"] = f"{peak:,.0f}"
            numbers[f"bl_p99_{size}_month{month}"] = f"{run(peak, size).p99_ms:,.1f}"
    # The largest limit's second month, near the objective: the same peak
    # with other seeds.
    month2 = capacity.forecast_peak(server.arrival_rate_qps, choice.monthly_growth, 2)
    seeds = range(server.seed, server.seed + choice.verdict_seeds)
    spread = [run(month2, limits[-1], seed).p99_ms for seed in seeds]
    numbers["bl_month2_seeds_low"] = f"{min(spread):,.1f}"
    numbers["bl_month2_seeds_high"] = f"{max(spread):,.1f}"
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


def objectives_numbers(feed=datasets.NEWSFEED, sweep=datasets.BLEND_SWEEP) -> dict[str, str]:
    """How the newsfeed's top k moves as the weight on quality goes from 0 to 1."""
    posts, k = feed.posts, sweep.k
    scaled_quality = objectives.min_max_scale(feed.quality)
    scaled_clicks = objectives.min_max_scale(feed.clicks)

    def top(alpha):
        return objectives.top_k(posts, scaled_quality, scaled_clicks, k=k, alpha=alpha)

    by_clicks, by_quality, even = top(0.0), top(1.0), top(0.5)
    alphas = sweep.alphas()
    first_change = next(a for a in alphas if top(a) != by_clicks)
    last_change = next(a for a in alphas[::-1] if top(a) != by_quality)
    kept = [name for name in even if name in by_clicks]
    feeds, outcomes = feed.feeds(k)
    front = objectives.pareto_optimal(outcomes)

    def chosen(alpha):
        return tuple(sorted(posts.index(name) for name in top(alpha)))

    reached = {chosen(alpha) for alpha in feed.blend_weights()}

    numbers = {
        "blend_k": str(k),
        "blend_posts": str(len(posts)),
        "blend_top_clicks": _names(by_clicks),
        "blend_top_quality": _names(by_quality),
        "blend_overlap": _count(len(set(by_clicks) & set(by_quality)), "post"),
        "blend_even_kept": _names(kept),
        "blend_first_change": f"{first_change:.1f}",
        "blend_settled": f"{last_change + sweep.alpha_step:.1f}",
        "blend_step": f"{sweep.alpha_step:.1f}",
        "blend_feeds": f"{len(feeds):,}",
        "blend_front": str(int(front.sum())),
        # Every weight in [0, 1], not only the grid the figure steps through.
        "blend_reached": str(len(reached)),
    }
    for label, alpha in [("clicks", 0.0), ("even", 0.5), ("quality", 1.0)]:
        quality_mean, clicks_mean = outcomes[feeds.index(chosen(alpha))]
        numbers[f"blend_{label}_quality"] = f"{quality_mean:.2f}"
        numbers[f"blend_{label}_clicks"] = f"{clicks_mean:.0f}"
    return numbers


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


def leaderboard_numbers(board=datasets.LEADERBOARD) -> dict[str, str]:
    """Equally good models on one shared test set: how far luck lifts the best score."""
    best = float(board.scores().max())
    return {
        "board_models": f"{board.models:,}",
        "board_test_size": f"{board.test_size:,}",
        "board_accuracy": _percent(board.accuracy),
        "board_best": _percent(best, 1),
        "board_luck_points": f"{100 * (best - board.accuracy):.1f}",
    }


def minority_numbers(groups=datasets.MINORITY) -> dict[str, str]:
    """How little a small group's errors move the overall accuracy."""
    total = groups.size_a + groups.size_b
    return {
        "minority_total": f"{total:,}",
        "minority_share": _percent(groups.size_b / total),
        "minority_a": _percent(groups.correct_a / groups.size_a),
        "minority_b": _percent(groups.correct_b / groups.size_b),
        "minority_overall": _percent(groups.overall(), 1),
        "minority_fixed": _percent(groups.overall_if_b_like_a(), 1),
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
        "loan_average_score": _signed(average),
        "loan_applicant_score": _signed(applicant),
        "loan_score_change": _signed(applicant - average),
        "loan_score_change_abs": f"{abs(applicant - average):.2f}",
        "loan_average_probability": _percent(interpretability.logistic(average)),
        "loan_applicant_probability": _percent(interpretability.logistic(applicant)),
        "loan_top_reason": ranked[0][0],
        "loan_top_value": _signed(ranked[0][1]),
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


def _signed(value: float, digits: int = 2) -> str:
    """*value* to *digits* decimals, negative ones with a true minus sign, as print sets it."""
    return f"{value:.{digits}f}".replace("-", "\N{MINUS SIGN}")


def _points(value: float, digits: int = 2) -> str:
    """A difference of two rates in percentage points."""
    return _signed(100 * value, digits)


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
    article=datasets.ARTICLE_TOPICS,
    deliveries=datasets.DELIVERY_PREDICTIONS,
) -> dict[str, str]:
    """Class counts, label combinations and losses on the framing page."""
    per_class, n_classes = many
    true_class = article.topics.index(article.true_topic)
    likeliest = int(np.argmax(article.scores))
    actual, predicted, one_miss = deliveries
    rmse = math.sqrt(framing.mean_squared_error(actual, predicted))
    rmse_one = math.sqrt(framing.mean_squared_error(actual, one_miss))
    return {
        "frame_per_class": f"{per_class:,}",
        "frame_classes": f"{n_classes:,}",
        "frame_examples": f"{per_class * n_classes:,}",
        "frame_labels": str(n_labels),
        "frame_combinations": f"{2**n_labels:,}",
        "frame_ce": f"{framing.log_loss([true_class], [article.scores]):.2f}",
        "frame_ce_top": f"{framing.log_loss([likeliest], [article.scores]):.2f}",
        "frame_ce_likeliest": article.topics[likeliest],
        "frame_mae": f"{framing.mean_absolute_error(actual, predicted):g}",
        "frame_mae_one": f"{framing.mean_absolute_error(actual, one_miss):g}",
        "frame_rmse": f"{rmse:.2f}",
        "frame_rmse_one": f"{rmse_one:.2f}",
    }


def _about(value: float) -> str:
    """A large ratio as prose rounds it, to two significant figures: 67,000."""
    digits = max(0, len(f"{value:.0f}") - 2)
    return f"{round(value, -digits):,.0f}"


def data_growth_numbers(sets=datasets.TRAINING_SETS) -> dict[str, str]:
    """How many times larger the last training set is than the first."""
    first, last = sets[0], sets[-1]
    return {
        "growth_first": first.name,
        "growth_first_year": str(first.year),
        "growth_last_year": str(last.year),
        "growth_factor": _about(last.size / first.size),
    }


def casestudy_numbers(**overrides) -> dict[str, str]:
    """The case study's numbers; *overrides* replace fields of its Assumptions."""
    a = casestudy.Assumptions(**overrides)
    f = casestudy.analyse(a)

    def interval(pair, digits=1):
        return tuple(_percent(x, digits) for x in pair)

    rule_low, rule_high = interval(f.rule_interval)
    model_low, model_high = interval(f.model_interval)
    lift_low, lift_high = (_points(x, digits=1) for x in f.lift_interval)
    groups = ("chain", "independent")
    numbers = {
        "cs_requests": f"{a.requests:,}",
        "cs_candidates": str(a.candidates),
        "cs_shown": str(a.shown),
        "cs_rows": f"{f.rows:,}",
        "cs_impressions": f"{f.impressions:,}",
        "cs_order_rate": _percent(a.order_rate),
        "cs_base_rate": _percent(f.base_rate, 1),
        "cs_rule_orders": f"{f.rule_orders:,}",
        "cs_rule_rate": _percent(f.rule_take_rate, 1),
        "cs_rule_low": rule_low,
        "cs_rule_high": rule_high,
        "cs_model_orders": f"{f.model_orders:,}",
        "cs_model_rate": _percent(f.model_take_rate, 1),
        "cs_model_low": model_low,
        "cs_model_high": model_high,
        "cs_lift_low": lift_low,
        "cs_lift_high": lift_high,
        "cs_relative_lift": _percent(f.relative_lift),
        "cs_ab_lift": _percent(a.ab_lift),
        "cs_ab_per_arm": f"{f.ab_per_arm:,}",
        # Both arms' impressions at the peak: requests/s times restaurants shown.
        "cs_ab_fill_seconds": f"{2 * f.ab_per_arm / (a.peak_qps * a.shown):,.0f}",
        "cs_slo_ms": f"{a.slo_ms:,.0f}",
        "cs_slo_percentile": f"{a.slo_percentile:g}",
        "cs_p50": _ms(f.latency_p50),
        "cs_p90": _ms(f.latency_p90),
        "cs_p99": _ms(f.latency_p99),
        "cs_latency_max": _ms(f.latency_max),
        "cs_meets_slo": "meets" if f.meets_slo else "misses",
        "cs_peak": f"{a.peak_qps:,.0f}",
        "cs_growth": _percent(a.monthly_growth),
        "cs_months": str(a.months),
        "cs_forecast": f"{f.forecast_peak_qps:,.0f}",
        "cs_batch_size": str(a.batch_size),
        "cs_batch_wait_ms": f"{a.batch_wait_ms:g}",
        "cs_batch_fixed_ms": f"{a.batch_fixed_ms:g}",
        "cs_batch_per_request_ms": f"{a.batch_per_request_ms:g}",
        "cs_replica_qps": f"{f.replica_qps:,.0f}",
        "cs_target": _percent(a.target_utilization),
        "cs_replicas": str(f.replicas),
        "cs_replica_load": f"{f.replica_load_qps:,.0f}",
        "cs_sim_p99": _ms(f.simulated_p99),
        "cs_sim_batch": f"{f.simulated_batch_size:.1f}",
        "cs_sim_batch_ms": _ms(a.batch_fixed_ms + a.batch_per_request_ms * f.simulated_batch_size),
        "cs_sim_busy": _percent(f.simulated_busy_share),
        "cs_slo_left": _ms(a.slo_ms - f.simulated_p99),
        "cs_baseline_accuracy": _percent(f.baseline_accuracy, 1),
        "cs_model_accuracy": _percent(f.model_accuracy, 1),
        "cs_precision": _percent(f.precision, 1),
        "cs_recall": _percent(f.recall, 1),
        "cs_f1": f"{f.f1:.2f}",
        "cs_independent_share": _percent(a.independent_share),
    }
    for group in groups:
        numbers[f"cs_selection_{group}"] = _percent(f.selection_rates[group])
        numbers[f"cs_recall_{group}"] = _percent(f.recall_by_group[group])
    return numbers | _campaign(a, f)


def _campaign(a, f) -> dict[str, str]:
    """The case study's campaign evening: twice the forecast peak, on the
    replicas the target asks for and on one fewer, simulated as the page's
    solution simulates them (20,000 requests, seed 0, as analyse does)."""
    peak = 2 * f.forecast_peak_qps
    target = a.target_utilization
    replicas = capacity.replicas_needed(peak, f.replica_qps, target_utilization=target)

    def p99_on(n: int) -> float:
        run = batching.simulate_batching(
            peak / n, a.batch_size, a.batch_wait_ms, a.batch_service_ms, n_requests=20_000, seed=0
        )
        return run.p99_ms

    p99, fewer_p99 = p99_on(replicas), p99_on(replicas - 1)
    return {
        "cs_campaign_replicas": str(replicas),
        "cs_campaign_load": f"{peak / replicas:,.0f}",
        "cs_campaign_p99": _ms(p99),
        "cs_campaign_slo_left": _ms(a.slo_ms - p99),
        "cs_campaign_fewer": str(replicas - 1),
        "cs_campaign_fewer_share": _percent(peak / (replicas - 1) / f.replica_qps),
        "cs_campaign_fewer_p99": _ms(fewer_p99),
    }


def scale_numbers(fleet=datasets.FLEET, check=datasets.SKETCH_CHECK) -> dict[str, str]:
    """The fleet on percentiles-at-scale: p99s that do not average, and a sketch that merges."""
    servers = fleet.latencies()
    accuracy = check.relative_accuracy
    p99s = [latency.percentiles(server, (99,))[99] for server in servers]
    everything = np.concatenate(servers)
    exact = latency.percentiles(everything, (50, 99))
    merged = sketch.QuantileSketch(relative_accuracy=accuracy)
    for server in servers:
        part = sketch.QuantileSketch(relative_accuracy=accuracy)
        part.add(server)
        merged.merge(part)
    estimate = merged.percentiles((50, 99))
    qs = check.qs()
    exact_all = latency.percentiles(everything, qs)
    estimates = merged.percentiles(qs)
    errors = [abs(estimates[q] / exact_all[q] - 1) for q in qs]
    span = sketch.QuantileSketch(relative_accuracy=accuracy)
    span.add(check.span())
    gamma = (1 + accuracy) / (1 - accuracy)
    # Buckets i = ceil(log_gamma x) from the lowest latency of the span to the highest.
    low, high = check.span_ms
    sizes = [server.size for server in servers]
    tail_slow = int(np.sum(servers[-1] > exact[99]))
    tail_all = int(np.sum(everything > exact[99]))
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    return {
        "fleet_servers": words.get(len(servers), str(len(servers))),
        "fleet_tail_slow": f"{tail_slow:,}",
        "fleet_tail_all": f"{tail_all:,}",
        "fleet_healthy_requests": f"{sizes[0]:,}",
        "fleet_slow_requests": f"{sizes[-1]:,}",
        "fleet_slow_share": _percent(sizes[-1] / sum(sizes)),
        "fleet_healthy_p99": _ms(p99s[0]),
        "fleet_slow_p99": _ms(p99s[-1]),
        "fleet_mean_p99": _ms(np.mean(p99s)),
        "fleet_weighted_p99": _ms(np.average(p99s, weights=sizes)),
        "fleet_max_p99": _ms(max(p99s)),
        "fleet_p99": _ms(exact[99]),
        "fleet_p50": _ms(exact[50]),
        "fleet_requests": f"{sum(sizes):,}",
        "sketch_accuracy": _percent(accuracy),
        "sketch_gamma": f"{gamma:.4f}",
        "sketch_fleet_p99": f"{estimate[99]:,.1f}",
        "sketch_fleet_p99_exact": f"{exact[99]:,.1f}",
        "sketch_worst_error": _percent(max(errors), 4),
        "sketch_median_error": _percent(float(np.median(errors)), 2),
        "sketch_fleet_bytes": f"{len(merged.to_bytes()):,}",
        "sketch_span_buckets": f"{math.ceil(math.log(high / low, gamma)):,}",
        "sketch_span_kb": f"{len(span.to_bytes()) / 1024:.1f}",
    }


def substitutions(**inputs) -> dict[str, str]:
    """Every substitution the pages use; keyword *inputs* override defaults.

    An input is named ``<group>__<argument>``, for example
    ``latency__book=(1, 2, 3)``.
    """
    groups = {
        "latency": latency_numbers,
        "distribution": distribution_numbers,
        "fanout": fanout_numbers,
        "batching": batching_numbers,
        "simulation": batching_simulation_numbers,
        "dashboard": dashboard_numbers,
        "batch_limit": batch_limit_numbers,
        "revenue": revenue_numbers,
        "ab": ab_numbers,
        "objectives": objectives_numbers,
        "imbalance": imbalance_numbers,
        "sparsity": sparsity_numbers,
        "fairness": fairness_numbers,
        "leaderboard": leaderboard_numbers,
        "minority": minority_numbers,
        "interpretability": interpretability_numbers,
        "delivery": delivery_numbers,
        "recommender": recommender_numbers,
        "survey": survey_numbers,
        "capacity": capacity_numbers,
        "framing": framing_numbers,
        "growth": data_growth_numbers,
        "casestudy": casestudy_numbers,
        "scale": scale_numbers,
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
