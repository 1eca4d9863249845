"""The search index keeps hyphenated and slashed words whole, and their parts."""

import pytest
from dmls_search import JS_SPLITTER, split_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("the take-rate rose", ["the", "take-rate", "take", "rate", "rose"]),
        ("an A/B test", ["an", "A/B", "A", "B", "test"]),
        ("p99 and p99.9", ["p99", "and", "p99", "9"]),
        ("2-3 weeks - roughly", ["2-3", "2", "3", "weeks", "roughly"]),
        ("take_rate()", ["take_rate"]),
    ],
)
def test_split_words(text, words):
    assert split_words(text) == words


def test_the_browser_splits_queries_the_same_way():
    assert "var splitQuery" in JS_SPLITTER
    assert "(?:[-\\/][\\p{Letter}\\p{Number}_]+)*" in JS_SPLITTER
