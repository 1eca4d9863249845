"""The chapter-1 numbers the prose quotes follow the package and their inputs.

These pin the pages written after computational priorities; that page's
numbers are pinned in test_numbers.py on main, so the two files never clash.
"""

import dmls_numbers

from dmls_examples.datasets import AD_CLICKS, LENDER


def test_ad_click_example(numbers):
    assert numbers["ad_baseline_accuracy"] == "99.99%"
    assert numbers["ad_useful_accuracy"] == "99.902%"
    assert (numbers["ad_useful_precision"], numbers["ad_useful_recall"]) == ("6%", "60%")
    assert numbers["ad_measured_precision"] == "80%"


def test_restaurant_blend(numbers):
    assert numbers["blend_overlap"] == "no restaurant"
    assert numbers["blend_even_newcomers"] == "Steakhouse"
    assert numbers["blend_top_clicks"].endswith("Noodle Bar and Falafel Cart")


def test_lender_and_loan(numbers):
    assert (numbers["lend_rate_a"], numbers["lend_rate_b"], numbers["lend_ratio"]) == (
        "30%",
        "18%",
        "0.60",
    )
    assert (numbers["lend_recall_a"], numbers["lend_recall_b"]) == ("100%", "50%")
    assert numbers["loan_top_reason"] == "missed payments"
    assert numbers["loan_reasons_for"] == "income"
    assert (numbers["delivery_old_minutes"], numbers["delivery_new_minutes"]) == ("30", "39")


def test_inputs_flow_through():
    more_clicks = AD_CLICKS._replace(clicks=1_000, flagged_clicks=600)
    changed = dmls_numbers.substitutions(imbalance__ads=more_clicks)
    assert changed["ad_baseline_accuracy"] == "99.90%"
    assert changed["ad_useful_precision"] == "60%"
    fair = LENDER._replace(approved_b=30)
    assert dmls_numbers.substitutions(fairness__lender=fair)["lend_ratio"] == "1.00"
