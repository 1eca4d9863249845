"""The case study: a restaurant recommender, from its assumptions to its numbers.

A food-delivery app shows each user a carousel of restaurants on its home
screen. Every number the case-study page quotes starts here, in one frozen
:class:`Assumptions`: traffic and its growth, how often a user orders from a
restaurant, the latency of the service, the batching model server, the share
of independent restaurants, the smallest lift worth detecting.
:func:`generate_logs` turns the assumptions into seeded synthetic logs, and
:func:`analyse` computes the page's findings from those logs with the
package's own functions: take-rates with Wilson intervals
(:mod:`~dmls_examples.recommender`), nearest-rank percentiles and an SLO
check (:mod:`~dmls_examples.latency`), batching and capacity
(:mod:`~dmls_examples.batching`, :mod:`~dmls_examples.capacity`), what
accuracy hides (:mod:`~dmls_examples.imbalance`), and a gap between groups
(:mod:`~dmls_examples.fairness`).

The logs are an offline evaluation set of the kind only a simulation can
give: for every candidate restaurant in every request they record whether
the user *would* order from it if it were shown. Real logs record orders
only for what was shown, which is one reason the page ends with an A/B test.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import NamedTuple

import numpy as np

from dmls_examples import (
    batching,
    business,
    capacity,
    fairness,
    framing,
    imbalance,
    latency,
    recommender,
)
from dmls_examples._validation import (
    as_label_array,
    as_real_array,
    count,
    in_interval,
    rng,
    same_length,
)

__all__ = [
    "Assumptions",
    "Findings",
    "Logs",
    "analyse",
    "carousel",
    "generate_logs",
]

#: At most this many (request, candidate) rows, which bounds memory and time.
MAX_ROWS = 5_000_000


#: Integer fields of Assumptions and their (least, greatest) values.
_COUNTS = {
    "requests": (1, MAX_ROWS),
    "candidates": (1, MAX_ROWS),
    "shown": (1, MAX_ROWS),
    "months": (0, 60),
    "batch_size": (1, 10_000),
}

#: Real fields and their ranges: (low, high, low excluded, high excluded).
_REALS = {
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class Assumptions:
    """Everything the case study assumes; change one field, and the page follows.

    Attributes:
        requests: Home-screen requests in the logged sample.
        candidates: Restaurants the model scores for each request.
        shown: Restaurants the carousel shows, the top of the ranking.
        order_rate: Chance that a user orders from a restaurant of average
            appeal when it is shown, in (0, 1).
        appeal_spread: How much appeal varies between restaurants and users
            (standard deviation of the appeal, on the log-odds scale).
        model_skill: How much of the appeal the model's score captures
            (the score's weight on the appeal; 0 is a model that knows
            nothing).
        independent_share: Share of candidate restaurants that are
            independents, in (0, 1); the rest are chains.
        independent_penalty: Log-odds the model takes off an independent
            restaurant's score because it has little order history.
        rule_chain_bonus: How much the popularity rule favours chains,
            which have more orders to be popular with.
        latency_median_ms: Median latency of the recommendation service.
        latency_spread: Standard deviation of the log of the latency.
        slo_ms: The latency objective, met by *slo_percentile* % of
            requests.
        slo_percentile: The percentile the objective is set on.
        peak_qps: Today's peak traffic, in requests per second.
        monthly_growth: Traffic growth per month, as a fraction.
        months: How far ahead to plan capacity.
        batch_size: Largest batch the model server forms.
        batch_wait_ms: Longest a request waits for its batch to fill.
        batch_fixed_ms: Time a batch takes, whatever its size.
        batch_per_request_ms: Extra time per request in a batch.
        target_utilization: Share of a replica's full-batch capacity it should
            carry at the peak, in (0, 1].
        ab_lift: Smallest relative lift in take-rate worth detecting.
    """

    requests: int = 4_000
    candidates: int = 20
    shown: int = 5
    order_rate: float = 0.02
    appeal_spread: float = 1.2
    model_skill: float = 1.0
    independent_share: float = 0.4
    independent_penalty: float = 0.6
    rule_chain_bonus: float = 0.8
    latency_median_ms: float = 45.0
    latency_spread: float = 0.3
    slo_ms: float = 100.0
    slo_percentile: float = 99.0
    peak_qps: float = 250.0
    monthly_growth: float = 0.08
    months: int = 12
    batch_size: int = 16
    batch_wait_ms: float = 2.0
    batch_fixed_ms: float = 12.0
    batch_per_request_ms: float = 1.5
    target_utilization: float = 0.7
    ab_lift: float = 0.1

    def __post_init__(self) -> None:
        # Check every field against its range, then store it as a plain int
        # or float, so that numpy scalars cannot overflow in later arithmetic.
        for name, (low, high) in _COUNTS.items():
            value = count(getattr(self, name), name, minimum=low, maximum=high)
            object.__setattr__(self, name, value)
        for name, (low, high, open_low, open_high) in _REALS.items():
            value = getattr(self, name)
            value = in_interval(value, name, low, high, open_low=open_low, open_high=open_high)
            object.__setattr__(self, name, value)
        if self.shown > self.candidates:
            raise ValueError(
                f"shown must not exceed candidates ({self.candidates}), got {self.shown}"
            )
        if self.requests * self.candidates > MAX_ROWS:
            raise ValueError(
                f"requests * candidates must be at most {MAX_ROWS:,}, "
                f"got {self.requests * self.candidates:,}"
            )
        if self.batch_fixed_ms + self.batch_per_request_ms <= 0:
            raise ValueError("batch_fixed_ms + batch_per_request_ms must be positive")

    def batch_service_ms(self, batch: int) -> float:
        """Time in ms the model server needs for a batch of *batch* requests."""
        return self.batch_fixed_ms + self.batch_per_request_ms * count(batch, "batch", minimum=1)


def _assumptions(value) -> Assumptions:
    if not isinstance(value, Assumptions):
        raise TypeError(f"assumptions must be an Assumptions, not {type(value).__name__}")
    return value


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * x))  # the logistic function, without overflow


class Logs(NamedTuple):
    """Synthetic logs: one row per (request, candidate restaurant)."""

    #: Index of the request each row belongs to, 0 to requests - 1.
    request: np.ndarray
    #: "independent" or "chain".
    group: np.ndarray
    #: 1 if the user would order from the restaurant when shown, else 0.
    would_order: np.ndarray
    #: The model's predicted probability of an order.
    model_score: np.ndarray
    #: The popularity rule's score (larger is more popular).
    rule_score: np.ndarray
    #: One latency per request, in ms.
    latency_ms: np.ndarray


def generate_logs(assumptions, *, seed=0) -> Logs:
    """Seeded synthetic logs that follow *assumptions*.

    Each candidate restaurant has an appeal to the user, drawn from a normal
    distribution with standard deviation ``appeal_spread``; the user would
    order from it with probability ``sigmoid(logit(order_rate) + appeal)``.
    The model's score sees ``model_skill`` times the appeal plus noise, less
    ``independent_penalty`` for independents; the popularity rule sees half
    the appeal, more noise, and ``rule_chain_bonus`` for chains. Latencies
    are log-normal with the assumed median and spread.

    Args:
        assumptions: An :class:`Assumptions`.
        seed: What ``numpy.random.default_rng`` takes, except a bool: None,
            a non-negative int, a SeedSequence, a BitGenerator or a
            Generator; the same int gives the same logs.

    Returns:
        A :class:`Logs`.

    Raises:
        TypeError: If *assumptions* is not an :class:`Assumptions` or *seed*
            is of the wrong type.
        ValueError: If *seed* is negative.

    Examples:
        >>> small = Assumptions(requests=3, candidates=4, shown=2)
        >>> logs = generate_logs(small, seed=1)
        >>> len(logs.request), len(logs.latency_ms)
        (12, 3)
        >>> sorted(set(logs.group.tolist()))
        ['chain', 'independent']
    """
    a = _assumptions(assumptions)
    generator = rng(seed)
    rows = a.requests * a.candidates
    request = np.repeat(np.arange(a.requests), a.candidates)
    independent = generator.random(rows) < a.independent_share
    appeal = generator.normal(0.0, a.appeal_spread, rows)
    would_order = (generator.random(rows) < _sigmoid(_logit(a.order_rate) + appeal)).astype(int)
    model_logit = (
        _logit(a.order_rate)
        + a.model_skill * appeal
        + generator.normal(0.0, 1.0, rows)
        - a.independent_penalty * independent
    )
    rule_score = 0.5 * appeal + generator.normal(0.0, 1.5, rows) + a.rule_chain_bonus * ~independent
    latency_ms = a.latency_median_ms * np.exp(generator.normal(0.0, a.latency_spread, a.requests))
    group = np.where(independent, "independent", "chain")
    return Logs(request, group, would_order, _sigmoid(model_logit), rule_score, latency_ms)


def carousel(scores, requests, *, shown) -> np.ndarray:
    """Which rows make each request's carousel: the top *shown* scores per request.

    The choice is framed as scoring, then ranking
    (:func:`~dmls_examples.framing.rank_by_score`): every candidate gets a
    score, and the highest *shown* of each request are shown. Ties keep the
    order of the rows.

    Args:
        scores: One finite score per row.
        requests: The request of each row (integers), as many as *scores*;
            a request's rows need not be adjacent.
        shown: How many rows per request to show, at least 1.

    Returns:
        A 0/1 integer array, 1 for the rows shown.

    Raises:
        TypeError: If *scores* is not numeric, *requests* not integers, or
            *shown* not an int.
        ValueError: If the sequences are empty or differ in length, a score
            is not finite, or *shown* < 1.

    Examples:
        >>> scores, requests = [0.1, 0.9, 0.5, 0.3, 0.2, 0.8], [0, 0, 0, 1, 1, 1]
        >>> carousel(scores, requests, shown=1).tolist()
        [0, 1, 0, 0, 0, 1]
    """
    scores = as_real_array(scores, "scores")
    requests = as_label_array(requests, "requests")
    # Ids beyond 2**53 come as Python ints in an object array (see the label rules).
    if not (requests.dtype.kind in "iu" or all(isinstance(r, int) for r in requests)):
        raise TypeError(f"requests must be integers, got dtype {requests.dtype}")
    same_length(scores, "scores", requests, "requests")
    shown = count(shown, "shown", minimum=1)
    chosen = np.zeros(len(scores), dtype=int)
    order = np.argsort(requests, kind="stable")
    boundaries = np.flatnonzero(np.diff(requests[order])) + 1
    for rows in np.split(order, boundaries):
        by_row = dict(zip(rows.tolist(), scores[rows].tolist(), strict=True))
        ranked = framing.rank_by_score(by_row, k=shown)
        chosen[ranked] = 1
    return chosen


class Findings(NamedTuple):
    """Every number the case-study page quotes, computed from the logs."""

    #: (request, candidate) rows in the logs.
    rows: int
    #: Restaurants shown, which is requests times the carousel's size.
    impressions: int
    #: Share of rows whose user would order, the positive class's share.
    base_rate: float
    #: Orders from the popularity rule's carousels.
    rule_orders: int
    #: The rule's take-rate, orders per impression.
    rule_take_rate: float
    #: Its 95% Wilson interval, (low, high).
    rule_interval: recommender.Interval
    #: Orders from the model's carousels.
    model_orders: int
    #: The model's take-rate.
    model_take_rate: float
    #: Its 95% Wilson interval.
    model_interval: recommender.Interval
    #: 95% interval for the model's take-rate minus the rule's (Newcombe).
    lift_interval: recommender.Interval
    #: The model's take-rate over the rule's, minus 1; 0 when the rule sold
    #: nothing, where the ratio has no value.
    relative_lift: float
    #: Impressions per arm for an A/B test to detect a relative lift of
    #: ``ab_lift`` over the rule's take-rate (0 if no test is possible).
    ab_per_arm: int
    #: Nearest-rank p50 of the logged latencies, in ms.
    latency_p50: float
    #: Nearest-rank p90 of the logged latencies, in ms.
    latency_p90: float
    #: Nearest-rank p99 of the logged latencies, in ms.
    latency_p99: float
    #: The latency at the percentile the objective is set on.
    latency_at_slo_percentile: float
    #: The slowest logged request.
    latency_max: float
    #: Whether the logs meet the latency objective.
    meets_slo: bool
    #: Peak traffic after ``months`` of compound growth, requests per second.
    forecast_peak_qps: float
    #: Most requests per second one batching replica can finish.
    replica_qps: float
    #: Replicas for the forecast peak at the target utilisation.
    replicas: int
    #: Each replica's share of the forecast peak.
    replica_load_qps: float
    #: Simulated p99 latency of one replica at that load, in ms.
    simulated_p99: float
    #: Mean batch size in that simulation.
    simulated_batch_size: float
    #: Share of time the simulated replica is busy.
    simulated_busy_share: float
    #: Whether that p99 is within the latency objective.
    simulated_meets_slo: bool
    #: Accuracy of predicting "no order" for every row.
    baseline_accuracy: float
    #: Accuracy of the model's carousel read as a prediction of orders.
    model_accuracy: float
    #: The carousel's precision, the share of the restaurants it shows that
    #: the user would order from; it is the take-rate.
    precision: float
    #: The carousel's recall, the share of would-be orders that it shows.
    recall: float
    #: The carousel's F1, the harmonic mean of its precision and recall.
    f1: float
    #: Share of each group's candidates that the model shows.
    selection_rates: dict
    #: Share of each group's would-be orders that the model shows (recall);
    #: {} if a group has no would-be orders.
    recall_by_group: dict


def _recall_by_group(y_true, y_pred, groups) -> dict:
    """Recall per group, or {} when a group has no one who would order."""
    if any(not y_true[groups == group].any() for group in np.unique(groups)):
        return {}
    return fairness.true_positive_rates(y_true, y_pred, groups)


def _ab_per_arm(rule_rate: float, lift: float) -> int:
    """Impressions per arm to detect a relative *lift* over *rule_rate*.

    0 when no test is possible: the rule sold nothing, the lift is too small
    to change the rate at all in floating point, or it would take the rate
    past 1. A lifted rate of exactly 1 is a rate, and is sized (the same
    product as :func:`business.lifted_rate` computes).
    """
    if rule_rate > 0 and rule_rate < rule_rate * (1 + lift) <= 1:
        return business.ab_sample_size(rule_rate, lift)
    return 0


def analyse(assumptions, *, seed=0) -> Findings:
    """Compute the case study's findings from logs generated under *assumptions*.

    Args:
        assumptions: An :class:`Assumptions`.
        seed: A seed for :func:`generate_logs`, as it takes them; an int
            also seeds the batching simulation.

    Returns:
        The :class:`Findings`.

    Raises:
        TypeError: If *assumptions* is not an :class:`Assumptions` or *seed*
            is of the wrong type.
        ValueError: If *seed* is negative.

    Examples:
        >>> findings = analyse(Assumptions(requests=200))
        >>> findings.impressions
        1000
        >>> findings.model_take_rate > findings.rule_take_rate
        True
    """
    a = _assumptions(assumptions)
    generator = rng(seed)
    # An int seed also seeds the batching simulation, so that a page can
    # rerun it with the same seed; otherwise the generator supplies one.
    simulation_seed = int(seed) if isinstance(seed, numbers.Integral) else None
    logs = generate_logs(a, seed=generator)
    if simulation_seed is None:
        simulation_seed = int(generator.integers(2**31))
    y = logs.would_order
    by_model = carousel(logs.model_score, logs.request, shown=a.shown)
    by_rule = carousel(logs.rule_score, logs.request, shown=a.shown)
    impressions = a.requests * a.shown
    model_orders = int(y[by_model == 1].sum())
    rule_orders = int(y[by_rule == 1].sum())
    rule_rate = recommender.take_rate(rule_orders, impressions)
    model_rate = recommender.take_rate(model_orders, impressions)
    base_rate = float(y.mean())

    p50, p90, p99 = latency.percentiles(logs.latency_ms, (50, 90, 99)).values()
    (at_slo,) = latency.percentiles(logs.latency_ms, (a.slo_percentile,)).values()
    peak = capacity.forecast_peak(a.peak_qps, a.monthly_growth, a.months)
    replica_qps = batching.capacity_qps(a.batch_size, a.batch_service_ms)
    replicas = capacity.replicas_needed(peak, replica_qps, target_utilization=a.target_utilization)
    load = peak / replicas
    simulated = batching.simulate_batching(
        load,
        a.batch_size,
        a.batch_wait_ms,
        a.batch_service_ms,
        n_requests=20_000,
        seed=simulation_seed,
    )
    precision, recall, f1 = imbalance.precision_recall_f1(y, by_model)
    return Findings(
        rows=len(y),
        impressions=impressions,
        base_rate=base_rate,
        rule_orders=rule_orders,
        rule_take_rate=rule_rate,
        rule_interval=recommender.take_rate_interval(rule_orders, impressions),
        model_orders=model_orders,
        model_take_rate=model_rate,
        model_interval=recommender.take_rate_interval(model_orders, impressions),
        lift_interval=recommender.take_rate_difference_interval(
            rule_orders, impressions, model_orders, impressions
        ),
        relative_lift=(model_rate - rule_rate) / rule_rate if rule_rate else 0.0,
        ab_per_arm=_ab_per_arm(rule_rate, a.ab_lift),
        latency_p50=p50,
        latency_p90=p90,
        latency_p99=p99,
        latency_at_slo_percentile=at_slo,
        latency_max=float(logs.latency_ms.max()),
        meets_slo=latency.meets_slo(logs.latency_ms, a.slo_ms, percentile=a.slo_percentile),
        forecast_peak_qps=peak,
        replica_qps=replica_qps,
        replicas=replicas,
        replica_load_qps=load,
        simulated_p99=simulated.p99_ms,
        simulated_batch_size=simulated.mean_batch_size,
        simulated_busy_share=simulated.busy_share,
        simulated_meets_slo=simulated.p99_ms <= a.slo_ms,
        baseline_accuracy=imbalance.majority_baseline_accuracy(y),
        model_accuracy=imbalance.accuracy(y, by_model),
        precision=precision,
        recall=recall,
        f1=f1,
        selection_rates=fairness.selection_rates(by_model, logs.group),
        recall_by_group=_recall_by_group(y, by_model, logs.group),
    )
