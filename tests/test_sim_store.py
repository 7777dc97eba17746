"""Interrupt store tests (tests/sim/store_tests.py) on both simulators: every
parameter set on Verilator, a representative subset on Icarus."""

import pytest

from tests import configs, simrun


# The sweep over parameter sets runs on Verilator; Icarus runs the default
# configuration, each test without stress (make test stays within 10 minutes)
@pytest.mark.parametrize("sim,config", simrun.matrix(*configs.SIMULATED, icarus=("default",)))
def test_store(sim, config):
    simrun.run(sim, config, "store_tests",
               extra_env=simrun.sim_subset(sim, simrun.ICARUS_NO_STRESS))
