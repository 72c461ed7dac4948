"""The ``live-calculator`` directive: a live calculator on a Markdown page.

::

    ```{live-calculator} pricing
    :inputs: {"requests_per_month": 1000000}
    ```

It leaves the same placeholder a notebook's calculator cell stores
(``ec2vslambda.live.placeholder_html``), which :mod:`.transforms` turns into the form.
"""

from __future__ import annotations

import json

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective


class LiveCalculatorDirective(SphinxDirective):
    """``{live-calculator} NAME`` with an optional ``:inputs:`` JSON object of defaults."""

    required_arguments = 1
    option_spec = {"inputs": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from ec2vslambda import live

        try:
            inputs = json.loads(self.options.get("inputs") or "{}")
            placeholder = live.placeholder_html(self.arguments[0], inputs)
        except (ValueError, json.JSONDecodeError) as error:
            raise self.error(f"live-calculator {self.arguments[0]!r}: {error}") from None
        return [nodes.raw("", placeholder, format="html")]
