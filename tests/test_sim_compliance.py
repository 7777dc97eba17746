"""Compliance suite (tests/compliance/): the device against the PCI Express
Base Specification's register tables, independent of the reference model;
every simulated configuration on Verilator, the default and an MSI-only
one on Icarus."""

import pytest

from tests import configs, simrun


@pytest.mark.parametrize("sim,config", simrun.matrix(
    *configs.SIMULATED, icarus=("default", "msi1")))
def test_compliance_config_space(sim, config):
    simrun.run(sim, config, "tests.compliance.config_tests")
