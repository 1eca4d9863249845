"""batching: the book's throughputs, the simulator's invariants, bad input."""

import math
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dmls_examples.batching import (
    MAX_BATCH_SIZE,
    MAX_REQUESTS,
    BatchingResult,
    batch_throughput,
    capacity_qps,
    simulate_batching,
)

# An overflow or invalid operation the code should have handled is a failure.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def service_ms(n):
    return 10 + 0.2 * n


def test_book_throughputs():
    assert batch_throughput(1, 10) == 100.0
    assert batch_throughput(10, 10) == 1000.0
    assert batch_throughput(50, 20) == 2500.0


def test_capacity_is_best_batch_rate():
    assert capacity_qps(1, 10) == 100.0
    assert capacity_qps(50, service_ms) == 2500.0
    assert round(capacity_qps(8, service_ms)) == 690


def test_page_example_overload_and_recovery():
    """Pinned from the computational priorities page."""
    runs = {b: simulate_batching(1000, b, 0, service_ms, n_requests=50_000) for b in (1, 8, 50)}
    assert round(runs[1].throughput_qps) == 98
    assert round(runs[8].throughput_qps) == 690
    assert round(runs[50].throughput_qps) == 999
    assert round(runs[50].p99_ms, 1) == 26.1


def test_longer_timeout_fills_batches_and_slows_requests():
    short = simulate_batching(1000, 50, 0, service_ms, n_requests=20_000)
    long = simulate_batching(1000, 50, 20, service_ms, n_requests=20_000)
    assert long.mean_batch_size > short.mean_batch_size
    assert long.p50_ms > short.p50_ms


def test_light_load_without_batching_is_service_time():
    """At a trickle every request is alone and waits only for its service."""
    run = simulate_batching(0.01, 1, 0, 10, n_requests=500)
    assert run.p50_ms == pytest.approx(10)
    assert run.mean_batch_size == 1


def test_timeout_bounds_the_wait_when_server_is_idle():
    """Batches never wait longer than max_wait_ms at light load."""
    run = simulate_batching(1, 64, 5, 1, n_requests=2_000)
    assert run.p99_ms <= 5 + 1 + 1e-9


def test_result_is_frozen():
    run = simulate_batching(100, 4, 1, 5, n_requests=100)
    with pytest.raises(AttributeError):
        run.p50_ms = 0


@given(st.integers(1, 10_000), st.floats(0.001, 1e4))
def test_throughput_scales_with_batch(size, ms):
    assert batch_throughput(size, ms) == pytest.approx(size * 1000 / ms)


@pytest.mark.parametrize(
    ("args", "error", "name"),
    [
        ((0, 10), ValueError, "batch_size"),
        ((-5, 10), ValueError, "batch_size"),
        ((2.5, 10), TypeError, "batch_size"),
        ((10, 0), ValueError, "batch_latency_ms"),
        ((10, -1), ValueError, "batch_latency_ms"),
        ((10, float("nan")), ValueError, "batch_latency_ms"),
        ((10, "20"), TypeError, "batch_latency_ms"),
    ],
)
def test_bad_batch_throughput(args, error, name):
    with pytest.raises(error, match=rf"^({name})\b"):
        batch_throughput(*args)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"arrival_rate_qps": 0}, ValueError, "arrival_rate_qps"),
        ({"arrival_rate_qps": -1}, ValueError, "arrival_rate_qps"),
        ({"arrival_rate_qps": float("inf")}, ValueError, "arrival_rate_qps"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 1.5}, TypeError, "batch_size"),
        ({"max_wait_ms": -1}, ValueError, "max_wait_ms"),
        ({"service_time_ms": 0}, ValueError, "service_time_ms"),
        ({"service_time_ms": lambda n: -1}, ValueError, "service_time_ms"),
        ({"service_time_ms": lambda n: "fast"}, TypeError, "service_time_ms"),
        ({"service_time_ms": "10"}, TypeError, "service_time_ms"),
        ({"n_requests": 0}, ValueError, "n_requests"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"seed": True}, TypeError, "seed"),
        ({"seed": "0"}, TypeError, "seed"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_bad_simulation_input(kwargs, error, name):
    args = {
        "arrival_rate_qps": 100,
        "batch_size": 4,
        "max_wait_ms": 1,
        "service_time_ms": 5,
        "n_requests": 10,
        "seed": 0,
    }
    args.update(kwargs)
    with pytest.raises(error, match=rf"^({name})\b"):
        simulate_batching(**args)


# -- the simulator against an independent, event-by-event simulation ------------------


def arrivals_for(rate_qps, n, seed):
    """The arrival times simulate_batching draws: Poisson, from default_rng(seed)."""
    return np.cumsum(np.random.default_rng(seed).exponential(1000.0 / rate_qps, n)).tolist()


def event_simulation(arrivals, batch_size, max_wait_ms, service):
    """Step from event to event (an arrival, a timeout, the server freeing up).

    At each moment, admit every request that has arrived; if the server is
    free and the queue holds a full batch or its oldest request has waited
    max_wait_ms, send up to batch_size of them. Returns each request's
    finish time and the batch sizes.
    """
    n = len(arrivals)
    queue: deque[int] = deque()
    finish = [math.nan] * n
    sizes = []
    next_arrival, server_free, now = 0, 0.0, 0.0
    while next_arrival < n or queue:
        while next_arrival < n and arrivals[next_arrival] <= now:
            queue.append(next_arrival)
            next_arrival += 1
        ready = queue and (len(queue) >= batch_size or now >= arrivals[queue[0]] + max_wait_ms)
        if ready and now >= server_free:
            batch = [queue.popleft() for _ in range(min(batch_size, len(queue)))]
            server_free = now + service(len(batch))
            for request in batch:
                finish[request] = server_free
            sizes.append(len(batch))
            continue
        events = [server_free]
        if next_arrival < n:
            events.append(arrivals[next_arrival])
        if queue:
            events.append(arrivals[queue[0]] + max_wait_ms)
        now = min(event for event in events if event > now)
    return finish, sizes


def _nearest_rank(values, q):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered) / 100)) - 1]


