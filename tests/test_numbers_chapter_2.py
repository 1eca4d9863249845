"""Chapter 2's quoted numbers come from the package and follow their inputs.

test_numbers.py checks that every ``{{ name }}`` on every page is computed.
"""

import dmls_numbers
import numpy as np

from dmls_examples import objectives
from dmls_examples.datasets import BLEND_SWEEP, CAPACITY_SCENARIO, NEWSFEED, RecommenderTest


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


def test_the_newsfeed_blend_reads_as_the_page_says(numbers):
    assert numbers["blend_overlap"] == "no post"
    assert numbers["blend_even_kept"] == "Outrage headline and Cat video"
    assert (numbers["blend_first_change"], numbers["blend_settled"]) == ("0.3", "0.8")
    assert (numbers["blend_feeds"], numbers["blend_front"], numbers["blend_reached"]) == (
        "252",
        "28",
        "8",
    )
    assert (numbers["blend_even_quality"], numbers["blend_even_clicks"]) == ("0.65", "58")


def test_the_framing_losses_read_as_the_page_says(numbers):
    assert (numbers["frame_ce"], numbers["frame_ce_top"]) == ("1.11", "0.80")
    assert numbers["frame_ce_likeliest"] == "tech"
    assert (numbers["frame_mae"], numbers["frame_mae_one"]) == ("2", "2")
    assert (numbers["frame_rmse"], numbers["frame_rmse_one"]) == ("2.58", "3.46")


def test_training_sets_grew_about_67000_fold(numbers):
    # 300 billion tokens (GPT-3) over 4.5 million words (Penn Treebank).
    assert numbers["growth_factor"] == "67,000"
    assert (numbers["growth_first_year"], numbers["growth_last_year"]) == ("1993", "2020")


def test_a_changed_post_changes_the_blend_prose():
    clicks = list(NEWSFEED.clicks)
    clicks[0] = 61  # the outrage headline is no longer the most clicked
    changed = dmls_numbers.substitutions(objectives__feed=NEWSFEED._replace(clicks=tuple(clicks)))
    assert "Outrage headline" not in changed["blend_even_kept"]


def test_the_feeds_a_blend_reaches_count_every_weight_not_only_the_grid(numbers):
    # The prose says "every weight from 0 to 1"; an earlier version counted
    # only the figure's steps of 0.1 and reported 6 of the 8 feeds.
    quality = objectives.min_max_scale(NEWSFEED.quality)
    clicks = objectives.min_max_scale(NEWSFEED.clicks)
    k = BLEND_SWEEP.k
    fine = {
        tuple(sorted(objectives.rank_by_blend(quality, clicks, alpha=a)[:k].tolist()))
        for a in np.linspace(0, 1, 20_001)
    }
    assert numbers["blend_reached"] == str(len(fine))
    # Every feed a blend reaches is on the Pareto front.
    feeds, outcomes = NEWSFEED.feeds(k)
    front = objectives.pareto_optimal(outcomes)
    assert all(front[feeds.index(feed)] for feed in fine)
