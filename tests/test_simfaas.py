"""routing="newest" against SimFaaS (PACS lab, PyPI simfaas 0.2.2), request by request.

SimFaaS draws arrivals and service times from processes; here its processes replay a fixed
workload instead: the arrival process returns the gaps between our arrivals, and the service
processes return each request's latency (INIT added for a cold start), so that which process
SimFaaS asks tells whether it served a request cold or warm, or rejected it. Every time is a
multiple of 1/16 s and the keep-alive window is not, so SimFaaS's clock, which adds gaps,
lands exactly on our times, and no request arrives exactly when an environment expires (the
two simulators settle that tie differently; the course's rule keeps it warm).
"""

from __future__ import annotations

import numpy as np
import pytest
from simfaas.ServerlessSimulator import ServerlessSimulator

from ec2vslambda import simulate

GRID_S = 1 / 16
KEEP_ALIVE_S = 5.0 + 1 / 32  # never a multiple of the grid: no arrival ties with an expiry
INIT_MS = 250.0
LIMIT = 6


class _Replay:
    """The arrival and service processes of one SimFaaS run over a fixed workload."""

    def __init__(self, arrivals_s, durations_ms):
        self.gaps = np.diff(arrivals_s, prepend=0.0).tolist()
        self.durations_s = (np.asarray(durations_ms) / 1000.0).tolist()
        self.calls = 0
        self.kind = [""] * len(self.durations_s)  # "cold", "warm", or "" (rejected)
        replay = self

        class Arrivals:
            def generate_trace(self):
                replay.calls += 1
                if replay.calls > len(replay.gaps):
                    return 1e9  # no more requests: the run ends first
                return replay.gaps[replay.calls - 1]

        class Service:
            def __init__(self, kind, extra_s):
                self.kind, self.extra_s = kind, extra_s

            def generate_trace(self):
                # SimFaaS draws the next gap before it serves an arrival: the request being
                # served is two calls behind (the first call placed the first arrival)
                i = replay.calls - 2
                if i >= len(replay.kind):  # the end of the run
                    return 1.0
                replay.kind[i] = self.kind
                return self.extra_s + replay.durations_s[i]

        self.arrivals = Arrivals()
        self.cold = Service("cold", INIT_MS / 1000.0)
        self.warm = Service("warm", 0.0)


def run_simfaas(arrivals_s, durations_ms):
    replay = _Replay(arrivals_s, durations_ms)
    longest_s = INIT_MS / 1000.0 + float(np.max(durations_ms)) / 1000.0
    sim = ServerlessSimulator(arrival_process=replay.arrivals, warm_service_process=replay.warm,
                              cold_service_process=replay.cold,
                              expiration_threshold=KEEP_ALIVE_S,
                              max_time=float(arrivals_s[-1]) + 2 * (longest_s + KEEP_ALIVE_S),
                              maximum_concurrency=LIMIT)
    sim.generate_trace()
    # idle instances over time: every instance has expired before max_time, so this is all
    # the idle environment-time of the run
    idle_env_s = float(np.dot(sim.hist_server_idle_count, sim.time_lengths))
    return np.array(replay.kind), idle_env_s


def bursts(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Bursts of overlapping requests with pauses around the keep-alive window, on the grid:
    several environments idle at once, some expiring, so the routing matters."""
    rng = np.random.default_rng(seed)
    arrivals, t = [], 0.0
    for _ in range(60):
        t += rng.choice([2.0, 4.0, 5.0, 6.0, 9.0])  # a pause
        for _ in range(rng.integers(1, 14)):
            t += rng.integers(0, 6) * GRID_S  # simultaneous arrivals included
            arrivals.append(t)
    durations = rng.integers(1, 40, len(arrivals)) * GRID_S * 1000.0
    return np.array(arrivals), durations


@pytest.mark.parametrize("seed", [1, 2])
def test_newest_routing_matches_simfaas_request_by_request(seed):
    arrivals, durations = bursts(seed)
    kind, simfaas_idle_s = run_simfaas(arrivals, durations)
    options = dict(keep_alive_s=KEEP_ALIVE_S, init_ms=INIT_MS, concurrency_limit=LIMIT,
                   max_new_envs_per_10s=10**6, with_cost=False)
    for engine in simulate.ENGINES:
        ours = simulate.simulate_lambda(arrivals, durations, routing="newest", engine=engine,
                                        **options)
        np.testing.assert_array_equal(ours.cold, kind == "cold")
        np.testing.assert_array_equal(ours.throttled_mask, kind == "")
        assert ours.idle_env_s == pytest.approx(simfaas_idle_s, rel=1e-9)
    # the comparison has teeth: the workload reaches the limit, and the default routing
    # decides differently on it
    assert ours.throttled > 0 and ours.cold_starts > 20
    default = simulate.simulate_lambda(arrivals, durations, **options)
    assert (default.cold != ours.cold).any() or default.idle_env_s != pytest.approx(
        ours.idle_env_s, rel=1e-9)
