"""After translation: number each page's self-checks and add their answers for paper.

The answers are copies of the page's own nodes, taken after Sphinx's Locale transform, so a
translated edition prints them translated; on screen they stay hidden (``selfcheck.css``), and
on paper they follow the chapter, as the exercises' solutions do.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .nodes import (
    selfcheck,
    selfcheck_answer,
    selfcheck_answers,
    selfcheck_choice,
    selfcheck_feedback,
)


def _copies(children) -> list[nodes.Node]:
    out = []
    for child in children:
        copy = child.deepcopy()
        for node in copy.findall(nodes.Element):
            node["ids"] = []  # the originals keep their anchors
        out.append(copy)
    return out


def answer_of(check: selfcheck) -> selfcheck_answer:
    """The answer to one check: the right option's words and feedback, or the number and the
    feedback for a right answer."""
    feedback = {f["key"]: f for f in check.findall(selfcheck_feedback)}
    answer = selfcheck_answer(number=check["number"], kind=check["kind"],
                              answer_text=check.get("answer_text", ""),
                              **{"for": check["selfcheck_id"]})
    if check["kind"] == "choice":
        right = str(check["correct"])
        choice = next(c for c in check.findall(selfcheck_choice) if c["choice"] == right)
        answer.extend(_copies(choice.children))
    else:
        right = "right"
    answer.extend(_copies(feedback[right].children))
    return answer


class NumberSelfChecks(SphinxTransform):
    default_priority = 40  # after Sphinx's Locale transform (20) and editions' (25, 26)

    def apply(self, **kwargs) -> None:
        checks = list(self.document.findall(selfcheck))
        for number, check in enumerate(checks, start=1):
            check["number"] = number
        if not checks or self.app.builder.format != "html":
            return
        answers = selfcheck_answers()
        answers.extend(answer_of(check) for check in checks)
        self.document += answers
