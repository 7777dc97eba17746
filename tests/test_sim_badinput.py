"""Bad-input suite (tests/sim/badinput_tests.py) on both simulators: the
default configuration and one without MSI-X and IMS (their windows must
read 0 and ignore writes)."""

import pytest

from tests import simrun


# (Icarus, about ten times slower, runs the default configuration)
@pytest.mark.parametrize("sim,config", simrun.matrix("default", "msi1", icarus=("default",)))
def test_badinput(sim, config):
    simrun.run(sim, config, "badinput_tests")
