"""Bad-input suite (tests/sim/badinput_tests.py) on both simulators: the
default configuration and one without MSI-X and IMS (their windows must
read 0 and ignore writes)."""

import pytest

from tests import simrun


# (Icarus, about ten times slower, runs the default configuration, and not
# the three longest tests: the table window sweep, the unsupported types and
# the Memory Space Enable sweep)
@pytest.mark.parametrize("sim,config", simrun.matrix("default", "msi1", "nopasid", icarus=("default",)))
def test_badinput(sim, config):
    simrun.run(sim, config, "badinput_tests", extra_env=simrun.sim_subset(
        sim, simrun.icarus_skips("test_table_accesses", "test_unsupported_types",
                                 "test_memory_space_disabled")))
