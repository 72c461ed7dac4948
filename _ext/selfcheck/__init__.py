"""Self-checks: a question on the page, answered at once, in every edition, on paper too.

* :mod:`.directive` parses ``{selfcheck}`` (a multiple-choice or numeric question, with
  feedback for every option; a numeric answer is a value glued by the page's notebook);
* :mod:`.nodes` holds its nodes and writes them as HTML: real form controls, a submit button,
  the feedback in a polite live region, and ``data-selfcheck``/``data-answered`` for tests;
* :mod:`.answers` numbers a page's checks and adds their answers, printed after the chapter;
* :mod:`.words` gives the interface words in the page's language (``book.po``);
* ``static/selfcheck/`` holds the classic script that judges an answer in the browser and keeps
  it in ``localStorage`` (per page and id, until the reader clears it), and the CSS for phones,
  dark mode and print.

Every id is unique in the book; a duplicate is a warning (an error under ``-W``).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from . import answers, directive, nodes, words

HERE = Path(__file__).resolve().parent
logger = logging.getLogger(__name__)


def on_config_inited(app: Sphinx, config) -> None:
    config.html_static_path.append(str(HERE / "static"))


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict,
                    doctree) -> None:
    if doctree is not None and next(doctree.findall(nodes.selfcheck), None) is not None:
        app.add_js_file("selfcheck/selfcheck.js", defer="defer")


def record_ids(app: Sphinx, doctree) -> None:
    """Remember which page holds each id, and warn about an id used twice in the book.

    Each id is also a label: ``{ref}`ch01-key``` links to the check, titled "Self-check N"
    in the page's language (the instructor guide's objective map links them so).
    """
    env = app.env
    seen = env.__dict__.setdefault("selfcheck_ids", {})
    std = env.get_domain("std")
    title = words.words(app.config.language)["title"]
    for check in doctree.findall(nodes.selfcheck):
        ident = check["selfcheck_id"]
        if ident not in std.labels:
            std.anonlabels[ident] = (env.docname, check["ids"][0])
            std.labels[ident] = (env.docname, check["ids"][0],
                                 title.format(number=check.get("number", "")))
        if ident in seen and seen[ident] != env.docname:
            logger.warning(f"selfcheck id={ident!r} is used by {seen[ident]} already; allowed: "
                           "an id no other self-check of the book uses", location=check)
        elif ident in seen:
            logger.warning(f"selfcheck id={ident!r} appears twice on this page; allowed: "
                           "one self-check per id", location=check)
        seen[ident] = env.docname


def purge_ids(app: Sphinx, env, docname: str) -> None:
    ids = env.__dict__.get("selfcheck_ids", {})
    for ident in [i for i, page in ids.items() if page == docname]:
        del ids[ident]


def merge_ids(app: Sphinx, env, docnames, other) -> None:
    env.__dict__.setdefault("selfcheck_ids", {}).update(other.__dict__.get("selfcheck_ids", {}))


def setup(app: Sphinx) -> dict:
    skip = (nodes.skip, nodes.depart_nothing)
    for node in nodes.NODES:
        visit = {nodes.selfcheck: nodes.visit_selfcheck_html,
                 nodes.selfcheck_answers: nodes.visit_selfcheck_answers_html}.get(node, nodes.skip)
        app.add_node(node, html=(visit, nodes.depart_nothing), latex=skip, text=skip, man=skip,
                     texinfo=skip)
    app.add_directive("selfcheck", directive.SelfCheckDirective)
    app.add_transform(answers.NumberSelfChecks)
    app.add_css_file("selfcheck/selfcheck.css")
    app.connect("config-inited", on_config_inited)
    app.connect("doctree-read", record_ids)
    app.connect("env-purge-doc", purge_ids)
    app.connect("env-merge-info", merge_ids)
    # before handlers that rebuild the page's script list (live_calculators drops Thebe's)
    app.connect("html-page-context", on_page_context, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
