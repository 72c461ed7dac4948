"""The execution-environment model: INIT once per environment, state that survives warm
invocations and vanishes with the environment; scaling helpers; the EC2 state machine."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from ec2vslambda import data  # noqa: E402
from ec2vslambda.lifecycle import (  # noqa: E402
    EC2_STATES,
    EC2_TRANSITIONS,
    LambdaModel,
    concurrency_needed,
    demo_module,
    draw_ec2_state_diagram,
    draw_timeline,
    max_environments_after,
    seconds_to_reach,
)


def counting_module(log):
    """A module whose INIT appends to ``log``, so tests can count INIT runs."""
    def module(env):
        log.append(env.env_id)
        state = {"n": 0}

        def handler(event, context):
            state["n"] += 1
            return state["n"]
        return handler
    return module


def test_init_runs_once_per_environment_and_globals_survive_warm_invocations():
    inits = []
    model = LambdaModel(counting_module(inits), init_ms=100, keep_alive_ms=10_000)
    results = [model.invoke(t, duration_ms=20) for t in (0, 500, 1000, 1500)]
    assert inits == [1]
    assert [r.result for r in results] == [1, 2, 3, 4]
    assert [r.cold for r in results] == [True, False, False, False]
    assert results[0].init_ms == 100 and results[0].latency_ms == 120
    assert results[1].latency_ms == 20


def test_overlapping_requests_need_a_second_environment_with_its_own_globals():
    inits = []
    model = LambdaModel(counting_module(inits), init_ms=100, keep_alive_ms=10_000)
    first = model.invoke(0, duration_ms=500)
    second = model.invoke(50, duration_ms=500)  # the first is still busy
    third = model.invoke(2000, duration_ms=10)
    assert inits == [1, 2]
    assert (first.env_id, second.env_id) == (1, 2)
    assert (first.result, second.result) == (1, 1)  # separate module state
    assert third.env_id == 2 and third.result == 2  # most recently used warm environment


def test_state_vanishes_after_idle_recycle_and_deploy():
    model = LambdaModel(demo_module, init_ms=200, keep_alive_ms=5_000, max_lifetime_ms=60_000)
    a = model.invoke(0)
    b = model.invoke(1_000)
    assert b.result == {"env": 1, "global_count": 2, "client_calls": 2, "tmp_hit": True}
    c = model.invoke(20_000)  # idle longer than keep_alive_ms
    assert c.cold and c.result == {"env": 2, "global_count": 1, "client_calls": 1,
                                   "tmp_hit": False}
    env1 = model.environments[0]
    assert env1.shutdown_reason == "idle" and env1.shutdown_ms == b.end_ms + 5_000
    model.deploy(21_000)
    d = model.invoke(22_000)
    assert d.cold and d.version == 2 and d.result["global_count"] == 1
    assert model.environments[1].shutdown_reason == "new version deployed"
    assert model.environments[1].shutdown_ms == 21_000
    # steady traffic every second still gets a fresh environment at max_lifetime_ms
    for t in range(23_000, 90_000, 1_000):
        last = model.invoke(t)
    envs = {r.env_id for r in model.invocations if r.at_ms >= 22_000}
    assert len(envs) == 2 and last.env_id == max(envs)
    assert model.environments[2].shutdown_reason == "recycled"
    assert a.result["tmp_hit"] is False


def test_throttling_at_the_concurrency_limit():
    model = LambdaModel(demo_module, init_ms=10, concurrency_limit=2)
    model.invoke(0, duration_ms=1000)
    model.invoke(1, duration_ms=1000)
    third = model.invoke(2, duration_ms=1000)
    assert third.throttled and "429" in third.result
    assert len(model.environments) == 2
    assert not model.invoke(2000).throttled
    assert LambdaModel(demo_module).concurrency_limit == data.limit_value("concurrency_default")


def test_timeline_segments_cover_each_environment():
    model = LambdaModel(demo_module, init_ms=200, keep_alive_ms=1_000)
    model.invoke(0, duration_ms=100)
    model.invoke(500, duration_ms=100)
    model.finish(5_000)
    phases = [(s.phase, s.start_ms, s.end_ms) for s in model.segments()]
    assert phases == [("init", 0, 200), ("invoke", 200, 300), ("frozen", 300, 500),
                      ("invoke", 500, 600), ("frozen", 600, 1600), ("shutdown", 1600, 1600)]
    fig, ax = plt.subplots()
    draw_timeline(ax, model.segments(), title="t")
    assert len(ax.patches) == 5
    plt.close(fig)


@pytest.mark.parametrize(("call", "message"), [
    (lambda m: m.invoke(-1), r"at_ms=-1 is out of range"),
    (lambda m: m.invoke(0, duration_ms=10**9), r"duration_ms=1000000000 is out of range; "
                                               r"allowed: 0 to 900,000"),
    (lambda m: (m.invoke(100), m.invoke(50)), r"at_ms=50 is out of range; allowed: 100"),
    (lambda m: m.deploy(0, module="code.zip"), r"module='code.zip' is not callable"),
])
def test_bad_input_is_named(call, message):
    model = LambdaModel(demo_module)
    with pytest.raises(ValueError, match=message):
        call(model)
    with pytest.raises(ValueError, match="init_ms=20000 is out of range; allowed: 0 to 10,000"):
        LambdaModel(demo_module, init_ms=20_000)


def test_scaling_helpers_follow_the_limits_file():
    rate = data.limit_value("scaling_rate")
    default = data.limit_value("concurrency_default")
    assert max_environments_after(0) == min(rate, default)
    big = int(rate * 10)
    assert max_environments_after(0, account_limit=big) == rate
    assert max_environments_after(10, account_limit=big) == 2 * rate
    assert max_environments_after(10_000, account_limit=big) == big
    assert seconds_to_reach(int(rate) * 3, account_limit=big) == 20
    assert seconds_to_reach(big + 1, account_limit=big) is None
    assert concurrency_needed(500, 120) == pytest.approx(60)


def test_ec2_state_machine_is_closed_and_drawn():
    names = {s.name for s in EC2_STATES}
    assert names == {"pending", "running", "stopping", "stopped", "shutting-down", "terminated"}
    for source, target, _ in EC2_TRANSITIONS:
        assert target in names and (source is None or source in names)
    billed = {s.name for s in EC2_STATES if s.billed == "yes"}
    assert billed == {"running"}
    assert not any(source == "terminated" for source, _, _ in EC2_TRANSITIONS)
    fig, ax = plt.subplots()
    draw_ec2_state_diagram(ax)
    assert len(ax.texts) >= len(EC2_STATES)
    plt.close(fig)
