"""Each page loads only the stylesheets it uses, and of sphinx-design's only
the rules the site needs (docs/_ext/dmls_assets.py). The browser session
checks that the trimmed stylesheet styles every page as the whole one."""

from dmls_assets import used_css

CSS = (
    ":root{--sd-color-primary:#0071bc}"
    ".sd-card{display:flex}"
    ".sd-card .sd-card-header,.sd-tab-set>label{padding:0}"
    "details.sd-dropdown:not([open])>.sd-card-header{border:0}"
    ".sd-grid-item{flex:1}"
    "@media(min-width:576px){.sd-grid-item{width:50%}.sd-card{margin:0}}"
    "@keyframes sd-slide{from{opacity:0}to{opacity:1}}"
    ".sd-dropdown.sd-slide{animation:sd-slide .5s}"
    "@keyframes sd-fade{from{opacity:0}to{opacity:1}}"
)


def test_keeps_the_rules_for_the_classes_in_use():
    kept = used_css(CSS, {"sd-card", "sd-card-header", "sd-dropdown"})
    assert ":root{--sd-color-primary:#0071bc}" in kept
    assert ".sd-card{display:flex}" in kept
    # Of a selector list, only the selectors that can match stay.
    assert ".sd-card .sd-card-header{padding:0}" in kept
    assert "sd-tab-set" not in kept
    assert "details.sd-dropdown:not([open])>.sd-card-header{border:0}" in kept
    # Inside @media too; an @media left empty goes.
    assert "@media(min-width:576px){.sd-card{margin:0}}" in kept
    assert "sd-grid-item" not in kept
    # Keyframes stay only while a kept rule runs them.
    assert "@keyframes" not in kept


def test_keyframes_stay_with_the_rule_that_runs_them():
    kept = used_css(CSS, {"sd-dropdown", "sd-slide"})
    assert ".sd-dropdown.sd-slide{animation:sd-slide .5s}" in kept
    assert "@keyframes sd-slide{from{opacity:0}to{opacity:1}}" in kept
    assert "sd-fade" not in kept


def test_classes_inside_parentheses_are_not_required():
    """:is(.sd-b,.sd-c) matches with either; :not(.sd-d) matches without it."""
    css = ".sd-a:is(.sd-b,.sd-c){color:red}.sd-a:not(.sd-d){color:blue}.sd-e{color:green}"
    assert used_css(css, {"sd-a"}) == ".sd-a:is(.sd-b,.sd-c){color:red}.sd-a:not(.sd-d){color:blue}"
