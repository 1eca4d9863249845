"""batching: the book's throughputs, the simulator's invariants, bad input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dmls_examples.batching import batch_throughput, capacity_qps, simulate_batching


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


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(1, 5000),
    size=st.integers(1, 64),
    wait=st.floats(0, 50),
    base=st.floats(0.1, 20),
    per_item=st.floats(0, 2),
    seed=st.integers(0, 2**32 - 1),
)
def test_simulation_invariants(rate, size, wait, base, per_item, seed):
    def service(n):
        return base + per_item * n

    first = simulate_batching(rate, size, wait, service, n_requests=300, seed=seed)
    again = simulate_batching(rate, size, wait, service, n_requests=300, seed=seed)
    assert first == again
    assert first.throughput_qps <= first.offered_qps * (1 + 1e-9)
    assert first.throughput_qps <= capacity_qps(size, service) * (1 + 1e-9)
    assert 1 <= first.mean_batch_size <= size
    # Latency is finish time minus arrival time: allow float rounding.
    assert base * (1 - 1e-9) <= first.p50_ms <= first.p90_ms <= first.p99_ms


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
    with pytest.raises(error, match=name):
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
    with pytest.raises(error, match=name):
        simulate_batching(**args)
