"""How long a page is, by the standard's measure: the words of its prose.

A chapter page, and the case study, have 400 to 1,500 words of prose, not
counting their exercises: the limit is about how much a reader must read
to learn the idea. tests/test_pages.py and tests/test_casestudy.py both
count them here, so every page meets the same measure.
"""

import re

#: An exercise directive, from its opening fence to the closing fence of the
#: same length (its solution's shorter fence closes only the solution).
EXERCISE = re.compile(r"^(:{3,})\{exercise\}.*?^\1[ \t]*$", re.S | re.M)
#: A MyST role such as {term}`display <target>`: only its display text is
#: prose, so linking a term does not add the words "term" or "target".
ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)\s*(?:<[^>]*>)?`", re.S)


def prose_words(text: str) -> int:
    """Words outside front matter, code, directive options and role markup."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = ROLE.sub(r"\1", text)
    lines = [line for line in text.splitlines() if not line.startswith((":", "(", "|---"))]
    return len(re.findall(r"[A-Za-z0-9][\w'’.,%$-]*", "\n".join(lines)))


def without_exercises(text: str) -> str:
    """*text* without its exercises, which do not count as the page's prose.

    Everything else stays as written, so a key-ideas box or a figure's
    caption still counts.
    """
    return EXERCISE.sub("", text)
