"""Seeded traffic in standard-library Python (ec2vslambda.streams): rates, shapes, seeds."""

import math
import random

import pytest

from ec2vslambda import streams


@pytest.mark.parametrize("shape", streams.SHAPES)
def test_each_shape_has_the_asked_average_rate(shape):
    arrivals = streams.shaped_arrivals(shape, 120, 24, seed=5)
    assert arrivals == sorted(arrivals)
    assert all(0 <= t < 24 * 3600 for t in arrivals)
    assert len(arrivals) / 24 == pytest.approx(120, rel=0.06)


def test_shapes_put_their_requests_where_they_say():
    bursty = streams.shaped_arrivals("bursty", 60, 24, seed=1)
    assert all(t % streams.BURST_CYCLE_S >= streams.BURST_CYCLE_S - streams.BURST_ON_S
               for t in bursty)
    diurnal = streams.shaped_arrivals("diurnal", 600, 24, seed=1)
    afternoon = sum(1 for t in diurnal if 12 * 3600 <= t < 16 * 3600)
    night = sum(1 for t in diurnal if 0 <= t < 4 * 3600)
    assert afternoon > 4 * night
    periodic = streams.shaped_arrivals("periodic", 3, 2, seed=1)
    assert periodic == [0.0, 1200.0, 2400.0, 3600.0, 4800.0, 6000.0]


def test_a_seed_gives_the_same_requests_and_another_seed_others():
    assert streams.shaped_arrivals("poisson", 50, 3, seed=2) == \
        streams.shaped_arrivals("poisson", 50, 3, seed=2)
    assert streams.shaped_arrivals("poisson", 50, 3, seed=2) != \
        streams.shaped_arrivals("poisson", 50, 3, seed=3)


def test_flash_crowd_climbs_holds_and_fades():
    arrivals = streams.flash_crowd_arrivals(10.0, 200.0, 600.0, start_s=60.0, ramp_s=10.0,
                                            hold_s=120.0, decay_s=60.0, rng=random.Random(1))
    before = sum(1 for t in arrivals if t < 60) / 60
    held = sum(1 for t in arrivals if 70 <= t < 190) / 120
    after = sum(1 for t in arrivals if t >= 250) / 350
    assert before == pytest.approx(10, rel=0.2)
    assert held == pytest.approx(200, rel=0.05)
    assert after == pytest.approx(10, rel=0.15)
    expected = 10 * 600 + 190 * (10 / 2 + 120 + 60 / 2)
    assert len(arrivals) == pytest.approx(expected, rel=0.03)


def test_lognormal_durations_have_their_median():
    values = sorted(streams.lognormal_ms(random.Random(2), 100.0, 0.5, 20_001))
    assert values[10_000] == pytest.approx(100.0, rel=0.03)
    assert math.log(values[-1] / 100.0) < 0.5 * 6


def test_bad_shape_and_rate_are_named():
    with pytest.raises(ValueError, match="^shape='spiky'"):
        streams.shaped_arrivals("spiky", 10)
    with pytest.raises(ValueError, match="^rate_per_hour=-1"):
        streams.shaped_arrivals("poisson", -1)
