"""The reader of the project's Python files as source (tests/source_reading.py)."""

import pytest
from source_reading import CONF, NOXFILE, constant, constants, nox_sessions


def test_a_constant_is_read_by_its_target_as_written():
    assert constant(NOXFILE, "nox.options.sessions") == ["lint", "docs", "tests", "doctest"]
    assert "myst_parser" in constant(CONF, "extensions")


def test_a_missing_constant_names_the_file():
    with pytest.raises(AssertionError, match=r"noxfile\.py assigns no NO_SUCH_NAME"):
        constant(NOXFILE, "NO_SUCH_NAME")


def test_constants_leave_out_what_is_computed_at_run_time():
    settings = constants(CONF, "myst_")
    assert settings["myst_dmath_allow_digits"] is False
    # conf.py computes its substitutions when Sphinx runs: not a literal
    assert "myst_substitutions" not in settings
    with pytest.raises(ValueError, match="malformed node"):
        constant(CONF, "myst_substitutions")


def test_sessions_go_by_the_name_nox_runs_them_under():
    sessions = nox_sessions()
    assert {"lint", "tests", "docs", "doctest", "tests-lowest"} <= set(sessions)
    assert sessions["tests-lowest"].name == "tests_lowest"
    assert "install" not in sessions  # a helper, not a session
