"""The notebook front ends of the book's calculators.

``show(name, **inputs)`` displays a calculator's result as static output and
``calculator(name, **inputs)`` returns its ipywidgets form; both call
:func:`ec2vslambda.live.compute`, the same function the site runs in the reader's browser.
Figures that only a notebook draws (lab 1's traffic shapes) keep their own module here.
"""

from .common import calculator, show

__all__ = ["calculator", "show"]
