"""What an event-driven job costs a month: one function run per upload, or one instance always on.

Lab 4's pricing of its thumbnail job, with the learner's own measured durations. Standard
library only: the same functions price the job in a notebook and in the site's live calculator
(:mod:`ec2vslambda.live.thumbnail_cost`). :mod:`ec2vslambda.local_runtime` re-exports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from . import bounds
from .lifecycle import poisson_cold_start_ratio
from .pricing import (
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    ec2_capacity_requests,
    ec2_monthly_usd,
    lambda_cost,
)

__all__ = ["MonthlyCost", "cold_start_ratio", "monthly_costs"]


class MonthlyCost(TypedDict):
    """One upload rate's month, for both designs (money in USD)."""

    uploads_per_month: float
    cold_start_share: float
    lambda_usd: float
    ec2_usd: float
    ec2_instance: str
    ec2_busy_share: float


def cold_start_ratio(uploads_per_month: float, keep_alive_s: float) -> float:
    """Share of uploads that find no warm environment, for a steady random (Poisson) stream.

    A monthly rate in front of :func:`ec2vslambda.lifecycle.poisson_cold_start_ratio`: an upload
    is cold when the gap since the previous one exceeds ``keep_alive_s``. A first-order model: it
    ignores concurrency and the periodic recycling of environments.
    """
    uploads_per_month = bounds.REQUESTS.check("uploads_per_month", uploads_per_month)
    keep_alive_s = bounds.KEEP_ALIVE_S.check("keep_alive_s", keep_alive_s)
    return poisson_cold_start_ratio(uploads_per_month / (HOURS_PER_MONTH * SECONDS_PER_HOUR),
                                    keep_alive_s)


def monthly_costs(uploads_per_month: Sequence[float], *, duration_ms: float, init_ms: float,
                  memory_mb: int, instance_type: str, keep_alive_s: float,
                  arch: str = "x86_64") -> list[MonthlyCost]:
    """Monthly cost of the two designs at each upload rate (one row per rate, USD).

    Lambda: ``lambda_cost`` at the measured warm ``duration_ms`` and ``memory_mb``, with INIT
    billed on the share of cold starts from :func:`cold_start_ratio`. Always-on: one
    ``instance_type`` running all month, whatever the traffic; ``ec2_busy_share`` is the share of
    its capacity (one image at a time per vCPU) that the uploads would use, and a value above 1
    means one instance cannot keep up.
    """
    ec2_usd = ec2_monthly_usd(instance_type)
    capacity = ec2_capacity_requests(instance_type, duration_ms)
    rows: list[MonthlyCost] = []
    for uploads in uploads_per_month:
        ratio = cold_start_ratio(uploads, keep_alive_s)
        cost = lambda_cost(uploads, duration_ms, memory_mb, arch=arch, init_ms=init_ms,
                           cold_start_ratio=ratio)
        rows.append({"uploads_per_month": float(uploads), "cold_start_share": ratio,
                     "lambda_usd": cost.total_usd, "ec2_usd": ec2_usd,
                     "ec2_instance": instance_type, "ec2_busy_share": uploads / capacity})
    return rows
