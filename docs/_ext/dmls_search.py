"""Search that finds what readers type: "take-rate", "A/B test", "p99".

Sphinx's search splits words at every character that is not a letter, a
digit or "_", on both sides: the index and the reader's query. "take-rate"
becomes "take" and "rate", and the search returns every page that has both
words anywhere. Here a word may contain "-" or "/" between letters or digits:
the index holds "take-rate" as one word (and "take" and "rate" as well, so
"take rate" still finds it), and the query splitter in the browser keeps
"take-rate" and "a/b" whole, so they match only pages that use them.

Search result snippets are cut from the page's text, where a definition
list's term and definition touched ("CTRThe share of ..."): each term and
definition now starts on its own line in the HTML. A result whose anchor is
no CSS selector ("#term-p99.9") gets its snippet too: the anchor is escaped.

(An incremental build's loss of index entries, Sphinx issue 12599, is
mended by docs/_ext/dmls_searchindex.py.)
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish
from sphinx.writers.html5 import HTML5Translator

#: A word, with "-" or "/" allowed between its parts ("take-rate", "A/B").
WORD = re.compile(r"\w+(?:[-/]\w+)*")

#: The same rule for the query, in the browser (Unicode-aware, like Sphinx's).
_JS_WORD = r"[\p{Letter}\p{Number}_]+(?:[-\/][\p{Letter}\p{Number}_]+)*"
JS_SPLITTER = f"""
/* Keep "take-rate" and "a/b" whole, as the index does (docs/_ext/dmls_search.py). */
var splitQuery = function (query) {{
  return query.match(/{_JS_WORD}/gu) || [];
}};
/* Sphinx finds a result's text with the selector "[role=main] " + its anchor,
   unescaped: "#term-p99.9" is no selector, and a search for p99 threw. */
if (typeof Search !== "undefined") {{
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (html, anchor) =>
    htmlToText(html, anchor && "#" + CSS.escape(anchor.replace(/^#/, "")));
}}
"""


def split_words(text: str) -> list[str]:
    """The words the index holds for *text*: each joined word and its parts."""
    words: list[str] = []
    for match in WORD.finditer(text):
        word = match.group()
        words.append(word)
        if "-" in word or "/" in word:
            words.extend(re.findall(r"\w+", word))
    return words


class JoinedWordsEnglish(SearchEnglish):
    """English search that keeps hyphenated and slashed words whole."""

    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:
        return split_words(input)


def visit_term(self: HTML5Translator, node: nodes.term) -> None:
    self.body.append("\n")
    HTML5Translator.visit_term(self, node)


def visit_definition(self: HTML5Translator, node: nodes.definition) -> None:
    self.body.append("\n")
    HTML5Translator.visit_definition(self, node)


def setup(app: Sphinx) -> dict:
    app.add_search_language(JoinedWordsEnglish)
    app.add_node(nodes.term, override=True, html=(visit_term, HTML5Translator.depart_term))
    app.add_node(
        nodes.definition,
        override=True,
        html=(visit_definition, HTML5Translator.depart_definition),
    )
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
