# SPDX-License-Identifier: MIT
"""Constrained-random reliability test: load, races and backpressure.

The traffic is tb.random_traffic.RandomTraffic: irq, table-software and
config-software agents at once for a number of phases, each phase with its
own rx gap / tx backpressure / irq pause profile, then coverage-directed
phases.  ``run_random`` (tests/sim/random_run.py) sets up, drains and
requires that nothing was lost.

Every random choice comes from ``random.Random`` seeded with cocotb's
RANDOM_SEED and the test name: ``make sim SEED=<n>`` (or
``SEED=<n> pytest tests/test_sim_random.py``) replays a run exactly.
``IMS_RANDOM_SCALE`` (default 1) multiplies the number of phases for a
longer run; functional coverage (tb.coverage) is saved for the regression.
"""

import os

import cocotb

from tests.sim.random_run import run_random

SCALE = float(os.environ.get("IMS_RANDOM_SCALE", "1") or 1)


@cocotb.test()
async def test_random(dut):
    """Random irq, config and BAR traffic with changing backpressure."""
    phases = max(1, round(int(os.environ.get("IMS_RANDOM_PHASES", "4")) * SCALE))
    await run_random(dut, "test_random", phases=phases, cycles=2000, closure=48)
