"""The course package behind *EC2 vs Lambda*: data, cost model, limits, workloads, simulators.

Notebooks import this package and explain it; the arithmetic lives here, with tests.
"""

__version__ = "0.1.0"
