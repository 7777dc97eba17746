"""The device under cocotbext-pcie's RootComplex (tests/sim/rootcomplex_tests.py)
and the README's example (examples/rootcomplex_example.py), on both simulators."""

import pytest

from tests import configs, simrun


# (Icarus, about ten times slower, runs the default configuration)
@pytest.mark.parametrize("sim,config", simrun.matrix("default", "msi32", "nopasid", icarus=("default",)))
def test_rootcomplex(sim, config):
    # (Icarus: each test with backpressure only)
    simrun.run(sim, config, "rootcomplex_tests",
               extra_env=simrun.sim_subset(sim, r"backpressure=True$|^[^=]*$"))


@pytest.mark.parametrize("sim", simrun.SIMS)
@pytest.mark.parametrize("config", simrun.configs("default"))
def test_rootcomplex_example(sim, config):
    p = configs.params(config)
    if not p["IMS_SIZE"] or not (p["MSIX_TABLE_SIZE"] or p["MSI_VECTORS"]):
        pytest.skip("the example uses MSI or MSI-X and IMS")
    simrun.run(sim, config, "examples.rootcomplex_example")
