"""The survey data the pages chart is what its source reports, and consistent."""

import pytest

from dmls_examples import surveys
from dmls_examples.surveys import (
    ALGORITHMIA_2020_ALL,
    ALGORITHMIA_2020_BY_MATURITY,
    ALGORITHMIA_2020_RESPONDENTS,
    ALGORITHMIA_2020_SOURCE,
)

ALL_SHARES = ALGORITHMIA_2020_ALL + ALGORITHMIA_2020_BY_MATURITY


def test_the_figures_quoted_in_the_book():
    by_group = {share.group: share for share in ALGORITHMIA_2020_BY_MATURITY}
    mature = by_group["over five years in production"]
    beginners = by_group["just getting started"]
    assert (mature.answer, mature.share, mature.approximate) == ("under 30 days", 0.75, True)
    assert (beginners.answer, beginners.share) == ("over 30 days", 0.60)


def test_the_overall_distribution():
    assert [(s.answer, s.share) for s in ALGORITHMIA_2020_ALL] == [
        ("7 days or less", 0.14),
        ("8 to 30 days", 0.28),
        ("more than 30 days", 0.40),
    ]


@pytest.mark.parametrize("share", ALL_SHARES, ids=lambda s: f"{s.group}: {s.answer}")
def test_every_share_is_a_fraction(share):
    assert 0 <= share.share <= 1


def test_answers_of_one_group_never_exceed_everyone():
    assert sum(s.share for s in ALGORITHMIA_2020_ALL) <= 1


def test_the_source_is_named_with_its_sample():
    assert "Algorithmia" in ALGORITHMIA_2020_SOURCE
    assert str(ALGORITHMIA_2020_RESPONDENTS) in ALGORITHMIA_2020_SOURCE
    assert "algorithmia2020" in surveys.__doc__


def test_survey_data_cannot_be_changed_by_accident():
    with pytest.raises(AttributeError):
        ALGORITHMIA_2020_ALL[0].share = 0.5
