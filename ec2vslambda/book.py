"""What the book's notebooks need from the book's build, without depending on it.

The pages put computed numbers into their prose with myst-nb's *glue*: a cell calls
``glue("key", value, display=False)`` and a paragraph writes ``{glue:text}`key```. myst-nb is part
of the book's build (``requirements.txt``), not of the course package, so a learner who installed
only the package (on Colab, or with ``requirements-learner.txt``) does not have it. The notebooks
therefore import :func:`glue` from here: it is myst-nb's own glue when myst-nb is installed (the
build and the tests, so the stored outputs are myst-nb's), and otherwise shows the value plainly,
so that a learner reading a paragraph's ``{glue:text}`key``` in Jupyter can find its value in the
cell above.
"""

from __future__ import annotations

from typing import Any

__all__ = ["glue", "plain_glue"]


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Glue ``variable`` under ``name`` for the book's prose (myst-nb), or show it plainly.

    Same signature as ``myst_nb.glue``. Without myst-nb, ``display=True`` displays the value as
    Jupyter would, and ``display=False`` (a value meant only for the prose) shows one plain line,
    ``name = value``.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        plain_glue(name, variable, display=display)
    else:
        myst_glue(name, variable, display=display)


def plain_glue(name: str, variable: Any, display: bool = True) -> None:
    """The fallback of :func:`glue` when myst-nb is not installed."""
    from IPython.display import display as ipython_display

    if display:
        ipython_display(variable)
        return
    if isinstance(variable, str):
        text = variable
    else:
        from IPython.core.formatters import format_display_data

        text = format_display_data(variable)[0].get("text/plain", repr(variable))
    ipython_display({"text/plain": f"{name} = {text}"}, raw=True)
