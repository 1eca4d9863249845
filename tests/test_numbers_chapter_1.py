"""The chapter-1 numbers the prose quotes follow the package and their inputs.

These pin the pages written after computational priorities; that page's
numbers are pinned in test_numbers.py on main, so the two files never clash.
"""

import dmls_numbers

from dmls_examples.datasets import AD_CLICKS, LENDER, MINORITY


def test_ad_click_example(numbers):
    assert numbers["ad_baseline_accuracy"] == "99.99%"
    assert numbers["ad_useful_accuracy"] == "99.902%"
    assert (numbers["ad_useful_precision"], numbers["ad_useful_recall"]) == ("6%", "60%")
    assert numbers["ad_measured_precision"] == "80%"


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


def test_book_p90_under_the_strictly_below_reading(numbers):
    # Nine of ten requests lie strictly below the 10th-ranked one, 3,000 ms:
    # the informal reading agrees with the book's value, nearest rank does not.
    assert (numbers["book_p90_strict_rank"], numbers["book_p90_strict"]) == ("10", "3,000")
    assert numbers["book_p90_nearest"] == "110"


def test_batch_fill_time_and_steady_batch(numbers):
    # (B - 1) / lambda = 49 / 1,000 s; with no timeout, b = lambda * s(b) gives 12.5,
    # which is what the simulation's mean batch size comes out at.
    assert numbers["sim_fill_ms"] == "49"
    assert numbers["sim_steady_batch"] == numbers["sim_wait0_batch"] == "12.5"


def test_leaderboard_luck_and_minority_errors(numbers):
    assert numbers["board_best"] == "84.2%"
    assert numbers["board_luck_points"] == "4.2"
    assert (numbers["minority_overall"], numbers["minority_fixed"]) == ("94.1%", "95.0%")
    changed = dmls_numbers.substitutions(minority__groups=MINORITY._replace(correct_b=19))
    assert changed["minority_b"] == "95%"
