"""Numbers the prose quotes, computed by the package at build time.

conf.py passes :func:`substitutions` to MyST, so a page writes
``{{ book_p90_nearest }}`` and the build fills in what ``dmls_examples``
computes. If the code or an input changes, the prose changes with it: no
figure quoted from a computation is ever typed by hand.

Every input is a keyword argument with the book's value as its default, so a
test can change one input and watch the rendered page change.
"""

from __future__ import annotations

from dmls_examples import batching, business, latency

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
    gain = batching.batch_throughput(*large_batch) / batching.batch_throughput(*single)
    numbers["batch_large_gain"] = f"{gain:,.0f}"
    return numbers


def batching_simulation_numbers(
    rate_qps=1000, fixed_ms=10.0, per_query_ms=0.2, sizes=(1, 8, 50), waits_ms=(0, 20)
) -> dict[str, str]:
    """The page's simulated server: capacities, and the largest batch's latencies.

    The model needs ``fixed_ms + per_query_ms * n`` for a batch of n; the runs
    match the page's doctests (50,000 requests, seed 0).
    """

    def service_ms(n):
        return fixed_ms + per_query_ms * n

    largest = max(sizes)
    numbers = {
        "sim_rate": f"{rate_qps:,}",
        "sim_fixed_ms": f"{fixed_ms:g}",
        "sim_per_query_ms": f"{per_query_ms:g}",
        "sim_largest": str(largest),
    }
    for size in sizes:
        numbers[f"sim_capacity_{size}"] = f"{batching.capacity_qps(size, service_ms):,.0f}"
    for wait in waits_ms:
        run = batching.simulate_batching(
            rate_qps, largest, wait, service_ms, n_requests=50_000, seed=0
        )
        numbers[f"sim_wait{wait}_p50"] = f"{run.p50_ms:.0f}"
        numbers[f"sim_wait{wait}_p99"] = f"{run.p99_ms:.0f}"
        numbers[f"sim_wait{wait}_batch"] = f"{run.mean_batch_size:.0f}"
    return numbers


def revenue_numbers(impressions=10e9, ctr=0.02, lift=0.002, per_click=1.0) -> dict[str, str]:
    """The page's shop: extra revenue from a relative and an absolute lift."""

    def millions(relative):
        extra = business.ctr_lift_revenue(impressions, ctr, lift, per_click, relative=relative)
        return f"{extra / 1e6:,.1f}".removesuffix(".0")

    return {
        "shop_impressions_billions": f"{impressions / 1e9:,.0f}",
        "shop_ctr": _percent(ctr, 0),
        "shop_per_click": f"{per_click:,.0f}",
        "shop_rel_millions": millions(True),
        "shop_abs_millions": millions(False),
        "shop_rel_target": _percent(business.lifted_rate(ctr, lift, relative=True), 3),
        "shop_abs_target": _percent(business.lifted_rate(ctr, lift, relative=False), 1),
    }


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
