"""Interrupt store tests (tests/sim/store_tests.py) on both simulators."""

import pytest

from tests import simrun


@pytest.mark.parametrize("sim", simrun.SIMS)
@pytest.mark.parametrize("config", simrun.configs(
    "default", "msi1", "msi32", "msix1", "msix64", "msix2048", "ims1", "ims4096", "all",
    "w128", "w256"))
def test_store(sim, config):
    simrun.run(sim, config, "store_tests")
