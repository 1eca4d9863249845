"""Numbers the prose quotes, computed by the package at build time.

conf.py passes :func:`substitutions` to MyST, so a page writes
``{{ book_p90_nearest }}`` and the build fills in what ``dmls_examples``
computes. If the code or an input changes, the prose changes with it: no
figure quoted from a computation is ever typed by hand.

Every input is a keyword argument with the book's value as its default, so a
test can change one input and watch the rendered page change.
"""

from __future__ import annotations

from dmls_examples import batching, business, capacity, framing, latency, recommender, surveys

#: The book's ten request latencies, in ms (Huyen 2022, ch. 1).
BOOK_LATENCIES_MS = (100, 102, 100, 100, 99, 104, 110, 90, 3000, 95)


def _ms(value: float) -> str:
    """A latency in ms as prose writes it: 110, 399, 2,711, 3,000."""
    return f"{value:,.0f}"


def _percent(value: float, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%"


def latency_numbers(book=BOOK_LATENCIES_MS) -> dict[str, str]:
    """Summary and p90 under several methods for the book's ten requests."""
    summary = latency.latency_summary(book)
    numbers = {
        "book_count": str(summary.count),
        "book_mean": _ms(summary.mean),
        "book_median": _ms(summary.p50),
        "book_max": _ms(summary.max),
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
    return numbers


def fanout_numbers(p_slow=0.01, fanout=100, rare_p=1e-4, rare_fanout=2000) -> dict[str, str]:
    """Dean and Barroso's fan-out examples."""
    return {
        "fanout_p_slow": _percent(p_slow),
        "fanout_n": f"{fanout:,}",
        "fanout_slow": _percent(latency.fanout_slow_probability(p_slow, fanout)),
        "fanout_rare_n": f"{rare_fanout:,}",
        "fanout_rare_slow": _percent(latency.fanout_slow_probability(rare_p, rare_fanout)),
    }


def batching_numbers(single=(1, 10), small_batch=(10, 10), large_batch=(50, 20)) -> dict[str, str]:
    """The book's three batching throughputs (batch size, batch latency in ms)."""
    numbers = {}
    for label, (size, ms) in [("single", single), ("small", small_batch), ("large", large_batch)]:
        numbers[f"batch_{label}_size"] = f"{size:,}"
        numbers[f"batch_{label}_ms"] = f"{ms:,}"
        numbers[f"batch_{label}_qps"] = f"{batching.batch_throughput(size, ms):,.0f}"
    return numbers


def ab_numbers(baseline=0.02, lift=0.002) -> dict[str, str]:
    """Sample sizes for a relative and an absolute 0.2% lift in CTR."""
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


def _points(value: float) -> str:
    """A difference of two rates in percentage points, with a true minus sign."""
    return f"{100 * value:.2f}".replace("-", "\N{MINUS SIGN}")


def recommender_numbers(
    pilot=(430, 458, 10_000),
    full=(2_160, 2_295, 50_000),
    hours_a=(400, 250, 150, 120, 80),
    hours_b=(520, 220, 120, 90, 50),
) -> dict[str, str]:
    """Chapter 2's comparison of two recommenders: take-rates and spread.

    *pilot* and *full* are (plays of A, plays of B, recommendations shown
    to each arm); *hours_a* and *hours_b* are hours per title under each.
    """
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
    numbers["ecs_a"] = f"{recommender.effective_catalog_size(hours_a):.2f}"
    numbers["ecs_b"] = f"{recommender.effective_catalog_size(hours_b):.2f}"
    numbers["ecs_titles"] = str(len(hours_a))
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


def capacity_numbers(
    current_peak=800, growth=0.06, months=12, replica_qps=120, target=0.7, high_target=0.9
) -> dict[str, str]:
    """The capacity plan on the requirements page."""
    peak = capacity.forecast_peak(current_peak, growth, months)
    replicas = capacity.replicas_needed(peak, replica_qps, target_utilization=target)
    lean = capacity.replicas_needed(peak, replica_qps, target_utilization=high_target)
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
    }


def framing_numbers(per_class=100, n_classes=1_000, n_labels=10) -> dict[str, str]:
    """Class counts, label combinations and log losses on the framing page."""
    confident = framing.log_loss([1, 0, 1], [0.9, 0.2, 0.6])
    mistaken = framing.log_loss([1, 0, 1], [0.9, 0.2, 0.01])
    return {
        "frame_per_class": f"{per_class:,}",
        "frame_classes": f"{n_classes:,}",
        "frame_examples": f"{per_class * n_classes:,}",
        "frame_labels": str(n_labels),
        "frame_combinations": f"{2**n_labels:,}",
        "frame_loss": f"{confident:.2f}",
        "frame_loss_mistake": f"{mistaken:.2f}",
        "frame_loss_ratio": f"{mistaken / confident:.1f}",
        "frame_certain_mistake": f"{framing.log_loss([1], [0.0]):.0f}",
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
        "ab": ab_numbers,
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
