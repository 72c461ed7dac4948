"""How long the Pricing calculator's model takes per update (target: <= 5 ms on 2 cores).

An update re-prices Lambda and the fleet, finds the break-even point and computes the 400-point
cost curve: everything except drawing. Drawing the figure is timed separately, for information.
Prints figures; asserts nothing (speed targets are not tests).
"""

from __future__ import annotations

import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ec2vslambda import pricing  # noqa: E402
from ec2vslambda.widgets import pricing as calc  # noqa: E402

TARGET_MS = 5.0


def model_update(inputs: calc.PricingInputs) -> None:
    calc.comparison(inputs)
    grid = np.geomspace(1e5, 1e10, 400)
    pricing.lambda_cost_curve_usd(grid, inputs.duration_ms, inputs.memory_mb, arch=inputs.arch,
                                  free_tier=inputs.free_tier)


def timed(fn, repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    rng = np.random.default_rng(7)
    types = pricing.instance_types()
    cases = [calc.PricingInputs(requests_per_month=float(rng.integers(1e5, 1e9)),
                                duration_ms=float(rng.integers(1, 5000)),
                                memory_mb=int(rng.integers(128, 10240)),
                                arch=str(rng.choice(["x86_64", "arm64"])),
                                instance_type=str(rng.choice(types)),
                                instance_count=int(rng.integers(1, 5)))
             for _ in range(200)]
    model_update(cases[0])  # warm the data caches, as a live notebook would have
    model = timed(lambda i: model_update(cases[i]), len(cases))

    def draw(i: int) -> None:
        plt.close(calc.cost_figure(cases[i]))

    drawing = timed(draw, 20)
    p50, p95 = statistics.median(model), float(np.percentile(model, 95))
    print(f"pricing calculator, model per update: median {p50:.2f} ms, p95 {p95:.2f} ms "
          f"over {len(model)} random inputs (target <= {TARGET_MS} ms: "
          f"{'met' if p95 <= TARGET_MS else 'NOT met'})")
    print(f"pricing calculator, drawing the figure: median {statistics.median(drawing):.0f} ms "
          "(matplotlib; for information)")
    start = time.perf_counter()
    n = 10_000
    for i in range(n):
        pricing.lambda_cost(1e6 + i, 120, 512)
    print(f"lambda_cost: {(time.perf_counter() - start) / n * 1e6:.1f} us per call")


if __name__ == "__main__":
    main()
