"""ipywidgets calculators: thin wiring from controls to the package's pure functions.

Each calculator module builds a :class:`~ec2vslambda.widgets.common.LiveCalculator`. Logic stays
in the package modules; these modules only read controls, call them, and render the result.
"""
