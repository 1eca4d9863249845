"""Small, made-up data for the pages' worked examples.

The pages, the figures and the numbers quoted in the prose all read their
examples from here, so they cannot disagree. Every value is invented for
illustration; none is a measurement. Each function returns new objects on
every call.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["LoanModel", "Restaurants", "loan_model", "restaurants"]


class Restaurants(NamedTuple):
    """Ten restaurants scored by two models of a food-ordering app."""

    #: The restaurants' names.
    names: tuple[str, ...]
    #: The engagement model's estimate that a user who sees the restaurant
    #: clicks it, in [0, 1].
    click_probability: tuple[float, ...]
    #: The revenue model's estimate of what an order earns the app, in dollars.
    revenue: tuple[float, ...]


def restaurants() -> Restaurants:
    """The restaurant list of the stakeholders page.

    Cheap, popular places get many clicks and earn the app little per order;
    expensive places get few clicks and earn a lot. The two objectives
    therefore disagree about the top of the list.

    Returns:
        A :class:`Restaurants` of ten rows, most clicked first.

    Examples:
        >>> data = restaurants()
        >>> data.names[0], data.click_probability[0], data.revenue[0]
        ('Taco Stand', 0.3, 2.1)
    """
    rows = [
        ("Taco Stand", 0.30, 2.10),
        ("Pizza Place", 0.27, 3.00),
        ("Burger Joint", 0.25, 3.40),
        ("Noodle Bar", 0.22, 4.20),
        ("Falafel Cart", 0.20, 1.80),
        ("Curry Kitchen", 0.16, 5.50),
        ("Dim Sum Hall", 0.14, 6.80),
        ("Sushi House", 0.11, 9.50),
        ("Steakhouse", 0.08, 14.00),
        ("Oyster Bar", 0.06, 12.00),
    ]
    names, clicks, revenue = zip(*rows, strict=True)
    return Restaurants(names=names, click_probability=clicks, revenue=revenue)


class LoanModel(NamedTuple):
    """A linear credit score, an average applicant and one applicant.

    The score is the log-odds that a loan is repaid:
    ``bias + sum(weights[i] * x[i])``.
    """

    #: The features' names.
    features: tuple[str, ...]
    #: One weight per feature, in log-odds per unit of the feature.
    weights: tuple[float, ...]
    #: The intercept, in log-odds.
    bias: float
    #: The average applicant's feature values.
    average: tuple[float, ...]
    #: The feature values of the applicant whose decision is explained.
    applicant: tuple[float, ...]


def loan_model() -> LoanModel:
    """The credit score of the interpretability page.

    Features are yearly income in thousands of dollars, debt as a percentage
    of income, years of credit history, and payments missed in the past
    year.

    Returns:
        A :class:`LoanModel`.

    Examples:
        >>> model = loan_model()
        >>> dict(zip(model.features, model.applicant, strict=True))["missed payments"]
        2.0
    """
    return LoanModel(
        features=("income", "debt-to-income", "credit history", "missed payments"),
        weights=(0.02, -0.05, 0.10, -0.80),
        bias=0.5,
        average=(60.0, 30.0, 10.0, 0.5),
        applicant=(75.0, 45.0, 3.0, 2.0),
    )
