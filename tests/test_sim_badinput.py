"""Bad-input suite (tests/sim/badinput_tests.py) on both simulators: the
default configuration and one without MSI-X and IMS (their windows must
read 0 and ignore writes)."""

import pytest

from tests import simrun


@pytest.mark.parametrize("sim", simrun.SIMS)
@pytest.mark.parametrize("config", simrun.configs("default", "msi1"))
def test_badinput(sim, config):
    simrun.run(sim, config, "badinput_tests")
