"""`verilator --lint-only -Wall` of the RTL, for every named configuration,
and ruff and mypy over the Python (their settings in pyproject.toml
[tool.ruff] and [tool.mypy], which also names mypy's files)."""

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


def test_mypy():
    res = subprocess.run([sys.executable, "-m", "mypy"], cwd=simrun.ROOT,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, f"mypy:\n{res.stdout}{res.stderr}"


@pytest.mark.parametrize("config", list(CONFIGS))
def test_lint(config):
    res = simrun.lint(config)
    output = (res.stdout + res.stderr).strip()
    assert res.returncode == 0, f"lint of {config} failed:\n{output}"
