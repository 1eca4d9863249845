"""Chapter 2's quoted numbers come from the package and follow their inputs.

test_numbers.py checks that every ``{{ name }}`` on every page is computed.
"""

import dmls_numbers

from dmls_examples.datasets import CAPACITY_SCENARIO, RecommenderTest


def test_the_worked_comparison_reads_as_the_page_says(numbers):
    assert numbers["pilot_diff_low"] == "\N{MINUS SIGN}0.29"
    assert numbers["pilot_diff_high"] == "0.85"
    assert numbers["full_diff_low"] == "0.01"
    assert (numbers["ecs_a"], numbers["ecs_b"]) == ("3.46", "2.86")


def test_the_capacity_plan_reads_as_the_page_says(numbers):
    assert (numbers["cap_peak"], numbers["cap_replicas"], numbers["cap_high_replicas"]) == (
        "1,610",
        "20",
        "15",
    )
    assert (numbers["cap_util_minus_one"], numbers["cap_high_util_minus_one"]) == ("71%", "96%")


def test_survey_shares_come_from_the_charted_data(numbers):
    assert (numbers["survey_mature"], numbers["survey_beginners"]) == ("75%", "60%")
    assert numbers["survey_covered"] == "82%"


def test_changing_an_input_changes_the_prose():
    same = dmls_numbers.substitutions(recommender__pilot=RecommenderTest(430, 430, 10_000))
    assert same["pilot_diff"] == "0.00"
    busier_scenario = CAPACITY_SCENARIO._replace(current_peak_qps=1600)
    busier = dmls_numbers.substitutions(capacity__scenario=busier_scenario)
    assert busier["cap_replicas"] == "39"


def test_the_capacity_figure_description_matches_its_plot(numbers):
    assert (numbers["cap_low_target"], numbers["cap_low_replicas"]) == ("50%", "27")
    assert (numbers["cap_horizon"], numbers["cap_horizon_peak"]) == ("24", "3,239")
