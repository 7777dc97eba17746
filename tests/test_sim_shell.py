"""Endpoint shell tests (tests/sim/shell_tests.py) on both simulators: the
default configuration and configurations without MSI-X / MSI / both."""

import pytest

from tests import simrun


@pytest.mark.parametrize("sim,config", simrun.matrix(
    "default", "msi1", "msix1", "ims1", icarus=("default",)))
def test_shell(sim, config):
    # (Icarus: each test without stress)
    simrun.run(sim, config, "shell_tests",
               extra_env=simrun.sim_subset(sim, simrun.ICARUS_NO_STRESS))
