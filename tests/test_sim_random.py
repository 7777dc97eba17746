"""Constrained-random reliability test (tests/sim/random_tests.py) on both
simulators.  ``SEED=<n>`` replays a run; ``IMS_RANDOM_SCALE=<k>`` makes it
k times longer."""

import pytest

from tests import simrun


@pytest.mark.parametrize("sim", simrun.SIMS)
@pytest.mark.parametrize("config", simrun.configs("default", "all"))
def test_random(sim, config):
    simrun.run(sim, config, "random_tests")
