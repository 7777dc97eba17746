"""Compliance suite (tests/compliance/): the device against the PCI Express
Base Specification's register tables, independent of the reference model;
on Verilator every distinct configuration space among the simulated
configurations (configs.CONFIG_SPACES: a space depends on MSI_VECTORS and
MSIX_TABLE_SIZE only), on Icarus the default one."""

import pytest

from tests import configs, simrun


@pytest.mark.parametrize("sim,config", simrun.matrix(
    *configs.CONFIG_SPACES, icarus=("default",)))
def test_compliance_config_space(sim, config):
    simrun.run(sim, config, "tests.compliance.config_tests")
