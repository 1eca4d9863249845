"""Published survey figures that the pages chart, kept beside their source.

A chart on a page is drawn from these constants at build time, so the figure
and the text that cites it cannot disagree. Each constant says where its
numbers come from; none of them is computed or estimated here.

Deployment time, from Algorithmia's *2020 State of Enterprise Machine
Learning* :cite:p:`algorithmia2020`, a survey of 745 people conducted in
October 2019 and quoted in Huyen (2022), chapter 2:

- among companies with models in production for over five years, almost 75%
  deploy a model in under 30 days;
- among companies just starting out, 60% take more than 30 days;
- of the respondents asked how long one deployment takes, 14% deploy in 7
  days or less, 28% in 8 to 30 days and 40% take more than a month. The
  survey put this question to only part of the 745 (Hecht, The New Stack,
  2019), so these are shares of those asked, not of everyone; the three
  answers cover 82% of them, and the summary gives no figure for the rest.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ALGORITHMIA_2020_ALL",
    "ALGORITHMIA_2020_BY_MATURITY",
    "ALGORITHMIA_2020_RESPONDENTS",
    "ALGORITHMIA_2020_SOURCE",
    "SurveyShare",
]


class SurveyShare(NamedTuple):
    """One share a survey reports: which group gave which answer, how often."""

    #: The respondents the share refers to.
    group: str
    #: The answer they gave.
    answer: str
    #: The fraction of the group that gave it, in [0, 1].
    share: float
    #: True when the source rounds, as in "almost 75%".
    approximate: bool = False


#: Where the Algorithmia figures come from, as a chart's footnote gives it.
#: The by-maturity shares are the ones Huyen (2022) quotes; the
#: time-to-deploy shares of those asked are as The New Stack reported them.
ALGORITHMIA_2020_SOURCE = (
    "Algorithmia, 2020 State of Enterprise Machine Learning (745 respondents, October 2019);"
    " shares of those asked as reported by Hecht, The New Stack, 2019"
)

#: Number of people the 2020 Algorithmia survey asked.
ALGORITHMIA_2020_RESPONDENTS = 745

#: Time to deploy one model, by how long a company has had models in
#: production. The source reports one side of 30 days for each group.
ALGORITHMIA_2020_BY_MATURITY = (
    SurveyShare("over five years in production", "under 30 days", 0.75, approximate=True),
    SurveyShare("just getting started", "over 30 days", 0.60),
)

#: Time to deploy one model, among the respondents asked, who are a subset
#: of the 745 and not all of them.
ALGORITHMIA_2020_ALL = (
    SurveyShare("respondents asked", "7 days or less", 0.14),
    SurveyShare("respondents asked", "8 to 30 days", 0.28),
    SurveyShare("respondents asked", "more than 30 days", 0.40),
)