def expected_result(rate_qps, batch_size, max_wait_ms, service, n, seed):
    arrivals = arrivals_for(rate_qps, n, seed)
    finish, sizes = event_simulation(arrivals, batch_size, max_wait_ms, service)
    latencies = [done - came for done, came in zip(finish, arrivals, strict=True)]
    return BatchingResult(
        throughput_qps=n * 1000.0 / max(finish),
        offered_qps=n * 1000.0 / arrivals[-1],
        p50_ms=_nearest_rank(latencies, 50),
        p90_ms=_nearest_rank(latencies, 90),
        p99_ms=_nearest_rank(latencies, 99),
        mean_batch_size=n / len(sizes),
        busy_share=sum(map(service, sizes)) / max(finish),
    )


@pytest.mark.parametrize(
    ("rate", "size", "wait"),
    [(1000, 50, 5), (1000, 8, 2), (200, 4, 20), (5000, 64, 1), (50, 3, 0)],
)
def test_simulator_agrees_with_an_event_by_event_simulation(rate, size, wait):
    run = simulate_batching(rate, size, wait, service_ms, n_requests=3_000, seed=7)
    assert run == pytest.approx(expected_result(rate, size, wait, service_ms, 3_000, 7))


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(1, 5000),
    size=st.integers(1, 64),
    wait=st.floats(0, 50),
    base=st.floats(0.1, 20),
    per_item=st.floats(0, 3),
    n=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_simulator_agrees_with_events_for_any_setting(rate, size, wait, base, per_item, n, seed):
    def service(batch):
        return base + per_item * batch

    run = simulate_batching(rate, size, wait, service, n_requests=n, seed=seed)
    assert run == pytest.approx(expected_result(rate, size, wait, service, n, seed))
    assert run == simulate_batching(rate, size, wait, service, n_requests=n, seed=seed)
    assert run.throughput_qps <= run.offered_qps * (1 + 1e-9)
    assert run.throughput_qps <= capacity_qps(size, service) * (1 + 1e-9)
    assert 1 <= run.mean_batch_size <= size
    assert 0 < run.busy_share <= 1
    # Latency is finish time minus arrival time: allow float rounding.
    assert base * (1 - 1e-9) <= run.p50_ms <= run.p90_ms <= run.p99_ms


def test_a_hand_checked_run():
    """Three requests, batches of two, a 4 ms timeout, 10 ms of service.

    The first two arrivals (t1 < t2 < t1 + 4) fill a batch at t2 that ends at
    t2 + 10; the third waits for its timeout, or the server, and goes alone.
    """
    t1, t2, t3 = arrivals_for(500, 3, 11)
    assert t2 < t1 + 4
    run = simulate_batching(500, 2, 4, 10, n_requests=3, seed=11)
    first_end = t2 + 10
    second_end = max(t3 + 4, first_end) + 10
    latencies = sorted([first_end - t1, first_end - t2, second_end - t3])
    assert run.mean_batch_size == 1.5
    assert run.busy_share == pytest.approx(20 / second_end)
    assert run.throughput_qps == pytest.approx(3000 / second_end)
    assert run.offered_qps == pytest.approx(3000 / t3)
    assert (run.p50_ms, run.p90_ms, run.p99_ms) == pytest.approx(
        (latencies[1], latencies[2], latencies[2])
    )


def test_seed_takes_what_numpy_takes():
    by_int = simulate_batching(100, 4, 1, 5, n_requests=200, seed=3)
    assert simulate_batching(100, 4, 1, 5, n_requests=200, seed=np.int64(3)) == by_int
    by_generator = simulate_batching(100, 4, 1, 5, n_requests=200, seed=np.random.default_rng(3))
    assert by_generator == by_int
    sequence = np.random.SeedSequence(3)
    assert simulate_batching(100, 4, 1, 5, n_requests=200, seed=sequence) == by_int
    assert simulate_batching(100, 4, 1, 5, n_requests=200, seed=None).mean_batch_size >= 1
    assert simulate_batching(100, 4, 1, 5, n_requests=200, seed=4) != by_int


