"""Tests for dmls_examples.datasets: the worked examples' data is well formed."""

from dmls_examples.datasets import loan_model, restaurants


def test_restaurants_are_aligned_and_in_range():
    data = restaurants()
    assert len(data.names) == len(data.click_probability) == len(data.revenue) == 10
    assert len(set(data.names)) == 10
    assert all(0 <= p <= 1 for p in data.click_probability)
    assert all(r > 0 for r in data.revenue)
    assert list(data.click_probability) == sorted(data.click_probability, reverse=True)


def test_the_two_objectives_disagree():
    data = restaurants()
    most_clicked = max(range(10), key=data.click_probability.__getitem__)
    most_revenue = max(range(10), key=data.revenue.__getitem__)
    assert most_clicked != most_revenue


def test_loan_model_is_aligned():
    model = loan_model()
    n = len(model.features)
    assert len(model.weights) == len(model.average) == len(model.applicant) == n


def test_fresh_objects_each_call():
    assert restaurants() == restaurants()
    assert restaurants() is not restaurants()
