"""Constrained-random reliability test (tests/sim/random_tests.py) on both
simulators.  ``SEED=<n>`` replays a run; ``IMS_RANDOM_SCALE=<k>`` makes it
k times longer."""

import pytest

from tests import simrun


# (Icarus, about ten times slower, runs the default configuration)
@pytest.mark.parametrize("sim,config", simrun.matrix("default", "all", icarus=("default",)))
def test_random(sim, config):
    simrun.run(sim, config, "random_tests")
