"""Batching: why it raises throughput, and what it costs in latency.

A model server that answers queries in batches does more work per second,
because one forward pass over many inputs costs much less than many passes
over one input each. The price is waiting: a query may sit in the queue
until its batch fills or a timeout fires.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from dmls_examples._validation import (
    count,
    finite_array,
    finite_result,
    nonnegative,
    positive,
    rng,
)
from dmls_examples.latency import _percentiles

__all__ = [
    "MAX_BATCH_SIZE",
    "MAX_REQUESTS",
    "BatchingResult",
    "batch_throughput",
    "capacity_qps",
    "simulate_batching",
]

#: Largest *batch_size* these functions accept. :func:`capacity_qps` and
#: :func:`simulate_batching` ask a service-time function for every batch
#: size up to *batch_size*, so this bounds their work.
MAX_BATCH_SIZE = 65_536

#: Most requests one run of :func:`simulate_batching` simulates (about ten
#: seconds of work).
MAX_REQUESTS = 10_000_000


def batch_throughput(batch_size, batch_latency_ms) -> float:
    """Queries per second of a server that answers *batch_size* queries at once.

    Throughput is ``batch_size / batch_latency``, with the latency turned
    from milliseconds into seconds.

    Args:
        batch_size: Queries answered together, from 1 to
            :data:`MAX_BATCH_SIZE`.
        batch_latency_ms: Time to answer the whole batch, in ms; > 0.

    Returns:
        Throughput in queries per second.

    Raises:
        TypeError: If *batch_size* is not an int or the latency not a number.
        ValueError: If *batch_size* is out of range, the latency is not
            positive and finite, or the throughput is too large to represent.

    Examples:
        One query in 10 ms, a batch of 10 in 10 ms, a batch of 50 in 20 ms:

        >>> batch_throughput(1, 10), batch_throughput(10, 10), batch_throughput(50, 20)
        (100.0, 1000.0, 2500.0)
    """
    batch_size = count(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    batch_latency_ms = positive(batch_latency_ms, "batch_latency_ms")
    return finite_result(
        batch_size * 1000.0 / batch_latency_ms, "batch_size and batch_latency_ms give a throughput"
    )


class BatchingResult(NamedTuple):
    """What a run of :func:`simulate_batching` measured."""

    #: Requests completed per second, from time 0 to the last completion.
    throughput_qps: float
    #: Requests that arrived per second in this run (the sample's arrival
    #: rate, close to the nominal one).
    offered_qps: float
    #: Nearest-rank median latency, from a request's arrival to the end of
    #: its batch, in ms.
    p50_ms: float
    #: Nearest-rank 90th percentile latency, in ms.
    p90_ms: float
    #: Nearest-rank 99th percentile latency, in ms.
    p99_ms: float
    #: Mean number of requests per batch.
    mean_batch_size: float
    #: Share of the run, from time 0 to the last completion, that the server
    #: spent processing batches. Near 1, a dynamic batcher can still keep
    #: up: its batches grow with the load.
    busy_share: float


def _service_times(service_time_ms, batch_size: int) -> list[float]:
    """Checked service times of batches of 1..batch_size: item i is size i + 1."""
    if callable(service_time_ms):
        return [
            positive(service_time_ms(size), f"service_time_ms({size})")
            for size in range(1, batch_size + 1)
        ]
    return [positive(service_time_ms, "service_time_ms")] * batch_size


def simulate_batching(
    arrival_rate_qps,
    batch_size,
    max_wait_ms,
    service_time_ms: float | Callable[[int], float],
    *,
    n_requests=100_000,
    seed=0,
) -> BatchingResult:
    """Simulate a dynamic batcher in front of one model server.

    Requests arrive as a Poisson process at *arrival_rate_qps*. A batch
    opens with the oldest waiting request and closes when it holds
    *batch_size* requests or its oldest request has waited *max_wait_ms*,
    whichever comes first. If the server is still busy then, the batch goes
    when the server frees up and takes every request that has arrived by
    that moment, up to *batch_size*. A batch of n requests occupies the
    server for ``service_time_ms`` (a number, or a function of n).

    The latency of a request runs from its arrival to the end of its batch.
    The server can never do better than ``max(n / service_time(n))`` for n up
    to *batch_size*: above that arrival rate the queue grows without bound.

    Args:
        arrival_rate_qps: Mean arrival rate, in requests per second; > 0.
        batch_size: Largest batch, from 1 to :data:`MAX_BATCH_SIZE`.
        max_wait_ms: Longest time the oldest request waits for its batch to
            fill, in ms; >= 0 (0 means "send whatever is queued").
        service_time_ms: Time to process a batch, in ms: a positive number,
            or a function from the batch's size to a positive number. The
            function is called once for each size from 1 to the smaller of
            *batch_size* and *n_requests*; what it raises propagates.
        n_requests: Number of requests to simulate, from 1 to
            :data:`MAX_REQUESTS`.
        seed: Seed for the arrival times: None, a non-negative int, or a
            numpy SeedSequence, BitGenerator or Generator (not a bool). The
            same int gives the same result.

    Returns:
        A :class:`BatchingResult`, a named tuple.

    Raises:
        TypeError: If an argument has the wrong type, or the service-time
            function returns a non-number.
        ValueError: If a rate, size, time or seed is out of range, or the
            arrival times or latencies are too large to represent.

    Examples:
        80 requests/s reach a model that takes 10 ms plus 0.2 ms per
        request in the batch. One at a time, the server is busy 82% of the
        time and queues build up; sending whatever has queued as one batch
        (no waiting) cuts the tail sixfold:

        >>> service_ms = lambda n: 10 + 0.2 * n
        >>> alone = simulate_batching(80, 1, 0, service_ms, n_requests=20_000)
        >>> batched = simulate_batching(80, 8, 0, service_ms, n_requests=20_000)
        >>> round(alone.busy_share, 2), round(batched.busy_share, 2)
        (0.82, 0.65)
        >>> round(alone.p99_ms, 1), round(batched.p99_ms, 1)
        (127.0, 20.5)
        >>> round(batched.mean_batch_size, 2)
        1.26
    """
    rate = positive(arrival_rate_qps, "arrival_rate_qps")
    batch_size = count(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    max_wait = nonnegative(max_wait_ms, "max_wait_ms")
    n = count(n_requests, "n_requests", minimum=1, maximum=MAX_REQUESTS)
    generator = rng(seed)
    # No batch holds more than n requests: ask for no service time beyond.
    service = _service_times(service_time_ms, min(batch_size, n))

    with np.errstate(over="ignore"):
        arrivals_ms = np.cumsum(generator.exponential(1000.0 / rate, n))
    finite_result(float(arrivals_ms[-1]), "arrival_rate_qps and n_requests give arrival times")
    # A plain list and bisect beat numpy here: the loop touches one batch at
    # a time, and numpy's per-call overhead would dominate.
    arrivals = arrivals_ms.tolist()

    sizes: list[int] = []
    finishes: list[float] = []
    # Bound methods and plain comparisons in place of min() and max(): with
    # one request per batch the loop runs once per request, and these halve
    # its time (benchmarks/simulate_batching.py).
    add_size, add_finish = sizes.append, finishes.append
    server_free = 0.0
    busy = 0.0
    first = 0
    while first < n:
        # The batch closes at its oldest request's deadline, or earlier when
        # its last slot fills; it starts once the server is free as well.
        closes = arrivals[first] + max_wait
        stop = first + batch_size
        if stop <= n:
            if arrivals[stop - 1] < closes:
                closes = arrivals[stop - 1]
        else:
            stop = n
        starts = closes if closes > server_free else server_free
        end = bisect_right(arrivals, starts, first, stop)
        took = service[end - first - 1]
        server_free = starts + took
        busy += took
        add_size(end - first)
        add_finish(server_free)
        first = end

    finish_per_request = np.repeat(np.asarray(finishes), np.asarray(sizes))
    latencies = finish_per_request - arrivals_ms
    finite_array(latencies, "max_wait_ms and service_time_ms give latencies")
    p = _percentiles(latencies, (50, 90, 99))
    with np.errstate(over="ignore"):
        offered = float(np.divide(n * 1000.0, arrivals_ms[-1]))
    return BatchingResult(
        # The last batch ends after the last arrival: throughput < offered.
        throughput_qps=n * 1000.0 / server_free,
        offered_qps=finite_result(offered, "arrival_rate_qps gives an offered rate"),
        p50_ms=p[50],
        p90_ms=p[90],
        p99_ms=p[99],
        mean_batch_size=n / len(sizes),
        # Each batch starts no earlier than the last one ended, so busy <= server_free.
        busy_share=busy / server_free,
    )


def capacity_qps(batch_size, service_time_ms) -> float:
    """Most requests per second one server can finish with batches up to *batch_size*.

    It is the best ``n / service_time(n)`` over batch sizes n from 1 to
    *batch_size*, in requests per second.

    Args:
        batch_size: Largest batch, from 1 to :data:`MAX_BATCH_SIZE`.
        service_time_ms: A positive number of ms, or a function from a
            batch's size to one, called once for each size from 1 to
            *batch_size*; what it raises propagates.

    Returns:
        The capacity in requests per second.

    Raises:
        TypeError: If an argument has the wrong type, or the service-time
            function returns a non-number.
        ValueError: If *batch_size* is out of range, a service time is not
            positive and finite, or the capacity is too large to represent.

    Examples:
        >>> capacity_qps(50, lambda n: 10 + 0.2 * n)
        2500.0
    """
    batch_size = count(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    service = _service_times(service_time_ms, batch_size)
    best = max(size * 1000.0 / time for size, time in enumerate(service, start=1))
    return finite_result(best, "batch_size and service_time_ms give a capacity")
