"""The self-check's nodes, and how the HTML builder writes them.

One ``selfcheck`` node holds a ``selfcheck_question`` (paragraphs), then either one
``selfcheck_choice`` per option (each holding its words, a ``selfcheck_choice_text``) or
nothing (a numeric check), then one ``selfcheck_feedback`` per option, or per outcome of a
numeric check. The option's words are a paragraph subclass, so that gettext extracts and
translates them like any paragraph, while the page shows them inside the option's label.

The HTML follows the testing contract (``tests/test_selfcheck*.py``): the element carries
``data-selfcheck="ID"``; its options are real form controls (radio buttons, or a number input
with a label) in a fieldset named by the question; a submit button; the feedback in a polite
live region. ``static/selfcheck/selfcheck.js`` judges an answer, shows its feedback and sets
``data-answered``. The buttons stay hidden until that script runs, so a page without it shows
no button that does nothing.
"""

from __future__ import annotations

import html
import json

from docutils import nodes

from .words import words


class selfcheck(nodes.General, nodes.Element):
    """A question with options (``kind='choice'``) or a numeric answer (``kind='number'``)."""


class selfcheck_question(nodes.General, nodes.Element):
    pass


class selfcheck_choice(nodes.General, nodes.Element):
    """One option; ``choice`` is its number, from 1."""


class selfcheck_choice_text(nodes.paragraph):
    """The words of an option (a paragraph for gettext, a label's content on the page)."""


class selfcheck_feedback(nodes.General, nodes.Element):
    """What a reader reads after answering; ``key`` is the option's number, or ``right``,
    ``wrong``, ``low`` or ``high`` for a numeric check."""


class selfcheck_answers(nodes.General, nodes.Element):
    """The page's answers, for paper: every check's answer and the feedback for it."""


class selfcheck_answer(nodes.General, nodes.Element):
    pass


NODES = (selfcheck, selfcheck_question, selfcheck_choice, selfcheck_choice_text,
         selfcheck_feedback, selfcheck_answers, selfcheck_answer)


def _walk(translator, children) -> None:
    for child in children:
        child.walkabout(translator)


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)


def _controls(translator, node: selfcheck, base: str, w: dict[str, str]) -> None:
    body = translator.body
    body.append(f'<fieldset class="selfcheck-options" aria-labelledby="{base}-question">\n')
    if node["kind"] == "choice":
        for choice in node.findall(selfcheck_choice):
            number = choice["choice"]
            body.append(f'<div class="selfcheck-option"><input type="radio" name="{base}" '
                        f'id="{base}-{number}" value="{number}"> <label for="{base}-{number}">')
            _walk(translator, choice[0].children)
            body.append("</label></div>\n")
    else:
        within = w["within"].format(tolerance=_tolerance(node))
        body.append(f'<div class="selfcheck-number"><label for="{base}-input">'
                    f'{html.escape(w["your_answer"])}</label> <input type="number" step="any" '
                    f'id="{base}-input" name="{base}" aria-describedby="{base}-within"></div>\n'
                    f'<p class="selfcheck-within" id="{base}-within">{html.escape(within)}</p>\n')
    body.append("</fieldset>\n")


def _tolerance(node: selfcheck) -> str:
    text = node["tolerance_text"]
    return text if text.endswith("%") else f"{node['tolerance']:g}"


def visit_selfcheck_html(translator, node: selfcheck) -> None:
    w = words(translator.builder.config.language)
    ident = node["selfcheck_id"]
    base = f"selfcheck-{ident}"
    data = {"data-selfcheck": ident, "data-kind": node["kind"],
            "data-words": json.dumps({k: w[k] for k in ("right", "wrong", "choose", "type")},
                                     ensure_ascii=False),
            "role": "group", "aria-labelledby": f"{base}-title"}
    if node["kind"] == "choice":
        data["data-correct"] = str(node["correct"])
    else:
        data.update({"data-answer": repr(node["answer"]), "data-tolerance": repr(
            node["tolerance"]), "data-tolerance-kind": node["tolerance_kind"]})
    body = translator.body
    body.append(translator.starttag(node, "div", CLASS="selfcheck", **data))
    title = w["title"].format(number=node.get("number", ""))
    body.append(f'<p class="selfcheck-title" id="{base}-title">{html.escape(title)}</p>\n'
                f'<div class="selfcheck-question" id="{base}-question">\n')
    _walk(translator, node[0].children)
    body.append(f'</div>\n<form class="selfcheck-form" action="#" id="{base}-form">\n')
    _controls(translator, node, base, w)
    body.append(f'<div class="selfcheck-actions" hidden><button type="submit" '
                f'class="selfcheck-check">{html.escape(w["check"])}</button> <button '
                f'type="button" class="selfcheck-clear">{html.escape(w["clear"])}</button>'
                '</div>\n</form>\n<div class="selfcheck-result" role="status" '
                'aria-live="polite" aria-atomic="true">\n<p class="selfcheck-verdict"></p>\n')
    for feedback in node.findall(selfcheck_feedback):
        body.append(f'<div class="selfcheck-feedback" data-feedback="'
                    f'{_attribute(feedback["key"])}" hidden>\n')
        _walk(translator, feedback.children)
        body.append("</div>\n")
    body.append("</div>\n</div>\n")
    raise nodes.SkipNode


def visit_selfcheck_answers_html(translator, node: selfcheck_answers) -> None:
    w = words(translator.builder.config.language)
    body = translator.body
    body.append('<section class="selfcheck-answers" aria-labelledby="selfcheck-answers-title">\n'
                f'<p class="selfcheck-answers-title" id="selfcheck-answers-title">'
                f'{html.escape(w["answers"])}</p>\n')
    for answer in node.children:
        title = w["title"].format(number=answer["number"])
        body.append(f'<div class="selfcheck-answer" data-answers="{_attribute(answer["for"])}">'
                    f'\n<p><strong>{html.escape(title)}.</strong> {html.escape(w["answer"])} ')
        if answer["kind"] == "choice":
            _walk(translator, answer[0].children)
            rest = answer.children[1:]
        else:
            body.append(html.escape(answer["answer_text"]))
            rest = answer.children
        body.append("</p>\n")
        _walk(translator, rest)
        body.append("</div>\n")
    body.append("</section>\n")
    raise nodes.SkipNode


def skip(translator, node) -> None:
    raise nodes.SkipNode


def depart_nothing(translator, node) -> None:  # pragma: no cover - every visit skips
    pass