def test_result_is_a_named_tuple():
    run = simulate_batching(100, 4, 1, 5, n_requests=100)
    assert run._fields == (
        "throughput_qps",
        "offered_qps",
        "p50_ms",
        "p90_ms",
        "p99_ms",
        "mean_batch_size",
        "busy_share",
    )
    assert tuple(run) == (
        run.throughput_qps,
        run.offered_qps,
        run.p50_ms,
        run.p90_ms,
        run.p99_ms,
        run.mean_batch_size,
        run.busy_share,
    )


def test_service_time_is_asked_once_per_possible_batch_size():
    asked = []

    def service(n):
        asked.append(n)
        return 1.0

    simulate_batching(100, 64, 1, service, n_requests=3)
    assert asked == [1, 2, 3]
    asked.clear()
    capacity_qps(5, service)
    assert asked == [1, 2, 3, 4, 5]


def test_capacity_is_the_best_size_not_the_largest():
    assert capacity_qps(4, 5) == 800.0
    assert capacity_qps(10, lambda n: n * n) == 1000.0
    assert capacity_qps(3, lambda n: {1: 10, 2: 4, 3: 30}[n]) == 500.0


def test_the_documented_limits():
    assert (MAX_BATCH_SIZE, MAX_REQUESTS) == (65_536, 10_000_000)
    assert batch_throughput(MAX_BATCH_SIZE, 1) == 65_536_000.0
    assert capacity_qps(MAX_BATCH_SIZE, 2.0) == 32_768_000.0
    for call in (
        lambda: batch_throughput(MAX_BATCH_SIZE + 1, 1),
        lambda: capacity_qps(MAX_BATCH_SIZE + 1, 1),
        lambda: capacity_qps(10**400, service_ms),
        lambda: simulate_batching(1, MAX_BATCH_SIZE + 1, 0, 1),
    ):
        with pytest.raises(ValueError, match="batch_size must be at most 65,536"):
            call()
    with pytest.raises(ValueError, match="n_requests must be at most 10,000,000"):
        simulate_batching(1, 1, 0, 1, n_requests=MAX_REQUESTS + 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: batch_throughput(2, 5e-324), "batch_size and batch_latency_ms give a throughput"),
        (lambda: capacity_qps(2, 5e-324), "batch_size and service_time_ms give a capacity"),
        (lambda: capacity_qps(2, lambda n: 5e-324), "batch_size and service_time_ms give"),
        (
            lambda: simulate_batching(5e-324, 1, 0, 1, n_requests=2),
            "arrival_rate_qps and n_requests give arrival times",
        ),
        (
            lambda: simulate_batching(1e-305, 1, 0, 1, n_requests=100),
            "arrival_rate_qps and n_requests give arrival times",
        ),
        (
            lambda: simulate_batching(100, 1, 0, 1e308, n_requests=3),
            "max_wait_ms and service_time_ms give latencies",
        ),
        (
            lambda: simulate_batching(1.7e308, 1, 0, 1, n_requests=1, seed=0),
            "arrival_rate_qps gives an offered rate",
        ),
    ],
)
def test_results_beyond_the_float_range_are_errors(call, message):
    with pytest.raises(ValueError, match=f"^{message}.* too large to represent$"):
        call()


def test_defaults():
    """100,000 requests and seed 0, unless asked otherwise."""
    default = simulate_batching(80, 8, 0, 10)
    assert default == simulate_batching(80, 8, 0, 10, n_requests=100_000, seed=0)


def test_arrival_times_checked_at_the_last_request():
    """Seed 1 at 1e-305 requests/s: the first two arrival times fit, the third does not."""
    with pytest.raises(
        ValueError, match=r"^arrival_rate_qps and n_requests give arrival times too large"
    ):
        simulate_batching(1e-305, 1, 0, 1, n_requests=3, seed=1)


def test_messages_name_the_arguments():
    with pytest.raises(ValueError, match=r"^max_wait_ms must not be negative, got -1\.0$"):
        simulate_batching(1, 1, -1, 1)
    with pytest.raises(ValueError, match=r"^n_requests must be at least 1, got 0$"):
        simulate_batching(1, 1, 0, 1, n_requests=0)
    with pytest.raises(ValueError, match=r"^service_time_ms\(3\) must be positive, got 0\.0$"):
        simulate_batching(1, 4, 0, lambda n: 0 if n == 3 else 1, n_requests=5)
    assert simulate_batching(1, 1, 0, 1, n_requests=1).mean_batch_size == 1.0


def test_capacity_needs_a_batch():
    with pytest.raises(ValueError, match=r"^batch_size must be at least 1, got 0$"):
        capacity_qps(0, 5)


def test_busy_share_of_a_stable_server_is_arrival_rate_times_service_time():
    """The utilisation law: one at a time, a server that keeps up is busy
    for rate x service time of every second (here 80/s x 10.2 ms)."""
    run = simulate_batching(80, 1, 0, 10.2, n_requests=50_000, seed=1)
    assert run.busy_share == pytest.approx(80 * 10.2 / 1000, rel=0.02)
    overloaded = simulate_batching(200, 1, 0, 10.2, n_requests=5_000, seed=1)
    assert overloaded.busy_share == pytest.approx(1.0, abs=1e-3)
