"""The ``selfcheck`` directive: a question on the page, answered and judged in the browser.

A multiple-choice check::

    ```{selfcheck}
    :id: ch01-event
    :correct: 2

    The question, in one or more paragraphs.

    - The first option.

      Its feedback, shown when a reader picks it.
    - The second option (the right one, as ``:correct:`` says).

      Its feedback.
    ```

Each item of the list is an option: its first paragraph is what the reader picks, the rest is
the feedback for picking it. A numeric check names a value glued in a cell of the same page
instead of ``:correct:`` (so the answer is computed by the package and cannot drift from the
data), and its list holds the feedback for a right answer, then for a wrong one, or for one too
low and one too high::

    ```{selfcheck}
    :id: ch05-break-even
    :answer: sc_break_even_m
    :tolerance: 2%

    The question.

    - Feedback for an answer within the tolerance.
    - Feedback for an answer below it.
    - Feedback for an answer above it.
    ```

``:tolerance:`` is a share of the answer (``2%``, the default is ``1%``) or an absolute amount
(``0.05``). Every id is unique in the book, so that progress kept by id never mixes two checks.
"""

from __future__ import annotations

import ast
import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .nodes import (
    selfcheck,
    selfcheck_choice,
    selfcheck_choice_text,
    selfcheck_feedback,
    selfcheck_question,
)

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")
DEFAULT_TOLERANCE = "1%"
NUMBER_FEEDBACK = {2: ("right", "wrong"), 3: ("right", "low", "high")}


def parse_number(text: str) -> float:
    """The number a glued value shows: ``'$42.89'`` -> 42.89, ``'65,100,000'`` -> 65100000.0,
    ``'25.6%'`` -> 25.6 (the figure as a reader would type it)."""
    try:
        shown = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        shown = text
    if isinstance(shown, (int, float)) and not isinstance(shown, bool):
        return float(shown)
    found = _NUMBER.findall(str(shown))
    if len(found) != 1:
        raise ValueError(f"value={text!r} shows {len(found)} numbers; allowed: exactly one, "
                         "such as '42.89', '$42.89', '65,100,000' or '25.6%'")
    return float(found[0].replace(",", ""))


def parse_tolerance(text: str) -> tuple[float, str]:
    """``'2%'`` -> (0.02, 'relative'); ``'0.05'`` -> (0.05, 'absolute')."""
    relative = text.strip().endswith("%")
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        value = -1.0
    if not value >= 0 or value != value:
        raise ValueError(f"tolerance={text!r} is not a number; allowed: a share such as '2%' "
                         "or an amount such as '0.05', zero or more")
    return (value / 100, "relative") if relative else (value, "absolute")


def glued_text(document: nodes.document, key: str) -> str:
    """The text/plain form of the value glued under ``key`` in this page's notebook."""
    from myst_nb.core.variables import RetrievalError
    from myst_nb.ext.glue.utils import retrieve_glue_data

    try:
        data = retrieve_glue_data(document, key).data
    except RetrievalError as error:
        raise ValueError(f"answer={key!r}: {error} Allowed: a key glued by a cell of this "
                         "page") from None
    if "text/plain" not in data:
        raise ValueError(f"answer={key!r} has no plain-text form; allowed: a glued number or "
                         "string")
    return data["text/plain"]


def _shown(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


class SelfCheckDirective(SphinxDirective):
    has_content = True
    option_spec = {"id": directives.unchanged_required, "correct": directives.positive_int,
                   "answer": directives.unchanged_required,
                   "tolerance": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        ident = self.options.get("id", "")
        if not ID.fullmatch(ident):
            raise self.error(f"selfcheck: id={ident!r} is not allowed; allowed: lower-case "
                             "letters and digits in words joined by '-', such as 'ch01-event'")
        if ("correct" in self.options) == ("answer" in self.options):
            raise self.error(f"selfcheck {ident}: give exactly one of :correct: (the number of "
                             "the right option) or :answer: (a glued key, for a numeric check)")
        holder = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, holder)
        lists = [i for i, child in enumerate(holder.children)
                 if isinstance(child, nodes.bullet_list)]
        if len(lists) != 1 or lists[0] == 0 or lists[0] != len(holder.children) - 1:
            raise self.error(f"selfcheck {ident}: write the question first, then one bullet "
                             "list (options with their feedback, or the feedback of a numeric "
                             "check), and nothing after it")
        items = [i for i in holder.children[-1].children if isinstance(i, nodes.list_item)]
        node = selfcheck(ids=[f"selfcheck-{ident}"], selfcheck_id=ident)
        self.set_source_info(node)
        node += selfcheck_question("", *holder.children[:-1])
        try:
            if "correct" in self.options:
                self._choices(node, items)
            else:
                self._number(node, items)
        except ValueError as error:
            raise self.error(f"selfcheck {ident}: {error}") from None
        return [node]

    def _choices(self, node: selfcheck, items: list[nodes.list_item]) -> None:
        correct = self.options["correct"]
        if len(items) < 2 or correct > len(items):
            raise ValueError(f"correct={correct} with {len(items)} options; allowed: two "
                             f"options or more, and :correct: from 1 to {len(items)}")
        node.update_all_atts({"kind": "choice", "correct": correct})
        feedback = []
        for number, item in enumerate(items, start=1):
            first = item.children[0] if item.children else None
            if not isinstance(first, nodes.paragraph) or len(item.children) < 2:
                raise ValueError(f"option {number} needs its words in a first paragraph, then "
                                 "its feedback in a paragraph of its own")
            text = selfcheck_choice_text(first.rawsource, "", *first.children)
            text.source, text.line = first.source, first.line
            node += selfcheck_choice("", text, choice=str(number))
            feedback.append(selfcheck_feedback("", *item.children[1:], key=str(number)))
        node.extend(feedback)

    def _number(self, node: selfcheck, items: list[nodes.list_item]) -> None:
        key = self.options["answer"]
        shown = glued_text(self.state.document, key)
        answer = parse_number(shown)
        tolerance, kind = parse_tolerance(self.options.get("tolerance", DEFAULT_TOLERANCE))
        keys = NUMBER_FEEDBACK.get(len(items))
        if keys is None:
            raise ValueError(f"a numeric check has {len(items)} feedback items; allowed: 2 "
                             "(right, wrong) or 3 (right, too low, too high)")
        node.update_all_atts({"kind": "number", "answer": answer, "answer_text": _shown(shown),
                              "tolerance": tolerance, "tolerance_kind": kind,
                              "tolerance_text": self.options.get("tolerance",
                                                                 DEFAULT_TOLERANCE).strip()})
        for name, item in zip(keys, items, strict=True):
            node += selfcheck_feedback("", *item.children, key=name)
