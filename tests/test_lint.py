"""`verilator --lint-only -Wall` of the RTL, for every named configuration."""

import pytest

from tests import simrun
from tests.configs import CONFIGS


@pytest.mark.parametrize("config", list(CONFIGS))
def test_lint(config):
    res = simrun.lint(config)
    output = (res.stdout + res.stderr).strip()
    assert res.returncode == 0, f"lint of {config} failed:\n{output}"
