"""`verilator --lint-only -Wall` of the RTL, for every named configuration,
and ruff over the Python (its rules in pyproject.toml [tool.ruff])."""

import subprocess
import sys

import pytest

from tests import simrun
from tests.configs import CONFIGS

PY_DIRS = ("model", "tb", "tests", "scripts", "examples")


def test_ruff():
    res = subprocess.run([sys.executable, "-m", "ruff", "check", *PY_DIRS], cwd=simrun.ROOT,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, f"ruff check {' '.join(PY_DIRS)}:\n{res.stdout}{res.stderr}"


@pytest.mark.parametrize("config", list(CONFIGS))
def test_lint(config):
    res = simrun.lint(config)
    output = (res.stdout + res.stderr).strip()
    assert res.returncode == 0, f"lint of {config} failed:\n{output}"
