"""Smoke test: the top builds and comes out of reset on every simulator."""

import pytest

from tests import simrun


@pytest.mark.parametrize("sim", simrun.SIMS)
@pytest.mark.parametrize("config", simrun.configs("default"))
def test_smoke(sim, config):
    simrun.run(sim, config, "smoke_tests")
